/* test-notify.c: what Juice sends to the desktop's notification server as
 * the simulated charge crosses the thresholds. A test
 * org.freedesktop.Notifications server on the session bus records every
 * Notify and CloseNotification: without org.gtk.Notifications on the bus
 * GNotification speaks to it (GLib's fdo backend).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "juice-notifier.h"
#include "tray-util.h"

typedef struct
{
  guint32  id;
  char    *summary;
  char    *body;
  gboolean has_default_action;
  gboolean closed;
} Sent;

typedef struct
{
  GDBusConnection *connection;
  guint            registration_id;
  guint            own_id;
  gboolean         owned;
  GPtrArray       *sent;     /* of Sent, in order */
  guint32          next_id;
} Server;

static const char server_xml[] =
  "<node>"
  " <interface name='org.freedesktop.Notifications'>"
  "  <method name='Notify'>"
  "   <arg type='s' direction='in'/><arg type='u' direction='in'/><arg type='s' direction='in'/>"
  "   <arg type='s' direction='in'/><arg type='s' direction='in'/><arg type='as' direction='in'/>"
  "   <arg type='a{sv}' direction='in'/><arg type='i' direction='in'/>"
  "   <arg type='u' direction='out'/>"
  "  </method>"
  "  <method name='CloseNotification'><arg type='u' direction='in'/></method>"
  "  <method name='GetCapabilities'><arg type='as' direction='out'/></method>"
  "  <method name='GetServerInformation'>"
  "   <arg type='s' direction='out'/><arg type='s' direction='out'/>"
  "   <arg type='s' direction='out'/><arg type='s' direction='out'/>"
  "  </method>"
  "  <signal name='NotificationClosed'><arg type='u'/><arg type='u'/></signal>"
  "  <signal name='ActionInvoked'><arg type='u'/><arg type='s'/></signal>"
  " </interface>"
  "</node>";

static void
sent_free (gpointer data)
{
  Sent *sent = data;

  g_free (sent->summary);
  g_free (sent->body);
  g_free (sent);
}

static void
server_method_call (GDBusConnection       *connection,
                    const char            *sender,
                    const char            *object_path,
                    const char            *interface_name,
                    const char            *method_name,
                    GVariant              *parameters,
                    GDBusMethodInvocation *invocation,
                    gpointer               user_data)
{
  Server *server = user_data;

  if (g_strcmp0 (method_name, "Notify") == 0)
    {
      g_autofree const char **actions = NULL;
      const char *summary, *body;
      guint32 replaces;
      Sent *sent = g_new0 (Sent, 1);

      g_variant_get (parameters, "(&su&s&s&s^a&s@a{sv}i)", NULL, &replaces, NULL, &summary, &body,
                     &actions, NULL, NULL);
      sent->id = replaces != 0 ? replaces : ++server->next_id;
      sent->summary = g_strdup (summary);
      sent->body = g_strdup (body);
      for (guint i = 0; actions[i] != NULL; i += 2)
        sent->has_default_action |= g_str_equal (actions[i], "default");
      g_ptr_array_add (server->sent, sent);
      g_test_message ("Notify %u: %s / %s", sent->id, summary, body);
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u)", sent->id));
    }
  else if (g_strcmp0 (method_name, "CloseNotification") == 0)
    {
      guint32 id;

      g_variant_get (parameters, "(u)", &id);
      for (guint i = 0; i < server->sent->len; i++)
        {
          Sent *sent = g_ptr_array_index (server->sent, i);

          if (sent->id == id)
            {
              g_test_message ("CloseNotification %u: %s", id, sent->summary);
              sent->closed = TRUE;
            }
        }
      g_dbus_method_invocation_return_value (invocation, NULL);
      g_dbus_connection_emit_signal (connection, sender, "/org/freedesktop/Notifications",
                                     "org.freedesktop.Notifications", "NotificationClosed",
                                     g_variant_new ("(uu)", id, 3), NULL);
    }
  else if (g_strcmp0 (method_name, "GetCapabilities") == 0)
    {
      const char *caps[] = { "actions", "body", NULL };

      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(^as)", caps));
    }
  else
    {
      g_dbus_method_invocation_return_value (invocation,
                                             g_variant_new ("(ssss)", "test", "juice", "1", "1.2"));
    }
}

static const GDBusInterfaceVTable server_vtable = { server_method_call };

static void
server_acquired (GDBusConnection *connection,
                 const char      *name,
                 gpointer         user_data)
{
  ((Server *) user_data)->owned = TRUE;
}

