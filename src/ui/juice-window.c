/* juice-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "juice-window"

#include "config.h"

#include <glib/gi18n.h>

#include "juice-a11y.h"
#include "juice-device-page.h"
#include "juice-device-row.h"
#include "juice-values-page.h"
#include "juice-window.h"

struct _JuiceWindow
{
  AdwApplicationWindow  parent_instance;

  /* template widgets */
  AdwToastOverlay      *toast_overlay;
  JuiceDevicePage      *device_page;
  JuiceValuesPage      *values_page;
  AdwViewStack         *view_stack;
  AdwLeaflet           *leaflet;
  GtkListBox           *device_list;
  GtkWidget            *content;
  GtkStack             *main_stack;
  AdwToastOverlay      *window_toast_overlay;
  AdwStatusPage        *welcome_page;
  AdwStatusPage        *loading_page;
  GtkSpinner           *loading_spinner;

  /* owned references */
  JuiceDevice          *device;
  GListModel           *devices;
  GSettings            *settings;
  char                 *link_state;
};

G_DEFINE_FINAL_TYPE (JuiceWindow, juice_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_DEVICE,
  PROP_DEVICES,
  PROP_LINK_STATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static char *
format_subtitle (JuiceWindow *self,
                 const char  *product,
                 gboolean     online,
                 gboolean     stale)
{
  const char *state;

  if (product == NULL)
    return g_strdup ("");

  if (online)
    state = _("Online");
  else if (stale)
    state = _("Offline, values may be out of date");
  else
    state = _("Offline");

  /* Translators: "DELTA Pro · Online" */
  return g_strdup_printf (_("%s · %s"), product, state);
}

/* The live link is fine, or there is none to speak of (demo). */
static gboolean
is_link_trouble (JuiceWindow *self,
                 const char  *link_state)
{
  return link_state != NULL && *link_state != '\0' && g_strcmp0 (link_state, "Connected") != 0 &&
         g_strcmp0 (link_state, _("Connected")) != 0;
}

static char *
format_link_state (JuiceWindow *self,
                   const char  *link_state)
{
  if (link_state == NULL)
    return g_strdup ("");

  /* Translators: the state of the live link, "Live updates: Reconnecting in 4 s" */
  return g_strdup_printf (_("Live updates: %s"), link_state);
}

static void
show_toast_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  juice_window_add_toast (JUICE_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

static GtkWidget *
create_device_row (gpointer item,
                   gpointer user_data)
{
  return juice_device_row_new (JUICE_DEVICE (item));
}

static void
select_row_of_device (JuiceWindow *self)
{
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->device_list));
       row != NULL;
       row = gtk_widget_get_next_sibling (row))
    {
      if (JUICE_IS_DEVICE_ROW (row) &&
          juice_device_row_get_device (JUICE_DEVICE_ROW (row)) == self->device)
        {
          gtk_list_box_select_row (self->device_list, GTK_LIST_BOX_ROW (row));
          return;
        }
    }
}

static void
on_devices_changed (JuiceWindow *self,
                    guint        position,
                    guint        removed,
                    guint        added,
                    GListModel  *model)
{
  g_autoptr(JuiceDevice) first = NULL;

  /* Keep a device shown while there is one. */
  if (self->device == NULL && g_list_model_get_n_items (model) > 0)
    {
      first = g_list_model_get_item (model, 0);
      juice_window_set_device (self, first);
    }
  select_row_of_device (self);
}

static void
on_device_row_activated (JuiceWindow   *self,
                         GtkListBoxRow *row)
{
  juice_window_set_device (self, juice_device_row_get_device (JUICE_DEVICE_ROW (row)));
  adw_leaflet_set_visible_child (self->leaflet, self->content);

  /* Tab does not cross from the sidebar into the page: Enter does. */
  gtk_widget_child_focus (self->content, GTK_DIR_TAB_FORWARD);
}

/* F6 moves the focus between the device list and the page, as in other
 * GNOME apps with a sidebar. */
static void
switch_pane_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  JuiceWindow *self = JUICE_WINDOW (widget);
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));
  gboolean in_content = focus != NULL && gtk_widget_is_ancestor (focus, self->content);

  if (in_content || adw_leaflet_get_folded (self->leaflet))
    {
      if (adw_leaflet_get_folded (self->leaflet))
        adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
      gtk_widget_child_focus (GTK_WIDGET (self->device_list), GTK_DIR_TAB_FORWARD);
    }
  else
    gtk_widget_child_focus (self->content, GTK_DIR_TAB_FORWARD);
}

