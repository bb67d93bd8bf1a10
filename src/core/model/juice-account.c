/* juice-account.c
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

#define COMMAND_TIMEOUT_MS     10000
#define DEFAULT_SILENCE        300
#define MAX_STATUS_BYTES       4096
/* Fresh broker credentials are fetched once per refusal; a second refusal
 * in a row means the account itself is the problem. */
#define MAX_CREDENTIAL_RENEWALS 1

/* Live reports closer together than this are applied together (see
 * juice-report-coalescer.h): a device's usual one a second is applied as it
 * comes. */
#define REPORT_INTERVAL_MS 50

typedef struct
{
  JuiceDevice          *device;
  GSource              *silence;   /* fires when the device has been quiet too long */
  JuiceReportCoalescer *reports;
} Slot;

struct _JuiceAccount
{
  GObject       parent_instance;

  /* owned references */
  JuiceCloud   *cloud;
  JuiceMqtt    *mqtt;
  GListStore   *devices;
  GHashTable   *slots;           /* serial number -> Slot */
  GCancellable *cancellable;     /* the account's own fetches; replaced at disconnect */
  GMainContext *context;         /* where the account was made: its sources run there */
  GPtrArray    *readbacks;       /* Readback: HTTP read-backs waiting or on their way */
  char         *mqtt_client_id;
  char         *mqtt_ca_file;
  char         *mqtt_account;    /* certificateAccount: the topic prefix */
  char         *topic_prefix;    /* "/open/<account>/" */
  char         *link_state;
  char         *only_serial_number; /* NULL: every device of the account */

  /* state */
  guint         silence_seconds;
  guint         n_ignored;
  guint         n_renewals;
  guint         renewing : 1;
  guint         connect_fetched : 1;  /* the first "connected" needs no fetch of its own */
};

static void juice_account_transport_iface_init (JuiceTransportInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (JuiceAccount, juice_account, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (JUICE_TYPE_TRANSPORT,
                                                      juice_account_transport_iface_init))

enum {
  PROP_0,
  PROP_DEVICES,
  PROP_MQTT,
  PROP_LINK_STATE,
  PROP_SILENCE_SECONDS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_link_state (JuiceAccount *self,
                const char   *text)
{
  if (g_strcmp0 (self->link_state, text) == 0)
    return;

  g_free (self->link_state);
  self->link_state = g_strdup (text);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LINK_STATE]);
}

/* Devices --------------------------------------------------------------- */

static gboolean
silence_cb (gpointer user_data)
{
  Slot *slot = user_data;

  g_debug ("%s: silent too long, shown offline", juice_device_get_serial_number (slot->device));
  g_source_set_ready_time (slot->silence, -1);
  juice_device_set_online (slot->device, FALSE);
  juice_device_set_stale (slot->device, TRUE);

  return G_SOURCE_CONTINUE;
}

static gboolean
silence_dispatch (GSource     *source,
                  GSourceFunc  callback,
                  gpointer     user_data)
{
  return callback (user_data);
}

static GSourceFuncs silence_funcs = { NULL, NULL, silence_dispatch, NULL, NULL, NULL };

static void
slot_free (gpointer data)
{
  Slot *slot = data;

  g_source_destroy (slot->silence);
  g_source_unref (slot->silence);
  g_clear_pointer (&slot->reports, juice_report_coalescer_free);
  g_clear_object (&slot->device);
  g_free (slot);
}

/* A report arrived: the device is alive. One timer per device, moved on each
 * report rather than polled, so a quiet link wakes nobody. */
static void
slot_heard (JuiceAccount *self,
            Slot         *slot)
{
  g_source_set_ready_time (slot->silence,
                           g_get_monotonic_time () + self->silence_seconds * G_USEC_PER_SEC);
}

static Slot *
ensure_slot (JuiceAccount *self,
             const char   *serial_number,
             const char   *product)
{
  Slot *slot = g_hash_table_lookup (self->slots, serial_number);

  if (slot != NULL)
    return slot;

  slot = g_new0 (Slot, 1);
  slot->device = juice_device_new (serial_number,
                                   juice_device_profile_for_product (product, serial_number));
  juice_device_set_transport (slot->device, JUICE_TRANSPORT (self));

  slot->silence = g_source_new (&silence_funcs, sizeof (GSource));
  g_source_set_static_name (slot->silence, "[juice-account] silence");
  g_source_set_callback (slot->silence, silence_cb, slot, NULL);
  g_source_set_ready_time (slot->silence, -1);
  g_source_attach (slot->silence, self->context);
  slot->reports = juice_report_coalescer_new (slot->device, self->context, REPORT_INTERVAL_MS);

  g_hash_table_insert (self->slots, g_strdup (serial_number), slot);
  g_list_store_append (self->devices, slot->device);

  return slot;
}

