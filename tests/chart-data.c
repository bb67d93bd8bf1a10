/* chart-data.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <math.h>

#include "chart-data.h"

#define DAY (24 * 60 * 60)

/* Hours since the day's midnight (UTC). */
static double
hour_of (gint64 t)
{
  return (double) (((t % DAY) + DAY) % DAY) / 3600.0;
}

/* Each day a little different: clouds. */
static double
day_factor (gint64 t)
{
  gint64 day = t / DAY;

  return day == CHART_DATA_END / DAY ? 1.0 : 0.55 + 0.4 * fabs (sin (day * 1.7));
}

static double
solar (gint64 t)
{
  double h = hour_of (t) - (13 + 10 / 60.0);

  if (fabs (h) > 6)
    return 0;
  return 1200 * day_factor (t) * exp (-h * h / 8.0);
}

static double
load (gint64 t)
{
  double h = hour_of (t);
  double base = 70 + 20 * sin (t / 700.0);

  /* A kettle in the morning, cooking and a heater in the evening. */
  if (h >= 7.5 && h < 7.75)
    base += 1500;
  if (h >= 18 && h < 21)
    base += 380 + 120 * sin (t / 300.0);
  if (h >= 12 && h < 12.5)
    base += 650;
  return round (base);
}

void
chart_data_make (gint64   end,
                 gint64   span,
                 gint64   step,
                 GArray **soc,
                 GArray **watts_in,
                 GArray **watts_out)
{
  double charge = 82;

  *soc = g_array_new (FALSE, FALSE, sizeof (JuiceHistoryPoint));
  *watts_in = g_array_new (FALSE, FALSE, sizeof (JuiceHistoryPoint));
  *watts_out = g_array_new (FALSE, FALSE, sizeof (JuiceHistoryPoint));

  /* Start on a multiple of the step, so that 13:10 is a sample. */
  for (gint64 t = (end - span) / step * step; t <= end; t += step)
    {
      double in = solar (t), out = load (t);
      JuiceHistoryPoint p;

      /* A 3.6 kWh battery. */
      charge = CLAMP (charge + (in - out) * step / 3600.0 / 3600.0 * 100, 5, 100);
      if (charge <= 5)
        out = 0;

      p = (JuiceHistoryPoint) { t, in, in, in };
      g_array_append_val (*watts_in, p);
      p = (JuiceHistoryPoint) { t, out, out, out };
      g_array_append_val (*watts_out, p);
      p = (JuiceHistoryPoint) { t, round (charge), round (charge), round (charge) };
      g_array_append_val (*soc, p);
    }
}

GArray *
chart_data_make_days (gint64 end,
                      guint  n_days)
{
  GArray *days = g_array_new (FALSE, FALSE, sizeof (JuiceHistoryDay));
  gint64 last = end / DAY * DAY;

  for (gint64 d = last - (gint64) (n_days - 1) * DAY; d <= last; d += DAY)
    {
      JuiceHistoryDay day = { 0 };
      double f = day_factor (d + DAY / 2);

      day.day_start = d;
      day.wh_in_solar = round (5400 * f);
      day.wh_in_ac = (d / DAY) % 6 == 0 ? 1800 : 0;
      day.wh_in_car = (d / DAY) % 9 == 0 ? 400 : 0;
      day.wh_out_ac = round (2300 + 900 * fabs (cos (d / DAY * 0.9)));
      day.wh_out_dc = 350;
      g_array_append_val (days, day);
    }

  return days;
}

GArray *
chart_data_decimate (GArray *points,
                     gint64  from,
                     gint64  to,
                     guint   n_buckets)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (JuiceHistoryPoint));
  JuiceHistoryPoint bucket = { 0 };
  gint64 current = -1;
  guint n = 0;

  for (guint i = 0; i <= points->len; i++)
    {
      const JuiceHistoryPoint *p = i < points->len ? &g_array_index (points, JuiceHistoryPoint, i)
                                                   : NULL;
      gint64 index = p != NULL ? (p->time - from) * n_buckets / MAX (1, to - from) : -2;

      if (p != NULL && (p->time < from || p->time > to))
        continue;
      if (index != current && n > 0)
        {
          bucket.mean /= n;
          g_array_append_val (out, bucket);
          n = 0;
        }
      if (p == NULL)
        break;
      if (n == 0)
        bucket = (JuiceHistoryPoint) { p->time, p->min, 0, p->max };
      bucket.min = MIN (bucket.min, p->min);
      bucket.max = MAX (bucket.max, p->max);
      bucket.mean += p->mean;
      current = index;
      n++;
    }

  return out;
}
