/* test-demo-window.c: the demo window follows the simulated device
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include <adwaita.h>

#include "juice-device-page.h"
#include "juice-sim-device.h"
#include "juice-window.h"

#define SN "DCABZ8A1B2C3D4E5"

static GtkWidget *
find_by_css_class (GtkWidget  *widget,
                   const char *css_class)
{
  if (gtk_widget_has_css_class (widget, css_class))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_by_css_class (child, css_class);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static void
wait_ms (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
}

static gboolean
wait_for_label (GtkWidget  *label,
                const char *text)
{
  gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < end)
    {
      if (g_strcmp0 (gtk_label_get_label (GTK_LABEL (label)), text) == 0)
        return TRUE;
      g_main_context_iteration (NULL, FALSE);
    }

  g_test_message ("label is “%s”, wanted “%s”", gtk_label_get_label (GTK_LABEL (label)), text);
  return FALSE;
}

/* Renders @widget as it is on screen into the test artifacts folder. */
static void
save_screenshot (GtkWidget  *widget,
                 const char *name)
{
  const char *dir = g_getenv ("JUICE_ARTIFACTS_DIR");
  g_autofree char *path = NULL;
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GtkSnapshot *snapshot;
  GskRenderNode *node;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  if (dir == NULL)
    return;

  g_mkdir_with_parents (dir, 0755);
  path = g_build_filename (dir, name, NULL);

  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);

  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)),
                                         node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  gsk_render_node_unref (node);
  g_test_message ("screenshot: %s", path);
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

  window = juice_window_new (NULL, device);
  gtk_window_present (GTK_WINDOW (window));
  while (!gtk_widget_get_mapped (GTK_WIDGET (window)))
    g_main_context_iteration (NULL, TRUE);

  soc_label = find_by_css_class (GTK_WIDGET (window), "juice-soc");
  g_assert_nonnull (soc_label);
  g_assert_true (wait_for_label (soc_label, "56 %"));

  title = find_by_css_class (GTK_WIDGET (window), "title");
  g_assert_nonnull (title);

  /* The sim changes, the label follows through the bindings. */
  juice_sim_device_set_quota_int (sim, "pd.soc", 73);
  juice_sim_device_step (sim, 1);
  g_assert_true (wait_for_label (soc_label, "73 %"));

  juice_sim_device_set_quota_int (sim, "pd.soc", 12);
  juice_sim_device_step (sim, 1);
  g_assert_true (wait_for_label (soc_label, "12 %"));

  /* Input power follows the sun at noon. */
  watts_labels = find_by_css_class (GTK_WIDGET (window), "juice-watts");
  g_assert_nonnull (watts_labels);
  {
    g_autofree char *want = g_strdup_printf ("%'d W", juice_device_get_watts_in (device));

    g_assert_cmpint (juice_device_get_watts_in (device), >, 500);
    g_assert_true (wait_for_label (watts_labels, want));
  }

  wait_ms (200);
  save_screenshot (GTK_WIDGET (window), "demo-window.png");

  /* Offline is shown in the subtitle. */
  juice_sim_device_set_online (sim, FALSE);
  wait_ms (50);
  {
    GtkWidget *subtitle = find_by_css_class (GTK_WIDGET (window), "subtitle");

    g_assert_nonnull (subtitle);
    g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (subtitle)), "Offline"));
  }

  gtk_window_destroy (GTK_WINDOW (window));
  wait_ms (50);
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

  g_assert_cmpstr (a, ==, "Idle");
  g_assert_cmpstr (b, ==, "45 min to full");
  g_assert_cmpstr (c, ==, "3 h 20 min to empty");
  g_assert_cmpstr (d, ==, "1 d 6 h to full");
  g_assert_cmpstr (e, ==, "more than 99 h to empty");
  g_assert_cmpstr (f, ==, "99 %");
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GtkCssProvider) css = NULL;

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  /* What AdwApplication loads for the app from its resource base path. */
  css = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (css, "/io/github/juicepower/Juice/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

  g_test_add_func ("/juice/ui/formatting", test_formatting);
  g_test_add_func ("/juice/ui/demo-window/soc-follows-device", test_soc_follows_device);

  return g_test_run ();
}
