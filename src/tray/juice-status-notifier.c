/* juice-status-notifier.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "juice-status-notifier"

#include "config.h"

#include <unistd.h>

#include "juice-status-notifier.h"

#define ITEM_PATH "/StatusNotifierItem"
#define ITEM_INTERFACE "org.kde.StatusNotifierItem"
#define WATCHER_NAME "org.kde.StatusNotifierWatcher"
#define WATCHER_PATH "/StatusNotifierWatcher"

static const char introspection_xml[] =
  "<node>"
  " <interface name='org.kde.StatusNotifierItem'>"
  "  <property name='Category' type='s' access='read'/>"
  "  <property name='Id' type='s' access='read'/>"
  "  <property name='Title' type='s' access='read'/>"
  "  <property name='Status' type='s' access='read'/>"
  "  <property name='WindowId' type='i' access='read'/>"
  "  <property name='IconThemePath' type='s' access='read'/>"
  "  <property name='IconName' type='s' access='read'/>"
  "  <property name='IconPixmap' type='a(iiay)' access='read'/>"
  "  <property name='OverlayIconName' type='s' access='read'/>"
  "  <property name='OverlayIconPixmap' type='a(iiay)' access='read'/>"
  "  <property name='AttentionIconName' type='s' access='read'/>"
  "  <property name='AttentionIconPixmap' type='a(iiay)' access='read'/>"
  "  <property name='AttentionMovieName' type='s' access='read'/>"
  "  <property name='ToolTip' type='(sa(iiay)ss)' access='read'/>"
  "  <property name='ItemIsMenu' type='b' access='read'/>"
  "  <property name='Menu' type='o' access='read'/>"
  "  <method name='ContextMenu'><arg type='i' direction='in'/><arg type='i' direction='in'/></method>"
  "  <method name='Activate'><arg type='i' direction='in'/><arg type='i' direction='in'/></method>"
  "  <method name='SecondaryActivate'><arg type='i' direction='in'/><arg type='i' direction='in'/></method>"
  "  <method name='Scroll'><arg type='i' direction='in'/><arg type='s' direction='in'/></method>"
  "  <signal name='NewTitle'/>"
  "  <signal name='NewIcon'/>"
  "  <signal name='NewAttentionIcon'/>"
  "  <signal name='NewOverlayIcon'/>"
  "  <signal name='NewToolTip'/>"
  "  <signal name='NewStatus'><arg type='s'/></signal>"
  " </interface>"
  "</node>";

typedef enum
{
  CHANGED_TITLE   = 1 << 0,
  CHANGED_ICON    = 1 << 1,
  CHANGED_TOOLTIP = 1 << 2,
  CHANGED_STATUS  = 1 << 3,
} Changed;

struct _JuiceStatusNotifier
{
  GObject          parent_instance;

  /* owned references */
  GDBusConnection *connection;
  GCancellable    *cancellable;
  char            *bus_name;
  char            *id;
  char            *menu_path;
  char            *title;
  char            *icon_name;
  char            *icon_theme_path;
  GVariant        *icon_pixmap;      /* a(iiay) */
  char            *tooltip_title;
  char            *tooltip_body;
  char            *status;

  /* state */
  guint            registration_id;
  guint            own_id;
  guint            watch_id;
  guint            changed_idle_id;
  Changed          changed;
  gboolean         name_acquired;
  gboolean         name_refused;     /* register by object path then */
  gboolean         watcher_present;
  gboolean         registered;
};

G_DEFINE_FINAL_TYPE (JuiceStatusNotifier, juice_status_notifier, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_REGISTERED,
  PROP_BUS_NAME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  ACTIVATE,
  SECONDARY_ACTIVATE,
  SCROLL,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
set_registered (JuiceStatusNotifier *self,
                gboolean             registered)
{
  if (self->registered == registered)
    return;

  self->registered = registered;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REGISTERED]);
}

static GVariant *
empty_pixmaps (void)
{
  return g_variant_new_array (G_VARIANT_TYPE ("(iiay)"), NULL, 0);
}

