/* juice-power-chart-bins.c: the power chart's points binned to pixel columns
 *
 * The columns are fixed in time, not to the end: column g holds the seconds
 * t with g == floor ((t − anchor) × n_bins / span), the anchor a multiple of
 * the span, so a column holds the same seconds whatever the end (it is the
 * same grid for any anchor). A report that moves the end then shifts whole
 * columns out on the left and bins only its own points into the newest
 * columns; the bins come out the same as binning every point again, which
 * happens only for new history, another range or width, or an earlier end.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "juice-power-chart"

#include "config.h"

#include <math.h>
#include <string.h>

#include "juice-power-chart-private.h"

/* The incremental path starts again from all the points once the anchor is
 * this many spans behind the end: the column arithmetic stays small. */
#define MAX_ANCHOR_SPANS 64

static gint64
floor_div (gint64 a,
           gint64 b)
{
  gint64 q = a / b;

  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static gint64
column_of (JuicePowerChart *self,
           gint64           span,
           gint64           time)
{
  return floor_div ((time - self->anchor) * self->n_bins, span);
}

/* The first second of @column. */
static gint64
column_start (JuicePowerChart *self,
              gint64           span,
              gint64           column)
{
  return self->anchor - floor_div (-column * span, self->n_bins);
}

guint
_juice_power_chart_first_at (GArray *points,
                             gint64  time)
{
  guint lo = 0, hi = points->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (g_array_index (points, JuiceHistoryPoint, mid).time < time)
        lo = mid + 1;
      else
        hi = mid;
    }

  return lo;
}

/* The points of [@from, @to] into the bins of their columns: recorded ones
 * first, then live ones, which are all later, so a column sums its points
 * in time order however they came. */
static void
bin_points (JuicePowerChart *self,
            gint64           span,
            gint64           from,
            gint64           to)
{
  for (guint s = 0; s < JUICE_POWER_CHART_N_SERIES; s++)
    {
      GArray *arrays[2] = { self->history[s], self->live[s] };
      JuiceChartBin *bins = self->bins[s];

      for (guint a = 0; a < G_N_ELEMENTS (arrays); a++)
        {
          const JuiceHistoryPoint *points = (const JuiceHistoryPoint *) arrays[a]->data;
          guint len = arrays[a]->len;

          for (guint i = _juice_power_chart_first_at (arrays[a], from); i < len && points[i].time <= to; i++)
            {
              const JuiceHistoryPoint *p = &points[i];
              gint64 column = column_of (self, span, p->time) - self->first_column;
              JuiceChartBin *bin;

              /* The range starts inside the column before the first. */
              if (column < 0)
                continue;
              if (column >= self->n_bins)
                break;

              bin = &bins[column];
              if (bin->n == 0 || p->min < bin->min)
                bin->min = p->min;
              if (bin->n == 0 || p->max > bin->max)
                bin->max = p->max;
              bin->sum += p->mean;
              bin->n++;
            }
        }
    }
}

static void
mark_dirty (JuicePowerChart *self,
            gint64           from_column,
            gint64           to_column)
{
  self->dirty_from = MIN (self->dirty_from, from_column);
  self->dirty_to = MAX (self->dirty_to, to_column);
}

/* The power axis and whether anything is shown, from the bins. */
static void
update_axis (JuicePowerChart *self)
{
  double max_power = 0;

  self->any_in_range = FALSE;
  for (guint s = 0; s < JUICE_POWER_CHART_N_SERIES; s++)
    {
      const JuiceChartBin *bins = self->bins[s];

      for (int c = 0; c < self->n_bins; c++)
        {
          if (bins[c].n == 0)
            continue;
          self->any_in_range = TRUE;
          if (s != JUICE_POWER_CHART_SOC)
            max_power = MAX (max_power, bins[c].max);
        }
    }

  self->power_step = juice_chart_nice_step (max_power, JUICE_POWER_CHART_N_STEPS, 100);
}

static void
rebin_all (JuicePowerChart *self,
           gint64           span)
{
  self->anchor = floor_div (self->end_time, span) * span;
  self->first_column = column_of (self, span, self->end_time) - self->n_bins + 1;
  for (guint s = 0; s < JUICE_POWER_CHART_N_SERIES; s++)
    memset (self->bins[s], 0, sizeof (JuiceChartBin) * self->n_bins);

  bin_points (self, span, self->end_time - span, self->end_time);

  self->binned_end = self->end_time;
  self->binned_range = self->range;
  self->bins_valid = TRUE;
  self->changed_from = G_MAXINT64;
  self->changed_to = G_MININT64;
  self->raster_valid = FALSE;
}