static Server *
server_new (void)
{
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (server_xml, NULL);
  g_autoptr(GError) error = NULL;
  Server *server = g_new0 (Server, 1);

  server->connection = tray_util_connect ();
  server->sent = g_ptr_array_new_with_free_func (sent_free);
  server->registration_id = g_dbus_connection_register_object (server->connection,
                                                               "/org/freedesktop/Notifications",
                                                               info->interfaces[0], &server_vtable,
                                                               server, NULL, &error);
  g_assert_no_error (error);
  server->own_id = g_bus_own_name_on_connection (server->connection, "org.freedesktop.Notifications",
                                                 G_BUS_NAME_OWNER_FLAGS_NONE, server_acquired,
                                                 NULL, server, NULL);
  TRAY_WAIT_UNTIL (server->owned);
  return server;
}

static void
server_free (Server *server)
{
  g_bus_unown_name (server->own_id);
  g_dbus_connection_unregister_object (server->connection, server->registration_id);
  g_dbus_connection_close_sync (server->connection, NULL, NULL);
  g_object_unref (server->connection);
  g_ptr_array_unref (server->sent);
  g_free (server);
}

/* The notifications sent whose summary starts with @prefix. */
static guint
count_sent (Server     *server,
            const char *prefix,
            gboolean    closed_only)
{
  guint n = 0;

  for (guint i = 0; i < server->sent->len; i++)
    {
      Sent *sent = g_ptr_array_index (server->sent, i);

      if (g_str_has_prefix (sent->summary, prefix) && (!closed_only || sent->closed))
        n++;
    }

  return n;
}

static Sent *
last_sent (Server *server)
{
  g_assert_cmpuint (server->sent->len, >, 0);
  return g_ptr_array_index (server->sent, server->sent->len - 1);
}

/* Everything the app sent to the server so far has arrived, and the app
 * has read every reply the server sent it: a round trip through the
 * server's connection from the app's own. */
static void
settle (TrayFixture *fixture,
        Server      *server)
{
  g_autoptr(GVariant) reply = NULL;

  reply = tray_util_call (g_application_get_dbus_connection (fixture->app),
                          g_dbus_connection_get_unique_name (server->connection),
                          "/org/freedesktop/Notifications", "org.freedesktop.DBus.Peer", "Ping",
                          NULL, "()");
}

static void
show_device_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  char **shown = user_data;

  g_free (*shown);
  *shown = g_variant_dup_string (parameter, NULL);
}