static GVariant *
get_property (GDBusConnection  *connection,
              const char       *sender,
              const char       *object_path,
              const char       *interface_name,
              const char       *property_name,
              GError          **error,
              gpointer          user_data)
{
  JuiceStatusNotifier *self = user_data;

  if (g_strcmp0 (property_name, "Category") == 0)
    return g_variant_new_string ("Hardware");
  if (g_strcmp0 (property_name, "Id") == 0)
    return g_variant_new_string (self->id);
  if (g_strcmp0 (property_name, "Title") == 0)
    return g_variant_new_string (self->title ? self->title : "");
  if (g_strcmp0 (property_name, "Status") == 0)
    return g_variant_new_string (self->status);
  if (g_strcmp0 (property_name, "WindowId") == 0)
    return g_variant_new_int32 (0);
  if (g_strcmp0 (property_name, "IconThemePath") == 0)
    return g_variant_new_string (self->icon_theme_path ? self->icon_theme_path : "");
  if (g_strcmp0 (property_name, "IconName") == 0)
    return g_variant_new_string (self->icon_name ? self->icon_name : "");
  if (g_strcmp0 (property_name, "IconPixmap") == 0)
    return self->icon_pixmap ? g_variant_ref (self->icon_pixmap) : empty_pixmaps ();
  if (g_strcmp0 (property_name, "OverlayIconName") == 0 ||
      g_strcmp0 (property_name, "AttentionIconName") == 0 ||
      g_strcmp0 (property_name, "AttentionMovieName") == 0)
    return g_variant_new_string ("");
  if (g_strcmp0 (property_name, "OverlayIconPixmap") == 0 ||
      g_strcmp0 (property_name, "AttentionIconPixmap") == 0)
    return empty_pixmaps ();
  if (g_strcmp0 (property_name, "ToolTip") == 0)
    return g_variant_new ("(s@a(iiay)ss)", self->icon_name ? self->icon_name : "", empty_pixmaps (),
                          self->tooltip_title ? self->tooltip_title : "",
                          self->tooltip_body ? self->tooltip_body : "");
  if (g_strcmp0 (property_name, "ItemIsMenu") == 0)
    return g_variant_new_boolean (FALSE);
  if (g_strcmp0 (property_name, "Menu") == 0)
    return g_variant_new_object_path (self->menu_path);

  g_set_error (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_PROPERTY, "No property %s", property_name);
  return NULL;
}

static void
method_call (GDBusConnection       *connection,
             const char            *sender,
             const char            *object_path,
             const char            *interface_name,
             const char            *method_name,
             GVariant              *parameters,
             GDBusMethodInvocation *invocation,
             gpointer               user_data)
{
  g_autoptr(JuiceStatusNotifier) self = g_object_ref (user_data);
  int a = 0;
  int b = 0;
  const char *orientation = NULL;

  if (g_strcmp0 (method_name, "Scroll") == 0)
    {
      g_variant_get (parameters, "(i&s)", &a, &orientation);
      g_dbus_method_invocation_return_value (invocation, NULL);
      g_signal_emit (self, signals[SCROLL], 0, a, orientation);
      return;
    }

  g_variant_get (parameters, "(ii)", &a, &b);
  g_dbus_method_invocation_return_value (invocation, NULL);

  if (g_strcmp0 (method_name, "Activate") == 0)
    g_signal_emit (self, signals[ACTIVATE], 0, a, b);
  else if (g_strcmp0 (method_name, "SecondaryActivate") == 0)
    g_signal_emit (self, signals[SECONDARY_ACTIVATE], 0, a, b);
  /* ContextMenu: the host shows the menu from Menu; nothing to do here. */
}

static const GDBusInterfaceVTable vtable = { method_call, get_property, NULL };

static void
emit (JuiceStatusNotifier *self,
      const char          *name,
      GVariant            *parameters)
{
  g_dbus_connection_emit_signal (self->connection, NULL, ITEM_PATH, ITEM_INTERFACE, name,
                                 parameters, NULL);
}

static gboolean
emit_changed (gpointer user_data)
{
  JuiceStatusNotifier *self = user_data;
  Changed changed = self->changed;

  self->changed_idle_id = 0;
  self->changed = 0;

  if (changed & CHANGED_TITLE)
    emit (self, "NewTitle", NULL);
  if (changed & CHANGED_ICON)
    emit (self, "NewIcon", NULL);
  if (changed & CHANGED_TOOLTIP)
    emit (self, "NewToolTip", NULL);
  if (changed & CHANGED_STATUS)
    emit (self, "NewStatus", g_variant_new ("(s)", self->status));

  return G_SOURCE_REMOVE;
}

static void
queue_changed (JuiceStatusNotifier *self,
               Changed              what)
{
  /* Nobody listens before a watcher took the item: no traffic then. */
  if (!self->registered)
    return;

  self->changed |= what;
  if (self->changed_idle_id == 0)
    self->changed_idle_id = g_idle_add (emit_changed, self);
}

static void
register_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(JuiceStatusNotifier) self = user_data;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (object), result, &error);
  if (reply == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("The tray did not take the item: %s", error->message);
      return;
    }

  if (self->watcher_present)
    {
      g_debug ("Registered %s with the tray", self->bus_name);
      set_registered (self, TRUE);
    }
}

