/* juice-ctl-mqtt.c: the live link for juice-ctl (set over MQTT, watch)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "juice-ctl"

#include "config.h"

#include <stdio.h>

#include <glib/gi18n.h>

#include "juice-account.h"
#include "juice-ctl.h"
#include "juice-error.h"
#include "juice-json.h"
#include "juice-mqtt.h"

#define CONNECT_WAIT_S     10
#define COMMAND_TIMEOUT_MS 10000

/* One id of the installation's small pool, held until juice-ctl exits, so
 * that a watch and a set never take over each other's session. */
static char *
client_id (void)
{
  g_autoptr(GError) error = NULL;
  char *id = juice_mqtt_claim_client_id (&error);

  if (id == NULL)
    exit (juice_ctl_fail (error));

  return id;
}

/* Runs the main context while @mqtt is still trying its first connection. */
static gboolean
wait_connected (JuiceMqtt *mqtt,
                guint      seconds)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) seconds * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline)
    {
      JuiceMqttState state = juice_mqtt_get_state (mqtt);

      if (state == JUICE_MQTT_STATE_CONNECTED)
        return TRUE;
      if (state != JUICE_MQTT_STATE_CONNECTING && state != JUICE_MQTT_STATE_DISCONNECTED)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }

  return juice_mqtt_get_state (mqtt) == JUICE_MQTT_STATE_CONNECTED;
}

/**
 * juice_ctl_send_over_mqtt:
 * @sent: (out): whether the device got the command over MQTT
 *
 * Sends @params on /set and waits for the matching set_reply. When the link
 * cannot be had (no certification, broker unreachable), returns TRUE with
 * @sent FALSE: the caller sends over HTTP. A command that went out and was
 * refused or not answered is an error, and is not sent again.
 */
gboolean
juice_ctl_send_over_mqtt (JuiceCtl     *ctl,
                          JuiceCloud   *cloud,
                          const char   *serial_number,
                          JsonObject   *params,
                          gboolean     *sent,
                          GError      **error)
{
  g_autoptr(JuiceCloudCertification) certification = NULL;
  g_autoptr(JuiceMqtt) mqtt = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *id = NULL;
  JuiceCtlWait wait = { NULL };
  gboolean ok;

  *sent = FALSE;

  juice_cloud_get_certification_async (cloud, NULL, juice_ctl_wait_cb, &wait);
  certification = juice_cloud_get_certification_finish (cloud, juice_ctl_wait (&wait), &local_error);
  juice_ctl_wait_clear (&wait);
  if (certification == NULL)
    {
      if (juice_cloud_error_is_auth (local_error))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      g_debug ("No MQTT: %s", local_error->message);
      return TRUE;
    }

  id = client_id ();
  mqtt = juice_mqtt_new (certification->host, certification->port, id);
  juice_mqtt_set_ca_file (mqtt, ctl->ca_file);
  juice_mqtt_set_credentials (mqtt, certification->account, certification->password);

  if (!juice_mqtt_start (mqtt, &local_error) || !wait_connected (mqtt, CONNECT_WAIT_S))
    {
      g_debug ("No MQTT: %s", local_error ? local_error->message
                                          : juice_mqtt_get_state_text (mqtt));
      juice_mqtt_stop (mqtt);
      return TRUE;
    }

  juice_mqtt_send_command_async (mqtt, certification->account, serial_number, params,
                                 COMMAND_TIMEOUT_MS, NULL, juice_ctl_wait_cb, &wait);
  ok = juice_mqtt_send_command_finish (mqtt, juice_ctl_wait (&wait), &local_error);
  juice_ctl_wait_clear (&wait);
  juice_mqtt_stop (mqtt);

  if (ok)
    {
      g_debug ("Sent over MQTT");
      *sent = TRUE;
      return TRUE;
    }

  /* Never left: safe to send over HTTP instead. */
  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED))
    return TRUE;

  *sent = TRUE;
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

/* watch ----------------------------------------------------------------- */

typedef struct
{
  JuiceCtl    *ctl;
  GMainLoop   *loop;
  guint        count;
  guint        printed;
} Watch;

