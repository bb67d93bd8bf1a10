/* juice-power-chart.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "juice-power-chart"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "juice-power-chart-private.h"

G_DEFINE_FINAL_TYPE (JuicePowerChart, juice_power_chart, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_RANGE,
  PROP_END_TIME,
  PROP_CURSOR_TIME,
  PROP_READOUT,
  PROP_SUMMARY,
  PROP_HAS_DATA,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Left and Right move the cursor by this much. */
static const gint64 key_steps[JUICE_N_CHART_RANGES] = { 60, 15 * 60, 60 * 60, 6 * 60 * 60 };

/* Live points kept beyond the newest recorded one: a few hours of reports. */
#define MAX_LIVE 4096

/* Beyond any power station: garbage, not a value (W, %). */
#define MAX_VALUE 1e7

gint64
_juice_power_chart_get_from (JuicePowerChart *self)
{
  return self->end_time - juice_chart_range_get_seconds (self->range);
}

/* How far from a point its value still reads at a time. */
gint64
_juice_power_chart_get_tolerance (JuicePowerChart *self)
{
  return MAX (90, juice_chart_range_get_seconds (self->range) / 400);
}

static GArray *
copy_points (GArray *points)
{
  GArray *copy = g_array_new (FALSE, FALSE, sizeof (JuiceHistoryPoint));

  if (points == NULL)
    return copy;

  g_array_set_size (copy, 0);
  for (guint i = 0; i < points->len; i++)
    {
      const JuiceHistoryPoint *p = &g_array_index (points, JuiceHistoryPoint, i);

      /* What came from disk is checked as anything else from outside. */
      if (!isfinite (p->min) || !isfinite (p->mean) || !isfinite (p->max) ||
          fabs (p->min) > MAX_VALUE || fabs (p->max) > MAX_VALUE)
        continue;
      if (copy->len > 0 && p->time < g_array_index (copy, JuiceHistoryPoint, copy->len - 1).time)
        continue;
      g_array_append_val (copy, *p);
    }

  return copy;
}

static gint64
last_time (GArray *points)
{
  return points->len > 0 ? g_array_index (points, JuiceHistoryPoint, points->len - 1).time
                         : G_MININT64;
}

/* The live points a recorded one now covers go, and those before the
 * range. Dropping one still in the range (beyond MAX_LIVE) bins them all
 * again. */
static void
trim_live (JuicePowerChart *self)
{
  gint64 from = _juice_power_chart_get_from (self);

  for (guint s = 0; s < JUICE_POWER_CHART_N_SERIES; s++)
    {
      GArray *live = self->live[s];
      gint64 recorded = last_time (self->history[s]);
      guint drop = 0;

      while (drop < live->len)
        {
          gint64 t = g_array_index (live, JuiceHistoryPoint, drop).time;

          if (t > recorded && t >= from && live->len - drop <= MAX_LIVE)
            break;
          if (t >= from)
            self->bins_valid = FALSE;
          drop++;
        }
      if (drop > 0)
        g_array_remove_range (live, 0, drop);
    }
}

/* The point of @series nearest to @time within the tolerance. */
gboolean
_juice_power_chart_value_at (JuicePowerChart       *self,
                             JuicePowerChartSeries  series,
                             gint64                 time,
                             double                *value)
{
  gint64 tolerance = _juice_power_chart_get_tolerance (self);
  const JuiceHistoryPoint *best = NULL;
  gint64 best_distance = G_MAXINT64;
  GArray *arrays[2] = { self->history[series], self->live[series] };

  for (guint a = 0; a < G_N_ELEMENTS (arrays); a++)
    {
      GArray *points = arrays[a];
      guint lo = _juice_power_chart_first_at (points, time);

      /* The first point at or after @time, and the one before it. */
      for (guint i = lo > 0 ? lo - 1 : 0; i < MIN (lo + 1, points->len); i++)
        {
          const JuiceHistoryPoint *p = &g_array_index (points, JuiceHistoryPoint, i);
          gint64 distance = ABS (p->time - time);

          if (distance < best_distance)
            {
              best_distance = distance;
              best = p;
            }
        }
    }

  if (best == NULL || best_distance > tolerance)
    return FALSE;

  *value = best->mean;
  return TRUE;
}

