/* test-tray.c: Juice's tray item against a StatusNotifierWatcher of the
 * test's own on the session bus: registration, properties, the dbusmenu
 * layout, "AC output" through Event, a watcher that restarts, no watcher.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "juice-tray.h"
#include "tray-util.h"

#define WATCHER_NAME "org.kde.StatusNotifierWatcher"
#define ITEM_PATH "/StatusNotifierItem"
#define ITEM_INTERFACE "org.kde.StatusNotifierItem"
#define MENU_INTERFACE "com.canonical.dbusmenu"

/* A StatusNotifierWatcher as a panel runs it, on a connection of its own. */
typedef struct
{
  GDBusConnection *connection;
  guint            registration_id;
  guint            own_id;
  gboolean         owned;
  GPtrArray       *registered;       /* service names, in order */
  GPtrArray       *item_signals;     /* names of the item's signals seen */
  guint            menu_updates;     /* ItemsPropertiesUpdated seen */
  guint            signal_id;
} Watcher;

static const char watcher_xml[] =
  "<node>"
  " <interface name='org.kde.StatusNotifierWatcher'>"
  "  <method name='RegisterStatusNotifierItem'><arg type='s' direction='in'/></method>"
  "  <method name='RegisterStatusNotifierHost'><arg type='s' direction='in'/></method>"
  "  <property name='RegisteredStatusNotifierItems' type='as' access='read'/>"
  "  <property name='IsStatusNotifierHostRegistered' type='b' access='read'/>"
  "  <property name='ProtocolVersion' type='i' access='read'/>"
  "  <signal name='StatusNotifierItemRegistered'><arg type='s'/></signal>"
  " </interface>"
  "</node>";

static void
watcher_method_call (GDBusConnection       *connection,
                     const char            *sender,
                     const char            *object_path,
                     const char            *interface_name,
                     const char            *method_name,
                     GVariant              *parameters,
                     GDBusMethodInvocation *invocation,
                     gpointer               user_data)
{
  Watcher *watcher = user_data;
  const char *service;

  g_variant_get (parameters, "(&s)", &service);
  if (g_strcmp0 (method_name, "RegisterStatusNotifierItem") == 0)
    g_ptr_array_add (watcher->registered, g_strdup (service));
  g_dbus_method_invocation_return_value (invocation, NULL);
}

static GVariant *
watcher_get_property (GDBusConnection  *connection,
                      const char       *sender,
                      const char       *object_path,
                      const char       *interface_name,
                      const char       *property_name,
                      GError          **error,
                      gpointer          user_data)
{
  Watcher *watcher = user_data;

  if (g_strcmp0 (property_name, "RegisteredStatusNotifierItems") == 0)
    return g_variant_new_strv ((const char * const *) watcher->registered->pdata,
                               watcher->registered->len);
  if (g_strcmp0 (property_name, "IsStatusNotifierHostRegistered") == 0)
    return g_variant_new_boolean (TRUE);
  return g_variant_new_int32 (0);
}

static const GDBusInterfaceVTable watcher_vtable = { watcher_method_call, watcher_get_property };

static void
on_item_signal (GDBusConnection *connection,
                const char      *sender,
                const char      *path,
                const char      *interface,
                const char      *signal,
                GVariant        *parameters,
                gpointer         user_data)
{
  Watcher *watcher = user_data;

  if (g_strcmp0 (interface, MENU_INTERFACE) == 0 && g_strcmp0 (signal, "ItemsPropertiesUpdated") == 0)
    watcher->menu_updates++;
  g_ptr_array_add (watcher->item_signals, g_strdup (signal));
}

static void
watcher_acquired (GDBusConnection *connection,
                  const char      *name,
                  gpointer         user_data)
{
  ((Watcher *) user_data)->owned = TRUE;
}

static void
watcher_lost (GDBusConnection *connection,
              const char      *name,
              gpointer         user_data)
{
  ((Watcher *) user_data)->owned = FALSE;
}

