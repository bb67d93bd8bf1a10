/* test-ui-states.c: what a user sees in the states a demo never shows: a
 * device that never reported, a setting made elsewhere to a value none of
 * the options name, and the All Values list's formatting
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include <adwaita.h>

#include "juice-choice-row.h"
#include "juice-device-page.h"
#include "juice-device-row.h"
#include "juice-quota-row.h"
#include "juice-sim-device.h"
#include "juice-values-page.h"
#include "juice-window.h"
#include "ui-util.h"

#define SN_ONLINE  "DCABZ8A1B2C3D4E5"
#define SN_OFFLINE "DCABZ8A1B2C3OFF1"

#define DEADLINE_S 30

static gboolean
keep_ticking (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Turns the main loop until @check (@data) holds, or fails the test after a
 * generous deadline, saying what it waited for. */
static void
wait_until (gboolean    (*check) (gpointer),
            gpointer      data,
            const char   *what)
{
  gint64 end = g_get_monotonic_time () + DEADLINE_S * G_USEC_PER_SEC;
  /* Wakes the loop to look again when no event comes. */
  guint tick = g_timeout_add (50, keep_ticking, NULL);

  while (!check (data))
    {
      if (g_get_monotonic_time () > end)
        g_error ("waited %d s for %s", DEADLINE_S, what);
      g_main_context_iteration (NULL, TRUE);
    }

  g_source_remove (tick);
}

typedef struct
{
  GtkWidget  *widget;
  const char *text;
} LabelWait;

static gboolean
label_is (gpointer data)
{
  LabelWait *w = data;

  return g_strcmp0 (ui_label_text (w->widget), w->text) == 0;
}

static void
wait_for_label (GtkWidget  *label,
                const char *text)
{
  LabelWait w = { label, text };
  g_autofree char *what = g_strdup_printf ("the label to read “%s”", text);

  wait_until (label_is, &w, what);
}

static void
on_after_paint (GdkFrameClock *clock,
                gboolean      *painted)
{
  *painted = TRUE;
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

/* Waits until @widget's window has drawn a frame after now: what the test
 * asserted is on screen, and the screenshot shows it. */
static void
wait_for_paint (GtkWidget *widget)
{
  GdkFrameClock *clock;
  gboolean painted = FALSE;
  gulong id;

  wait_until ((gboolean (*) (gpointer)) gtk_widget_get_mapped, widget, "the widget to be mapped");
  clock = gtk_widget_get_frame_clock (widget);
  g_assert_nonnull (clock);
  id = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), &painted);
  gtk_widget_queue_draw (widget);
  wait_until (is_true, &painted, "a frame to be drawn");
  g_signal_handler_disconnect (clock, id);
}

static gboolean
is_row_of (GtkWidget     *widget,
           gconstpointer  device)
{
  return JUICE_IS_DEVICE_ROW (widget) &&
         juice_device_row_get_device (JUICE_DEVICE_ROW (widget)) == device;
}

static gboolean
is_numeric_label (GtkWidget     *widget,
                  gconstpointer  data)
{
  return ui_label_text (widget) != NULL && gtk_widget_has_css_class (widget, "numeric");
}

static gboolean
is_label_with (GtkWidget     *widget,
               gconstpointer  needle)
{
  return ui_label_text (widget) != NULL && strstr (ui_label_text (widget), needle);
}

static gboolean
is_destroyed (gpointer data)
{
  return *(gpointer *) data == NULL;
}

static void
destroy_window (JuiceWindow *window)
{
  gpointer weak = window;

  g_object_add_weak_pointer (G_OBJECT (window), &weak);
  gtk_window_destroy (GTK_WINDOW (window));
  wait_until (is_destroyed, &weak, "the window to be finalized");
}

static gboolean
is_choice_row (GtkWidget     *widget,
               gconstpointer  name)
{
  return JUICE_IS_CHOICE_ROW (widget) &&
         g_strcmp0 (juice_choice_row_get_setting (JUICE_CHOICE_ROW (widget))->name, name) == 0;
}

/* An account with an online device and an offline one that never sent a
 * value: the offline one's charge is "Unknown", never "0 %". */
