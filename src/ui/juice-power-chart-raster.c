/* juice-power-chart-raster.c: the power chart's series as pixels
 *
 * Input and output are areas, the max per column down to the axis with an
 * edge along the top; the charge a line through the mean per column.
 * Columns further apart than a gap are not joined: nothing was recorded
 * between them. They are painted as pixels, one column per bin, not as
 * paths: a frame costs the same for an hour as for a month, and far less
 * than cairo tessellating a line through 1,280 points that zigzag.
 *
 * The raster keeps its pixels across frames: a later end shifts them left
 * by the columns the bins shifted, and paints only the columns that changed
 * (the newest, and the oldest few that lost their neighbours). A column is
 * painted whole, top to bottom, once: each run of pixels gets the blend of
 * what covers it, with nothing cleared first (painting everything clears
 * the buffer once, then skips what stays transparent).
 *
 * The node reads the raster through a raster-source pattern rather than a
 * surface pattern: cairo would otherwise keep a snapshot of the buffer for
 * each node and copy all of it before the next change. The pixels change
 * only while a frame is snapshotted, for the node that frame gets; GTK
 * renders only the newest frame's nodes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "juice-power-chart"

#include "config.h"

#include <math.h>
#include <string.h>

#include "juice-power-chart-private.h"

#define EMPTY G_MININT
#define MAX_SPANS (2 * JUICE_POWER_CHART_N_SERIES)

typedef struct
{
  int     y0;
  int     y1;
  guint32 color;
} Span;

/* How one series is painted. */
typedef struct
{
  int     *ys;         /* the device y of each column, EMPTY for none */
  guint32  fill;       /* 0: a line only */
  guint32  line;
  int      thickness;
} Style;

typedef struct
{
  guint32 *pixels;
  int      stride;     /* in pixels */
  int      height;
  int      scale;
  int      base;       /* the power axis' 0 */
  int      gap;
  int      n_columns;
  Style    series[JUICE_POWER_CHART_N_SERIES];  /* in painting order */
} Painter;

/* The areas first, the charge line over them. */
static const JuicePowerChartSeries painting_order[JUICE_POWER_CHART_N_SERIES] = {
  JUICE_POWER_CHART_IN, JUICE_POWER_CHART_OUT, JUICE_POWER_CHART_SOC,
};

static guint32
premultiply (const GdkRGBA *color,
             double         alpha)
{
  double a = CLAMP (color->alpha * alpha, 0, 1);

  return ((guint32) (a * 255 + 0.5) << 24) |
         ((guint32) (CLAMP (color->red, 0, 1) * a * 255 + 0.5) << 16) |
         ((guint32) (CLAMP (color->green, 0, 1) * a * 255 + 0.5) << 8) |
         (guint32) (CLAMP (color->blue, 0, 1) * a * 255 + 0.5);
}

/* Source over destination, both premultiplied ARGB in native words. */
static inline guint32
blend (guint32 src,
       guint32 dst)
{
  guint32 inv = 255 - (src >> 24);
  guint32 rb = ((dst & 0xff00ff) * inv + 0x800080) >> 8 & 0xff00ff;
  guint32 ag = ((dst >> 8 & 0xff00ff) * inv + 0x800080) & 0xff00ff00;

  return src + rb + ag;
}

/* In device pixels of the raster, whose top is 2 px above the plot. */
static int
device_y (JuicePowerChart       *self,
          JuicePowerChartSeries  series,
          const JuiceChartBin   *bin,
          int                    scale)
{
  float y = series == JUICE_POWER_CHART_SOC ? _juice_power_chart_soc_y (self, bin->sum / bin->n)
                                            : _juice_power_chart_power_y (self, bin->max);

  return (int) roundf ((y - self->plot.origin.y + 2) * scale);
}

/* What @style paints in column @c, in order: below its value the fill,
 * then the edge, which runs up or down to the previous column's value; an
 * empty column between joined ones has a step at the previous value. */
static int
series_spans (const Painter *painter,
              const Style   *style,
              int            c,
              Span          *spans)
{
  const int *ys = style->ys;
  int thickness = style->thickness;
  int last = -1, n = 0;

  for (int p = c - 1; p >= MAX (0, c - painter->gap); p--)
    if (ys[p] != EMPTY)
      {
        last = p;
        break;
      }

  if (ys[c] != EMPTY)
    {
      int y = ys[c];
      int top = last >= 0 ? MIN (y, ys[last]) : y;
      int bottom = last >= 0 ? MAX (y, ys[last]) : y;

      if (style->fill != 0)
        spans[n++] = (Span) { y + thickness, painter->base, style->fill };
      spans[n++] = (Span) { top - thickness / 2, bottom - thickness / 2 + thickness, style->line };
    }
  else if (last >= 0)
    {
      for (int q = c + 1; q <= MIN (last + painter->gap, painter->n_columns - 1); q++)
        if (ys[q] != EMPTY)
          {
            int y = ys[last];

            if (style->fill != 0)
              spans[n++] = (Span) { y, painter->base, style->fill };
            spans[n++] = (Span) { y - thickness / 2, y - thickness / 2 + thickness, style->line };
            break;
          }
    }

  return n;
}

