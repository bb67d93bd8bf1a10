/* tray-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "tray-util.h"

static gboolean
wake_up (gpointer user_data)
{
  gboolean *fired = user_data;

  *fired = TRUE;
  return G_SOURCE_REMOVE;
}

void
tray_util_iterate (void)
{
  gboolean fired = FALSE;
  guint id = g_timeout_add (100, wake_up, &fired);

  g_main_context_iteration (NULL, TRUE);
  if (!fired)
    g_source_remove (id);
}

TrayFixture *
tray_fixture_new (const char *app_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  TrayFixture *fixture;

  if (bus == NULL)
    return NULL;

  fixture = g_new0 (TrayFixture, 1);
  fixture->app = g_application_new (app_id, G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (fixture->app, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (g_application_get_dbus_connection (fixture->app));

  fixture->sim = juice_sim_device_new ("DCABZ8A1B2C3D4E5");
  g_object_set (fixture->sim, "report-interval-ms", 0, "ack-delay-ms", 50, "apply-delay-ms", 200,
                "time-of-day", 0.0, NULL);
  juice_sim_device_set_name (fixture->sim, "Cabin");
  fixture->device = juice_device_new ("DCABZ8A1B2C3D4E5", juice_device_profile_delta_pro ());
  juice_sim_device_attach (fixture->sim, fixture->device);
  juice_sim_device_step (fixture->sim, 1);
  fixture->devices = g_list_store_new (JUICE_TYPE_DEVICE);
  g_list_store_append (fixture->devices, fixture->device);

  return fixture;
}

void
tray_fixture_free (TrayFixture *fixture)
{
  g_clear_object (&fixture->devices);
  g_clear_object (&fixture->device);
  g_clear_object (&fixture->sim);
  g_clear_object (&fixture->app);
  g_free (fixture);
}

void
tray_fixture_set_soc (TrayFixture *fixture,
                      int          soc)
{
  juice_sim_device_set_quota_int (fixture->sim, "pd.soc", soc);
  juice_sim_device_step (fixture->sim, 0);
  TRAY_WAIT_UNTIL ((int) juice_device_get_soc (fixture->device) == soc);
}

GDBusConnection *
tray_util_connect (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *address = g_dbus_address_get_for_bus_sync (G_BUS_TYPE_SESSION, NULL, &error);
  GDBusConnection *connection;

  g_assert_no_error (error);
  connection = g_dbus_connection_new_for_address_sync (address,
                                                       G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                       G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                       NULL, NULL, &error);
  g_assert_no_error (error);
  return connection;
}

typedef struct
{
  GVariant *reply;
  GError   *error;
  gboolean  done;
} CallResult;

static void
call_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  CallResult *call = user_data;

  call->reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (object), result, &call->error);
  call->done = TRUE;
}

GVariant *
tray_util_call (GDBusConnection *connection,
                const char      *bus_name,
                const char      *path,
                const char      *interface,
                const char      *method,
                GVariant        *parameters,
                const char      *reply_type)
{
  CallResult call = { NULL, NULL, FALSE };

  g_dbus_connection_call (connection, bus_name, path, interface, method, parameters,
                          reply_type != NULL ? G_VARIANT_TYPE (reply_type) : NULL,
                          G_DBUS_CALL_FLAGS_NO_AUTO_START, 20000, NULL, call_cb, &call);
  TRAY_WAIT_UNTIL (call.done);
  g_assert_no_error (call.error);
  return call.reply;
}
