/* juice-power-chart-draw.c: the power chart's frame
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "juice-power-chart"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "juice-power-chart-private.h"

#define AXIS_LEFT   56
#define AXIS_RIGHT  44
#define PAD_TOP     10
#define N_STEPS     4

static void
clear_label (gpointer data)
{
  JuiceChartLabel *label = data;

  g_clear_object (&label->layout);
}

void
_juice_power_chart_free_rasters (JuicePowerChart *self)
{
  g_clear_pointer (&self->series_node, gsk_render_node_unref);
  for (guint i = 0; i < G_N_ELEMENTS (self->rasters); i++)
    g_clear_pointer (&self->rasters[i], cairo_surface_destroy);
}

void
_juice_power_chart_clear_layouts (JuicePowerChart *self)
{
  g_clear_pointer (&self->series_node, gsk_render_node_unref);
  g_clear_pointer (&self->labels, g_array_unref);
  g_clear_object (&self->message);
}

static PangoLayout *
create_layout (JuicePowerChart *self,
               const char      *text)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  PangoAttrList *attrs = pango_attr_list_new ();

  /* Axis labels a size smaller than the text around, with even digits. */
  pango_attr_list_insert (attrs, pango_attr_scale_new (0.83));
  pango_attr_list_insert (attrs, pango_attr_font_features_new ("tnum"));
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);

  return layout;
}

static int
text_height (JuicePowerChart *self)
{
  g_autoptr(PangoLayout) layout = create_layout (self, "0");
  int height;

  pango_layout_get_pixel_size (layout, NULL, &height);
  return height;
}

static void
add_label (JuicePowerChart *self,
           char            *text,
           gint64           time,
           float            x,
           float            y,
           float            xalign)
{
  JuiceChartLabel label;
  int width, height;

  label.layout = create_layout (self, text);
  pango_layout_get_pixel_size (label.layout, &width, &height);
  label.x = x - xalign * width;
  label.y = y - height / 2.0f;
  label.time = time;
  label.xalign = xalign;
  g_array_append_val (self->labels, label);
  g_free (text);
}

static void
rebin (JuicePowerChart *self)
{
  gint64 from = _juice_power_chart_get_from (self);
  gint64 span = self->end_time - from;
  double max_power = 0;

  self->any_in_range = FALSE;
  for (guint s = 0; s < JUICE_POWER_CHART_N_SERIES; s++)
    {
      GArray *arrays[2] = { self->history[s], self->live[s] };

      g_free (self->bins[s]);
      self->bins[s] = g_new0 (JuiceChartBin, self->n_bins);

      for (guint a = 0; a < G_N_ELEMENTS (arrays); a++)
        for (guint i = 0; i < arrays[a]->len; i++)
          {
            const JuiceHistoryPoint *p = &g_array_index (arrays[a], JuiceHistoryPoint, i);
            JuiceChartBin *bin;
            gint64 column;

            if (p->time < from || p->time > self->end_time)
              continue;

            column = span > 0 ? (p->time - from) * self->n_bins / span : 0;
            bin = &self->bins[s][CLAMP (column, 0, self->n_bins - 1)];
            if (bin->n == 0 || p->min < bin->min)
              bin->min = p->min;
            if (bin->n == 0 || p->max > bin->max)
              bin->max = p->max;
            bin->sum += p->mean;
            bin->n++;
            self->any_in_range = TRUE;

            if (s != JUICE_POWER_CHART_SOC)
              max_power = MAX (max_power, p->max);
          }
    }

  self->power_step = juice_chart_nice_step (max_power, N_STEPS, 100);
  g_clear_pointer (&self->series_node, gsk_render_node_unref);
  self->bins_valid = TRUE;
}

static float
tick_x (JuicePowerChart *self,
        gint64           time)
{
  gint64 from = _juice_power_chart_get_from (self);
  gint64 span = MAX (1, self->end_time - from);

  return self->plot.origin.x + self->plot.size.width * (time - from) / (double) span;
}

/* The same power axis and the same ticks as the labels show (the end
 * moved by a report, not past a tick): the labels only move. */
