/* juice-energy-chart.h: energy in and out, day by day
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "juice-history.h"

G_BEGIN_DECLS

#define JUICE_ENERGY_CHART_N_DAYS 30

#define JUICE_TYPE_ENERGY_CHART (juice_energy_chart_get_type ())

G_DECLARE_FINAL_TYPE (JuiceEnergyChart, juice_energy_chart, JUICE, ENERGY_CHART, GtkWidget)

/* A pair of bars per day for the last 30 days up to the day of the newest
 * JuiceHistoryDay: Wh in (solar, AC, car) and Wh out (AC, DC). Hover or
 * Left/Right pick a day whose figures are in "readout"; "summary" is the
 * accessible description. */
GtkWidget  *juice_energy_chart_new         (void);
/* A GArray of JuiceHistoryDay, oldest first (NULL: none); copied. */
void        juice_energy_chart_set_days    (JuiceEnergyChart *self,
                                            GArray           *days);
/* The day picked, 0 the oldest shown, -1 none. */
int         juice_energy_chart_get_cursor  (JuiceEnergyChart *self);
void        juice_energy_chart_set_cursor  (JuiceEnergyChart *self,
                                            int               day);
/* The column (0 the oldest of the 30 days, 29 the newest) of the @day-th
 * JuiceHistoryDay, by its date; -1 when it is older than the chart shows. */
int         juice_energy_chart_get_column  (JuiceEnergyChart *self,
                                            int               day);
const char *juice_energy_chart_get_readout (JuiceEnergyChart *self);
const char *juice_energy_chart_get_summary (JuiceEnergyChart *self);

double      juice_history_day_get_wh_in    (const JuiceHistoryDay *day);
double      juice_history_day_get_wh_out   (const JuiceHistoryDay *day);

G_END_DECLS
