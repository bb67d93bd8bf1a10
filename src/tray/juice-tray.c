/* juice-tray.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "juice-tray"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "juice-quota-format.h"
#include "juice-tray.h"
#include "juice-tray-pixmap.h"

#define MENU_PATH "/MenuBar"
#define AC_OUTPUT "ac-output"
/* Power and time left change with nearly every report: their text in the
 * tooltip and the menu is sent at most this often. Charge, state and the
 * icon go at once. */
#define TEXT_INTERVAL_US (5 * G_USEC_PER_SEC)

typedef struct
{
  JuiceTray   *tray;      /* unowned: the tray outlives its entries */
  JuiceDevice *device;
  const JuiceSettingInfo *ac_setting;
  int          line_id;
  int          ac_id;
} Entry;

struct _JuiceTray
{
  GObject              parent_instance;

  /* owned references */
  GApplication        *application;
  GListModel          *devices;
  JuiceStatusNotifier *item;
  JuiceDbusmenu       *menu;
  GPtrArray           *entries;     /* of Entry, in the model's order */
  GCancellable        *cancellable;
  char                *icon_theme_path;

  /* state */
  gulong               items_changed_id;
  guint                text_timer_id;
  gint64               last_text_time;
  int                  show_id;
  int                  quit_id;
};

G_DEFINE_FINAL_TYPE (JuiceTray, juice_tray, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_DEVICES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  COMMAND_FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

char *
juice_tray_icon_name (double   soc,
                      gboolean charging,
                      gboolean online)
{
  int step;

  if (!online || isnan (soc) || soc < 0)
    return g_strdup (APP_ID "-battery-missing-symbolic");

  step = CLAMP ((int) floor ((soc + 10.0) / 20.0) * 20, 0, 100);
  return g_strdup_printf (APP_ID "-battery-level-%d%s-symbolic", step,
                          charging ? "-charging" : "");
}

static gboolean
is_charging (JuiceDevice *device)
{
  return juice_device_get_watts_in (device) > juice_device_get_watts_out (device);
}

static const char *
device_name (JuiceDevice *device)
{
  const char *name = juice_device_get_name (device);

  return name != NULL && *name != '\0' ? name : juice_device_get_serial_number (device);
}

/* "Cabin: 87 %, in 320 W, out 45 W" and, with @with_time, ", full in 3 h 10 min". */
static char *
describe (JuiceDevice *device,
          gboolean     with_time)
{
  GString *text = g_string_new (NULL);
  double soc = juice_device_get_soc (device);
  int remain = juice_device_get_remain_minutes (device);

  if (!juice_device_get_online (device))
    {
      /* TRANSLATORS: a device's name in the tray */
      g_string_printf (text, _("%s: offline"), device_name (device));
      return g_string_free (text, FALSE);
    }

  if (juice_device_get_last_report_time (device) == 0)
    {
      g_string_printf (text, _("%s: waiting for values"), device_name (device));
      return g_string_free (text, FALSE);
    }

  /* TRANSLATORS: device name, charge in percent, power in and out in watts */
  g_string_printf (text, _("%s: %.0f %%, in %d W, out %d W"), device_name (device), soc,
                   juice_device_get_watts_in (device), juice_device_get_watts_out (device));

  if (with_time && remain != 0)
    {
      g_autofree char *span = juice_format_duration ((gint64) ABS (remain) * 60, FALSE);

      if (remain > 0)
        /* TRANSLATORS: appended to the tray's tooltip: ", full in 3 h 10 min" */
        g_string_append_printf (text, _(", full in %s"), span);
      else
        g_string_append_printf (text, _(", empty in %s"), span);
    }

  return g_string_free (text, FALSE);
}

/* The tooltip and every device's line. */
static void
refresh_text (JuiceTray *self)
{
  Entry *first = self->entries->len > 0 ? g_ptr_array_index (self->entries, 0) : NULL;

  g_clear_handle_id (&self->text_timer_id, g_source_remove);
  self->last_text_time = g_get_monotonic_time ();

  if (first == NULL)
    {
      juice_status_notifier_set_tooltip (self->item, _("Juice"), _("No power station"));
      return;
    }

  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->entries, i);
      g_autofree char *line = describe (entry->device, FALSE);

      juice_dbusmenu_set_label (self->menu, entry->line_id, line);
    }

  {
    g_autofree char *body = describe (first->device, TRUE);

    juice_status_notifier_set_tooltip (self->item, _("Juice"), body);
  }
}

