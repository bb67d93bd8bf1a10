/* bench-memory.c: resident memory stays flat over 100,000 applied reports
 *
 * DESIGN.md §6: memory grows by less than 2 MB over 100,000 applied
 * reports. A DELTA Pro simulator makes the reports (partial ones, about
 * once a "second" of its time, and a full one every 1,000 as after a
 * reconnect); each goes through the same bytes path as a /quota message
 * into a JuiceDevice with a window's views bound (bench-views.c), the main
 * loop turning between reports so that the window keeps up and draws.
 *
 * Resident memory is read after a warm-up of 10,000 reports and at the end,
 * each time after malloc_trim(0): memory the allocator keeps free but
 * unreturned is not growth, and trimming at both ends compares like with
 * like. The history writer finishes its queue before each reading too:
 * reports come here thousands of times faster than a device sends them,
 * and the samples still on their way to the disk are a backlog of the
 * benchmark's pace, not growth. BENCH_MEMORY_REPORTS overrides the count.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <locale.h>
#include <malloc.h>
#include <stdio.h>

#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "bench-util.h"
#include "bench-views.h"
#include "juice-history.h"
#include "juice-device.h"
#include "juice-sim-device.h"

#define SN "DCABZ8A1B2C3D4E5"
#define WARM_UP 10000
#define BUDGET_KB 2048

static JuiceDevice *device;
static guint64 n_applied;

static void
on_report (JuiceSimDevice *sim,
           JsonObject     *params,
           gpointer        user_data)
{
  g_autoptr(JsonNode) message = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonObject) object = json_object_new ();
  g_autofree char *bytes = NULL;

  json_object_set_string_member (object, "id", "1");
  json_object_set_string_member (object, "version", "1.0");
  json_object_set_int_member (object, "timestamp", 1700000000000 + n_applied);
  json_object_set_object_member (object, "params", json_object_ref (params));
  json_node_set_object (message, object);
  bytes = json_to_string (message, FALSE);
  if (juice_device_apply_report_bytes (device, bytes, -1, NULL) < 0)
    g_error ("report rejected");
  n_applied++;
}

static void
drain (void)
{
  for (guint i = 0; i < 1000 && g_main_context_iteration (NULL, FALSE); i++)
    ;
}

static guint64
trimmed_rss_kb (GPtrArray *views)
{
  drain ();
  for (guint i = 0; i < views->len; i++)
    if (JUICE_IS_HISTORY (g_ptr_array_index (views, i)))
      juice_history_flush (g_ptr_array_index (views, i));
  malloc_trim (0);
  return bench_rss_kb (0);
}

static void
run_reports (JuiceSimDevice *sim,
             guint64         n)
{
  for (guint64 i = 0; i < n; i++)
    {
      if (n_applied % 1000 == 0)
        juice_sim_device_report_all (sim);
      else
        juice_sim_device_step (sim, 1.0);
      /* The window follows and draws as it would between reports. */
      if (i % 50 == 0)
        drain ();
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(JuiceSimDevice) sim = NULL;
  g_autoptr(GPtrArray) keep = NULL;
  g_autoptr(GString) view_names = g_string_new (NULL);
  const char *env = g_getenv ("BENCH_MEMORY_REPORTS");
  guint64 n = env ? g_ascii_strtoull (env, NULL, 10) : 100000;
  guint64 before, after, start_kb;
  gint64 started;
  GtkWidget *window, *box;
  double growth_mb;

  setlocale (LC_ALL, "");
  setvbuf (stdout, NULL, _IOLBF, 0);
  /* As the app runs under Xvfb: GL there is software rendering. */
  g_setenv ("GSK_RENDERER", "cairo", FALSE);
  if (!gtk_init_check ())
    {
      printf ("bench-memory: skipped: no display (run it with build-aux/dev.sh bench)\n");
      return 77;
    }
  adw_init ();
  start_kb = bench_rss_kb (0);

  sim = juice_sim_device_new (SN);
  g_object_set (sim, "report-interval-ms", 0, "time-of-day", 6.0, NULL);
  device = juice_device_new (SN, juice_device_profile_delta_pro ());
  juice_device_set_name (device, "Cabin");
  juice_device_set_online (device, TRUE);
  g_signal_connect (sim, "report", G_CALLBACK (on_report), NULL);
  juice_sim_device_report_all (sim);

  window = adw_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 800);
  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  adw_window_set_content (ADW_WINDOW (window), box);
  keep = bench_views_bind (device, GTK_BOX (box), view_names);
  gtk_window_present (GTK_WINDOW (window));
  if (!bench_views_wait_ready (window))
    return 1;

  run_reports (sim, WARM_UP);
  before = trimmed_rss_kb (keep);
  started = g_get_monotonic_time ();
  run_reports (sim, n);
  after = trimmed_rss_kb (keep);

  growth_mb = ((double) after - (double) before) / 1024.0;
  printf ("memory-growth: %+.2f MB (%.1f MB after %" G_GUINT64_FORMAT " reports, %.1f MB after "
          "a warm-up of %u, 1 run of %.0f s, malloc_trim before each reading; reference: "
          "%.1f MB at start; views: %s; budget 2 MB)\n",
          growth_mb, after / 1024.0, n, before / 1024.0, WARM_UP,
          (g_get_monotonic_time () - started) / 1e6, start_kb / 1024.0, view_names->str);

  g_signal_handlers_disconnect_by_func (sim, on_report, NULL);
  gtk_window_destroy (GTK_WINDOW (window));
  drain ();
  g_clear_object (&device);

  if ((gint64) after - (gint64) before > BUDGET_KB)
    {
      printf ("FAIL: memory-growth over budget\n");
      return 1;
    }
  return 0;
}
