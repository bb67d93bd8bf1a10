/* test-demo-window.c: the demo window follows the simulated device
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include <adwaita.h>

#include "juice-device-page.h"
#include "juice-device-row.h"
#include "juice-error.h"
#include "juice-setting-row.h"
#include "juice-preferences-window.h"
#include "juice-quota-row.h"
#include "juice-value-label.h"
#include "juice-values-page.h"
#include "juice-sim-device.h"
#include "juice-window.h"
#include "ui-util.h"

#define SN "DCABZ8A1B2C3D4E5"

/* A window on a list of this one device, as the demo shows it. */
static JuiceWindow *
new_window (JuiceDevice *device)
{
  g_autoptr(GListStore) devices = g_list_store_new (JUICE_TYPE_DEVICE);
  JuiceWindow *window;

  g_list_store_append (devices, device);
  window = juice_window_new (NULL, G_LIST_MODEL (devices));
  g_assert_true (juice_window_get_device (window) == device);

  return window;
}

static gboolean
label_is (GtkWidget  *label,
          const char *text)
{
  return g_strcmp0 (ui_label_text (label), text) == 0;
}

static gboolean
label_has (GtkWidget  *label,
           const char *text)
{
  return label != NULL && strstr (ui_label_text (label), text) != NULL;
}

static void
wait_for_label (GtkWidget  *label,
                const char *text)
{
  if (!label_is (label, text))
    g_test_message ("waiting for “%s”, the label is “%s”", text,
                    ui_label_text (label));
  UI_WAIT_UNTIL (label_is (label, text));
}

/* Closes @window and waits until it let go of the device and the sim. */
static void
close_window (JuiceWindow    *window,
              JuiceDevice    *device,
              JuiceSimDevice *sim)
{
  gtk_window_destroy (GTK_WINDOW (window));
  ui_wait_sole_owner (device);
  ui_wait_sole_owner (sim);
}

static void
test_soc_follows_device (void)
{
  g_autoptr(JuiceSimDevice) sim = juice_sim_device_new (SN);
  g_autoptr(JuiceDevice) device = juice_device_new (SN, juice_device_profile_delta_pro ());
  JuiceWindow *window;
  GtkWidget *soc_label, *watts_labels, *title;

  g_object_set (sim, "report-interval-ms", 0, "time-of-day", 12.0, NULL);
  juice_sim_device_set_name (sim, "Cabin");
  juice_sim_device_attach (sim, device);

  window = new_window (device);
  ui_present (GTK_WINDOW (window));

  soc_label = ui_find_by_css_class (GTK_WIDGET (window), "juice-soc");
  g_assert_nonnull (soc_label);
  wait_for_label (soc_label, "56 %");

  title = ui_find_by_css_class (GTK_WIDGET (window), "title");
  g_assert_nonnull (title);

  /* The sim changes, the label follows through the bindings. */
  juice_sim_device_set_quota_int (sim, "pd.soc", 73);
  juice_sim_device_step (sim, 1);
  wait_for_label (soc_label, "73 %");

  juice_sim_device_set_quota_int (sim, "pd.soc", 12);
  juice_sim_device_step (sim, 1);
  wait_for_label (soc_label, "12 %");

  /* Input power follows the sun at noon. */
  watts_labels = ui_find_by_css_class (GTK_WIDGET (window), "juice-watts");
  g_assert_nonnull (watts_labels);
  {
    g_autofree char *want = juice_format_watts (juice_device_get_watts_in (device), TRUE);

    g_assert_cmpint (juice_device_get_watts_in (device), >, 500);
    wait_for_label (watts_labels, want);
  }

  ui_save_screenshot (GTK_WIDGET (window), "demo-window.png");

  /* Offline is shown in the subtitle. */
  juice_sim_device_set_online (sim, FALSE);
  {
    GtkWidget *header = ui_find_by_type (GTK_WIDGET (window), ADW_TYPE_VIEW_SWITCHER_TITLE);
    GtkWidget *subtitle = ui_find_by_css_class (header, "subtitle");

    g_assert_nonnull (subtitle);
    UI_WAIT_UNTIL (label_has (subtitle, "Offline"));

    /* ...and on the page itself, with the values kept. */
    {
      GtkWidget *page = ui_find_by_type (GTK_WIDGET (window), JUICE_TYPE_DEVICE_PAGE);
      GtkWidget *warning = ui_find_by_css_class (page, "warning");

      g_assert_nonnull (warning);
      UI_WAIT_UNTIL (gtk_widget_get_visible (warning));
      g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (warning)), ==,
                       "Offline: these values may be out of date");
      wait_for_label (soc_label, "12 %");
      ui_save_screenshot (GTK_WIDGET (window), "demo-window-offline.png");
    }
  }

  close_window (window, device, sim);
  g_assert_finalize_object (g_steal_pointer (&device));
  g_assert_finalize_object (g_steal_pointer (&sim));
}