/* Columns [@from_column, @to_column] from their points again. */
static void
rebin_columns (JuicePowerChart *self,
               gint64           span,
               gint64           from_column,
               gint64           to_column)
{
  from_column = MAX (from_column, self->first_column);
  to_column = MIN (to_column, self->first_column + self->n_bins - 1);
  if (from_column > to_column)
    return;

  for (guint s = 0; s < JUICE_POWER_CHART_N_SERIES; s++)
    memset (self->bins[s] + (from_column - self->first_column), 0,
            sizeof (JuiceChartBin) * (to_column - from_column + 1));

  bin_points (self, span,
              MAX (column_start (self, span, from_column), self->end_time - span),
              MIN (column_start (self, span, to_column + 1) - 1, self->end_time));
  mark_dirty (self, from_column, to_column);
}

/* The end moved on from binned_end: the columns shift, and only the points
 * after the old end are binned. */
static void
advance (JuicePowerChart *self,
         gint64           span)
{
  gint64 last = self->first_column + self->n_bins - 1;
  gint64 first = column_of (self, span, self->end_time) - self->n_bins + 1;
  gint64 shift = first - self->first_column;

  g_assert (shift >= 0 && shift < self->n_bins);

  if (shift > 0)
    for (guint s = 0; s < JUICE_POWER_CHART_N_SERIES; s++)
      {
        memmove (self->bins[s], self->bins[s] + shift,
                 sizeof (JuiceChartBin) * (self->n_bins - shift));
        memset (self->bins[s] + (self->n_bins - shift), 0, sizeof (JuiceChartBin) * shift);
      }
  self->first_column = first;

  bin_points (self, span, self->binned_end + 1, self->end_time);
  /* The old last column may have taken points, the new ones are new. */
  mark_dirty (self, last, first + self->n_bins - 1);
  self->binned_end = self->end_time;
}

gboolean
_juice_power_chart_update_bins (JuicePowerChart *self,
                                int              n_bins)
{
  gint64 span = juice_chart_range_get_seconds (self->range);
  gint64 end = self->end_time;
  gboolean changed = FALSE;

  g_return_val_if_fail (n_bins > 0, FALSE);

  if (n_bins != self->n_bins)
    {
      for (guint s = 0; s < JUICE_POWER_CHART_N_SERIES; s++)
        {
          g_free (self->bins[s]);
          self->bins[s] = g_new0 (JuiceChartBin, n_bins);
        }
      self->n_bins = n_bins;
      self->bins_valid = FALSE;
    }

  if (!self->bins_valid || self->binned_range != self->range || end < self->binned_end ||
      end - self->anchor > MAX_ANCHOR_SPANS * span ||
      column_of (self, span, end) - self->n_bins + 1 - self->first_column >= self->n_bins)
    {
      rebin_all (self, span);
      changed = TRUE;
    }
  else
    {
      if (end > self->binned_end)
        {
          advance (self, span);
          changed = TRUE;
        }
      if (self->changed_from <= self->changed_to)
        {
          gint64 from = MAX (self->changed_from, end - span);
          gint64 to = MIN (self->changed_to, end);

          if (from <= to)
            {
              rebin_columns (self, span, column_of (self, span, from), column_of (self, span, to));
              changed = TRUE;
            }
        }
    }
  self->changed_from = G_MAXINT64;
  self->changed_to = G_MININT64;

  if (changed)
    update_axis (self);

  return changed;
}

void
_juice_power_chart_points_changed (JuicePowerChart *self,
                                   gint64           time)
{
  self->changed_from = MIN (self->changed_from, time);
  self->changed_to = MAX (self->changed_to, time);
}

int
_juice_power_chart_gap_columns (JuicePowerChart *self)
{
  gint64 span = juice_chart_range_get_seconds (self->range);
  gint64 gap = 2 * _juice_power_chart_get_tolerance (self);

  return MAX (2, (int) ceil ((double) gap * self->n_bins / span));
}
