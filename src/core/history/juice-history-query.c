/* juice-history-query.c: ranges of samples, decimated so that peaks survive
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "juice-history"

#include <glib/gi18n.h>

#include "juice-history-private.h"

/* A statement on the read connection, prepared once; the caller holds
 * read_lock and resets it. @sql is a string literal (its address is the key). */
sqlite3_stmt *
_juice_history_read_stmt (JuiceHistory  *self,
                          const char    *sql,
                          GError       **error)
{
  sqlite3_stmt *stmt;

  if (self->statements == NULL)
    self->statements = g_hash_table_new_full (NULL, NULL, NULL,
                                              (GDestroyNotify) sqlite3_finalize);

  stmt = g_hash_table_lookup (self->statements, sql);
  if (stmt == NULL)
    {
      stmt = _juice_history_prepare (self->read_db, sql, error);
      if (stmt != NULL)
        g_hash_table_insert (self->statements, (gpointer) sql, stmt);
    }

  return stmt;
}

static void
done (sqlite3_stmt *stmt)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

gint64
_juice_history_device_id (JuiceHistory *self,
                          const char   *serial_number)
{
  sqlite3_stmt *stmt;
  gint64 id = -1;

  stmt = _juice_history_read_stmt (self, "SELECT id FROM devices WHERE serial_number = ?1", NULL);
  if (stmt == NULL)
    return -1;

  sqlite3_bind_text (stmt, 1, serial_number, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    id = sqlite3_column_int64 (stmt, 0);
  done (stmt);

  return id;
}

gint64
_juice_history_raw_cutoff (gint64 now)
{
  gint64 cutoff = now - JUICE_HISTORY_RAW_KEEP_S;

  return cutoff - cutoff % JUICE_HISTORY_AGGREGATE_S;
}

static gboolean
read_aggregates (JuiceHistory        *self,
                 gint64               device,
                 JuiceHistorySeries   series,
                 gint64               from,
                 gint64               to,
                 GArray              *rows,
                 GError             **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _juice_history_read_stmt (self,
    "SELECT time, min, sum, max, n FROM aggregates"
    " WHERE device = ?1 AND series = ?2 AND time >= ?3 AND time <= ?4 ORDER BY time", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, device);
  sqlite3_bind_int (stmt, 2, series);
  sqlite3_bind_int64 (stmt, 3, from);
  sqlite3_bind_int64 (stmt, 4, to);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      JuiceHistoryRow row;
      gint64 n = sqlite3_column_int64 (stmt, 4);

      row.time = sqlite3_column_int64 (stmt, 0);
      row.min = sqlite3_column_double (stmt, 1);
      row.mean = n > 0 ? sqlite3_column_double (stmt, 2) / n : 0;
      row.max = sqlite3_column_double (stmt, 3);
      row.n = (guint) CLAMP (n, 1, G_MAXUINT);
      g_array_append_val (rows, row);
    }
  if (rc != SQLITE_DONE)
    _juice_history_set_sqlite_error (error, self->read_db, _("Reading the history"));
  done (stmt);

  return rc == SQLITE_DONE;
}

static gboolean
read_samples (JuiceHistory        *self,
              gint64               device,
              JuiceHistorySeries   series,
              gint64               from,
              gint64               to,
              GArray              *rows,
              GError             **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = _juice_history_read_stmt (self,
    "SELECT time, value FROM samples"
    " WHERE device = ?1 AND series = ?2 AND time >= ?3 AND time <= ?4 ORDER BY time", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, device);
  sqlite3_bind_int (stmt, 2, series);
  sqlite3_bind_int64 (stmt, 3, from);
  sqlite3_bind_int64 (stmt, 4, to);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      JuiceHistoryRow row;

      row.time = sqlite3_column_int64 (stmt, 0);
      row.min = row.mean = row.max = sqlite3_column_double (stmt, 1);
      row.n = 1;
      g_array_append_val (rows, row);
    }
  if (rc != SQLITE_DONE)
    _juice_history_set_sqlite_error (error, self->read_db, _("Reading the history"));
  done (stmt);

  return rc == SQLITE_DONE;
}

GArray *
_juice_history_read_rows (JuiceHistory        *self,
                          gint64               device,
                          JuiceHistorySeries   series,
                          gint64               from,
                          gint64               to,
                          gboolean             aggregates_only,
                          GError             **error)
{
  g_autoptr(GArray) rows = g_array_new (FALSE, FALSE, sizeof (JuiceHistoryRow));
  gint64 cutoff = _juice_history_raw_cutoff (juice_history_now (self));

  if (aggregates_only)
    {
      if (!read_aggregates (self, device, series, from - from % JUICE_HISTORY_AGGREGATE_S, to,
                            rows, error))
        return NULL;
      return g_steal_pointer (&rows);
    }

  /* Older than the raw samples' 30 days: their 5-minute aggregates. */
  if (from < cutoff
      && !read_aggregates (self, device, series, from, MIN (to, cutoff - 1), rows, error))
    return NULL;
  if (to >= cutoff
      && !read_samples (self, device, series, MAX (from, cutoff), to, rows, error))
    return NULL;

  return g_steal_pointer (&rows);
}

