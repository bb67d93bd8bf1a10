/* soak.c: Juice's account against a flaky cloud and a broker that dies
 *
 * For SOAK_MINUTES (2 by default; `build-aux/dev.sh soak MINUTES`):
 *  - the fake cloud (HTTPS, signatures checked) lists 10 DELTA Pros and
 *    fails 10 % of the requests at random (HTTP 500 and code 1000 in turn)
 *    once the account is connected;
 *  - a TLS mosquitto with passwords carries 10 simulated devices reporting
 *    at 20× the real rate (every 50 ms); it is killed (SIGKILL, no word to
 *    its clients) at the end of every minute and started again 5 s later;
 *  - the fake cloud and the simulated devices run in a child process
 *    (soak-world.c), so that the memory measured here is the account's and
 *    its views' only;
 *  - one JuiceAccount, with the window's views (bench-views.c: device
 *    page and sidebar row) bound to the first device under a display,
 *    takes the reports, and a command (the beep setting toggled) goes to
 *    a device every 3 s, over MQTT or, while the broker is away, HTTP.
 *
 * At the end it checks, and prints with its figures:
 *  - no crash, no critical (the process ran to the end, fatal warnings);
 *  - every command confirmed, or rolled back with a message: none left
 *    pending, none unanswered;
 *  - memory flat: this process's resident memory at the end of the last
 *    minute within 4 MB of the end of the first (each reading after
 *    malloc_trim(0));
 *  - no reconnect storm: the account's connections counted at the broker
 *    (its log) at most two per broker start, and every device reporting
 *    again after the last restart;
 *  - no gap in any device's reports longer than an outage and the
 *    reconnect backoff's ceiling (60 s);
 *  - the history database (the recorder is one of the views) intact
 *    (SQLite's integrity_check) and no gap between its samples of the
 *    first device longer than that and one 10 s slot.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <locale.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>

#include <adwaita.h>
#include <sqlite3.h>

#include "bench-util.h"
#include "bench-views.h"
#include "fake-cloud.h"
#include "juice-account.h"
#include "juice-history.h"
#include "mosquitto-fixture.h"

#define N_DEVICES 10
#define REPORT_INTERVAL_MS 50      /* 20× the real once a second */
#define COMMAND_INTERVAL_MS 3000
#define FAILURE_RATE 0.10
#define CLIENT_ID "juice-soak"
#define MEMORY_BUDGET_KB 4096
#define OUTAGE_MS 5000             /* the broker stays dead this long */
/* A device's reports may pause for the outage and at most the reconnect
 * backoff's ceiling (DESIGN.md §7: 0.5 s doubling to 60 s) after it. */
#define GAP_SLACK_S 60

typedef struct
{
  JuiceDevice *device;
  guint64      n_reports;
  gint64       last_report;   /* monotonic µs */
  gint64       max_gap;       /* µs between two reports, while measuring */
} Watched;

static JuiceAccount *account;
static Watched watched[N_DEVICES];
static guint n_commands, n_confirmed, n_rolled_back, n_outstanding, n_bad_rollbacks;
static guint next_device;

/* The world (soak-world.c) ---------------------------------------------------- */

static struct
{
  GSubprocess      *process;
  GDataInputStream *output;
  char             *url;
  char             *ca_file;
  guint             n_connected;    /* devices on the broker, as it last said */
  int               n_failures;     /* -1 until it answered "failures" */
  gboolean          ended;
} world = { .n_failures = -1 };

static void
world_read_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *line = g_data_input_stream_read_line_finish_utf8 (world.output, result,
                                                                     NULL, &error);
  g_auto(GStrv) words = NULL;

  if (line == NULL)
    {
      world.ended = TRUE;
      return;
    }
  words = g_strsplit (line, " ", -1);
  if (g_strcmp0 (words[0], "ready") == 0 && g_strv_length (words) == 3)
    {
      world.url = g_strdup (words[1]);
      world.ca_file = g_strdup (words[2]);
    }
  else if (g_strcmp0 (words[0], "connected") == 0 && words[1] != NULL)
    world.n_connected = (guint) g_ascii_strtoull (words[1], NULL, 10);
  else if (g_strcmp0 (words[0], "failures") == 0 && words[1] != NULL)
    world.n_failures = (int) g_ascii_strtoull (words[1], NULL, 10);
  g_data_input_stream_read_line_async (world.output, G_PRIORITY_DEFAULT, NULL, world_read_cb,
                                       NULL);
}