static gboolean
text_timeout (gpointer user_data)
{
  JuiceTray *self = user_data;

  self->text_timer_id = 0;
  refresh_text (self);
  return G_SOURCE_REMOVE;
}

static void
queue_text (JuiceTray *self)
{
  gint64 wait;

  if (self->text_timer_id != 0)
    return;

  wait = self->last_text_time + TEXT_INTERVAL_US - g_get_monotonic_time ();
  if (wait <= 0)
    {
      refresh_text (self);
      return;
    }

  /* One timer while a change waits for its turn; none otherwise. */
  self->text_timer_id = g_timeout_add ((guint) (wait / 1000) + 1, text_timeout, self);
}

/* The name, and the same drawn as pixmaps: rendered only when it changes. */
static void
set_icon (JuiceTray  *self,
          const char *icon)
{
  if (g_strcmp0 (juice_status_notifier_get_icon (self->item), icon) == 0)
    return;

  juice_status_notifier_set_icon_pixmap (self->item,
                                         juice_tray_pixmap_render (self->icon_theme_path, icon));
  juice_status_notifier_set_icon (self->item, icon);
}

static void
update_icon (JuiceTray *self)
{
  g_autofree char *icon = NULL;
  Entry *first = self->entries->len > 0 ? g_ptr_array_index (self->entries, 0) : NULL;

  if (first == NULL)
    {
      set_icon (self, APP_ID "-battery-missing-symbolic");
      juice_status_notifier_set_status (self->item, "Passive");
      return;
    }

  icon = juice_tray_icon_name (juice_device_get_last_report_time (first->device) != 0
                               ? juice_device_get_soc (first->device) : NAN,
                               is_charging (first->device),
                               juice_device_get_online (first->device));
  set_icon (self, icon);
  juice_status_notifier_set_status (self->item, "Active");
}

/* What a device's change shows at once: the icon and the AC output check. */
static void
update_entry (Entry *entry)
{
  JuiceTray *self = entry->tray;

  if (entry->ac_id != 0)
    {
      gint64 confirmed = 0;
      int state = -1;

      /* The device's own readback, not the optimistic value: checked means on. */
      if (juice_device_get_quota_int (entry->device, entry->ac_setting->readback_key, &confirmed))
        state = (confirmed != 0) != entry->ac_setting->inverted ? 1 : 0;
      juice_dbusmenu_set_toggle_state (self->menu, entry->ac_id, state);
      juice_dbusmenu_set_enabled (self->menu, entry->ac_id,
                                  juice_device_get_online (entry->device) &&
                                  !juice_device_is_setting_pending (entry->device, AC_OUTPUT));
    }

  if (self->entries->len > 0 && g_ptr_array_index (self->entries, 0) == entry)
    update_icon (self);
}

static void
on_device_notify (JuiceDevice *device,
                  GParamSpec  *pspec,
                  Entry       *entry)
{
  const char *name = g_param_spec_get_name (pspec);

  update_entry (entry);
  if (g_str_equal (name, "watts-in") || g_str_equal (name, "watts-out") ||
      g_str_equal (name, "remain-minutes"))
    queue_text (entry->tray);
  else
    refresh_text (entry->tray);
}

static void
on_setting_changed (JuiceDevice *device,
                    const char  *name,
                    Entry       *entry)
{
  update_entry (entry);
}

static void
entry_free (gpointer data)
{
  Entry *entry = data;

  g_signal_handlers_disconnect_by_data (entry->device, entry);
  g_object_unref (entry->device);
  g_free (entry);
}