static void
apply_quotas (JuiceAccount *self,
              const char   *serial_number,
              JsonObject   *quotas)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  Slot *slot = g_hash_table_lookup (self->slots, serial_number);

  if (slot == NULL || quotas == NULL)
    return;

  /* Live values that came before these go first. */
  juice_report_coalescer_flush (slot->reports);
  node = json_node_init_object (json_node_alloc (), quotas);
  if (juice_device_apply_report (slot->device, node, &error) < 0)
    g_debug ("%s: quotas not applied: %s", serial_number, error->message);
}

static void
all_quotas_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  JuiceAccount *self = g_task_get_source_object (task);
  const char *serial_number = g_task_get_task_data (task);
  g_autoptr(JsonObject) quotas = NULL;
  g_autoptr(GError) error = NULL;
  JuiceDevice *device;

  quotas = juice_cloud_get_all_quotas_finish (JUICE_CLOUD (object), result, &error);
  device = juice_account_lookup_device (self, serial_number);

  if (quotas == NULL)
    {
      g_debug ("%s: quota/all failed: %s", serial_number, error->message);

      /* A cancellation is nobody's problem; data: null while the device is
       * offline is what "offline" already says. Anything else is shown. */
      if (device != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
          !(g_error_matches (error, JUICE_CLOUD_ERROR, JUICE_CLOUD_ERROR_NO_DATA) &&
            !juice_device_get_online (device)))
        {
          g_autofree char *problem =
            g_strdup_printf (_("Could not load this device’s values: %s"), error->message);

          juice_device_set_problem (device, problem);
        }

      g_task_return_boolean (task, FALSE);
      return;
    }

  if (device != NULL)
    juice_device_set_problem (device, NULL);
  apply_quotas (self, serial_number, quotas);
  g_task_return_boolean (task, TRUE);
}

/* Fetches quota/all for one device; @callback may be NULL. */
static void
fetch_all_quotas (JuiceAccount        *self,
                  const char          *serial_number,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  GTask *task = g_task_new (self, self->cancellable, callback, user_data);

  g_task_set_source_tag (task, fetch_all_quotas);
  g_task_set_task_data (task, g_strdup (serial_number), g_free);
  juice_cloud_get_all_quotas_async (self->cloud, serial_number, self->cancellable,
                                    all_quotas_cb, task);
}

void
juice_account_refresh (JuiceAccount *self)
{
  GHashTableIter iter;
  const char *serial_number;

  g_return_if_fail (JUICE_IS_ACCOUNT (self));

  g_hash_table_iter_init (&iter, self->slots);
  while (g_hash_table_iter_next (&iter, (gpointer *)&serial_number, NULL))
    fetch_all_quotas (self, serial_number, NULL, NULL);
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
    slot_heard (self, slot);
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
      slot_heard (self, slot);
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
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MQTT]);
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
    fetch_all_quotas (self, serial_number, connect_quotas_cb, g_object_ref (task));
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

      slot = ensure_slot (self, info->serial_number, info->product);

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

static void stop_readbacks (JuiceAccount *self);

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

  stop_readbacks (self);

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

/* JuiceTransport -------------------------------------------------------- */