static void
clipboard_read_cb (GObject      *clipboard,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  char **text = user_data;

  *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (clipboard), result, NULL);
  if (*text == NULL)
    *text = g_strdup ("");
}

/* What @widget's clipboard holds as text, read as a paste would. */
static char *
clipboard_text (GtkWidget *widget)
{
  char *text = NULL;

  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (widget), NULL,
                                 clipboard_read_cb, &text);
  UI_WAIT_UNTIL (text != NULL);
  return text;
}

static gboolean
is_quota_row_of (GtkWidget     *widget,
                 gconstpointer  key)
{
  return JUICE_IS_QUOTA_ROW (widget) &&
         g_strcmp0 (juice_quota_row_get_key (JUICE_QUOTA_ROW (widget)), key) == 0;
}

static gboolean
is_setting_row (GtkWidget     *widget,
                gconstpointer  name)
{
  const JuiceSettingInfo *setting = juice_setting_widget_get_setting (widget);

  return setting != NULL && (name == NULL || g_strcmp0 (setting->name, name) == 0);
}

static JuiceSettingRow *
find_setting_row (GtkWidget  *widget,
                  const char *name)
{
  return (JuiceSettingRow *) ui_find (widget, is_setting_row, name);
}

static gboolean
is_label_with (GtkWidget     *widget,
               gconstpointer  needle)
{
  return ui_label_text (widget) != NULL && strstr (ui_label_text (widget), needle);
}

static gboolean
sim_has (JuiceSimDevice *sim,
         const char     *key,
         gint64          want)
{
  gint64 v;

  return juice_sim_device_get_quota_int (sim, key, &v) && v == want;
}

/* The device applied @want to @key and the app saw it confirmed. */
static void
wait_until_applied (JuiceDevice    *device,
                    JuiceSimDevice *sim,
                    const char     *setting,
                    const char     *key,
                    gint64          want)
{
  UI_WAIT_UNTIL (sim_has (sim, key, want) && !juice_device_is_setting_pending (device, setting));
}

static gboolean
focus_is_in (GtkRoot   *root,
             GtkWidget *widget)
{
  GtkWidget *focus = gtk_root_get_focus (root);

  return focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget));
}

static gboolean
is_mapped_setting_row (GtkWidget     *widget,
                       gconstpointer  data)
{
  return juice_setting_widget_get_setting (widget) != NULL && gtk_widget_get_mapped (widget);
}