static void
set_string (JuicePowerChart  *self,
            char            **field,
            char             *value,
            GParamSpec       *pspec)
{
  if (g_strcmp0 (*field, value) == 0)
    {
      g_free (value);
      return;
    }

  g_free (*field);
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), pspec);
}

static void
update_readout (JuicePowerChart *self)
{
  g_autoptr(GString) text = NULL;
  g_autofree char *when = NULL;
  double value;
  gboolean any = FALSE;

  if (self->cursor_time < 0)
    {
      set_string (self, &self->readout, NULL, properties[PROP_READOUT]);
      return;
    }

  when = juice_chart_format_time (self->cursor_time, self->range >= JUICE_CHART_RANGE_WEEK);
  text = g_string_new (when);

  if (_juice_power_chart_value_at (self, JUICE_POWER_CHART_IN, self->cursor_time, &value))
    {
      g_autofree char *watts = juice_chart_format_power (value);

      g_string_append_c (text, '\n');
      /* Translators: a line of the chart's readout, "Input 1.2 kW" */
      g_string_append_printf (text, _("Input %s"), watts);
      any = TRUE;
    }
  if (_juice_power_chart_value_at (self, JUICE_POWER_CHART_OUT, self->cursor_time, &value))
    {
      g_autofree char *watts = juice_chart_format_power (value);

      g_string_append_c (text, '\n');
      /* Translators: a line of the chart's readout, "Output 300 W" */
      g_string_append_printf (text, _("Output %s"), watts);
      any = TRUE;
    }
  if (_juice_power_chart_value_at (self, JUICE_POWER_CHART_SOC, self->cursor_time, &value))
    {
      g_string_append_c (text, '\n');
      /* Translators: a line of the chart's readout, "Charge 56 %" */
      g_string_append_printf (text, _("Charge %.0f %%"), CLAMP (value, 0, 100));
      any = TRUE;
    }
  if (!any)
    {
      g_string_append_c (text, '\n');
      g_string_append (text, _("Nothing recorded"));
    }

  set_string (self, &self->readout, g_string_free (g_steal_pointer (&text), FALSE),
              properties[PROP_READOUT]);
}

static void
update_has_data (JuicePowerChart *self)
{
  gboolean has_data = FALSE;

  for (guint s = 0; s < JUICE_POWER_CHART_N_SERIES && !has_data; s++)
    has_data = self->history[s]->len > 0 || self->live[s]->len > 0;

  if (self->has_data == has_data)
    return;

  self->has_data = has_data;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_DATA]);
}

/* Anything shown changed: the next frame bins what it must (see
 * juice-power-chart-bins.c). */
static void
data_changed (JuicePowerChart *self)
{
  g_clear_object (&self->message);
  update_has_data (self);
  _juice_power_chart_update_summary (self);
  update_readout (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
move_cursor (JuicePowerChart *self,
             gint64           time)
{
  gint64 from = _juice_power_chart_get_from (self);

  juice_power_chart_set_cursor_time (self, CLAMP (time, from, self->end_time));
}

/* chart.move-cursor (int steps): Left and Right; the first press shows the
 * cursor at the newest point. */
static void
move_cursor_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  JuicePowerChart *self = JUICE_POWER_CHART (widget);
  int steps = g_variant_get_int32 (parameter);

  self->pointer_cursor = FALSE;
  if (self->cursor_time < 0)
    move_cursor (self, self->end_time);
  else
    move_cursor (self, self->cursor_time + steps * key_steps[self->range]);
}

/* chart.cursor-edge (int): Home (-1) and End (1). */
static void
cursor_edge_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  JuicePowerChart *self = JUICE_POWER_CHART (widget);

  self->pointer_cursor = FALSE;
  move_cursor (self, g_variant_get_int32 (parameter) < 0 ? _juice_power_chart_get_from (self)
                                                         : self->end_time);
}

static void
hide_cursor_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  juice_power_chart_set_cursor_time (JUICE_POWER_CHART (widget), -1);
}

