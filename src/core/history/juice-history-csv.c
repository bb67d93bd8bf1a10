/* juice-history-csv.c: exporting samples as CSV
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `time,serial_number,series,value,unit`, one row per sample, ISO 8601 UTC.
 * Where the raw samples are past their 30 days, one row per 5-minute mean.
 * The asynchronous export reads on a connection of its own, so that the
 * charts' queries do not wait for it.
 */

#define G_LOG_DOMAIN "juice-history"

#include <string.h>

#include <glib/gi18n.h>

#include "juice-history-private.h"

/* Quotes a field when it holds a separator, a quote or a line break. */
static void
append_field (GString    *line,
              const char *text)
{
  if (strpbrk (text, ",\"\r\n") == NULL)
    {
      g_string_append (line, text);
      return;
    }

  g_string_append_c (line, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (line, '"');
      g_string_append_c (line, *p);
    }
  g_string_append_c (line, '"');
}

static gboolean
export_device (sqlite3       *db,
               gint64         device,
               const char    *serial_number,
               gint64         from,
               gint64         to,
               gint64         cutoff,
               GOutputStream *stream,
               GCancellable  *cancellable,
               GError       **error)
{
  static const char * const sql[2] = {
    "SELECT time, series, sum / n FROM aggregates WHERE device = ?1 AND time >= ?2 AND time <= ?3"
    " ORDER BY time, series",
    "SELECT time, series, value FROM samples WHERE device = ?1 AND time >= ?2 AND time <= ?3"
    " ORDER BY time, series",
  };
  g_autoptr(GString) buffer = g_string_sized_new (65536);
  gboolean ok = TRUE;

  for (guint t = 0; ok && t < 2; t++)
    {
      gint64 lo = t == 0 ? from : MAX (from, cutoff);
      gint64 hi = t == 0 ? MIN (to, cutoff - 1) : to;
      sqlite3_stmt *stmt;
      int rc;

      if (lo > hi)
        continue;

      stmt = _juice_history_prepare (db, sql[t], error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, device);
      sqlite3_bind_int64 (stmt, 2, lo);
      sqlite3_bind_int64 (stmt, 3, hi);

      while (ok && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (sqlite3_column_int64 (stmt, 0));
          int series = sqlite3_column_int (stmt, 1);
          char value[G_ASCII_DTOSTR_BUF_SIZE];
          g_autofree char *stamp = NULL;

          /* A series from a newer Juice: not ours to name. */
          if (series < 0 || series >= JUICE_HISTORY_N_SERIES || time == NULL)
            continue;

          stamp = g_date_time_format (time, "%Y-%m-%dT%H:%M:%SZ");
          g_ascii_formatd (value, sizeof value, "%.10g", sqlite3_column_double (stmt, 2));
          g_string_append (buffer, stamp);
          g_string_append_c (buffer, ',');
          append_field (buffer, serial_number);
          g_string_append_printf (buffer, ",%s,%s,%s\n", juice_history_series_get_name (series),
                                  value, juice_history_series_get_unit (series));

          if (buffer->len > 60000)
            {
              ok = g_output_stream_write_all (stream, buffer->str, buffer->len, NULL,
                                              cancellable, error);
              g_string_truncate (buffer, 0);
            }
        }
      if (ok && rc != SQLITE_DONE)
        {
          _juice_history_set_sqlite_error (error, db, _("Reading the history"));
          ok = FALSE;
        }
      sqlite3_finalize (stmt);
    }

  if (ok && buffer->len > 0)
    ok = g_output_stream_write_all (stream, buffer->str, buffer->len, NULL, cancellable, error);

  return ok;
}

static gboolean
export_csv (sqlite3       *db,
            const char    *serial_number,
            gint64         from,
            gint64         to,
            gint64         now,
            GOutputStream *stream,
            GCancellable  *cancellable,
            GError       **error)
{
  static const char header[] = "time,serial_number,series,value,unit\n";
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GPtrArray) serials = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;

  if (!g_output_stream_write_all (stream, header, strlen (header), NULL, cancellable, error))
    return FALSE;

  stmt = _juice_history_prepare (db, serial_number != NULL
    ? "SELECT id, serial_number FROM devices WHERE serial_number = ?1"
    : "SELECT id, serial_number FROM devices ORDER BY serial_number", error);
  if (stmt == NULL)
    return FALSE;
  if (serial_number != NULL)
    sqlite3_bind_text (stmt, 1, serial_number, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
      g_ptr_array_add (serials, g_strdup ((const char *) sqlite3_column_text (stmt, 1)));
    }
  sqlite3_finalize (stmt);

  for (guint i = 0; i < ids->len; i++)
    if (!export_device (db, g_array_index (ids, gint64, i), g_ptr_array_index (serials, i),
                        from, to, _juice_history_raw_cutoff (now), stream, cancellable, error))
      return FALSE;

  return TRUE;
}