static void
watcher_own (Watcher *watcher)
{
  watcher->own_id = g_bus_own_name_on_connection (watcher->connection, WATCHER_NAME,
                                                  G_BUS_NAME_OWNER_FLAGS_NONE,
                                                  watcher_acquired, watcher_lost, watcher, NULL);
  TRAY_WAIT_UNTIL (watcher->owned);
}

static void
watcher_disown (Watcher *watcher)
{
  g_clear_handle_id (&watcher->own_id, g_bus_unown_name);
  watcher->owned = FALSE;
}

/* Listens to every signal of every item and menu; owns the name when @own. */
static Watcher *
watcher_new (gboolean own)
{
  static GDBusNodeInfo *info;
  g_autoptr(GError) error = NULL;
  Watcher *watcher = g_new0 (Watcher, 1);

  if (info == NULL)
    info = g_dbus_node_info_new_for_xml (watcher_xml, NULL);

  watcher->connection = tray_util_connect ();
  watcher->registered = g_ptr_array_new_with_free_func (g_free);
  watcher->item_signals = g_ptr_array_new_with_free_func (g_free);
  watcher->registration_id = g_dbus_connection_register_object (watcher->connection,
                                                                "/StatusNotifierWatcher",
                                                                info->interfaces[0],
                                                                &watcher_vtable, watcher,
                                                                NULL, &error);
  g_assert_no_error (error);
  watcher->signal_id = g_dbus_connection_signal_subscribe (watcher->connection, NULL, NULL, NULL,
                                                           NULL, NULL, G_DBUS_SIGNAL_FLAGS_NONE,
                                                           on_item_signal, watcher, NULL);
  if (own)
    watcher_own (watcher);

  return watcher;
}

static void
watcher_free (Watcher *watcher)
{
  watcher_disown (watcher);
  g_dbus_connection_signal_unsubscribe (watcher->connection, watcher->signal_id);
  g_dbus_connection_unregister_object (watcher->connection, watcher->registration_id);
  g_dbus_connection_close_sync (watcher->connection, NULL, NULL);
  g_object_unref (watcher->connection);
  g_ptr_array_unref (watcher->registered);
  g_ptr_array_unref (watcher->item_signals);
  g_free (watcher);
}

static guint
count_signals (Watcher    *watcher,
               const char *name)
{
  guint n = 0;

  for (guint i = 0; i < watcher->item_signals->len; i++)
    if (g_strcmp0 (g_ptr_array_index (watcher->item_signals, i), name) == 0)
      n++;

  return n;
}

static GVariant *
item_property (Watcher    *watcher,
               const char *bus_name,
               const char *name)
{
  g_autoptr(GVariant) reply = NULL;
  GVariant *value;

  reply = tray_util_call (watcher->connection, bus_name, ITEM_PATH, "org.freedesktop.DBus.Properties",
                          "Get", g_variant_new ("(ss)", ITEM_INTERFACE, name), "(v)");
  g_variant_get (reply, "(v)", &value);
  return value;
}

static char *
item_string (Watcher    *watcher,
             const char *bus_name,
             const char *name)
{
  g_autoptr(GVariant) value = item_property (watcher, bus_name, name);

  return g_variant_dup_string (value, NULL);
}

/* The menu's top-level items as (id, properties) pairs. */
static GVariant *
menu_layout (Watcher    *watcher,
             const char *bus_name,
             const char *menu_path,
             guint      *revision)
{
  g_autoptr(GVariant) reply = NULL;
  GVariant *layout;

  reply = tray_util_call (watcher->connection, bus_name, menu_path, MENU_INTERFACE, "GetLayout",
                          g_variant_new_parsed ("(0, -1, @as [])"), "(u(ia{sv}av))");
  g_variant_get (reply, "(u@(ia{sv}av))", revision, &layout);
  return layout;
}

static gboolean
tooltip_has (Watcher    *watcher,
             const char *bus_name,
             const char *text)
{
  g_autoptr(GVariant) tooltip = item_property (watcher, bus_name, "ToolTip");
  const char *body = NULL;

  g_variant_get (tooltip, "(&s@a(iiay)&s&s)", NULL, NULL, NULL, &body);
  return strstr (body, text) != NULL;
}

