/* test-chart.c: the power and energy charts draw, read out and describe
 * what they show
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <math.h>
#include <string.h>

#include <adwaita.h>

#include "chart-data.h"
#include "juice-energy-chart.h"
#include "juice-power-chart-private.h"
#include "ui-util.h"

#define DAY (24 * 60 * 60)

typedef struct
{
  GtkWindow       *window;
  JuicePowerChart *chart;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_LIGHT);
  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (fixture->window, 960, 300);
  fixture->chart = JUICE_POWER_CHART (juice_power_chart_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (fixture->chart), TRUE);
  gtk_widget_set_margin_top (GTK_WIDGET (fixture->chart), 12);
  gtk_widget_set_margin_bottom (GTK_WIDGET (fixture->chart), 12);
  gtk_widget_add_css_class (box, "view");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (fixture->chart));
  gtk_window_set_child (fixture->window, box);
  juice_power_chart_set_end_time (fixture->chart, CHART_DATA_END);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (fixture->window);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_DEFAULT);
}

static void
set_day (Fixture *fixture,
         gint64   span,
         gint64   step)
{
  g_autoptr(GArray) soc = NULL;
  g_autoptr(GArray) in = NULL;
  g_autoptr(GArray) out = NULL;

  chart_data_make (CHART_DATA_END, span, step, &soc, &in, &out);
  juice_power_chart_set_history (fixture->chart, soc, in, out);
}

/* The chart as the renderer draws it on screen. */
static GdkTexture *
render (GtkWidget *widget)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  GtkSnapshot *snapshot;

  ui_wait_drawn (widget);
  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, gtk_widget_get_width (widget),
                          gtk_widget_get_height (widget));
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);

  return gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)),
                                      node, NULL);
}

/* Pixels within @tolerance (0–255 per channel) of @color. */
static guint
count_pixels (GdkTexture    *texture,
              const GdkRGBA *color,
              int            tolerance)
{
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);
  g_autofree guchar *data = g_malloc (width * height * 4);
  int r = color->red * 255, g = color->green * 255, b = color->blue * 255;
  guint n = 0;

  /* Cairo's layout: B G R A in memory on little-endian machines. */
  gdk_texture_download (texture, data, width * 4);
  for (int i = 0; i < width * height; i++)
    {
      guchar *p = data + i * 4;

      if (ABS (p[2] - r) <= tolerance && ABS (p[1] - g) <= tolerance && ABS (p[0] - b) <= tolerance)
        n++;
    }

  return n;
}

static double
luminance (const GdkRGBA *color)
{
  return 0.2126 * color->red + 0.7152 * color->green + 0.0722 * color->blue;
}

static void
test_renders_day (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GdkTexture) texture = NULL;

  set_day (fixture, DAY, 60);
  gtk_window_present (fixture->window);
  texture = render (GTK_WIDGET (fixture->chart));

  g_assert_true (juice_power_chart_get_has_data (fixture->chart));
  g_assert_true (fixture->chart->any_in_range);
  g_assert_cmpfloat (luminance (&fixture->chart->colors.fg), <, 0.5);
  /* The input's edge, the output's edge and the charge line are drawn in
   * their colours. */
  g_assert_cmpuint (count_pixels (texture, &fixture->chart->colors.input, 40), >, 150);
  g_assert_cmpuint (count_pixels (texture, &fixture->chart->colors.output, 40), >, 150);
  g_assert_cmpuint (count_pixels (texture, &fixture->chart->colors.charge, 40), >, 300);
  /* The axis reads in watts and in hours. */
  g_assert_cmpfloat (fixture->chart->power_step * 4, >=, 1500);
  g_assert_cmpfloat (fixture->chart->power_step * 4, <=, 2500);

  ui_save_screenshot (gtk_widget_get_parent (GTK_WIDGET (fixture->chart)), "chart-power-day-light.png");
}

