/* bench-history.c: what recording history costs
 *
 * Issue 10's budgets:
 *  - a report costs the main loop under 50 µs more with recording on than
 *    with it off (the same reports applied to the same device). Measured as
 *    the main thread's CPU time: on a loaded machine its wall time also
 *    counts the writer thread taking the CPU the main thread waits for, which
 *    is the machine's load, not the main loop's work (printed too);
 *  - querying one week of three series at 10 s and decimating each to 1,280
 *    points takes under 10 ms;
 *  - and the writer's sustained insert rate is printed (no budget).
 * Each figure is the minimum over repeated runs, with the range.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <time.h>

#include <glib/gstdio.h>

#include "juice-device.h"
#include "juice-history.h"

#define SN "DCABZ8A1B2C3D4E5"
#define RUNS 7
#define REPORTS 5000
#define INSERTS 400000

static gint64 bench_now;

static gint64
bench_clock (gpointer user_data)
{
  return bench_now;
}

typedef struct
{
  double min;
  double max;
} Range;

static void
range_add (Range  *range,
           double  value)
{
  range->min = MIN (range->min, value);
  range->max = MAX (range->max, value);
}

static Range
range_new (void)
{
  return (Range) { G_MAXDOUBLE, -G_MAXDOUBLE };
}

/* The keys a DELTA Pro changes in a typical partial report, values moving. */
static char *
report (guint i)
{
  return g_strdup_printf ("{\"params\":{\"pd.soc\":%u,\"ems.f32LcdShowSoc\":%u.%u,"
                          "\"pd.wattsInSum\":%u,\"pd.wattsOutSum\":%u,\"mppt.inWatts\":%u,"
                          "\"inv.inputWatts\":0,\"inv.outputWatts\":%u,\"pd.carWatts\":%u,"
                          "\"pd.usb1Watts\":7,\"bmsMaster.temp\":%u,\"pd.chgSunPower\":%u,"
                          "\"pd.dsgPowerAc\":%u,\"pd.remainTime\":%u,\"bmsMaster.vol\":%u}}",
                          40 + i % 50, 40 + i % 50, i % 10, 300 + i % 97, 200 + i % 89,
                          3000 + i % 113, 150 + i % 31, 40 + i % 7, 25 + i % 5, 10000 + i / 10,
                          5000 + i / 20, 100 + i % 300, 52000 + i % 400);
}

static gint64
thread_cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

/* µs of main-thread CPU per report applied, with or without @history
 * watching; *@wall_us: the wall time per report. */
