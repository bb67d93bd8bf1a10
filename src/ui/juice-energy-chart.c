/* juice-energy-chart.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "juice-energy-chart"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include "juice-chart-util.h"
#include "juice-energy-chart.h"

#define AXIS_LEFT  56
#define AXIS_RIGHT 16
#define PAD_TOP    10
#define N_STEPS    3

struct _JuiceEnergyChart
{
  GtkWidget         parent_instance;

  /* state */
  GArray           *days;     /* JuiceHistoryDay, at most 30, oldest first */
  int               cursor;
  char             *readout;
  char             *summary;

  /* drawing */
  JuiceChartColors  colors;
  gboolean          colors_valid;
  graphene_rect_t   plot;
};

G_DEFINE_FINAL_TYPE (JuiceEnergyChart, juice_energy_chart, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CURSOR,
  PROP_READOUT,
  PROP_SUMMARY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static double
finite_or_zero (double value)
{
  return isfinite (value) && value > 0 ? value : 0;
}

double
juice_history_day_get_wh_in (const JuiceHistoryDay *day)
{
  g_return_val_if_fail (day != NULL, 0);

  return finite_or_zero (day->wh_in_solar) + finite_or_zero (day->wh_in_ac) +
         finite_or_zero (day->wh_in_car);
}

double
juice_history_day_get_wh_out (const JuiceHistoryDay *day)
{
  g_return_val_if_fail (day != NULL, 0);

  return finite_or_zero (day->wh_out_ac) + finite_or_zero (day->wh_out_dc);
}

static char *
format_day (gint64 day_start)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (day_start);

  return dt != NULL ? g_date_time_format (dt, _("%a %-d")) : g_strdup ("");
}

static void
set_string (JuiceEnergyChart  *self,
            char             **field,
            char              *value,
            GParamSpec        *pspec)
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
update_readout (JuiceEnergyChart *self)
{
  const JuiceHistoryDay *day;
  g_autofree char *when = NULL;
  g_autofree char *in = NULL;
  g_autofree char *out = NULL;

  if (self->cursor < 0 || self->cursor >= (int) self->days->len)
    {
      set_string (self, &self->readout, NULL, properties[PROP_READOUT]);
      return;
    }

  day = &g_array_index (self->days, JuiceHistoryDay, self->cursor);
  when = format_day (day->day_start);
  in = juice_chart_format_energy (juice_history_day_get_wh_in (day));
  out = juice_chart_format_energy (juice_history_day_get_wh_out (day));
  /* Translators: a day's readout, "Mon 3\n3.2 kWh in\n1.1 kWh out" */
  set_string (self, &self->readout, g_strdup_printf (_("%s\n%s in\n%s out"), when, in, out),
              properties[PROP_READOUT]);
}

static void
update_summary (JuiceEnergyChart *self)
{
  double total_in = 0, total_out = 0, best = 0;
  gint64 best_day = 0;
  g_autofree char *in = NULL;
  g_autofree char *out = NULL;
  char *summary;

  for (guint i = 0; i < self->days->len; i++)
    {
      const JuiceHistoryDay *day = &g_array_index (self->days, JuiceHistoryDay, i);
      double wh_in = juice_history_day_get_wh_in (day);

      total_in += wh_in;
      total_out += juice_history_day_get_wh_out (day);
      if (wh_in > best)
        {
          best = wh_in;
          best_day = day->day_start;
        }
    }

  in = juice_chart_format_energy (total_in);
  out = juice_chart_format_energy (total_out);
  if (self->days->len == 0)
    summary = g_strdup (_("Energy of the last 30 days: nothing recorded yet."));
  else if (best > 0)
    {
      g_autofree char *when = format_day (best_day);
      g_autofree char *most = juice_chart_format_energy (best);

      /* Translators: "Energy of the last 30 days: 45.2 kWh in, 30.1 kWh out; most in on Mon 3 (3.2 kWh)." */
      summary = g_strdup_printf (_("Energy of the last 30 days: %s in, %s out; most in on %s (%s)."),
                                 in, out, when, most);
    }
  else
    /* Translators: "Energy of the last 30 days: 0 Wh in, 1.2 kWh out." */
    summary = g_strdup_printf (_("Energy of the last 30 days: %s in, %s out."), in, out);

  if (g_strcmp0 (summary, self->summary) == 0)
    {
      g_free (summary);
      return;
    }

  set_string (self, &self->summary, summary, properties[PROP_SUMMARY]);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->summary,
                                  -1);
}