static GVariant *
menu_item_props (Watcher    *watcher,
                 const char *bus_name,
                 const char *menu_path,
                 int         id)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GVariant) list = NULL;
  GVariant *props = NULL;
  int got;

  reply = tray_util_call (watcher->connection, bus_name, menu_path, MENU_INTERFACE,
                          "GetGroupProperties",
                          g_variant_new_parsed ("([%i], @as [])", id), "(a(ia{sv}))");
  list = g_variant_get_child_value (reply, 0);
  g_assert_cmpuint (g_variant_n_children (list), ==, 1);
  g_variant_get_child (list, 0, "(i@a{sv})", &got, &props);
  g_assert_cmpint (got, ==, id);
  return props;
}

static int
menu_toggle_state (Watcher    *watcher,
                   const char *bus_name,
                   const char *menu_path,
                   int         id)
{
  g_autoptr(GVariant) props = menu_item_props (watcher, bus_name, menu_path, id);
  int state = -2;

  g_assert_true (g_variant_lookup (props, "toggle-state", "i", &state));
  return state;
}

static gboolean
menu_enabled (Watcher    *watcher,
              const char *bus_name,
              const char *menu_path,
              int         id)
{
  g_autoptr(GVariant) props = menu_item_props (watcher, bus_name, menu_path, id);
  gboolean enabled = FALSE;

  g_assert_true (g_variant_lookup (props, "enabled", "b", &enabled));
  return enabled;
}

static void
click (Watcher    *watcher,
       const char *bus_name,
       const char *menu_path,
       int         id)
{
  g_autoptr(GVariant) reply = NULL;

  reply = tray_util_call (watcher->connection, bus_name, menu_path, MENU_INTERFACE, "Event",
                          g_variant_new ("(isvu)", id, "clicked", g_variant_new_int32 (0), 0), "()");
}

static gboolean
registered_as (Watcher    *watcher,
               guint       n,
               const char *bus_name)
{
  return watcher->registered->len == n &&
         g_strcmp0 (g_ptr_array_index (watcher->registered, n - 1), bus_name) == 0;
}

static void
on_command_failed (JuiceTray   *tray,
                   JuiceDevice *device,
                   const char  *message,
                   guint       *n_failed)
{
  g_test_message ("command failed: %s", message);
  (*n_failed)++;
}

