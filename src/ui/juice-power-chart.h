/* juice-power-chart.h: input and output power and the charge over time
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "juice-chart-util.h"
#include "juice-history.h"

G_BEGIN_DECLS

typedef enum
{
  JUICE_POWER_CHART_SOC,
  JUICE_POWER_CHART_IN,
  JUICE_POWER_CHART_OUT,
  JUICE_POWER_CHART_N_SERIES
} JuicePowerChartSeries;

#define JUICE_TYPE_POWER_CHART (juice_power_chart_get_type ())

G_DECLARE_FINAL_TYPE (JuicePowerChart, juice_power_chart, JUICE, POWER_CHART, GtkWidget)

/* The chart shows [end-time − range, end-time]: recorded points (from
 * JuiceHistory, already decimated) and, after the newest of them, the live
 * points a report brings. Input and output are filled areas on a power
 * axis, the charge a line on its own 0–100 % axis. It draws at most once a
 * frame whatever the number of points: they are binned to one column per
 * pixel first.
 *
 * Hover or the keyboard (Left, Right, Home, End, Escape) move a cursor
 * whose values are in "readout"; "summary" describes the range in a
 * sentence, and is the accessible description. */
GtkWidget      *juice_power_chart_new             (void);

JuiceChartRange juice_power_chart_get_range       (JuicePowerChart *self);
void            juice_power_chart_set_range       (JuicePowerChart *self,
                                                   JuiceChartRange  range);
gint64          juice_power_chart_get_end_time    (JuicePowerChart *self);
void            juice_power_chart_set_end_time    (JuicePowerChart *self,
                                                   gint64           end_time);
/* Arrays of JuiceHistoryPoint in time order (NULL: none); copied. */
void            juice_power_chart_set_history     (JuicePowerChart *self,
                                                   GArray          *soc,
                                                   GArray          *watts_in,
                                                   GArray          *watts_out);
/* One live sample; also moves end-time to @time when it is later. */
void            juice_power_chart_add_live        (JuicePowerChart *self,
                                                   gint64           time,
                                                   double           soc,
                                                   double           watts_in,
                                                   double           watts_out);
gboolean        juice_power_chart_get_has_data    (JuicePowerChart *self);

/* Unix seconds of the cursor, or -1 when there is none. */
gint64          juice_power_chart_get_cursor_time (JuicePowerChart *self);
void            juice_power_chart_set_cursor_time (JuicePowerChart *self,
                                                   gint64           time);
const char     *juice_power_chart_get_readout     (JuicePowerChart *self);
const char     *juice_power_chart_get_summary     (JuicePowerChart *self);

/* What the snapshot draws, at any size (benchmarks). */
void            juice_power_chart_draw            (JuicePowerChart *self,
                                                   GtkSnapshot     *snapshot,
                                                   int              width,
                                                   int              height);

G_END_DECLS
