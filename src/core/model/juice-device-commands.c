/* juice-device-commands.c: settings of JuiceDevice, pending until read back
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "juice-device"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "juice-device-private.h"
#include "juice-error.h"
#include "juice-json.h"
#include "juice-report-decoder.h"

static void
destroy_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

void
_juice_device_pending_command_free (gpointer data)
{
  PendingCommand *pending = data;

  destroy_source (&pending->timeout);
  destroy_source (&pending->cancelled);
  g_cancellable_cancel (pending->cancellable);
  g_clear_object (&pending->cancellable);
  g_clear_object (&pending->task);
  g_free (pending);
}

static void
emit_setting_changed (JuiceDevice            *self,
                      const JuiceSettingInfo *setting)
{
  g_signal_emit (self, _juice_device_signals[SETTING_CHANGED],
                 g_quark_from_static_string (setting->name), setting->name);
}

/* Ends @pending: success, or the error that rolls the shown value back. */
static void
pending_command_finish (PendingCommand *pending,
                        GError         *error)
{
  JuiceDevice *self = pending->device;
  const JuiceSettingInfo *setting = pending->setting;
  g_autoptr(GTask) task = g_steal_pointer (&pending->task);

  g_hash_table_remove (self->pending, setting->name);

  if (error != NULL)
    g_debug ("%s: %s rolled back: %s", self->serial_number, setting->name, error->message);
  else
    g_debug ("%s: %s confirmed", self->serial_number, setting->name);

  emit_setting_changed (self, setting);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static gboolean
readback_matches (JuiceDevice    *self,
                  PendingCommand *pending)
{
  gint64 current;

  return juice_device_get_quota_int (self, pending->setting->readback_key, &current)
         && current == pending->value;
}

void
_juice_device_check_pending (JuiceDevice *self,
               QuotaEntry  *entry)
{
  PendingCommand *pending;

  if (entry->setting == NULL)
    return;

  pending = g_hash_table_lookup (self->pending, entry->setting->name);
  if (pending != NULL && readback_matches (self, pending))
    pending_command_finish (pending, NULL);
  else
    emit_setting_changed (self, entry->setting);
}

/* Settings and commands ------------------------------------------------- */

gboolean
juice_device_get_setting_value (JuiceDevice *self,
                                const char  *setting,
                                gint64      *value)
{
  const JuiceSettingInfo *info;
  PendingCommand *pending;

  g_return_val_if_fail (JUICE_IS_DEVICE (self), FALSE);
  g_return_val_if_fail (setting != NULL, FALSE);

  if ((pending = g_hash_table_lookup (self->pending, setting)))
    {
      *value = pending->value;
      return TRUE;
    }

  if (self->profile == NULL ||
      !(info = juice_device_profile_lookup_setting (self->profile, setting)))
    return FALSE;

  return juice_device_get_quota_int (self, info->readback_key, value);
}

gboolean
juice_device_is_setting_pending (JuiceDevice *self,
                                 const char  *setting)
{
  g_return_val_if_fail (JUICE_IS_DEVICE (self), FALSE);
  g_return_val_if_fail (setting != NULL, FALSE);

  return g_hash_table_contains (self->pending, setting);
}

gboolean
juice_device_has_pending_commands (JuiceDevice *self)
{
  g_return_val_if_fail (JUICE_IS_DEVICE (self), FALSE);

  return g_hash_table_size (self->pending) > 0;
}

JsonObject *
juice_device_build_command (JuiceDevice             *self,
                            const JuiceSettingInfo  *setting,
                            gint64                   value,
                            GError                 **error)
{
  gint64 companion = 0;
  gboolean known = FALSE;

  g_return_val_if_fail (JUICE_IS_DEVICE (self), NULL);
  g_return_val_if_fail (setting != NULL, NULL);

  /* The builder decides what an unknown or 0xff companion becomes. */
  if (setting->companion_key != NULL)
    known = juice_device_get_quota_int (self, setting->companion_key, &companion);

  return juice_setting_info_build_command (setting, value, known ? &companion : NULL, error);
}

static gboolean
pending_timeout_cb (gpointer user_data)
{
  PendingCommand *pending = user_data;
  JuiceDevice *self = pending->device;

  g_clear_pointer (&pending->timeout, g_source_unref);

  pending_command_finish (pending,
                          g_error_new (JUICE_DEVICE_ERROR, JUICE_DEVICE_ERROR_TIMEOUT,
                                       _("%s did not confirm the change in time"),
                                       juice_device_get_name (self)));

  return G_SOURCE_REMOVE;
}

static void
send_command_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  JuiceTransport *transport = JUICE_TRANSPORT (object);
  g_autoptr(GTask) task = user_data;
  JuiceDevice *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  PendingCommand *pending;
  const char *name = g_task_get_task_data (task);
  const char *keys[2] = { NULL, NULL };
  gboolean ok;

  ok = juice_transport_send_command_finish (transport, result, &error);

  /* Confirmed by readback already, superseded or timed out: nothing to do. */
  pending = g_hash_table_lookup (self->pending, name);
  if (pending == NULL || pending->task != task)
    return;

  if (!ok)
    {
      pending_command_finish (pending, g_steal_pointer (&error));
      return;
    }

  pending->accepted = TRUE;

  if (readback_matches (self, pending))
    {
      pending_command_finish (pending, NULL);
      return;
    }

  keys[0] = pending->setting->readback_key;
  juice_transport_request_quotas (transport, self->serial_number, keys);
}