static gboolean
move_labels (JuicePowerChart *self,
             GArray          *ticks)
{
  guint n_time = 0, t = 0;

  if (self->labels == NULL || self->labels_step != self->power_step)
    return FALSE;

  for (guint i = 0; i < self->labels->len; i++)
    n_time += g_array_index (self->labels, JuiceChartLabel, i).time >= 0;
  if (n_time != ticks->len)
    return FALSE;

  for (guint i = 0; i < self->labels->len; i++)
    {
      JuiceChartLabel *label = &g_array_index (self->labels, JuiceChartLabel, i);

      if (label->time >= 0 && label->time != g_array_index (ticks, JuiceChartTick, t++).time)
        return FALSE;
    }

  for (guint i = 0; i < self->labels->len; i++)
    {
      JuiceChartLabel *label = &g_array_index (self->labels, JuiceChartLabel, i);
      int width;

      if (label->time < 0)
        continue;
      pango_layout_get_pixel_size (label->layout, &width, NULL);
      label->x = tick_x (self, label->time) - label->xalign * width;
    }

  return TRUE;
}

static void
make_labels (JuicePowerChart *self)
{
  gint64 from = _juice_power_chart_get_from (self);
  gint64 span = self->end_time - from;
  g_autoptr(GArray) ticks = NULL;
  graphene_rect_t *plot = &self->plot;
  float time_y;

  /* A label every 90 pixels at most. */
  ticks = juice_chart_time_ticks (from, self->end_time,
                                  span * 90 / MAX (1, (gint64) plot->size.width), NULL);
  if (move_labels (self, ticks))
    return;

  g_clear_pointer (&self->labels, g_array_unref);
  self->labels_step = self->power_step;
  time_y = plot->origin.y + plot->size.height + 6 + text_height (self) / 2.0f;
  self->labels = g_array_new (FALSE, FALSE, sizeof (JuiceChartLabel));
  g_array_set_clear_func (self->labels, clear_label);

  for (guint i = 0; i <= N_STEPS; i++)
    {
      float y = plot->origin.y + plot->size.height * (1 - (float) i / N_STEPS);

      add_label (self, juice_chart_format_power_axis (i * self->power_step), -1,
                 plot->origin.x - 8, y, 1);
      if (i % 2 == 0)
        /* Translators: the charge axis, "50 %" */
        add_label (self, g_strdup_printf (_("%u %%"), i * 100 / N_STEPS), -1,
                   plot->origin.x + plot->size.width + 8, y, 0);
    }

  for (guint i = 0; i < ticks->len; i++)
    {
      JuiceChartTick *tick = &g_array_index (ticks, JuiceChartTick, i);

      add_label (self, g_steal_pointer (&tick->label), tick->time,
                 tick_x (self, tick->time), time_y, 0.5);
    }
}

static float
power_y (JuicePowerChart *self,
         double           watts)
{
  double top = self->power_step * N_STEPS;

  return self->plot.origin.y + self->plot.size.height * (1 - CLAMP (watts, 0, top) / top);
}

static float
soc_y (JuicePowerChart *self,
       double           soc)
{
  return self->plot.origin.y + self->plot.size.height * (1 - CLAMP (soc, 0, 100) / 100);
}

/* Columns further apart than this are not joined: nothing was recorded
 * between them. */
static int
gap_columns (JuicePowerChart *self)
{
  gint64 span = juice_chart_range_get_seconds (self->range);
  gint64 gap = 2 * _juice_power_chart_get_tolerance (self);

  return MAX (2, (int) ceil ((double) gap * self->n_bins / span));
}

/* The series are drawn as pixels, not paths: one column of pixels per bin,
 * so a frame costs the same for an hour as for a month, and far less than
 * cairo tessellating a line through 1,280 points that zigzag. The picture
 * is kept until the bins or the colours change. */
typedef struct
{
  guint32 *pixels;
  int      width;
  int      height;
} Raster;

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

static void
fill_span (Raster  *raster,
           int      x0,
           int      x1,
           int      y0,
           int      y1,
           guint32  color)
{
  x0 = MAX (x0, 0);
  x1 = MIN (x1, raster->width);
  y0 = MAX (y0, 0);
  y1 = MIN (y1, raster->height);

  /* A span covers pixels of a few values only (empty, or one area under
   * another): each is blended once. */
  guint32 last_dst = 0, last_out = color;

  for (int y = y0; y < y1; y++)
    {
      guint32 *row = raster->pixels + (gsize) y * raster->width;

      for (int x = x0; x < x1; x++)
        {
          if (row[x] != last_dst)
            {
              last_dst = row[x];
              last_out = blend (color, last_dst);
            }
          row[x] = last_out;
        }
    }
}

