/* juice-notifier.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "juice-notifier"

#include "config.h"

#include <glib/gi18n.h>

#include "juice-notifier.h"

/* How far past a threshold the charge must come back before its event ends. */
#define HYSTERESIS 2.0

typedef struct
{
  JuiceNotifier *notifier;   /* unowned: it outlives its watches */
  JuiceDevice   *device;
  guint          offline_timer_id;
  gboolean       low;
  gboolean       full;
  gboolean       offline_sent;
  gboolean       online_sent;
} Watch;

struct _JuiceNotifier
{
  GObject       parent_instance;

  /* owned references */
  GApplication *application;
  GSettings    *settings;
  GListModel   *devices;
  GPtrArray    *watches;      /* of Watch */

  /* state */
  gulong        items_changed_id;
  guint         offline_delay_seconds;
};

G_DEFINE_FINAL_TYPE (JuiceNotifier, juice_notifier, G_TYPE_OBJECT)

static char *
notification_id (const char  *event,
                 JuiceDevice *device)
{
  return g_strdup_printf ("%s-%s", event, juice_device_get_serial_number (device));
}

static const char *
device_name (JuiceDevice *device)
{
  const char *name = juice_device_get_name (device);

  return name != NULL && *name != '\0' ? name : juice_device_get_serial_number (device);
}

static void
send (JuiceNotifier *self,
      const char    *event,
      JuiceDevice   *device,
      const char    *title,
      const char    *body,
      GNotificationPriority priority)
{
  g_autoptr(GNotification) notification = g_notification_new (title);
  g_autofree char *id = notification_id (event, device);

  g_notification_set_body (notification, body);
  g_notification_set_priority (notification, priority);
  g_notification_set_default_action_and_target (notification, "app.show-device", "s",
                                                 juice_device_get_serial_number (device));
  g_debug ("Notification %s: %s", id, title);
  g_application_send_notification (self->application, id, notification);
}

static void
withdraw (JuiceNotifier *self,
          const char    *event,
          JuiceDevice   *device)
{
  g_autofree char *id = notification_id (event, device);

  g_debug ("Withdrawing %s", id);
  g_application_withdraw_notification (self->application, id);
}

static double
charge_limit (JuiceDevice *device)
{
  const JuiceSettingInfo *setting;
  gint64 limit;

  setting = juice_device_profile_lookup_setting (juice_device_get_profile (device), "charge-limit");
  if (setting != NULL && juice_device_get_quota_int (device, setting->readback_key, &limit) &&
      limit > 0 && limit <= 100)
    return (double) limit;

  return 100.0;
}

static void
check_charge (Watch *watch)
{
  JuiceNotifier *self = watch->notifier;
  JuiceDevice *device = watch->device;
  double soc = juice_device_get_soc (device);
  int low_level = g_settings_get_int (self->settings, "notify-low-charge");
  gboolean want_full = g_settings_get_boolean (self->settings, "notify-full");
  double limit = charge_limit (device);

  if (juice_device_get_last_report_time (device) == 0)
    return;

  if (!watch->low && low_level > 0 && soc < low_level)
    {
      g_autofree char *title = g_strdup_printf (_("%s is low"), device_name (device));
      g_autofree char *body = g_strdup_printf (_("The charge is down to %.0f %%."), soc);

      send (self, "low-charge", device, title, body, G_NOTIFICATION_PRIORITY_HIGH);
      watch->low = TRUE;
    }
  else if (watch->low && (low_level <= 0 || soc >= low_level + HYSTERESIS))
    {
      withdraw (self, "low-charge", device);
      watch->low = FALSE;
    }

  if (!watch->full && want_full && soc >= limit)
    {
      g_autofree char *title = g_strdup_printf (_("%s is full"), device_name (device));
      g_autofree char *body = g_strdup_printf (_("Charging stopped at its limit of %.0f %%."), limit);

      send (self, "full", device, title, body, G_NOTIFICATION_PRIORITY_NORMAL);
      watch->full = TRUE;
    }
  else if (watch->full && (!want_full || soc <= limit - HYSTERESIS))
    {
      withdraw (self, "full", device);
      watch->full = FALSE;
    }
}

static gboolean
offline_timeout (gpointer user_data)
{
  Watch *watch = user_data;
  JuiceNotifier *self = watch->notifier;
  g_autofree char *title = g_strdup_printf (_("%s is offline"), device_name (watch->device));
  guint minutes = MAX (1, self->offline_delay_seconds / 60);
  g_autofree char *body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                        "No word from it for more than %u minute.",
                                                        "No word from it for more than %u minutes.",
                                                        minutes),
                                           minutes);

  watch->offline_timer_id = 0;
  if (!g_settings_get_boolean (self->settings, "notify-offline"))
    return G_SOURCE_REMOVE;

  send (self, "offline", watch->device, title, body, G_NOTIFICATION_PRIORITY_HIGH);
  watch->offline_sent = TRUE;
  return G_SOURCE_REMOVE;
}

static void
check_online (Watch *watch)
{
  JuiceNotifier *self = watch->notifier;
  JuiceDevice *device = watch->device;

  if (!juice_device_get_online (device))
    {
      if (watch->online_sent)
        {
          withdraw (self, "online", device);
          watch->online_sent = FALSE;
        }
      /* The one timer here: the stated five minutes of silence. */
      if (watch->offline_timer_id == 0 && !watch->offline_sent)
        watch->offline_timer_id = g_timeout_add_seconds (self->offline_delay_seconds,
                                                         offline_timeout, watch);
      return;
    }

  g_clear_handle_id (&watch->offline_timer_id, g_source_remove);
  if (watch->offline_sent)
    {
      g_autofree char *title = g_strdup_printf (_("%s is back online"), device_name (device));

      withdraw (self, "offline", device);
      watch->offline_sent = FALSE;
      send (self, "online", device, title, _("Its values are live again."),
            G_NOTIFICATION_PRIORITY_NORMAL);
      watch->online_sent = TRUE;
    }
}