/* Column @c, top to bottom: each run up to the next span end gets the
 * spans that cover it blended in order. With @cleared, the transparent
 * runs are left as they are. */
static void
paint_column (const Painter *painter,
              int            c,
              gboolean       cleared)
{
  Span spans[MAX_SPANS];
  int n_spans = 0;
  guint32 *column = painter->pixels + (gsize) c * painter->scale;
  int y = 0;

  for (guint s = 0; s < JUICE_POWER_CHART_N_SERIES; s++)
    n_spans += series_spans (painter, &painter->series[s], c, spans + n_spans);
  if (n_spans == 0 && cleared)
    return;

  while (y < painter->height)
    {
      int next = painter->height;
      guint32 color = 0;

      for (int k = 0; k < n_spans; k++)
        {
          if (spans[k].y0 <= y && y < spans[k].y1)
            {
              color = blend (spans[k].color, color);
              next = MIN (next, spans[k].y1);
            }
          else if (spans[k].y0 > y)
            next = MIN (next, spans[k].y0);
        }

      if (color != 0 || !cleared)
        {
          guint32 *row = column + (gsize) y * painter->stride;

          if (painter->scale == 1)
            for (int yy = y; yy < next; yy++, row += painter->stride)
              *row = color;
          else
            for (int yy = y; yy < next; yy++, row += painter->stride)
              for (int x = 0; x < painter->scale; x++)
                row[x] = color;
        }
      y = next;
    }
}

/* Visible columns [@from, @to] painted again; everything, cleared first,
 * when @all. */
static void
paint_columns (JuicePowerChart *self,
               int              from,
               int              to,
               gboolean         all)
{
  int n = self->n_bins;
  int scale = self->raster_scale;
  g_autofree int *ys = g_new (int, JUICE_POWER_CHART_N_SERIES * n);
  Painter painter;
  int lo, hi;

  painter.height = cairo_image_surface_get_height (self->raster);
  painter.stride = cairo_image_surface_get_stride (self->raster) / 4;
  painter.scale = scale;
  painter.base = (int) roundf ((self->plot.size.height + 2) * scale);
  painter.gap = _juice_power_chart_gap_columns (self);
  painter.n_columns = n;

  /* The columns within a gap of those painted decide how they join. */
  lo = MAX (0, from - painter.gap);
  hi = MIN (n - 1, to + painter.gap);
  for (guint i = 0; i < JUICE_POWER_CHART_N_SERIES; i++)
    {
      JuicePowerChartSeries series = painting_order[i];
      const JuiceChartBin *bins = self->bins[series];
      Style *style = &painter.series[i];
      const GdkRGBA *color = series == JUICE_POWER_CHART_IN ? &self->colors.input
                           : series == JUICE_POWER_CHART_OUT ? &self->colors.output
                           : &self->colors.charge;

      style->ys = ys + i * n;
      for (int c = lo; c <= hi; c++)
        style->ys[c] = bins[c].n > 0 ? device_y (self, series, &bins[c], scale) : EMPTY;
      style->fill = series == JUICE_POWER_CHART_SOC ? 0 : premultiply (color, 0.28);
      style->line = premultiply (color, series == JUICE_POWER_CHART_SOC ? 1 : 0.9);
      style->thickness = (series == JUICE_POWER_CHART_SOC ? 2 : 1) * scale;
    }

  cairo_surface_flush (self->raster);
  painter.pixels = (guint32 *) cairo_image_surface_get_data (self->raster);
  if (all)
    memset (painter.pixels, 0, (gsize) painter.stride * 4 * painter.height);
  for (int c = from; c <= to; c++)
    paint_column (&painter, c, all);
  cairo_surface_mark_dirty (self->raster);
}

static cairo_surface_t *
acquire_raster (cairo_pattern_t             *pattern,
                void                        *data,
                cairo_surface_t             *target,
                const cairo_rectangle_int_t *extents)
{
  return cairo_surface_reference (data);
}

static void
release_raster (cairo_pattern_t *pattern,
                void            *data,
                cairo_surface_t *surface)
{
  cairo_surface_destroy (surface);
}

/* Each copy of the pattern (the node's recording keeps one) holds the raster. */
static cairo_status_t
copy_raster (cairo_pattern_t       *pattern,
             void                  *data,
             const cairo_pattern_t *other)
{
  cairo_surface_reference (data);
  return CAIRO_STATUS_SUCCESS;
}

static void
finish_raster (cairo_pattern_t *pattern,
               void            *data)
{
  cairo_surface_destroy (data);
}

