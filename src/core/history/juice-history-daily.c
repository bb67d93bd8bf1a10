/* juice-history-daily.c: energy in and out per local day
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "juice-history"

#include <string.h>

#include <glib/gi18n.h>

#include "juice-history-private.h"

enum { KIND_SOLAR_IN, KIND_AC_IN, KIND_CAR_IN, KIND_AC_OUT, KIND_DC_OUT, N_KINDS };

G_STATIC_ASSERT ((int) N_KINDS == (int) JUICE_HISTORY_N_COUNTERS);

typedef struct
{
  double   wh[N_KINDS];
  gboolean from_counter[N_KINDS];
  gboolean any;
} Day;

/* Index of the day holding @time, or -1 outside. @starts has n + 1 entries. */
static int
find_day (const gint64 *starts,
          guint         n,
          gint64        time)
{
  guint lo = 0, hi = n;

  if (time < starts[0] || time >= starts[n])
    return -1;

  while (hi - lo > 1)
    {
      guint mid = (lo + hi) / 2;

      if (starts[mid] <= time)
        lo = mid;
      else
        hi = mid;
    }

  return lo;
}

static GDateTime *
midnight (GDateTime *dt)
{
  return g_date_time_new (g_date_time_get_timezone (dt), g_date_time_get_year (dt),
                          g_date_time_get_month (dt), g_date_time_get_day_of_month (dt), 0, 0, 0);
}

static gboolean
add_counter (JuiceHistory *self,
             gint64        device,
             guint         counter,
             const gint64 *starts,
             guint         n_days,
             Day          *days,
             GError      **error)
{
  sqlite3_stmt *stmt;
  gboolean have_prev = FALSE;
  double prev_last = 0;
  int rc;

  /* The last reading before the first day: what the first day starts from. */
  stmt = _juice_history_read_stmt (self,
    "SELECT last FROM counters WHERE device = ?1 AND counter = ?2 AND time < ?3"
    " ORDER BY time DESC LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, device);
  sqlite3_bind_int (stmt, 2, counter);
  sqlite3_bind_int64 (stmt, 3, starts[0]);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      prev_last = sqlite3_column_double (stmt, 0);
      have_prev = TRUE;
    }
  sqlite3_reset (stmt);

  stmt = _juice_history_read_stmt (self,
    "SELECT time, first, last FROM counters WHERE device = ?1 AND counter = ?2"
    " AND time >= ?3 AND time < ?4 ORDER BY time", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, device);
  sqlite3_bind_int (stmt, 2, counter);
  sqlite3_bind_int64 (stmt, 3, starts[0]);
  sqlite3_bind_int64 (stmt, 4, starts[n_days]);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 time = sqlite3_column_int64 (stmt, 0);
      double first = sqlite3_column_double (stmt, 1);
      double last = sqlite3_column_double (stmt, 2);
      int d = find_day (starts, n_days, time);
      double wh = 0;

      /* A counter that went down was reset (or replaced): count from there. */
      if (have_prev && first >= prev_last)
        wh += first - prev_last;
      if (last >= first)
        wh += last - first;
      prev_last = last;
      have_prev = TRUE;

      if (d < 0)
        continue;
      if (!days[d].from_counter[counter])
        days[d].wh[counter] = 0;
      days[d].wh[counter] += wh;
      days[d].from_counter[counter] = TRUE;
      days[d].any = TRUE;
    }
  if (rc != SQLITE_DONE)
    _juice_history_set_sqlite_error (error, self->read_db, _("Reading the history"));
  sqlite3_reset (stmt);

  return rc == SQLITE_DONE;
}

/* Wh of a power series per day, from its 5-minute aggregates. */
static gboolean
integrate (JuiceHistory       *self,
           gint64              device,
           JuiceHistorySeries  series,
           const gint64       *starts,
           guint               n_days,
           double             *wh,
           gboolean           *any,
           GError            **error)
{
  g_autoptr(GArray) rows = NULL;

  rows = _juice_history_read_rows (self, device, series, starts[0], starts[n_days] - 1, TRUE, error);
  if (rows == NULL)
    return FALSE;

  for (guint i = 0; i < rows->len; i++)
    {
      const JuiceHistoryRow *row = &g_array_index (rows, JuiceHistoryRow, i);
      int d = find_day (starts, n_days, row->time);
      double seconds = MIN (JUICE_HISTORY_AGGREGATE_S, (double) row->n * JUICE_HISTORY_SLOT_S);

      if (d < 0)
        continue;
      wh[d] += row->mean * seconds / 3600.0;
      any[d] = TRUE;
    }

  return TRUE;
}

