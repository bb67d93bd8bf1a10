/* juice-account-link.c: JuiceAccount's MQTT link
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "juice-account"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "juice-account.h"
#include "juice-account-private.h"
#include "juice-report-coalescer.h"
#include "juice-cloud-error.h"
#include "juice-error.h"
#include "juice-json.h"

#define MAX_STATUS_BYTES       4096
/* Fresh broker credentials are fetched once per refusal; a second refusal
 * in a row means the account itself is the problem. */
#define MAX_CREDENTIAL_RENEWALS 1

static void
set_link_state (JuiceAccount *self,
                const char   *text)
{
  if (g_strcmp0 (self->link_state, text) == 0)
    return;

  g_free (self->link_state);
  self->link_state = g_strdup (text);
  g_object_notify_by_pspec (G_OBJECT (self), _juice_account_properties[PROP_LINK_STATE]);
}

/* MQTT ------------------------------------------------------------------ */

static void
ignore (JuiceAccount *self,
        const char   *topic,
        const char   *why)
{
  self->n_ignored++;
  g_debug ("Ignored a message on a topic of %zu bytes: %s", strlen (topic), why);
}

gboolean
_juice_account_parse_status (const char *data,
                             gsize       length,
                             gint64     *status)
{
  g_autoptr(JsonNode) root = NULL;
  JsonNode *params;

  root = juice_json_parse (data != NULL ? data : "", length, MAX_STATUS_BYTES, 8, NULL);
  return root != NULL && JSON_NODE_HOLDS_OBJECT (root) &&
         (params = json_object_get_member (json_node_get_object (root), "params")) != NULL &&
         JSON_NODE_HOLDS_OBJECT (params) &&
         juice_json_node_get_int (json_object_get_member (json_node_get_object (params),
                                                          "status"),
                                  status);
}

static void
handle_status (JuiceAccount *self,
               Slot         *slot,
               GBytes       *payload)
{
  gint64 status;
  gsize len;
  const char *data = g_bytes_get_data (payload, &len);

  if (!_juice_account_parse_status (data, len, &status))
    {
      ignore (self, "status", "not a status message");
      return;
    }

  juice_device_set_online (slot->device, status != 0);
  if (status != 0)
    _juice_account_slot_heard (self, slot);
}

static void
on_message (JuiceMqtt    *mqtt,
            const char   *topic,
            GBytes       *payload,
            JuiceAccount *self)
{
  g_autofree char *serial_number = NULL;
  const char *rest, *slash;
  Slot *slot;

  if (self->topic_prefix == NULL || !g_str_has_prefix (topic, self->topic_prefix))
    {
      ignore (self, topic, "unknown topic");
      return;
    }

  rest = topic + strlen (self->topic_prefix);
  if (!(slash = strchr (rest, '/')))
    {
      ignore (self, topic, "no serial number");
      return;
    }

  serial_number = g_strndup (rest, slash - rest);
  if (!(slot = g_hash_table_lookup (self->slots, serial_number)))
    {
      ignore (self, topic, "unknown device");
      return;
    }

  if (strcmp (slash, "/quota") == 0)
    {
      g_autoptr(GError) error = NULL;
      gsize len;
      const char *data = g_bytes_get_data (payload, &len);

      if (!juice_report_coalescer_push (slot->reports, data ? data : "", len, &error))
        {
          ignore (self, topic, error->message);
          return;
        }

      /* A device that reports is online, whatever it said before. */
      juice_device_set_online (slot->device, TRUE);
      _juice_account_slot_heard (self, slot);
    }
  else if (strcmp (slash, "/status") == 0)
    handle_status (self, slot, payload);
  else if (strcmp (slash, "/set_reply") != 0 && strcmp (slash, "/set") != 0)
    ignore (self, topic, "unknown topic");
}

static void
sync_link_state (JuiceAccount *self)
{
  JuiceMqttState state = juice_mqtt_get_state (self->mqtt);

  /* A link lost before its first "connected" (subscriptions confirmed)
   * makes the quotas fetched at the start stale: the next one fetches. */
  if (state != JUICE_MQTT_STATE_CONNECTING && state != JUICE_MQTT_STATE_CONNECTED)
    self->connect_fetched = FALSE;

  set_link_state (self, juice_mqtt_get_state_text (self->mqtt));
}

static void
on_connected (JuiceMqtt    *mqtt,
              JuiceAccount *self)
{
  self->n_renewals = 0;

  /* connect_async fetched quota/all as it started the link: once per
   * (re)connect, not twice at start. */
  if (self->connect_fetched)
    {
      self->connect_fetched = FALSE;
      return;
    }

  g_debug ("Live link up: fetching every device's quotas");
  juice_account_refresh (self);
}

static void start_link (JuiceAccount            *self,
                        JuiceCloudCertification *certification);

