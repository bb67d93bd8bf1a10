/* chart-data.h: a believable power station day after day, for the chart
 * tests and benchmark
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "juice-history.h"

G_BEGIN_DECLS

/* 2026-11-30 18:00 UTC, a Monday: the tests run with TZ=UTC. */
#define CHART_DATA_END 1796061600

/* Samples every @step seconds over [@end − @span, @end]: solar input that
 * peaks at 1,200 W at 13:10 (a little less on other days), a household
 * load on the output, and the charge that follows both. Three GArrays of
 * JuiceHistoryPoint (min == mean == max). */
void chart_data_make (gint64   end,
                      gint64   span,
                      gint64   step,
                      GArray **soc,
                      GArray **watts_in,
                      GArray **watts_out);

/* @n_days of JuiceHistoryDay up to the day of @end, oldest first. */
GArray *chart_data_make_days (gint64 end,
                              guint  n_days);

/* What JuiceHistory's query hands the chart: @points in [@from, @to] as
 * @n_buckets buckets with their min, mean and max. */
GArray *chart_data_decimate (GArray *points,
                             gint64  from,
                             gint64  to,
                             guint   n_buckets);

G_END_DECLS
