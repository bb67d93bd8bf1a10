/* fuzz-report.c: a /quota message or quota/all data, applied to a JuiceDevice
 * of each product
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "juice-device.h"
#include "juice-json.h"

#include "fuzz-common.h"

static void
read_back (JuiceDevice *device)
{
  const JuiceDeviceProfile *profile = juice_device_get_profile (device);
  g_auto(GStrv) keys = juice_device_dup_quota_keys (device);

  /* Every key reads back, and its value formats. */
  for (guint i = 0; keys[i] != NULL; i++)
    {
      JsonNode *node = juice_device_get_quota (device, keys[i]);
      gint64 i64;
      double d;

      g_assert_nonnull (node);
      g_assert_nonnull (juice_device_get_quota_raw_key (device, keys[i]));
      (void) juice_device_get_quota_int (device, keys[i], &i64);
      (void) juice_device_get_quota_double (device, keys[i], &d);
    }
  g_assert_cmpuint (g_strv_length (keys), ==, juice_device_get_n_quotas (device));

  for (guint i = 0; i < profile->n_settings; i++)
    {
      const JuiceSettingInfo *setting = &profile->settings[i];
      g_autoptr(JsonObject) command = NULL;
      gint64 value;

      if (juice_device_get_setting_value (device, setting->name, &value))
        {
          g_autofree char *text = juice_setting_info_format_value (setting, value);

          g_assert_nonnull (text);
        }
      /* The companion a command resends comes from the report too. */
      command = juice_device_build_command (device, setting, 1, NULL);
    }

  (void) juice_device_get_soc (device);
  (void) juice_device_get_watts_in (device);
  (void) juice_device_get_watts_out (device);
  (void) juice_device_get_remain_minutes (device);
}

/* Every key and its value, as text. */
static char *
snapshot (JuiceDevice *device)
{
  g_auto(GStrv) keys = juice_device_dup_quota_keys (device);
  GString *out = g_string_new (NULL);

  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_autofree char *text = juice_json_node_to_text (juice_device_get_quota (device, keys[i]));

      g_string_append_printf (out, "%s=%s\n", keys[i], text);
    }

  return g_string_free (out, FALSE);
}

static void
apply_twice (const JuiceDeviceProfile *profile,
             const char               *serial_number,
             const uint8_t            *data,
             size_t                    size)
{
  g_autoptr(JuiceDevice) device = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  int first, second;

  device = juice_device_new (serial_number, profile);
  first = juice_device_apply_report_bytes (device, (const char *) data, size, NULL);
  read_back (device);

  /* The same report again leaves the same values. (It may count changes:
   * keys that differ only in case, such as "pd.soc" and "PD.SOC", are one
   * quota and the last of them wins, each time.) */
  before = snapshot (device);
  second = juice_device_apply_report_bytes (device, (const char *) data, size, NULL);
  if (first < 0)
    g_assert_cmpint (second, <, 0);
  else
    g_assert_cmpint (second, <=, first);
  after = snapshot (device);
  g_assert_cmpstr (before, ==, after);
  read_back (device);
}

/* Each product reads reports its own way: a DELTA Pro's flat keys, a DELTA
 * 2's typeCode groups (juice-report-decoder.c). */
int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  fuzz_init_once ();

  apply_twice (juice_device_profile_delta_pro (), "DCABZ8ZE9999999", data, size);
  apply_twice (juice_device_profile_delta_2 (), "R331ZEB4ZEAL0528", data, size);
  apply_twice (juice_device_profile_delta_2_max (), "R351ZEB4ZEAL0528", data, size);

  return 0;
}