static void
on_motion (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           JuicePowerChart          *self)
{
  gint64 from = _juice_power_chart_get_from (self);
  double fraction;

  if (self->plot.size.width <= 0)
    return;

  fraction = CLAMP ((x - self->plot.origin.x) / self->plot.size.width, 0, 1);
  self->pointer_cursor = TRUE;
  move_cursor (self, from + (gint64) round (fraction * (self->end_time - from)));
}

static void
on_leave (GtkEventControllerMotion *controller,
          JuicePowerChart          *self)
{
  /* A cursor the keyboard placed stays when the pointer passes by. */
  if (self->pointer_cursor)
    juice_power_chart_set_cursor_time (self, -1);
}

static void
on_focus_leave (GtkEventControllerFocus *controller,
                JuicePowerChart         *self)
{
  juice_power_chart_set_cursor_time (self, -1);
}

static void
on_pressed (GtkGestureClick *gesture,
            int              n_press,
            double           x,
            double           y,
            JuicePowerChart *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self));
}

static void
juice_power_chart_snapshot (GtkWidget   *widget,
                            GtkSnapshot *snapshot)
{
  juice_power_chart_draw (JUICE_POWER_CHART (widget), snapshot,
                          gtk_widget_get_width (widget), gtk_widget_get_height (widget));
}

static void
juice_power_chart_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 240;
      *natural = 640;
    }
  else
    {
      *minimum = 180;
      *natural = 240;
    }
}

static void
juice_power_chart_css_changed (GtkWidget         *widget,
                               GtkCssStyleChange *change)
{
  JuicePowerChart *self = JUICE_POWER_CHART (widget);

  GTK_WIDGET_CLASS (juice_power_chart_parent_class)->css_changed (widget, change);

  /* Dark mode, another accent, another font: colours and labels again. */
  self->colors_valid = FALSE;
  _juice_power_chart_clear_layouts (self);
  gtk_widget_queue_draw (widget);
}

static void
juice_power_chart_finalize (GObject *object)
{
  JuicePowerChart *self = (JuicePowerChart *)object;

  for (guint s = 0; s < JUICE_POWER_CHART_N_SERIES; s++)
    {
      g_clear_pointer (&self->history[s], g_array_unref);
      g_clear_pointer (&self->live[s], g_array_unref);
      g_clear_pointer (&self->bins[s], g_free);
    }
  _juice_power_chart_clear_layouts (self);
  _juice_power_chart_free_raster (self);
  g_clear_pointer (&self->readout, g_free);
  g_clear_pointer (&self->summary, g_free);

  G_OBJECT_CLASS (juice_power_chart_parent_class)->finalize (object);
}