static void
test_tray_watcher (void)
{
  g_autoptr(TrayFixture) fixture = tray_fixture_new ("io.github.juicepower.Juice.TestTray");
  g_autoptr(JuiceTray) tray = NULL;
  g_autoptr(GVariant) layout = NULL;
  g_autoptr(GVariant) children = NULL;
  g_autoptr(GVariant) tooltip = NULL;
  g_autoptr(GVariant) pixmaps = NULL;
  g_autofree char *theme_path = NULL;
  g_autofree char *icon_dir = g_build_filename (g_getenv ("JUICE_SOURCE_DIR"), "data", "icons", NULL);
  g_autofree char *menu_path = NULL;
  g_autofree char *icon = NULL;
  g_autofree char *id = NULL;
  g_autofree char *category = NULL;
  g_autofree char *tip_title = NULL;
  g_autofree char *tip_body = NULL;
  g_autofree char *line_label = NULL;
  gboolean found_ac = FALSE, found_show = FALSE, found_quit = FALSE;
  JuiceStatusNotifier *item;
  const char *bus_name;
  Watcher *watcher;
  guint revision, n_icon, n_tooltip, n_failed = 0, n_updates;
  gint64 burst_start;
  double burst_s;
  int ac_id;
  gint64 ac;

  if (fixture == NULL)
    {
      g_test_skip ("No session bus (run inside build-aux/dev.sh test)");
      return;
    }

  watcher = watcher_new (TRUE);

  /* Night, the AC outlets off, 87 %: a battery that does not charge. */
  juice_sim_device_set_quota_int (fixture->sim, "inv.cfgAcEnabled", 0);
  tray_fixture_set_soc (fixture, 87);

  tray = juice_tray_new (fixture->app, icon_dir);
  g_assert_nonnull (tray);
  g_signal_connect (tray, "command-failed", G_CALLBACK (on_command_failed), &n_failed);
  juice_tray_set_devices (tray, G_LIST_MODEL (fixture->devices));
  item = juice_tray_get_item (tray);
  bus_name = juice_status_notifier_get_bus_name (item);
  g_assert_true (g_str_has_prefix (bus_name, "org.kde.StatusNotifierItem-"));

  /* The watcher took the item, by its bus name. */
  TRAY_WAIT_UNTIL (juice_status_notifier_get_registered (item));
  g_assert_true (registered_as (watcher, 1, bus_name));

  /* Its properties, as a panel reads them. */
  id = item_string (watcher, bus_name, "Id");
  category = item_string (watcher, bus_name, "Category");
  icon = item_string (watcher, bus_name, "IconName");
  menu_path = item_string (watcher, bus_name, "Menu");
  g_assert_cmpstr (id, ==, "juice");
  g_assert_cmpstr (category, ==, "Hardware");
  g_assert_cmpstr (icon, ==, "io.github.juicepower.Juice-battery-level-80-symbolic");
  g_assert_cmpstr (menu_path, ==, "/MenuBar");
  theme_path = item_string (watcher, bus_name, "IconThemePath");
  g_assert_cmpstr (theme_path, ==, icon_dir);

  /* The same icon as pixmaps, for hosts without the theme: 22 and 44 px ARGB32. */
  pixmaps = item_property (watcher, bus_name, "IconPixmap");
  g_assert_cmpuint (g_variant_n_children (pixmaps), ==, 2);
  {
    g_autoptr(GVariant) bytes = NULL;
    const guint8 *argb;
    gsize n_bytes, opaque = 0;
    int width, height;

    g_variant_get_child (pixmaps, 0, "(ii@ay)", &width, &height, &bytes);
    argb = g_variant_get_fixed_array (bytes, &n_bytes, 1);
    g_assert_cmpint (width, ==, 22);
    g_assert_cmpint (height, ==, 22);
    g_assert_cmpuint (n_bytes, ==, 22 * 22 * 4);
    for (gsize i = 0; i < n_bytes; i += 4)
      opaque += argb[i] == 0xff;
    /* The battery's outline and four fifths of its fill, not an empty square. */
    g_assert_cmpuint (opaque, >, 40);
    g_assert_cmpuint (opaque, <, 22 * 22 / 2);
  }

  tooltip = item_property (watcher, bus_name, "ToolTip");
  g_variant_get (tooltip, "(s@a(iiay)ss)", NULL, NULL, &tip_title, &tip_body);
  g_test_message ("tooltip: %s / %s", tip_title, tip_body);
  g_assert_cmpstr (tip_title, ==, "Juice");
  g_assert_true (g_str_has_prefix (tip_body, "Cabin: 87 %, in "));

  /* The menu: the device's line, AC output, Show Juice, Quit. */
  layout = menu_layout (watcher, bus_name, menu_path, &revision);
  children = g_variant_get_child_value (layout, 2);
  for (gsize i = 0; i < g_variant_n_children (children); i++)
    {
      g_autoptr(GVariant) boxed = g_variant_get_child_value (children, i);
      g_autoptr(GVariant) child = g_variant_get_variant (boxed);
      g_autoptr(GVariant) props = g_variant_get_child_value (child, 1);
      const char *label = NULL;
      const char *toggle_type = NULL;
      int child_id;

      g_variant_get_child (child, 0, "i", &child_id);
      g_variant_lookup (props, "label", "&s", &label);
      g_variant_lookup (props, "toggle-type", "&s", &toggle_type);
      if (i == 0)
        line_label = g_strdup (label);
      if (g_strcmp0 (label, "AC output") == 0)
        {
          found_ac = TRUE;
          g_assert_cmpstr (toggle_type, ==, "checkmark");
          g_assert_cmpint (child_id, ==, juice_tray_get_ac_output_id (tray, fixture->device));
        }
      found_show |= g_strcmp0 (label, "Show Juice") == 0;
      found_quit |= g_strcmp0 (label, "Quit") == 0;
    }
  g_assert_true (found_ac && found_show && found_quit);
  g_assert_true (g_str_has_prefix (line_label, "Cabin: 87 %, in "));

  /* A report that changes nothing the icon shows: no NewIcon. A round trip
   * to the item after the next change proves every earlier signal arrived. */
  n_icon = count_signals (watcher, "NewIcon");
  tray_fixture_set_soc (fixture, 88);
  tray_fixture_set_soc (fixture, 95);
  TRAY_WAIT_UNTIL (count_signals (watcher, "NewIcon") > n_icon);
  g_free (icon);
  icon = item_string (watcher, bus_name, "IconName");
  g_assert_cmpstr (icon, ==, "io.github.juicepower.Juice-battery-level-100-symbolic");
  g_assert_cmpuint (count_signals (watcher, "NewIcon"), ==, n_icon + 1);

  /* Reports that change nothing at all: no traffic. */
  n_icon = count_signals (watcher, "NewIcon");
  n_tooltip = count_signals (watcher, "NewToolTip");
  n_updates = watcher->menu_updates;
  for (int i = 0; i < 5; i++)
    juice_sim_device_report_all (fixture->sim);
  g_free (icon);
  icon = item_string (watcher, bus_name, "IconName");
  g_assert_cmpuint (count_signals (watcher, "NewIcon"), ==, n_icon);
  g_assert_cmpuint (count_signals (watcher, "NewToolTip"), ==, n_tooltip);
  g_assert_cmpuint (watcher->menu_updates, ==, n_updates);

  /* Power changes with every report: its text goes out at most every 5 s,
   * and the last value does go out. */
  n_tooltip = count_signals (watcher, "NewToolTip");
  n_updates = watcher->menu_updates;
  burst_start = g_get_monotonic_time ();
  for (int i = 1; i <= 20; i++)
    {
      g_autofree char *report = g_strdup_printf ("{\"pd.wattsOutSum\": %d}", 100 + i);

      g_assert_cmpint (juice_device_apply_report_bytes (fixture->device, report, -1, NULL), ==, 1);
      tray_util_iterate ();
    }
  g_free (icon);
  icon = item_string (watcher, bus_name, "IconName");
  burst_s = (g_get_monotonic_time () - burst_start) / (double) G_USEC_PER_SEC;
  g_test_message ("20 power reports in %.2f s: %u NewToolTip, %u menu updates", burst_s,
                  count_signals (watcher, "NewToolTip") - n_tooltip, watcher->menu_updates - n_updates);
  g_assert_cmpuint (count_signals (watcher, "NewToolTip") - n_tooltip, <=, burst_s / 5 + 1);
  g_assert_cmpuint (watcher->menu_updates - n_updates, <=, burst_s / 5 + 1);
  TRAY_WAIT_UNTIL (tooltip_has (watcher, bus_name, "out 120 W"));

  /* AC output through the menu: the command reaches the device; the check
   * follows the device's confirmation, not the click. */
  ac_id = juice_tray_get_ac_output_id (tray, fixture->device);
  g_assert_cmpint (menu_toggle_state (watcher, bus_name, menu_path, ac_id), ==, 0);
  click (watcher, bus_name, menu_path, ac_id);
  g_assert_cmpint (menu_toggle_state (watcher, bus_name, menu_path, ac_id), ==, 0);
  g_assert_false (menu_enabled (watcher, bus_name, menu_path, ac_id));
  TRAY_WAIT_UNTIL (juice_sim_device_get_quota_int (fixture->sim, "inv.cfgAcEnabled", &ac) && ac == 1);
  TRAY_WAIT_UNTIL (menu_toggle_state (watcher, bus_name, menu_path, ac_id) == 1);
  TRAY_WAIT_UNTIL (menu_enabled (watcher, bus_name, menu_path, ac_id));
  g_test_message ("AC output switched on through the menu and confirmed");

  /* A command the device refuses: the check stays, the tray says so. */
  juice_sim_device_set_refuse_commands (fixture->sim, TRUE);
  click (watcher, bus_name, menu_path, ac_id);
  TRAY_WAIT_UNTIL (n_failed == 1);
  TRAY_WAIT_UNTIL (menu_enabled (watcher, bus_name, menu_path, ac_id));
  g_assert_cmpint (menu_toggle_state (watcher, bus_name, menu_path, ac_id), ==, 1);
  g_assert_true (juice_sim_device_get_quota_int (fixture->sim, "inv.cfgAcEnabled", &ac) && ac == 1);
  juice_sim_device_set_refuse_commands (fixture->sim, FALSE);

  /* The panel restarts: the item registers with the new watcher. */
  watcher_disown (watcher);
  TRAY_WAIT_UNTIL (!juice_status_notifier_get_registered (item));
  watcher_own (watcher);
  TRAY_WAIT_UNTIL (juice_status_notifier_get_registered (item));
  g_assert_true (registered_as (watcher, 2, bus_name));

  juice_tray_set_devices (tray, NULL);
  g_assert_finalize_object (g_steal_pointer (&tray));
  watcher_free (watcher);
}