static void
renew_certification_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(JuiceAccount) self = user_data;
  g_autoptr(JuiceCloudCertification) certification = NULL;
  g_autoptr(GError) error = NULL;

  self->renewing = FALSE;
  certification = juice_cloud_get_certification_finish (JUICE_CLOUD (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (certification == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Failed: %s"), error->message);

      set_link_state (self, text);
      return;
    }

  start_link (self, certification);
}

static void
on_auth_failed (JuiceMqtt    *mqtt,
                JuiceAccount *self)
{
  if (self->renewing)
    return;

  if (self->n_renewals >= MAX_CREDENTIAL_RENEWALS)
    {
      set_link_state (self, _("Failed: the broker refused the account’s credentials"));
      return;
    }

  /* The broker refused the old credentials: ask the cloud for fresh ones. */
  self->n_renewals++;
  self->renewing = TRUE;
  juice_cloud_get_certification_async (self->cloud, self->cancellable,
                                       renew_certification_cb, g_object_ref (self));
}

/* The broker refused a device's topic: its live values will not come, so
 * the device page says so (the link itself stays up for the others). */
static void
on_subscription_failed (JuiceMqtt    *mqtt,
                        const char   *topic_filter,
                        const GError *error,
                        JuiceAccount *self)
{
  g_autofree char *serial_number = NULL;
  g_autofree char *problem = NULL;
  JuiceDevice *device;
  const char *rest;
  const char *slash;

  if (!g_str_has_prefix (topic_filter, self->topic_prefix))
    return;
  rest = topic_filter + strlen (self->topic_prefix);
  slash = strchr (rest, '/');
  if (slash == NULL)
    return;
  serial_number = g_strndup (rest, slash - rest);
  device = juice_account_lookup_device (self, serial_number);
  if (device == NULL)
    return;

  problem = g_strdup_printf (_("Live values of this device cannot be received: %s"),
                             error != NULL ? error->message : _("the broker refused them"));
  juice_device_set_problem (device, problem);
}

static void
subscribe_devices (JuiceAccount *self)
{
  GHashTableIter iter;
  const char *serial_number;

  g_hash_table_iter_init (&iter, self->slots);
  while (g_hash_table_iter_next (&iter, (gpointer *)&serial_number, NULL))
    {
      g_autofree char *quota = g_strconcat (self->topic_prefix, serial_number, "/quota", NULL);
      g_autofree char *status = g_strconcat (self->topic_prefix, serial_number, "/status", NULL);

      juice_mqtt_subscribe (self->mqtt, quota);
      juice_mqtt_subscribe (self->mqtt, status);
    }
}

static void
start_link (JuiceAccount            *self,
            JuiceCloudCertification *certification)
{
  g_autoptr(GError) error = NULL;

  if (self->mqtt == NULL)
    {
      self->mqtt = juice_mqtt_new (certification->host, certification->port, self->mqtt_client_id);
      g_signal_connect_object (self->mqtt, "message", G_CALLBACK (on_message), self, 0);
      g_signal_connect_object (self->mqtt, "connected", G_CALLBACK (on_connected), self, 0);
      g_signal_connect_object (self->mqtt, "auth-failed", G_CALLBACK (on_auth_failed), self, 0);
      g_signal_connect_object (self->mqtt, "subscription-failed",
                               G_CALLBACK (on_subscription_failed), self, 0);
      g_signal_connect_object (self->mqtt, "notify::state-text", G_CALLBACK (sync_link_state),
                               self, G_CONNECT_SWAPPED);
      g_object_notify_by_pspec (G_OBJECT (self), _juice_account_properties[PROP_MQTT]);
    }
  else
    {
      juice_mqtt_set_host (self->mqtt, certification->host);
      juice_mqtt_set_port (self->mqtt, certification->port);
    }

  juice_mqtt_set_ca_file (self->mqtt, self->mqtt_ca_file);
  juice_mqtt_set_credentials (self->mqtt, certification->account, certification->password);

  g_free (self->mqtt_account);
  self->mqtt_account = g_strdup (certification->account);
  g_free (self->topic_prefix);
  self->topic_prefix = g_strdup_printf ("/open/%s/", certification->account);

  subscribe_devices (self);

  if (!juice_mqtt_start (self->mqtt, &error))
    {
      g_autofree char *text = g_strdup_printf (_("Failed: %s"), error->message);

      set_link_state (self, text);
      return;
    }

  sync_link_state (self);
}

/* Connecting ------------------------------------------------------------ */

/* A connect stops when its caller cancels it or the account disconnects:
 * its cloud calls use a cancellable that follows both. */
typedef struct
{
  guint         pending;
  GCancellable *cancellable;      /* what the cloud calls use */
  GCancellable *caller;
  gulong        caller_id;
  GCancellable *account;
  gulong        account_id;
} ConnectData;

static void
follow_cancelled (GCancellable *cancellable,
                  GCancellable *follower)
{
  g_cancellable_cancel (follower);
}

static void
connect_data_free (ConnectData *data)
{
  g_cancellable_disconnect (data->caller, data->caller_id);
  g_cancellable_disconnect (data->account, data->account_id);
  g_clear_object (&data->caller);
  g_clear_object (&data->account);
  g_clear_object (&data->cancellable);
  g_free (data);
}

static void
connect_quotas_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ConnectData *data = g_task_get_task_data (task);

  /* A device whose quotas failed says so ("problem") and shows what comes
   * over MQTT later. */
  g_task_propagate_boolean (G_TASK (result), NULL);

  if (--data->pending == 0)
    g_task_return_boolean (task, TRUE);
}