static void
test_controls (void)
{
  g_autoptr(JuiceSimDevice) sim = juice_sim_device_new (SN);
  g_autoptr(JuiceDevice) device = juice_device_new (SN, juice_device_profile_delta_pro ());
  const JuiceDeviceProfile *profile = juice_device_profile_delta_pro ();
  JuiceSettingRow *row;
  GtkWidget *control;
  JuiceWindow *window;

  g_object_set (sim, "report-interval-ms", 0, "ack-delay-ms", 30, "apply-delay-ms", 60,
                "time-of-day", 12.0, NULL);
  juice_sim_device_set_quota_int (sim, "inv.cfgAcEnabled", 0);
  juice_sim_device_attach (sim, device);

  window = new_window (device);
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 2600);
  ui_present (GTK_WINDOW (window));

  /* Every setting of the profile has a control (they come in the frame
   * after the first). */
  UI_WAIT_UNTIL (ui_count (GTK_WIDGET (window), is_setting_row, NULL) == profile->n_settings);

  /* The AC output switch sends the command the device sees, then confirms. */
  row = find_setting_row (GTK_WIDGET (window), "ac-output");
  g_assert_nonnull (row);
  control = juice_setting_row_get_control (row);
  g_assert_true (GTK_IS_SWITCH (control));
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (control)));
  gtk_switch_set_active (GTK_SWITCH (control), TRUE);
  g_assert_true (juice_setting_row_get_pending (row));
  wait_until_applied (device, sim, "ac-output", "inv.cfgAcEnabled", 1);
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (control)));

  /* The charge limit scale. */
  row = find_setting_row (GTK_WIDGET (window), "charge-limit");
  control = juice_setting_row_get_control (row);
  g_assert_true (GTK_IS_SCALE (control));
  gtk_range_set_value (GTK_RANGE (control), 85);
  wait_until_applied (device, sim, "charge-limit", "ems.maxChargeSoc", 85);

  /* The car input current combo row: 6 A. */
  control = GTK_WIDGET (find_setting_row (GTK_WIDGET (window), "car-input-current"));
  g_assert_true (ADW_IS_COMBO_ROW (control));
  adw_combo_row_set_selected (ADW_COMBO_ROW (control), 1);
  wait_until_applied (device, sim, "car-input-current", "mppt.cfgDcChgCurrent", 6000);

  /* The whole page, scrolled parts included. */
  {
    GtkWidget *page = ui_find_by_type (GTK_WIDGET (window), JUICE_TYPE_DEVICE_PAGE);

    g_assert_nonnull (page);
    juice_device_page_set_draw_all (JUICE_DEVICE_PAGE (page), TRUE);
    ui_save_screenshot (page, "device-page-controls.png");
    juice_device_page_set_draw_all (JUICE_DEVICE_PAGE (page), FALSE);
  }

  /* A refusal rolls the switch back and says why in a toast. */
  juice_sim_device_set_refuse_commands (sim, TRUE);
  row = find_setting_row (GTK_WIDGET (window), "car-output");
  control = juice_setting_row_get_control (row);
  {
    gboolean before = gtk_switch_get_active (GTK_SWITCH (control));

    gtk_switch_set_active (GTK_SWITCH (control), !before);
    UI_WAIT_UNTIL (ui_find (GTK_WIDGET (window), is_label_with, "refused") != NULL);
    UI_WAIT_UNTIL (!juice_device_is_setting_pending (device, "car-output") &&
                   gtk_switch_get_active (GTK_SWITCH (control)) == before);
  }

  close_window (window, device, sim);
  g_assert_finalize_object (g_steal_pointer (&device));
  g_assert_finalize_object (g_steal_pointer (&sim));
}