static void
world_child_setup (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static void
world_start (MosquittoFixture *broker)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GError) error = NULL;
  g_autofree char *port = g_strdup_printf ("%u", mosquitto_fixture_get_port (broker));
  g_autofree char *n_devices = g_strdup_printf ("%d", N_DEVICES);
  g_autofree char *interval = g_strdup_printf ("%d", REPORT_INTERVAL_MS);
  const char *path = g_getenv ("SOAK_WORLD");

  if (path == NULL)
    g_error ("soak: SOAK_WORLD does not name soak-world (tests/soak/meson.build sets it)");
  g_subprocess_launcher_set_child_setup (launcher, world_child_setup, NULL, NULL);
  world.process = g_subprocess_launcher_spawn (launcher, &error, path,
                                               mosquitto_fixture_get_host (broker), port,
                                               mosquitto_fixture_get_ca_file (broker),
                                               mosquitto_fixture_get_account (broker),
                                               mosquitto_fixture_get_password (broker),
                                               n_devices, interval, NULL);
  if (world.process == NULL)
    g_error ("soak: %s did not start: %s", path, error->message);
  world.output = g_data_input_stream_new (g_subprocess_get_stdout_pipe (world.process));
  g_data_input_stream_read_line_async (world.output, G_PRIORITY_DEFAULT, NULL, world_read_cb,
                                       NULL);
}

static void
world_send (const char *line)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strconcat (line, "\n", NULL);

  if (!g_output_stream_write_all (g_subprocess_get_stdin_pipe (world.process), text,
                                  strlen (text), NULL, NULL, &error))
    g_error ("soak: the world does not listen: %s", error->message);
}

static gboolean
world_ready (gpointer data)
{
  return world.url != NULL || world.ended;
}

static gboolean
world_answered (gpointer data)
{
  return world.n_failures >= 0 || world.ended;
}

/* Stops the world (the end of its input) and waits for it to end. */
static void
world_stop (void)
{
  g_autoptr(GError) error = NULL;

  if (world.process == NULL)
    return;
  g_output_stream_close (g_subprocess_get_stdin_pipe (world.process), NULL, NULL);
  if (!g_subprocess_wait (world.process, NULL, &error) ||
      !g_subprocess_get_if_exited (world.process) ||
      g_subprocess_get_exit_status (world.process) != 0)
    g_printerr ("soak: the world did not end well\n");
  g_clear_object (&world.output);
  g_clear_object (&world.process);
  g_clear_pointer (&world.url, g_free);
  g_clear_pointer (&world.ca_file, g_free);
}

/* Commands ----------------------------------------------------------------- */

typedef struct
{
  JuiceDevice *device;
  gint64       value;
} Command;

static void
set_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  Command *command = user_data;
  g_autoptr(GError) error = NULL;

  n_outstanding--;
  if (juice_device_set_finish (JUICE_DEVICE (object), result, &error))
    n_confirmed++;
  else
    {
      gint64 shown;

      n_rolled_back++;
      /* Rolled back: nothing pending, and a sentence to show. */
      if (error->message == NULL || error->message[0] == '\0' ||
          juice_device_is_setting_pending (command->device, "beep") ||
          !juice_device_get_setting_value (command->device, "beep", &shown))
        {
          n_bad_rollbacks++;
          g_printerr ("soak: a command failed without a proper rollback: %s\n", error->message);
        }
      g_debug ("command rolled back: %s", error->message);
    }
  g_object_unref (command->device);
  g_free (command);
}

static gboolean
send_command (gpointer data)
{
  JuiceDevice *device = watched[next_device++ % N_DEVICES].device;
  Command *command;
  gint64 value = 0;

  /* One command at a time per setting: a newer one would supersede it. */
  if (juice_device_is_setting_pending (device, "beep"))
    return G_SOURCE_CONTINUE;

  juice_device_get_setting_value (device, "beep", &value);
  command = g_new0 (Command, 1);
  command->device = g_object_ref (device);
  command->value = !value;
  n_commands++;
  n_outstanding++;
  juice_device_set_async (device, "beep", command->value, NULL, set_cb, command);
  return G_SOURCE_CONTINUE;
}

/* Waiting ------------------------------------------------------------------ */

static gboolean measuring_gaps;

static void
on_report_applied (JuiceDevice *device,
                   guint        n_changed,
                   Watched     *w)
{
  gint64 now = g_get_monotonic_time ();

  w->n_reports++;
  if (measuring_gaps && w->last_report != 0)
    w->max_gap = MAX (w->max_gap, now - w->last_report);
  w->last_report = now;
}