static void
connect_certification_cb (GObject      *object,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  JuiceAccount *self = g_task_get_source_object (task);
  ConnectData *data = g_task_get_task_data (task);
  g_autoptr(JuiceCloudCertification) certification = NULL;
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  const char *serial_number;

  certification = juice_cloud_get_certification_finish (JUICE_CLOUD (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (certification == NULL)
    {
      /* Without the live link the devices still work over HTTP. */
      g_autofree char *text = g_strdup_printf (_("Failed: %s"), error->message);

      set_link_state (self, text);
    }
  else
    {
      start_link (self, certification);
      self->connect_fetched = self->mqtt != NULL &&
                              juice_mqtt_get_state (self->mqtt) == JUICE_MQTT_STATE_CONNECTING;
    }

  data->pending = g_hash_table_size (self->slots);
  if (data->pending == 0)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  g_hash_table_iter_init (&iter, self->slots);
  while (g_hash_table_iter_next (&iter, (gpointer *)&serial_number, NULL))
    _juice_account_fetch_all_quotas (self, serial_number, connect_quotas_cb, g_object_ref (task));
}

static void
connect_devices_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  JuiceAccount *self = g_task_get_source_object (task);
  ConnectData *data = g_task_get_task_data (task);
  g_autoptr(GPtrArray) infos = NULL;
  g_autoptr(GError) error = NULL;

  infos = juice_cloud_list_devices_finish (JUICE_CLOUD (object), result, &error);
  if (infos == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  for (guint i = 0; i < infos->len; i++)
    {
      JuiceCloudDeviceInfo *info = g_ptr_array_index (infos, i);
      Slot *slot;

      if (self->only_serial_number != NULL &&
          g_strcmp0 (info->serial_number, self->only_serial_number) != 0)
        continue;

      slot = _juice_account_ensure_slot (self, info->serial_number, info->product);

      juice_device_set_name (slot->device, info->name);
      if (info->product != NULL)
        juice_device_set_product (slot->device, info->product);
      juice_device_set_online (slot->device, info->online);
    }

  juice_cloud_get_certification_async (self->cloud, data->cancellable,
                                       connect_certification_cb, g_steal_pointer (&task));
}

void
juice_account_connect_async (JuiceAccount        *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task;
  ConnectData *data;

  g_return_if_fail (JUICE_IS_ACCOUNT (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, juice_account_connect_async);

  data = g_new0 (ConnectData, 1);
  data->cancellable = g_cancellable_new ();
  data->account = g_object_ref (self->cancellable);
  data->account_id = g_cancellable_connect (data->account, G_CALLBACK (follow_cancelled),
                                            g_object_ref (data->cancellable), g_object_unref);
  if (cancellable != NULL)
    {
      data->caller = g_object_ref (cancellable);
      data->caller_id = g_cancellable_connect (cancellable, G_CALLBACK (follow_cancelled),
                                               g_object_ref (data->cancellable), g_object_unref);
    }
  g_task_set_task_data (task, data, (GDestroyNotify) connect_data_free);

  set_link_state (self, _("Connecting"));
  juice_cloud_list_devices_async (self->cloud, data->cancellable, connect_devices_cb, task);
}

gboolean
juice_account_connect_finish (JuiceAccount  *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Stops everything in flight: fetches, read-backs, commands, the link. */
void
juice_account_disconnect (JuiceAccount *self)
{
  GHashTableIter iter;
  Slot *slot;

  g_return_if_fail (JUICE_IS_ACCOUNT (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  _juice_account_stop_readbacks (self);

  g_hash_table_iter_init (&iter, self->slots);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&slot))
    {
      juice_device_cancel_commands (slot->device);
      g_source_set_ready_time (slot->silence, -1);
    }

  if (self->mqtt != NULL)
    juice_mqtt_stop (self->mqtt);
  set_link_state (self, _("Disconnected"));
}