static void
test_renders_month (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GdkTexture) texture = NULL;

  juice_power_chart_set_range (fixture->chart, JUICE_CHART_RANGE_MONTH);
  set_day (fixture, 30 * DAY, 300);
  gtk_window_present (fixture->window);
  texture = render (GTK_WIDGET (fixture->chart));

  g_assert_cmpuint (count_pixels (texture, &fixture->chart->colors.input, 40), >, 150);
  ui_save_screenshot (gtk_widget_get_parent (GTK_WIDGET (fixture->chart)), "chart-power-month-light.png");
}

static void
test_empty (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GdkTexture) texture = NULL;

  gtk_window_present (fixture->window);
  texture = render (GTK_WIDGET (fixture->chart));

  g_assert_false (juice_power_chart_get_has_data (fixture->chart));
  g_assert_cmpstr (juice_power_chart_get_summary (fixture->chart), ==,
                   "Last 24 hours: nothing recorded yet. Recording starts now.");
  g_assert_nonnull (fixture->chart->message);
  g_assert_cmpstr (pango_layout_get_text (fixture->chart->message), ==,
                   "No history yet: recording starts now");
  g_assert_cmpuint (count_pixels (texture, &fixture->chart->colors.input, 10), ==, 0);
  ui_save_screenshot (gtk_widget_get_parent (GTK_WIDGET (fixture->chart)), "chart-power-empty.png");

  /* Data, but none in the range shown. */
  juice_power_chart_set_end_time (fixture->chart, CHART_DATA_END + 10 * DAY);
  set_day (fixture, DAY, 60);
  ui_wait_drawn (GTK_WIDGET (fixture->chart));
  g_assert_false (fixture->chart->any_in_range);
  g_assert_cmpstr (pango_layout_get_text (fixture->chart->message), ==,
                   "Nothing was recorded in this period");
}

static void
test_dark (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GdkTexture) texture = NULL;
  GdkRGBA light_input;

  set_day (fixture, DAY, 60);
  gtk_window_present (fixture->window);
  g_clear_object (&texture);
  texture = render (GTK_WIDGET (fixture->chart));
  light_input = fixture->chart->colors.input;

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_DARK);
  UI_WAIT_UNTIL ((ui_wait_drawn (GTK_WIDGET (fixture->chart)),
                  luminance (&fixture->chart->colors.fg) > 0.5));
  g_clear_object (&texture);
  texture = render (GTK_WIDGET (fixture->chart));

  /* The theme's dark colours: light text, the dark palette's green. */
  g_assert_cmpfloat (luminance (&fixture->chart->colors.fg), >, 0.5);
  g_assert_false (gdk_rgba_equal (&light_input, &fixture->chart->colors.input));
  g_assert_cmpuint (count_pixels (texture, &fixture->chart->colors.input, 40), >, 150);
  ui_save_screenshot (gtk_widget_get_parent (GTK_WIDGET (fixture->chart)), "chart-power-day-dark.png");
}