static gboolean
sims_connected (gpointer data)
{
  return world.n_connected == N_DEVICES || world.ended;
}

static gboolean
sims_gone (gpointer data)
{
  return world.n_connected == 0 || world.ended;
}

static gboolean
account_connected (gpointer data)
{
  JuiceMqtt *mqtt = juice_account_get_mqtt (account);

  return mqtt != NULL && juice_mqtt_get_state (mqtt) == JUICE_MQTT_STATE_CONNECTED;
}

static guint64 reports_mark[N_DEVICES];

static void
mark_reports (void)
{
  for (guint i = 0; i < N_DEVICES; i++)
    reports_mark[i] = watched[i].n_reports;
}

/* Every device has reported through the account since the mark. */
static gboolean
all_reported_since_mark (gpointer data)
{
  for (guint i = 0; i < N_DEVICES; i++)
    if (watched[i].n_reports < reports_mark[i] + 2)
      return FALSE;
  return TRUE;
}

static gboolean
no_outstanding (gpointer data)
{
  return n_outstanding == 0;
}

static int
compare_times (gconstpointer a,
               gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* SQLite's own check of the file, on a connection of its own. */
static char *
integrity_check (const char *path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *result;

  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL) != SQLITE_OK ||
      sqlite3_step (stmt) != SQLITE_ROW)
    result = g_strdup_printf ("cannot check: %s", db ? sqlite3_errmsg (db) : "no memory");
  else
    result = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return result;
}

/* The longest time between two recorded samples of @serial_number in
 * [@from, @to], any series; 0 with fewer than two. */
static gint64
history_max_gap (JuiceHistory *history,
                 const char   *serial_number,
                 gint64        from,
                 gint64        to,
                 guint        *n_samples)
{
  g_autoptr(GHashTable) times = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr(GArray) sorted = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GList) keys = NULL;
  gint64 gap = 0;

  for (guint s = 0; s < JUICE_HISTORY_N_SERIES; s++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GArray) points = juice_history_query (history, serial_number, s, from, to,
                                                      100000, &error);

      g_assert_no_error (error);
      for (guint i = 0; i < points->len; i++)
        {
          JuiceHistoryPoint *point = &g_array_index (points, JuiceHistoryPoint, i);

          g_array_append_val (sorted, point->time);
        }
    }
  g_array_sort (sorted, (GCompareFunc) compare_times);
  for (guint i = 1; i < sorted->len; i++)
    gap = MAX (gap, g_array_index (sorted, gint64, i) - g_array_index (sorted, gint64, i - 1));
  *n_samples = sorted->len;
  return gap;
}

/* What malloc has handed out and not had back, in kB: where resident
 * memory grows but this does not, nothing is held that should not be. */
static guint64
heap_in_use_kb (void)
{
  struct mallinfo2 info = mallinfo2 ();

  return (info.uordblks + info.hblkhd) / 1024;
}

