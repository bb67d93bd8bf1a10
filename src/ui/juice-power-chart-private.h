/* juice-power-chart-private.h: what the chart's state and its drawing share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "juice-power-chart.h"

G_BEGIN_DECLS

/* The power axis is this many steps high. */
#define JUICE_POWER_CHART_N_STEPS 4

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

  /* The columns (juice-power-chart-bins.c), on a grid fixed in time:
   * column g holds the seconds t with g == floor ((t − anchor) × n_bins /
   * span), so that a later end shifts whole columns and only the newest
   * ones take new points. */
  gboolean          bins_valid;     /* FALSE: binned again from all points */
  JuiceChartBin    *bins[JUICE_POWER_CHART_N_SERIES];  /* n_bins each, the oldest first */
  int               n_bins;
  gint64            anchor;         /* a multiple of the span */
  gint64            first_column;   /* the column of bins[s][0] */
  gint64            binned_end;     /* the end the bins hold the points up to */
  JuiceChartRange   binned_range;
  gint64            changed_from;   /* live points changed in place: their */
  gint64            changed_to;     /* times, binned again in the next frame */
  gboolean          any_in_range;
  double            power_step;     /* the power axis is 4 steps high */

  /* The picture of the series (juice-power-chart-raster.c): one column of
   * pixels per bin, kept across frames and shifted with the bins, so that a
   * later end paints only the columns that changed. */
  cairo_surface_t  *raster;
  gboolean          raster_valid;   /* FALSE: every column painted again */
  gint64            dirty_from;     /* the columns whose bins changed since */
  gint64            dirty_to;
  gint64            raster_first;   /* the first column it was painted for */
  double            raster_step;    /* the power step it was painted for */
  int               raster_scale;
  GskRenderNode    *series_node;    /* the raster as the last frame showed it */

  /* what the last frame was drawn from */
  gboolean          colors_valid;
  graphene_rect_t   plot;
  int               layout_width;
  int               layout_height;
  GArray           *labels;       /* JuiceChartLabel */
  PangoLayout      *message;      /* the empty state */
  PangoLayout      *readout_layout;
  JuiceChartColors  colors;
  double            labels_step;  /* the power step the labels were made for */
};

gint64   _juice_power_chart_get_from       (JuicePowerChart       *self);
gint64   _juice_power_chart_get_tolerance  (JuicePowerChart       *self);
gboolean _juice_power_chart_value_at       (JuicePowerChart       *self,
                                            JuicePowerChartSeries  series,
                                            gint64                 time,
                                            double                *value);
void     _juice_power_chart_clear_layouts  (JuicePowerChart       *self);
/* juice-power-chart-summary.c: the accessible summary, notified when it changes. */
void     _juice_power_chart_update_summary (JuicePowerChart       *self);

/* juice-power-chart-bins.c: brings the bins to the points, the range and
 * the end, binning only what changed when it can. Returns TRUE when any
 * bin changed. */
gboolean _juice_power_chart_update_bins    (JuicePowerChart       *self,
                                            int                    n_bins);
/* The points changed at @time, in place: that column is binned again. */
void     _juice_power_chart_points_changed (JuicePowerChart       *self,
                                            gint64                 time);
/* The index of the first of @points (sorted by time) at or after @time. */
guint    _juice_power_chart_first_at       (GArray                *points,
                                            gint64                 time);
/* Columns further apart than this are not joined by the lines. */
int      _juice_power_chart_gap_columns    (JuicePowerChart       *self);

/* juice-power-chart-draw.c: where a value is in the widget. */
float    _juice_power_chart_power_y        (JuicePowerChart       *self,
                                            double                 watts);
float    _juice_power_chart_soc_y          (JuicePowerChart       *self,
                                            double                 soc);

/* juice-power-chart-raster.c */
void     _juice_power_chart_draw_series    (JuicePowerChart       *self,
                                            GtkSnapshot           *snapshot);
void     _juice_power_chart_free_raster    (JuicePowerChart       *self);
/* The pixels of visible column @column (0 is the oldest), @scale wide:
 * premultiplied ARGB, @stride between rows (tests). */
const guint32 *_juice_power_chart_get_column_pixels (JuicePowerChart *self,
                                                      int              column,
                                                      int             *stride);

G_END_DECLS
