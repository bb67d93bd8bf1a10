/* test-device-page.c: the device page says what went wrong and offers a retry
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <adwaita.h>

#include "juice-device-page.h"
#include "juice-sim-device.h"
#include "ui-util.h"

#define SN "DCABZ8A1B2C3D4E5"
#define PROBLEM "Could not load this device’s values: EcoFlow could not carry out the " \
                "request (1008 “request failed”)."

static gboolean
deadline_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Turns the main loop until @check holds, at most 20 s. */
static gboolean
wait_until (gboolean (*check) (gpointer data),
            gpointer  data)
{
  gboolean expired = FALSE;
  guint deadline;

  if (check (data))
    return TRUE;

  deadline = g_timeout_add_seconds (20, deadline_cb, &expired);
  while (!check (data) && !expired)
    g_main_context_iteration (NULL, TRUE);
  if (!expired)
    g_source_remove (deadline);

  return check (data);
}

static gboolean
is_retry_button (GtkWidget     *widget,
                 gconstpointer  data)
{
  return GTK_IS_BUTTON (widget) &&
         g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)),
                    "device.refresh") == 0;
}

static gboolean
banner_shown (gpointer data)
{
  GtkWidget *button = data;
  GtkWidget *revealer = gtk_widget_get_ancestor (button, GTK_TYPE_REVEALER);

  return gtk_widget_get_mapped (button) &&
         gtk_revealer_get_child_revealed (GTK_REVEALER (revealer));
}

static gboolean
banner_hidden (gpointer data)
{
  GtkWidget *button = data;
  GtkWidget *revealer = gtk_widget_get_ancestor (button, GTK_TYPE_REVEALER);

  return !gtk_widget_get_mapped (button) && !gtk_widget_get_visible (revealer);
}

static guint n_reports;

static void
on_report_applied (JuiceDevice *device,
                   guint        n_changed)
{
  n_reports++;
}

static gboolean
reported (gpointer data)
{
  return n_reports >= GPOINTER_TO_UINT (data);
}

static gboolean
pointer_cleared (gpointer data)
{
  return *(gpointer *) data == NULL;
}

static void
test_problem_banner (void)
{
  g_autoptr(JuiceSimDevice) sim = juice_sim_device_new (SN);
  g_autoptr(JuiceDevice) device = juice_device_new (SN, juice_device_profile_delta_pro ());
  GtkWidget *window, *page, *button, *label;

  g_object_set (sim, "report-interval-ms", 0, "time-of-day", 12.0, NULL);
  juice_sim_device_attach (sim, device);
  g_signal_connect (device, "report-applied", G_CALLBACK (on_report_applied), NULL);

  page = g_object_new (JUICE_TYPE_DEVICE_PAGE, "device", device, NULL);
  window = adw_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 600, 700);
  adw_window_set_content (ADW_WINDOW (window), page);
  g_object_add_weak_pointer (G_OBJECT (page), (gpointer *) &page);
  ui_present (GTK_WINDOW (window));

  button = ui_find (page, is_retry_button, NULL);
  g_assert_nonnull (button);
  label = gtk_widget_get_prev_sibling (button);
  g_assert_true (GTK_IS_LABEL (label));

  /* Nothing wrong: no banner. */
  g_assert_true (wait_until (banner_hidden, button));

  /* A problem shows, word for word, with its Retry. */
  juice_device_set_problem (device, PROBLEM);
  g_assert_true (wait_until (banner_shown, button));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (label)), ==, PROBLEM);
  g_assert_true (gtk_widget_get_sensitive (button));

  /* Retry asks the device for every value again. */
  n_reports = 0;
  gtk_widget_activate (button);
  g_assert_true (wait_until (reported, GUINT_TO_POINTER (1)));

  /* The values arrived: the transport clears the problem, the banner goes. */
  juice_device_set_problem (device, NULL);
  g_assert_true (wait_until (banner_hidden, button));

  g_signal_handlers_disconnect_by_func (device, on_report_applied, NULL);
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_true (wait_until (pointer_cleared, &page));
  g_assert_finalize_object (g_steal_pointer (&device));
  g_assert_finalize_object (g_steal_pointer (&sim));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/juice/ui/device-page/problem-banner", test_problem_banner);

  return g_test_run ();
}