static gboolean
name_has_owner (Watcher    *watcher,
                const char *name)
{
  g_autoptr(GVariant) reply = NULL;
  gboolean has = FALSE;

  reply = tray_util_call (watcher->connection, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                          "org.freedesktop.DBus", "NameHasOwner", g_variant_new ("(s)", name), "(b)");
  g_variant_get (reply, "(b)", &has);
  return has;
}

static void
test_tray_no_watcher (void)
{
  g_autoptr(TrayFixture) fixture = tray_fixture_new ("io.github.juicepower.Juice.TestTrayAlone");
  g_autoptr(JuiceTray) tray = NULL;
  g_autofree char *label = NULL;
  JuiceStatusNotifier *item;
  Watcher *listener;
  g_autoptr(GVariant) reply = NULL;

  if (fixture == NULL)
    {
      g_test_skip ("No session bus (run inside build-aux/dev.sh test)");
      return;
    }

  /* Listens to everything, owns nothing. */
  listener = watcher_new (FALSE);

  tray = juice_tray_new (fixture->app, NULL);
  juice_tray_set_devices (tray, G_LIST_MODEL (fixture->devices));
  item = juice_tray_get_item (tray);

  /* The item's name is on the bus once; then charge changes: still quiet. */
  TRAY_WAIT_UNTIL (name_has_owner (listener, juice_status_notifier_get_bus_name (item)));
  tray_fixture_set_soc (fixture, 40);
  tray_fixture_set_soc (fixture, 70);
  juice_sim_device_set_quota_int (fixture->sim, "inv.cfgAcEnabled", 1);
  juice_sim_device_step (fixture->sim, 0);

  /* A round trip through the bus: whatever the app sent before has arrived. */
  g_clear_pointer (&reply, g_variant_unref);
  reply = tray_util_call (listener->connection, juice_status_notifier_get_bus_name (item),
                          ITEM_PATH, "org.freedesktop.DBus.Peer", "Ping", NULL, "()");
  g_assert_false (juice_status_notifier_get_registered (item));
  g_assert_cmpuint (count_signals (listener, "NewIcon"), ==, 0);
  g_assert_cmpuint (count_signals (listener, "NewToolTip"), ==, 0);
  g_assert_cmpuint (listener->menu_updates, ==, 0);

  /* The app's state still follows the device. */
  label = g_strdup (juice_dbusmenu_get_label (juice_tray_get_menu (tray),
                                              juice_tray_get_line_id (tray, fixture->device)));
  g_assert_true (g_str_has_prefix (label, "Cabin: 70 %"));

  juice_tray_set_devices (tray, NULL);
  g_assert_finalize_object (g_steal_pointer (&tray));
  watcher_free (listener);
}