static void
test_never_reported (void)
{
  g_autoptr(JuiceSimDevice) sim = juice_sim_device_new (SN_ONLINE);
  g_autoptr(JuiceDevice) online = juice_device_new (SN_ONLINE, juice_device_profile_delta_pro ());
  g_autoptr(JuiceDevice) offline = juice_device_new (SN_OFFLINE, juice_device_profile_delta_pro ());
  g_autoptr(GListStore) devices = g_list_store_new (JUICE_TYPE_DEVICE);
  GtkWidget *row, *row_soc, *page, *soc_label, *soc_bar, *watts;
  JuiceWindow *window;

  g_object_set (sim, "report-interval-ms", 0, "time-of-day", 12.0, NULL);
  juice_sim_device_set_name (sim, "Cabin");
  juice_sim_device_attach (sim, online);
  juice_device_set_product (online, "DELTA Pro");
  juice_device_set_name (offline, "Garage");
  juice_device_set_product (offline, "DELTA Pro");
  juice_device_set_online (offline, FALSE);
  g_assert_cmpuint (juice_device_get_n_quotas (offline), ==, 0);

  g_list_store_append (devices, online);
  g_list_store_append (devices, offline);
  window = juice_window_new (NULL, G_LIST_MODEL (devices));
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 720);
  ui_present (GTK_WINDOW (window));

  /* The sidebar: "Unknown" for the offline device, the charge for the other. */
  row = ui_find (GTK_WIDGET (window), is_row_of, offline);
  g_assert_nonnull (row);
  row_soc = ui_find (row, is_numeric_label, NULL);
  g_assert_nonnull (row_soc);
  wait_for_label (row_soc, "Unknown");
  g_assert_false (gtk_widget_get_sensitive (row_soc));  /* drawn dimmed */
  {
    GtkWidget *other = ui_find (ui_find (GTK_WIDGET (window), is_row_of, online), is_numeric_label,
                                NULL);
    g_autofree char *soc = juice_format_soc (juice_device_get_soc (online));

    wait_for_label (other, soc);
    g_assert_true (gtk_widget_get_sensitive (other));
  }

  /* The page of the offline device: no charge, no power, an empty dimmed bar. */
  juice_window_set_device (window, offline);
  page = ui_find_by_type (GTK_WIDGET (window), JUICE_TYPE_DEVICE_PAGE);
  soc_label = ui_find_by_css_class (page, "juice-soc");
  soc_bar = ui_find_by_type (page, GTK_TYPE_LEVEL_BAR);
  watts = ui_find_by_css_class (page, "juice-watts");
  wait_for_label (soc_label, "Unknown");
  wait_for_label (watts, "Unknown");
  g_assert_cmpfloat (gtk_level_bar_get_value (GTK_LEVEL_BAR (soc_bar)), ==, 0.0);
  g_assert_false (gtk_widget_get_sensitive (soc_bar));
  g_assert_nonnull (ui_find (page, is_label_with, "No values received"));

  /* Its settings are unknown too: no choice shown, none to make. The
   * settings come in the frame after the first. */
  UI_WAIT_UNTIL (ui_find (page, is_choice_row, "unit-timeout") != NULL);
  {
    AdwComboRow *combo = ADW_COMBO_ROW (ui_find (page, is_choice_row, "unit-timeout"));

    g_assert_nonnull (combo);
    g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (combo)));
    g_assert_cmpuint (adw_combo_row_get_selected (combo), ==, GTK_INVALID_LIST_POSITION);
  }

  wait_for_paint (GTK_WIDGET (window));
  ui_save_screenshot (GTK_WIDGET (window), "offline-never-reported.png");

  /* Its first report says 0 %: now that is the charge. */
  {
    g_autoptr(JsonNode) report = json_from_string ("{\"pd.soc\":0,\"pd.wattsInSum\":0}", NULL);

    g_assert_cmpint (juice_device_apply_report (offline, report, NULL), >=, 0);
  }
  wait_for_label (soc_label, "0 %");
  wait_for_label (row_soc, "0 %");
  g_assert_true (gtk_widget_get_sensitive (soc_bar));
  g_assert_true (gtk_widget_get_sensitive (row_soc));

  destroy_window (window);
  g_clear_object (&devices);
  g_assert_finalize_object (g_steal_pointer (&offline));
  g_assert_finalize_object (g_steal_pointer (&online));
  g_assert_finalize_object (g_steal_pointer (&sim));
}

static const char *
selected_text (AdwComboRow *row)
{
  GObject *item = adw_combo_row_get_selected_item (row);

  return item ? gtk_string_object_get_string (GTK_STRING_OBJECT (item)) : NULL;
}

typedef struct
{
  AdwComboRow *row;
  const char  *text;
} ComboWait;

static gboolean
combo_shows (gpointer data)
{
  ComboWait *w = data;

  return g_strcmp0 (selected_text (w->row), w->text) == 0;
}