static double
time_reports (JuiceHistory *history,
              char        **reports,
              double       *wall_us)
{
  g_autoptr(JuiceDevice) device = juice_device_new (SN, juice_device_profile_delta_pro ());
  gint64 start, cpu_start;
  double us;

  if (history != NULL)
    juice_history_watch_device (history, device);

  start = g_get_monotonic_time ();
  cpu_start = thread_cpu_us ();
  for (guint i = 0; i < REPORTS; i++)
    {
      bench_now += 10;  /* every report a new slot: the worst case for the writer */
      if (juice_device_apply_report_bytes (device, reports[i], -1, NULL) < 0)
        g_error ("report %u was refused", i);
    }
  us = (thread_cpu_us () - cpu_start) / (double) REPORTS;
  *wall_us = (g_get_monotonic_time () - start) / (double) REPORTS;

  if (history != NULL)
    {
      juice_history_flush (history);
      juice_history_unwatch_device (history, device);
    }

  return us;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("bench-history-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autoptr(JuiceHistory) history = NULL;
  g_autoptr(GPtrArray) reports = g_ptr_array_new_with_free_func (g_free);
  Range off = range_new (), on = range_new (), added = range_new ();
  Range wall_off = range_new (), wall_on = range_new ();
  Range inserts = range_new (), query = range_new ();
  const gint64 week = 7 * 86400;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gboolean ok = TRUE;

  g_assert_no_error (error);
  path = g_build_filename (dir, "history.db", NULL);
  history = juice_history_new (path, &error);
  g_assert_no_error (error);
  bench_now = now - 20 * 86400;
  juice_history_set_clock (history, bench_clock, NULL);

  for (guint i = 0; i < REPORTS; i++)
    g_ptr_array_add (reports, report (i));

  /* Main loop per report: off and on interleaved, so load hits both alike. */
  for (guint run = 0; run < RUNS; run++)
    {
      double wall_us_off, wall_us_on;
      double us_off = time_reports (NULL, (char **) reports->pdata, &wall_us_off);
      double us_on = time_reports (history, (char **) reports->pdata, &wall_us_on);

      range_add (&wall_off, wall_us_off);
      range_add (&wall_on, wall_us_on);
      range_add (&off, us_off);
      range_add (&on, us_on);
      range_add (&added, us_on - us_off);
    }

  /* Sustained inserts: queue many samples, flush, count per second. */
  for (guint run = 0; run < 3; run++)
    {
      gint64 base = now - 29 * 86400 + run * 100000 * 10;
      gint64 start = g_get_monotonic_time ();

      for (guint i = 0; i < INSERTS; i++)
        juice_history_record (history, "DCABINSERT", i % 8, base + (i / 8) * 10, i % 1000);
      juice_history_flush (history);
      range_add (&inserts, INSERTS / ((g_get_monotonic_time () - start) / 1e6));
    }

  /* One week at 10 s of three series, then query and decimate each. */
  bench_now = now;
  for (gint64 t = now - week; t < now; t += 10)
    for (guint s = 0; s < 3; s++)
      juice_history_record (history, "DCABWEEK", s, t, (t / 10) % 500 + s);
  juice_history_flush (history);
  for (guint run = 0; run < 20; run++)
    {
      gint64 start = g_get_monotonic_time ();
      guint n = 0;

      for (guint s = 0; s < 3; s++)
        {
          g_autoptr(GArray) points = juice_history_query (history, "DCABWEEK", s, now - week, now,
                                                          1280, &error);
          g_assert_no_error (error);
          n += points->len;
        }
      if (n < 3 * 1000)
        g_error ("the week came back with %u points", n);
      range_add (&query, (g_get_monotonic_time () - start) / 1000.0);
    }

  g_print ("history-report-recording-off: %.1f us main-thread CPU (%.1f..%.1f, %d runs of %d "
           "reports; reference the same reports with no history)\n",
           off.min, off.min, off.max, RUNS, REPORTS);
  g_print ("history-report-recording-on: %.1f us main-thread CPU (%.1f..%.1f, %d runs of %d "
           "reports; reference recording off %.1f us)\n", on.min, on.min, on.max, RUNS, REPORTS,
           off.min);
  g_print ("history-report-added: %.1f us main-thread CPU (%.1f..%.1f, %d runs; reference budget "
           "50 us)\n", on.min - off.min, added.min, added.max, RUNS);
  g_print ("history-report-wall: %.1f us on, %.1f us off (on %.1f..%.1f, off %.1f..%.1f, %d runs; "
           "reference wall time, writer thread on the same 2 cores)\n", wall_on.min, wall_off.min,
           wall_on.min, wall_on.max, wall_off.min, wall_off.max, RUNS);
  g_print ("history-insert: %.0f samples/s (%.0f..%.0f, 3 runs of %d; reference none)\n",
           inserts.max, inserts.min, inserts.max, INSERTS);
  g_print ("history-query-week-3-series: %.2f ms (%.2f..%.2f, 20 runs; reference budget 10 ms)\n",
           query.min, query.min, query.max);

  if (on.min - off.min >= 50)
    {
      g_print ("FAIL: recording adds %.1f us per report (budget 50 us)\n", on.min - off.min);
      ok = FALSE;
    }
  if (query.min >= 10)
    {
      g_print ("FAIL: the week's query takes %.2f ms (budget 10 ms)\n", query.min);
      ok = FALSE;
    }

  g_assert_finalize_object (g_steal_pointer (&history));
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

  return ok ? 0 : 1;
}