static GskRenderNode *
create_node (JuicePowerChart       *self,
             const graphene_rect_t *bounds)
{
  int scale = self->raster_scale;
  GskRenderNode *node = gsk_cairo_node_new (bounds);
  cairo_t *cr = gsk_cairo_node_get_draw_context (node);
  cairo_pattern_t *pattern;
  cairo_matrix_t matrix;

  pattern = cairo_pattern_create_raster_source (cairo_surface_reference (self->raster),
                                                CAIRO_CONTENT_COLOR_ALPHA,
                                                cairo_image_surface_get_width (self->raster),
                                                cairo_image_surface_get_height (self->raster));
  cairo_raster_source_pattern_set_acquire (pattern, acquire_raster, release_raster);
  cairo_raster_source_pattern_set_copy (pattern, copy_raster);
  cairo_raster_source_pattern_set_finish (pattern, finish_raster);

  /* From the widget to the raster's device pixels. */
  cairo_matrix_init_scale (&matrix, scale, scale);
  cairo_matrix_translate (&matrix, -bounds->origin.x, -bounds->origin.y);
  cairo_pattern_set_matrix (pattern, &matrix);
  cairo_set_source (cr, pattern);
  cairo_paint (cr);

  cairo_pattern_destroy (pattern);
  cairo_destroy (cr);

  return node;
}

/* The columns move @shift to the left, as the bins did. */
static void
shift_raster (JuicePowerChart *self,
              int              shift)
{
  guchar *data;
  int stride = cairo_image_surface_get_stride (self->raster);
  int height = cairo_image_surface_get_height (self->raster);
  gsize offset = (gsize) shift * self->raster_scale * 4;
  gsize kept = (gsize) (self->n_bins - shift) * self->raster_scale * 4;

  cairo_surface_flush (self->raster);
  data = cairo_image_surface_get_data (self->raster);
  for (int y = 0; y < height; y++)
    memmove (data + (gsize) y * stride, data + (gsize) y * stride + offset, kept);
  cairo_surface_mark_dirty (self->raster);
}

void
_juice_power_chart_draw_series (JuicePowerChart *self,
                                GtkSnapshot     *snapshot)
{
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  int n = self->n_bins;
  graphene_rect_t bounds = self->plot;
  int width, height;

  /* Room for the line's width at 0 % and 100 %. */
  graphene_rect_inset (&bounds, 0, -2);
  width = n * scale;
  height = (int) bounds.size.height * scale;

  if (self->raster == NULL || self->raster_scale != scale ||
      cairo_image_surface_get_width (self->raster) != width ||
      cairo_image_surface_get_height (self->raster) != height)
    {
      /* Nodes still showing the old one hold it. */
      g_clear_pointer (&self->raster, cairo_surface_destroy);
      self->raster = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
      self->raster_scale = scale;
      self->raster_valid = FALSE;
    }
  if (self->raster_step != self->power_step)
    self->raster_valid = FALSE;

  if (!self->raster_valid)
    {
      paint_columns (self, 0, n - 1, TRUE);
      self->raster_valid = TRUE;
      self->raster_step = self->power_step;
      g_clear_pointer (&self->series_node, gsk_render_node_unref);
    }
  else
    {
      int gap = _juice_power_chart_gap_columns (self);
      gint64 shift = self->first_column - self->raster_first;

      if (shift != 0)
        {
          /* The columns that came in on the right are dirty. */
          if (shift > 0 && shift < n)
            shift_raster (self, (int) shift);
          else
            paint_columns (self, 0, n - 1, TRUE);
        }
      if (self->dirty_from <= self->dirty_to)
        {
          /* A column's neighbours within a gap join it. */
          gint64 from = MAX (self->dirty_from - self->first_column - gap, 0);
          gint64 to = MIN (self->dirty_to - self->first_column + gap, n - 1);

          if (from <= to)
            paint_columns (self, (int) from, (int) to, FALSE);
          g_clear_pointer (&self->series_node, gsk_render_node_unref);
        }
      /* The oldest columns lost the neighbours they were joined to. */
      if (shift != 0)
        {
          paint_columns (self, 0, MIN (gap, n - 1), FALSE);
          g_clear_pointer (&self->series_node, gsk_render_node_unref);
        }
    }
  self->raster_first = self->first_column;
  self->dirty_from = G_MAXINT64;
  self->dirty_to = G_MININT64;

  if (self->series_node == NULL)
    self->series_node = create_node (self, &bounds);

  gtk_snapshot_append_node (snapshot, self->series_node);
}

void
_juice_power_chart_free_raster (JuicePowerChart *self)
{
  g_clear_pointer (&self->series_node, gsk_render_node_unref);
  g_clear_pointer (&self->raster, cairo_surface_destroy);
}

const guint32 *
_juice_power_chart_get_column_pixels (JuicePowerChart *self,
                                      int              column,
                                      int             *stride)
{
  g_return_val_if_fail (self->raster != NULL, NULL);
  g_return_val_if_fail (column >= 0 && column < self->n_bins, NULL);

  *stride = cairo_image_surface_get_stride (self->raster) / 4;
  return (const guint32 *) cairo_image_surface_get_data (self->raster) +
         column * self->raster_scale;
}
