/* soak-world.c: the soak's world, in a process of its own
 *
 * The fake cloud (HTTPS, signatures checked) listing N DELTA Pros, and the
 * N simulated devices on the broker, each with a JuiceMqtt of its own. In
 * the soak's process they would count in the memory the soak measures (the
 * fake cloud keeps a record of every request, the devices are N more MQTT
 * clients and their reports), so the soak (soak.c) starts them here and
 * measures only the account and its views.
 *
 *   soak-world HOST PORT CA_FILE ACCOUNT PASSWORD N_DEVICES REPORT_INTERVAL_MS
 *
 * Says on standard output, one line each:
 *   "ready URL CA_FILE"  the fake cloud listens at URL, its CA is CA_FILE;
 *   "connected N"        N devices are on the broker (whenever N changes);
 *   "failures N"         the requests failed at random so far (asked).
 * Reads on standard input, one line each:
 *   "flaky RATE SEED"    fails requests at random (fake_cloud_set_failure_rate);
 *   "clear"              forgets the requests seen so far;
 *   "failures"           asks for the "failures" line.
 * Ends when its standard input ends, and with its parent.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "soak-world"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>

#include <gio/gio.h>
#include <gio/gunixinputstream.h>

#include "fake-cloud.h"
#include "sim-broker-device.h"

typedef struct
{
  FakeCloud        *fake;
  GPtrArray        *links;
  GDataInputStream *input;
  guint             n_connected;
  gboolean          done;
} World;

static void
count_connected (World *world)
{
  guint n = 0;

  for (guint i = 0; i < world->links->len; i++)
    if (juice_mqtt_get_state (sim_broker_device_get_mqtt (world->links->pdata[i])) ==
        JUICE_MQTT_STATE_CONNECTED)
      n++;
  if (n != world->n_connected)
    {
      world->n_connected = n;
      printf ("connected %u\n", n);
    }
}

static void
on_state (JuiceMqtt  *mqtt,
          GParamSpec *pspec,
          World      *world)
{
  count_connected (world);
}

static void
handle_line (World      *world,
             const char *line)
{
  g_auto(GStrv) words = g_strsplit (line, " ", -1);

  if (g_strcmp0 (words[0], "flaky") == 0 && g_strv_length (words) == 3)
    fake_cloud_set_failure_rate (world->fake, g_ascii_strtod (words[1], NULL),
                                 FAKE_CLOUD_FAIL_NONE,
                                 (guint32) g_ascii_strtoull (words[2], NULL, 10));
  else if (g_strcmp0 (words[0], "clear") == 0)
    fake_cloud_clear_requests (world->fake);
  else if (g_strcmp0 (words[0], "failures") == 0)
    printf ("failures %u\n", fake_cloud_get_n_random_failures (world->fake));
  else
    g_printerr ("soak-world: unknown command \"%s\"\n", line);
}

static void
read_line_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  World *world = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = g_data_input_stream_read_line_finish_utf8 (world->input, result,
                                                                     NULL, &error);

  if (line == NULL)
    {
      /* End of input: the soak is over (or gone). */
      world->done = TRUE;
      return;
    }
  handle_line (world, line);
  g_data_input_stream_read_line_async (world->input, G_PRIORITY_DEFAULT, NULL, read_line_cb,
                                       world);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FakeCloudCerts) certs = NULL;
  g_autoptr(GInputStream) stdin_stream = NULL;
  World world = { NULL };
  guint n_devices, report_interval_ms, port;

  /* The soak may end by an assertion: the world goes with it. */
  prctl (PR_SET_PDEATHSIG, SIGKILL);
  setvbuf (stdout, NULL, _IOLBF, 0);
  if (argc != 8)
    {
      g_printerr ("usage: soak-world HOST PORT CA_FILE ACCOUNT PASSWORD N_DEVICES "
                  "REPORT_INTERVAL_MS\n");
      return 2;
    }
  port = (guint) g_ascii_strtoull (argv[2], NULL, 10);
  n_devices = (guint) g_ascii_strtoull (argv[6], NULL, 10);
  report_interval_ms = (guint) g_ascii_strtoull (argv[7], NULL, 10);

  certs = fake_cloud_certs_new (&error);
  if (certs == NULL)
    g_error ("soak-world: no certificates: %s", error->message);
  world.fake = fake_cloud_new (certs, TRUE);
  fake_cloud_set_certification (world.fake, argv[1], port, argv[4], argv[5]);

  world.links = g_ptr_array_new_with_free_func ((GDestroyNotify) sim_broker_device_free);
  for (guint i = 0; i < n_devices; i++)
    {
      g_autofree char *sn = g_strdup_printf ("DCABZ8A1B2C3%04u", i);
      g_autofree char *name = g_strdup_printf ("Station %u", i + 1);
      JuiceSimDevice *sim = fake_cloud_add_device (world.fake, sn, name, "DELTA Pro");
      SimBrokerDevice *link;

      g_object_set (sim, "time-of-day", 12.0, "report-interval-ms", report_interval_ms,
                    "ack-delay-ms", 100, "apply-delay-ms", 300, NULL);
      link = sim_broker_device_new (sim, argv[1], port, argv[3], argv[4], argv[5]);
      g_signal_connect (sim_broker_device_get_mqtt (link), "notify::state",
                        G_CALLBACK (on_state), &world);
      if (!sim_broker_device_start (link, &error))
        g_error ("soak-world: device %u is not on the broker: %s", i, error->message);
      g_ptr_array_add (world.links, link);
    }

  printf ("ready %s %s\n", fake_cloud_get_base_url (world.fake), certs->ca_file);
  printf ("connected %u\n", world.n_connected);
  count_connected (&world);

  stdin_stream = g_unix_input_stream_new (0, FALSE);
  world.input = g_data_input_stream_new (stdin_stream);
  g_data_input_stream_read_line_async (world.input, G_PRIORITY_DEFAULT, NULL, read_line_cb,
                                       &world);
  while (!world.done)
    g_main_context_iteration (NULL, TRUE);

  for (guint i = 0; i < world.links->len; i++)
    g_signal_handlers_disconnect_by_func (sim_broker_device_get_mqtt (world.links->pdata[i]),
                                          on_state, &world);
  g_clear_pointer (&world.links, g_ptr_array_unref);
  g_clear_pointer (&world.fake, fake_cloud_free);
  g_clear_object (&world.input);
  return 0;
}
