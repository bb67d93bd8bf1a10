/* test-history-crash.c: kill -9 a process while it writes history, then reopen
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The test runs itself as the writer ("--writer PATH"): it queues samples
 * as fast as it can, so that the writer thread is always in a batch, and
 * says each time a flush returned. The parent kills it with SIGKILL after a
 * few flushes; whatever was flushed must be there and the file must pass
 * PRAGMA integrity_check.
 */

#include <signal.h>

#include <glib/gstdio.h>

#include "juice-history-private.h"

#define SN "DCABZ8A1B2C3D4E5"
#define PER_FLUSH 40000

static int
run_writer (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JuiceHistory) history = juice_history_new (path, &error);
  gint64 time = g_get_real_time () / G_USEC_PER_SEC - 20 * 86400;
  guint64 n = 0;

  if (history == NULL)
    g_error ("%s", error->message);

  while (TRUE)
    {
      juice_history_record (history, SN, n % JUICE_HISTORY_N_SERIES, time, (double) (n % 977));
      if (++n % JUICE_HISTORY_N_SERIES == 0)
        time += 10;
      if (n % PER_FLUSH == 0)
        {
          juice_history_flush (history);
          /* What is flushed is committed: the parent counts on it. */
          g_print ("flushed %" G_GUINT64_FORMAT "\n", n);
          fflush (stdout);
        }
    }

  return 0;
}

static void
on_wal_changed (GFileMonitor      *monitor,
                GFile             *file,
                GFile             *other,
                GFileMonitorEvent  event,
                gboolean          *writing)
{
  if (event == G_FILE_MONITOR_EVENT_CHANGED || event == G_FILE_MONITOR_EVENT_CREATED)
    *writing = TRUE;
}

static gint64
count (sqlite3    *db,
       const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 n = -1;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return n;
}

static void
test_kill_mid_batch (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("juice-history-crash-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "history.db", NULL);
  g_autofree char *self_path = g_file_read_link ("/proc/self/exe", NULL);
  gint64 flushed_total = 0;

  g_assert_no_error (error);
  g_assert_nonnull (self_path);

  for (guint round = 0; round < 3; round++)
    {
      g_autoptr(GSubprocess) writer = NULL;
      g_autoptr(GDataInputStream) lines = NULL;
      g_autoptr(JuiceHistory) history = NULL;
      g_autofree char *integrity = NULL;
      guint64 flushed = 0;
      sqlite3 *db = NULL;
      sqlite3_stmt *stmt = NULL;
      gint64 before;

      writer = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, self_path, "--writer", path,
                                 NULL);
      g_assert_no_error (error);
      lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (writer));

      for (guint i = 0; i < 2 + round; i++)
        {
          g_autofree char *line = g_data_input_stream_read_line (lines, NULL, NULL, &error);

          g_assert_no_error (error);
          g_assert_nonnull (line);
          g_assert_true (g_str_has_prefix (line, "flushed "));
          flushed = g_ascii_strtoull (line + 8, NULL, 10);
        }

      /* The writer keeps queueing; kill it once its thread writes again
       * (the write-ahead log changes): in the middle of a batch. */
      {
        g_autofree char *wal_path = g_strconcat (path, "-wal", NULL);
        g_autoptr(GFile) wal = g_file_new_for_path (wal_path);
        g_autoptr(GFileMonitor) monitor = g_file_monitor_file (wal, G_FILE_MONITOR_NONE, NULL,
                                                               &error);
        gboolean writing = FALSE;

        g_assert_no_error (error);
        g_file_monitor_set_rate_limit (monitor, 0);
        g_signal_connect (monitor, "changed", G_CALLBACK (on_wal_changed), &writing);
        while (!writing)
          g_main_context_iteration (NULL, TRUE);
        g_subprocess_send_signal (writer, SIGKILL);
      }
      g_subprocess_wait (writer, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (g_subprocess_get_if_signaled (writer));
      g_assert_cmpint (g_subprocess_get_term_sig (writer), ==, SIGKILL);

      /* Juice opens it as it was, without moving it aside. */
      history = juice_history_new (path, &error);
      g_assert_no_error (error);
      g_assert_null (juice_history_get_notice (history));
      g_assert_finalize_object (g_steal_pointer (&history));

      g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
      g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL), ==,
                       SQLITE_OK);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
      integrity = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      sqlite3_finalize (stmt);
      g_assert_cmpstr (integrity, ==, "ok");

      /* Each round writes the same times again: flushed samples are all there. */
      before = count (db, "SELECT count (*) FROM samples");
      flushed_total = MAX (flushed_total, (gint64) flushed);
      g_test_message ("round %u: %" G_GUINT64_FORMAT " flushed, %" G_GINT64_FORMAT " on disk",
                      round, flushed, before);
      g_assert_cmpint (before, >=, flushed_total);
      /* The aggregates agree with the samples they sum up. */
      g_assert_cmpint (count (db, "SELECT sum (n) FROM aggregates"), ==, before);
      sqlite3_close (db);
    }

  g_unlink (path);
  {
    g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
    const char *name;

    while (d != NULL && (name = g_dir_read_name (d)) != NULL)
      {
        g_autofree char *child = g_build_filename (dir, name, NULL);
        g_unlink (child);
      }
  }
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 3 && g_str_equal (argv[1], "--writer"))
    return run_writer (argv[2]);

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/juice/history/crash/kill-mid-batch", test_kill_mid_batch);

  return g_test_run ();
}