/* A bus that does not let the app own its item name (a sandbox): the item
 * registers by object path, and the watcher reaches it by unique name. */
static void
test_tray_name_refused (void)
{
  g_autoptr(TrayFixture) fixture = tray_fixture_new ("io.github.juicepower.Juice.TestTrayPath");
  g_autoptr(JuiceTray) tray = NULL;
  g_autofree char *taken = NULL;
  g_autofree char *id = NULL;
  const char *unique_name;
  Watcher *watcher;
  guint taken_id;

  if (fixture == NULL)
    {
      g_test_skip ("No session bus (run inside build-aux/dev.sh test)");
      return;
    }

  watcher = watcher_new (TRUE);
  /* The next item of this process will want the name after a probe's:
   * someone else has it. */
  {
    g_autoptr(JuiceStatusNotifier) probe = NULL;
    const char *probe_name;

    probe = juice_status_notifier_new (g_application_get_dbus_connection (fixture->app), "probe",
                                       NULL);
    probe_name = juice_status_notifier_get_bus_name (probe);
    taken = g_strdup_printf ("org.kde.StatusNotifierItem-%d-%d", (int) getpid (),
                             atoi (strrchr (probe_name, '-') + 1) + 1);
  }
  taken_id = g_bus_own_name_on_connection (watcher->connection, taken, G_BUS_NAME_OWNER_FLAGS_NONE,
                                           NULL, NULL, NULL, NULL);
  TRAY_WAIT_UNTIL (name_has_owner (watcher, taken));

  tray = juice_tray_new (fixture->app, NULL);
  g_assert_cmpstr (juice_status_notifier_get_bus_name (juice_tray_get_item (tray)), ==, taken);
  TRAY_WAIT_UNTIL (juice_status_notifier_get_registered (juice_tray_get_item (tray)));
  g_assert_true (registered_as (watcher, 1, "/StatusNotifierItem"));

  unique_name = g_dbus_connection_get_unique_name (g_application_get_dbus_connection (fixture->app));
  id = item_string (watcher, unique_name, "Id");
  g_assert_cmpstr (id, ==, "juice");

  g_bus_unown_name (taken_id);
  g_assert_finalize_object (g_steal_pointer (&tray));
  watcher_free (watcher);
}