static PangoLayout *
create_layout (JuiceEnergyChart *self,
               const char       *text,
               double            scale)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  PangoAttrList *attrs = pango_attr_list_new ();

  pango_attr_list_insert (attrs, pango_attr_scale_new (scale));
  pango_attr_list_insert (attrs, pango_attr_font_features_new ("tnum"));
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);

  return layout;
}

static void
append_text (GtkSnapshot   *snapshot,
             PangoLayout   *layout,
             float          x,
             float          y,
             const GdkRGBA *color)
{
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (roundf (x), roundf (y)));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

static void
append_bar (GtkSnapshot   *snapshot,
            float          x,
            float          top,
            float          width,
            float          base,
            const GdkRGBA *color)
{
  GskRoundedRect rect;
  float radius = MIN (3, width / 2);

  if (base - top < 0.5f)
    return;

  gsk_rounded_rect_init (&rect, &GRAPHENE_RECT_INIT (x, top, width, base - top),
                         &GRAPHENE_SIZE_INIT (radius, radius), &GRAPHENE_SIZE_INIT (radius, radius),
                         &GRAPHENE_SIZE_INIT (0, 0), &GRAPHENE_SIZE_INIT (0, 0));
  gtk_snapshot_push_rounded_clip (snapshot, &rect);
  gtk_snapshot_append_color (snapshot, color, &rect.bounds);
  gtk_snapshot_pop (snapshot);
}

/* The day's column: the newest day is the last one, and a day without
 * data (left out of the array) leaves its column empty. Days are counted
 * in local time, so a 23- or 25-hour day is still one. */
static int
slot_of (JuiceEnergyChart *self,
         guint             index)
{
  gint64 newest = g_array_index (self->days, JuiceHistoryDay, self->days->len - 1).day_start;
  gint64 start = g_array_index (self->days, JuiceHistoryDay, index).day_start;

  return JUICE_ENERGY_CHART_N_DAYS - 1 - (int) llround ((newest - start) / 86400.0);
}

