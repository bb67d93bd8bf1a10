/* test-ctl-live.c: juice-ctl set over MQTT and juice-ctl watch, against the
 * fake cloud and a real broker
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <stdlib.h>
#include <string.h>

#include "fake-cloud.h"
#include "mosquitto-fixture.h"
#include "sim-broker-device.h"

#define SN "DCABZ8A1B2C3D4E5"

typedef struct
{
  FakeCloudCerts   *certs;
  FakeCloud        *fake;
  MosquittoFixture *broker;
  JuiceSimDevice   *sim;
  SimBrokerDevice  *device_link;
  char             *dir;        /* HOME of juice-ctl, outputs */
  char             *ca_file;    /* both CAs: the fake cloud's and the broker's */
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *cloud_ca = NULL;
  g_autofree char *broker_ca = NULL;
  g_autofree char *both = NULL;

  f->certs = fake_cloud_certs_new (&error);
  g_assert_no_error (error);
  f->fake = fake_cloud_new (f->certs, TRUE);
  f->broker = mosquitto_fixture_new (&error);
  g_assert_no_error (error);
  fake_cloud_set_certification (f->fake, mosquitto_fixture_get_host (f->broker),
                                mosquitto_fixture_get_port (f->broker),
                                mosquitto_fixture_get_account (f->broker),
                                mosquitto_fixture_get_password (f->broker));

  f->sim = g_object_ref (fake_cloud_add_device (f->fake, SN, "Cabin", "DELTA Pro"));
  g_object_set (f->sim, "time-of-day", 12.0, NULL);
  f->device_link = sim_broker_device_new (f->sim, mosquitto_fixture_get_host (f->broker),
                                          mosquitto_fixture_get_port (f->broker),
                                          mosquitto_fixture_get_ca_file (f->broker),
                                          mosquitto_fixture_get_account (f->broker),
                                          mosquitto_fixture_get_password (f->broker));
  g_assert_true (sim_broker_device_start (f->device_link, &error));
  g_assert_no_error (error);
  /* The device is on the broker before anyone talks to it. */
  while (juice_mqtt_get_state (sim_broker_device_get_mqtt (f->device_link)) != JUICE_MQTT_STATE_CONNECTED)
    g_main_context_iteration (NULL, TRUE);

  f->dir = g_dir_make_tmp ("juice-ctl-live-XXXXXX", &error);
  g_assert_no_error (error);

  /* One --ca-file for both the API and the broker, as a user behind one
   * private CA would have it. */
  g_file_get_contents (f->certs->ca_file, &cloud_ca, NULL, &error);
  g_assert_no_error (error);
  g_file_get_contents (mosquitto_fixture_get_ca_file (f->broker), &broker_ca, NULL, &error);
  g_assert_no_error (error);
  both = g_strconcat (cloud_ca, "\n", broker_ca, NULL);
  f->ca_file = g_build_filename (f->dir, "ca.pem", NULL);
  g_file_set_contents (f->ca_file, both, -1, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *cmd = NULL;

  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_pointer (&f->device_link, sim_broker_device_free);
  g_clear_object (&f->sim);
  g_clear_pointer (&f->broker, mosquitto_fixture_free);
  g_clear_pointer (&f->fake, fake_cloud_free);
  g_clear_pointer (&f->certs, fake_cloud_certs_free);

  cmd = g_strdup_printf ("rm -rf '%s'", f->dir);
  g_assert_cmpint (system (cmd), ==, 0);
  g_clear_pointer (&f->dir, g_free);
  g_clear_pointer (&f->ca_file, g_free);
}

/* Starts juice-ctl with its output going to files in the fixture's folder. */
static GSubprocess *
spawn_ctl (Fixture    *f,
           const char *name,
           ...)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *out = g_strdup_printf ("%s/%s.out", f->dir, name);
  g_autofree char *err = g_strdup_printf ("%s/%s.err", f->dir, name);
  GSubprocess *process;
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, g_strdup (g_getenv ("JUICE_CTL")));
  g_ptr_array_add (argv, g_strdup_printf ("--api-host=%s", fake_cloud_get_base_url (f->fake)));
  g_ptr_array_add (argv, g_strdup_printf ("--ca-file=%s", f->ca_file));
  va_start (args, name);
  while ((arg = va_arg (args, const char *)))
    g_ptr_array_add (argv, g_strdup (arg));
  va_end (args);
  g_ptr_array_add (argv, NULL);

  g_subprocess_launcher_setenv (launcher, "HOME", f->dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", f->dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "JUICE_ACCESS_KEY", FAKE_CLOUD_ACCESS_KEY, TRUE);
  g_subprocess_launcher_setenv (launcher, "JUICE_SECRET_KEY", FAKE_CLOUD_SECRET_KEY, TRUE);
  g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "all", TRUE);
  g_subprocess_launcher_set_stdout_file_path (launcher, out);
  g_subprocess_launcher_set_stderr_file_path (launcher, err);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  return process;
}

static char *
read_output (Fixture    *f,
             const char *name,
             const char *suffix)
{
  g_autofree char *path = g_strdup_printf ("%s/%s.%s", f->dir, name, suffix);
  char *contents = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return g_strdup ("");
  return contents;
}

static void
waited_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  gboolean *done = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  *done = TRUE;
}

static gboolean
wait_process (GSubprocess *process,
              guint        timeout_s)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_s * G_USEC_PER_SEC;
  gboolean done = FALSE;

  /* The fake cloud answers from this main loop: keep it turning. */
  g_subprocess_wait_async (process, NULL, waited_cb, &done);
  while (!done && g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }

  if (!done)
    {
      g_subprocess_force_exit (process);
      while (!done)
        g_main_context_iteration (NULL, TRUE);
      return FALSE;
    }

  return TRUE;
}

