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
#include "juice-report-decoder.h"

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

typedef struct
{
  JuiceMqtt *mqtt;
  gboolean   done;
} ConnectWait;

static void
connect_state_cb (JuiceMqtt   *mqtt,
                  GParamSpec  *pspec,
                  ConnectWait *wait)
{
  JuiceMqttState state = juice_mqtt_get_state (mqtt);

  /* Connected, or the first attempt lost (HTTP is the way then). */
  if (state != JUICE_MQTT_STATE_CONNECTING && state != JUICE_MQTT_STATE_DISCONNECTED)
    wait->done = TRUE;
}

static gboolean
connect_timeout_cb (gpointer user_data)
{
  ConnectWait *wait = user_data;

  wait->done = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main context until @mqtt connects, gives up, @seconds pass or the
 * command's time is up: woken by the link's state changes, never polled. */
static gboolean
wait_connected (JuiceCtl  *ctl,
                JuiceMqtt *mqtt,
                guint      seconds)
{
  g_autoptr(GSource) timer = g_timeout_source_new_seconds (seconds);
  g_autoptr(GSource) cancelled = g_cancellable_source_new (ctl->cancellable);
  ConnectWait wait = { mqtt, FALSE };
  gulong handler;

  handler = g_signal_connect (mqtt, "notify::state", G_CALLBACK (connect_state_cb), &wait);
  connect_state_cb (mqtt, NULL, &wait);
  g_source_set_callback (timer, connect_timeout_cb, &wait, NULL);
  g_source_attach (timer, NULL);
  g_source_set_callback (cancelled, connect_timeout_cb, &wait, NULL);
  g_source_attach (cancelled, NULL);

  juice_ctl_wait_for (&wait.done);

  g_source_destroy (timer);
  g_source_destroy (cancelled);
  g_signal_handler_disconnect (mqtt, handler);

  return juice_mqtt_get_state (mqtt) == JUICE_MQTT_STATE_CONNECTED;
}

typedef struct
{
  const char   *readback_key;
  gint64        wanted;
  GCancellable *command;     /* the wait for set_reply */
  gboolean      seen;        /* a report showed the wanted value */
  const JuiceDeviceProfile *profile;  /* how its reports are shaped; may be NULL */
} ReportWatch;

#define MAX_REPORT_BYTES (64 * 1024)

/* A report from the device (untrusted) that shows the wanted value ends
 * the wait for a set_reply: the device has the change. */
static void
on_report (JuiceMqtt   *mqtt,
           const char  *topic,
           GBytes      *payload,
           ReportWatch *watch)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) params = NULL;
  JsonObjectIter iter;
  JsonNode *node;
  const char *member;
  gsize len;
  const char *data = g_bytes_get_data (payload, &len);

  if (!g_str_has_suffix (topic, "/quota") ||
      !(root = juice_json_parse (data ? data : "", len, MAX_REPORT_BYTES, 8, NULL)) ||
      !JSON_NODE_HOLDS_OBJECT (root) ||
      !(params = juice_report_decode (watch->profile, root)) ||
      !JSON_NODE_HOLDS_OBJECT (params))
    return;

  json_object_iter_init (&iter, json_node_get_object (params));
  while (json_object_iter_next (&iter, &member, &node))
    {
      gint64 value;

      if (g_ascii_strcasecmp (member, watch->readback_key) == 0 &&
          JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64 &&
          (value = json_node_get_int (node)) == watch->wanted)
        {
          g_debug ("The device reported %s = %" G_GINT64_FORMAT, member, value);
          watch->seen = TRUE;
          g_cancellable_cancel (watch->command);
        }
    }
}

static void
cancel_command (GCancellable *cancellable,
                GCancellable *command)
{
  g_cancellable_cancel (command);
}

/**
 * juice_ctl_send_over_mqtt:
 * @sent: (out): whether the device got the command over MQTT
 * @readback_key: the key that shows the setting; a report showing @wanted
 *   there ends the wait for the set_reply
 * @no_reply: (out): whether it went out but no set_reply came (in time, or
 *   before a report showed the change)
 *
 * Sends @params on /set and waits for the matching set_reply. When the link
 * cannot be had (no certification, broker unreachable), returns TRUE with
 * @sent FALSE: the caller sends over HTTP. A command that went out and was
 * refused is an error, and is not sent again; one that was not answered
 * is left to the readback to confirm (@no_reply).
 */
