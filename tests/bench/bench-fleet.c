/* bench-fleet.c: fifty devices reporting once a second to one account
 *
 * DESIGN.md §6: 50 simulated devices reporting once a second keep the main
 * loop busy less than 2 % of one core.
 *
 * Two processes, so that the devices' work is not counted as Juice's:
 *  - this one runs the fake cloud (HTTPS, signatures checked) listing 50
 *    DELTA Pros, a TLS mosquitto with passwords, and the 50 simulated
 *    devices, each on the broker with a connection of its own, reporting
 *    once a second;
 *  - a child (this program with --account) runs one JuiceAccount, the real
 *    MQTT path: it signs in, fetches every device's quotas, subscribes,
 *    and applies the reports. Once every device reported live, it
 *    measures for BENCH_FLEET_SECONDS (60 by default) the CPU time of its
 *    main thread, which runs nothing but the main loop (the busy fraction),
 *    and of the whole process (the Paho threads too), and prints them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gio/gio.h>

#include "bench-util.h"
#include "fake-cloud.h"
#include "juice-account.h"
#include "mosquitto-fixture.h"
#include "sim-broker-device.h"

#define N_DEVICES 50
#define BUDGET_PERCENT 2.0

/* The account's side ------------------------------------------------------ */

static guint n_live_devices;
static guint64 n_reports;

static void
on_report_applied (JuiceDevice *device,
                   guint        n_changed,
                   gpointer     user_data)
{
  gboolean *seen = user_data;

  n_reports++;
  if (!*seen)
    {
      *seen = TRUE;
      n_live_devices++;
    }
}

static gboolean
all_live (gpointer data)
{
  return n_live_devices == N_DEVICES;
}

static int
run_account (const char *url,
             const char *cloud_ca,
             const char *broker_ca,
             guint       seconds)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JuiceCloud) cloud = NULL;
  g_autoptr(JuiceAccount) account = NULL;
  gboolean seen[N_DEVICES] = { FALSE };
  guint64 thread_start, process_start, thread_ns, process_ns, reports_start;
  gint64 wall_start, wall_us;
  GListModel *devices;
  double busy, process_share;

  cloud = juice_cloud_new (url, cloud_ca, &error);
  g_assert_no_error (error);
  juice_cloud_set_credentials (cloud, FAKE_CLOUD_ACCESS_KEY, FAKE_CLOUD_SECRET_KEY);
  account = juice_account_new (cloud, "juice-bench-fleet");
  juice_account_set_mqtt_ca_file (account, broker_ca);
  if (!bench_connect_account (account, 120))
    return 1;

  devices = juice_account_get_devices (account);
  if (g_list_model_get_n_items (devices) != N_DEVICES)
    g_error ("bench-fleet: the account has %u devices, not %d",
             g_list_model_get_n_items (devices), N_DEVICES);
  for (guint i = 0; i < N_DEVICES; i++)
    {
      g_autoptr(JuiceDevice) device = g_list_model_get_item (devices, i);

      g_signal_connect (device, "report-applied", G_CALLBACK (on_report_applied), &seen[i]);
    }
  /* quota/all applied each device once; live reports follow. */
  n_live_devices = 0;
  memset (seen, 0, sizeof seen);
  if (!bench_wait_until (all_live, NULL, 120, "every device to report live"))
    return 1;

  reports_start = n_reports;
  thread_start = bench_thread_cpu_ns ();
  process_start = bench_process_cpu_ns ();
  wall_start = g_get_monotonic_time ();
  bench_run_for_ms (seconds * 1000);
  thread_ns = bench_thread_cpu_ns () - thread_start;
  process_ns = bench_process_cpu_ns () - process_start;
  wall_us = g_get_monotonic_time () - wall_start;

  busy = 100.0 * thread_ns / (wall_us * 1000.0);
  process_share = 100.0 * process_ns / (wall_us * 1000.0);
  printf ("fleet-main-loop: %.2f %% of a core (main thread CPU %.0f ms over %.1f s, 1 run; "
          "%" G_GUINT64_FORMAT " reports applied from %d devices, %.1f µs each; budget 2 %%)\n",
          busy, thread_ns / 1e6, wall_us / 1e6, n_reports - reports_start, N_DEVICES,
          thread_ns / 1000.0 / MAX (1, n_reports - reports_start));
  printf ("fleet-process-cpu: %.2f %% of a core (%.0f ms over %.1f s, every thread, 1 run; "
          "reference: the main thread's %.0f ms)\n",
          process_share, process_ns / 1e6, wall_us / 1e6, thread_ns / 1e6);

  juice_account_disconnect (account);
  while (g_main_context_iteration (NULL, FALSE))
    ;

  if (n_reports - reports_start < (guint64) N_DEVICES * seconds / 2)
    {
      printf ("FAIL: only %" G_GUINT64_FORMAT " reports in %u s\n", n_reports - reports_start, seconds);
      return 1;
    }
  if (busy > BUDGET_PERCENT)
    {
      printf ("FAIL: fleet-main-loop over budget\n");
      return 1;
    }
  return 0;
}

