/* juice-power-chart-private.h: what the chart's state and its drawing share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "juice-power-chart.h"

G_BEGIN_DECLS

/* One pixel column of a series. */
typedef struct
{
  float   min;
  float   max;
  float   sum;
  guint32 n;
} JuiceChartBin;

typedef struct
{
  PangoLayout *layout;
  float        x;
  float        y;
  gint64       time;   /* a time label's tick, -1 for the value axes */
  float        xalign;
} JuiceChartLabel;

struct _JuicePowerChart
{
  GtkWidget         parent_instance;

  /* state */
  JuiceChartRange   range;
  gint64            end_time;
  gint64            cursor_time;
  gboolean          pointer_cursor;  /* placed by the pointer, not the keyboard */
  GArray           *history[JUICE_POWER_CHART_N_SERIES];  /* JuiceHistoryPoint */
  GArray           *live[JUICE_POWER_CHART_N_SERIES];     /* after the recorded ones */
  char             *readout;
  char             *summary;
  gboolean          has_data;

  /* what the last frame was drawn from */
  gboolean          bins_valid;
  gboolean          colors_valid;
  gboolean          any_in_range;
  JuiceChartBin    *bins[JUICE_POWER_CHART_N_SERIES];
  int               n_bins;
  double            power_step;   /* the power axis is 4 steps high */
  graphene_rect_t   plot;
  int               layout_width;
  int               layout_height;
  GArray           *labels;       /* JuiceChartLabel */
  PangoLayout      *message;      /* the empty state */
  JuiceChartColors  colors;
  GskRenderNode    *series_node;  /* the areas and the line, as drawn last */
  int               series_scale;
  double            labels_step;  /* the power step the labels were made for */
  /* Two pixel buffers kept across frames, used in turn: a new frame draws
   * into the one the previous frame's node does not show. */
  cairo_surface_t  *rasters[2];
  guint             next_raster;
};

gint64   _juice_power_chart_get_from      (JuicePowerChart       *self);
gint64   _juice_power_chart_get_tolerance (JuicePowerChart       *self);
gboolean _juice_power_chart_value_at      (JuicePowerChart       *self,
                                           JuicePowerChartSeries  series,
                                           gint64                 time,
                                           double                *value);
void     _juice_power_chart_clear_layouts (JuicePowerChart       *self);
/* juice-power-chart-summary.c: the accessible summary, notified when it changes. */
void     _juice_power_chart_update_summary (JuicePowerChart      *self);
void     _juice_power_chart_free_rasters  (JuicePowerChart       *self);

G_END_DECLS
