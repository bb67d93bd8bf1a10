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
read_value (JuiceCtl    *ctl,
            JuiceCloud  *cloud,
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

  juice_cloud_get_quotas_async (cloud, serial_number, keys, ctl->cancellable, juice_ctl_wait_cb,
                                &wait);
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
send_command (JuiceCtl    *ctl,
              JuiceCloud  *cloud,
              const char  *serial_number,
              JsonObject  *params,
              GError     **error)
{
  JuiceCtlWait wait = { NULL };
  gboolean ok;

  juice_cloud_set_quota_async (cloud, serial_number, params, ctl->cancellable, juice_ctl_wait_cb,
                               &wait);
  ok = juice_cloud_set_quota_finish (cloud, juice_ctl_wait (&wait), error);
  juice_ctl_wait_clear (&wait);

  return ok;
}

static gboolean
set_flag_cb (gpointer user_data)
{
  gboolean *flag = user_data;

  *flag = TRUE;
  return G_SOURCE_REMOVE;
}

/* Waits @ms before the next readback, or until the time limit cuts it short. */
static void
wait_before_polling (JuiceCtl *ctl,
                     guint     ms)
{
  g_autoptr(GSource) timer = g_timeout_source_new (ms);
  g_autoptr(GSource) cancelled = g_cancellable_source_new (ctl->cancellable);
  gboolean done = FALSE;

  g_source_set_callback (timer, set_flag_cb, &done, NULL);
  g_source_attach (timer, NULL);
  g_source_set_callback (cancelled, set_flag_cb, &done, NULL);
  g_source_attach (cancelled, NULL);

  juice_ctl_wait_for (&done);

  g_source_destroy (timer);
  g_source_destroy (cancelled);
}

/* Polls the readback until it shows @wanted or @wait_s pass. */
static gboolean
confirm (JuiceCtl                *ctl,
         JuiceCloud              *cloud,
         const char              *serial_number,
         const JuiceSettingInfo  *setting,
         gint64                   wanted,
         guint                    wait_s,
         const char              *what_happened,
         gint64                  *shown,
         GError                 **error)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) wait_s * G_USEC_PER_SEC;
  g_autoptr(GError) last_error = NULL;
  gboolean seen = FALSE;

  for (;;)
    {
      g_clear_error (&last_error);
      if (read_value (ctl, cloud, serial_number, setting->readback_key, shown, &last_error))
        {
          seen = TRUE;
          g_debug ("%s shows %" G_GINT64_FORMAT, setting->readback_key, *shown);
          if (*shown == wanted)
            return TRUE;
        }
      else if (juice_cloud_error_is_auth (last_error) ||
               g_error_matches (last_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
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
      wait_before_polling (ctl, POLL_INTERVAL_MS);
    }

  if (seen)
    {
      g_autofree char *text = juice_setting_info_format_value (setting, *shown);

      g_set_error (error, JUICE_DEVICE_ERROR, JUICE_DEVICE_ERROR_TIMEOUT,
                   _("%s, but after %u s the device still shows %s = %s."),
                   what_happened, wait_s, setting->name, text);
    }
  else
    {
      g_set_error (error, JUICE_DEVICE_ERROR, JUICE_DEVICE_ERROR_TIMEOUT,
                   _("%s, but the device could not be read back within %u s (%s)."),
                   what_happened, wait_s, last_error != NULL ? last_error->message : "");
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
  gboolean no_reply = FALSE;
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
  if (!juice_ctl_check_serial_number (serial_number, &error))
    return juice_ctl_usage ("%s", error->message);
  clean_sn = juice_ctl_clean (serial_number);

  /* Reading back is part of the command's time. */
  juice_ctl_start_deadline (ctl, (guint) wait_s);

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

      g_autofree char *clean = juice_ctl_clean (argv[2]);

      return juice_ctl_usage (_("Unknown setting “%s”. Settings: %s."), clean, names->str);
    }

  if (!juice_setting_info_parse_value (setting, argv[3], &value, &error))
    {
      g_autofree char *allowed = juice_setting_info_describe_values (setting);
      g_autofree char *clean = juice_ctl_clean (argv[3]);

      return juice_ctl_usage (_("Invalid value “%s” for %s: %s (allowed: %s)."),
                              clean, setting->name, error->message, allowed);
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

      if (read_value (ctl, cloud, serial_number, setting->companion_key, &companion, &read_error))
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

  if (!http_only && !juice_ctl_send_over_mqtt (ctl, cloud, serial_number, params,
                                               setting->readback_key, value, &sent,
                                               &no_reply, &error))
    return juice_ctl_fail (error);

  if (!sent && !send_command (ctl, cloud, serial_number, params, &error))
    {
      /* A set is not sent twice once it may have arrived: say so. */
      if (g_error_matches (error, JUICE_CLOUD_ERROR, JUICE_CLOUD_ERROR_TIMEOUT))
        {
          g_printerr (_("juice-ctl: EcoFlow did not answer the command within %u s; it was "
                        "not sent again, as it may have arrived. Check with “juice-ctl "
                        "quota %s %s”.\n"),
                      juice_cloud_get_timeout_ms (cloud) / 1000, clean_sn,
                      setting->readback_key);
          return JUICE_CTL_EXIT_ERROR;
        }
      return juice_ctl_fail (error);
    }

  /* Without a set_reply, the readback is what says whether the device has it. */
  if (!confirm (ctl, cloud, serial_number, setting, value, wait_s,
                no_reply ? _("The device did not answer the command over MQTT")
                         : _("EcoFlow accepted the command"),
                &shown, &error))
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