static void
try_register (JuiceStatusNotifier *self)
{
  if (!(self->name_acquired || self->name_refused) || !self->watcher_present)
    return;

  /* Without our well-known name (a sandbox that does not let us own it),
   * watchers take the object path and find us by our unique name. */
  g_dbus_connection_call (self->connection, WATCHER_NAME, WATCHER_PATH, WATCHER_NAME,
                          "RegisterStatusNotifierItem",
                          g_variant_new ("(s)", self->name_acquired ? self->bus_name : ITEM_PATH),
                          NULL, G_DBUS_CALL_FLAGS_NO_AUTO_START, -1, self->cancellable,
                          register_cb, g_object_ref (self));
}

static void
watcher_appeared (GDBusConnection *connection,
                  const char      *name,
                  const char      *name_owner,
                  gpointer         user_data)
{
  JuiceStatusNotifier *self = user_data;

  /* A new owner (a panel that restarted) knows nothing of us: register again. */
  set_registered (self, FALSE);
  self->watcher_present = TRUE;
  try_register (self);
}

static void
watcher_vanished (GDBusConnection *connection,
                  const char      *name,
                  gpointer         user_data)
{
  JuiceStatusNotifier *self = user_data;

  self->watcher_present = FALSE;
  set_registered (self, FALSE);
}

static void
name_acquired (GDBusConnection *connection,
               const char      *name,
               gpointer         user_data)
{
  JuiceStatusNotifier *self = user_data;

  self->name_acquired = TRUE;
  try_register (self);
}

static void
name_lost (GDBusConnection *connection,
           const char      *name,
           gpointer         user_data)
{
  JuiceStatusNotifier *self = user_data;

  g_debug ("No tray item name %s: registering by object path", name);
  /* Lost after having it (the connection closed): nobody can reach us. */
  if (self->name_acquired)
    {
      self->name_acquired = FALSE;
      set_registered (self, FALSE);
      return;
    }

  self->name_refused = TRUE;
  try_register (self);
}

static void
juice_status_notifier_dispose (GObject *object)
{
  JuiceStatusNotifier *self = (JuiceStatusNotifier *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->watch_id, g_bus_unwatch_name);
  g_clear_handle_id (&self->own_id, g_bus_unown_name);
  g_clear_handle_id (&self->changed_idle_id, g_source_remove);
  if (self->registration_id != 0)
    {
      g_dbus_connection_unregister_object (self->connection, self->registration_id);
      self->registration_id = 0;
    }
  g_clear_object (&self->connection);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (juice_status_notifier_parent_class)->dispose (object);
}

static void
juice_status_notifier_finalize (GObject *object)
{
  JuiceStatusNotifier *self = (JuiceStatusNotifier *)object;

  g_free (self->bus_name);
  g_free (self->id);
  g_free (self->menu_path);
  g_free (self->title);
  g_free (self->icon_name);
  g_free (self->icon_theme_path);
  g_clear_pointer (&self->icon_pixmap, g_variant_unref);
  g_free (self->tooltip_title);
  g_free (self->tooltip_body);
  g_free (self->status);

  G_OBJECT_CLASS (juice_status_notifier_parent_class)->finalize (object);
}

