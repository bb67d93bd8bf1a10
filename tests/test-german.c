/* test-german.c: Juice in German, as LANGUAGE=de shows it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs with LC_ALL=de_DE.UTF-8, LANGUAGE=de and JUICE_LOCALEDIR pointing at
 * the build's po/ (meson sets them). Every visible label must be German (no
 * English text that has a translation), none may be cut off (ellipsized) or
 * stick out of its window, numbers have a decimal comma, and juice and
 * juice-ctl print their --help in German. Screenshots of each window go to
 * the test artifacts (german-*.png).
 */

#include "config.h"

#include <locale.h>
#include <string.h>

#include <adwaita.h>
#include <glib/gi18n.h>

#include "juice-device-page.h"
#include "juice-i18n.h"
#include "juice-preferences-window.h"
#include "juice-quota-format.h"
#include "juice-sign-in-dialog.h"
#include "juice-sim-device.h"
#include "juice-window.h"
#include "ui-util.h"

#define SN "DCABZ8A1B2C3D4E5"

typedef struct
{
  GtkWidget *root;
  GString   *problems;
  guint      n_labels;
} LabelCheck;

/* A label a user can see: mapped, with text, inside a visible window. */
static gboolean
label_is_shown (GtkWidget *widget)
{
  return GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget) &&
         gtk_widget_get_child_visible (widget) &&
         *gtk_label_get_text (GTK_LABEL (widget)) != '\0';
}

static void
check_label (GtkWidget  *widget,
             LabelCheck *check)
{
  GtkLabel *label = GTK_LABEL (widget);
  const char *text = gtk_label_get_text (label);
  const char *translated = g_dgettext (GETTEXT_PACKAGE, text);
  graphene_rect_t bounds;
  int root_width = gtk_widget_get_width (check->root);

  check->n_labels++;

  /* English left over: the label shows a msgid that has a German msgstr. */
  if (translated != text && strcmp (translated, text) != 0)
    g_string_append_printf (check->problems, "not translated: “%s” (German: “%s”)\n",
                            text, translated);

  /* Values may be too long for their row: their tooltip shows them whole. */
  if (pango_layout_is_ellipsized (gtk_label_get_layout (label)) &&
      !gtk_widget_get_has_tooltip (widget))
    g_string_append_printf (check->problems, "cut off (ellipsized): “%s”\n", text);

  /* Sticking out sideways: the window's content is not scrolled sideways. */
  if (gtk_widget_compute_bounds (widget, check->root, &bounds) &&
      (bounds.origin.x < -0.5 || bounds.origin.x + bounds.size.width > root_width + 0.5))
    g_string_append_printf (check->problems, "outside its window (x %.0f to %.0f of %d): “%s”\n",
                            bounds.origin.x, bounds.origin.x + bounds.size.width, root_width,
                            text);
}

static void
walk (GtkWidget  *widget,
      LabelCheck *check)
{
  if (!gtk_widget_get_mapped (widget))
    return;
  if (label_is_shown (widget))
    check_label (widget, check);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    walk (child, check);
}

static gboolean
stack_in_transition (GtkWidget     *widget,
                     gconstpointer  data)
{
  return GTK_IS_STACK (widget) && gtk_stack_get_transition_running (GTK_STACK (widget));
}

/* Checks every label shown in @window, saves a screenshot as @name. */
static void
check_window (GtkWidget  *window,
              const char *name)
{
  LabelCheck check = { window, g_string_new (NULL), 0 };

  /* A page fading in is half drawn, and the old one still mapped. */
  UI_WAIT_UNTIL (ui_count (window, stack_in_transition, NULL) == 0);
  ui_wait_drawn (window);
  ui_save_screenshot (window, name);
  walk (window, &check);
  g_test_message ("%s: %u labels", name, check.n_labels);
  if (check.problems->len > 0)
    g_test_message ("%s:\n%s", name, check.problems->str);
  g_assert_cmpstr (check.problems->str, ==, "");
  g_assert_cmpuint (check.n_labels, >, 0);
  g_string_free (check.problems, TRUE);
}

static gboolean
label_text_is (GtkWidget     *widget,
               gconstpointer  text)
{
  return label_is_shown (widget) && strcmp (gtk_label_get_text (GTK_LABEL (widget)), text) == 0;
}

static void
test_locale (void)
{
  const char *numeric = setlocale (LC_NUMERIC, NULL);
  g_autofree char *kilowatts = juice_format_watts (1234, TRUE);

  /* The translations are found, and numbers follow the German locale. */
  g_assert_cmpstr (_("State of Charge"), ==, "Ladezustand");
  g_assert_nonnull (numeric);
  g_assert_true (g_str_has_prefix (numeric, "de_DE"));
  g_assert_cmpstr (kilowatts, ==, "1,23 kW");
}

static void
test_quota_numbers (void)
{
  const JuiceDeviceProfile *profile = juice_device_profile_delta_pro ();
  const JuiceQuotaInfo *info = juice_device_profile_lookup_quota (profile, "bmsMaster.vol");
  g_autofree char *volts = NULL;
  g_autofree char *duration = juice_format_duration (3 * 3600 + 20 * 60, FALSE);

  g_assert_nonnull (info);
  /* 51234 mV, shown in volts: a decimal comma, trailing zeros dropped. */
  volts = juice_quota_format_value (info, 51230);
  g_assert_cmpstr (volts, ==, "51,23 V");
  g_assert_cmpstr (duration, ==, "3 h 20 min");

  /* A list of numbers with decimal commas is separated by semicolons. */
  {
    const JuiceQuotaInfo *cells = juice_device_profile_lookup_quota (profile, "bmsMaster.cellVol");
    g_autoptr(JsonNode) node = json_from_string ("[3331, 3320]", NULL);
    g_autofree char *text = NULL;

    g_assert_nonnull (cells);
    text = juice_quota_format_node (cells, node);
    g_assert_cmpstr (text, ==, "3,331 V; 3,32 V");
  }
}

