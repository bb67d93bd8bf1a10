/* juice-history-view.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "juice-history-view"

#include "config.h"

#include <glib/gi18n.h>

#include "juice-chart-util.h"
#include "juice-energy-chart.h"
#include "juice-history-view.h"
#include "juice-power-chart.h"

/* More points than any screen has columns gains nothing. */
#define MAX_POINTS 1920

/* A report moves the chart only when it moves a pixel: live points and
 * reloads after a history batch reach the chart at most once per column's
 * worth of time (1 s in the 1-hour view on a wide window, about 2.5 min in
 * the 24-hour one), bounded to these: */
#define MIN_UPDATE_US (1 * G_USEC_PER_SEC)
#define MAX_LIVE_US   (60 * G_USEC_PER_SEC)
#define MAX_RELOAD_US (60 * G_USEC_PER_SEC)

struct _JuiceHistoryView
{
  GtkWidget         parent_instance;

  /* template widgets */
  JuicePowerChart  *power_chart;
  JuiceEnergyChart *energy_chart;

  /* owned references */
  JuiceDevice      *device;
  JuiceHistory     *history;

  /* state */
  guint             range;
  char             *today;
  gulong            report_id;
  gulong            changed_id;
  guint             reload_idle;
  guint             reload_timeout;
  guint             live_timeout;
  gint64            reloaded_at;     /* monotonic µs of the last reload */
  gint64            live_at;         /* monotonic µs of the last live point */
};

G_DEFINE_FINAL_TYPE (JuiceHistoryView, juice_history_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_RANGE,
  PROP_TODAY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gint64
now (JuiceHistoryView *self)
{
  return self->history != NULL ? juice_history_now (self->history)
                               : g_get_real_time () / G_USEC_PER_SEC;
}

static GArray *
query (JuiceHistoryView   *self,
       JuiceHistorySeries  series,
       gint64              from,
       gint64              to,
       guint               max_points)
{
  g_autoptr(GError) error = NULL;
  GArray *points;

  points = juice_history_query (self->history, juice_device_get_serial_number (self->device),
                                series, from, to, max_points, &error);
  if (points == NULL)
    g_debug ("No %s history: %s", juice_history_series_get_name (series), error->message);

  return points;
}

static void
set_today (JuiceHistoryView *self,
           char             *today)
{
  if (g_strcmp0 (self->today, today) == 0)
    {
      g_free (today);
      return;
    }

  g_free (self->today);
  self->today = today;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TODAY]);
}

static void
load_energy (JuiceHistoryView *self,
             gint64            end)
{
  const char *sn = juice_device_get_serial_number (self->device);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) end_dt = g_date_time_new_from_unix_local (end);
  g_autoptr(GDateTime) first = NULL;
  g_autoptr(GArray) days = NULL;
  JuiceHistoryDay today;

  if (end_dt == NULL)
    return;

  /* From the local midnight 29 days before today's. */
  first = g_date_time_add_days (end_dt, -(JUICE_ENERGY_CHART_N_DAYS - 1));
  {
    g_autoptr(GDateTime) midnight = g_date_time_new_local (g_date_time_get_year (first),
                                                           g_date_time_get_month (first),
                                                           g_date_time_get_day_of_month (first),
                                                           0, 0, 0);

    days = juice_history_query_daily (self->history, sn, NULL,
                                      midnight != NULL ? g_date_time_to_unix (midnight) : end,
                                      end, &error);
  }
  if (days == NULL)
    g_debug ("No daily energy: %s", error->message);
  juice_energy_chart_set_days (self->energy_chart, days);

  g_clear_error (&error);
  if (juice_history_query_today (self->history, sn, &today, &error))
    {
      g_autofree char *in = juice_chart_format_energy (juice_history_day_get_wh_in (&today));
      g_autofree char *out = juice_chart_format_energy (juice_history_day_get_wh_out (&today));

      /* Translators: the overview's line, "Today: 3.2 kWh in, 1.1 kWh out" */
      set_today (self, g_strdup_printf (_("Today: %s in, %s out"), in, out));
    }
  else
    g_debug ("No energy of today: %s", error->message);
}