/* The caller cancelled: end the command and show the device's real value
 * again. A cancellation is not a failure: callers do not show it. */
static gboolean
pending_cancelled_cb (GCancellable *cancellable,
                      gpointer      user_data)
{
  PendingCommand *pending = user_data;

  g_clear_pointer (&pending->cancelled, g_source_unref);
  pending_command_finish (pending,
                          g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                               _("The change was cancelled")));

  return G_SOURCE_REMOVE;
}

void
juice_device_cancel_commands (JuiceDevice *self)
{
  GHashTableIter iter;
  PendingCommand *pending;

  g_return_if_fail (JUICE_IS_DEVICE (self));

  /* pending_command_finish() removes from the table: restart each time */
  for (;;)
    {
      g_hash_table_iter_init (&iter, self->pending);
      if (!g_hash_table_iter_next (&iter, NULL, (gpointer *)&pending))
        break;

      pending_command_finish (pending,
                              g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                   _("The change was cancelled")));
    }
}

void
juice_device_set_async (JuiceDevice         *self,
                        const char          *setting,
                        gint64               value,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JuiceTransport) transport = NULL;
  g_autoptr(JsonObject) params = NULL;
  g_autoptr(GError) error = NULL;
  const JuiceSettingInfo *info = NULL;
  PendingCommand *pending;

  g_return_if_fail (JUICE_IS_DEVICE (self));
  g_return_if_fail (setting != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, juice_device_set_async);

  if (g_task_return_error_if_cancelled (task))
    return;

  if (self->profile != NULL)
    info = juice_device_profile_lookup_setting (self->profile, setting);

  if (info == NULL)
    {
      g_task_return_new_error (task, JUICE_DEVICE_ERROR, JUICE_DEVICE_ERROR_UNKNOWN_SETTING,
                               _("%s has no setting called “%s”"),
                               juice_device_get_product (self), setting);
      return;
    }

  g_task_set_task_data (task, (gpointer) info->name, NULL);

  if (!(params = juice_device_build_command (self, info, value, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  transport = g_weak_ref_get (&self->transport);
  if (transport == NULL)
    {
      g_task_return_new_error (task, JUICE_DEVICE_ERROR, JUICE_DEVICE_ERROR_NO_TRANSPORT,
                               _("Not connected to %s"), juice_device_get_name (self));
      return;
    }

  if (!self->online)
    {
      g_task_return_new_error (task, JUICE_DEVICE_ERROR, JUICE_DEVICE_ERROR_OFFLINE,
                               _("%s is offline"), juice_device_get_name (self));
      return;
    }

  if ((pending = g_hash_table_lookup (self->pending, info->name)))
    {
      g_autoptr(GTask) previous = g_steal_pointer (&pending->task);

      g_hash_table_remove (self->pending, info->name);
      g_task_return_new_error (previous, JUICE_DEVICE_ERROR, JUICE_DEVICE_ERROR_SUPERSEDED,
                               _("A newer change replaced this one"));
    }

  pending = g_new0 (PendingCommand, 1);
  pending->device = self;
  pending->setting = info;
  pending->value = value;
  pending->task = g_object_ref (task);
  pending->cancellable = g_cancellable_new ();
  pending->timeout = g_timeout_source_new (self->command_timeout_ms);
  g_source_set_static_name (pending->timeout, "[juice-device] command timeout");
  g_source_set_callback (pending->timeout, pending_timeout_cb, pending, NULL);
  g_source_attach (pending->timeout, self->context);
  if (cancellable != NULL)
    {
      pending->cancelled = g_cancellable_source_new (cancellable);
      g_source_set_static_name (pending->cancelled, "[juice-device] command cancelled");
      g_source_set_callback (pending->cancelled, G_SOURCE_FUNC (pending_cancelled_cb),
                             pending, NULL);
      g_source_attach (pending->cancelled, self->context);
    }
  g_hash_table_insert (self->pending, (gpointer) info->name, pending);

  g_debug ("%s: sending %s = %" G_GINT64_FORMAT, self->serial_number, info->name, value);
  emit_setting_changed (self, info);

  juice_transport_send_command_async (transport, self->serial_number, params,
                                      pending->cancellable,
                                      send_command_cb, g_steal_pointer (&task));
}

gboolean
juice_device_set_finish (JuiceDevice   *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (JUICE_IS_DEVICE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