static gboolean
fill_days (JuiceHistory *self,
           gint64        device,
           const gint64 *starts,
           guint         n_days,
           Day          *days,
           GError      **error)
{
  static const JuiceHistorySeries kind_series[N_KINDS] = {
    [KIND_SOLAR_IN] = JUICE_HISTORY_SERIES_SOLAR_IN,
    [KIND_AC_IN] = JUICE_HISTORY_SERIES_AC_IN,
    [KIND_CAR_IN] = JUICE_HISTORY_SERIES_WATTS_IN,  /* minus solar and AC, below */
    [KIND_AC_OUT] = JUICE_HISTORY_SERIES_AC_OUT,
    [KIND_DC_OUT] = JUICE_HISTORY_SERIES_DC_OUT,
  };
  g_autofree double *integrated = g_new0 (double, (gsize) n_days * N_KINDS);
  g_autofree gboolean *present = g_new0 (gboolean, (gsize) n_days * N_KINDS);

  for (guint k = 0; k < N_KINDS; k++)
    {
      if (!add_counter (self, device, k, starts, n_days, days, error))
        return FALSE;
      if (!integrate (self, device, kind_series[k], starts, n_days,
                      integrated + (gsize) k * n_days, present + (gsize) k * n_days, error))
        return FALSE;
    }

  for (guint d = 0; d < n_days; d++)
    for (guint k = 0; k < N_KINDS; k++)
      {
        double wh = integrated[k * n_days + d];

        if (days[d].from_counter[k] || !present[k * n_days + d])
          continue;
        if (k == KIND_CAR_IN)
          wh = MAX (0, wh - integrated[KIND_SOLAR_IN * n_days + d]
                       - integrated[KIND_AC_IN * n_days + d]);
        days[d].wh[k] = wh;
        days[d].any = TRUE;
      }

  return TRUE;
}

GArray *
juice_history_query_daily (JuiceHistory  *self,
                           const char    *serial_number,
                           GTimeZone     *tz,
                           gint64         from,
                           gint64         to,
                           GError       **error)
{
  g_autoptr(GTimeZone) local = NULL;
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) zoned = NULL;
  g_autoptr(GDateTime) day = NULL;
  g_autoptr(GArray) starts = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree Day *days = NULL;
  GArray *result = g_array_new (FALSE, FALSE, sizeof (JuiceHistoryDay));
  gint64 device;
  guint n_days;
  gboolean ok = TRUE;

  g_return_val_if_fail (JUICE_IS_HISTORY (self), NULL);
  g_return_val_if_fail (serial_number != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (to < from)
    return result;
  if (tz == NULL)
    tz = local = g_time_zone_new_local ();

  /* Local midnights from the day of @from to the one after @to's day. */
  utc = g_date_time_new_from_unix_utc (from);
  if (utc == NULL)
    return result;
  zoned = g_date_time_to_timezone (utc, tz);
  day = midnight (zoned);
  while (day != NULL)
    {
      gint64 start = g_date_time_to_unix (day);
      g_autoptr(GDateTime) next = NULL;

      g_array_append_val (starts, start);
      if (start > to || starts->len > 100000)
        break;
      next = g_date_time_add_hours (day, 36);  /* past the next midnight, DST or not */
      g_clear_pointer (&day, g_date_time_unref);
      day = next != NULL ? midnight (next) : NULL;
    }
  if (starts->len < 2)
    return result;

  n_days = starts->len - 1;
  days = g_new0 (Day, n_days);

  g_mutex_lock (&self->read_lock);
  device = _juice_history_device_id (self, serial_number);
  if (device >= 0)
    ok = fill_days (self, device, (const gint64 *) starts->data, n_days, days, error);
  g_mutex_unlock (&self->read_lock);

  if (!ok)
    {
      g_array_unref (result);
      return NULL;
    }

  for (guint d = 0; d < n_days; d++)
    {
      JuiceHistoryDay out;

      if (!days[d].any)
        continue;
      out.day_start = g_array_index (starts, gint64, d);
      out.wh_in_solar = days[d].wh[KIND_SOLAR_IN];
      out.wh_in_ac = days[d].wh[KIND_AC_IN];
      out.wh_in_car = days[d].wh[KIND_CAR_IN];
      out.wh_out_ac = days[d].wh[KIND_AC_OUT];
      out.wh_out_dc = days[d].wh[KIND_DC_OUT];
      g_array_append_val (result, out);
    }

  return result;
}

gboolean
juice_history_query_today (JuiceHistory     *self,
                           const char       *serial_number,
                           JuiceHistoryDay  *day,
                           GError          **error)
{
  g_autoptr(GArray) days = NULL;
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) midnight_today = NULL;

  g_return_val_if_fail (JUICE_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (serial_number != NULL, FALSE);
  g_return_val_if_fail (day != NULL, FALSE);

  utc = g_date_time_new_from_unix_utc (juice_history_now (self));
  g_return_val_if_fail (utc != NULL, FALSE);
  now = g_date_time_to_timezone (utc, local);
  midnight_today = midnight (now);

  days = juice_history_query_daily (self, serial_number, local, g_date_time_to_unix (now),
                                    g_date_time_to_unix (now), error);
  if (days == NULL)
    return FALSE;

  if (days->len > 0)
    {
      *day = g_array_index (days, JuiceHistoryDay, 0);
    }
  else
    {
      memset (day, 0, sizeof *day);
      day->day_start = g_date_time_to_unix (midnight_today);
    }

  return TRUE;
}
