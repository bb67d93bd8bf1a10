/* test-history-app.c: Juice records the demo device, window open or not
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <stdlib.h>

#include <adwaita.h>

#include "juice-application.h"
#include "juice-window.h"
#include "ui-util.h"

#define SN "DCABZ8A1B2C3D4E5"

static void
on_changed (JuiceHistory *history,
            const char   *serial_number,
            guint        *n_changed)
{
  if (g_str_equal (serial_number, SN))
    (*n_changed)++;
}

static guint
n_points (JuiceHistory       *history,
          JuiceHistorySeries  series)
{
  g_autoptr(GError) error = NULL;
  gint64 now = juice_history_now (history);
  g_autoptr(GArray) points = juice_history_query (history, SN, series, now - 600, now + 60, 100,
                                                  &error);

  g_assert_no_error (error);
  return points->len;
}

static void
test_demo_records (void)
{
  g_autoptr(JuiceApplication) app = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) devices = NULL;
  g_autofree char *want_path = g_build_filename (g_get_user_data_dir (), "juice", "history.db",
                                                 NULL);
  JuiceHistory *history;
  JuiceWindow *window;
  guint n_changed = 0;

  app = juice_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

  /* One store per user, opened at startup, in the user's data folder. */
  history = juice_application_get_history (app);
  g_assert_nonnull (history);
  g_assert_cmpstr (juice_history_get_path (history), ==, want_path);
  g_signal_connect (history, "changed", G_CALLBACK (on_changed), &n_changed);

  g_application_activate (G_APPLICATION (app));
  window = JUICE_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_assert_nonnull (window);
  ui_wait_drawn (GTK_WIDGET (window));
  g_action_group_activate_action (G_ACTION_GROUP (app), "demo", NULL);

  /* The demo reports every second; the writer writes within seconds. */
  UI_WAIT_UNTIL (n_changed > 0 && n_points (history, JUICE_HISTORY_SERIES_SOC) > 0);
  g_assert_cmpuint (n_points (history, JUICE_HISTORY_SERIES_AC_OUT), >, 0);
  g_assert_cmpuint (n_points (history, JUICE_HISTORY_SERIES_BATTERY_TEMP), >, 0);
  devices = juice_history_list_devices (history, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (devices->len, >=, 1);

  /* No window: the demo device is still recorded. */
  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_null (gtk_application_get_active_window (GTK_APPLICATION (app)));
  n_changed = 0;
  UI_WAIT_UNTIL (n_changed > 0);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *home = g_dir_make_tmp ("juice-history-app-XXXXXX", &error);
  g_autofree char *data = NULL;
  int status;

  /* A data folder of its own, set before GLib reads it. */
  g_assert_no_error (error);
  data = g_build_filename (home, "data", NULL);
  g_setenv ("XDG_DATA_HOME", data, TRUE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/juice/ui/history/demo-records-with-and-without-window", test_demo_records);

  status = g_test_run ();

  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", home);

    if (system (cmd) != 0)
      status = 1;
  }

  return status;
}
