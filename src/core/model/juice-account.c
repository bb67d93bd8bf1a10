/* juice-account.c: the account, its devices and their quota/all
 *
 * The parts of JuiceAccount (they share juice-account-private.h):
 * juice-account.c            the object, its devices, fetching quota/all
 * juice-account-link.c       the MQTT link: connecting, messages, renewals
 * juice-account-transport.c  JuiceTransport: commands over MQTT or HTTP,
 *                            read-back over HTTP
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

#define DEFAULT_SILENCE        300

/* Live reports closer together than this are applied together (see
 * juice-report-coalescer.h): a device's usual one a second is applied as it
 * comes. */
#define REPORT_INTERVAL_MS 50

G_DEFINE_FINAL_TYPE_WITH_CODE (JuiceAccount, juice_account, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (JUICE_TYPE_TRANSPORT,
                                                      _juice_account_transport_iface_init))

GParamSpec *_juice_account_properties[N_PROPS];

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
void
_juice_account_slot_heard (JuiceAccount *self,
            Slot         *slot)
{
  g_source_set_ready_time (slot->silence,
                           g_get_monotonic_time () + self->silence_seconds * G_USEC_PER_SEC);
}

Slot *
_juice_account_ensure_slot (JuiceAccount *self,
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

guint64
_juice_account_snapshot_serial (JuiceAccount *self,
                                const char   *serial_number)
{
  Slot *slot = g_hash_table_lookup (self->slots, serial_number);

  if (slot == NULL)
    return 0;

  /* Reports that came before the request count as before it. */
  juice_report_coalescer_flush (slot->reports);

  return juice_device_get_report_serial (slot->device);
}

void
_juice_account_apply_quotas (JuiceAccount *self,
                             const char   *serial_number,
                             JsonObject   *quotas,
                             guint64       since)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  Slot *slot = g_hash_table_lookup (self->slots, serial_number);

  if (slot == NULL || quotas == NULL)
    return;

  /* Live values that came while the snapshot was on its way are newer than
   * it: they go first, and the snapshot leaves them. */
  juice_report_coalescer_flush (slot->reports);
  node = json_node_init_object (json_node_alloc (), quotas);
  if (juice_device_apply_snapshot (slot->device, node, since, &error) < 0)
    g_debug ("%s: quotas not applied: %s", serial_number, error->message);
}

typedef struct
{
  char    *serial_number;
  guint64  since;          /* the device's report serial when asked */
} Fetch;

static void
fetch_free (gpointer data)
{
  Fetch *fetch = data;

  g_free (fetch->serial_number);
  g_free (fetch);
}

static void
all_quotas_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  JuiceAccount *self = g_task_get_source_object (task);
  Fetch *fetch = g_task_get_task_data (task);
  const char *serial_number = fetch->serial_number;
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
  _juice_account_apply_quotas (self, serial_number, quotas, fetch->since);
  g_task_return_boolean (task, TRUE);
}

/* Fetches quota/all for one device; @callback may be NULL. */
void
_juice_account_fetch_all_quotas (JuiceAccount        *self,
                                 const char          *serial_number,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  GTask *task = g_task_new (self, self->cancellable, callback, user_data);
  Fetch *fetch = g_new0 (Fetch, 1);

  fetch->serial_number = g_strdup (serial_number);
  fetch->since = _juice_account_snapshot_serial (self, serial_number);
  g_task_set_source_tag (task, _juice_account_fetch_all_quotas);
  g_task_set_task_data (task, fetch, fetch_free);
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
    _juice_account_fetch_all_quotas (self, serial_number, NULL, NULL);
}

/* GObject --------------------------------------------------------------- */

static void
juice_account_dispose (GObject *object)
{
  JuiceAccount *self = (JuiceAccount *)object;

  g_cancellable_cancel (self->cancellable);
  _juice_account_stop_readbacks (self);
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

  _juice_account_properties[PROP_DEVICES] =
    g_param_spec_object ("devices", NULL, NULL, G_TYPE_LIST_MODEL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));
  _juice_account_properties[PROP_MQTT] =
    g_param_spec_object ("mqtt", NULL, NULL, JUICE_TYPE_MQTT,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  _juice_account_properties[PROP_LINK_STATE] =
    g_param_spec_string ("link-state", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  _juice_account_properties[PROP_SILENCE_SECONDS] =
    g_param_spec_uint ("silence-seconds", NULL, NULL, 1, G_MAXUINT / G_USEC_PER_SEC,
                       DEFAULT_SILENCE,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, _juice_account_properties);
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
  g_object_notify_by_pspec (G_OBJECT (self), _juice_account_properties[PROP_SILENCE_SECONDS]);
}

guint
juice_account_get_n_ignored (JuiceAccount *self)
{
  g_return_val_if_fail (JUICE_IS_ACCOUNT (self), 0);

  return self->n_ignored;
}