static void
test_keyboard_readout (Fixture       *fixture,
                       gconstpointer  data)
{
  GtkWidget *chart = GTK_WIDGET (fixture->chart);
  const char *readout;
  gint64 cursor;

  set_day (fixture, DAY, 60);
  gtk_window_present (fixture->window);
  ui_wait_drawn (chart);
  g_assert_true (gtk_widget_get_focusable (chart));
  gtk_widget_grab_focus (chart);
  g_assert_null (juice_power_chart_get_readout (fixture->chart));

  /* The first Left shows the cursor at the newest point: 18:00. */
  g_assert_true (gtk_widget_activate_action (chart, "chart.move-cursor", "i", -1));
  g_assert_cmpint (juice_power_chart_get_cursor_time (fixture->chart), ==, CHART_DATA_END);
  readout = juice_power_chart_get_readout (fixture->chart);
  g_assert_nonnull (readout);
  g_assert_true (g_str_has_prefix (readout, "18:00\nInput "));
  g_assert_nonnull (strstr (readout, " W\nOutput "));
  g_assert_nonnull (strstr (readout, "\nCharge "));

  /* Left again: a quarter of an hour earlier, by 4 × 19 to 13:15, then 13:10. */
  for (guint i = 0; i < 19; i++)
    g_assert_true (gtk_widget_activate_action (chart, "chart.move-cursor", "i", -1));
  cursor = juice_power_chart_get_cursor_time (fixture->chart);
  g_assert_cmpint (cursor, ==, CHART_DATA_END - 19 * 15 * 60);
  g_assert_true (g_str_has_prefix (juice_power_chart_get_readout (fixture->chart), "13:15\n"));
  juice_power_chart_set_cursor_time (fixture->chart, CHART_DATA_END - 4 * 3600 - 50 * 60);
  g_assert_true (g_str_has_prefix (juice_power_chart_get_readout (fixture->chart),
                                   "13:10\nInput 1.2 kW\n"));
  ui_save_screenshot (gtk_widget_get_parent (chart), "chart-power-readout.png");

  /* Right beyond the end stays at the end; Home goes to the start. */
  for (guint i = 0; i < 30; i++)
    gtk_widget_activate_action (chart, "chart.move-cursor", "i", 1);
  g_assert_cmpint (juice_power_chart_get_cursor_time (fixture->chart), ==, CHART_DATA_END);
  gtk_widget_activate_action (chart, "chart.cursor-edge", "i", -1);
  g_assert_cmpint (juice_power_chart_get_cursor_time (fixture->chart), ==, CHART_DATA_END - DAY);

  /* Escape hides it, and is then free for the window. */
  g_assert_true (gtk_widget_activate_action (chart, "chart.hide-cursor", NULL));
  g_assert_cmpint (juice_power_chart_get_cursor_time (fixture->chart), ==, -1);
  g_assert_null (juice_power_chart_get_readout (fixture->chart));
  gtk_widget_activate_action (chart, "chart.hide-cursor", NULL);
  g_assert_cmpint (juice_power_chart_get_cursor_time (fixture->chart), ==, -1);
}

static void
test_hover_readout (Fixture       *fixture,
                    gconstpointer  data)
{
  GtkWidget *chart = GTK_WIDGET (fixture->chart);
  g_autoptr(GListModel) controllers = NULL;
  GtkEventController *motion = NULL;
  double x;

  set_day (fixture, DAY, 60);
  gtk_window_present (fixture->window);
  ui_wait_drawn (chart);

  controllers = gtk_widget_observe_controllers (chart);
  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GtkEventController) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_MOTION (controller))
        motion = controller;
    }
  g_assert_nonnull (motion);

  /* The pointer at 13:10 of the plot: the readout of 13:10 ± a column. */
  x = fixture->chart->plot.origin.x +
      fixture->chart->plot.size.width * (DAY - 4 * 3600 - 50 * 60) / (double) DAY;
  g_signal_emit_by_name (motion, "motion", x, 50.0);
  g_assert_cmpint (ABS (juice_power_chart_get_cursor_time (fixture->chart) -
                        (CHART_DATA_END - 4 * 3600 - 50 * 60)), <=, 120);
  g_assert_nonnull (strstr (juice_power_chart_get_readout (fixture->chart), "Input 1.2 kW"));

  g_signal_emit_by_name (motion, "leave");
  g_assert_null (juice_power_chart_get_readout (fixture->chart));
}

static void
test_summary (Fixture       *fixture,
              gconstpointer  data)
{
  const char *summary;

  set_day (fixture, DAY, 60);
  summary = juice_power_chart_get_summary (fixture->chart);
  g_test_message ("%s", summary);
  g_assert_true (g_str_has_prefix (summary, "Last 24 hours: input peaked at 1.2 kW at 13:10, "
                                            "output peaked at 1.6 kW at "));
  g_assert_nonnull (strstr (summary, ", charge between "));
  g_assert_true (g_str_has_suffix (summary, " %."));

  juice_power_chart_set_range (fixture->chart, JUICE_CHART_RANGE_HOUR);
  summary = juice_power_chart_get_summary (fixture->chart);
  g_assert_true (g_str_has_prefix (summary, "Last hour: input peaked at "));
}

