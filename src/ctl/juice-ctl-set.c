/* juice-ctl-set.c: change a setting and wait until the device shows it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A set is confirmed only by readback (DESIGN.md §2): EcoFlow's "0" means
 * the command was queued. The command goes out over MQTT (/set, answered on
 * set_reply) when the broker can be reached, else as an HTTP PUT.
 */

#define G_LOG_DOMAIN "juice-ctl"

#include "config.h"

#include <glib/gi18n.h>

#include "juice-ctl.h"
#include "juice-error.h"
#include "juice-json.h"

#define POLL_INTERVAL_MS 500
#define DEFAULT_WAIT_S   10

/* The value of @key as the device reports it now, via POST quota. */
static gboolean
read_value (JuiceCloud  *cloud,
            const char  *serial_number,
            const char  *key,
            gint64      *value,
            GError     **error)
{
  const char *keys[] = { key, NULL };
  g_autoptr(JsonObject) quotas = NULL;
  JuiceCtlWait wait = { NULL };
  JsonObjectIter iter;
  const char *member;
  JsonNode *node;

  juice_cloud_get_quotas_async (cloud, serial_number, keys, NULL, juice_ctl_wait_cb, &wait);
  quotas = juice_cloud_get_quotas_finish (cloud, juice_ctl_wait (&wait), error);
  juice_ctl_wait_clear (&wait);
  if (quotas == NULL)
    return FALSE;

  /* The device answers in its own spelling of the key. */
  json_object_iter_init (&iter, quotas);
  while (json_object_iter_next (&iter, &member, &node))
    {
      if (g_ascii_strcasecmp (member, key) == 0 && juice_json_node_get_int (node, value))
        return TRUE;
    }

  g_set_error (error, JUICE_CLOUD_ERROR, JUICE_CLOUD_ERROR_NO_DATA,
               _("The device did not report %s."), key);
  return FALSE;
}

static gboolean
send_command (JuiceCloud  *cloud,
              const char  *serial_number,
              JsonObject  *params,
              GError     **error)
{
  JuiceCtlWait wait = { NULL };
  gboolean ok;

  juice_cloud_set_quota_async (cloud, serial_number, params, NULL, juice_ctl_wait_cb, &wait);
  ok = juice_cloud_set_quota_finish (cloud, juice_ctl_wait (&wait), error);
  juice_ctl_wait_clear (&wait);

  return ok;
}

static gboolean
sleep_cb (gpointer user_data)
{
  gboolean *done = user_data;

  *done = TRUE;
  return G_SOURCE_REMOVE;
}

static void
sleep_ms (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, sleep_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* Polls the readback until it shows @wanted or @wait_s pass. */
static gboolean
confirm (JuiceCloud              *cloud,
         const char              *serial_number,
         const JuiceSettingInfo  *setting,
         gint64                   wanted,
         guint                    wait_s,
         gint64                  *shown,
         GError                 **error)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) wait_s * G_USEC_PER_SEC;
  g_autoptr(GError) last_error = NULL;
  gboolean seen = FALSE;

  for (;;)
    {
      g_clear_error (&last_error);
      if (read_value (cloud, serial_number, setting->readback_key, shown, &last_error))
        {
          seen = TRUE;
          g_debug ("%s shows %" G_GINT64_FORMAT, setting->readback_key, *shown);
          if (*shown == wanted)
            return TRUE;
        }
      else if (juice_cloud_error_is_auth (last_error))
        {
          g_propagate_error (error, g_steal_pointer (&last_error));
          return FALSE;
        }
      else
        {
          /* The device may flap offline for a moment: keep asking. */
          g_debug ("readback failed: %s", last_error->message);
        }

      if (g_get_monotonic_time () + POLL_INTERVAL_MS * 1000 > deadline)
        break;
      sleep_ms (POLL_INTERVAL_MS);
    }

  if (seen)
    {
      g_autofree char *text = juice_setting_info_format_value (setting, *shown);

      g_set_error (error, JUICE_DEVICE_ERROR, JUICE_DEVICE_ERROR_TIMEOUT,
                   _("EcoFlow accepted the command, but after %u s the device still shows "
                     "%s = %s."),
                   wait_s, setting->name, text);
    }
  else
    {
      g_set_error (error, JUICE_DEVICE_ERROR, JUICE_DEVICE_ERROR_TIMEOUT,
                   _("EcoFlow accepted the command, but the device could not be read back "
                     "within %u s (%s)."),
                   wait_s, last_error != NULL ? last_error->message : "");
    }

  return FALSE;
}