static void
http_set_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (juice_cloud_set_quota_finish (JUICE_CLOUD (object), result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
send_over_http (JuiceAccount *self,
                GTask        *task)
{
  JsonObject *params = g_object_get_data (G_OBJECT (task), "params");
  const char *serial_number = g_task_get_task_data (task);

  juice_cloud_set_quota_async (self->cloud, serial_number, params,
                               g_task_get_cancellable (task), http_set_cb, task);
}

static void
mqtt_set_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  GTask *task = user_data;
  JuiceAccount *self = g_task_get_source_object (task);
  GError *error = NULL;

  if (juice_mqtt_send_command_finish (JUICE_MQTT (object), result, &error))
    {
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }

  /* Never sent: the link went down in between. Safe to send another way.
   * A lost connection after sending is not: the device may have it. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED))
    {
      g_clear_error (&error);
      send_over_http (self, task);
      return;
    }

  g_task_return_error (task, error);
  g_object_unref (task);
}

static void
juice_account_send_command_async (JuiceTransport      *transport,
                                  const char          *serial_number,
                                  JsonObject          *params,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  JuiceAccount *self = JUICE_ACCOUNT (transport);
  GTask *task;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, juice_account_send_command_async);
  g_task_set_task_data (task, g_strdup (serial_number), g_free);
  g_object_set_data_full (G_OBJECT (task), "params", json_object_ref (params),
                          (GDestroyNotify) json_object_unref);

  if (self->mqtt != NULL && juice_mqtt_get_state (self->mqtt) == JUICE_MQTT_STATE_CONNECTED)
    juice_mqtt_send_command_async (self->mqtt, self->mqtt_account, serial_number, params,
                                   COMMAND_TIMEOUT_MS, cancellable, mqtt_set_cb, task);
  else
    send_over_http (self, task);
}

static gboolean
juice_account_send_command_finish (JuiceTransport  *transport,
                                   GAsyncResult    *result,
                                   GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, transport), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Reading back over HTTP: the device applies a change a moment after it
 * accepted it, so ask again a few times, until nothing waits for these keys.
 * A read-back does not keep the account alive: it holds a weak reference,
 * and disconnecting stops its timer and cancels its request. */
static const guint readback_delays_ms[] = { 0, 700, 1500, 3000, 5000 };

typedef struct
{
  GWeakRef  account;
  char     *serial_number;
  char    **keys;
  guint     attempt;
  GSource  *timer;        /* waiting for the next attempt */
} Readback;

static void
readback_free (Readback *readback)
{
  if (readback->timer != NULL)
    {
      g_source_destroy (readback->timer);
      g_clear_pointer (&readback->timer, g_source_unref);
    }
  g_weak_ref_clear (&readback->account);
  g_free (readback->serial_number);
  g_strfreev (readback->keys);
  g_free (readback);
}

/* The account forgets @readback; it is freed here or, when a request is on
 * its way, by that request's callback. */
static void
readback_forget (JuiceAccount *self,
                 Readback     *readback)
{
  g_ptr_array_remove_fast (self->readbacks, readback);
  g_weak_ref_set (&readback->account, NULL);
}

static void
stop_readbacks (JuiceAccount *self)
{
  while (self->readbacks->len > 0)
    {
      Readback *readback = g_ptr_array_index (self->readbacks, self->readbacks->len - 1);
      gboolean waiting = readback->timer != NULL;

      readback_forget (self, readback);
      /* on its way: the cancelled request's callback frees it */
      if (waiting)
        readback_free (readback);
    }
}

static gboolean
readback_still_wanted (JuiceAccount *self,
                       Readback     *readback)
{
  JuiceDevice *device = juice_account_lookup_device (self, readback->serial_number);
  const JuiceDeviceProfile *profile;

  if (device == NULL || !(profile = juice_device_get_profile (device)))
    return FALSE;

  for (guint i = 0; readback->keys[i] != NULL; i++)
    {
      const JuiceSettingInfo *setting = juice_device_profile_setting_for_key (profile, readback->keys[i]);

      if (setting != NULL && juice_device_is_setting_pending (device, setting->name))
        return TRUE;
    }

  return FALSE;
}

static void readback_fetch (JuiceAccount *self,
                            Readback     *readback);

static gboolean
readback_timeout_cb (gpointer user_data)
{
  Readback *readback = user_data;
  g_autoptr(JuiceAccount) self = g_weak_ref_get (&readback->account);

  g_clear_pointer (&readback->timer, g_source_unref);
  g_assert (self != NULL);
  readback_fetch (self, readback);

  return G_SOURCE_REMOVE;
}

static void
readback_next (JuiceAccount *self,
               Readback     *readback)
{
  JuiceMqtt *mqtt = self->mqtt;

  /* Over a live link the device reports the change by itself. */
  if (++readback->attempt >= G_N_ELEMENTS (readback_delays_ms) ||
      (mqtt != NULL && juice_mqtt_get_state (mqtt) == JUICE_MQTT_STATE_CONNECTED) ||
      !readback_still_wanted (self, readback))
    {
      readback_forget (self, readback);
      readback_free (readback);
      return;
    }

  readback->timer = g_timeout_source_new (readback_delays_ms[readback->attempt]);
  g_source_set_static_name (readback->timer, "[juice-account] read-back");
  g_source_set_callback (readback->timer, readback_timeout_cb, readback, NULL);
  g_source_attach (readback->timer, self->context);
}

static void
request_quotas_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Readback *readback = user_data;
  g_autoptr(JuiceAccount) self = g_weak_ref_get (&readback->account);
  g_autoptr(JsonObject) quotas = NULL;
  g_autoptr(GError) error = NULL;

  quotas = juice_cloud_get_quotas_finish (JUICE_CLOUD (object), result, &error);

  /* Disconnected or gone while the request was on its way. */
  if (self == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      if (self != NULL)
        readback_forget (self, readback);
      readback_free (readback);
      return;
    }

  if (quotas == NULL)
    g_debug ("Reading back failed: %s", error->message);
  else
    apply_quotas (self, readback->serial_number, quotas);

  readback_next (self, readback);
}

static void
readback_fetch (JuiceAccount *self,
                Readback     *readback)
{
  juice_cloud_get_quotas_async (self->cloud, readback->serial_number,
                                (const char * const *) readback->keys,
                                self->cancellable, request_quotas_cb, readback);
}

static void
juice_account_request_quotas (JuiceTransport     *transport,
                              const char         *serial_number,
                              const char * const *keys)
{
  JuiceAccount *self = JUICE_ACCOUNT (transport);
  Readback *readback;

  if (g_hash_table_lookup (self->slots, serial_number) == NULL)
    return;

  /* Every value: quota/all, which also sets or clears the device's problem. */
  if (keys == NULL)
    {
      fetch_all_quotas (self, serial_number, NULL, NULL);
      return;
    }

  readback = g_new0 (Readback, 1);
  g_weak_ref_init (&readback->account, self);
  readback->serial_number = g_strdup (serial_number);
  readback->keys = g_strdupv ((char **) keys);
  g_ptr_array_add (self->readbacks, readback);
  readback_fetch (self, readback);
}

static void
juice_account_transport_iface_init (JuiceTransportInterface *iface)
{
  iface->send_command_async = juice_account_send_command_async;
  iface->send_command_finish = juice_account_send_command_finish;
  iface->request_quotas = juice_account_request_quotas;
}

/* GObject --------------------------------------------------------------- */

static void
juice_account_dispose (GObject *object)
{
  JuiceAccount *self = (JuiceAccount *)object;

  g_cancellable_cancel (self->cancellable);
  stop_readbacks (self);
  if (self->mqtt != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->mqtt, self);
      juice_mqtt_stop (self->mqtt);
    }
  g_clear_object (&self->mqtt);
  {
    GHashTableIter iter;
    Slot *slot;

    g_hash_table_iter_init (&iter, self->slots);
    while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&slot))
      juice_device_cancel_commands (slot->device);
  }
  g_hash_table_remove_all (self->slots);
  g_list_store_remove_all (self->devices);

  G_OBJECT_CLASS (juice_account_parent_class)->dispose (object);
}