static void
test_live (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GArray) soc = g_array_new (FALSE, FALSE, sizeof (JuiceHistoryPoint));
  JuiceHistoryPoint point = { CHART_DATA_END - 600, 50, 50, 50 };
  JuicePowerChart *chart = fixture->chart;

  juice_power_chart_set_range (chart, JUICE_CHART_RANGE_HOUR);
  g_array_append_val (soc, point);
  juice_power_chart_set_history (chart, soc, NULL, NULL);
  gtk_window_present (fixture->window);
  ui_wait_drawn (GTK_WIDGET (chart));

  /* Reports after the recorded points extend the chart and move its end. */
  juice_power_chart_add_live (chart, CHART_DATA_END + 30, 51, 400, 120);
  juice_power_chart_add_live (chart, CHART_DATA_END + 31, 51, 420, 130);
  juice_power_chart_add_live (chart, CHART_DATA_END + 31, 52, 430, 140);
  g_assert_cmpint (juice_power_chart_get_end_time (chart), ==, CHART_DATA_END + 31);
  g_assert_cmpuint (chart->live[JUICE_POWER_CHART_IN]->len, ==, 2);
  juice_power_chart_set_cursor_time (chart, CHART_DATA_END + 31);
  g_assert_cmpstr (juice_power_chart_get_readout (chart), ==,
                   "18:00\nInput 430 W\nOutput 140 W\nCharge 52 %");
  ui_wait_drawn (GTK_WIDGET (chart));
  g_assert_true (chart->any_in_range);

  /* Once recorded, the live points they cover go. */
  point = (JuiceHistoryPoint) { CHART_DATA_END + 30, 51, 51, 51 };
  g_array_append_val (soc, point);
  juice_power_chart_set_history (chart, soc, soc, soc);
  g_assert_cmpuint (chart->live[JUICE_POWER_CHART_IN]->len, ==, 1);
  g_assert_cmpuint (chart->live[JUICE_POWER_CHART_SOC]->len, ==, 1);
}

/* What the chart painted before it painted column by column: each series'
 * spans blended over the raster in turn, from its bins. The test paints
 * it again to see the chart's pixels did not change. */
typedef struct
{
  guint32 *pixels;
  int      width;
  int      height;
} RefRaster;

static guint32
ref_blend (guint32 src,
           guint32 dst)
{
  guint32 inv = 255 - (src >> 24);
  guint32 rb = ((dst & 0xff00ff) * inv + 0x800080) >> 8 & 0xff00ff;
  guint32 ag = ((dst >> 8 & 0xff00ff) * inv + 0x800080) & 0xff00ff00;

  return src + rb + ag;
}

static guint32
ref_premultiply (const GdkRGBA *color,
                 double         alpha)
{
  double a = CLAMP (color->alpha * alpha, 0, 1);

  return ((guint32) (a * 255 + 0.5) << 24) |
         ((guint32) (CLAMP (color->red, 0, 1) * a * 255 + 0.5) << 16) |
         ((guint32) (CLAMP (color->green, 0, 1) * a * 255 + 0.5) << 8) |
         (guint32) (CLAMP (color->blue, 0, 1) * a * 255 + 0.5);
}

static void
ref_span (RefRaster *raster,
          int        x0,
          int        x1,
          int        y0,
          int        y1,
          guint32    color)
{
  for (int y = MAX (y0, 0); y < MIN (y1, raster->height); y++)
    for (int x = MAX (x0, 0); x < MIN (x1, raster->width); x++)
      raster->pixels[y * raster->width + x] = ref_blend (color, raster->pixels[y * raster->width + x]);
}