GArray *
_juice_history_decimate (GArray *rows,
                         gint64  from,
                         gint64  to,
                         guint   max_points)
{
  GArray *points = g_array_sized_new (FALSE, FALSE, sizeof (JuiceHistoryPoint),
                                      MIN (rows->len, max_points));
  gint64 width;
  gint64 current = -1;
  double weight = 0;

  if (rows->len <= max_points)
    {
      for (guint i = 0; i < rows->len; i++)
        {
          const JuiceHistoryRow *row = &g_array_index (rows, JuiceHistoryRow, i);
          JuiceHistoryPoint point = { row->time, row->min, row->mean, row->max };

          g_array_append_val (points, point);
        }
      return points;
    }

  width = MAX (1, (to - from + max_points) / max_points);
  for (guint i = 0; i < rows->len; i++)
    {
      const JuiceHistoryRow *row = &g_array_index (rows, JuiceHistoryRow, i);
      gint64 bucket = CLAMP ((row->time - from) / width, 0, (gint64) max_points - 1);
      JuiceHistoryPoint *point;

      if (bucket != current)
        {
          JuiceHistoryPoint fresh = { row->time, row->min, row->mean, row->max };

          g_array_append_val (points, fresh);
          current = bucket;
          weight = row->n;
          continue;
        }

      point = &g_array_index (points, JuiceHistoryPoint, points->len - 1);
      point->min = MIN (point->min, row->min);
      point->max = MAX (point->max, row->max);
      point->mean = (point->mean * weight + row->mean * row->n) / (weight + row->n);
      weight += row->n;
    }

  return points;
}

GArray *
juice_history_query (JuiceHistory        *self,
                     const char          *serial_number,
                     JuiceHistorySeries   series,
                     gint64               from,
                     gint64               to,
                     guint                max_points,
                     GError             **error)
{
  g_autoptr(GArray) rows = NULL;
  gint64 device;

  g_return_val_if_fail (JUICE_IS_HISTORY (self), NULL);
  g_return_val_if_fail (serial_number != NULL, NULL);
  g_return_val_if_fail (series < JUICE_HISTORY_N_SERIES, NULL);
  g_return_val_if_fail (max_points > 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (to < from)
    return g_array_new (FALSE, FALSE, sizeof (JuiceHistoryPoint));

  g_mutex_lock (&self->read_lock);
  device = _juice_history_device_id (self, serial_number);
  if (device >= 0)
    rows = _juice_history_read_rows (self, device, series, from, to,
                                     (to - from) / max_points >= JUICE_HISTORY_AGGREGATE_S,
                                     error);
  else
    rows = g_array_new (FALSE, FALSE, sizeof (JuiceHistoryRow));
  g_mutex_unlock (&self->read_lock);

  if (rows == NULL)
    return NULL;

  return _juice_history_decimate (rows, from, to, max_points);
}

/* The first or last time of one series: its raw samples', else (past
 * their 30 days) the start of its oldest 5-minute aggregate. */
static gboolean
series_bound (JuiceHistory *self,
              gint64        device,
              guint         series,
              gboolean      last,
              gint64       *time)
{
  static const char * const sql[2][2] = {
    { "SELECT min (time) FROM samples WHERE device = ?1 AND series = ?2",
      "SELECT min (time) FROM aggregates WHERE device = ?1 AND series = ?2" },
    { "SELECT max (time) FROM samples WHERE device = ?1 AND series = ?2",
      "SELECT max (time) FROM aggregates WHERE device = ?1 AND series = ?2" },
  };
  gint64 found[2];
  gboolean have[2] = { FALSE, FALSE };

  for (guint t = 0; t < 2; t++)
    {
      sqlite3_stmt *stmt = _juice_history_read_stmt (self, sql[last][t], NULL);

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, device);
      sqlite3_bind_int (stmt, 2, series);
      if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
        {
          found[t] = sqlite3_column_int64 (stmt, 0);
          have[t] = TRUE;
        }
      done (stmt);
    }

  /* Raw samples are the truth while they cover the oldest aggregate. */
  if (have[0] && (last || !have[1] || found[0] < found[1] + JUICE_HISTORY_AGGREGATE_S))
    *time = found[0];
  else if (have[1])
    *time = found[1];

  return have[0] || have[1];
}

GPtrArray *
juice_history_list_devices (JuiceHistory  *self,
                            GError       **error)
{
  g_autoptr(GPtrArray) devices = g_ptr_array_new_with_free_func (
    (GDestroyNotify) juice_history_device_info_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (JUICE_IS_HISTORY (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  g_mutex_lock (&self->read_lock);
  stmt = _juice_history_read_stmt (self,
    "SELECT id, serial_number, name FROM devices ORDER BY serial_number", error);
  if (stmt == NULL)
    {
      g_mutex_unlock (&self->read_lock);
      return NULL;
    }

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      const char *name = (const char *) sqlite3_column_text (stmt, 2);
      g_autoptr(JuiceHistoryDeviceInfo) info = g_new0 (JuiceHistoryDeviceInfo, 1);
      gboolean any = FALSE;

      info->serial_number = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      info->name = g_strdup (name);
      for (guint s = 0; s < JUICE_HISTORY_N_SERIES; s++)
        {
          gint64 first, last;

          if (!series_bound (self, id, s, FALSE, &first) || !series_bound (self, id, s, TRUE, &last))
            continue;
          info->first_time = any ? MIN (info->first_time, first) : first;
          info->last_time = any ? MAX (info->last_time, last) : last;
          any = TRUE;
        }

      if (any)
        g_ptr_array_add (devices, g_steal_pointer (&info));
    }
  if (rc != SQLITE_DONE)
    _juice_history_set_sqlite_error (error, self->read_db, _("Reading the history"));
  done (stmt);
  g_mutex_unlock (&self->read_lock);

  if (rc != SQLITE_DONE)
    return NULL;

  return g_steal_pointer (&devices);
}