static void
juice_account_finalize (GObject *object)
{
  JuiceAccount *self = (JuiceAccount *)object;

  g_clear_object (&self->cloud);
  g_clear_object (&self->devices);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->slots, g_hash_table_unref);
  g_clear_pointer (&self->readbacks, g_ptr_array_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->mqtt_client_id, g_free);
  g_clear_pointer (&self->mqtt_ca_file, g_free);
  g_clear_pointer (&self->mqtt_account, g_free);
  g_clear_pointer (&self->topic_prefix, g_free);
  g_clear_pointer (&self->link_state, g_free);
  g_clear_pointer (&self->only_serial_number, g_free);

  G_OBJECT_CLASS (juice_account_parent_class)->finalize (object);
}

static void
juice_account_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  JuiceAccount *self = JUICE_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_DEVICES:
      g_value_set_object (value, self->devices);
      break;

    case PROP_MQTT:
      g_value_set_object (value, self->mqtt);
      break;

    case PROP_LINK_STATE:
      g_value_set_string (value, self->link_state);
      break;

    case PROP_SILENCE_SECONDS:
      g_value_set_uint (value, self->silence_seconds);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
juice_account_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  JuiceAccount *self = JUICE_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_SILENCE_SECONDS:
      juice_account_set_silence_seconds (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
juice_account_class_init (JuiceAccountClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = juice_account_dispose;
  object_class->finalize = juice_account_finalize;
  object_class->get_property = juice_account_get_property;
  object_class->set_property = juice_account_set_property;

  properties[PROP_DEVICES] =
    g_param_spec_object ("devices", NULL, NULL, G_TYPE_LIST_MODEL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  properties[PROP_MQTT] =
    g_param_spec_object ("mqtt", NULL, NULL, JUICE_TYPE_MQTT,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_LINK_STATE] =
    g_param_spec_string ("link-state", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_SILENCE_SECONDS] =
    g_param_spec_uint ("silence-seconds", NULL, NULL, 1, G_MAXUINT / G_USEC_PER_SEC,
                       DEFAULT_SILENCE,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
juice_account_init (JuiceAccount *self)
{
  self->devices = g_list_store_new (JUICE_TYPE_DEVICE);
  self->slots = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, slot_free);
  self->cancellable = g_cancellable_new ();
  self->context = g_main_context_ref_thread_default ();
  self->readbacks = g_ptr_array_new ();
  self->silence_seconds = DEFAULT_SILENCE;
  self->link_state = g_strdup (_("Disconnected"));
}

JuiceAccount *
juice_account_new (JuiceCloud *cloud,
                   const char *mqtt_client_id)
{
  JuiceAccount *self;

  g_return_val_if_fail (JUICE_IS_CLOUD (cloud), NULL);
  g_return_val_if_fail (mqtt_client_id != NULL, NULL);

  self = g_object_new (JUICE_TYPE_ACCOUNT, NULL);
  self->cloud = g_object_ref (cloud);
  self->mqtt_client_id = g_strdup (mqtt_client_id);

  return self;
}

JuiceCloud *
juice_account_get_cloud (JuiceAccount *self)
{
  g_return_val_if_fail (JUICE_IS_ACCOUNT (self), NULL);

  return self->cloud;
}

JuiceMqtt *
juice_account_get_mqtt (JuiceAccount *self)
{
  g_return_val_if_fail (JUICE_IS_ACCOUNT (self), NULL);

  return self->mqtt;
}

GListModel *
juice_account_get_devices (JuiceAccount *self)
{
  g_return_val_if_fail (JUICE_IS_ACCOUNT (self), NULL);

  return G_LIST_MODEL (self->devices);
}

JuiceDevice *
juice_account_lookup_device (JuiceAccount *self,
                             const char   *serial_number)
{
  Slot *slot;

  g_return_val_if_fail (JUICE_IS_ACCOUNT (self), NULL);
  g_return_val_if_fail (serial_number != NULL, NULL);

  slot = g_hash_table_lookup (self->slots, serial_number);
  return slot != NULL ? slot->device : NULL;
}

const char *
juice_account_get_link_state (JuiceAccount *self)
{
  g_return_val_if_fail (JUICE_IS_ACCOUNT (self), NULL);

  return self->link_state;
}

void
juice_account_set_mqtt_ca_file (JuiceAccount *self,
                                const char   *ca_file)
{
  g_return_if_fail (JUICE_IS_ACCOUNT (self));

  g_free (self->mqtt_ca_file);
  self->mqtt_ca_file = g_strdup (ca_file);
}

void
juice_account_set_only_device (JuiceAccount *self,
                               const char   *serial_number)
{
  g_return_if_fail (JUICE_IS_ACCOUNT (self));
  g_return_if_fail (g_hash_table_size (self->slots) == 0);

  g_free (self->only_serial_number);
  self->only_serial_number = g_strdup (serial_number);
}

guint
juice_account_get_silence_seconds (JuiceAccount *self)
{
  g_return_val_if_fail (JUICE_IS_ACCOUNT (self), 0);

  return self->silence_seconds;
}

void
juice_account_set_silence_seconds (JuiceAccount *self,
                                   guint         seconds)
{
  g_return_if_fail (JUICE_IS_ACCOUNT (self));
  g_return_if_fail (seconds > 0);

  if (self->silence_seconds == seconds)
    return;

  self->silence_seconds = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SILENCE_SECONDS]);
}

guint
juice_account_get_n_ignored (JuiceAccount *self)
{
  g_return_val_if_fail (JUICE_IS_ACCOUNT (self), 0);

  return self->n_ignored;
}