static void
on_device_notify (JuiceDevice *device,
                  GParamSpec  *pspec,
                  Watch       *watch)
{
  const char *name = g_param_spec_get_name (pspec);

  if (g_str_equal (name, "online"))
    check_online (watch);
  else if (g_str_equal (name, "soc"))
    check_charge (watch);
}

static void
on_setting_changed (JuiceDevice *device,
                    const char  *name,
                    Watch       *watch)
{
  check_charge (watch);
}

static void
watch_free (gpointer data)
{
  Watch *watch = data;

  g_clear_handle_id (&watch->offline_timer_id, g_source_remove);
  g_signal_handlers_disconnect_by_data (watch->device, watch);
  g_object_unref (watch->device);
  g_free (watch);
}

static void
rebuild (JuiceNotifier *self)
{
  guint n = self->devices != NULL ? g_list_model_get_n_items (self->devices) : 0;
  g_autoptr(GPtrArray) old = g_steal_pointer (&self->watches);

  self->watches = g_ptr_array_new_with_free_func (watch_free);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(JuiceDevice) device = g_list_model_get_item (self->devices, i);
      Watch *watch = NULL;

      /* A device that stays keeps its events: nothing is sent twice. */
      for (guint j = 0; old != NULL && j < old->len; j++)
        if (((Watch *) g_ptr_array_index (old, j))->device == device)
          {
            watch = g_ptr_array_steal_index (old, j);
            break;
          }

      if (watch == NULL)
        {
          watch = g_new0 (Watch, 1);
          watch->notifier = self;
          watch->device = g_object_ref (device);
          g_signal_connect (device, "notify", G_CALLBACK (on_device_notify), watch);
          g_signal_connect (device, "setting-changed::charge-limit",
                            G_CALLBACK (on_setting_changed), watch);
          check_charge (watch);
          check_online (watch);
        }
      g_ptr_array_add (self->watches, watch);
    }
}

static void
on_items_changed (GListModel    *model,
                  guint          position,
                  guint          removed,
                  guint          added,
                  JuiceNotifier *self)
{
  rebuild (self);
}

static void
juice_notifier_dispose (GObject *object)
{
  JuiceNotifier *self = (JuiceNotifier *)object;

  if (self->devices != NULL)
    g_clear_signal_handler (&self->items_changed_id, self->devices);
  g_clear_pointer (&self->watches, g_ptr_array_unref);
  g_clear_object (&self->devices);
  g_clear_object (&self->settings);
  g_clear_object (&self->application);

  G_OBJECT_CLASS (juice_notifier_parent_class)->dispose (object);
}

static void
juice_notifier_class_init (JuiceNotifierClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = juice_notifier_dispose;
}

static void
juice_notifier_init (JuiceNotifier *self)
{
  self->watches = g_ptr_array_new_with_free_func (watch_free);
  self->offline_delay_seconds = 300;
}

JuiceNotifier *
juice_notifier_new (GApplication *application,
                    GSettings    *settings)
{
  JuiceNotifier *self;

  g_return_val_if_fail (G_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (JUICE_TYPE_NOTIFIER, NULL);
  self->application = g_object_ref (application);
  self->settings = g_object_ref (settings);
  return self;
}

void
juice_notifier_set_devices (JuiceNotifier *self,
                            GListModel    *devices)
{
  g_return_if_fail (JUICE_IS_NOTIFIER (self));
  g_return_if_fail (devices == NULL || G_IS_LIST_MODEL (devices));

  if (self->devices == devices)
    return;

  if (self->devices != NULL)
    g_clear_signal_handler (&self->items_changed_id, self->devices);
  g_set_object (&self->devices, devices);
  if (devices != NULL)
    self->items_changed_id = g_signal_connect (devices, "items-changed",
                                               G_CALLBACK (on_items_changed), self);
  rebuild (self);
}

GListModel *
juice_notifier_get_devices (JuiceNotifier *self)
{
  g_return_val_if_fail (JUICE_IS_NOTIFIER (self), NULL);

  return self->devices;
}

guint
juice_notifier_get_offline_delay_seconds (JuiceNotifier *self)
{
  g_return_val_if_fail (JUICE_IS_NOTIFIER (self), 0);

  return self->offline_delay_seconds;
}

/* Takes effect for the next device that goes offline. */
void
juice_notifier_set_offline_delay_seconds (JuiceNotifier *self,
                                          guint          seconds)
{
  g_return_if_fail (JUICE_IS_NOTIFIER (self));
  g_return_if_fail (seconds > 0);

  self->offline_delay_seconds = seconds;
}

void
juice_notifier_command_failed (JuiceNotifier *self,
                               JuiceDevice   *device,
                               const char    *message)
{
  g_autofree char *title = NULL;

  g_return_if_fail (JUICE_IS_NOTIFIER (self));
  g_return_if_fail (JUICE_IS_DEVICE (device));

  title = g_strdup_printf (_("A command to %s failed"), device_name (device));
  send (self, "command", device, title, message != NULL ? message : "",
        G_NOTIFICATION_PRIORITY_HIGH);
}