static void
test_all_values (void)
{
  g_autoptr(JuiceSimDevice) sim = juice_sim_device_new (SN);
  g_autoptr(JuiceDevice) device = juice_device_new (SN, juice_device_profile_delta_pro ());
  JuiceValuesPage *page;
  GtkWidget *search;
  JuiceWindow *window;
  guint all;

  g_object_set (sim, "report-interval-ms", 0, NULL);
  juice_sim_device_attach (sim, device);

  window = new_window (device);
  ui_present (GTK_WINDOW (window));

  /* Ctrl+F opens All Values with the search focused. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.search-values", NULL));
  page = JUICE_VALUES_PAGE (ui_find_by_type (GTK_WIDGET (window), JUICE_TYPE_VALUES_PAGE));
  search = ui_find_by_type (GTK_WIDGET (page), GTK_TYPE_SEARCH_ENTRY);
  g_assert_nonnull (search);
  UI_WAIT_UNTIL (focus_is_in (GTK_ROOT (window), search));

  /* Every key is listed, unknown ones too, once the page is shown (it
   * makes its rows then). */
  UI_WAIT_UNTIL (juice_values_page_get_n_shown (page) == juice_device_get_n_quotas (device));
  all = juice_values_page_get_n_shown (page);
  g_assert_cmpuint (all, >, 250);

  /* A key the device sends later appears. */
  {
    g_autoptr(JsonNode) report = json_from_string ("{\"vendor.newThing\":7}", NULL);

    juice_device_apply_report (device, report, NULL);
    gtk_editable_set_text (GTK_EDITABLE (search), "");
    UI_WAIT_UNTIL (juice_values_page_get_n_shown (page) == all + 1);
  }

  /* While another page is shown, All Values costs nothing per report: its
   * rows do not follow their keys, and new keys wait for it to be shown. */
  {
    AdwViewStack *stack = ADW_VIEW_STACK (ui_find_by_type (GTK_WIDGET (window),
                                                           ADW_TYPE_VIEW_STACK));
    GtkWidget *row = ui_find (GTK_WIDGET (page), is_quota_row_of, "vendor.newThing");
    GtkWidget *value;
    g_autofree char *copied = NULL;
    g_autoptr(JsonNode) changed = json_from_string ("{\"vendor.newThing\":8,"
                                                    "\"vendor.otherThing\":1}", NULL);

    g_assert_nonnull (row);
    value = ui_find_by_type (row, JUICE_TYPE_VALUE_LABEL);
    UI_WAIT_UNTIL (g_strcmp0 (ui_label_text (value), "7") == 0);

    adw_view_stack_set_visible_child_name (stack, "overview");
    UI_WAIT_UNTIL (!gtk_widget_get_mapped (GTK_WIDGET (page)));
    juice_device_apply_report (device, changed, NULL);
    ui_wait_drawn (GTK_WIDGET (window));
    g_assert_cmpstr (ui_label_text (value), ==, "7");
    g_assert_null (ui_find (GTK_WIDGET (page), is_quota_row_of, "vendor.otherThing"));

    /* Shown again: it catches up. */
    adw_view_stack_set_visible_child_name (stack, "values");
    UI_WAIT_UNTIL (g_strcmp0 (ui_label_text (value), "8") == 0);
    UI_WAIT_UNTIL (juice_values_page_get_n_shown (page) == all + 2);
    all++;

    /* The value is drawn, not selectable: Ctrl+C on the row copies it. */
    g_assert_true (gtk_widget_activate_action (row, "row.copy-value", NULL));
    copied = clipboard_text (row);
    g_assert_cmpstr (copied, ==, "8");
  }

  /* Search by label, by raw key, and nothing. */
  gtk_editable_set_text (GTK_EDITABLE (search), "solar");
  UI_WAIT_UNTIL (juice_values_page_get_n_shown (page) > 3 &&
                 juice_values_page_get_n_shown (page) < 30);
  ui_save_screenshot (GTK_WIDGET (window), "all-values-solar.png");

  gtk_editable_set_text (GTK_EDITABLE (search), "bmsmaster.cellvol");
  UI_WAIT_UNTIL (juice_values_page_get_n_shown (page) == 1);

  gtk_editable_set_text (GTK_EDITABLE (search), "zzzz-no-such-thing");
  UI_WAIT_UNTIL (juice_values_page_get_n_shown (page) == 0);

  close_window (window, device, sim);
  g_assert_finalize_object (g_steal_pointer (&device));
  g_assert_finalize_object (g_steal_pointer (&sim));
}

static void
test_preferences_and_dark (void)
{
  g_autoptr(JuiceSimDevice) sim = juice_sim_device_new (SN);
  g_autoptr(JuiceDevice) device = juice_device_new (SN, juice_device_profile_delta_pro ());
  g_autoptr(GSettings) settings = g_settings_new ("io.github.juicepower.Juice");
  GtkWidget *prefs, *combo, *watts_label;
  JuiceWindow *window;
  g_autofree char *kw = NULL;
  g_autofree char *w = NULL;

  g_object_set (sim, "report-interval-ms", 0, "time-of-day", 12.0, NULL);
  juice_sim_device_attach (sim, device);
  juice_sim_device_step (sim, 1);

  window = new_window (device);
  ui_present (GTK_WINDOW (window));

  watts_label = ui_find_by_css_class (GTK_WIDGET (window), "juice-watts");
  kw = juice_format_watts (juice_device_get_watts_in (device), TRUE);
  w = juice_format_watts (juice_device_get_watts_in (device), FALSE);
  g_assert_cmpint (juice_device_get_watts_in (device), >=, 1000);
  wait_for_label (watts_label, kw);

  /* Choosing "Always watts" in Preferences changes the setting and the page. */
  prefs = juice_preferences_window_new (GTK_WINDOW (window));
  ui_present (GTK_WINDOW (prefs));
  combo = ui_find_by_type (prefs, ADW_TYPE_COMBO_ROW);
  g_assert_nonnull (combo);
  g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (combo)), ==, 0);
  adw_combo_row_set_selected (ADW_COMBO_ROW (combo), 1);
  {
    g_autofree char *unit = g_settings_get_string (settings, "power-unit");

    g_assert_cmpstr (unit, ==, "watts");
  }
  wait_for_label (watts_label, w);
  ui_save_screenshot (prefs, "preferences.png");
  gtk_window_destroy (GTK_WINDOW (prefs));
  g_settings_reset (settings, "power-unit");
  wait_for_label (watts_label, kw);

  /* Dark mode: the same page with libadwaita's dark colours. */
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  UI_WAIT_UNTIL (adw_style_manager_get_dark (adw_style_manager_get_default ()));
  ui_save_screenshot (GTK_WIDGET (window), "demo-window-dark.png");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);

  close_window (window, device, sim);
  g_assert_finalize_object (g_steal_pointer (&device));
  g_assert_finalize_object (g_steal_pointer (&sim));
}