static void
ref_series (JuicePowerChart       *chart,
            RefRaster             *raster,
            JuicePowerChartSeries  series,
            guint32                fill,
            guint32                line)
{
  const JuiceChartBin *bins = chart->bins[series];
  int base = (int) roundf ((chart->plot.size.height + 2));
  int thickness = series == JUICE_POWER_CHART_SOC ? 2 : 1;
  int gap = _juice_power_chart_gap_columns (chart);
  int last = -1, last_y = 0;

  for (int c = 0; c < chart->n_bins; c++)
    {
      float value;
      gboolean joined;
      int y, from;

      if (bins[c].n == 0)
        continue;

      value = series == JUICE_POWER_CHART_SOC ? _juice_power_chart_soc_y (chart, bins[c].sum / bins[c].n)
                                              : _juice_power_chart_power_y (chart, bins[c].max);
      y = (int) roundf (value - chart->plot.origin.y + 2);
      joined = last >= 0 && c - last <= gap;
      from = joined ? last + 1 : c;
      if (from < c)
        {
          if (fill != 0)
            ref_span (raster, from, c, last_y, base, fill);
          ref_span (raster, from, c, last_y - thickness / 2, last_y - thickness / 2 + thickness, line);
        }
      if (fill != 0)
        ref_span (raster, c, c + 1, y + thickness, base, fill);
      ref_span (raster, c, c + 1, (joined ? MIN (y, last_y) : y) - thickness / 2,
                (joined ? MAX (y, last_y) : y) - thickness / 2 + thickness, line);
      last = c;
      last_y = y;
    }
}

/* The chart's pixels are what painting its bins span by span gives. */
static void
assert_raster_matches_bins (JuicePowerChart *chart)
{
  RefRaster raster;
  int stride;

  g_assert_cmpint (chart->raster_scale, ==, 1);
  raster.width = chart->n_bins;
  raster.height = cairo_image_surface_get_height (chart->raster);
  raster.pixels = g_new0 (guint32, raster.width * raster.height);
  ref_series (chart, &raster, JUICE_POWER_CHART_IN, ref_premultiply (&chart->colors.input, 0.28),
              ref_premultiply (&chart->colors.input, 0.9));
  ref_series (chart, &raster, JUICE_POWER_CHART_OUT, ref_premultiply (&chart->colors.output, 0.28),
              ref_premultiply (&chart->colors.output, 0.9));
  ref_series (chart, &raster, JUICE_POWER_CHART_SOC, 0, ref_premultiply (&chart->colors.charge, 1));

  for (int c = 0; c < chart->n_bins; c++)
    {
      const guint32 *column = _juice_power_chart_get_column_pixels (chart, c, &stride);

      for (int y = 0; y < raster.height; y++)
        if (column[y * stride] != raster.pixels[y * raster.width + c])
          g_error ("Column %d, row %d: %08x, painted span by span %08x", c, y,
                   column[y * stride], raster.pixels[y * raster.width + c]);
    }
  g_free (raster.pixels);
}

/* A frame of the chart as the widget is now. */
static void
draw_frame (JuicePowerChart *chart)
{
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  GskRenderNode *node;

  juice_power_chart_draw (chart, snapshot, gtk_widget_get_width (GTK_WIDGET (chart)),
                          gtk_widget_get_height (GTK_WIDGET (chart)));
  node = gtk_snapshot_free_to_node (snapshot);
  g_clear_pointer (&node, gsk_render_node_unref);
}