gboolean
juice_ctl_send_over_mqtt (JuiceCtl     *ctl,
                          JuiceCloud   *cloud,
                          const char   *serial_number,
                          JsonObject   *params,
                          const char   *readback_key,
                          gint64        wanted,
                          gboolean     *sent,
                          gboolean     *no_reply,
                          GError      **error)
{
  g_autoptr(GCancellable) command = g_cancellable_new ();
  g_autofree char *quota_topic = NULL;
  ReportWatch report = { readback_key, wanted, command, FALSE,
                         juice_device_profile_for_product (NULL, serial_number) };
  gulong cancel_id;
  g_autoptr(JuiceCloudCertification) certification = NULL;
  g_autoptr(JuiceMqtt) mqtt = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *id = NULL;
  JuiceCtlWait wait = { NULL };
  gboolean ok;

  *sent = FALSE;
  *no_reply = FALSE;

  juice_cloud_get_certification_async (cloud, ctl->cancellable, juice_ctl_wait_cb, &wait);
  certification = juice_cloud_get_certification_finish (cloud, juice_ctl_wait (&wait), &local_error);
  juice_ctl_wait_clear (&wait);
  if (certification == NULL)
    {
      if (juice_cloud_error_is_auth (local_error) ||
          g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      g_printerr (_("juice-ctl: no live link (%s); sending over HTTP.\n"), local_error->message);
      return TRUE;
    }

  id = client_id ();
  mqtt = juice_mqtt_new (certification->host, certification->port, id);
  juice_mqtt_set_ca_file (mqtt, ctl->ca_file);
  juice_mqtt_set_credentials (mqtt, certification->account, certification->password);
  quota_topic = g_strdup_printf ("/open/%s/%s/quota", certification->account, serial_number);
  juice_mqtt_subscribe (mqtt, quota_topic);
  g_signal_connect (mqtt, "message", G_CALLBACK (on_report), &report);

  if (!juice_mqtt_start (mqtt, &local_error) || !wait_connected (ctl, mqtt, CONNECT_WAIT_S))
    {
      if (g_cancellable_set_error_if_cancelled (ctl->cancellable, error))
        {
          juice_mqtt_stop (mqtt);
          return FALSE;
        }
      g_printerr (_("juice-ctl: no live link (%s); sending over HTTP.\n"),
                  local_error ? local_error->message : juice_mqtt_get_state_text (mqtt));
      juice_mqtt_stop (mqtt);
      return TRUE;
    }

  cancel_id = g_cancellable_connect (ctl->cancellable, G_CALLBACK (cancel_command), command,
                                     NULL);
  juice_mqtt_send_command_async (mqtt, certification->account, serial_number, params,
                                 COMMAND_TIMEOUT_MS, command, juice_ctl_wait_cb, &wait);
  ok = juice_mqtt_send_command_finish (mqtt, juice_ctl_wait (&wait), &local_error);
  juice_ctl_wait_clear (&wait);
  g_cancellable_disconnect (ctl->cancellable, cancel_id);
  g_signal_handlers_disconnect_by_data (mqtt, &report);
  juice_mqtt_stop (mqtt);

  /* The device showed the change before (or instead of) its set_reply. */
  if (!ok && report.seen && !g_cancellable_is_cancelled (ctl->cancellable))
    {
      g_debug ("Sent over MQTT; the device reported the change, no set_reply yet");
      *sent = TRUE;
      *no_reply = TRUE;
      return TRUE;
    }

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

  /* Out, but unanswered (a device may apply a change and not reply): the
   * readback decides. Not sent again. */
  if (g_error_matches (local_error, JUICE_DEVICE_ERROR, JUICE_DEVICE_ERROR_TIMEOUT))
    {
      g_debug ("No set_reply: %s", local_error->message);
      *no_reply = TRUE;
      return TRUE;
    }

  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}

/* watch ----------------------------------------------------------------- */

typedef struct
{
  JuiceCtl     *ctl;
  JuiceAccount *account;
  JuiceMqtt    *mqtt;          /* the account's, once it has one */
  GMainLoop    *loop;
  guint         count;
  guint         printed;
  guint         timeout_id;
  gboolean      ever_connected;
  gboolean      ready;         /* changes are printed */
  guint         n_auth_failed; /* since the last connect */
  GError       *error;         /* why the watch ends early */
  int           status;        /* its exit status */
} Watch;

static void
watch_end (Watch  *watch,
           GError *error,
           int     status)
{
  if (watch->error == NULL)
    {
      watch->error = error;
      watch->status = status;
    }
  else
    g_error_free (error);
  g_main_loop_quit (watch->loop);
}

static void
on_quota_changed (JuiceDevice *device,
                  const char  *key,
                  Watch       *watch)
{
  const JuiceDeviceProfile *profile = juice_device_get_profile (device);
  const JuiceQuotaInfo *info = profile ? juice_device_profile_lookup_quota (profile, key) : NULL;
  const char *raw_key = juice_device_get_quota_raw_key (device, key);
  g_autofree char *text = NULL;
  g_autofree char *clean_key = NULL;
  g_autofree char *clean_value = NULL;

  if (watch->count > 0 && watch->printed >= watch->count)
    return;

  clean_key = juice_ctl_clean (raw_key ? raw_key : key);
  if (!juice_ctl_format_quota (info, juice_device_get_quota (device, key), &text))
    {
      g_printerr (_("juice-ctl: %s left out: not a value of the key’s type\n"), clean_key);
      return;
    }

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

  /* Removed by returning: not to be removed again. */
  watch->timeout_id = 0;
  g_main_loop_quit (watch->loop);
  return G_SOURCE_REMOVE;
}

/* Each change of the link's state is printed once, for whoever reads
 * stderr (stdout stays key=value); a countdown is not a change. A failure
 * retrying cannot fix ends the watch. */
static void
on_mqtt_state (JuiceMqtt  *mqtt,
               GParamSpec *pspec,
               Watch      *watch)
{
  const GError *error = juice_mqtt_get_error (mqtt);

  /* "Connected" once the subscriptions stand: see on_mqtt_connected. Not
   * started yet, or stopped at the end: nothing to say. */
  if (juice_mqtt_get_state (mqtt) == JUICE_MQTT_STATE_CONNECTED ||
      juice_mqtt_get_state (mqtt) == JUICE_MQTT_STATE_DISCONNECTED)
    return;

  g_printerr ("juice-ctl: %s\n", juice_mqtt_get_state_text (mqtt));

  if (juice_mqtt_get_state (mqtt) != JUICE_MQTT_STATE_FAILED || error == NULL)
    return;

  /* Refused credentials are renewed once by the account: see on_auth_failed. */
  if (g_error_matches (error, JUICE_MQTT_ERROR, JUICE_MQTT_ERROR_AUTH))
    return;

  watch_end (watch, g_error_copy (error), JUICE_CTL_EXIT_ERROR);
}

static void
on_mqtt_connected (JuiceMqtt *mqtt,
                   Watch     *watch)
{
  watch->ever_connected = TRUE;
  watch->n_auth_failed = 0;
  /* Subscribed: reports reach the watch from here on. Said once the watch
   * prints them too (see juice_ctl_watch). */
  if (watch->ready)
    g_printerr ("juice-ctl: %s\n", juice_mqtt_get_state_text (mqtt));
}

static void
on_auth_failed (JuiceMqtt *mqtt,
                Watch     *watch)
{
  /* The account asks for fresh credentials after the first refusal (its
   * handler ran first); a second refusal in a row is the account's. */
  if (++watch->n_auth_failed < 2)
    return;

  watch_end (watch,
             g_error_new_literal (JUICE_MQTT_ERROR, JUICE_MQTT_ERROR_AUTH,
                                  _("The MQTT broker refused the account’s credentials, "
                                    "fresh ones too.")),
             JUICE_CTL_EXIT_AUTH);
}

static void
on_link_state (JuiceAccount *account,
               GParamSpec   *pspec,
               Watch        *watch)
{
  /* Fresh credentials could not be had: the link stays down. */
  if (watch->mqtt != NULL && watch->n_auth_failed > 0 &&
      juice_mqtt_get_state (watch->mqtt) == JUICE_MQTT_STATE_FAILED &&
      g_strcmp0 (juice_account_get_link_state (account),
                 juice_mqtt_get_state_text (watch->mqtt)) != 0)
    watch_end (watch,
               g_error_new_literal (JUICE_MQTT_ERROR, JUICE_MQTT_ERROR_AUTH,
                                    juice_account_get_link_state (account)),
               JUICE_CTL_EXIT_AUTH);
}

static void
on_account_mqtt (JuiceAccount *account,
                 GParamSpec   *pspec,
                 Watch        *watch)
{
  JuiceMqtt *mqtt = juice_account_get_mqtt (account);

  if (mqtt == NULL || mqtt == watch->mqtt)
    return;

  g_assert (watch->mqtt == NULL);
  watch->mqtt = g_object_ref (mqtt);
  g_signal_connect (mqtt, "notify::state", G_CALLBACK (on_mqtt_state), watch);
  g_signal_connect (mqtt, "connected", G_CALLBACK (on_mqtt_connected), watch);
  g_signal_connect (mqtt, "auth-failed", G_CALLBACK (on_auth_failed), watch);
  on_mqtt_state (mqtt, NULL, watch);
}

int
juice_ctl_watch (JuiceCtl  *ctl,
                 char     **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JuiceAccount) account = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *id = NULL;
  g_autofree char *clean_sn = NULL;
  JuiceCtlWait wait = { NULL };
  JuiceDevice *device;
  JuiceCloud *cloud;
  int count = 0;
  int timeout_s = 0;
  int status;
  Watch watch = { 0 };
  GOptionEntry entries[] = {
    { "count", 0, 0, G_OPTION_ARG_INT, &count,
      N_("Exit after printing N changes"), N_("N") },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout_s,
      N_("Exit after SECONDS (0, the default: no limit)"), N_("SECONDS") },
    { NULL }
  };

  if (!juice_ctl_parse_options (ctl, &argv, _("SN"),
                                _("Print key=value for every quota that changes, as the device "
                                  "reports it, until --count or --timeout. Ends at once, with "
                                  "exit status 1 (3 when the broker refused the account), when "
                                  "the link meets an error retrying cannot fix; exit status 1 "
                                  "too when --timeout passes and the link never connected."),
                                entries, &error))
    return juice_ctl_usage ("%s", error->message);

  if (g_strv_length (argv) != 2)
    return juice_ctl_usage (_("“watch” needs a serial number."));
  if (count < 0 || timeout_s < 0 || timeout_s > 7 * 24 * 3600)
    return juice_ctl_usage (_("--count takes 0 or more; --timeout 0 (no limit) to 604800 "
                              "seconds."));
  if (!juice_ctl_check_serial_number (argv[1], &error))
    return juice_ctl_usage ("%s", error->message);
  clean_sn = juice_ctl_clean (argv[1]);

  cloud = juice_ctl_open_cloud (ctl, TRUE, &error);
  if (cloud == NULL)
    return juice_ctl_fail (error);

  loop = g_main_loop_new (NULL, FALSE);
  watch.ctl = ctl;
  watch.loop = loop;
  watch.count = (guint) count;

  id = client_id ();
  account = juice_account_new (cloud, id);
  watch.account = account;
  /* Only this device: one quota/all per (re)connect, one subscription. */
  juice_account_set_only_device (account, argv[1]);
  juice_account_set_mqtt_ca_file (account, ctl->ca_file);
  g_signal_connect (account, "notify::mqtt", G_CALLBACK (on_account_mqtt), &watch);
  g_signal_connect (account, "notify::link-state", G_CALLBACK (on_link_state), &watch);

  juice_account_connect_async (account, ctl->cancellable, juice_ctl_wait_cb, &wait);
  if (!juice_account_connect_finish (account, juice_ctl_wait (&wait), &error))
    {
      juice_ctl_wait_clear (&wait);
      status = juice_ctl_fail (error);
      goto out;
    }
  juice_ctl_wait_clear (&wait);
  /* Connected to the API: from here --timeout bounds the watch. */
  juice_ctl_stop_deadline (ctl);

  device = juice_account_lookup_device (account, argv[1]);
  if (device == NULL)
    {
      g_set_error (&error, JUICE_CLOUD_ERROR, JUICE_CLOUD_ERROR_DEVICE_NOT_ALLOWED,
                   _("The account has no device %s."), clean_sn);
      status = juice_ctl_fail (error);
      goto out;
    }

  /* No live link at all (no broker credentials): nothing would come. */
  if (juice_account_get_mqtt (account) == NULL)
    {
      g_printerr ("juice-ctl: %s\n", juice_account_get_link_state (account));
      status = JUICE_CTL_EXIT_ERROR;
      goto out;
    }

  g_signal_connect (device, "quota-changed", G_CALLBACK (on_quota_changed), &watch);
  watch.ready = TRUE;
  if (juice_mqtt_get_state (watch.mqtt) == JUICE_MQTT_STATE_CONNECTED && watch.ever_connected)
    g_printerr ("juice-ctl: %s\n", juice_mqtt_get_state_text (watch.mqtt));
  if (timeout_s > 0)
    watch.timeout_id = g_timeout_add_seconds ((guint) timeout_s, watch_timeout_cb, &watch);

  /* A failure may have come while connecting. */
  if (watch.error == NULL)
    g_main_loop_run (loop);

  g_clear_handle_id (&watch.timeout_id, g_source_remove);
  g_signal_handlers_disconnect_by_data (device, &watch);

  if (watch.error != NULL)
    {
      g_printerr ("juice-ctl: %s\n", watch.error->message);
      status = watch.status;
    }
  else if (!watch.ever_connected && (watch.count == 0 || watch.printed < watch.count))
    {
      g_printerr (_("juice-ctl: the live link to %s never connected within %d s (%s).\n"),
                  clean_sn, timeout_s, juice_mqtt_get_state_text (watch.mqtt));
      status = JUICE_CTL_EXIT_ERROR;
    }
  else
    status = JUICE_CTL_EXIT_OK;

out:
  g_signal_handlers_disconnect_by_data (account, &watch);
  if (watch.mqtt != NULL)
    g_signal_handlers_disconnect_by_data (watch.mqtt, &watch);
  juice_account_disconnect (account);
  g_clear_object (&watch.mqtt);
  g_clear_error (&watch.error);

  return status;
}
