/* juice-chart-util.c: what the power and energy charts share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "juice-chart"

#include "config.h"

#include <math.h>

#include <glib/gi18n.h>

#include <adwaita.h>

#include "juice-chart-util.h"

#define DAY (24 * 60 * 60)

static const struct {
  gint64      seconds;
  const char *title;
} ranges[] = {
  { 60 * 60, N_("Last hour") },
  { DAY, N_("Last 24 hours") },
  { 7 * DAY, N_("Last 7 days") },
  { 30 * DAY, N_("Last 30 days") },
};

G_STATIC_ASSERT (G_N_ELEMENTS (ranges) == JUICE_N_CHART_RANGES);

gint64
juice_chart_range_get_seconds (JuiceChartRange range)
{
  g_return_val_if_fail (range < JUICE_N_CHART_RANGES, DAY);

  return ranges[range].seconds;
}

const char *
juice_chart_range_get_title (JuiceChartRange range)
{
  g_return_val_if_fail (range < JUICE_N_CHART_RANGES, NULL);

  return _(ranges[range].title);
}

static void
lookup (GtkStyleContext *context,
        const char      *name,
        const char      *fallback_name,
        GdkRGBA         *color,
        const GdkRGBA   *fallback)
{
  if (gtk_style_context_lookup_color (context, name, color))
    return;
  if (fallback_name != NULL && gtk_style_context_lookup_color (context, fallback_name, color))
    return;
  *color = *fallback;
}

void
juice_chart_colors_lookup (GtkWidget        *widget,
                           JuiceChartColors *colors)
{
  static const GdkRGBA green = { 0.15, 0.64, 0.41, 1 };
  static const GdkRGBA blue = { 0.21, 0.52, 0.89, 1 };
  static const GdkRGBA white = { 1, 1, 1, 1 };
  static const GdkRGBA orange_light = { 0.902, 0.380, 0.0, 1 };   /* the palette's orange 4 */
  static const GdkRGBA orange_dark = { 1.0, 0.639, 0.282, 1 };    /* orange 2 */
  GtkStyleContext *context;
  gboolean dark;

  g_return_if_fail (GTK_IS_WIDGET (widget));

G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  context = gtk_widget_get_style_context (widget);
  gtk_style_context_get_color (context, &colors->fg);
  /* Named colours of the theme: they follow dark mode and the accent. */
  lookup (context, "success_color", NULL, &colors->input, &green);
  /* Output in the palette's orange, as warning_color reads brown on light:
   * the application's own name for it, which the legends use too (style.css,
   * style-dark.css), else the palette's. */
  dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  lookup (context, "juice_output_color", dark ? "orange_2" : "orange_4", &colors->output,
          dark ? &orange_dark : &orange_light);
  lookup (context, "accent_color", "theme_selected_bg_color", &colors->charge, &blue);
  lookup (context, "popover_bg_color", "view_bg_color", &colors->panel, &white);
G_GNUC_END_IGNORE_DEPRECATIONS
}

GdkRGBA
juice_chart_color_alpha (const GdkRGBA *color,
                         double         alpha)
{
  GdkRGBA result = *color;

  result.alpha *= alpha;
  return result;
}

double
juice_chart_nice_step (double max,
                       guint  n_steps,
                       double minimum)
{
  static const double mantissas[] = { 1, 2, 2.5, 5, 10 };
  double raw, magnitude;

  g_return_val_if_fail (n_steps > 0, 1);

  if (!isfinite (max) || max < minimum)
    max = minimum;
  if (max <= 0)
    max = 1;

  raw = max / n_steps;
  magnitude = pow (10, floor (log10 (raw)));
  for (guint i = 0; i < G_N_ELEMENTS (mantissas); i++)
    if (mantissas[i] * magnitude >= raw * (1 - 1e-9))
      return mantissas[i] * magnitude;

  return 10 * magnitude;
}

char *
juice_chart_format_power_axis (double watts)
{
  if (fabs (watts) >= 1000)
    {
      double kw = watts / 1000;

      if (fabs (kw - round (kw)) < 1e-6)
        /* Translators: an axis label in kilowatts, "2 kW" */
        return g_strdup_printf (_("%.0f kW"), kw);
      if (fabs (kw * 10 - round (kw * 10)) < 1e-6)
        /* Translators: an axis label in kilowatts, "1.5 kW" */
        return g_strdup_printf (_("%.1f kW"), kw);
      /* Translators: an axis label in kilowatts, "1.25 kW" */
      return g_strdup_printf (_("%.2f kW"), kw);
    }

  /* Translators: an axis label in watts, "500 W" */
  return g_strdup_printf (_("%.0f W"), watts);
}