static void
test_append (Fixture       *fixture,
             gconstpointer  data)
{
  JuicePowerChart *chart = fixture->chart;
  g_autoptr(GArray) soc = NULL;
  g_autoptr(GArray) in = NULL;
  g_autoptr(GArray) out = NULL;
  JuiceChartBin *appended[JUICE_POWER_CHART_N_SERIES];
  gint64 appended_first, appended_anchor;
  guint32 *pixels;
  int stride, height, n;
  gint64 t = CHART_DATA_END;

  juice_power_chart_set_range (chart, JUICE_CHART_RANGE_DAY);
  set_day (fixture, 2 * DAY, 60);
  gtk_window_present (fixture->window);
  ui_wait_drawn (GTK_WIDGET (chart));
  draw_frame (chart);
  assert_raster_matches_bins (chart);

  /* Reports as the history view sends them, a column's time or so apart,
   * some within a column, some several columns on, some the same second;
   * each followed by a frame, which bins and paints only what changed. */
  chart_data_make (CHART_DATA_END + DAY, DAY, 37, &soc, &in, &out);
  for (guint i = 0; i < 400; i++)
    {
      const JuiceHistoryPoint *p = &g_array_index (soc, JuiceHistoryPoint, i * 3 % soc->len);

      t += i % 7 == 0 ? 0 : i % 13 == 0 ? 1 : i % 11 == 0 ? 900 : 41 + i % 60;
      juice_power_chart_add_live (chart, t, p->mean,
                                  g_array_index (in, JuiceHistoryPoint, i).mean + (i % 5) * 100,
                                  g_array_index (out, JuiceHistoryPoint, i).mean);
      draw_frame (chart);
      if (i % 50 == 0)
        assert_raster_matches_bins (chart);
    }
  g_assert_cmpint (juice_power_chart_get_end_time (chart), ==, t);
  g_assert_true (chart->bins_valid);
  assert_raster_matches_bins (chart);

  /* The same columns and pixels as binning and painting everything again. */
  n = chart->n_bins;
  appended_first = chart->first_column;
  appended_anchor = chart->anchor;
  for (guint s = 0; s < JUICE_POWER_CHART_N_SERIES; s++)
    appended[s] = g_memdup2 (chart->bins[s], sizeof (JuiceChartBin) * n);
  height = cairo_image_surface_get_height (chart->raster);
  pixels = g_new (guint32, n * height);
  for (int c = 0; c < n; c++)
    {
      const guint32 *column = _juice_power_chart_get_column_pixels (chart, c, &stride);

      for (int y = 0; y < height; y++)
        pixels[y * n + c] = column[y * stride];
    }

  chart->bins_valid = FALSE;
  draw_frame (chart);
  /* The same grid, whatever span multiple it counts columns from. */
  g_assert_cmpint (chart->first_column, ==,
                   appended_first + (appended_anchor - chart->anchor) / DAY * n);
  for (guint s = 0; s < JUICE_POWER_CHART_N_SERIES; s++)
    {
      for (int c = 0; c < n; c++)
        if (memcmp (&appended[s][c], &chart->bins[s][c], sizeof (JuiceChartBin)) != 0)
          g_error ("Series %u, column %d: %u points up to %f appended, %u up to %f binned again",
                   s, c, appended[s][c].n, appended[s][c].max, chart->bins[s][c].n,
                   chart->bins[s][c].max);
      g_free (appended[s]);
    }
  for (int c = 0; c < n; c++)
    {
      const guint32 *column = _juice_power_chart_get_column_pixels (chart, c, &stride);

      for (int y = 0; y < height; y++)
        g_assert_cmphex (column[y * stride], ==, pixels[y * n + c]);
    }
  g_free (pixels);
}

static void
test_untrusted (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GArray) points = g_array_new (FALSE, FALSE, sizeof (JuiceHistoryPoint));
  JuiceHistoryPoint bad[] = {
    { CHART_DATA_END - 100, NAN, NAN, NAN },
    { CHART_DATA_END - 90, 1e300, 1e300, 1e300 },
    { CHART_DATA_END - 95, 5, 5, 5 },          /* after the absurd one went: kept */
    { CHART_DATA_END - 80, -INFINITY, 1, 2 },
    { CHART_DATA_END - 70, -500, -500, -500 },
    { CHART_DATA_END - 75, 1, 1, 1 },          /* out of order: dropped */
    { G_MININT64, 1, 1, 1 },
  };

  g_array_append_vals (points, bad, G_N_ELEMENTS (bad));
  juice_power_chart_set_history (fixture->chart, points, points, points);
  juice_power_chart_add_live (fixture->chart, CHART_DATA_END, NAN, INFINITY, 3);
  gtk_window_present (fixture->window);
  ui_wait_drawn (GTK_WIDGET (fixture->chart));

  /* Numbers, in time order, not absurd: 5 and -500 are left. */
  g_assert_cmpuint (fixture->chart->history[JUICE_POWER_CHART_IN]->len, ==, 2);
  g_assert_cmpuint (fixture->chart->live[JUICE_POWER_CHART_OUT]->len, ==, 1);
  g_assert_cmpuint (fixture->chart->live[JUICE_POWER_CHART_IN]->len, ==, 0);
  g_assert_true (isfinite (fixture->chart->power_step));
}

