/* test-chart-history.c: the device page's charts read a real history
 * database, and Export History writes it as CSV
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <adwaita.h>
#include <glib/gstdio.h>

#include "chart-data.h"
#include "juice-device-page.h"
#include "juice-chart-util.h"
#include "juice-energy-chart.h"
#include "juice-history-view.h"
#include "juice-power-chart-private.h"
#include "juice-sim-device.h"
#include "juice-window.h"
#include "ui-util.h"

#define SN  "DCABZ8A1B2C3D4E5"
#define DAY (24 * 60 * 60)

typedef struct
{
  char           *dir;
  JuiceHistory   *history;
  JuiceSimDevice *sim;
  JuiceDevice    *device;
  GListStore     *devices;
  JuiceWindow    *window;
  gint64          now;
} Fixture;

static gint64
fixture_clock (gpointer user_data)
{
  return ((Fixture *) user_data)->now;
}

/* Seconds between samples. The history counts a sample's power for at
 * most 10 s (a gap is not energy), as the device reports every few
 * seconds: samples further apart would make the daily energy a fraction of
 * the power drawn (a minute apart, a sixth). */
#define SAMPLE_STEP 10

/* @days of samples SAMPLE_STEP apart, recorded as the app records them;
 * the Wh in and out of today (UTC) in @wh_in and @wh_out. */
static void
record (Fixture *fixture,
        guint    days,
        double  *wh_in,
        double  *wh_out)
{
  g_autoptr(GArray) soc = NULL;
  g_autoptr(GArray) in = NULL;
  g_autoptr(GArray) out = NULL;
  gint64 today = fixture->now / DAY * DAY;
  double sum_in = 0, sum_out = 0;

  chart_data_make (fixture->now, days * DAY, SAMPLE_STEP, &soc, &in, &out);
  for (guint i = 0; i < soc->len; i++)
    {
      gint64 t = g_array_index (soc, JuiceHistoryPoint, i).time;

      juice_history_record (fixture->history, SN, JUICE_HISTORY_SERIES_SOC, t,
                            g_array_index (soc, JuiceHistoryPoint, i).mean);
      juice_history_record (fixture->history, SN, JUICE_HISTORY_SERIES_WATTS_IN, t,
                            g_array_index (in, JuiceHistoryPoint, i).mean);
      juice_history_record (fixture->history, SN, JUICE_HISTORY_SERIES_SOLAR_IN, t,
                            g_array_index (in, JuiceHistoryPoint, i).mean);
      juice_history_record (fixture->history, SN, JUICE_HISTORY_SERIES_WATTS_OUT, t,
                            g_array_index (out, JuiceHistoryPoint, i).mean);
      juice_history_record (fixture->history, SN, JUICE_HISTORY_SERIES_AC_OUT, t,
                            g_array_index (out, JuiceHistoryPoint, i).mean);
      if (t >= today && t < fixture->now)
        {
          sum_in += g_array_index (in, JuiceHistoryPoint, i).mean * SAMPLE_STEP / 3600.0;
          sum_out += g_array_index (out, JuiceHistoryPoint, i).mean * SAMPLE_STEP / 3600.0;
        }
    }
  juice_history_flush (fixture->history);
  if (wh_in != NULL)
    *wh_in = sum_in;
  if (wh_out != NULL)
    *wh_out = sum_out;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_LIGHT);
  fixture->dir = g_dir_make_tmp ("juice-chart-history-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "history.db", NULL);
  fixture->history = juice_history_new (path, &error);
  g_assert_no_error (error);
  fixture->now = CHART_DATA_END;
  juice_history_set_clock (fixture->history, fixture_clock, fixture);

  /* A simulated DELTA Pro whose reports are the live points. */
  fixture->sim = juice_sim_device_new (SN);
  fixture->device = juice_device_new (SN, juice_device_profile_delta_pro ());
  g_object_set (fixture->sim, "time-of-day", 18.0, NULL);
  juice_sim_device_set_name (fixture->sim, "Cabin");
  /* Charged by the afternoon's sun, as the recorded history ends. */
  juice_sim_device_set_quota_int (fixture->sim, "pd.soc", 100);
  juice_sim_device_set_quota_int (fixture->sim, "bmsMaster.soc", 100);
  juice_sim_device_set_quota_int (fixture->sim, "ems.lcdShowSoc", 100);
  juice_sim_device_attach (fixture->sim, fixture->device);
  juice_device_set_product (fixture->device, "DELTA Pro");
  fixture->devices = g_list_store_new (JUICE_TYPE_DEVICE);
  g_list_store_append (fixture->devices, fixture->device);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (fixture->window != NULL)
    gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_clear_object (&fixture->devices);
  g_clear_object (&fixture->sim);
  g_clear_object (&fixture->device);
  g_clear_object (&fixture->history);
  {
    g_autoptr(GDir) dir = g_dir_open (fixture->dir, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *file = g_build_filename (fixture->dir, name, NULL);

        g_unlink (file);
      }
  }
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_DEFAULT);
}