static void
test_window (void)
{
  g_autoptr(JuiceSimDevice) sim = juice_sim_device_new (SN);
  g_autoptr(JuiceDevice) device = juice_device_new (SN, juice_device_profile_delta_pro ());
  g_autoptr(GListStore) devices = g_list_store_new (JUICE_TYPE_DEVICE);
  JuiceWindow *window;
  GtkWidget *prefs;

  g_object_set (sim, "report-interval-ms", 0, "time-of-day", 12.0, NULL);
  juice_sim_device_set_name (sim, _("Demo DELTA Pro"));
  juice_sim_device_attach (sim, device);
  juice_sim_device_set_quota_int (sim, "inv.cfgAcEnabled", 1);
  juice_sim_device_step (sim, 1);
  g_list_store_append (devices, device);

  window = juice_window_new (NULL, G_LIST_MODEL (devices));
  ui_present (GTK_WINDOW (window));
  UI_WAIT_UNTIL (ui_find (GTK_WIDGET (window), label_text_is, "Ladezustand") != NULL);
  UI_WAIT_UNTIL (ui_find (GTK_WIDGET (window), label_text_is, "Leistungsflüsse") != NULL);
  check_window (GTK_WIDGET (window), "german-overview.png");

  /* All Values, with its longest labels. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.search-values", NULL));
  UI_WAIT_UNTIL (ui_find (GTK_WIDGET (window), label_text_is, "Gesamte Eingangsleistung") != NULL);
  check_window (GTK_WIDGET (window), "german-values.png");

  prefs = juice_preferences_window_new (GTK_WINDOW (window));
  ui_present (GTK_WINDOW (prefs));
  UI_WAIT_UNTIL (ui_find (prefs, label_text_is, "Einheiten") != NULL);
  check_window (prefs, "german-preferences.png");
  gtk_window_destroy (GTK_WINDOW (prefs));

  /* The welcome page: no devices. */
  juice_window_set_devices (window, NULL);
  UI_WAIT_UNTIL (ui_find (GTK_WIDGET (window), label_text_is, "Willkommen bei Juice") != NULL);
  check_window (GTK_WIDGET (window), "german-welcome.png");

  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&devices);
  ui_wait_sole_owner (device);
  ui_wait_sole_owner (sim);
}

static void
test_sign_in_dialog (void)
{
  GtkWidget *dialog = juice_sign_in_dialog_new (NULL, "https://api-e.ecoflow.com", NULL);

  ui_present (GTK_WINDOW (dialog));
  UI_WAIT_UNTIL (ui_find (dialog, label_text_is, "Anmelden") != NULL);
  check_window (dialog, "german-sign-in.png");
  gtk_window_destroy (GTK_WINDOW (dialog));
}

/* Runs @program --help; returns what it printed. */
static char *
help_of (const char *program)
{
  const char *argv[] = { program, "--help", NULL };
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  int status = 0;

  g_assert_nonnull (program);
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, NULL, &status,
                &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  return out;
}

static void
test_help (void)
{
  g_autofree char *ctl = help_of (g_getenv ("JUICE_CTL"));
  g_autofree char *juice = help_of (g_getenv ("JUICE_BIN"));

  g_test_message ("juice-ctl --help:\n%s", ctl);
  g_assert_nonnull (strstr (ctl, "Befehle:\n  devices                 Die Geräte des Kontos auflisten"));
  g_assert_nonnull (strstr (ctl, "Version ausgeben und beenden"));
  g_assert_nonnull (strstr (ctl, "BEFEHL [ARGUMENTE …]"));
  g_assert_null (strstr (ctl, "List the devices"));

  g_assert_nonnull (strstr (juice, "Eine simulierte DELTA Pro statt Ihres Kontos anzeigen"));
  g_assert_null (strstr (juice, "Show a simulated DELTA Pro"));
}

int
main (int   argc,
      char *argv[])
{
  /* As juice does: the locale from the environment, Juice's text domain. */
  juice_i18n_init ();
  if (setlocale (LC_ALL, NULL) == NULL || !g_str_has_prefix (setlocale (LC_ALL, NULL), "de_DE"))
    g_error ("The de_DE.UTF-8 locale is missing (LC_ALL is “%s”): build-aux/dev.sh test "
             "generates it", setlocale (LC_ALL, NULL));

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  /* The app icon, as installed (the welcome page shows it). */
  {
    g_autofree char *icons = g_build_filename (g_getenv ("JUICE_SOURCE_DIR"), "data", "icons", NULL);

    gtk_icon_theme_add_search_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                    icons);
  }

  /* The app's own styles, as AdwApplication loads them. */
  ui_load_app_style ();

  g_test_add_func ("/juice/german/locale", test_locale);
  g_test_add_func ("/juice/german/quota-numbers", test_quota_numbers);
  g_test_add_func ("/juice/german/window", test_window);
  g_test_add_func ("/juice/german/sign-in-dialog", test_sign_in_dialog);
  g_test_add_func ("/juice/german/help", test_help);

  return g_test_run ();
}