static void
juice_energy_chart_snapshot (GtkWidget   *widget,
                             GtkSnapshot *snapshot)
{
  JuiceEnergyChart *self = JUICE_ENERGY_CHART (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  GdkRGBA dim, line, hover;
  g_autoptr(PangoLayout) probe = NULL;
  double max = 0, step, top;
  int text_h;
  float slot, base;
  int cursor_slot = 0;

  if (!self->colors_valid)
    {
      juice_chart_colors_lookup (widget, &self->colors);
      self->colors_valid = TRUE;
    }
  dim = juice_chart_color_alpha (&self->colors.fg, 0.6);
  line = juice_chart_color_alpha (&self->colors.fg, 0.1);
  hover = juice_chart_color_alpha (&self->colors.fg, 0.08);

  probe = create_layout (self, "0", 0.83);
  pango_layout_get_pixel_size (probe, NULL, &text_h);
  if (width < AXIS_LEFT + AXIS_RIGHT + 60 || height < PAD_TOP + text_h + 40)
    return;

  graphene_rect_init (&self->plot, AXIS_LEFT, PAD_TOP, width - AXIS_LEFT - AXIS_RIGHT,
                      height - PAD_TOP - text_h - 10);
  base = self->plot.origin.y + self->plot.size.height;
  slot = self->plot.size.width / JUICE_ENERGY_CHART_N_DAYS;
  if (self->cursor >= 0 && self->cursor < (int) self->days->len)
    cursor_slot = slot_of (self, self->cursor);

  for (guint i = 0; i < self->days->len; i++)
    {
      const JuiceHistoryDay *day = &g_array_index (self->days, JuiceHistoryDay, i);

      if (slot_of (self, i) < 0)
        continue;
      max = MAX (max, MAX (juice_history_day_get_wh_in (day), juice_history_day_get_wh_out (day)));
    }
  step = juice_chart_nice_step (max, N_STEPS, 300);
  top = step * N_STEPS;

  for (guint i = 0; i <= N_STEPS; i++)
    {
      float y = roundf (base - self->plot.size.height * i / N_STEPS);
      g_autofree char *text = top >= 1000 && i == 0 ? g_strdup (_("0 kWh"))
                                                     : juice_chart_format_energy (i * step);
      g_autoptr(PangoLayout) label = create_layout (self, text, 0.83);
      int label_w, label_h;

      gtk_snapshot_append_color (snapshot, &line,
                                 &GRAPHENE_RECT_INIT (self->plot.origin.x, y,
                                                      self->plot.size.width, 1));
      pango_layout_get_pixel_size (label, &label_w, &label_h);
      append_text (snapshot, label, self->plot.origin.x - 8 - label_w, y - label_h / 2.0f, &dim);
    }

  if (self->cursor >= 0 && self->cursor < (int) self->days->len)
    gtk_snapshot_append_color (snapshot, &hover,
                               &GRAPHENE_RECT_INIT (self->plot.origin.x + cursor_slot * slot,
                                                    self->plot.origin.y, slot,
                                                    self->plot.size.height));

  for (guint i = 0; i < self->days->len; i++)
    {
      const JuiceHistoryDay *day = &g_array_index (self->days, JuiceHistoryDay, i);
      int day_slot = slot_of (self, i);
      float x = self->plot.origin.x + day_slot * slot;
      float bar = MAX (1, (slot - 4) / 2);
      double wh_in = juice_history_day_get_wh_in (day);
      double wh_out = juice_history_day_get_wh_out (day);

      if (day_slot < 0)
        continue;
      append_bar (snapshot, x + 2, base - self->plot.size.height * MIN (wh_in, top) / top, bar,
                  base, &self->colors.input);
      append_bar (snapshot, x + 2 + bar, base - self->plot.size.height * MIN (wh_out, top) / top,
                  bar, base, &self->colors.output);
    }

  /* A date under every seventh day, counted back from the newest, with
   * data or not. */
  if (self->days->len > 0)
    {
      gint64 newest = g_array_index (self->days, JuiceHistoryDay, self->days->len - 1).day_start;
      g_autoptr(GDateTime) newest_dt = g_date_time_new_from_unix_local (newest);

      for (int back = 0; newest_dt != NULL && back < JUICE_ENERGY_CHART_N_DAYS; back += 7)
        {
          g_autoptr(GDateTime) dt = g_date_time_add_days (newest_dt, -back);
          g_autofree char *text = dt != NULL ? format_day (g_date_time_to_unix (dt)) : NULL;
          g_autoptr(PangoLayout) label = NULL;
          float x = self->plot.origin.x + (JUICE_ENERGY_CHART_N_DAYS - 1 - back) * slot;
          int label_w;

          if (text == NULL)
            continue;
          label = create_layout (self, text, 0.83);
          pango_layout_get_pixel_size (label, &label_w, NULL);
          append_text (snapshot, label,
                       CLAMP (x + slot / 2 - label_w / 2.0f, 0, width - label_w), base + 6, &dim);
        }
    }

  if (self->days->len == 0)
    {
      g_autoptr(PangoLayout) message =
        gtk_widget_create_pango_layout (widget, _("No energy recorded yet"));
      int message_w, message_h;

      pango_layout_get_pixel_size (message, &message_w, &message_h);
      append_text (snapshot, message,
                   self->plot.origin.x + (self->plot.size.width - message_w) / 2,
                   self->plot.origin.y + (self->plot.size.height - message_h) / 2, &dim);
    }

  if (self->readout != NULL)
    {
      g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, self->readout);
      float x = self->plot.origin.x + (cursor_slot + 1) * slot + 8;
      GdkRGBA panel = juice_chart_color_alpha (&self->colors.panel, 0.96);
      GdkRGBA border = juice_chart_color_alpha (&self->colors.fg, 0.15);
      GskRoundedRect box;
      int box_w, box_h;

      pango_layout_get_pixel_size (layout, &box_w, &box_h);
      box_w += 20;
      box_h += 14;
      if (x + box_w > width)
        x = self->plot.origin.x + cursor_slot * slot - 8 - box_w;
      gsk_rounded_rect_init_from_rect (&box, &GRAPHENE_RECT_INIT (MAX (x, 0), self->plot.origin.y,
                                                                  box_w, box_h), 8);
      gtk_snapshot_push_rounded_clip (snapshot, &box);
      gtk_snapshot_append_color (snapshot, &panel, &box.bounds);
      gtk_snapshot_pop (snapshot);
      gtk_snapshot_append_border (snapshot, &box, (float[4]) { 1, 1, 1, 1 },
                                  (GdkRGBA[4]) { border, border, border, border });
      append_text (snapshot, layout, box.bounds.origin.x + 10, box.bounds.origin.y + 7,
                   &self->colors.fg);
    }
}