/* Tab through the whole window: every setting's control takes the focus. */
static void
test_keyboard (void)
{
  g_autoptr(JuiceSimDevice) sim = juice_sim_device_new (SN);
  g_autoptr(JuiceDevice) device = juice_device_new (SN, juice_device_profile_delta_pro ());
  g_autoptr(GHashTable) reached = g_hash_table_new (NULL, NULL);
  const JuiceDeviceProfile *profile = juice_device_profile_delta_pro ();
  JuiceWindow *window;
  guint n_controls = 0;

  g_object_set (sim, "report-interval-ms", 0, NULL);
  juice_sim_device_attach (sim, device);
  window = new_window (device);
  ui_present (GTK_WINDOW (window));

  /* Laid out, as a person would see it before pressing a key: every
   * setting's row is shown. */
  UI_WAIT_UNTIL (ui_count (GTK_WIDGET (window), is_mapped_setting_row, NULL) == profile->n_settings);

  /* F6 takes the focus from the device list into the page; Tab then
   * walks every control. */
  gtk_widget_grab_focus (ui_find_by_type (GTK_WIDGET (window), JUICE_TYPE_DEVICE_ROW));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.switch-pane", NULL));
  {
    GtkWidget *page = ui_find_by_type (GTK_WIDGET (window), JUICE_TYPE_DEVICE_PAGE);
    GtkWidget *content = gtk_widget_get_parent (gtk_widget_get_parent (gtk_widget_get_parent (page)));
    GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));

    g_assert_nonnull (focus);
    g_assert_false (JUICE_IS_DEVICE_ROW (focus));
    (void) content;
  }

  for (guint i = 0; i < 600; i++)
    {
      GtkWidget *focus;

      gtk_widget_child_focus (GTK_WIDGET (window), GTK_DIR_TAB_FORWARD);
      focus = gtk_root_get_focus (GTK_ROOT (window));
      for (GtkWidget *w = focus; w != NULL; w = gtk_widget_get_parent (w))
        if (juice_setting_widget_get_setting (w) != NULL)
          {
            g_hash_table_add (reached, (gpointer) juice_setting_widget_get_setting (w));
            break;
          }
    }

  for (guint i = 0; i < profile->n_settings; i++)
    {
      if (!g_hash_table_contains (reached, &profile->settings[i]))
        g_test_message ("not reached by Tab: %s", profile->settings[i].name);
      else
        n_controls++;
    }
  g_assert_cmpuint (n_controls, ==, profile->n_settings);

  close_window (window, device, sim);
  g_assert_finalize_object (g_steal_pointer (&device));
  g_assert_finalize_object (g_steal_pointer (&sim));
}

static void
test_formatting (void)
{
  g_autofree char *a = juice_format_remaining (0);
  g_autofree char *b = juice_format_remaining (45);
  g_autofree char *c = juice_format_remaining (-200);
  g_autofree char *d = juice_format_remaining (60 * 30 + 5);
  g_autofree char *e = juice_format_remaining (-5999);
  g_autofree char *f = juice_format_soc (99.7);
  g_autofree char *g = juice_format_watts (1163, TRUE);
  g_autofree char *h = juice_format_watts (1163, FALSE);
  g_autofree char *i = juice_format_watts (999, TRUE);

  g_assert_cmpstr (a, ==, "Idle");
  g_assert_cmpstr (b, ==, "45 min to full");
  g_assert_cmpstr (c, ==, "3 h 20 min to empty");
  g_assert_cmpstr (d, ==, "1 d 6 h to full");
  g_assert_cmpstr (e, ==, "more than 99 h to empty");
  g_assert_cmpstr (f, ==, "99 %");
  g_assert_cmpstr (g, ==, "1.16 kW");
  g_assert_cmpstr (h, ==, "1163 W");
  g_assert_cmpstr (i, ==, "999 W");
}