static void
rebuild (JuiceTray *self)
{
  guint n = self->devices != NULL ? g_list_model_get_n_items (self->devices) : 0;

  g_ptr_array_set_size (self->entries, 0);
  juice_dbusmenu_clear (self->menu);

  for (guint i = 0; i < n; i++)
    {
      Entry *entry = g_new0 (Entry, 1);

      entry->tray = self;
      entry->device = g_list_model_get_item (self->devices, i);
      entry->line_id = juice_dbusmenu_append (self->menu, JUICE_DBUSMENU_ITEM_STANDARD, "");
      entry->ac_setting = juice_device_profile_lookup_setting (juice_device_get_profile (entry->device),
                                                              AC_OUTPUT);
      if (entry->ac_setting != NULL)
        entry->ac_id = juice_dbusmenu_append (self->menu, JUICE_DBUSMENU_ITEM_CHECK,
                                              _(entry->ac_setting->label));
      juice_dbusmenu_append (self->menu, JUICE_DBUSMENU_ITEM_SEPARATOR, NULL);
      g_ptr_array_add (self->entries, entry);

      g_signal_connect (entry->device, "notify", G_CALLBACK (on_device_notify), entry);
      g_signal_connect (entry->device, "setting-changed::" AC_OUTPUT,
                        G_CALLBACK (on_setting_changed), entry);
      update_entry (entry);
    }

  self->show_id = juice_dbusmenu_append (self->menu, JUICE_DBUSMENU_ITEM_STANDARD, _("Show Juice"));
  self->quit_id = juice_dbusmenu_append (self->menu, JUICE_DBUSMENU_ITEM_STANDARD, _("Quit"));
  update_icon (self);
  refresh_text (self);
}

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  JuiceTray  *self)
{
  rebuild (self);
}

static void
set_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(JuiceTray) self = user_data;
  JuiceDevice *device = JUICE_DEVICE (object);
  g_autoptr(GError) error = NULL;

  if (juice_device_set_finish (device, result, &error))
    return;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_debug ("AC output of %s from the tray failed: %s", juice_device_get_serial_number (device),
           error->message);
  g_signal_emit (self, signals[COMMAND_FAILED], 0, device, error->message);
}

static void
on_menu_activated (JuiceDbusmenu *menu,
                   int            id,
                   JuiceTray     *self)
{
  if (id == self->show_id)
    {
      g_application_activate (self->application);
      return;
    }

  if (id == self->quit_id)
    {
      g_action_group_activate_action (G_ACTION_GROUP (self->application), "quit", NULL);
      return;
    }

  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->entries, i);
      const char *sn = juice_device_get_serial_number (entry->device);
      gint64 confirmed = 0;
      gboolean on;

      if (id == entry->line_id)
        {
          if (g_action_group_has_action (G_ACTION_GROUP (self->application), "show-device"))
            g_action_group_activate_action (G_ACTION_GROUP (self->application), "show-device",
                                            g_variant_new_string (sn));
          else
            g_application_activate (self->application);
          return;
        }

      if (id != entry->ac_id)
        continue;

      /* One command at a time, as the window's switch does. */
      if (juice_device_is_setting_pending (entry->device, AC_OUTPUT))
        return;
      juice_device_get_quota_int (entry->device, entry->ac_setting->readback_key, &confirmed);
      on = (confirmed != 0) != entry->ac_setting->inverted;
      g_debug ("Tray: AC output of %s %s", sn, on ? "off" : "on");
      juice_device_set_async (entry->device, AC_OUTPUT, on ? 0 : 1, self->cancellable, set_cb,
                              g_object_ref (self));
      update_entry (entry);
      return;
    }
}

static void
on_item_activate (JuiceStatusNotifier *item,
                  int                  x,
                  int                  y,
                  JuiceTray           *self)
{
  g_application_activate (self->application);
}

static void
on_item_registered (JuiceStatusNotifier *item,
                    GParamSpec          *pspec,
                    JuiceTray           *self)
{
  juice_dbusmenu_set_active (self->menu, juice_status_notifier_get_registered (item));
}

static void
juice_tray_dispose (GObject *object)
{
  JuiceTray *self = (JuiceTray *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->text_timer_id, g_source_remove);
  if (self->devices != NULL)
    g_clear_signal_handler (&self->items_changed_id, self->devices);
  g_clear_pointer (&self->entries, g_ptr_array_unref);
  g_clear_object (&self->devices);
  g_clear_object (&self->item);
  g_clear_object (&self->menu);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->application);
  g_clear_pointer (&self->icon_theme_path, g_free);

  G_OBJECT_CLASS (juice_tray_parent_class)->dispose (object);
}

