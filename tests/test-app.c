/* test-app.c: the whole app: welcome, demo, sign in against the fake cloud
 * and a real broker, live values on the device page, sign out
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <stdlib.h>
#include <string.h>

#include <adwaita.h>

#include "fake-cloud.h"
#include "juice-application.h"
#include "juice-credentials.h"
#include "juice-device-page.h"
#include "juice-sign-in-dialog.h"
#include "juice-window.h"
#include "ui-util.h"
#include "mosquitto-fixture.h"
#include "sim-broker-device.h"

#define SN "DCABZ8A1B2C3D4E5"

static GString *log_text;

/* Everything logged, debug included, to check that no key is in it. */
static GLogWriterOutput
capture_log (GLogLevelFlags   level,
             const GLogField *fields,
             gsize            n_fields,
             gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    if (g_strcmp0 (fields[i].key, "MESSAGE") == 0 && fields[i].length < 0)
      g_string_append_printf (log_text, "%s\n", (const char *) fields[i].value);

  if (level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING))
    return g_log_writer_standard_streams (level, fields, n_fields, user_data);

  return G_LOG_WRITER_HANDLED;
}

static const char *
visible_page (JuiceWindow *window)
{
  GtkWidget *stack = ui_find_by_type (GTK_WIDGET (window), GTK_TYPE_STACK);

  return gtk_stack_get_visible_child_name (GTK_STACK (stack));
}

static gboolean
page_is (JuiceWindow *window,
         const char  *name)
{
  return g_strcmp0 (visible_page (window), name) == 0;
}

static gboolean
label_is (GtkWidget  *label,
          const char *text)
{
  return g_strcmp0 (ui_label_text (label), text) == 0;
}

static gboolean
mqtt_connected (JuiceApplication *app,
                SimBrokerDevice  *device_link)
{
  JuiceAccount *account = juice_application_get_account (app);
  JuiceMqtt *mqtt = account != NULL ? juice_account_get_mqtt (account) : NULL;

  return mqtt != NULL && juice_mqtt_get_state (mqtt) == JUICE_MQTT_STATE_CONNECTED &&
         juice_mqtt_get_state (sim_broker_device_get_mqtt (device_link)) == JUICE_MQTT_STATE_CONNECTED;
}

static gboolean
shows_account_device (JuiceApplication *app,
                      JuiceWindow      *window)
{
  JuiceDevice *device = juice_window_get_device (window);

  return juice_application_get_account (app) != NULL && device != NULL &&
         device != juice_application_get_demo_device (app);
}

static gboolean
keys_stored (const char *base_url)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JuiceCredentials) stored = juice_credentials_lookup_sync (base_url, NULL, &error);

  g_assert_no_error (error);
  return stored != NULL;
}

static JuiceSignInDialog *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();  /* borrowed */

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (JUICE_IS_SIGN_IN_DIALOG (window))
        return JUICE_SIGN_IN_DIALOG (window);
    }

  return NULL;
}

/* Every file under @dir that holds @needle, as a test failure. */
static void
assert_no_file_holds (const char *dir,
                      const char *needle)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  if (d == NULL)
    return;

  while ((name = g_dir_read_name (d)))
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *contents = NULL;
      gsize len;

      if (g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        continue;
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          assert_no_file_holds (path, needle);
          continue;
        }
      if (g_file_get_contents (path, &contents, &len, NULL) &&
          g_strstr_len (contents, len, needle) != NULL)
        g_error ("%s holds a key", path);
    }
}

