/* juice-chart-util.h: what the power and energy charts share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The spans the charts show, newest at the right. */
typedef enum
{
  JUICE_CHART_RANGE_HOUR,
  JUICE_CHART_RANGE_DAY,
  JUICE_CHART_RANGE_WEEK,
  JUICE_CHART_RANGE_MONTH,
  JUICE_N_CHART_RANGES
} JuiceChartRange;

gint64      juice_chart_range_get_seconds (JuiceChartRange range);
/* "Last 24 hours" */
const char *juice_chart_range_get_title   (JuiceChartRange range);

/* The theme's colours for a chart, looked up again when the style changes
 * (light and dark, the accent). */
typedef struct
{
  GdkRGBA fg;
  GdkRGBA input;
  GdkRGBA output;
  GdkRGBA charge;
  GdkRGBA panel;  /* behind the readout */
} JuiceChartColors;

void   juice_chart_colors_lookup     (GtkWidget        *widget,
                                      JuiceChartColors *colors);
GdkRGBA juice_chart_color_alpha      (const GdkRGBA    *color,
                                      double            alpha);

/* A value axis from 0 with @n_steps even steps of 1, 2, 2.5 or 5 × 10^k
 * that reach at least @max (and at least @minimum). Returns the step. */
double juice_chart_nice_step         (double            max,
                                      guint             n_steps,
                                      double            minimum);

/* Axis labels: "0 W", "500 W", "1.5 kW"; "2.4 kWh" (locale decimals). */
char  *juice_chart_format_power_axis (double            watts);
char  *juice_chart_format_power      (double            watts);
char  *juice_chart_format_energy     (double            wh);

/* A time tick: where, and what it reads ("14:00", "Mon 3"). */
typedef struct
{
  gint64  time;
  char   *label;
} JuiceChartTick;

/* Ticks in local time (@tz, NULL: local) between @from and @to, at most
 * about one per @min_seconds_apart, on round times. Free with
 * g_array_unref (the labels go with it). */
GArray *juice_chart_time_ticks       (gint64            from,
                                      gint64            to,
                                      gint64            min_seconds_apart,
                                      GTimeZone        *tz);

/* "14:10", or "Mon 3, 14:10" when @with_day. */
char   *juice_chart_format_time      (gint64            time,
                                      gboolean          with_day);

G_END_DECLS