static void
wait_for_combo (AdwComboRow *row,
                const char  *text)
{
  ComboWait w = { row, text };
  g_autofree char *what = g_strdup_printf ("the combo row to show “%s” (it shows “%s”)", text,
                                           selected_text (row));

  wait_until (combo_shows, &w, what);
}

typedef struct
{
  JuiceSimDevice *sim;
  const char     *key;
  gint64          value;
} SimWait;

static gboolean
sim_has (gpointer data)
{
  SimWait *w = data;
  gint64 v;

  return juice_sim_device_get_quota_int (w->sim, w->key, &v) && v == w->value;
}

static gboolean
row_not_pending (gpointer row)
{
  return !juice_choice_row_get_pending (row);
}

/* A timeout set from the phone app to a value the options do not name is
 * shown as it is; choosing an option sends it. */
static void
test_custom_choice (void)
{
  g_autoptr(JuiceSimDevice) sim = juice_sim_device_new (SN_ONLINE);
  g_autoptr(JuiceDevice) device = juice_device_new (SN_ONLINE, juice_device_profile_delta_pro ());
  g_autoptr(GListStore) devices = g_list_store_new (JUICE_TYPE_DEVICE);
  AdwComboRow *unit_timeout, *car_current;
  JuiceWindow *window;
  GListModel *model;
  gint64 value;

  g_object_set (sim, "report-interval-ms", 0, "ack-delay-ms", 20, "apply-delay-ms", 40, NULL);
  juice_sim_device_set_quota_int (sim, "pd.standByMode", 60);
  juice_sim_device_attach (sim, device);
  g_list_store_append (devices, device);
  window = juice_window_new (NULL, G_LIST_MODEL (devices));
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 2600);
  ui_present (GTK_WINDOW (window));

  UI_WAIT_UNTIL (ui_find (GTK_WIDGET (window), is_choice_row, "unit-timeout") != NULL);
  unit_timeout = ADW_COMBO_ROW (ui_find (GTK_WIDGET (window), is_choice_row, "unit-timeout"));
  g_assert_nonnull (unit_timeout);
  model = adw_combo_row_get_model (unit_timeout);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 6);
  wait_for_combo (unit_timeout, "1 hour");

  /* 5999 min from the phone: shown, not the previous choice. */
  juice_sim_device_set_quota_int (sim, "pd.standByMode", 5999);
  juice_sim_device_report_all (sim);
  wait_for_combo (unit_timeout, "Custom (4 d 3 h 59 min)");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 7);
  g_assert_true (juice_choice_row_get_value (JUICE_CHOICE_ROW (unit_timeout), &value));
  g_assert_cmpint (value, ==, 5999);
  g_assert_false (juice_choice_row_get_pending (JUICE_CHOICE_ROW (unit_timeout)));

  /* Other kinds of value read as the readback key does: 5000 mA. */
  car_current = ADW_COMBO_ROW (ui_find (GTK_WIDGET (window), is_choice_row, "car-input-current"));
  juice_sim_device_set_quota_int (sim, "mppt.cfgDcChgCurrent", 5000);
  juice_sim_device_report_all (sim);
  wait_for_combo (car_current, "Custom (5 A)");
  wait_for_paint (GTK_WIDGET (window));
  ui_save_screenshot (ui_find_by_type (GTK_WIDGET (window), JUICE_TYPE_DEVICE_PAGE),
                      "device-page-custom-values.png");

  /* The user picks 2 hours: the device gets 120, the custom item goes. */
  adw_combo_row_set_selected (unit_timeout, 3);
  g_assert_true (juice_choice_row_get_pending (JUICE_CHOICE_ROW (unit_timeout)));
  {
    SimWait w = { sim, "pd.standByMode", 120 };

    wait_until (sim_has, &w, "the device to apply 120 min");
  }
  wait_until (row_not_pending, unit_timeout, "the device to confirm the unit timeout");
  wait_for_combo (unit_timeout, "2 hours");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 6);

  /* And back to an option from elsewhere: the row follows. */
  juice_sim_device_set_quota_int (sim, "pd.standByMode", 0);
  juice_sim_device_report_all (sim);
  wait_for_combo (unit_timeout, "Never");

  destroy_window (window);
  g_clear_object (&devices);
  g_assert_finalize_object (g_steal_pointer (&device));
  g_assert_finalize_object (g_steal_pointer (&sim));
}

static gboolean
is_quota_row (GtkWidget     *widget,
              gconstpointer  key)
{
  return JUICE_IS_QUOTA_ROW (widget) &&
         g_strcmp0 (juice_quota_row_get_key (JUICE_QUOTA_ROW (widget)), key) == 0;
}