static int
day_at (JuiceEnergyChart *self,
        double            x)
{
  float slot = self->plot.size.width / JUICE_ENERGY_CHART_N_DAYS;
  int column;

  if (slot <= 0)
    return -1;

  column = (int) floor ((x - self->plot.origin.x) / slot);
  for (guint i = 0; i < self->days->len; i++)
    if (slot_of (self, i) == column)
      return (int) i;
  return -1;
}

static void
on_motion (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           JuiceEnergyChart         *self)
{
  juice_energy_chart_set_cursor (self, day_at (self, x));
}

static void
on_leave (GtkEventControllerMotion *controller,
          JuiceEnergyChart         *self)
{
  juice_energy_chart_set_cursor (self, -1);
}

static void
on_focus_leave (GtkEventControllerFocus *controller,
                JuiceEnergyChart        *self)
{
  juice_energy_chart_set_cursor (self, -1);
}

/* chart.move-cursor (int days): Left and Right; the first press picks the
 * newest day. */
static void
move_cursor_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  JuiceEnergyChart *self = JUICE_ENERGY_CHART (widget);
  int last = (int) self->days->len - 1;

  if (self->cursor < 0)
    juice_energy_chart_set_cursor (self, last);
  else
    juice_energy_chart_set_cursor (self, CLAMP (self->cursor + g_variant_get_int32 (parameter),
                                                0, last));
}

/* chart.cursor-edge (int): Home (-1) and End (1). */
static void
cursor_edge_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  JuiceEnergyChart *self = JUICE_ENERGY_CHART (widget);

  juice_energy_chart_set_cursor (self, g_variant_get_int32 (parameter) < 0
                                       ? 0 : (int) self->days->len - 1);
}

static void
hide_cursor_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  juice_energy_chart_set_cursor (JUICE_ENERGY_CHART (widget), -1);
}

static void
juice_energy_chart_measure (GtkWidget      *widget,
                            GtkOrientation  orientation,
                            int             for_size,
                            int            *minimum,
                            int            *natural,
                            int            *minimum_baseline,
                            int            *natural_baseline)
{
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 240 : 120;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 640 : 160;
}

static void
juice_energy_chart_css_changed (GtkWidget         *widget,
                                GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (juice_energy_chart_parent_class)->css_changed (widget, change);

  JUICE_ENERGY_CHART (widget)->colors_valid = FALSE;
  gtk_widget_queue_draw (widget);
}

static void
juice_energy_chart_finalize (GObject *object)
{
  JuiceEnergyChart *self = (JuiceEnergyChart *)object;

  g_clear_pointer (&self->days, g_array_unref);
  g_clear_pointer (&self->readout, g_free);
  g_clear_pointer (&self->summary, g_free);

  G_OBJECT_CLASS (juice_energy_chart_parent_class)->finalize (object);
}