static void
juice_power_chart_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  JuicePowerChart *self = JUICE_POWER_CHART (object);

  switch (prop_id)
    {
    case PROP_RANGE:
      g_value_set_uint (value, self->range);
      break;

    case PROP_END_TIME:
      g_value_set_int64 (value, self->end_time);
      break;

    case PROP_CURSOR_TIME:
      g_value_set_int64 (value, self->cursor_time);
      break;

    case PROP_READOUT:
      g_value_set_string (value, self->readout);
      break;

    case PROP_SUMMARY:
      g_value_set_string (value, self->summary);
      break;

    case PROP_HAS_DATA:
      g_value_set_boolean (value, self->has_data);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
juice_power_chart_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  JuicePowerChart *self = JUICE_POWER_CHART (object);

  switch (prop_id)
    {
    case PROP_RANGE:
      juice_power_chart_set_range (self, g_value_get_uint (value));
      break;

    case PROP_END_TIME:
      juice_power_chart_set_end_time (self, g_value_get_int64 (value));
      break;

    case PROP_CURSOR_TIME:
      juice_power_chart_set_cursor_time (self, g_value_get_int64 (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
juice_power_chart_class_init (JuicePowerChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = juice_power_chart_finalize;
  object_class->get_property = juice_power_chart_get_property;
  object_class->set_property = juice_power_chart_set_property;
  widget_class->snapshot = juice_power_chart_snapshot;
  widget_class->measure = juice_power_chart_measure;
  widget_class->css_changed = juice_power_chart_css_changed;

  /* A JuiceChartRange. */
  properties[PROP_RANGE] =
    g_param_spec_uint ("range", NULL, NULL, 0, JUICE_N_CHART_RANGES - 1, JUICE_CHART_RANGE_DAY,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /* Unix seconds at the right edge. */
  properties[PROP_END_TIME] =
    g_param_spec_int64 ("end-time", NULL, NULL, 0, G_MAXINT64 / 2, 0,
                        (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /* Unix seconds under the crosshair, -1 for none. */
  properties[PROP_CURSOR_TIME] =
    g_param_spec_int64 ("cursor-time", NULL, NULL, -1, G_MAXINT64 / 2, -1,
                        (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /* The values at the cursor, one per line, or NULL. */
  properties[PROP_READOUT] =
    g_param_spec_string ("readout", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /* The range in a sentence, for screen readers. */
  properties[PROP_SUMMARY] =
    g_param_spec_string ("summary", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_HAS_DATA] =
    g_param_spec_boolean ("has-data", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "juice-power-chart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);

  gtk_widget_class_install_action (widget_class, "chart.move-cursor", "i", move_cursor_action);
  gtk_widget_class_install_action (widget_class, "chart.cursor-edge", "i", cursor_edge_action);
  gtk_widget_class_install_action (widget_class, "chart.hide-cursor", NULL, hide_cursor_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, 0, "chart.move-cursor", "i", -1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Left, 0, "chart.move-cursor", "i", -1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, 0, "chart.move-cursor", "i", 1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Right, 0, "chart.move-cursor", "i", 1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Home, 0, "chart.cursor-edge", "i", -1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_End, 0, "chart.cursor-edge", "i", 1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "chart.hide-cursor", NULL);
}

static void
juice_power_chart_init (JuicePowerChart *self)
{
  GtkEventController *controller;

  self->range = JUICE_CHART_RANGE_DAY;
  self->end_time = g_get_real_time () / G_USEC_PER_SEC;
  self->cursor_time = -1;
  self->changed_from = self->dirty_from = G_MAXINT64;
  self->changed_to = self->dirty_to = G_MININT64;
  for (guint s = 0; s < JUICE_POWER_CHART_N_SERIES; s++)
    {
      self->history[s] = g_array_new (FALSE, FALSE, sizeof (JuiceHistoryPoint));
      self->live[s] = g_array_new (FALSE, FALSE, sizeof (JuiceHistoryPoint));
    }

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "chart.hide-cursor", FALSE);
  gtk_widget_add_css_class (GTK_WIDGET (self), "juice-chart");

  controller = gtk_event_controller_motion_new ();
  g_signal_connect (controller, "motion", G_CALLBACK (on_motion), self);
  g_signal_connect (controller, "leave", G_CALLBACK (on_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = gtk_event_controller_focus_new ();
  g_signal_connect (controller, "leave", G_CALLBACK (on_focus_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  controller = GTK_EVENT_CONTROLLER (gtk_gesture_click_new ());
  g_signal_connect (controller, "pressed", G_CALLBACK (on_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Power and charge chart"),
                                  -1);
  _juice_power_chart_update_summary (self);
}

GtkWidget *
juice_power_chart_new (void)
{
  return g_object_new (JUICE_TYPE_POWER_CHART, NULL);
}

JuiceChartRange
juice_power_chart_get_range (JuicePowerChart *self)
{
  g_return_val_if_fail (JUICE_IS_POWER_CHART (self), JUICE_CHART_RANGE_DAY);

  return self->range;
}

void
juice_power_chart_set_range (JuicePowerChart *self,
                             JuiceChartRange  range)
{
  g_return_if_fail (JUICE_IS_POWER_CHART (self));
  g_return_if_fail (range < JUICE_N_CHART_RANGES);

  if (self->range == range)
    return;

  self->range = range;
  if (self->cursor_time >= 0 && self->cursor_time < _juice_power_chart_get_from (self))
    juice_power_chart_set_cursor_time (self, -1);
  _juice_power_chart_clear_layouts (self);
  self->bins_valid = FALSE;
  data_changed (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RANGE]);
}

gint64
juice_power_chart_get_end_time (JuicePowerChart *self)
{
  g_return_val_if_fail (JUICE_IS_POWER_CHART (self), 0);

  return self->end_time;
}

void
juice_power_chart_set_end_time (JuicePowerChart *self,
                                gint64           end_time)
{
  g_return_if_fail (JUICE_IS_POWER_CHART (self));

  end_time = CLAMP (end_time, 0, G_MAXINT64 / 2);
  if (self->end_time == end_time)
    return;

  self->end_time = end_time;
  if (self->cursor_time >= 0 &&
      (self->cursor_time < _juice_power_chart_get_from (self) || self->cursor_time > end_time))
    juice_power_chart_set_cursor_time (self, -1);
  trim_live (self);
  /* A later end only shifts the columns, and the labels stay while the
   * ticks and the power axis are the same: the next frame bins and paints
   * the newest columns and moves the labels. */
  data_changed (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_END_TIME]);
}

void
juice_power_chart_set_history (JuicePowerChart *self,
                               GArray          *soc,
                               GArray          *watts_in,
                               GArray          *watts_out)
{
  GArray *arrays[JUICE_POWER_CHART_N_SERIES] = { soc, watts_in, watts_out };

  g_return_if_fail (JUICE_IS_POWER_CHART (self));

  for (guint s = 0; s < JUICE_POWER_CHART_N_SERIES; s++)
    {
      g_return_if_fail (arrays[s] == NULL ||
                        g_array_get_element_size (arrays[s]) == sizeof (JuiceHistoryPoint));
      g_clear_pointer (&self->history[s], g_array_unref);
      self->history[s] = copy_points (arrays[s]);
    }

  self->bins_valid = FALSE;
  trim_live (self);
  data_changed (self);
}

void
juice_power_chart_add_live (JuicePowerChart *self,
                            gint64           time,
                            double           soc,
                            double           watts_in,
                            double           watts_out)
{
  double values[JUICE_POWER_CHART_N_SERIES] = { soc, watts_in, watts_out };

  g_return_if_fail (JUICE_IS_POWER_CHART (self));

  for (guint s = 0; s < JUICE_POWER_CHART_N_SERIES; s++)
    {
      JuiceHistoryPoint point = { time, values[s], values[s], values[s] };
      GArray *live = self->live[s];

      if (!isfinite (values[s]) || fabs (values[s]) > MAX_VALUE || time <= last_time (self->history[s]))
        continue;

      /* The same second twice: the later report wins. */
      if (live->len > 0 && g_array_index (live, JuiceHistoryPoint, live->len - 1).time >= time)
        {
          if (g_array_index (live, JuiceHistoryPoint, live->len - 1).time == time)
            {
              g_array_index (live, JuiceHistoryPoint, live->len - 1) = point;
              _juice_power_chart_points_changed (self, time);
            }
          continue;
        }
      g_array_append_val (live, point);
      /* Within the range shown its column takes it; a later end bins it. */
      if (time <= self->end_time)
        _juice_power_chart_points_changed (self, time);
    }

  if (time > self->end_time)
    juice_power_chart_set_end_time (self, time);
  else
    {
      trim_live (self);
      data_changed (self);
    }
}

gboolean
juice_power_chart_get_has_data (JuicePowerChart *self)
{
  g_return_val_if_fail (JUICE_IS_POWER_CHART (self), FALSE);

  return self->has_data;
}

gint64
juice_power_chart_get_cursor_time (JuicePowerChart *self)
{
  g_return_val_if_fail (JUICE_IS_POWER_CHART (self), -1);

  return self->cursor_time;
}

void
juice_power_chart_set_cursor_time (JuicePowerChart *self,
                                   gint64           time)
{
  g_return_if_fail (JUICE_IS_POWER_CHART (self));

  if (time < 0)
    time = -1;
  if (self->cursor_time == time)
    return;

  self->cursor_time = time;
  /* Escape goes on to the window when there is no cursor to hide. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "chart.hide-cursor", time >= 0);
  update_readout (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURSOR_TIME]);
}

const char *
juice_power_chart_get_readout (JuicePowerChart *self)
{
  g_return_val_if_fail (JUICE_IS_POWER_CHART (self), NULL);

  return self->readout;
}

const char *
juice_power_chart_get_summary (JuicePowerChart *self)
{
  g_return_val_if_fail (JUICE_IS_POWER_CHART (self), NULL);

  return self->summary;
}