static const char *
value_of (GtkWidget  *window,
          const char *key)
{
  GtkWidget *row = ui_find (window, is_quota_row, key);

  g_assert_nonnull (row);
  return juice_quota_row_get_value (JUICE_QUOTA_ROW (row));
}

typedef struct
{
  JuiceValuesPage *page;
  guint            min;
  guint            max;
} ShownWait;

static gboolean
shown_between (gpointer data)
{
  ShownWait *w = data;
  guint n = juice_values_page_get_n_shown (w->page);
  return n >= w->min && n <= w->max;
}

static void
search_and_shoot (JuiceWindow     *window,
                  JuiceValuesPage *page,
                  const char      *text,
                  guint            min,
                  guint            max,
                  const char      *screenshot)
{
  GtkWidget *search = ui_find_by_type (GTK_WIDGET (page), GTK_TYPE_SEARCH_ENTRY);
  ShownWait w = { page, min, max };

  gtk_editable_set_text (GTK_EDITABLE (search), text);
  /* The entry reports a search after its delay. */
  wait_until (shown_between, &w, "the search to filter the list");
  g_test_message ("“%s” shows %u values", text, juice_values_page_get_n_shown (page));
  wait_for_paint (GTK_WIDGET (window));
  ui_save_screenshot (GTK_WIDGET (window), screenshot);
}

/* All Values reads as a person reads: energy in kWh, durations in days,
 * special values by name. Screenshots of the list are kept. */
static void
test_all_values (void)
{
  g_autoptr(JuiceSimDevice) sim = juice_sim_device_new (SN_ONLINE);
  g_autoptr(JuiceDevice) device = juice_device_new (SN_ONLINE, juice_device_profile_delta_pro ());
  g_autoptr(GListStore) devices = g_list_store_new (JUICE_TYPE_DEVICE);
  JuiceValuesPage *page;
  JuiceWindow *window;

  g_object_set (sim, "report-interval-ms", 0, NULL);
  juice_sim_device_set_quota_int (sim, "pd.chgSunPower", 129952);
  juice_sim_device_set_quota_int (sim, "pd.mpptUsedTime", 2751890);
  juice_sim_device_set_quota_int (sim, "pd.lcdBrightness", 128);
  juice_sim_device_set_quota_int (sim, "pd.lcdOffSec", 0);
  juice_sim_device_set_quota_int (sim, "inv.cfgAcXboost", 0xff);
  juice_sim_device_attach (sim, device);
  g_list_store_append (devices, device);
  window = juice_window_new (NULL, G_LIST_MODEL (devices));
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 720);
  ui_present (GTK_WINDOW (window));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.search-values", NULL));
  page = JUICE_VALUES_PAGE (ui_find_by_type (GTK_WIDGET (window), JUICE_TYPE_VALUES_PAGE));
  /* The page makes its rows when it is first shown. */
  UI_WAIT_UNTIL (juice_values_page_get_n_shown (page) == juice_device_get_n_quotas (device));

  g_assert_cmpstr (value_of (GTK_WIDGET (window), "pd.chgSunPower"), ==, "130 kWh");
  g_assert_cmpstr (value_of (GTK_WIDGET (window), "pd.mpptUsedTime"), ==, "31 d 20 h");
  g_assert_cmpstr (value_of (GTK_WIDGET (window), "pd.lcdBrightness"), ==, "Automatic");
  g_assert_cmpstr (value_of (GTK_WIDGET (window), "pd.lcdOffSec"), ==, "Never");
  g_assert_cmpstr (value_of (GTK_WIDGET (window), "inv.cfgAcXboost"), ==, "Not set");

  /* five lifetime counters and the energy manager's state */
  search_and_shoot (window, page, "energy", 6, 6, "all-values-energy.png");
  search_and_shoot (window, page, "time", 8, 30, "all-values-time.png");
  search_and_shoot (window, page, "", 100, G_MAXUINT, "all-values.png");

  destroy_window (window);
  g_clear_object (&devices);
  g_assert_finalize_object (g_steal_pointer (&device));
  g_assert_finalize_object (g_steal_pointer (&sim));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  /* What AdwApplication loads for the app from its resource base path. */
  ui_load_app_style ();

  g_test_add_func ("/juice/ui/states/never-reported", test_never_reported);
  g_test_add_func ("/juice/ui/states/custom-choice", test_custom_choice);
  g_test_add_func ("/juice/ui/states/all-values", test_all_values);

  return g_test_run ();
}