static void
juice_energy_chart_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  JuiceEnergyChart *self = JUICE_ENERGY_CHART (object);

  switch (prop_id)
    {
    case PROP_CURSOR:
      g_value_set_int (value, self->cursor);
      break;

    case PROP_READOUT:
      g_value_set_string (value, self->readout);
      break;

    case PROP_SUMMARY:
      g_value_set_string (value, self->summary);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
juice_energy_chart_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  JuiceEnergyChart *self = JUICE_ENERGY_CHART (object);

  switch (prop_id)
    {
    case PROP_CURSOR:
      juice_energy_chart_set_cursor (self, g_value_get_int (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
juice_energy_chart_class_init (JuiceEnergyChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = juice_energy_chart_finalize;
  object_class->get_property = juice_energy_chart_get_property;
  object_class->set_property = juice_energy_chart_set_property;
  widget_class->snapshot = juice_energy_chart_snapshot;
  widget_class->measure = juice_energy_chart_measure;
  widget_class->css_changed = juice_energy_chart_css_changed;

  /* The day picked (0 the oldest shown), -1 none. */
  properties[PROP_CURSOR] =
    g_param_spec_int ("cursor", NULL, NULL, -1, JUICE_ENERGY_CHART_N_DAYS - 1, -1,
                      (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_READOUT] =
    g_param_spec_string ("readout", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_SUMMARY] =
    g_param_spec_string ("summary", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "juice-energy-chart");
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
juice_energy_chart_init (JuiceEnergyChart *self)
{
  GtkEventController *controller;

  self->days = g_array_new (FALSE, FALSE, sizeof (JuiceHistoryDay));
  self->cursor = -1;

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

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Daily energy chart"),
                                  -1);
  update_summary (self);
}

GtkWidget *
juice_energy_chart_new (void)
{
  return g_object_new (JUICE_TYPE_ENERGY_CHART, NULL);
}

void
juice_energy_chart_set_days (JuiceEnergyChart *self,
                             GArray           *days)
{
  g_return_if_fail (JUICE_IS_ENERGY_CHART (self));
  g_return_if_fail (days == NULL || g_array_get_element_size (days) == sizeof (JuiceHistoryDay));

  g_array_set_size (self->days, 0);
  if (days != NULL)
    {
      guint start = days->len > JUICE_ENERGY_CHART_N_DAYS ? days->len - JUICE_ENERGY_CHART_N_DAYS : 0;

      g_array_append_vals (self->days, &g_array_index (days, JuiceHistoryDay, start),
                           days->len - start);
    }

  if (self->cursor >= (int) self->days->len)
    juice_energy_chart_set_cursor (self, -1);
  update_readout (self);
  update_summary (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

int
juice_energy_chart_get_cursor (JuiceEnergyChart *self)
{
  g_return_val_if_fail (JUICE_IS_ENERGY_CHART (self), -1);

  return self->cursor;
}

void
juice_energy_chart_set_cursor (JuiceEnergyChart *self,
                               int               day)
{
  g_return_if_fail (JUICE_IS_ENERGY_CHART (self));

  if (day < 0 || day >= (int) self->days->len)
    day = -1;
  if (self->cursor == day)
    return;

  self->cursor = day;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "chart.hide-cursor", day >= 0);
  update_readout (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURSOR]);
}

const char *
juice_energy_chart_get_readout (JuiceEnergyChart *self)
{
  g_return_val_if_fail (JUICE_IS_ENERGY_CHART (self), NULL);

  return self->readout;
}

const char *
juice_energy_chart_get_summary (JuiceEnergyChart *self)
{
  g_return_val_if_fail (JUICE_IS_ENERGY_CHART (self), NULL);

  return self->summary;
}

int
juice_energy_chart_get_column (JuiceEnergyChart *self,
                               int               day)
{
  int column;

  g_return_val_if_fail (JUICE_IS_ENERGY_CHART (self), -1);

  if (day < 0 || day >= (int) self->days->len)
    return -1;
  column = slot_of (self, day);
  return column >= 0 ? column : -1;
}