static guint
count_in (const char *haystack,
          const char *needle)
{
  guint n = 0;

  for (const char *p = strstr (haystack, needle); p != NULL; p = strstr (p + 1, needle))
    n++;
  return n;
}

/* Turns the main loop until @needle shows up @n times in juice-ctl's stderr. */
static gboolean
wait_for_stderr (Fixture    *f,
                 const char *name,
                 const char *needle,
                 guint       n,
                 guint       timeout_s)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_s * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < end)
    {
      g_autofree char *err = read_output (f, name, "err");

      if (count_in (err, needle) >= n)
        return TRUE;
      for (guint i = 0; i < 20; i++)
        g_main_context_iteration (NULL, FALSE);
      g_usleep (5000);
    }

  return FALSE;
}

static void
test_set_over_mqtt (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  guint commands = sim_broker_device_get_n_commands (f->device_link);
  guint puts = fake_cloud_count_requests (f->fake, "PUT", NULL);
  gint64 start = g_get_monotonic_time ();
  gint64 v;

  process = spawn_ctl (f, "set", "set", SN, "charge-limit", "80", NULL);
  g_assert_true (wait_process (process, 60));
  out = read_output (f, "set", "out");
  err = read_output (f, "set", "err");
  g_test_message ("juice-ctl set (%.1f s): %s", (g_get_monotonic_time () - start) / 1e6, out);
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  g_assert_nonnull (strstr (out, "charge-limit is now 80 %"));

  /* It crossed the broker, not HTTP PUT. */
  g_assert_cmpuint (sim_broker_device_get_n_commands (f->device_link), ==, commands + 1);
  g_assert_cmpuint (fake_cloud_count_requests (f->fake, "PUT", NULL), ==, puts);
  g_assert_true (juice_sim_device_get_quota_int (f->sim, "ems.maxChargeSoc", &v));
  g_assert_cmpint (v, ==, 80);
  g_assert_nonnull (strstr (err, "Sent over MQTT"));

  /* No key in any output, even at debug level. */
  g_assert_null (strstr (out, FAKE_CLOUD_SECRET_KEY));
  g_assert_null (strstr (err, FAKE_CLOUD_SECRET_KEY));
  g_assert_null (strstr (err, mosquitto_fixture_get_password (f->broker)));

  /* Refused over MQTT: exit 1 and nothing sent again over HTTP. */
  juice_sim_device_set_refuse_commands (f->sim, TRUE);
  g_clear_object (&process);
  process = spawn_ctl (f, "refused", "set", SN, "charge-limit", "70", NULL);
  g_assert_true (wait_process (process, 60));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 1);
  g_assert_cmpuint (fake_cloud_count_requests (f->fake, "PUT", NULL), ==, puts);
}

static void
test_watch (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;

  process = spawn_ctl (f, "watch", "watch", SN, "--count", "3", "--timeout", "60", NULL);
  g_assert_true (wait_for_stderr (f, "watch", "juice-ctl: Connected", 1, 30));

  juice_sim_device_set_quota_int (f->sim, "pd.soc", 61);
  juice_sim_device_set_quota_int (f->sim, "ems.maxChargeSoc", 90);
  juice_sim_device_step (f->sim, 1);

  g_assert_true (wait_process (process, 30));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  out = read_output (f, "watch", "out");
  g_test_message ("juice-ctl watch:\n%s", out);
  lines = g_strsplit (g_strstrip (out), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  /* Each line is a key the device reported, with the value it has now. */
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) kv = g_strsplit (lines[i], "=", 2);
      gint64 on_sim;

      g_assert_cmpuint (g_strv_length (kv), ==, 2);
      g_assert_true (juice_sim_device_get_quota_int (f->sim, kv[0], &on_sim));
      g_assert_cmpint (g_ascii_strtoll (kv[1], NULL, 10), ==, on_sim);
    }
}

static void
test_watch_survives_restart (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  gint64 start;

  process = spawn_ctl (f, "restart", "watch", SN, "--count", "1", "--timeout", "90", NULL);
  g_assert_true (wait_for_stderr (f, "restart", "juice-ctl: Connected", 1, 30));

  mosquitto_fixture_kill (f->broker);
  g_assert_true (wait_for_stderr (f, "restart", "juice-ctl: Reconnecting", 1, 30));
  g_assert_true (mosquitto_fixture_start (f->broker, &error));
  g_assert_no_error (error);
  start = g_get_monotonic_time ();
  g_assert_true (wait_for_stderr (f, "restart", "juice-ctl: Connected", 2, 70));
  g_test_message ("juice-ctl watch reconnected %.1f s after the broker came back",
                  (g_get_monotonic_time () - start) / 1e6);

  /* The device's link is back too; its next report reaches the watcher. */
  while (juice_mqtt_get_state (sim_broker_device_get_mqtt (f->device_link)) != JUICE_MQTT_STATE_CONNECTED)
    g_main_context_iteration (NULL, TRUE);
  juice_sim_device_set_quota_int (f->sim, "pd.soc", 17);
  juice_sim_device_step (f->sim, 1);

  g_assert_true (wait_process (process, 30));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  out = read_output (f, "restart", "out");
  g_assert_cmpuint (strlen (out), >, 0);
  g_test_message ("after the restart: %s", out);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/juice/ctl-live/set-over-mqtt", Fixture, NULL, fixture_set_up, test_set_over_mqtt,
              fixture_tear_down);
  g_test_add ("/juice/ctl-live/watch", Fixture, NULL, fixture_set_up, test_watch,
              fixture_tear_down);
  g_test_add ("/juice/ctl-live/watch-survives-restart", Fixture, NULL, fixture_set_up,
              test_watch_survives_restart, fixture_tear_down);

  return g_test_run ();
}
