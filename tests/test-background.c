/* test-background.c: with "Keep running when the window is closed" on,
 * closing the window keeps the process and its devices alive, and a second
 * `juice` presents the same window in this process.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <adwaita.h>

#include "juice-application.h"
#include "juice-preferences-window.h"
#include "juice-window.h"
#include "ui-util.h"

static gboolean
window_shown (GtkWindow *window)
{
  return gtk_widget_get_visible (GTK_WIDGET (window)) && gtk_widget_get_mapped (GTK_WIDGET (window));
}

static gboolean
page_is (JuiceWindow *window,
         const char  *name)
{
  GtkWidget *stack = ui_find_by_type (GTK_WIDGET (window), GTK_TYPE_STACK);

  return g_strcmp0 (gtk_stack_get_visible_child_name (GTK_STACK (stack)), name) == 0;
}

static void
test_background (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.juicepower.Juice");
  g_autoptr(JuiceApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) second = NULL;
  const char *juice = g_getenv ("JUICE_BIN");
  g_autoptr(GKeyFile) entry = g_key_file_new ();
  g_autofree char *autostart = NULL;
  g_autofree char *exec = NULL;
  JuiceWindow *window;
  JuiceDevice *device;
  gint64 closed_at;

  g_assert_nonnull (juice);
  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    {
      g_test_skip ("No session bus (run inside build-aux/dev.sh test)");
      return;
    }

  g_settings_set_boolean (settings, "run-in-background", TRUE);

  /* The primary instance: this process, on the demo device (reporting every second). */
  app = juice_application_new ();
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_assert_false (g_application_get_is_remote (G_APPLICATION (app)));
  g_application_activate (G_APPLICATION (app));
  window = JUICE_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_assert_nonnull (window);
  /* No keys in the keyring: the welcome page, then the demo. */
  UI_WAIT_UNTIL (page_is (window, "welcome"));
  g_action_group_activate_action (G_ACTION_GROUP (app), "demo", NULL);
  device = juice_application_get_demo_device (app);
  UI_WAIT_UNTIL (juice_window_get_device (window) == device);
  ui_wait_drawn (GTK_WIDGET (window));

  /* Close: hidden, not gone; the device goes on reporting. */
  gtk_window_close (GTK_WINDOW (window));
  UI_WAIT_UNTIL (!gtk_widget_get_visible (GTK_WIDGET (window)));
  g_assert_true (gtk_application_get_active_window (GTK_APPLICATION (app)) == GTK_WINDOW (window));
  closed_at = g_get_real_time ();
  UI_WAIT_UNTIL (juice_device_get_last_report_time (device) > closed_at);
  g_test_message ("reports go on with the window closed");

  /* `juice` again: it hands over to this process and ends; the same window comes back. */
  second = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, juice, NULL);
  g_assert_no_error (error);
  UI_WAIT_UNTIL (window_shown (GTK_WINDOW (window)));
  g_assert_true (g_subprocess_wait_check (second, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_length (gtk_application_get_windows (GTK_APPLICATION (app))), ==, 1);
  g_assert_true (juice_window_get_device (window) == device);
  ui_save_screenshot (GTK_WIDGET (window), "background-presented.png");

  /* A notification's click (or the tray's device line) opens the device's page. */
  gtk_window_close (GTK_WINDOW (window));
  UI_WAIT_UNTIL (!gtk_widget_get_visible (GTK_WIDGET (window)));
  g_action_group_activate_action (G_ACTION_GROUP (app), "show-device",
                                  g_variant_new_string (juice_device_get_serial_number (device)));
  UI_WAIT_UNTIL (window_shown (GTK_WINDOW (window)));
  g_assert_true (juice_window_get_device (window) == device);

  /* "Start at login" writes the autostart entry, which starts Juice without a window. */
  autostart = g_build_filename (g_get_user_config_dir (), "autostart",
                                "io.github.juicepower.Juice.desktop", NULL);
  g_settings_set_boolean (settings, "start-at-login", TRUE);
  g_assert_true (g_key_file_load_from_file (entry, autostart, G_KEY_FILE_NONE, &error));
  g_assert_no_error (error);
  exec = g_key_file_get_string (entry, "Desktop Entry", "Exec", &error);
  g_assert_no_error (error);
  g_test_message ("autostart Exec=%s", exec);
  g_assert_true (g_str_has_suffix (exec, " --background"));
  g_settings_set_boolean (settings, "start-at-login", FALSE);
  g_assert_false (g_file_test (autostart, G_FILE_TEST_EXISTS));

  /* The preferences' rows for all this are bound to the settings. */
  {
    GtkWidget *prefs = juice_preferences_window_new (GTK_WINDOW (window));
    GtkWidget *spin = ui_find_by_type (prefs, GTK_TYPE_SPIN_BUTTON);

    ui_present (GTK_WINDOW (prefs));
    g_assert_nonnull (spin);
    g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (spin)), ==, 20);
    gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), 35);
    g_assert_cmpint (g_settings_get_int (settings, "notify-low-charge"), ==, 35);
    g_settings_reset (settings, "notify-low-charge");
    g_assert_cmpfloat (gtk_spin_button_get_value (GTK_SPIN_BUTTON (spin)), ==, 20);
    gtk_window_destroy (GTK_WINDOW (prefs));
  }

  /* Preference off: closing ends the application's hold on itself. */
  g_settings_set_boolean (settings, "run-in-background", FALSE);
  g_assert_false (gtk_window_get_hide_on_close (GTK_WINDOW (window)));

  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&app);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/juice/ui/background/close-and-present", test_background);

  return g_test_run ();
}
