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
#define N_STEPS     JUICE_POWER_CHART_N_STEPS

static void
clear_label (gpointer data)
{
  JuiceChartLabel *label = data;

  g_clear_object (&label->layout);
}

void
_juice_power_chart_clear_layouts (JuicePowerChart *self)
{
  g_clear_pointer (&self->series_node, gsk_render_node_unref);
  g_clear_pointer (&self->labels, g_array_unref);
  g_clear_object (&self->message);
  g_clear_object (&self->readout_layout);
  /* Another size or font: the plot may have moved. */
  self->raster_valid = FALSE;
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

float
_juice_power_chart_power_y (JuicePowerChart *self,
                            double           watts)
{
  double top = self->power_step * N_STEPS;

  return self->plot.origin.y + self->plot.size.height * (1 - CLAMP (watts, 0, top) / top);
}

float
_juice_power_chart_soc_y (JuicePowerChart *self,
                          double           soc)
{
  return self->plot.origin.y + self->plot.size.height * (1 - CLAMP (soc, 0, 100) / 100);
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
  PangoLayout *layout;
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
    draw_dot (snapshot, x + 0.5f, _juice_power_chart_power_y (self, value), &self->colors.input, &panel);
  if (_juice_power_chart_value_at (self, JUICE_POWER_CHART_OUT, self->cursor_time, &value))
    draw_dot (snapshot, x + 0.5f, _juice_power_chart_power_y (self, value), &self->colors.output, &panel);
  if (_juice_power_chart_value_at (self, JUICE_POWER_CHART_SOC, self->cursor_time, &value))
    draw_dot (snapshot, x + 0.5f, _juice_power_chart_soc_y (self, value), &self->colors.charge, &panel);

  /* The values beside the line, on the side with room. */
  /* Kept while the text stays: laying it out costs more than drawing it. */
  if (self->readout_layout == NULL)
    self->readout_layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), self->readout);
  else if (strcmp (pango_layout_get_text (self->readout_layout), self->readout) != 0)
    pango_layout_set_text (self->readout_layout, self->readout, -1);
  layout = self->readout_layout;
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
      self->raster_valid = FALSE;
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

  if (self->labels == NULL || self->n_bins != plot_width)
    {
      int bottom = text_height (self) + 10;

      graphene_rect_init (&self->plot, AXIS_LEFT, PAD_TOP, plot_width,
                          MAX (8, height - PAD_TOP - bottom));
    }
  /* Labels again when the end or the power axis moved. */
  if (_juice_power_chart_update_bins (self, plot_width) || self->labels == NULL)
    make_labels (self);

  draw_grid (self, snapshot);
  if (self->any_in_range)
    _juice_power_chart_draw_series (self, snapshot);
  draw_labels (self, snapshot);
  if (!self->any_in_range)
    draw_message (self, snapshot);
  else
    g_clear_object (&self->message);
  draw_cursor (self, snapshot);
}