void
juice_history_view_reload (JuiceHistoryView *self)
{
  g_autoptr(GArray) soc = NULL;
  g_autoptr(GArray) in = NULL;
  g_autoptr(GArray) out = NULL;
  gint64 end, from;
  guint max_points;

  g_return_if_fail (JUICE_IS_HISTORY_VIEW (self));

  g_clear_handle_id (&self->reload_idle, g_source_remove);
  g_clear_handle_id (&self->reload_timeout, g_source_remove);
  if (self->device == NULL || self->history == NULL)
    return;

  self->reloaded_at = g_get_monotonic_time ();
  end = now (self);
  from = end - juice_chart_range_get_seconds (self->range);
  max_points = CLAMP (gtk_widget_get_width (GTK_WIDGET (self->power_chart)), 320, MAX_POINTS);

  soc = query (self, JUICE_HISTORY_SERIES_SOC, from, end, max_points);
  in = query (self, JUICE_HISTORY_SERIES_WATTS_IN, from, end, max_points);
  out = query (self, JUICE_HISTORY_SERIES_WATTS_OUT, from, end, max_points);
  juice_power_chart_set_end_time (self->power_chart, end);
  juice_power_chart_set_history (self->power_chart, soc, in, out);

  load_energy (self, end);
}

static gboolean
reload_idle_cb (gpointer data)
{
  JuiceHistoryView *self = data;

  self->reload_idle = 0;
  juice_history_view_reload (self);

  return G_SOURCE_REMOVE;
}

static void
schedule_reload (JuiceHistoryView *self)
{
  if (self->reload_idle == 0)
    self->reload_idle = g_idle_add_full (G_PRIORITY_LOW, reload_idle_cb, self, NULL);
}

/* Time the chart shows per pixel column, in µs, within [@min_us, @max_us]. */
static gint64
column_us (JuiceHistoryView *self,
           gint64            min_us,
           gint64            max_us)
{
  int width = MAX (gtk_widget_get_width (GTK_WIDGET (self->power_chart)), 1);
  gint64 us = juice_chart_range_get_seconds (self->range) * G_USEC_PER_SEC / width;

  return CLAMP (us, min_us, max_us);
}

static gboolean
reload_timeout_cb (gpointer data)
{
  JuiceHistoryView *self = data;

  self->reload_timeout = 0;
  juice_history_view_reload (self);

  return G_SOURCE_REMOVE;
}

/* A reload at once when the last one is a column's time old, else once
 * that time is up (one timer however many batches come meanwhile). */
static void
schedule_reload_throttled (JuiceHistoryView *self)
{
  gint64 wait = self->reloaded_at + column_us (self, MIN_UPDATE_US, MAX_RELOAD_US)
                - g_get_monotonic_time ();

  if (self->reload_idle != 0 || self->reload_timeout != 0)
    return;
  if (wait <= 0)
    schedule_reload (self);
  else
    self->reload_timeout = g_timeout_add ((guint) (wait / 1000) + 1, reload_timeout_cb, self);
}

/* The device's newest values as the chart's live point. */
static void
push_live (JuiceHistoryView *self)
{
  if (self->device == NULL || juice_device_get_n_quotas (self->device) == 0)
    return;

  self->live_at = g_get_monotonic_time ();
  juice_power_chart_add_live (self->power_chart, now (self), juice_device_get_soc (self->device),
                              juice_device_get_watts_in (self->device),
                              juice_device_get_watts_out (self->device));
}

static gboolean
live_timeout_cb (gpointer data)
{
  JuiceHistoryView *self = data;

  self->live_timeout = 0;
  push_live (self);

  return G_SOURCE_REMOVE;
}

/* The history wrote a batch: the chart takes the recorded points. */
static void
on_history_changed (JuiceHistory     *history,
                    const char       *serial_number,
                    JuiceHistoryView *self)
{
  if (self->device != NULL &&
      g_strcmp0 (serial_number, juice_device_get_serial_number (self->device)) == 0)
    schedule_reload_throttled (self);
}

/* A report: the newest point, before the history has written it. */
static void
on_report_applied (JuiceDevice      *device,
                   guint             n_changed,
                   JuiceHistoryView *self)
{
  gint64 wait;

  if (juice_device_get_n_quotas (device) == 0 || self->live_timeout != 0)
    return;

  /* At once when the last live point is a column's time old; else the
   * newest values once that time is up. */
  wait = self->live_at + column_us (self, MIN_UPDATE_US, MAX_LIVE_US) - g_get_monotonic_time ();
  if (wait <= 0)
    push_live (self);
  else
    self->live_timeout = g_timeout_add ((guint) (wait / 1000) + 1, live_timeout_cb, self);
}