static void
open_window (Fixture *fixture)
{
  fixture->window = juice_window_new (NULL, G_LIST_MODEL (fixture->devices));
  juice_window_set_history (fixture->window, fixture->history);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1100, 1200);
  ui_present (GTK_WINDOW (fixture->window));
}

static JuicePowerChart *
wait_for_chart (Fixture *fixture)
{
  GtkWidget *chart = NULL;

  UI_WAIT_UNTIL ((chart = ui_find_by_type (GTK_WIDGET (fixture->window),
                                           JUICE_TYPE_POWER_CHART)) != NULL &&
                 gtk_widget_get_mapped (chart));
  return JUICE_POWER_CHART (chart);
}

/* Scrolls the device page so that its last chart is in the window, with
 * as much of the page above it as fits, as a user would look at them. */
static void
show_charts (Fixture *fixture)
{
  GtkWidget *energy = ui_find_by_type (GTK_WIDGET (fixture->window), JUICE_TYPE_ENERGY_CHART);
  GtkWidget *scrolled = gtk_widget_get_ancestor (energy, GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  graphene_point_t bottom;

  ui_wait_drawn (energy);
  g_assert_true (gtk_widget_compute_point (energy, scrolled,
                                           &GRAPHENE_POINT_INIT (0, gtk_widget_get_height (energy)),
                                           &bottom));
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment) + bottom.y -
                                        gtk_adjustment_get_page_size (adjustment) + 24);
}

static GdkRGBA
widget_color (GtkWidget *widget)
{
  GdkRGBA color;

G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &color);
G_GNUC_END_IGNORE_DEPRECATIONS

  return color;
}

/* "Output" above the chart and on the overview in the colour the chart
 * draws output with; returns it. */
static GdkRGBA
assert_output_color (Fixture         *fixture,
                     JuicePowerChart *chart)
{
  GtkWidget *window = GTK_WIDGET (fixture->window);
  GtkWidget *legend = ui_find_by_css_class (window, "juice-legend-out");
  GtkWidget *card = ui_find_by_css_class (window, "juice-out");
  GdkRGBA legend_color, heading_color;

  g_assert_nonnull (legend);
  g_assert_nonnull (card);
  /* The chart takes the theme's colours again in its next frame. */
  ui_wait_drawn (GTK_WIDGET (chart));
  legend_color = widget_color (legend);
  heading_color = widget_color (ui_find_by_css_class (card, "caption-heading"));
  g_assert_true (gdk_rgba_equal (&legend_color, &chart->colors.output));
  g_assert_true (gdk_rgba_equal (&heading_color, &chart->colors.output));

  return chart->colors.output;
}

static void
test_page_day (Fixture       *fixture,
               gconstpointer  data)
{
  JuicePowerChart *chart;
  GtkWidget *view, *today;
  const char *summary;
  double wh_in, wh_out;
  GdkRGBA light_output, dark_output;
  g_autofree char *in = NULL;
  g_autofree char *out = NULL;
  g_autofree char *expected = NULL;

  record (fixture, 1, &wh_in, &wh_out);
  open_window (fixture);
  chart = wait_for_chart (fixture);
  view = gtk_widget_get_ancestor (GTK_WIDGET (chart), JUICE_TYPE_HISTORY_VIEW);

  /* Recorded points from the database, the live one from the simulator. */
  UI_WAIT_UNTIL (juice_power_chart_get_has_data (chart) &&
                 juice_power_chart_get_end_time (chart) >= CHART_DATA_END);
  summary = juice_power_chart_get_summary (chart);
  g_test_message ("%s", summary);
  g_assert_true (g_str_has_prefix (summary, "Last 24 hours: input peaked at 1.2 kW at 13:"));

  /* The overview's line of today's energy. */
  today = ui_find_by_css_class (GTK_WIDGET (fixture->window), "juice-today");
  UI_WAIT_UNTIL (gtk_widget_get_visible (today));
  g_assert_true (g_str_has_prefix (ui_label_text (today), "Today: "));
  g_assert_nonnull (strstr (ui_label_text (today), " kWh in, "));
  g_assert_cmpstr (ui_label_text (today), ==,
                   juice_history_view_get_today (JUICE_HISTORY_VIEW (view)));
  /* The energy integrated from the samples, not a fraction of it. */
  in = juice_chart_format_energy (wh_in);
  out = juice_chart_format_energy (wh_out);
  expected = g_strdup_printf ("Today: %s in, %s out", in, out);
  g_test_message ("%s (%.0f Wh in, %.0f Wh out recorded)", expected, wh_in, wh_out);
  g_assert_cmpstr (ui_label_text (today), ==, expected);

  show_charts (fixture);
  light_output = assert_output_color (fixture, chart);
  ui_save_screenshot (GTK_WIDGET (fixture->window), "chart-day-light.png");
  ui_save_screenshot (view, "chart-history-day-light.png");

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_DARK);
  dark_output = assert_output_color (fixture, chart);
  /* A lighter orange on the dark background. */
  g_assert_false (gdk_rgba_equal (&light_output, &dark_output));
  ui_save_screenshot (GTK_WIDGET (fixture->window), "chart-day-dark.png");
  ui_save_screenshot (view, "chart-history-day-dark.png");
}