static void
test_ticks (void)
{
  g_autoptr(GArray) ticks = NULL;

  ticks = juice_chart_time_ticks (CHART_DATA_END - DAY, CHART_DATA_END, 3 * 3600, NULL);
  g_assert_cmpuint (ticks->len, ==, 9);
  g_assert_cmpstr (g_array_index (ticks, JuiceChartTick, 0).label, ==, "18:00");
  g_assert_cmpstr (g_array_index (ticks, JuiceChartTick, 1).label, ==, "21:00");
  /* Midnight names the day. */
  g_assert_cmpstr (g_array_index (ticks, JuiceChartTick, 2).label, ==, "Mon 30");
  g_assert_cmpstr (g_array_index (ticks, JuiceChartTick, 3).label, ==, "03:00");
  g_clear_pointer (&ticks, g_array_unref);

  ticks = juice_chart_time_ticks (CHART_DATA_END - 30 * DAY, CHART_DATA_END, 6 * DAY, NULL);
  /* Mondays: Nov 2, 9, 16, 23, 30. */
  g_assert_cmpuint (ticks->len, ==, 5);
  g_assert_cmpstr (g_array_index (ticks, JuiceChartTick, 0).label, ==, "Mon 2");
  g_assert_cmpstr (g_array_index (ticks, JuiceChartTick, 4).label, ==, "Mon 30");

  g_assert_cmpfloat (juice_chart_nice_step (1234, 4, 100), ==, 500);
  g_assert_cmpfloat (juice_chart_nice_step (0, 4, 100), ==, 25);
  g_assert_cmpfloat (juice_chart_nice_step (NAN, 4, 100), ==, 25);
}