/* In device pixels of the raster, whose top is 2 px above the plot. */
static int
device_y (JuicePowerChart       *self,
          JuicePowerChartSeries  series,
          const JuiceChartBin   *bin,
          int                    scale)
{
  float y = series == JUICE_POWER_CHART_SOC ? soc_y (self, bin->sum / bin->n)
                                            : power_y (self, bin->max);

  return (int) roundf ((y - self->plot.origin.y + 2) * scale);
}

/* An area is the max per column down to the axis with an edge along its
 * top; the charge a line through the mean per column. Columns further
 * apart than a gap are not joined: nothing was recorded between them. */
static void
raster_series (JuicePowerChart       *self,
               Raster                *raster,
               JuicePowerChartSeries  series,
               int                    scale,
               guint32                fill,
               guint32                line)
{
  const JuiceChartBin *bins = self->bins[series];
  int base = (int) roundf ((self->plot.size.height + 2) * scale);
  int thickness = (series == JUICE_POWER_CHART_SOC ? 2 : 1) * scale;
  int gap = gap_columns (self);
  int last = -1, last_y = 0;

  for (int c = 0; c < self->n_bins; c++)
    {
      gboolean joined;
      int y, from;

      if (bins[c].n == 0)
        continue;

      y = device_y (self, series, &bins[c], scale);
      joined = last >= 0 && c - last <= gap;
      from = joined ? (last + 1) * scale : c * scale;

      /* Between joined columns, a step at the previous value. */
      if (from < c * scale)
        {
          if (fill != 0)
            fill_span (raster, from, c * scale, last_y, base, fill);
          fill_span (raster, from, c * scale, last_y - thickness / 2,
                     last_y - thickness / 2 + thickness, line);
        }
      if (fill != 0)
        fill_span (raster, c * scale, (c + 1) * scale, y + thickness, base, fill);
      fill_span (raster, c * scale, (c + 1) * scale,
                 (joined ? MIN (y, last_y) : y) - thickness / 2,
                 (joined ? MAX (y, last_y) : y) - thickness / 2 + thickness, line);

      last = c;
      last_y = y;
    }
}

static void
draw_series (JuicePowerChart *self,
             GtkSnapshot     *snapshot)
{
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  graphene_rect_t bounds = self->plot;

  /* Room for the line's width at 0 % and 100 %. */
  graphene_rect_inset (&bounds, 0, -2);

  if (self->series_node == NULL || self->series_scale != scale)
    {
      cairo_surface_t *surface;
      cairo_t *cr;
      Raster raster;

      raster.width = self->n_bins * scale;
      raster.height = (int) bounds.size.height * scale;

      /* Fresh megabytes for every new frame cost more in page faults than
       * drawing: the buffers are kept and made again only for a new size.
       * Flushing detaches what an older node still shows from the buffer
       * (cairo copies it then), so the two are used in turn. */
      surface = self->rasters[self->next_raster];
      if (surface == NULL ||
          cairo_image_surface_get_width (surface) != raster.width ||
          cairo_image_surface_get_height (surface) != raster.height)
        {
          g_clear_pointer (&self->rasters[self->next_raster], cairo_surface_destroy);
          surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, raster.width, raster.height);
          self->rasters[self->next_raster] = surface;
        }
      self->next_raster = (self->next_raster + 1) % G_N_ELEMENTS (self->rasters);
      g_assert (cairo_image_surface_get_stride (surface) == raster.width * 4);
      cairo_surface_flush (surface);
      raster.pixels = (guint32 *) cairo_image_surface_get_data (surface);
      memset (raster.pixels, 0, (gsize) raster.width * raster.height * 4);

      raster_series (self, &raster, JUICE_POWER_CHART_IN, scale,
                     premultiply (&self->colors.input, 0.28),
                     premultiply (&self->colors.input, 0.9));
      raster_series (self, &raster, JUICE_POWER_CHART_OUT, scale,
                     premultiply (&self->colors.output, 0.28),
                     premultiply (&self->colors.output, 0.9));
      raster_series (self, &raster, JUICE_POWER_CHART_SOC, scale, 0,
                     premultiply (&self->colors.charge, 1));
      cairo_surface_mark_dirty (surface);
      cairo_surface_set_device_scale (surface, scale, scale);

      /* A node of its own, kept: the next frames only point at it. */
      g_clear_pointer (&self->series_node, gsk_render_node_unref);
      self->series_node = gsk_cairo_node_new (&bounds);
      cr = gsk_cairo_node_get_draw_context (self->series_node);
      cairo_set_source_surface (cr, surface, bounds.origin.x, bounds.origin.y);
      cairo_paint (cr);
      cairo_destroy (cr);
      self->series_scale = scale;
    }

  gtk_snapshot_append_node (snapshot, self->series_node);
}