static void
test_page_month (Fixture       *fixture,
                 gconstpointer  data)
{
  JuicePowerChart *chart;
  JuiceEnergyChart *energy;
  GtkWidget *view;

  record (fixture, 30, NULL, NULL);
  open_window (fixture);
  chart = wait_for_chart (fixture);
  view = gtk_widget_get_ancestor (GTK_WIDGET (chart), JUICE_TYPE_HISTORY_VIEW);

  /* The 30-day button: its action, as a click would. */
  g_assert_true (gtk_widget_activate_action (view, "history.range", "u", JUICE_CHART_RANGE_MONTH));
  UI_WAIT_UNTIL (juice_power_chart_get_range (chart) == JUICE_CHART_RANGE_MONTH &&
                 juice_power_chart_get_has_data (chart));
  UI_WAIT_UNTIL (g_str_has_prefix (juice_power_chart_get_summary (chart),
                                   "Last 30 days: input peaked at 1.2 kW at "));
  g_test_message ("%s", juice_power_chart_get_summary (chart));

  energy = JUICE_ENERGY_CHART (ui_find_by_type (view, JUICE_TYPE_ENERGY_CHART));
  UI_WAIT_UNTIL (g_str_has_prefix (juice_energy_chart_get_summary (energy),
                                   "Energy of the last 30 days: "));
  g_test_message ("%s", juice_energy_chart_get_summary (energy));
  g_assert_null (strstr (juice_energy_chart_get_summary (energy), "nothing recorded"));

  show_charts (fixture);
  ui_save_screenshot (GTK_WIDGET (fixture->window), "chart-month-light.png");
  ui_save_screenshot (view, "chart-history-month-light.png");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_DARK);
  ui_save_screenshot (GTK_WIDGET (fixture->window), "chart-month-dark.png");
  ui_save_screenshot (view, "chart-history-month-dark.png");
}

static void
test_export (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "export.csv", NULL);
  g_autofree char *bad_path = g_build_filename (fixture->dir, "missing", "export.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFile) bad_file = g_file_new_for_path (bad_path);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  gboolean exporting = FALSE;

  record (fixture, 1, NULL, NULL);
  open_window (fixture);
  juice_window_set_device (fixture->window, fixture->device);

  /* What the chooser's answer starts: the last 24 hours. */
  juice_window_export_history (fixture->window, file, DAY);
  g_object_get (fixture->window, "exporting", &exporting, NULL);
  g_assert_true (exporting);
  UI_WAIT_UNTIL ((g_object_get (fixture->window, "exporting", &exporting, NULL), !exporting));

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (contents, "\n", -1);
  g_assert_cmpstr (lines[0], ==, "time,serial_number,series,value,unit");
  g_assert_nonnull (lines[1]);
  g_assert_true (g_str_has_suffix (strchr (lines[1], ',') - 1, "Z," SN) ||
                 strstr (lines[1], "Z," SN ",") != NULL);
  /* Five series a minute for a day. */
  g_assert_cmpuint (g_strv_length (lines), >, 5 * 24 * 60);

  /* A folder that is not there: a toast, no file, and ready again. */
  juice_window_export_history (fixture->window, bad_file, 0);
  UI_WAIT_UNTIL ((g_object_get (fixture->window, "exporting", &exporting, NULL), !exporting));
  g_assert_false (g_file_test (bad_path, G_FILE_TEST_EXISTS));
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("TZ", "UTC", TRUE);
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  /* What AdwApplication loads for the app from its resource base path:
   * the screenshots show the app as it looks, in light and dark. */
  ui_load_app_style ();

  g_test_add ("/juice/chart/history/day", Fixture, NULL, fixture_set_up, test_page_day,
              fixture_tear_down);
  g_test_add ("/juice/chart/history/month", Fixture, NULL, fixture_set_up, test_page_month,
              fixture_tear_down);
  g_test_add ("/juice/chart/history/export", Fixture, NULL, fixture_set_up, test_export,
              fixture_tear_down);

  return g_test_run ();
}