static void
test_energy (void)
{
  g_autoptr(GArray) days = chart_data_make_days (CHART_DATA_END, 30);
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  JuiceEnergyChart *chart = JUICE_ENERGY_CHART (juice_energy_chart_new ());
  GtkWidget *widget = GTK_WIDGET (chart);
  const char *summary;

  g_assert_cmpstr (juice_energy_chart_get_summary (chart), ==,
                   "Energy of the last 30 days: nothing recorded yet.");

  juice_energy_chart_set_days (chart, days);
  summary = juice_energy_chart_get_summary (chart);
  g_assert_true (g_str_has_prefix (summary, "Energy of the last 30 days: "));
  g_assert_nonnull (strstr (summary, " kWh in, "));
  g_assert_nonnull (strstr (summary, "; most in on "));

  gtk_window_set_default_size (window, 960, 200);
  gtk_window_set_child (window, widget);
  gtk_window_present (window);
  ui_wait_drawn (widget);
  gtk_widget_grab_focus (widget);

  /* Left picks today, then the day before. */
  g_assert_true (gtk_widget_activate_action (widget, "chart.move-cursor", "i", -1));
  g_assert_cmpint (juice_energy_chart_get_cursor (chart), ==, 29);
  g_assert_true (g_str_has_prefix (juice_energy_chart_get_readout (chart), "Mon 30\n5.4 kWh in\n"));
  gtk_widget_activate_action (widget, "chart.move-cursor", "i", -1);
  g_assert_true (g_str_has_prefix (juice_energy_chart_get_readout (chart), "Sun 29\n"));
  ui_save_screenshot (widget, "chart-energy-light.png");
  gtk_widget_activate_action (widget, "chart.hide-cursor", NULL);
  g_assert_null (juice_energy_chart_get_readout (chart));

  /* Bars stand at their date: a day without data (left out by the
   * history) leaves its column empty, the days before it do not move. */
  g_assert_cmpint (juice_energy_chart_get_column (chart, 0), ==, 0);
  g_assert_cmpint (juice_energy_chart_get_column (chart, 29), ==, 29);
  g_array_remove_index (days, 27);
  juice_energy_chart_set_days (chart, days);
  g_assert_cmpint (juice_energy_chart_get_column (chart, 28), ==, 29);
  g_assert_cmpint (juice_energy_chart_get_column (chart, 27), ==, 28);
  g_assert_cmpint (juice_energy_chart_get_column (chart, 26), ==, 26);
  g_assert_cmpint (juice_energy_chart_get_column (chart, 0), ==, 0);
  g_assert_true (gtk_widget_activate_action (widget, "chart.move-cursor", "i", -1));
  g_assert_true (g_str_has_prefix (juice_energy_chart_get_readout (chart), "Mon 30\n"));
  gtk_widget_activate_action (widget, "chart.move-cursor", "i", -1);
  g_assert_true (g_str_has_prefix (juice_energy_chart_get_readout (chart), "Sun 29\n"));
  gtk_widget_activate_action (widget, "chart.move-cursor", "i", -1);
  /* Sat 28 was left out: the next day back is Fri 27. */
  g_assert_true (g_str_has_prefix (juice_energy_chart_get_readout (chart), "Fri 27\n"));
  ui_wait_drawn (widget);
  ui_save_screenshot (widget, "chart-energy-gap.png");
  gtk_widget_activate_action (widget, "chart.hide-cursor", NULL);

  /* Fewer days than a month: the newest still at the right; none: empty. */
  g_array_remove_range (days, 0, 25);
  juice_energy_chart_set_days (chart, days);
  ui_wait_drawn (widget);
  juice_energy_chart_set_days (chart, NULL);
  ui_wait_drawn (widget);

  gtk_window_destroy (window);
}

int
main (int   argc,
      char *argv[])
{
  /* Times on the axis in UTC whatever the machine's zone, in English. */
  g_setenv ("TZ", "UTC", TRUE);
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/juice/chart/ticks", test_ticks);
  g_test_add ("/juice/chart/power/day", Fixture, NULL, fixture_set_up, test_renders_day,
              fixture_tear_down);
  g_test_add ("/juice/chart/power/month", Fixture, NULL, fixture_set_up, test_renders_month,
              fixture_tear_down);
  g_test_add ("/juice/chart/power/empty", Fixture, NULL, fixture_set_up, test_empty,
              fixture_tear_down);
  g_test_add ("/juice/chart/power/dark", Fixture, NULL, fixture_set_up, test_dark,
              fixture_tear_down);
  g_test_add ("/juice/chart/power/keyboard", Fixture, NULL, fixture_set_up, test_keyboard_readout,
              fixture_tear_down);
  g_test_add ("/juice/chart/power/hover", Fixture, NULL, fixture_set_up, test_hover_readout,
              fixture_tear_down);
  g_test_add ("/juice/chart/power/summary", Fixture, NULL, fixture_set_up, test_summary,
              fixture_tear_down);
  g_test_add ("/juice/chart/power/live", Fixture, NULL, fixture_set_up, test_live,
              fixture_tear_down);
  g_test_add ("/juice/chart/power/append", Fixture, NULL, fixture_set_up, test_append,
              fixture_tear_down);
  g_test_add ("/juice/chart/power/untrusted", Fixture, NULL, fixture_set_up, test_untrusted,
              fixture_tear_down);
  g_test_add_func ("/juice/chart/energy", test_energy);

  return g_test_run ();
}
