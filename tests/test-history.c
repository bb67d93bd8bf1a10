/* test-history.c: JuiceHistory on a real SQLite file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <math.h>
#include <string.h>
#include <signal.h>

#include <glib/gstdio.h>

#include "juice-device.h"
#include "juice-history-private.h"
#include "juice-sim-device.h"

#define SN "DCABZ8A1B2C3D4E5"
/* 2026-03-01 00:00:00 UTC: a Sunday, weeks before Europe's DST change */
#define T0 G_GINT64_CONSTANT (1772323200)

typedef struct
{
  char         *dir;
  char         *path;
  gint64        now;
  JuiceHistory *history;
} Fixture;

static gint64
fixture_clock (gpointer user_data)
{
  Fixture *f = user_data;

  return f->now;
}

static JuiceHistory *
open_history (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  JuiceHistory *history = juice_history_new (f->path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (history);
  juice_history_set_clock (history, fixture_clock, f);

  return history;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("juice-history-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "sub", "history.db", NULL);
  f->now = T0;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->history != NULL)
    g_assert_finalize_object (g_steal_pointer (&f->history));
  remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

/* A second connection, as another process would see the file. */
static gint64
count_rows (Fixture    *f,
            const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 n = -1;

  g_assert_cmpint (sqlite3_open_v2 (f->path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return n;
}

static GArray *
query (JuiceHistory       *history,
       JuiceHistorySeries  series,
       gint64              from,
       gint64              to,
       guint               max_points)
{
  g_autoptr(GError) error = NULL;
  GArray *points = juice_history_query (history, SN, series, from, to, max_points, &error);

  g_assert_no_error (error);
  g_assert_nonnull (points);

  return points;
}

static void
on_changed (JuiceHistory *history,
            const char   *serial_number,
            gboolean     *changed)
{
  g_assert_cmpstr (serial_number, ==, SN);
  *changed = TRUE;
}

static void
test_record_query (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GArray) points = NULL;
  gboolean changed = FALSE;

  f->history = open_history (f);
  g_assert_null (juice_history_get_notice (f->history));
  g_assert_cmpstr (juice_history_get_path (f->history), ==, f->path);
  g_signal_connect (f->history, "changed", G_CALLBACK (on_changed), &changed);

  /* One sample per series per 10 s: the last of the slot wins. */
  juice_history_record (f->history, SN, JUICE_HISTORY_SERIES_SOC, T0 + 1, 50);
  juice_history_record (f->history, SN, JUICE_HISTORY_SERIES_SOC, T0 + 9, 51);
  juice_history_record (f->history, SN, JUICE_HISTORY_SERIES_SOC, T0 + 12, 52);
  juice_history_record (f->history, SN, JUICE_HISTORY_SERIES_WATTS_IN, T0 + 3, 300);
  /* Untrusted values: dropped, not stored. */
  juice_history_record (f->history, SN, JUICE_HISTORY_SERIES_SOC, T0 + 20, NAN);
  juice_history_record (f->history, SN, JUICE_HISTORY_SERIES_SOC, -5, 1);
  juice_history_flush (f->history);

  points = query (f->history, JUICE_HISTORY_SERIES_SOC, T0, T0 + 3600, 100);
  g_assert_cmpuint (points->len, ==, 2);
  g_assert_cmpint (g_array_index (points, JuiceHistoryPoint, 0).time, ==, T0);
  g_assert_cmpfloat (g_array_index (points, JuiceHistoryPoint, 0).mean, ==, 51);
  g_assert_cmpint (g_array_index (points, JuiceHistoryPoint, 1).time, ==, T0 + 10);
  g_assert_cmpfloat (g_array_index (points, JuiceHistoryPoint, 1).max, ==, 52);
  g_clear_pointer (&points, g_array_unref);

  points = query (f->history, JUICE_HISTORY_SERIES_WATTS_OUT, T0, T0 + 3600, 100);
  g_assert_cmpuint (points->len, ==, 0);
  g_clear_pointer (&points, g_array_unref);

  /* An unknown device has no points, and no error. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GArray) none = juice_history_query (f->history, "DCABUNKNOWN", 0, 0, T0 * 2, 10,
                                                  &error);
    g_assert_no_error (error);
    g_assert_cmpuint (none->len, ==, 0);
  }

  while (!changed)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpint (count_rows (f, "SELECT count (*) FROM samples"), ==, 3);
  g_assert_cmpint (count_rows (f, "SELECT count (*) FROM pragma_journal_mode WHERE journal_mode = 'wal'"),
                   ==, 1);
  g_assert_cmpint (count_rows (f, "PRAGMA user_version"), ==, JUICE_HISTORY_SCHEMA_VERSION);
}

/* A database at each earlier version, with data, opens at the newest. */
static void
test_migrations (Fixture       *f,
                 gconstpointer  data)
{
  for (int version = 0; version <= JUICE_HISTORY_SCHEMA_VERSION; version++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GArray) points = NULL;
      g_autoptr(GArray) coarse = NULL;
      sqlite3 *db = NULL;

      g_unlink (f->path);
      g_mkdir_with_parents (f->dir, 0700);
      {
        g_autofree char *sub = g_path_get_dirname (f->path);
        g_mkdir_with_parents (sub, 0700);
      }

      g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
      g_assert_true (_juice_history_migrate (db, version, &error));
      g_assert_no_error (error);
      if (version >= 1)
        {
          /* One hour of samples as version 1 wrote them. */
          g_assert_true (_juice_history_exec (db,
            "INSERT INTO devices (id, serial_number, name) VALUES (7, '" SN "', 'Cabin')",
            &error));
          for (int i = 0; i < 360; i++)
            {
              g_autofree char *sql = g_strdup_printf (
                "INSERT INTO samples VALUES (7, 1, %" G_GINT64_FORMAT ", %d)",
                T0 + i * 10, i == 100 ? 2000 : 100);
              g_assert_true (_juice_history_exec (db, sql, &error));
            }
          if (version >= 2)
            g_assert_true (_juice_history_exec (db,
              "DELETE FROM aggregates; INSERT INTO aggregates (device, series, time, min, sum, max, n)"
              " SELECT device, series, time - time % 300, min (value), sum (value), max (value),"
              " count (*) FROM samples GROUP BY 1, 2, 3", &error));
        }
      g_assert_no_error (error);
      sqlite3_close (db);

      f->history = open_history (f);
      g_assert_null (juice_history_get_notice (f->history));
      g_assert_cmpint (count_rows (f, "PRAGMA user_version"), ==, JUICE_HISTORY_SCHEMA_VERSION);

      if (version >= 1)
        {
          g_autoptr(GPtrArray) devices = juice_history_list_devices (f->history, &error);

          g_assert_no_error (error);
          g_assert_cmpuint (devices->len, ==, 1);
          g_assert_cmpstr (((JuiceHistoryDeviceInfo *) devices->pdata[0])->name, ==, "Cabin");
          g_assert_cmpint (((JuiceHistoryDeviceInfo *) devices->pdata[0])->first_time, ==, T0);
          g_assert_cmpint (((JuiceHistoryDeviceInfo *) devices->pdata[0])->last_time, ==,
                           T0 + 3590);

          points = query (f->history, JUICE_HISTORY_SERIES_WATTS_IN, T0, T0 + 3599, 1000);
          g_assert_cmpuint (points->len, ==, 360);
          /* The aggregates (made by migration 1 → 2 for older files) serve wide ranges. */
          coarse = query (f->history, JUICE_HISTORY_SERIES_WATTS_IN, T0, T0 + 3599, 3);
          g_assert_cmpuint (coarse->len, ==, 3);
          g_assert_cmpfloat (g_array_index (coarse, JuiceHistoryPoint, 0).max, ==, 2000);
          g_assert_cmpfloat (g_array_index (coarse, JuiceHistoryPoint, 0).min, ==, 100);
          g_assert_cmpfloat_with_epsilon (g_array_index (coarse, JuiceHistoryPoint, 1).mean, 100,
                                          1e-9);
        }

      /* The migrated file takes new samples. */
      juice_history_record (f->history, SN, JUICE_HISTORY_SERIES_SOC, T0 + 4000, 77);
      juice_history_record_counter (f->history, SN, JUICE_HISTORY_COUNTER_SOLAR_IN, T0 + 4000, 5);
      juice_history_flush (f->history);
      g_assert_cmpint (count_rows (f, "SELECT count (*) FROM samples WHERE series = 0"), ==, 1);
      g_assert_cmpint (count_rows (f, "SELECT count (*) FROM counters"), ==, 1);
      g_assert_finalize_object (g_steal_pointer (&f->history));
    }
}

/* Raw samples go after 30 days, their 5-minute aggregates after 2 years. */
static void
test_retention (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GArray) points = NULL;
  g_autoptr(GArray) recent = NULL;

  f->history = open_history (f);
  /* Two hours at 10 s: values 0..9 repeating, so each 5 minutes has min 0,
   * max 9 and mean 4.5. */
  for (int i = 0; i < 720; i++)
    juice_history_record (f->history, SN, JUICE_HISTORY_SERIES_AC_OUT, T0 + i * 10, i % 10);
  juice_history_flush (f->history);
  g_assert_cmpint (count_rows (f, "SELECT count (*) FROM samples"), ==, 720);
  g_assert_cmpint (count_rows (f, "SELECT count (*) FROM aggregates"), ==, 24);

  /* 29 days later nothing goes. */
  f->now = T0 + 29 * 86400;
  juice_history_prune (f->history);
  juice_history_flush (f->history);
  g_assert_cmpint (count_rows (f, "SELECT count (*) FROM samples"), ==, 720);

  /* A day passing by the history's clock prunes by itself (31 days). */
  f->now = T0 + 31 * 86400;
  juice_history_record (f->history, SN, JUICE_HISTORY_SERIES_AC_OUT, f->now, 5);
  juice_history_flush (f->history);
  g_assert_cmpint (count_rows (f, "SELECT count (*) FROM samples"), ==, 1);
  g_assert_cmpint (count_rows (f, "SELECT count (*) FROM aggregates"), ==, 25);

  points = query (f->history, JUICE_HISTORY_SERIES_AC_OUT, T0, T0 + 7199, 1000);
  g_assert_cmpuint (points->len, ==, 24);
  for (guint i = 0; i < points->len; i++)
    {
      const JuiceHistoryPoint *p = &g_array_index (points, JuiceHistoryPoint, i);

      g_assert_cmpint (p->time, ==, T0 + i * 300);
      g_assert_cmpfloat (p->min, ==, 0);
      g_assert_cmpfloat (p->max, ==, 9);
      g_assert_cmpfloat_with_epsilon (p->mean, 4.5, 1e-9);
    }
  recent = query (f->history, JUICE_HISTORY_SERIES_AC_OUT, f->now - 60, f->now + 60, 1000);
  g_assert_cmpuint (recent->len, ==, 1);

  /* Two years on, the aggregates go too. */
  f->now = T0 + 800 * 86400;
  juice_history_prune (f->history);
  juice_history_flush (f->history);
  g_assert_cmpint (count_rows (f, "SELECT count (*) FROM aggregates"), ==, 0);
  g_assert_cmpint (count_rows (f, "SELECT count (*) FROM samples"), ==, 0);
}

/* A single 10-second spike and dip survive any decimation. */
static void
test_decimation_peaks (Fixture       *f,
                       gconstpointer  data)
{
  const gint64 week = 7 * 86400;
  const guint max_points[] = { 1280, 300, 50, 7, 1 };

  f->history = open_history (f);
  for (gint64 t = 0; t < week; t += 10)
    {
      double value = 400 + 50 * sin (t / 3600.0);

      if (t == 3 * 86400 + 13 * 3600 + 10)
        value = 3210;
      else if (t == 5 * 86400 + 40)
        value = 2;
      juice_history_record (f->history, SN, JUICE_HISTORY_SERIES_WATTS_IN, T0 + t, value);
    }
  juice_history_flush (f->history);

  for (guint i = 0; i < G_N_ELEMENTS (max_points); i++)
    {
      /* A week (from the aggregates) and a day around the spike (raw). */
      for (guint range = 0; range < 2; range++)
        {
          gint64 from = range == 0 ? T0 : T0 + 3 * 86400;
          gint64 to = range == 0 ? T0 + week - 1 : T0 + 4 * 86400 - 1;
          g_autoptr(GArray) points = query (f->history, JUICE_HISTORY_SERIES_WATTS_IN, from, to,
                                            max_points[i]);
          double top = 0, bottom = G_MAXDOUBLE;
          gint64 top_time = 0, last_time = -1;

          g_assert_cmpuint (points->len, <=, max_points[i]);
          g_assert_cmpuint (points->len, >=, MIN (max_points[i], 7));
          for (guint p = 0; p < points->len; p++)
            {
              const JuiceHistoryPoint *point = &g_array_index (points, JuiceHistoryPoint, p);

              g_assert_cmpint (point->time, >, last_time);
              g_assert_cmpfloat (point->min, <=, point->mean);
              g_assert_cmpfloat (point->mean, <=, point->max);
              last_time = point->time;
              if (point->max > top)
                {
                  top = point->max;
                  top_time = point->time;
                }
              bottom = MIN (bottom, point->min);
            }

          g_assert_cmpfloat (top, ==, 3210);
          if (range == 0)
            g_assert_cmpfloat (bottom, ==, 2);
          /* The peak's bucket starts at or before it, less than a bucket before. */
          g_assert_cmpint (top_time, <=, T0 + 3 * 86400 + 13 * 3600 + 10);
          g_assert_cmpint (top_time, >, T0 + 3 * 86400 + 13 * 3600 + 10
                                        - (to - from) / max_points[i] - 300);
        }
    }
}

static double
day_total_in (const JuiceHistoryDay *day)
{
  return day->wh_in_solar + day->wh_in_ac + day->wh_in_car;
}

/* Counters across local midnight, read in two time zones. */
static void
test_daily_counters (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GTimeZone) berlin = g_time_zone_new_identifier ("Europe/Berlin");
  g_autoptr(GTimeZone) new_york = g_time_zone_new_identifier ("America/New_York");
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) days = NULL;
  g_autoptr(GArray) days_ny = NULL;
  /* 2026-03-01 20:00 in Berlin (UTC+1) */
  gint64 start = T0 + 19 * 3600;

  g_assert_nonnull (berlin);
  g_assert_nonnull (new_york);

  f->history = open_history (f);
  /* 8 hours at 100 Wh an hour of solar, and 50 Wh an hour out through AC;
   * the solar counter was reset to 0 at 02:00 (a firmware update). */
  for (gint64 t = 0; t <= 8 * 3600; t += 30)
    {
      double solar = 10000 + 100.0 * t / 3600;

      if (t >= 6 * 3600)
        solar = 100.0 * (t - 6 * 3600) / 3600;
      juice_history_record_counter (f->history, SN, JUICE_HISTORY_COUNTER_SOLAR_IN, start + t,
                                    solar);
      juice_history_record_counter (f->history, SN, JUICE_HISTORY_COUNTER_AC_OUT, start + t,
                                    500 + 50.0 * t / 3600);
    }
  juice_history_flush (f->history);

  days = juice_history_query_daily (f->history, SN, berlin, start, start + 8 * 3600, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (days->len, ==, 2);
  /* Local midnight in Berlin: 23:00 UTC. */
  g_assert_cmpint (g_array_index (days, JuiceHistoryDay, 0).day_start, ==, T0 - 3600);
  g_assert_cmpint (g_array_index (days, JuiceHistoryDay, 1).day_start, ==, T0 + 23 * 3600);
  g_assert_cmpfloat_with_epsilon (g_array_index (days, JuiceHistoryDay, 0).wh_in_solar, 400, 1.0);
  g_assert_cmpfloat_with_epsilon (g_array_index (days, JuiceHistoryDay, 0).wh_out_ac, 200, 0.5);
  /* 00:00–02:00 200 Wh, the reset is skipped, 02:00–04:00 200 Wh. */
  g_assert_cmpfloat_with_epsilon (g_array_index (days, JuiceHistoryDay, 1).wh_in_solar, 400, 1.0);
  g_assert_cmpfloat_with_epsilon (g_array_index (days, JuiceHistoryDay, 1).wh_out_ac, 200, 0.5);

  /* The same readings by New York's midnights (05:00 UTC): 14:00 to 22:00
   * there, one day. */
  days_ny = juice_history_query_daily (f->history, SN, new_york, start, start + 8 * 3600, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (days_ny->len, ==, 1);
  g_assert_cmpint (g_array_index (days_ny, JuiceHistoryDay, 0).day_start, ==, T0 + 5 * 3600);
  g_assert_cmpfloat_with_epsilon (g_array_index (days_ny, JuiceHistoryDay, 0).wh_out_ac, 400, 0.5);
  g_assert_cmpfloat_with_epsilon (day_total_in (&g_array_index (days_ny, JuiceHistoryDay, 0)),
                                  800, 1.0);
}

/* Without counters, energy is integrated from the power series; a day with
 * a DST change has 23 hours. */
static void
test_daily_integrated (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GTimeZone) berlin = g_time_zone_new_identifier ("Europe/Berlin");
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) days = NULL;
  /* 2026-03-29: clocks go from 02:00 to 03:00 in Berlin. Its midnight is 23:00 UTC the day before. */
  gint64 midnight = G_GINT64_CONSTANT (1774738800);
  const JuiceHistoryDay *day;

  f->history = open_history (f);
  f->now = midnight + 86400;
  /* 600 W of solar from 10:00 to 11:00 UTC, 1000 W total input, 100 W of AC output all day. */
  for (gint64 t = midnight; t < midnight + 23 * 3600; t += 10)
    {
      gboolean sun = t >= midnight + 11 * 3600 && t < midnight + 12 * 3600;

      juice_history_record (f->history, SN, JUICE_HISTORY_SERIES_SOLAR_IN, t, sun ? 600 : 0);
      juice_history_record (f->history, SN, JUICE_HISTORY_SERIES_WATTS_IN, t, sun ? 1000 : 0);
      juice_history_record (f->history, SN, JUICE_HISTORY_SERIES_AC_OUT, t, 100);
    }
  juice_history_flush (f->history);

  days = juice_history_query_daily (f->history, SN, berlin, midnight, midnight + 3600, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (days->len, ==, 1);
  day = &g_array_index (days, JuiceHistoryDay, 0);
  g_assert_cmpint (day->day_start, ==, midnight);
  g_assert_cmpfloat_with_epsilon (day->wh_in_solar, 600, 1);
  g_assert_cmpfloat_with_epsilon (day->wh_in_car, 400, 1);  /* input neither solar nor AC */
  g_assert_cmpfloat_with_epsilon (day->wh_in_ac, 0, 1e-9);
  g_assert_cmpfloat_with_epsilon (day->wh_out_ac, 2300, 1);  /* 23 hours */
}

static void
test_corrupt (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sub = g_path_get_dirname (f->path);
  g_autofree char *garbage = g_strnfill (8192, 'x');
  g_autofree char *aside = NULL;
  g_autofree char *contents = NULL;
  const char *notice;
  g_autoptr(GArray) points = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_mkdir_with_parents (sub, 0700);
  g_file_set_contents (f->path, garbage, -1, &error);
  g_assert_no_error (error);

  f->history = open_history (f);
  notice = juice_history_get_notice (f->history);
  g_assert_nonnull (notice);
  g_test_message ("%s", notice);

  /* Moved aside, whole, under the name the notice gives. */
  dir = g_dir_open (sub, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, "history.db.broken-") && !g_str_has_suffix (name, "-wal")
        && !g_str_has_suffix (name, "-shm"))
      aside = g_build_filename (sub, name, NULL);
  g_assert_nonnull (aside);
  g_assert_nonnull (strstr (notice, aside));
  g_file_get_contents (aside, &contents, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (contents, ==, garbage);

  /* And the new one records. */
  juice_history_record (f->history, SN, JUICE_HISTORY_SERIES_SOC, T0, 12);
  juice_history_flush (f->history);
  points = query (f->history, JUICE_HISTORY_SERIES_SOC, T0, T0 + 10, 10);
  g_assert_cmpuint (points->len, ==, 1);
}

/* A file from a newer Juice is kept aside too, and a place where no
 * database can be made is an error, not a crash. */
static void
test_newer_and_unwritable (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *blocker = g_build_filename (f->dir, "file", NULL);
  g_autofree char *impossible = g_build_filename (blocker, "history.db", NULL);
  JuiceHistory *none;
  sqlite3 *db = NULL;

  f->history = open_history (f);
  g_assert_finalize_object (g_steal_pointer (&f->history));
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_true (_juice_history_exec (db, "PRAGMA user_version = 99", &error));
  sqlite3_close (db);

  f->history = open_history (f);
  g_assert_nonnull (juice_history_get_notice (f->history));
  g_assert_nonnull (strstr (juice_history_get_notice (f->history), "newer version"));
  g_assert_cmpint (count_rows (f, "PRAGMA user_version"), ==, JUICE_HISTORY_SCHEMA_VERSION);

  g_file_set_contents (blocker, "", 0, &error);
  g_assert_no_error (error);
  none = juice_history_new (impossible, &error);
  g_assert_null (none);
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
}

static void
export_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* What the CSV says is what the history holds. */
static void
test_csv_round_trip (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *file_path = NULL;
  g_autofree char *file_text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *text = NULL;
  guint n_rows = 0;
  guint n_seen[JUICE_HISTORY_N_SERIES] = { 0 };

  f->history = open_history (f);
  for (int i = 0; i < 200; i++)
    for (guint s = 0; s < JUICE_HISTORY_N_SERIES; s++)
      juice_history_record (f->history, SN, s, T0 + i * 10, i * 1.25 + s / 3.0);
  juice_history_record (f->history, "DCABOTHER", JUICE_HISTORY_SERIES_SOC, T0, 1);
  juice_history_flush (f->history);

  g_assert_true (juice_history_export_csv (f->history, SN, T0, T0 + 1990, stream, NULL, &error));
  g_assert_no_error (error);
  g_output_stream_write_all (stream, "", 1, NULL, NULL, NULL);
  g_output_stream_close (stream, NULL, NULL);
  text = g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (stream));
  lines = g_strsplit (text, "\n", -1);
  g_assert_cmpstr (lines[0], ==, "time,serial_number,series,value,unit");

  for (guint i = 1; lines[i] != NULL && *lines[i] != '\0'; i++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[i], ",", -1);
      g_autoptr(GDateTime) time = NULL;
      g_autoptr(GArray) points = NULL;
      JuiceHistorySeries series;
      double value;

      g_assert_cmpuint (g_strv_length (fields), ==, 5);
      time = g_date_time_new_from_iso8601 (fields[0], NULL);
      g_assert_nonnull (time);
      g_assert_true (g_str_has_suffix (fields[0], "Z"));
      g_assert_cmpstr (fields[1], ==, SN);
      g_assert_true (juice_history_series_from_name (fields[2], &series));
      g_assert_cmpstr (fields[4], ==, juice_history_series_get_unit (series));
      value = g_ascii_strtod (fields[3], NULL);

      points = query (f->history, series, g_date_time_to_unix (time), g_date_time_to_unix (time), 1);
      g_assert_cmpuint (points->len, ==, 1);
      g_assert_cmpfloat_with_epsilon (g_array_index (points, JuiceHistoryPoint, 0).mean, value,
                                      1e-6);
      n_seen[series]++;
      n_rows++;
    }
  g_assert_cmpuint (n_rows, ==, 200 * JUICE_HISTORY_N_SERIES);
  for (guint s = 0; s < JUICE_HISTORY_N_SERIES; s++)
    g_assert_cmpuint (n_seen[s], ==, 200);

  /* The asynchronous export writes the same to a file. */
  file_path = g_build_filename (f->dir, "export.csv", NULL);
  file = g_file_new_for_path (file_path);
  juice_history_export_csv_async (f->history, SN, T0, T0 + 1990, file, NULL, export_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (juice_history_export_csv_finish (f->history, result, &error));
  g_assert_no_error (error);
  g_file_get_contents (file_path, &file_text, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (file_text, ==, text);
  g_unlink (file_path);
}

/* The simulator with an injected clock fills a month in seconds; the daily
 * energy then comes from its lifetime counters. */
static void
test_sim_month (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(JuiceSimDevice) sim = juice_sim_device_new (SN);
  g_autoptr(JuiceDevice) device = juice_device_new (SN, juice_device_profile_delta_pro ());
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();
  g_autoptr(GPtrArray) devices = NULL;
  g_autoptr(GArray) days = NULL;
  g_autoptr(GArray) soc = NULL;
  g_autoptr(GError) error = NULL;
  const gint64 step = 60;
  gint64 timer = g_get_monotonic_time ();
  double solar_total = 0;

  g_object_set (sim, "report-interval-ms", 0, NULL);
  /* The sun follows the same clock as the history. */
  juice_sim_device_set_clock (sim, fixture_clock, f);
  juice_sim_device_set_name (sim, "Cabin");
  juice_device_set_name (device, "Cabin");
  juice_sim_device_attach (sim, device);
  juice_sim_device_set_quota_int (sim, "inv.cfgAcEnabled", 1);

  f->history = open_history (f);
  juice_history_watch_device (f->history, device);
  for (gint64 t = 0; t < 30 * 86400; t += step)
    {
      f->now = T0 + t;
      juice_sim_device_step (sim, step);
    }
  juice_history_flush (f->history);
  g_test_message ("A month of simulated history in %.1f s",
                  (g_get_monotonic_time () - timer) / 1e6);

  devices = juice_history_list_devices (f->history, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (devices->len, ==, 1);
  g_assert_cmpstr (((JuiceHistoryDeviceInfo *) devices->pdata[0])->serial_number, ==, SN);
  g_assert_cmpstr (((JuiceHistoryDeviceInfo *) devices->pdata[0])->name, ==, "Cabin");
  g_assert_cmpint (((JuiceHistoryDeviceInfo *) devices->pdata[0])->first_time, <=, T0 + step);
  g_assert_cmpint (((JuiceHistoryDeviceInfo *) devices->pdata[0])->last_time, >=,
                   T0 + 30 * 86400 - 2 * step);

  /* Whole local days: from the first local midnight after the start. */
  days = juice_history_query_daily (f->history, SN, local, T0 + 86400, T0 + 29 * 86400, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (days->len, >=, 28);
  g_assert_cmpuint (days->len, <=, 30);
  for (guint d = 0; d < days->len; d++)
    {
      const JuiceHistoryDay *day = &g_array_index (days, JuiceHistoryDay, d);

      /* The AC outlets draw all day, the sun shines every day (the sim's
       * half sine from 6:00 to 18:00 local time): the counters rise. */
      if (day->day_start >= T0 && day->day_start + 86400 <= T0 + 30 * 86400)
        {
          g_assert_cmpfloat (day->wh_out_ac, >, 1000);
          g_assert_cmpfloat (day->wh_in_solar, >, 1000);
        }
      solar_total += day->wh_in_solar;
    }
  g_assert_cmpfloat (solar_total, >, 28 * 1000);

  /* Today, by the same clock: the month's last day, under way. */
  {
    JuiceHistoryDay today;

    g_assert_true (juice_history_query_today (f->history, SN, &today, &error));
    g_assert_no_error (error);
    g_assert_cmpint (today.day_start, <=, f->now);
    g_assert_cmpint (today.day_start, >, f->now - 86400);
    g_assert_cmpfloat (today.wh_out_ac, >, 0);
    g_assert_true (juice_history_query_today (f->history, "DCABNOTHING", &today, &error));
    g_assert_cmpfloat (today.wh_in_solar + today.wh_out_ac, ==, 0);
  }

  soc = query (f->history, JUICE_HISTORY_SERIES_SOC, T0, T0 + 30 * 86400, 1280);
  g_assert_cmpuint (soc->len, >, 1000);
  g_assert_cmpuint (soc->len, <=, 1280);

  juice_history_unwatch_device (f->history, device);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/juice/history/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("record-query", test_record_query);
  ADD ("migrations", test_migrations);
  ADD ("retention", test_retention);
  ADD ("decimation-keeps-peaks", test_decimation_peaks);
  ADD ("daily-counters-midnight-time-zones", test_daily_counters);
  ADD ("daily-integrated-dst", test_daily_integrated);
  ADD ("corrupt-moved-aside", test_corrupt);
  ADD ("newer-and-unwritable", test_newer_and_unwritable);
  ADD ("csv-round-trip", test_csv_round_trip);
  ADD ("sim-month", test_sim_month);
#undef ADD

  return g_test_run ();
}