gboolean
juice_history_export_csv (JuiceHistory   *self,
                          const char     *serial_number,
                          gint64          from,
                          gint64          to,
                          GOutputStream  *stream,
                          GCancellable   *cancellable,
                          GError        **error)
{
  gboolean ok;

  g_return_val_if_fail (JUICE_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  g_mutex_lock (&self->read_lock);
  ok = export_csv (self->read_db, serial_number, from, to, juice_history_now (self), stream,
                   cancellable, error);
  g_mutex_unlock (&self->read_lock);

  return ok;
}

/* The export thread holds no reference to the history or the task: it
 * hands its result back to the main context, where the task returns. So
 * when the callback runs, nothing on another thread keeps the history. */
typedef struct
{
  GTask        *task;         /* owned; touched on the main context only */
  GMainContext *context;
  GCancellable *cancellable;
  char         *path;
  char         *serial_number;
  gint64        from;
  gint64        to;
  gint64        now;
  GFile        *file;
  GError       *error;        /* what the thread met, or NULL */
} ExportData;

static void
export_data_free (gpointer data)
{
  ExportData *export = data;

  g_clear_object (&export->task);
  g_main_context_unref (export->context);
  g_clear_object (&export->cancellable);
  g_free (export->path);
  g_free (export->serial_number);
  g_clear_object (&export->file);
  g_clear_error (&export->error);
  g_free (export);
}

static gboolean
export_done (gpointer data)
{
  ExportData *export = data;

  if (export->error != NULL)
    g_task_return_error (export->task, g_steal_pointer (&export->error));
  else
    g_task_return_boolean (export->task, TRUE);

  return G_SOURCE_REMOVE;
}

static gpointer
export_thread (gpointer data)
{
  ExportData *export = data;
  g_autoptr(GFileOutputStream) stream = NULL;
  GError **error = &export->error;
  sqlite3 *db;
  gboolean ok;

  db = _juice_history_open_db (export->path, FALSE, NULL, error);
  if (db != NULL)
    {
      stream = g_file_replace (export->file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                               export->cancellable, error);
      ok = stream != NULL
           && export_csv (db, export->serial_number, export->from, export->to, export->now,
                          G_OUTPUT_STREAM (stream), export->cancellable, error)
           && g_output_stream_close (G_OUTPUT_STREAM (stream), export->cancellable, error);
      sqlite3_close (db);

      /* A failed export leaves no half file behind: a replace closed while
       * cancelled drops its temporary file and keeps what was there. */
      if (!ok && stream != NULL && !g_output_stream_is_closed (G_OUTPUT_STREAM (stream)))
        {
          g_autoptr(GCancellable) abort = g_cancellable_new ();

          g_cancellable_cancel (abort);
          g_output_stream_close (G_OUTPUT_STREAM (stream), abort, NULL);
        }
      g_clear_object (&stream);
    }

  g_main_context_invoke_full (export->context, G_PRIORITY_DEFAULT, export_done, export,
                              export_data_free);

  return NULL;
}

void
juice_history_export_csv_async (JuiceHistory        *self,
                                const char          *serial_number,
                                gint64               from,
                                gint64               to,
                                GFile               *file,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  ExportData *export;

  g_return_if_fail (JUICE_IS_HISTORY (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  /* What is queued now belongs in the file. */
  juice_history_flush (self);

  export = g_new0 (ExportData, 1);
  export->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (export->task, juice_history_export_csv_async);
  export->context = g_main_context_ref_thread_default ();
  export->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  export->path = g_strdup (self->path);
  export->serial_number = g_strdup (serial_number);
  export->from = from;
  export->to = to;
  export->now = juice_history_now (self);
  export->file = g_object_ref (file);
  g_thread_unref (g_thread_new ("juice-history-export", export_thread, export));
}

gboolean
juice_history_export_csv_finish (JuiceHistory  *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (JUICE_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == juice_history_export_csv_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
