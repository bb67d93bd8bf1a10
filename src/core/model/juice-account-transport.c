/* juice-account-transport.c: JuiceAccount as its devices' JuiceTransport
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
  guint64   since;        /* the device's report serial when asked */
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

void
_juice_account_stop_readbacks (JuiceAccount *self)
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
    _juice_account_apply_quotas (self, readback->serial_number, quotas, readback->since);

  readback_next (self, readback);
}

static void
readback_fetch (JuiceAccount *self,
                Readback     *readback)
{
  readback->since = _juice_account_snapshot_serial (self, readback->serial_number);
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
      _juice_account_fetch_all_quotas (self, serial_number, NULL, NULL);
      return;
    }

  readback = g_new0 (Readback, 1);
  g_weak_ref_init (&readback->account, self);
  readback->serial_number = g_strdup (serial_number);
  readback->keys = g_strdupv ((char **) keys);
  g_ptr_array_add (self->readbacks, readback);
  readback_fetch (self, readback);
}

void
_juice_account_transport_iface_init (JuiceTransportInterface *iface)
{
  iface->send_command_async = juice_account_send_command_async;
  iface->send_command_finish = juice_account_send_command_finish;
  iface->request_quotas = juice_account_request_quotas;
}