static void
juice_tray_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  JuiceTray *self = JUICE_TRAY (object);

  switch (prop_id)
    {
    case PROP_DEVICES:
      g_value_set_object (value, self->devices);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
juice_tray_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  JuiceTray *self = JUICE_TRAY (object);

  switch (prop_id)
    {
    case PROP_DEVICES:
      juice_tray_set_devices (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
juice_tray_class_init (JuiceTrayClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = juice_tray_dispose;
  object_class->get_property = juice_tray_get_property;
  object_class->set_property = juice_tray_set_property;

  properties[PROP_DEVICES] =
    g_param_spec_object ("devices", NULL, NULL, G_TYPE_LIST_MODEL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * JuiceTray::command-failed:
   * @device: the device the menu sent a command to
   * @message: why it failed, a sentence
   */
  signals[COMMAND_FAILED] = g_signal_new ("command-failed", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE,
                                          2, JUICE_TYPE_DEVICE, G_TYPE_STRING);
}

static void
juice_tray_init (JuiceTray *self)
{
  self->entries = g_ptr_array_new_with_free_func (entry_free);
  self->cancellable = g_cancellable_new ();
}

/* NULL when @application has no bus connection (not registered, no bus). */
JuiceTray *
juice_tray_new (GApplication *application,
                const char   *icon_theme_path)
{
  GDBusConnection *connection;
  JuiceTray *self;

  g_return_val_if_fail (G_IS_APPLICATION (application), NULL);

  connection = g_application_get_dbus_connection (application);
  if (connection == NULL)
    return NULL;

  self = g_object_new (JUICE_TYPE_TRAY, NULL);
  self->application = g_object_ref (application);
  self->menu = juice_dbusmenu_new (connection, MENU_PATH);
  self->item = juice_status_notifier_new (connection, "juice", MENU_PATH);
  juice_status_notifier_set_title (self->item, _("Juice"));
  self->icon_theme_path = g_strdup (icon_theme_path);
  if (icon_theme_path != NULL)
    juice_status_notifier_set_icon_theme_path (self->item, icon_theme_path);
  g_signal_connect_object (self->menu, "activated", G_CALLBACK (on_menu_activated), self, 0);
  g_signal_connect_object (self->item, "activate", G_CALLBACK (on_item_activate), self, 0);
  g_signal_connect_object (self->item, "notify::registered", G_CALLBACK (on_item_registered),
                           self, 0);
  rebuild (self);

  return self;
}

GListModel *
juice_tray_get_devices (JuiceTray *self)
{
  g_return_val_if_fail (JUICE_IS_TRAY (self), NULL);

  return self->devices;
}

void
juice_tray_set_devices (JuiceTray  *self,
                        GListModel *devices)
{
  g_return_if_fail (JUICE_IS_TRAY (self));
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
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEVICES]);
}

JuiceStatusNotifier *
juice_tray_get_item (JuiceTray *self)
{
  g_return_val_if_fail (JUICE_IS_TRAY (self), NULL);

  return self->item;
}

JuiceDbusmenu *
juice_tray_get_menu (JuiceTray *self)
{
  g_return_val_if_fail (JUICE_IS_TRAY (self), NULL);

  return self->menu;
}

static Entry *
lookup_entry (JuiceTray   *self,
              JuiceDevice *device)
{
  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->entries, i);

      if (entry->device == device)
        return entry;
    }

  return NULL;
}

int
juice_tray_get_line_id (JuiceTray   *self,
                        JuiceDevice *device)
{
  Entry *entry;

  g_return_val_if_fail (JUICE_IS_TRAY (self), 0);

  entry = lookup_entry (self, device);
  return entry != NULL ? entry->line_id : 0;
}

int
juice_tray_get_ac_output_id (JuiceTray   *self,
                             JuiceDevice *device)
{
  Entry *entry;

  g_return_val_if_fail (JUICE_IS_TRAY (self), 0);

  entry = lookup_entry (self, device);
  return entry != NULL ? entry->ac_id : 0;
}