static void
test_notify_thresholds (void)
{
  g_autoptr(TrayFixture) fixture = tray_fixture_new ("io.github.juicepower.Juice.TestNotify");
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(JuiceNotifier) notifier = NULL;
  g_autoptr(GSimpleAction) show_device = NULL;
  g_autofree char *shown = NULL;
  Server *server;
  Sent *low, *full, *offline, *online;

  if (fixture == NULL)
    {
      g_test_skip ("No session bus (run inside build-aux/dev.sh test)");
      return;
    }

  server = server_new ();
  settings = g_settings_new ("io.github.juicepower.Juice");
  g_settings_set_int (settings, "notify-low-charge", 20);
  show_device = g_simple_action_new ("show-device", G_VARIANT_TYPE_STRING);
  g_signal_connect (show_device, "activate", G_CALLBACK (show_device_action), &shown);
  g_action_map_add_action (G_ACTION_MAP (fixture->app), G_ACTION (show_device));

  juice_sim_device_set_quota_int (fixture->sim, "ems.maxChargeSoc", 90);
  tray_fixture_set_soc (fixture, 50);
  notifier = juice_notifier_new (fixture->app, settings);
  juice_notifier_set_offline_delay_seconds (notifier, 1);
  juice_notifier_set_devices (notifier, G_LIST_MODEL (fixture->devices));
  settle (fixture, server);
  g_assert_cmpuint (server->sent->len, ==, 0);

  /* Below 20 %: once, however far it falls. */
  tray_fixture_set_soc (fixture, 19);
  TRAY_WAIT_UNTIL (count_sent (server, "Cabin is low", FALSE) == 1);
  low = last_sent (server);
  g_assert_cmpstr (low->body, ==, "The charge is down to 19 %.");
  g_assert_true (low->has_default_action);
  settle (fixture, server);
  tray_fixture_set_soc (fixture, 18);
  tray_fixture_set_soc (fixture, 12);
  tray_fixture_set_soc (fixture, 21);
  settle (fixture, server);
  g_assert_cmpuint (server->sent->len, ==, 1);
  g_assert_false (low->closed);

  /* Back above it (with 2 points of margin): withdrawn. */
  tray_fixture_set_soc (fixture, 22);
  TRAY_WAIT_UNTIL (low->closed);
  settle (fixture, server);
  g_assert_cmpuint (server->sent->len, ==, 1);

  /* A new fall is a new event. */
  tray_fixture_set_soc (fixture, 15);
  TRAY_WAIT_UNTIL (count_sent (server, "Cabin is low", FALSE) == 2);
  low = last_sent (server);
  /* GLib's fdo backend can only withdraw what the server numbered. */
  settle (fixture, server);
  tray_fixture_set_soc (fixture, 60);
  TRAY_WAIT_UNTIL (low->closed);

  /* Full at the charge limit (90 %), once; withdrawn below 88 %. */
  tray_fixture_set_soc (fixture, 90);
  TRAY_WAIT_UNTIL (count_sent (server, "Cabin is full", FALSE) == 1);
  full = last_sent (server);
  settle (fixture, server);
  g_assert_cmpstr (full->body, ==, "Charging stopped at its limit of 90 %.");
  settle (fixture, server);
  tray_fixture_set_soc (fixture, 89);
  tray_fixture_set_soc (fixture, 90);
  settle (fixture, server);
  g_assert_cmpuint (count_sent (server, "Cabin is full", FALSE), ==, 1);
  g_assert_false (full->closed);
  tray_fixture_set_soc (fixture, 88);
  TRAY_WAIT_UNTIL (full->closed);

  /* Offline for longer than the delay, then back. */
  juice_sim_device_set_online (fixture->sim, FALSE);
  TRAY_WAIT_UNTIL (!juice_device_get_online (fixture->device));
  TRAY_WAIT_UNTIL (count_sent (server, "Cabin is offline", FALSE) == 1);
  offline = last_sent (server);
  settle (fixture, server);
  juice_sim_device_set_online (fixture->sim, TRUE);
  TRAY_WAIT_UNTIL (offline->closed);
  TRAY_WAIT_UNTIL (count_sent (server, "Cabin is back online", FALSE) == 1);
  online = last_sent (server);
  settle (fixture, server);
  g_assert_cmpuint (count_sent (server, "Cabin is offline", FALSE), ==, 1);

  /* Offline for a moment only: nothing but withdrawing "back online". */
  juice_notifier_set_offline_delay_seconds (notifier, 300);
  settle (fixture, server);
  juice_sim_device_set_online (fixture->sim, FALSE);
  TRAY_WAIT_UNTIL (online->closed);
  juice_sim_device_set_online (fixture->sim, TRUE);
  TRAY_WAIT_UNTIL (juice_device_get_online (fixture->device));
  settle (fixture, server);
  g_assert_cmpuint (count_sent (server, "Cabin is offline", FALSE), ==, 1);
  g_assert_cmpuint (count_sent (server, "Cabin is back online", FALSE), ==, 1);

  /* A failed command; clicking the notification opens the device's page. */
  juice_notifier_command_failed (notifier, fixture->device, "The device refused the command");
  TRAY_WAIT_UNTIL (count_sent (server, "A command to Cabin failed", FALSE) == 1);
  g_assert_cmpstr (last_sent (server)->body, ==, "The device refused the command");
  g_dbus_connection_emit_signal (server->connection, NULL, "/org/freedesktop/Notifications",
                                 "org.freedesktop.Notifications", "ActionInvoked",
                                 g_variant_new ("(us)", last_sent (server)->id, "default"), NULL);
  TRAY_WAIT_UNTIL (shown != NULL);
  g_assert_cmpstr (shown, ==, "DCABZ8A1B2C3D4E5");

  /* Kept for the report: what the server recorded, as text. */
  if (g_getenv ("JUICE_ARTIFACTS_DIR") != NULL)
    {
      g_autoptr(GString) text = g_string_new (NULL);
      g_autofree char *path = NULL;

      g_mkdir_with_parents (g_getenv ("JUICE_ARTIFACTS_DIR"), 0755);
      path = g_build_filename (g_getenv ("JUICE_ARTIFACTS_DIR"), "notifications.txt", NULL);
      for (guint i = 0; i < server->sent->len; i++)
        {
          Sent *sent = g_ptr_array_index (server->sent, i);

          g_string_append_printf (text, "%u\t%s\t%s\t%s\n", sent->id, sent->closed ? "withdrawn" : "shown",
                                  sent->summary, sent->body);
        }
      g_file_set_contents (path, text->str, -1, NULL);
    }

  juice_notifier_set_devices (notifier, NULL);
  g_assert_finalize_object (g_steal_pointer (&notifier));
  server_free (server);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/juice/notify/thresholds", test_notify_thresholds);

  return g_test_run ();
}