/* Second products: the demo's DELTA Pro and DELTA 2 side by side; a DELTA 2
 * setting changed from its page is confirmed by the device. */
#define SN_DELTA_2 "R331ZEB4ZE8A0123"

static gboolean
is_row_of (GtkWidget     *widget,
           gconstpointer  device)
{
  return JUICE_IS_DEVICE_ROW (widget) &&
         juice_device_row_get_device (JUICE_DEVICE_ROW (widget)) == device;
}

static gboolean
is_device_row (GtkWidget     *widget,
               gconstpointer  data)
{
  return JUICE_IS_DEVICE_ROW (widget);
}

static void
test_two_products (void)
{
  g_autoptr(JuiceSimDevice) sim = juice_sim_device_new (SN);
  g_autoptr(JuiceDevice) device = juice_device_new (SN, juice_device_profile_delta_pro ());
  const JuiceDeviceProfile *profile_2 = juice_device_profile_delta_2 ();
  g_autoptr(JuiceSimDevice) sim_2 = juice_sim_device_new_for_profile (SN_DELTA_2, profile_2);
  g_autoptr(JuiceDevice) device_2 = juice_device_new (SN_DELTA_2, profile_2);
  g_autoptr(GListStore) devices = g_list_store_new (JUICE_TYPE_DEVICE);
  GtkWidget *row, *control, *soc_label;
  JuiceSettingRow *setting_row;
  JuiceWindow *window;

  g_object_set (sim, "report-interval-ms", 0, "time-of-day", 12.0, NULL);
  g_object_set (sim_2, "report-interval-ms", 0, "ack-delay-ms", 30, "apply-delay-ms", 60,
                "time-of-day", 12.0, NULL);
  juice_sim_device_set_name (sim, "Demo DELTA Pro");
  juice_sim_device_set_name (sim_2, "Demo DELTA 2");
  juice_sim_device_attach (sim, device);
  juice_sim_device_attach (sim_2, device_2);
  g_list_store_append (devices, device);
  g_list_store_append (devices, device_2);

  window = juice_window_new (NULL, G_LIST_MODEL (devices));
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 2600);
  ui_present (GTK_WINDOW (window));

  /* Both devices are listed. */
  UI_WAIT_UNTIL (ui_count (GTK_WIDGET (window), is_device_row, NULL) == 2);
  g_assert_nonnull (ui_find (GTK_WIDGET (window), is_label_with, "Demo DELTA 2"));
  g_assert_nonnull (ui_find (GTK_WIDGET (window), is_label_with, "Demo DELTA Pro"));

  /* The DELTA 2's page: its charge, its settings from its profile. */
  row = ui_find (GTK_WIDGET (window), is_row_of, device_2);
  g_assert_nonnull (row);
  g_signal_emit_by_name (row, "activate");
  g_assert_true (juice_window_get_device (window) == device_2);
  soc_label = ui_find_by_css_class (GTK_WIDGET (window), "juice-soc");
  wait_for_label (soc_label, "46 %");
  UI_WAIT_UNTIL (ui_count (GTK_WIDGET (window), is_setting_row, NULL) == profile_2->n_settings);
  /* no DELTA Pro setting on it */
  g_assert_null (find_setting_row (GTK_WIDGET (window), "pv-charging-type"));

  /* USB outputs on: the DELTA 2 takes dcOutCfg and reports pd.dcOutState. */
  setting_row = find_setting_row (GTK_WIDGET (window), "usb-output");
  g_assert_nonnull (setting_row);
  control = juice_setting_row_get_control (setting_row);
  g_assert_true (GTK_IS_SWITCH (control));
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (control)));
  gtk_switch_set_active (GTK_SWITCH (control), TRUE);
  g_assert_true (juice_setting_row_get_pending (setting_row));
  wait_until_applied (device_2, sim_2, "usb-output", "pd.dcOutState", 1);
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (control)));

  /* The charge limit scale, module 2. */
  setting_row = find_setting_row (GTK_WIDGET (window), "charge-limit");
  control = juice_setting_row_get_control (setting_row);
  g_assert_true (GTK_IS_SCALE (control));
  gtk_range_set_value (GTK_RANGE (control), 90);
  wait_until_applied (device_2, sim_2, "charge-limit", "bms_emsStatus.maxChargeSoc", 90);

  ui_save_screenshot (GTK_WIDGET (window), "demo-two-products.png");

  /* Back to the DELTA Pro: its own settings again. */
  row = ui_find (GTK_WIDGET (window), is_row_of, device);
  g_signal_emit_by_name (row, "activate");
  UI_WAIT_UNTIL (find_setting_row (GTK_WIDGET (window), "pv-charging-type") != NULL);
  g_assert_null (find_setting_row (GTK_WIDGET (window), "usb-output"));

  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&devices);
  ui_wait_sole_owner (device);
  ui_wait_sole_owner (sim);
  ui_wait_sole_owner (device_2);
  ui_wait_sole_owner (sim_2);
  g_assert_finalize_object (g_steal_pointer (&device));
  g_assert_finalize_object (g_steal_pointer (&sim));
  g_assert_finalize_object (g_steal_pointer (&device_2));
  g_assert_finalize_object (g_steal_pointer (&sim_2));
}