static void
draw_grid (JuicePowerChart *self,
           GtkSnapshot     *snapshot)
{
  GdkRGBA line = juice_chart_color_alpha (&self->colors.fg, 0.1);
  GdkRGBA axis = juice_chart_color_alpha (&self->colors.fg, 0.25);

  for (guint i = 0; i <= N_STEPS; i++)
    {
      float y = roundf (self->plot.origin.y + self->plot.size.height * (1 - (float) i / N_STEPS));

      gtk_snapshot_append_color (snapshot, i == 0 ? &axis : &line,
                                 &GRAPHENE_RECT_INIT (self->plot.origin.x, y - (i == 0 ? 1 : 0),
                                                      self->plot.size.width, 1));
    }
}

static void
draw_labels (JuicePowerChart *self,
             GtkSnapshot     *snapshot)
{
  GdkRGBA dim = juice_chart_color_alpha (&self->colors.fg, 0.6);
  float right = self->layout_width;

  for (guint i = 0; i < self->labels->len; i++)
    {
      JuiceChartLabel *label = &g_array_index (self->labels, JuiceChartLabel, i);
      int width;
      float x = label->x;

      /* Time labels at the ends stay inside the widget. */
      pango_layout_get_pixel_size (label->layout, &width, NULL);
      x = CLAMP (x, 0, right - width);

      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (roundf (x), roundf (label->y)));
      gtk_snapshot_append_layout (snapshot, label->layout, &dim);
      gtk_snapshot_restore (snapshot);
    }
}

static void
draw_message (JuicePowerChart *self,
              GtkSnapshot     *snapshot)
{
  GdkRGBA dim = juice_chart_color_alpha (&self->colors.fg, 0.7);
  int width, height;

  if (self->message == NULL)
    {
      self->message = gtk_widget_create_pango_layout (GTK_WIDGET (self),
                                                      self->has_data
                                                      ? _("Nothing was recorded in this period")
                                                      : _("No history yet: recording starts now"));
      pango_layout_set_alignment (self->message, PANGO_ALIGN_CENTER);
    }

  pango_layout_set_width (self->message, (int) self->plot.size.width * PANGO_SCALE);
  pango_layout_get_pixel_size (self->message, &width, &height);
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot,
                          &GRAPHENE_POINT_INIT (roundf (self->plot.origin.x),
                                                roundf (self->plot.origin.y +
                                                        (self->plot.size.height - height) / 2)));
  gtk_snapshot_append_layout (snapshot, self->message, &dim);
  gtk_snapshot_restore (snapshot);
}

static void
draw_dot (GtkSnapshot   *snapshot,
          float          x,
          float          y,
          const GdkRGBA *color,
          const GdkRGBA *ring)
{
  GskRoundedRect outer, inner;

  gsk_rounded_rect_init_from_rect (&outer, &GRAPHENE_RECT_INIT (x - 6, y - 6, 12, 12), 6);
  gsk_rounded_rect_init_from_rect (&inner, &GRAPHENE_RECT_INIT (x - 4, y - 4, 8, 8), 4);

  gtk_snapshot_push_rounded_clip (snapshot, &outer);
  gtk_snapshot_append_color (snapshot, ring, &outer.bounds);
  gtk_snapshot_pop (snapshot);
  gtk_snapshot_push_rounded_clip (snapshot, &inner);
  gtk_snapshot_append_color (snapshot, color, &inner.bounds);
  gtk_snapshot_pop (snapshot);
}