static void
show_devices_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  JuiceWindow *self = JUICE_WINDOW (widget);

  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
search_values_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  JuiceWindow *self = JUICE_WINDOW (widget);

  adw_view_stack_set_visible_child_name (self->view_stack, "values");
  juice_values_page_focus_search (self->values_page);
}

static void
juice_window_dispose (GObject *object)
{
  JuiceWindow *self = (JuiceWindow *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), JUICE_TYPE_WINDOW);
  g_clear_object (&self->device);
  g_clear_object (&self->devices);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->link_state, g_free);

  G_OBJECT_CLASS (juice_window_parent_class)->dispose (object);
}

static void
juice_window_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  JuiceWindow *self = JUICE_WINDOW (object);

  switch (prop_id)
    {
    case PROP_DEVICE:
      g_value_set_object (value, self->device);
      break;

    case PROP_DEVICES:
      g_value_set_object (value, self->devices);
      break;

    case PROP_LINK_STATE:
      g_value_set_string (value, self->link_state);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
juice_window_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  JuiceWindow *self = JUICE_WINDOW (object);

  switch (prop_id)
    {
    case PROP_DEVICE:
      juice_window_set_device (self, g_value_get_object (value));
      break;

    case PROP_DEVICES:
      juice_window_set_devices (self, g_value_get_object (value));
      break;

    case PROP_LINK_STATE:
      if (g_strcmp0 (self->link_state, g_value_get_string (value)) != 0)
        {
          g_free (self->link_state);
          self->link_state = g_value_dup_string (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* A spinner animates even on a hidden page, and keeps the window drawing 60
 * frames a second: it spins only while its page is shown. */
static void
sync_loading_spinner (JuiceWindow *self)
{
  const char *page = gtk_stack_get_visible_child_name (self->main_stack);

  gtk_spinner_set_spinning (self->loading_spinner, g_strcmp0 (page, "loading") == 0);
}

/* "window mapped" and "first frame drawn" in the debug log
 * (G_MESSAGES_DEBUG=juice-window): the start-up benchmark reads them. */
static void
first_frame_cb (GdkFrameClock *clock,
                JuiceWindow   *self)
{
  g_signal_handlers_disconnect_by_func (clock, first_frame_cb, self);
  g_debug ("first frame drawn");
}

static void
juice_window_map (GtkWidget *widget)
{
  static gboolean first = TRUE;

  GTK_WIDGET_CLASS (juice_window_parent_class)->map (widget);

  if (first)
    {
      first = FALSE;
      g_debug ("window mapped");
      g_signal_connect (gtk_widget_get_frame_clock (widget), "after-paint",
                        G_CALLBACK (first_frame_cb), widget);
    }
}

static void
juice_window_class_init (JuiceWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = juice_window_dispose;
  object_class->get_property = juice_window_get_property;
  object_class->set_property = juice_window_set_property;
  widget_class->map = juice_window_map;

  /* The live link's state, shown when it is not "Connected"; NULL for none. */
  properties[PROP_LINK_STATE] =
    g_param_spec_string ("link-state", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_DEVICES] =
    g_param_spec_object ("devices", NULL, NULL, G_TYPE_LIST_MODEL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_DEVICE] =
    g_param_spec_object ("device", NULL, NULL, JUICE_TYPE_DEVICE,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (JUICE_TYPE_DEVICE);
  g_type_ensure (JUICE_TYPE_DEVICE_PAGE);
  g_type_ensure (JUICE_TYPE_VALUES_PAGE);
  g_type_ensure (JUICE_TYPE_DEVICE_ROW);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/juice-window.ui");
  gtk_widget_class_bind_template_child (widget_class, JuiceWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, JuiceWindow, device_page);
  gtk_widget_class_bind_template_child (widget_class, JuiceWindow, values_page);
  gtk_widget_class_bind_template_child (widget_class, JuiceWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, JuiceWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, JuiceWindow, device_list);
  gtk_widget_class_bind_template_child (widget_class, JuiceWindow, content);
  gtk_widget_class_bind_template_child (widget_class, JuiceWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, JuiceWindow, window_toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, JuiceWindow, welcome_page);
  gtk_widget_class_bind_template_child (widget_class, JuiceWindow, loading_page);
  gtk_widget_class_bind_template_child (widget_class, JuiceWindow, loading_spinner);
  gtk_widget_class_bind_template_callback (widget_class, sync_loading_spinner);
  gtk_widget_class_bind_template_callback (widget_class, on_device_row_activated);
  gtk_widget_class_bind_template_callback (widget_class, is_link_trouble);
  gtk_widget_class_bind_template_callback (widget_class, format_link_state);
  gtk_widget_class_install_action (widget_class, "win.show-devices", NULL, show_devices_action);
  gtk_widget_class_install_action (widget_class, "win.switch-pane", NULL, switch_pane_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F6, 0, "win.switch-pane", NULL);
  gtk_widget_class_bind_template_callback (widget_class, format_subtitle);

  gtk_widget_class_install_action (widget_class, "win.show-toast", "s", show_toast_action);
  gtk_widget_class_install_action (widget_class, "win.search-values", NULL, search_values_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "win.search-values", NULL);
}

static void
juice_window_init (JuiceWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  juice_a11y_name_status_page (self->welcome_page);
  juice_a11y_name_status_page (self->loading_page);

  /* The window comes back the size it was left. */
  self->settings = g_settings_new (APP_ID);
  g_settings_bind (self->settings, "window-width", self, "default-width", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-height", self, "default-height", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "window-maximized", self, "maximized", G_SETTINGS_BIND_DEFAULT);
}

JuiceWindow *
juice_window_new (gpointer    application,
                  GListModel *devices)
{
  g_return_val_if_fail (!application || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (!devices || G_IS_LIST_MODEL (devices), NULL);

  return g_object_new (JUICE_TYPE_WINDOW,
                       "application", application,
                       "devices", devices,
                       NULL);
}

JuiceDevice *
juice_window_get_device (JuiceWindow *self)
{
  g_return_val_if_fail (JUICE_IS_WINDOW (self), NULL);

  return self->device;
}

void
juice_window_set_device (JuiceWindow *self,
                         JuiceDevice *device)
{
  g_return_if_fail (JUICE_IS_WINDOW (self));
  g_return_if_fail (!device || JUICE_IS_DEVICE (device));

  if (g_set_object (&self->device, device))
    {
      select_row_of_device (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEVICE]);
    }
}

GListModel *
juice_window_get_devices (JuiceWindow *self)
{
  g_return_val_if_fail (JUICE_IS_WINDOW (self), NULL);

  return self->devices;
}

void
juice_window_set_devices (JuiceWindow *self,
                          GListModel  *devices)
{
  g_return_if_fail (JUICE_IS_WINDOW (self));
  g_return_if_fail (!devices || G_IS_LIST_MODEL (devices));

  gtk_stack_set_visible_child_name (self->main_stack, devices != NULL ? "devices" : "welcome");

  if (self->devices == devices)
    return;

  if (self->devices != NULL)
    g_signal_handlers_disconnect_by_func (self->devices, on_devices_changed, self);

  g_set_object (&self->devices, devices);
  gtk_list_box_bind_model (self->device_list, devices, create_device_row, NULL, NULL);
  /* Another list: show its first device, not one of the old list. */
  juice_window_set_device (self, NULL);

  if (devices != NULL)
    {
      g_signal_connect_object (devices, "items-changed", G_CALLBACK (on_devices_changed), self,
                               G_CONNECT_SWAPPED | G_CONNECT_AFTER);
      on_devices_changed (self, 0, 0, 0, devices);
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEVICES]);
}

void
juice_window_add_toast (JuiceWindow *self,
                        const char  *message)
{
  g_return_if_fail (JUICE_IS_WINDOW (self));

  AdwToast *toast = adw_toast_new (message);
  gboolean on_device = g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), "devices") == 0;

  adw_toast_set_timeout (toast, 6);
  adw_toast_overlay_add_toast (on_device ? self->toast_overlay : self->window_toast_overlay, toast);
}

void
juice_window_show_loading (JuiceWindow *self)
{
  g_return_if_fail (JUICE_IS_WINDOW (self));

  gtk_stack_set_visible_child_name (self->main_stack, "loading");
}