/* A product without a profile: every value, generically labelled, no
 * settings, and a line that says Juice cannot control it yet. */
static void
test_unknown_product (void)
{
  g_autoptr(JuiceDevice) device = juice_device_new ("R601ZEB4XE1A2345", NULL);
  JuiceWindow *window;
  GtkWidget *line;

  juice_device_set_product (device, "RIVER 2");
  g_assert_cmpint (juice_device_apply_report_bytes (device,
                                                    "{\"typeCode\":\"pdStatus\",\"params\":"
                                                    "{\"soc\":64,\"wattsOutSum\":12}}", -1, NULL), ==, 2);
  g_assert_cmpint (juice_device_apply_report_bytes (device, "{\"params\":{\"pd.soc\":64}}",
                                                    -1, NULL), ==, 1);

  window = new_window (device);
  ui_present (GTK_WINDOW (window));

  wait_for_label (ui_find_by_css_class (GTK_WIDGET (window), "juice-soc"), "64 %");
  UI_WAIT_UNTIL ((line = ui_find (GTK_WIDGET (window), is_label_with, "not support")) != NULL &&
                 gtk_widget_get_mapped (line));
  g_assert_cmpuint (ui_count (GTK_WIDGET (window), is_setting_row, NULL), ==, 0);

  /* All Values lists what it sent, under the keys it used. */
  {
    JuiceValuesPage *page = JUICE_VALUES_PAGE (ui_find_by_type (GTK_WIDGET (window),
                                                                JUICE_TYPE_VALUES_PAGE));

    g_assert_nonnull (page);
    g_assert_cmpuint (juice_device_get_n_quotas (device), ==, 3);
  }
  ui_save_screenshot (GTK_WIDGET (window), "unknown-product.png");

  gtk_window_destroy (GTK_WINDOW (window));
  ui_wait_sole_owner (device);
  g_assert_finalize_object (g_steal_pointer (&device));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  /* What AdwApplication loads for the app from its resource base path. */
  ui_load_app_style ();

  g_test_add_func ("/juice/ui/formatting", test_formatting);
  g_test_add_func ("/juice/ui/demo-window/soc-follows-device", test_soc_follows_device);
  g_test_add_func ("/juice/ui/demo-window/controls", test_controls);
  g_test_add_func ("/juice/ui/demo-window/all-values", test_all_values);
  g_test_add_func ("/juice/ui/demo-window/preferences-and-dark", test_preferences_and_dark);
  g_test_add_func ("/juice/ui/demo-window/keyboard", test_keyboard);
  g_test_add_func ("/juice/ui/demo-window/two-products", test_two_products);
  g_test_add_func ("/juice/ui/demo-window/unknown-product", test_unknown_product);

  return g_test_run ();
}