static void
draw_cursor (JuicePowerChart *self,
             GtkSnapshot     *snapshot)
{
  gint64 from = _juice_power_chart_get_from (self);
  gint64 span = self->end_time - from;
  GdkRGBA line = juice_chart_color_alpha (&self->colors.fg, 0.45);
  GdkRGBA border = juice_chart_color_alpha (&self->colors.fg, 0.15);
  GdkRGBA panel = juice_chart_color_alpha (&self->colors.panel, 0.96);
  g_autoptr(PangoLayout) layout = NULL;
  GskRoundedRect box;
  float x, box_x;
  int width, height;
  double value;

  if (self->cursor_time < 0 || span <= 0 || self->readout == NULL)
    return;

  x = roundf (self->plot.origin.x + self->plot.size.width * (self->cursor_time - from) / span);
  gtk_snapshot_append_color (snapshot, &line,
                             &GRAPHENE_RECT_INIT (x, self->plot.origin.y, 1, self->plot.size.height));

  if (_juice_power_chart_value_at (self, JUICE_POWER_CHART_IN, self->cursor_time, &value))
    draw_dot (snapshot, x + 0.5f, power_y (self, value), &self->colors.input, &panel);
  if (_juice_power_chart_value_at (self, JUICE_POWER_CHART_OUT, self->cursor_time, &value))
    draw_dot (snapshot, x + 0.5f, power_y (self, value), &self->colors.output, &panel);
  if (_juice_power_chart_value_at (self, JUICE_POWER_CHART_SOC, self->cursor_time, &value))
    draw_dot (snapshot, x + 0.5f, soc_y (self, value), &self->colors.charge, &panel);

  /* The values beside the line, on the side with room. */
  layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), self->readout);
  pango_layout_get_pixel_size (layout, &width, &height);
  box_x = x + 12;
  if (box_x + width + 20 > self->plot.origin.x + self->plot.size.width)
    box_x = x - 12 - width - 20;
  box_x = MAX (box_x, 0);
  gsk_rounded_rect_init_from_rect (&box,
                                   &GRAPHENE_RECT_INIT (box_x, self->plot.origin.y + 4,
                                                        width + 20, height + 14), 8);
  gtk_snapshot_push_rounded_clip (snapshot, &box);
  gtk_snapshot_append_color (snapshot, &panel, &box.bounds);
  gtk_snapshot_pop (snapshot);
  gtk_snapshot_append_border (snapshot, &box, (float[4]) { 1, 1, 1, 1 },
                              (GdkRGBA[4]) { border, border, border, border });

  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (box_x + 10, self->plot.origin.y + 11));
  gtk_snapshot_append_layout (snapshot, layout, &self->colors.fg);
  gtk_snapshot_restore (snapshot);
}

void
juice_power_chart_draw (JuicePowerChart *self,
                        GtkSnapshot     *snapshot,
                        int              width,
                        int              height)
{
  int plot_width;

  g_return_if_fail (JUICE_IS_POWER_CHART (self));
  g_return_if_fail (snapshot != NULL);

  if (!self->colors_valid)
    {
      juice_chart_colors_lookup (GTK_WIDGET (self), &self->colors);
      self->colors_valid = TRUE;
    }

  if (width != self->layout_width || height != self->layout_height)
    {
      _juice_power_chart_clear_layouts (self);
      self->layout_width = width;
      self->layout_height = height;
    }

  plot_width = width - AXIS_LEFT - AXIS_RIGHT;
  if (plot_width < 16 || height < 3 * PAD_TOP + 16)
    return;

  if (self->labels == NULL || !self->bins_valid || self->n_bins != plot_width)
    {
      int bottom = text_height (self) + 10;

      graphene_rect_init (&self->plot, AXIS_LEFT, PAD_TOP, plot_width,
                          MAX (8, height - PAD_TOP - bottom));
      self->n_bins = plot_width;
      rebin (self);
      make_labels (self);
    }

  draw_grid (self, snapshot);
  if (self->any_in_range)
    draw_series (self, snapshot);
  draw_labels (self, snapshot);
  if (!self->any_in_range)
    draw_message (self, snapshot);
  else
    g_clear_object (&self->message);
  draw_cursor (self, snapshot);
}