static void
juice_status_notifier_get_gproperty (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  JuiceStatusNotifier *self = JUICE_STATUS_NOTIFIER (object);

  switch (prop_id)
    {
    case PROP_REGISTERED:
      g_value_set_boolean (value, self->registered);
      break;

    case PROP_BUS_NAME:
      g_value_set_string (value, self->bus_name);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
juice_status_notifier_class_init (JuiceStatusNotifierClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = juice_status_notifier_dispose;
  object_class->finalize = juice_status_notifier_finalize;
  object_class->get_property = juice_status_notifier_get_gproperty;

  properties[PROP_REGISTERED] =
    g_param_spec_boolean ("registered", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUS_NAME] =
    g_param_spec_string ("bus-name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * JuiceStatusNotifier::activate:
   * A primary click on the icon (x, y on screen, maybe 0).
   */
  signals[ACTIVATE] = g_signal_new ("activate", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_INT);
  /**
   * JuiceStatusNotifier::secondary-activate:
   * A middle click on the icon.
   */
  signals[SECONDARY_ACTIVATE] = g_signal_new ("secondary-activate", G_TYPE_FROM_CLASS (klass),
                                              G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                              G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_INT);
  /**
   * JuiceStatusNotifier::scroll:
   * The wheel turned over the icon ("vertical" or "horizontal").
   */
  signals[SCROLL] = g_signal_new ("scroll", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_STRING);
}

static void
juice_status_notifier_init (JuiceStatusNotifier *self)
{
  self->cancellable = g_cancellable_new ();
  self->status = g_strdup ("Active");
}

JuiceStatusNotifier *
juice_status_notifier_new (GDBusConnection *connection,
                           const char      *id,
                           const char      *menu_path)
{
  static GDBusNodeInfo *info;
  static int counter;
  g_autoptr(GError) error = NULL;
  JuiceStatusNotifier *self;

  g_return_val_if_fail (G_IS_DBUS_CONNECTION (connection), NULL);
  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (menu_path == NULL || g_variant_is_object_path (menu_path), NULL);

  if (g_once_init_enter (&info))
    g_once_init_leave (&info, g_dbus_node_info_new_for_xml (introspection_xml, NULL));

  self = g_object_new (JUICE_TYPE_STATUS_NOTIFIER, NULL);
  self->connection = g_object_ref (connection);
  self->id = g_strdup (id);
  self->menu_path = g_strdup (menu_path != NULL ? menu_path : "/NO_DBUSMENU");
  self->bus_name = g_strdup_printf ("org.kde.StatusNotifierItem-%d-%d", (int) getpid (),
                                    g_atomic_int_add (&counter, 1) + 1);

  self->registration_id = g_dbus_connection_register_object (connection, ITEM_PATH,
                                                             info->interfaces[0], &vtable,
                                                             self, NULL, &error);
  if (self->registration_id == 0)
    {
      /* Another item of this process holds the path: stay invisible. */
      g_debug ("Could not export the tray item: %s", error->message);
      return self;
    }

  self->own_id = g_bus_own_name_on_connection (connection, self->bus_name,
                                               G_BUS_NAME_OWNER_FLAGS_DO_NOT_QUEUE,
                                               name_acquired, name_lost, self, NULL);
  self->watch_id = g_bus_watch_name_on_connection (connection, WATCHER_NAME,
                                                   G_BUS_NAME_WATCHER_FLAGS_NONE,
                                                   watcher_appeared, watcher_vanished,
                                                   self, NULL);
  return self;
}

gboolean
juice_status_notifier_get_registered (JuiceStatusNotifier *self)
{
  g_return_val_if_fail (JUICE_IS_STATUS_NOTIFIER (self), FALSE);

  return self->registered;
}

const char *
juice_status_notifier_get_bus_name (JuiceStatusNotifier *self)
{
  g_return_val_if_fail (JUICE_IS_STATUS_NOTIFIER (self), NULL);

  return self->bus_name;
}

static gboolean
replace (char       **field,
         const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;

  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

void
juice_status_notifier_set_title (JuiceStatusNotifier *self,
                                 const char          *title)
{
  g_return_if_fail (JUICE_IS_STATUS_NOTIFIER (self));

  if (replace (&self->title, title))
    queue_changed (self, CHANGED_TITLE);
}

void
juice_status_notifier_set_icon (JuiceStatusNotifier *self,
                                const char          *icon_name)
{
  g_return_if_fail (JUICE_IS_STATUS_NOTIFIER (self));

  if (replace (&self->icon_name, icon_name))
    queue_changed (self, CHANGED_ICON);
}

void
juice_status_notifier_set_icon_theme_path (JuiceStatusNotifier *self,
                                           const char          *theme_path)
{
  g_return_if_fail (JUICE_IS_STATUS_NOTIFIER (self));

  if (replace (&self->icon_theme_path, theme_path))
    queue_changed (self, CHANGED_ICON);
}

const char *
juice_status_notifier_get_icon (JuiceStatusNotifier *self)
{
  g_return_val_if_fail (JUICE_IS_STATUS_NOTIFIER (self), NULL);

  return self->icon_name;
}

void
juice_status_notifier_set_icon_pixmap (JuiceStatusNotifier *self,
                                       GVariant            *pixmaps)
{
  g_return_if_fail (JUICE_IS_STATUS_NOTIFIER (self));
  g_return_if_fail (pixmaps == NULL || g_variant_is_of_type (pixmaps, G_VARIANT_TYPE ("a(iiay)")));

  if (pixmaps != NULL)
    g_variant_ref_sink (pixmaps);
  if (self->icon_pixmap != NULL && pixmaps != NULL && g_variant_equal (self->icon_pixmap, pixmaps))
    {
      g_variant_unref (pixmaps);
      return;
    }

  g_clear_pointer (&self->icon_pixmap, g_variant_unref);
  self->icon_pixmap = pixmaps;
  queue_changed (self, CHANGED_ICON);
}

void
juice_status_notifier_set_tooltip (JuiceStatusNotifier *self,
                                   const char          *title,
                                   const char          *body)
{
  gboolean changed;

  g_return_if_fail (JUICE_IS_STATUS_NOTIFIER (self));

  changed = replace (&self->tooltip_title, title);
  changed |= replace (&self->tooltip_body, body);
  if (changed)
    queue_changed (self, CHANGED_TOOLTIP);
}

void
juice_status_notifier_set_status (JuiceStatusNotifier *self,
                                  const char          *status)
{
  g_return_if_fail (JUICE_IS_STATUS_NOTIFIER (self));
  g_return_if_fail (status != NULL);

  if (replace (&self->status, status))
    queue_changed (self, CHANGED_STATUS);
}