static void
on_quota_changed (JuiceDevice *device,
                  const char  *key,
                  Watch       *watch)
{
  g_autofree char *text = NULL;
  g_autofree char *clean_key = NULL;
  g_autofree char *clean_value = NULL;
  const char *raw_key = juice_device_get_quota_raw_key (device, key);

  if (watch->count > 0 && watch->printed >= watch->count)
    return;

  text = juice_json_node_to_text (juice_device_get_quota (device, key));
  clean_key = juice_ctl_clean (raw_key ? raw_key : key);
  clean_value = juice_ctl_clean (text);
  g_print ("%s=%s\n", clean_key, clean_value);
  fflush (stdout);

  if (++watch->printed == watch->count)
    g_main_loop_quit (watch->loop);
}

static gboolean
watch_timeout_cb (gpointer user_data)
{
  Watch *watch = user_data;

  g_main_loop_quit (watch->loop);
  return G_SOURCE_REMOVE;
}

static void
on_link_state (JuiceAccount *account,
               GParamSpec   *pspec,
               gpointer      user_data)
{
  /* Where the link stands, for whoever reads stderr; stdout stays key=value. */
  g_printerr ("juice-ctl: %s\n", juice_account_get_link_state (account));
}

int
juice_ctl_watch (JuiceCtl  *ctl,
                 char     **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JuiceAccount) account = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *id = NULL;
  JuiceCtlWait wait = { NULL };
  JuiceDevice *device;
  JuiceCloud *cloud;
  int count = 0;
  int timeout_s = 0;
  guint timeout_id = 0;
  Watch watch = { 0 };
  GOptionEntry entries[] = {
    { "count", 0, 0, G_OPTION_ARG_INT, &count,
      N_("Exit after printing N changes"), N_("N") },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout_s,
      N_("Exit after SECONDS"), N_("SECONDS") },
    { NULL }
  };

  if (!juice_ctl_parse_options (ctl, &argv, _("SN"),
                                _("Print key=value for every quota that changes, as the device "
                                  "reports it, until --count or --timeout."),
                                entries, &error))
    return juice_ctl_usage ("%s", error->message);

  if (g_strv_length (argv) != 2)
    return juice_ctl_usage (_("“watch” needs a serial number."));
  if (count < 0 || timeout_s < 0 || timeout_s > 7 * 24 * 3600)
    return juice_ctl_usage (_("--count and --timeout take positive numbers."));

  cloud = juice_ctl_open_cloud (ctl, TRUE, &error);
  if (cloud == NULL)
    return juice_ctl_fail (error);

  id = client_id ();
  account = juice_account_new (cloud, id);
  juice_account_set_mqtt_ca_file (account, ctl->ca_file);
  g_signal_connect (account, "notify::link-state", G_CALLBACK (on_link_state), NULL);

  juice_account_connect_async (account, NULL, juice_ctl_wait_cb, &wait);
  if (!juice_account_connect_finish (account, juice_ctl_wait (&wait), &error))
    {
      juice_ctl_wait_clear (&wait);
      return juice_ctl_fail (error);
    }
  juice_ctl_wait_clear (&wait);

  device = juice_account_lookup_device (account, argv[1]);
  if (device == NULL)
    {
      g_autofree char *clean = juice_ctl_clean (argv[1]);

      g_set_error (&error, JUICE_CLOUD_ERROR, JUICE_CLOUD_ERROR_DEVICE_NOT_ALLOWED,
                   _("The account has no device %s."), clean);
      return juice_ctl_fail (error);
    }

  loop = g_main_loop_new (NULL, FALSE);
  watch.ctl = ctl;
  watch.loop = loop;
  watch.count = (guint) count;
  g_signal_connect (device, "quota-changed", G_CALLBACK (on_quota_changed), &watch);
  if (timeout_s > 0)
    timeout_id = g_timeout_add_seconds (timeout_s, watch_timeout_cb, &watch);

  g_main_loop_run (loop);

  g_clear_handle_id (&timeout_id, g_source_remove);
  g_signal_handlers_disconnect_by_data (device, &watch);
  juice_account_disconnect (account);

  return JUICE_CTL_EXIT_OK;
}