int
juice_ctl_set (JuiceCtl  *ctl,
               char     **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) params = NULL;
  g_autofree char *wanted_text = NULL;
  g_autofree char *clean_sn = NULL;
  const JuiceDeviceProfile *profile;
  const JuiceSettingInfo *setting;
  const char *serial_number;
  JuiceCloud *cloud;
  gint64 value = 0;
  gint64 shown = 0;
  gint64 companion = 0;
  gboolean have_companion = FALSE;
  int wait_s = DEFAULT_WAIT_S;
  gboolean http_only = FALSE;
  gboolean sent = FALSE;
  GOptionEntry entries[] = {
    { "http", 0, 0, G_OPTION_ARG_NONE, &http_only,
      N_("Send over HTTP only, not over MQTT"), NULL },
    { "wait", 0, 0, G_OPTION_ARG_INT, &wait_s,
      N_("Wait at most SECONDS for the device to show the value (default 10)"), N_("SECONDS") },
    { NULL }
  };

  if (!juice_ctl_parse_options (ctl, &argv, _("SN SETTING VALUE"),
                                _("Change a setting, then read it back until the device shows "
                                  "the new value. “juice-ctl settings” lists the settings."),
                                entries, &error))
    return juice_ctl_usage ("%s", error->message);

  if (g_strv_length (argv) != 4)
    return juice_ctl_usage (_("“set” needs a serial number, a setting and a value."));
  if (wait_s < 1 || wait_s > 600)
    return juice_ctl_usage (_("--wait takes 1 to 600 seconds."));

  serial_number = argv[1];
  clean_sn = juice_ctl_clean (serial_number);

  /* Checked before anything is sent. */
  profile = juice_device_profile_for_product (NULL, serial_number);
  if (profile == NULL)
    {
      profile = juice_ctl_profile_for (ctl, serial_number, &error);
      if (profile == NULL)
        return juice_ctl_fail (error);
    }

  setting = juice_device_profile_lookup_setting (profile, argv[2]);
  if (setting == NULL)
    {
      g_autoptr(GString) names = g_string_new (NULL);

      for (guint i = 0; i < profile->n_settings; i++)
        g_string_append_printf (names, "%s%s", i > 0 ? ", " : "", profile->settings[i].name);

      return juice_ctl_usage (_("Unknown setting “%s”. Settings: %s."), argv[2], names->str);
    }

  if (!juice_setting_info_parse_value (setting, argv[3], &value, &error))
    {
      g_autofree char *allowed = juice_setting_info_describe_values (setting);

      return juice_ctl_usage (_("Invalid value “%s” for %s: %s (allowed: %s)."),
                              argv[3], setting->name, error->message, allowed);
    }
  wanted_text = juice_setting_info_format_value (setting, value);

  cloud = juice_ctl_open_cloud (ctl, TRUE, &error);
  if (cloud == NULL)
    return juice_ctl_fail (error);

  /* AC output and X-Boost share a command: the other one goes out as the
   * device reports it, and the builder decides what an unknown or "ignored"
   * readback becomes, as it does for the app. */
  if (setting->companion_key != NULL)
    {
      g_autoptr(GError) read_error = NULL;

      if (read_value (cloud, serial_number, setting->companion_key, &companion, &read_error))
        have_companion = TRUE;
      else if (!g_error_matches (read_error, JUICE_CLOUD_ERROR, JUICE_CLOUD_ERROR_NO_DATA))
        {
          g_propagate_prefixed_error (&error, g_steal_pointer (&read_error),
                                      _("Could not read %s, needed to change %s: "),
                                      setting->companion_key, setting->name);
          return juice_ctl_fail (error);
        }
    }

  params = juice_setting_info_build_command (setting, value, have_companion ? &companion : NULL,
                                             &error);
  if (params == NULL)
    return juice_ctl_fail (error);

  g_debug ("Setting %s on %s to %" G_GINT64_FORMAT, setting->name, clean_sn, value);

  if (!http_only && !juice_ctl_send_over_mqtt (ctl, cloud, serial_number, params, &sent, &error))
    return juice_ctl_fail (error);

  if (!sent && !send_command (cloud, serial_number, params, &error))
    return juice_ctl_fail (error);

  if (!confirm (cloud, serial_number, setting, value, wait_s, &shown, &error))
    return juice_ctl_fail (error);

  if (ctl->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "sn");
      json_builder_add_string_value (builder, serial_number);
      json_builder_set_member_name (builder, "setting");
      json_builder_add_string_value (builder, setting->name);
      json_builder_set_member_name (builder, "value");
      json_builder_add_string_value (builder, wanted_text);
      json_builder_set_member_name (builder, "raw");
      json_builder_add_int_value (builder, value);
      json_builder_set_member_name (builder, "readback");
      json_builder_add_string_value (builder, setting->readback_key);
      json_builder_set_member_name (builder, "confirmed");
      json_builder_add_boolean_value (builder, TRUE);
      json_builder_end_object (builder);

      root = json_builder_get_root (builder);
      juice_ctl_print_json (root);
    }
  else
    {
      g_print (_("%s: %s is now %s (confirmed by the device)\n"),
               clean_sn, setting->name, wanted_text);
    }

  return JUICE_CTL_EXIT_OK;
}
