/* bench-chart.c: a frame of the power chart, 30 days of three series at
 * 1280 × 300 (DESIGN.md §6: 2 ms)
 *
 * Each frame is what GTK does for the chart: its snapshot, then the
 * renderer (cairo, as on a machine without GL) drawing the nodes into a
 * texture. "redraw" is a frame with the points already binned (the pointer
 * moving, the theme changing); "new data" bins all the points again first
 * (a report arrived, the range changed). The reference is the same
 * renderer filling 1280 × 300 with one colour: what any frame that size
 * costs here.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <adwaita.h>

#include "chart-data.h"
#include "juice-power-chart.h"

#define WIDTH    1280
#define HEIGHT   300
#define FRAMES   100
#define RUNS     9
#define DAY      (24 * 60 * 60)
#define BUDGET_MS 2.0

typedef enum
{
  FRAME_REFERENCE,
  FRAME_REDRAW,
  FRAME_NEW_DATA,
} FrameKind;

static double
run_frames (JuicePowerChart *chart,
            GskRenderer     *renderer,
            FrameKind        kind)
{
  graphene_rect_t viewport = GRAPHENE_RECT_INIT (0, 0, WIDTH, HEIGHT);
  GdkRGBA grey = { 0.5, 0.5, 0.5, 1 };
  gint64 start = g_get_monotonic_time ();

  for (guint i = 0; i < FRAMES; i++)
    {
      GtkSnapshot *snapshot = gtk_snapshot_new ();
      g_autoptr(GskRenderNode) node = NULL;
      g_autoptr(GdkTexture) texture = NULL;

      if (kind == FRAME_NEW_DATA)
        /* A second later: every point binned again. */
        juice_power_chart_set_end_time (chart, CHART_DATA_END + (i % 2));

      if (kind == FRAME_REFERENCE)
        gtk_snapshot_append_color (snapshot, &grey, &viewport);
      else
        {
          /* The cursor in the middle: the readout is drawn too. */
          juice_power_chart_draw (chart, snapshot, WIDTH, HEIGHT);
        }
      node = gtk_snapshot_free_to_node (snapshot);
      texture = gsk_renderer_render_texture (renderer, node, &viewport);
      g_assert (texture != NULL);
    }

  return (g_get_monotonic_time () - start) / 1000.0 / FRAMES;
}

static void
report (const char   *name,
        const double *ms,
        double        reference)
{
  double min = G_MAXDOUBLE, max = 0;

  for (guint i = 0; i < RUNS; i++)
    {
      min = MIN (min, ms[i]);
      max = MAX (max, ms[i]);
    }

  g_print ("%s: %.3f ms (%.3f..%.3f, %u runs of %u frames; reference one-colour frame "
           "%.3f ms, ratio %.1fx; budget %.1f ms)\n",
           name, min, min, max, RUNS, FRAMES, reference, min / reference, BUDGET_MS);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GArray) raw_soc = NULL;
  g_autoptr(GArray) raw_in = NULL;
  g_autoptr(GArray) raw_out = NULL;
  g_autoptr(GArray) soc = NULL;
  g_autoptr(GArray) in = NULL;
  g_autoptr(GArray) out = NULL;
  g_autoptr(GskRenderer) renderer = NULL;
  g_autoptr(GError) error = NULL;
  JuicePowerChart *chart;
  GtkWindow *window;
  double reference[RUNS], redraw[RUNS], new_data[RUNS];
  double best_reference = G_MAXDOUBLE, best_redraw = G_MAXDOUBLE, best_new = G_MAXDOUBLE;
  gboolean ok;

  g_setenv ("TZ", "UTC", TRUE);
  gtk_init ();
  adw_init ();

  /* 30 days, a sample every 10 s, decimated to 1,280 min/mean/max buckets
   * as JuiceHistory's query hands them to the chart. */
  chart_data_make (CHART_DATA_END, 30 * DAY, 10, &raw_soc, &raw_in, &raw_out);
  soc = chart_data_decimate (raw_soc, CHART_DATA_END - 30 * DAY, CHART_DATA_END, WIDTH);
  in = chart_data_decimate (raw_in, CHART_DATA_END - 30 * DAY, CHART_DATA_END, WIDTH);
  out = chart_data_decimate (raw_out, CHART_DATA_END - 30 * DAY, CHART_DATA_END, WIDTH);

  window = GTK_WINDOW (gtk_window_new ());
  chart = JUICE_POWER_CHART (juice_power_chart_new ());
  gtk_window_set_child (window, GTK_WIDGET (chart));
  juice_power_chart_set_range (chart, JUICE_CHART_RANGE_MONTH);
  juice_power_chart_set_end_time (chart, CHART_DATA_END);
  juice_power_chart_set_history (chart, soc, in, out);
  juice_power_chart_set_cursor_time (chart, CHART_DATA_END - 15 * DAY - 11 * 3600);
  /* Styled as on screen, not shown: the frame is measured alone. */
  gtk_widget_realize (GTK_WIDGET (window));

  renderer = gsk_cairo_renderer_new ();
  if (!gsk_renderer_realize (renderer, NULL, &error))
    g_error ("No cairo renderer: %s", error->message);

  /* Warm up the font caches and the bins. */
  run_frames (chart, renderer, FRAME_NEW_DATA);
  run_frames (chart, renderer, FRAME_REDRAW);

  for (guint run = 0; run < RUNS; run++)
    {
      reference[run] = run_frames (chart, renderer, FRAME_REFERENCE);
      redraw[run] = run_frames (chart, renderer, FRAME_REDRAW);
      new_data[run] = run_frames (chart, renderer, FRAME_NEW_DATA);
      best_reference = MIN (best_reference, reference[run]);
      best_redraw = MIN (best_redraw, redraw[run]);
      best_new = MIN (best_new, new_data[run]);
    }

  g_print ("chart: 3 series of %u samples decimated to %u points, 30 days, %d x %d, %s\n",
           raw_in->len, in->len, WIDTH, HEIGHT,
           juice_power_chart_get_readout (chart) != NULL ? "readout shown" : "no readout");
  report ("chart-frame-redraw", redraw, best_reference);
  report ("chart-frame-new-data", new_data, best_reference);

  ok = best_redraw <= BUDGET_MS && best_new <= BUDGET_MS;
  if (!ok)
    g_print ("FAIL: a chart frame over the %.1f ms budget\n", BUDGET_MS);

  gsk_renderer_unrealize (renderer);
  gtk_window_destroy (window);

  return ok ? 0 : 1;
}