static void
test_tray_icon_names (void)
{
  struct { double soc; gboolean charging; gboolean online; const char *name; } cases[] = {
    { 0, FALSE, TRUE, "io.github.juicepower.Juice-battery-level-0-symbolic" },
    { 9, FALSE, TRUE, "io.github.juicepower.Juice-battery-level-0-symbolic" },
    { 10, TRUE, TRUE, "io.github.juicepower.Juice-battery-level-20-charging-symbolic" },
    { 49, FALSE, TRUE, "io.github.juicepower.Juice-battery-level-40-symbolic" },
    { 87, TRUE, TRUE, "io.github.juicepower.Juice-battery-level-80-charging-symbolic" },
    { 100, FALSE, TRUE, "io.github.juicepower.Juice-battery-level-100-symbolic" },
    { 50, FALSE, FALSE, "io.github.juicepower.Juice-battery-missing-symbolic" },
  };
  g_autofree char *icons = g_build_filename (g_getenv ("JUICE_SOURCE_DIR"), "data", "icons",
                                             "hicolor", "symbolic", "apps", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = juice_tray_icon_name (cases[i].soc, cases[i].charging, cases[i].online);
      g_autofree char *file = g_strconcat (name, ".svg", NULL);
      g_autofree char *path = g_build_filename (icons, file, NULL);

      g_assert_cmpstr (name, ==, cases[i].name);
      /* Every name the tray uses is an icon the project ships. */
      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
        g_error ("%s is not in data/icons", file);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/juice/tray/icon-names", test_tray_icon_names);
  g_test_add_func ("/juice/tray/watcher", test_tray_watcher);
  g_test_add_func ("/juice/tray/no-watcher", test_tray_no_watcher);
  g_test_add_func ("/juice/tray/name-refused", test_tray_name_refused);

  return g_test_run ();
}
