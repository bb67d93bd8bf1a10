/* bench-chart.c: a frame of the power chart, 30 days of three series at
 * 1280 × 300 (DESIGN.md §6: 2 ms)
 *
 * Each frame is what GTK does for the chart: its snapshot, then the
 * renderer (cairo, as on a machine without GL) drawing the nodes into a
 * texture. "redraw" is a frame with the points already binned (the pointer
 * moving, the theme changing); "new data" bins all the points again first
 * (new history: a reload after a range change or a history batch, as
 * juice-history-view.c does it); "append" is a report arriving, its live
 * point a column's time after the last (the history view sends at most one
 * per column), which moves the end. The reference is the same renderer
 * filling 1280 × 300 with one colour: what any frame that size costs here.
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
  FRAME_APPEND,
} FrameKind;

/* What the charts show: the recorded points, and the reports to come. */
typedef struct
{
  GArray *soc;
  GArray *in;
  GArray *out;
  GArray *reports[3];  /* soc, in, out, one point per report */
  guint   next_report;
} Data;

/* The cursor this far before the end: its readout is drawn too. */
#define CURSOR_BEFORE_END (15 * DAY + 11 * 3600)

static void
prepare_frame (JuicePowerChart *chart,
               Data            *data,
               FrameKind        kind,
               guint            i)
{
  if (kind == FRAME_NEW_DATA)
    {
      /* A second later, and the history again: every point binned again. */
      juice_power_chart_set_end_time (chart, CHART_DATA_END + (i % 2));
      juice_power_chart_set_history (chart, data->soc, data->in, data->out);
    }
  else if (kind == FRAME_APPEND)
    {
      guint r = data->next_report++;
      const JuiceHistoryPoint *soc, *in, *out;

      g_assert (r < data->reports[0]->len);
      soc = &g_array_index (data->reports[0], JuiceHistoryPoint, r);
      in = &g_array_index (data->reports[1], JuiceHistoryPoint, r);
      out = &g_array_index (data->reports[2], JuiceHistoryPoint, r);
      juice_power_chart_add_live (chart, soc->time, soc->mean, in->mean, out->mean);
      juice_power_chart_set_cursor_time (chart, soc->time - CURSOR_BEFORE_END);
    }
}

static double
run_frames (JuicePowerChart *chart,
            GskRenderer     *renderer,
            Data            *data,
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

      prepare_frame (chart, data, kind, i);

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

/* A chart as the device page shows it, styled as on screen but not shown:
 * the frame is measured alone. */
static JuicePowerChart *
create_chart (Data       *data,
              GtkWindow **window)
{
  JuicePowerChart *chart = JUICE_POWER_CHART (juice_power_chart_new ());

  *window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_child (*window, GTK_WIDGET (chart));
  juice_power_chart_set_range (chart, JUICE_CHART_RANGE_MONTH);
  juice_power_chart_set_end_time (chart, CHART_DATA_END);
  juice_power_chart_set_history (chart, data->soc, data->in, data->out);
  juice_power_chart_set_cursor_time (chart, CHART_DATA_END - CURSOR_BEFORE_END);
  gtk_widget_realize (GTK_WIDGET (*window));

  return chart;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GArray) raw_soc = NULL;
  g_autoptr(GArray) raw_in = NULL;
  g_autoptr(GArray) raw_out = NULL;
  g_autoptr(GskRenderer) renderer = NULL;
  g_autoptr(GError) error = NULL;
  Data data = { NULL };
  JuicePowerChart *chart, *live_chart;
  GtkWindow *window, *live_window;
  double reference[RUNS], redraw[RUNS], new_data[RUNS], append[RUNS];
  double best_reference = G_MAXDOUBLE, best_redraw = G_MAXDOUBLE, best_new = G_MAXDOUBLE;
  double best_append = G_MAXDOUBLE;
  gboolean ok;

  g_setenv ("TZ", "UTC", TRUE);
  gtk_init ();
  adw_init ();

  /* 30 days, a sample every 10 s, decimated to 1,280 min/mean/max buckets
   * as JuiceHistory's query hands them to the chart. */
  chart_data_make (CHART_DATA_END, 30 * DAY, 10, &raw_soc, &raw_in, &raw_out);
  data.soc = chart_data_decimate (raw_soc, CHART_DATA_END - 30 * DAY, CHART_DATA_END, WIDTH);
  data.in = chart_data_decimate (raw_in, CHART_DATA_END - 30 * DAY, CHART_DATA_END, WIDTH);
  data.out = chart_data_decimate (raw_out, CHART_DATA_END - 30 * DAY, CHART_DATA_END, WIDTH);

  /* The month after: a report per column's time (30 days / 1,280). */
  chart_data_make (CHART_DATA_END + 30 * DAY, 30 * DAY, 30 * DAY / WIDTH,
                   &data.reports[0], &data.reports[1], &data.reports[2]);
  for (guint s = 0; s < G_N_ELEMENTS (data.reports); s++)
    {
      guint n = 0;

      while (g_array_index (data.reports[s], JuiceHistoryPoint, n).time <= CHART_DATA_END)
        n++;
      g_array_remove_range (data.reports[s], 0, n);
    }

  chart = create_chart (&data, &window);
  live_chart = create_chart (&data, &live_window);

  renderer = gsk_cairo_renderer_new ();
  if (!gsk_renderer_realize (renderer, NULL, &error))
    g_error ("No cairo renderer: %s", error->message);

  /* Warm up the font caches and the bins. */
  run_frames (chart, renderer, &data, FRAME_NEW_DATA);
  run_frames (chart, renderer, &data, FRAME_REDRAW);
  run_frames (live_chart, renderer, &data, FRAME_APPEND);

  for (guint run = 0; run < RUNS; run++)
    {
      reference[run] = run_frames (chart, renderer, &data, FRAME_REFERENCE);
      redraw[run] = run_frames (chart, renderer, &data, FRAME_REDRAW);
      new_data[run] = run_frames (chart, renderer, &data, FRAME_NEW_DATA);
      append[run] = run_frames (live_chart, renderer, &data, FRAME_APPEND);
      best_reference = MIN (best_reference, reference[run]);
      best_redraw = MIN (best_redraw, redraw[run]);
      best_new = MIN (best_new, new_data[run]);
      best_append = MIN (best_append, append[run]);
    }

  g_print ("chart: 3 series of %u samples decimated to %u points, 30 days, %d x %d, %s; "
           "%u reports appended\n",
           raw_in->len, data.in->len, WIDTH, HEIGHT,
           juice_power_chart_get_readout (chart) != NULL &&
           juice_power_chart_get_readout (live_chart) != NULL ? "readout shown" : "no readout",
           data.next_report);
  report ("chart-frame-redraw", redraw, best_reference);
  report ("chart-frame-new-data", new_data, best_reference);
  report ("chart-frame-append", append, best_reference);

  ok = best_redraw <= BUDGET_MS && best_new <= BUDGET_MS && best_append <= BUDGET_MS;
  if (!ok)
    g_print ("FAIL: a chart frame over the %.1f ms budget\n", BUDGET_MS);

  gsk_renderer_unrealize (renderer);
  gtk_window_destroy (window);
  gtk_window_destroy (live_window);
  g_array_unref (data.soc);
  g_array_unref (data.in);
  g_array_unref (data.out);
  for (guint s = 0; s < G_N_ELEMENTS (data.reports); s++)
    g_array_unref (data.reports[s]);

  return ok ? 0 : 1;
}
