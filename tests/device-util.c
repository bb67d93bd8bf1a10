/* device-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "device-util.h"

void
device_util_set_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  SetResult *r = user_data;

  r->ok = juice_device_set_finish (JUICE_DEVICE (object), result, &r->error);
  r->done = TRUE;
}

gboolean
device_util_set_and_wait (JuiceDevice  *device,
                          const char   *setting,
                          gint64        value,
                          GError      **error)
{
  SetResult r = { 0 };

  juice_device_set_async (device, setting, value, NULL, device_util_set_cb, &r);
  while (!r.done)
    g_main_context_iteration (NULL, TRUE);

  if (r.error != NULL)
    g_propagate_error (error, r.error);
  return r.ok;
}

gint64
device_util_other_value (const JuiceSettingInfo *setting,
                         gint64                  current)
{
  switch (setting->kind)
    {
    case JUICE_SETTING_SWITCH:
      return current ? 0 : 1;

    case JUICE_SETTING_RANGE:
      return current == setting->max ? setting->min : setting->max;

    case JUICE_SETTING_CHOICE:
      for (guint i = 0; setting->options[i].label != NULL; i++)
        if (setting->options[i].value != current)
          return setting->options[i].value;
      break;

    default:
      break;
    }

  g_assert_not_reached ();
}