char *
juice_chart_format_power (double watts)
{
  if (fabs (watts) >= 1000)
    /* Translators: a power in kilowatts, "1.2 kW" */
    return g_strdup_printf (_("%'.1f kW"), watts / 1000);

  /* Translators: a power in watts, "340 W" */
  return g_strdup_printf (_("%'.0f W"), watts);
}

char *
juice_chart_format_energy (double wh)
{
  if (fabs (wh) >= 100)
    /* Translators: an energy in kilowatt-hours, "3.2 kWh" */
    return g_strdup_printf (_("%'.1f kWh"), wh / 1000);

  /* Translators: an energy in watt-hours, "45 Wh" */
  return g_strdup_printf (_("%'.0f Wh"), wh);
}

static void
clear_tick (gpointer data)
{
  JuiceChartTick *tick = data;

  g_clear_pointer (&tick->label, g_free);
}

static char *
format_day (GDateTime *dt)
{
  /* Translators: a day on a chart's time axis, "Mon 3"; see g_date_time_format() */
  return g_date_time_format (dt, _("%a %-d"));
}

char *
juice_chart_format_time (gint64   time,
                         gboolean with_day)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (time);

  if (dt == NULL)
    return g_strdup ("");

  if (with_day)
    /* Translators: a day and time, "Mon 3, 14:10"; see g_date_time_format() */
    return g_date_time_format (dt, _("%a %-d, %H:%M"));

  /* Translators: a time of day, "14:10"; see g_date_time_format() */
  return g_date_time_format (dt, _("%H:%M"));
}

GArray *
juice_chart_time_ticks (gint64     from,
                        gint64     to,
                        gint64     min_seconds_apart,
                        GTimeZone *tz)
{
  static const gint64 steps[] = {
    60, 5 * 60, 10 * 60, 15 * 60, 30 * 60, 60 * 60, 2 * 60 * 60, 3 * 60 * 60, 6 * 60 * 60,
    12 * 60 * 60, DAY, 2 * DAY, 7 * DAY,
  };
  g_autoptr(GTimeZone) local = NULL;
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) day = NULL;
  GArray *ticks = g_array_new (FALSE, FALSE, sizeof (JuiceChartTick));
  gint64 step = steps[G_N_ELEMENTS (steps) - 1];

  g_array_set_clear_func (ticks, clear_tick);
  if (to <= from)
    return ticks;

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    if (steps[i] >= min_seconds_apart)
      {
        step = steps[i];
        break;
      }

  if (tz == NULL)
    tz = local = g_time_zone_new_local ();

  start = g_date_time_new_from_unix_utc (from);
  if (start == NULL)
    return ticks;
  {
    g_autoptr(GDateTime) in_tz = g_date_time_to_timezone (start, tz);

    day = g_date_time_new (tz, g_date_time_get_year (in_tz), g_date_time_get_month (in_tz),
                           g_date_time_get_day_of_month (in_tz), 0, 0, 0);
  }

  /* Day by day from the first local midnight: ticks stay on round local
   * times across a change of daylight saving time. */
  for (guint n_days = 0; day != NULL && g_date_time_to_unix (day) <= to && n_days < 400; n_days++)
    {
      g_autoptr(GDateTime) next = g_date_time_add_days (day, 1);
      gint64 midnight = g_date_time_to_unix (day);

      if (step >= DAY)
        {
          gboolean wanted = step == DAY ||
                            (step == 7 * DAY && g_date_time_get_day_of_week (day) == 1) ||
                            (step == 2 * DAY && g_date_time_get_day_of_year (day) % 2 == 0);

          if (wanted && midnight >= from)
            {
              JuiceChartTick tick = { midnight, format_day (day) };

              g_array_append_val (ticks, tick);
            }
        }
      else
        {
          gint64 end = next != NULL ? g_date_time_to_unix (next) : midnight + DAY;

          for (gint64 t = midnight; t < end && t <= to; t += step)
            {
              g_autoptr(GDateTime) at = NULL;
              JuiceChartTick tick;

              if (t < from)
                continue;

              at = g_date_time_new_from_unix_utc (t);
              {
                g_autoptr(GDateTime) local_at = g_date_time_to_timezone (at, tz);

                tick.time = t;
                /* Midnight names the day: "Tue 4" where "00:00" would be. */
                tick.label = t == midnight ? format_day (local_at)
                                           : g_date_time_format (local_at, _("%H:%M"));
              }
              g_array_append_val (ticks, tick);
            }
        }

      g_clear_pointer (&day, g_date_time_unref);
      day = g_steal_pointer (&next);
    }

  return ticks;
}