/* The devices' side ------------------------------------------------------- */

static gboolean
sims_connected (gpointer data)
{
  GPtrArray *links = data;

  for (guint i = 0; i < links->len; i++)
    if (juice_mqtt_get_state (sim_broker_device_get_mqtt (links->pdata[i])) != JUICE_MQTT_STATE_CONNECTED)
      return FALSE;
  return TRUE;
}

static gboolean
child_exited (gpointer data)
{
  return g_subprocess_get_identifier (data) == NULL;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FakeCloudCerts) certs = NULL;
  g_autoptr(FakeCloud) fake = NULL;
  g_autoptr(MosquittoFixture) broker = NULL;
  g_autoptr(GPtrArray) links = g_ptr_array_new_with_free_func ((GDestroyNotify) sim_broker_device_free);
  g_autoptr(GSubprocess) child = NULL;
  g_autofree char *port = NULL;
  const char *env = g_getenv ("BENCH_FLEET_SECONDS");
  guint seconds = env ? (guint) g_ascii_strtoull (env, NULL, 10) : 60;
  g_autofree char *seconds_text = NULL;

  setlocale (LC_ALL, "");
  setvbuf (stdout, NULL, _IOLBF, 0);
  if (seconds == 0)
    seconds = 60;

  if (argc == 6 && g_str_equal (argv[1], "--account"))
    return run_account (argv[2], argv[3], argv[4], (guint) g_ascii_strtoull (argv[5], NULL, 10));

  certs = fake_cloud_certs_new (&error);
  g_assert_no_error (error);
  fake = fake_cloud_new (certs, TRUE);
  broker = mosquitto_fixture_new (&error);
  if (broker == NULL)
    g_error ("bench-fleet: no broker: %s", error->message);
  fake_cloud_set_certification (fake, mosquitto_fixture_get_host (broker),
                                mosquitto_fixture_get_port (broker),
                                mosquitto_fixture_get_account (broker),
                                mosquitto_fixture_get_password (broker));

  for (guint i = 0; i < N_DEVICES; i++)
    {
      g_autofree char *sn = g_strdup_printf ("DCABZ8A1B2C3%04u", i);
      g_autofree char *name = g_strdup_printf ("Station %u", i + 1);
      JuiceSimDevice *sim = fake_cloud_add_device (fake, sn, name, "DELTA Pro");
      SimBrokerDevice *link;

      g_object_set (sim, "time-of-day", 12.0, "report-interval-ms", 1000, NULL);
      link = sim_broker_device_new (sim, mosquitto_fixture_get_host (broker),
                                    mosquitto_fixture_get_port (broker),
                                    mosquitto_fixture_get_ca_file (broker),
                                    mosquitto_fixture_get_account (broker),
                                    mosquitto_fixture_get_password (broker));
      if (!sim_broker_device_start (link, &error))
        g_error ("bench-fleet: device %u is not on the broker: %s", i, error->message);
      g_ptr_array_add (links, link);
    }
  if (!bench_wait_until (sims_connected, links, 120, "the devices to reach the broker"))
    return 1;

  seconds_text = g_strdup_printf ("%u", seconds);
  child = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, argv[0], "--account",
                            fake_cloud_get_base_url (fake), certs->ca_file,
                            mosquitto_fixture_get_ca_file (broker), seconds_text, NULL);
  if (child == NULL)
    g_error ("bench-fleet: cannot start the account: %s", error->message);
  /* Reaps it, so that its identifier goes away when it ends. */
  g_subprocess_wait_async (child, NULL, NULL, NULL);
  /* The child's own deadlines end it; this one is for a hang. */
  if (!bench_wait_until (child_exited, child, seconds + 300, "the account process"))
    {
      g_subprocess_force_exit (child);
      return 1;
    }
  g_subprocess_wait (child, NULL, NULL);
  return g_subprocess_get_if_exited (child) ? g_subprocess_get_exit_status (child) : 1;
}