static guint64
trimmed_rss_kb (void)
{
  malloc_trim (0);
  return bench_rss_kb (0);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MosquittoFixture) broker = NULL;
  g_autoptr(JuiceCloud) cloud = NULL;
  g_autoptr(GPtrArray) keep = NULL;
  g_autoptr(GString) view_names = g_string_new (NULL);
  const char *env = g_getenv ("SOAK_MINUTES");
  guint minutes = env ? (guint) g_ascii_strtoull (env, NULL, 10) : 2;
  guint64 rss_first = 0, rss_last = 0, rss_world = 0, total_reports = 0;
  guint64 heap_first = 0, heap_last = 0;
  gint64 max_gap = 0, started_real = 0, history_gap = 0;
  g_autofree char *integrity = NULL;
  JuiceHistory *history = NULL;
  guint n_samples = 0;
  double max_outage_s = 0, max_back_s = 0;
  guint account_connects, all_connects, command_source, n_problems = 0;
  gboolean ok = TRUE;
  GtkWidget *window, *box;
  gint64 started;

  setlocale (LC_ALL, "");
  setvbuf (stdout, NULL, _IOLBF, 0);
  g_setenv ("GSK_RENDERER", "cairo", FALSE);
  if (minutes == 0)
    minutes = 2;
  if (!gtk_init_check ())
    {
      printf ("1..0 # SKIP no display (run it with build-aux/dev.sh soak)\n");
      return 77;
    }
  adw_init ();
  printf ("1..1\n");

  broker = mosquitto_fixture_new (&error);
  if (broker == NULL)
    g_error ("soak: no broker: %s", error->message);
  world_start (broker);
  if (!bench_wait_until (world_ready, NULL, 120, "the fake cloud to listen") || world.ended)
    return 1;
  if (!bench_wait_until (sims_connected, NULL, 120, "the devices to reach the broker") ||
      world.ended)
    return 1;

  cloud = juice_cloud_new (world.url, world.ca_file, &error);
  g_assert_no_error (error);
  juice_cloud_set_credentials (cloud, FAKE_CLOUD_ACCESS_KEY, FAKE_CLOUD_SECRET_KEY);
  account = juice_account_new (cloud, CLIENT_ID);
  juice_account_set_mqtt_ca_file (account, mosquitto_fixture_get_ca_file (broker));
  if (!bench_connect_account (account, 120))
    return 1;
  for (guint i = 0; i < N_DEVICES; i++)
    {
      watched[i].device = g_list_model_get_item (juice_account_get_devices (account), i);
      g_signal_connect (watched[i].device, "report-applied", G_CALLBACK (on_report_applied),
                        &watched[i]);
    }

  window = adw_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 800);
  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  adw_window_set_content (ADW_WINDOW (window), box);
  keep = bench_views_bind (watched[0].device, GTK_BOX (box), view_names);
  gtk_window_present (GTK_WINDOW (window));
  if (!bench_views_wait_ready (window))
    return 1;

  mark_reports ();
  if (!bench_wait_until (all_reported_since_mark, NULL, 120, "every device to report"))
    return 1;

  /* Now the cloud turns flaky and the commands start. */
  {
    g_autofree char *flaky = g_strdup_printf ("flaky %.2f 14", FAILURE_RATE);

    world_send (flaky);
  }
  command_source = g_timeout_add (COMMAND_INTERVAL_MS, send_command, NULL);
  started = g_get_monotonic_time ();
  measuring_gaps = TRUE;
  started_real = g_get_real_time () / G_USEC_PER_SEC;

  for (guint minute = 1; minute <= minutes; minute++)
    {
      gint64 down, up;
      double outage_s, account_s, sims_s;

      bench_run_for_ms (MAX (0, started + minute * 60 * G_USEC_PER_SEC - g_get_monotonic_time ()) / 1000);
      /* The fake cloud keeps a record of every request (in the world's
       * memory, not this process's). */
      world_send ("clear");
      if (minute == 1)
        {
          rss_first = trimmed_rss_kb ();
          heap_first = heap_in_use_kb ();
        }
      rss_last = trimmed_rss_kb ();
      heap_last = heap_in_use_kb ();
      rss_world = bench_rss_kb (atoi (g_subprocess_get_identifier (world.process)));

      /* The broker dies without a word, and comes back. */
      down = g_get_monotonic_time ();
      mosquitto_fixture_kill (broker);
      bench_run_for_ms (OUTAGE_MS);
      /* The devices' links noticed (the world says so): their figure
       * below counts from the restart. */
      bench_wait_until (sims_gone, NULL, 120, "the devices to notice the broker gone");
      if (!mosquitto_fixture_start (broker, &error))
        g_error ("soak: the broker did not come back: %s", error->message);
      outage_s = (g_get_monotonic_time () - down) / 1e6;
      max_outage_s = MAX (max_outage_s, outage_s);
      up = g_get_monotonic_time ();
      bench_wait_until (account_connected, NULL, 120, "the account to reconnect");
      account_s = (g_get_monotonic_time () - up) / 1e6;
      max_back_s = MAX (max_back_s, account_s);
      bench_wait_until (sims_connected, NULL, 120, "the devices to reconnect");
      sims_s = (g_get_monotonic_time () - up) / 1e6;
      g_printerr ("soak: minute %u: broker restarted (%.1f s down; the account back after %.1f s, "
                  "the devices after %.1f s), %u commands (%u confirmed, %u rolled back), "
                  "%.1f MB resident (the world %.1f MB)\n",
                  minute, outage_s, account_s, sims_s, n_commands, n_confirmed, n_rolled_back,
                  bench_rss_kb (0) / 1024.0, rss_world / 1024.0);
    }

  /* After the last restart: every device reports again through the account. */
  mark_reports ();
  if (!bench_wait_until (all_reported_since_mark, NULL, 120,
                         "every device to report after the last restart"))
    ok = FALSE;

  g_source_remove (command_source);
  if (!bench_wait_until (no_outstanding, NULL, 60, "the last commands to end"))
    ok = FALSE;

  measuring_gaps = FALSE;
  for (guint i = 0; keep != NULL && i < keep->len; i++)
    if (JUICE_IS_HISTORY (keep->pdata[i]))
      history = keep->pdata[i];
  if (history != NULL)
    {
      juice_history_flush (history);
      integrity = integrity_check (juice_history_get_path (history));
      history_gap = history_max_gap (history, juice_device_get_serial_number (watched[0].device),
                                     started_real, g_get_real_time () / G_USEC_PER_SEC, &n_samples);
    }
  world.n_failures = -1;
  world_send ("failures");
  if (!bench_wait_until (world_answered, NULL, 60, "the world to count its failures"))
    ok = FALSE;
  account_connects = mosquitto_fixture_count_in_log (broker, " as " CLIENT_ID " (");
  all_connects = mosquitto_fixture_count_in_log (broker, "New connection from");
  for (guint i = 0; i < N_DEVICES; i++)
    {
      total_reports += watched[i].n_reports;
      max_gap = MAX (max_gap, watched[i].max_gap);
      if (juice_device_get_problem (watched[i].device) != NULL)
        n_problems++;
    }

  printf ("# soak: %u min, %d devices reporting every %d ms, %" G_GUINT64_FORMAT " reports applied; "
          "views: %s\n", minutes, N_DEVICES, REPORT_INTERVAL_MS, total_reports, view_names->str);
  printf ("# soak: broker killed and restarted %u times, longest outage %.1f s; cloud: %u requests "
          "failed at random (%.0f %%)\n", minutes, max_outage_s,
          MAX (world.n_failures, 0), FAILURE_RATE * 100);
  printf ("# soak: commands %u: %u confirmed, %u rolled back with a message, %u bad rollbacks, "
          "%u unanswered\n", n_commands, n_confirmed, n_rolled_back, n_bad_rollbacks, n_outstanding);
  printf ("# soak: account connections at the broker %u for %u broker starts (all clients: %u "
          "TCP connections); devices with a problem shown at the end: %u\n",
          account_connects, minutes + 1, all_connects, n_problems);
  printf ("# soak: longest gap in a device's reports %.1f s (longest outage %.1f s, the account "
          "back at most %.1f s after a restart; budget the outage + %d s)\n", max_gap / 1e6,
          max_outage_s, max_back_s, GAP_SLACK_S);
  if (history != NULL)
    printf ("# soak: history database: integrity_check %s; %u samples of the first device, longest "
            "gap %" G_GINT64_FORMAT " s (budget the outage + %d s + a 10 s slot)\n",
            integrity, n_samples, history_gap, GAP_SLACK_S);
  printf ("# soak: memory %+.2f MB from the end of minute 1 to the end (%.1f MB; budget 4 MB)\n",
          ((double) rss_last - (double) rss_first) / 1024.0, rss_last / 1024.0);
  printf ("# soak: heap in use (mallinfo2) %+.2f MB from the end of minute 1 to the end (%.1f MB)\n",
          ((double) heap_last - (double) heap_first) / 1024.0, heap_last / 1024.0);

  if (n_outstanding != 0 || n_bad_rollbacks != 0 || n_confirmed == 0)
    ok = FALSE;
  if (n_confirmed + n_rolled_back != n_commands)
    ok = FALSE;
  if (account_connects > 2 * (minutes + 1) || account_connects < minutes + 1)
    ok = FALSE;
  if (max_gap / 1e6 > max_outage_s + GAP_SLACK_S)
    ok = FALSE;
  if (history != NULL &&
      (g_strcmp0 (integrity, "ok") != 0 || n_samples == 0 ||
       history_gap > max_outage_s + GAP_SLACK_S + 10))
    ok = FALSE;
  if (minutes > 1 && rss_last > rss_first + MEMORY_BUDGET_KB)
    ok = FALSE;

  printf ("%s 1 /juice/soak\n", ok ? "ok" : "not ok");

  gtk_window_destroy (GTK_WINDOW (window));
  juice_account_disconnect (account);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  for (guint i = 0; i < N_DEVICES; i++)
    {
      g_signal_handlers_disconnect_by_func (watched[i].device, on_report_applied, &watched[i]);
      g_clear_object (&watched[i].device);
    }
  g_clear_object (&account);
  world_stop ();
  return ok ? 0 : 1;
}