static void
test_app (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FakeCloudCerts) certs = NULL;
  g_autoptr(FakeCloud) fake = NULL;
  g_autoptr(MosquittoFixture) broker = NULL;
  g_autoptr(SimBrokerDevice) device_link = NULL;
  g_autoptr(GSettings) settings = g_settings_new ("io.github.juicepower.Juice");
  g_autoptr(JuiceApplication) app = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *ca_file = NULL;
  g_autofree char *both = NULL;
  g_autofree char *cloud_ca = NULL;
  g_autofree char *broker_ca = NULL;
  g_autoptr(JuiceCredentials) stored = NULL;
  JuiceSignInDialog *dialog;
  JuiceSimDevice *sim;
  JuiceWindow *window;
  GtkWidget *soc_label;

  {
    g_autoptr(JuiceCredentials) probe = juice_credentials_lookup_sync ("https://probe.invalid", NULL, &error);

    if (error != NULL)
      {
        g_test_skip ("No secret service on the session bus (run inside build-aux/dev.sh test)");
        return;
      }
  }

  /* The cloud, the broker, and a DELTA Pro on it. */
  certs = fake_cloud_certs_new (&error);
  g_assert_no_error (error);
  fake = fake_cloud_new (certs, TRUE);
  broker = mosquitto_fixture_new (&error);
  g_assert_no_error (error);
  fake_cloud_set_certification (fake, mosquitto_fixture_get_host (broker),
                                mosquitto_fixture_get_port (broker),
                                mosquitto_fixture_get_account (broker),
                                mosquitto_fixture_get_password (broker));
  sim = fake_cloud_add_device (fake, SN, "Cabin", "DELTA Pro");
  g_object_set (sim, "time-of-day", 12.0, NULL);
  device_link = sim_broker_device_new (sim, mosquitto_fixture_get_host (broker),
                                       mosquitto_fixture_get_port (broker),
                                       mosquitto_fixture_get_ca_file (broker),
                                       mosquitto_fixture_get_account (broker),
                                       mosquitto_fixture_get_password (broker));
  g_assert_true (sim_broker_device_start (device_link, &error));
  g_assert_no_error (error);

  /* One CA file for the API and the broker, given in the settings. */
  dir = g_dir_make_tmp ("juice-app-XXXXXX", &error);
  g_assert_no_error (error);
  g_file_get_contents (certs->ca_file, &cloud_ca, NULL, &error);
  g_file_get_contents (mosquitto_fixture_get_ca_file (broker), &broker_ca, NULL, &error);
  both = g_strconcat (cloud_ca, "\n", broker_ca, NULL);
  ca_file = g_build_filename (dir, "ca.pem", NULL);
  g_file_set_contents (ca_file, both, -1, &error);
  g_assert_no_error (error);
  g_settings_set_string (settings, "ca-file", ca_file);
  g_settings_set_string (settings, "api-host", fake_cloud_get_base_url (fake));

  /* A first start: no keys, the welcome page. */
  app = juice_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));
  window = JUICE_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_assert_nonnull (window);
  UI_WAIT_UNTIL (page_is (window, "welcome"));
  ui_wait_drawn (GTK_WIDGET (window));

  /* Welcome -> demo. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "demo", NULL);
  UI_WAIT_UNTIL (page_is (window, "devices"));
  g_assert_cmpstr (juice_device_get_serial_number (juice_window_get_device (window)), ==,
                   "DCABZ8A1B2C3D4E5");
  g_assert_true (juice_window_get_device (window) == juice_application_get_demo_device (app));

  /* Sign in with developer keys. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "sign-in", NULL);
  dialog = find_dialog ();
  g_assert_nonnull (dialog);
  juice_sign_in_dialog_fill (dialog, NULL, FAKE_CLOUD_ACCESS_KEY, FAKE_CLOUD_SECRET_KEY);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "sign-in.submit", NULL));

  /* The account's device, filled from quota/all, then live over MQTT. */
  UI_WAIT_UNTIL (shows_account_device (app, window));
  g_assert_cmpstr (juice_device_get_name (juice_window_get_device (window)), ==, "Cabin");

  soc_label = ui_find_by_css_class (GTK_WIDGET (window), "juice-soc");
  g_assert_nonnull (soc_label);
  UI_WAIT_UNTIL (label_is (soc_label, "56 %"));
  UI_WAIT_UNTIL (mqtt_connected (app, device_link));

  juice_sim_device_set_quota_int (sim, "pd.soc", 83);
  juice_sim_device_step (sim, 1);
  UI_WAIT_UNTIL (label_is (soc_label, "83 %"));
  g_test_message ("signed in; the device page shows 83 %% from a live report");

  /* Keys: in the keyring, nowhere else. */
  stored = juice_credentials_lookup_sync (fake_cloud_get_base_url (fake), NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (stored);
  g_assert_cmpstr (stored->secret_key, ==, FAKE_CLOUD_SECRET_KEY);
  assert_no_file_holds (dir, FAKE_CLOUD_SECRET_KEY);
  assert_no_file_holds (g_get_user_config_dir (), FAKE_CLOUD_SECRET_KEY);
  assert_no_file_holds (g_get_user_cache_dir (), FAKE_CLOUD_SECRET_KEY);
  assert_no_file_holds (g_get_user_data_dir (), FAKE_CLOUD_SECRET_KEY);
  g_assert_null (strstr (log_text->str, FAKE_CLOUD_SECRET_KEY));
  g_assert_null (strstr (log_text->str, mosquitto_fixture_get_password (broker)));

  /* Sign out: the keys leave the keyring, the welcome page comes back. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "sign-out", NULL);
  UI_WAIT_UNTIL (page_is (window, "welcome"));
  UI_WAIT_UNTIL (!keys_stored (fake_cloud_get_base_url (fake)));

  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&app);

  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", dir);

    g_assert_cmpint (system (cmd), ==, 0);
  }
}

int
main (int   argc,
      char *argv[])
{
  log_text = g_string_new (NULL);
  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  g_log_set_writer_func (capture_log, NULL, NULL);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/juice/ui/app/welcome-demo-sign-in-live-sign-out", test_app);

  return g_test_run ();
}