static void
juice_history_view_map (GtkWidget *widget)
{
  JuiceHistoryView *self = JUICE_HISTORY_VIEW (widget);

  GTK_WIDGET_CLASS (juice_history_view_parent_class)->map (widget);

  /* Only while shown: no work per report for a page nobody sees. */
  if (self->device != NULL && self->report_id == 0)
    self->report_id = g_signal_connect (self->device, "report-applied",
                                        G_CALLBACK (on_report_applied), self);
  if (self->history != NULL && self->changed_id == 0)
    self->changed_id = g_signal_connect (self->history, "changed",
                                         G_CALLBACK (on_history_changed), self);
  schedule_reload (self);
}

static void
disconnect (JuiceHistoryView *self)
{
  if (self->device != NULL)
    g_clear_signal_handler (&self->report_id, self->device);
  if (self->history != NULL)
    g_clear_signal_handler (&self->changed_id, self->history);
  g_clear_handle_id (&self->reload_idle, g_source_remove);
  g_clear_handle_id (&self->reload_timeout, g_source_remove);
  g_clear_handle_id (&self->live_timeout, g_source_remove);
}

static void
juice_history_view_unmap (GtkWidget *widget)
{
  disconnect (JUICE_HISTORY_VIEW (widget));

  GTK_WIDGET_CLASS (juice_history_view_parent_class)->unmap (widget);
}

static void
juice_history_view_dispose (GObject *object)
{
  JuiceHistoryView *self = (JuiceHistoryView *)object;
  GtkWidget *child;

  disconnect (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), JUICE_TYPE_HISTORY_VIEW);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->device);
  g_clear_object (&self->history);
  g_clear_pointer (&self->today, g_free);

  G_OBJECT_CLASS (juice_history_view_parent_class)->dispose (object);
}

static void
juice_history_view_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  JuiceHistoryView *self = JUICE_HISTORY_VIEW (object);

  switch (prop_id)
    {
    case PROP_RANGE:
      g_value_set_uint (value, self->range);
      break;

    case PROP_TODAY:
      g_value_set_string (value, self->today);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
juice_history_view_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  JuiceHistoryView *self = JUICE_HISTORY_VIEW (object);

  switch (prop_id)
    {
    case PROP_RANGE:
      if (self->range != g_value_get_uint (value))
        {
          self->range = g_value_get_uint (value);
          g_object_notify_by_pspec (object, pspec);
          if (gtk_widget_get_mapped (GTK_WIDGET (self)))
            schedule_reload (self);
        }
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
juice_history_view_class_init (JuiceHistoryViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = juice_history_view_dispose;
  object_class->get_property = juice_history_view_get_property;
  object_class->set_property = juice_history_view_set_property;
  widget_class->map = juice_history_view_map;
  widget_class->unmap = juice_history_view_unmap;

  /* The power chart's JuiceChartRange: the buttons' history.range. */
  properties[PROP_RANGE] =
    g_param_spec_uint ("range", NULL, NULL, 0, JUICE_N_CHART_RANGES - 1, JUICE_CHART_RANGE_DAY,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_TODAY] =
    g_param_spec_string ("today", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (JUICE_TYPE_POWER_CHART);
  g_type_ensure (JUICE_TYPE_ENERGY_CHART);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/juice-history-view.ui");
  gtk_widget_class_bind_template_child (widget_class, JuiceHistoryView, power_chart);
  gtk_widget_class_bind_template_child (widget_class, JuiceHistoryView, energy_chart);

  /**
   * JuiceHistoryView|history.range:
   *
   * The span the power chart shows (the range buttons).
   */
  gtk_widget_class_install_property_action (widget_class, "history.range", "range");
}

static void
juice_history_view_init (JuiceHistoryView *self)
{
  self->range = JUICE_CHART_RANGE_DAY;
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
juice_history_view_new (JuiceDevice  *device,
                        JuiceHistory *history)
{
  JuiceHistoryView *self;

  g_return_val_if_fail (JUICE_IS_DEVICE (device), NULL);
  g_return_val_if_fail (!history || JUICE_IS_HISTORY (history), NULL);

  self = g_object_new (JUICE_TYPE_HISTORY_VIEW, NULL);
  self->device = g_object_ref (device);
  g_set_object (&self->history, history);

  return GTK_WIDGET (self);
}

JuiceDevice *
juice_history_view_get_device (JuiceHistoryView *self)
{
  g_return_val_if_fail (JUICE_IS_HISTORY_VIEW (self), NULL);

  return self->device;
}

const char *
juice_history_view_get_today (JuiceHistoryView *self)
{
  g_return_val_if_fail (JUICE_IS_HISTORY_VIEW (self), NULL);

  return self->today;
}
