/* test-ctl-live.c: juice-ctl set over MQTT and juice-ctl watch, against the
 * fake cloud and a real broker
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * juice-ctl runs as a child process while the fake cloud and the simulated
 * device answer from this process's main loop. Every wait is for a
 * condition (a line on juice-ctl's stderr, its exit, a link's state) with a
 * deadline, driven by the main loop: no fixed sleeps, no polling.
 */

#include <stdlib.h>
#include <string.h>

#include "fake-cloud.h"
#include "mosquitto-fixture.h"
#include "sim-broker-device.h"
#include "time-util.h"

#define SN  "DCABZ8A1B2C3D4E5"
#define SN2 "DCABZ8A1B2C3D4E6"   /* offline, same account */

/* Generous: the machine is shared and loaded. */
#define DEADLINE_S 30

typedef struct
{
  FakeCloudCerts   *certs;
  FakeCloud        *fake;
  MosquittoFixture *broker;
  JuiceSimDevice   *sim;
  SimBrokerDevice  *device_link;
  char             *dir;        /* HOME of juice-ctl */
  char             *ca_file;    /* both CAs: the fake cloud's and the broker's */
  char             *cloud_ca_file; /* the fake cloud's CA only */
} Fixture;

/* A juice-ctl process and what it printed so far. */
typedef struct
{
  GSubprocess  *process;
  gboolean      told_signal;
  GString      *out;
  GString      *err;
  gboolean      out_eof;
  gboolean      err_eof;
  gboolean      exited;
  char          out_buf[4096];
  char          err_buf[4096];
} Ctl;

static void
ctl_free (Ctl *ctl)
{
  g_clear_object (&ctl->process);
  g_string_free (ctl->out, TRUE);
  g_string_free (ctl->err, TRUE);
  g_free (ctl);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Ctl, ctl_free)

static gboolean
set_flag_cb (gpointer user_data)
{
  gboolean *flag = user_data;

  *flag = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until @done (checked after every dispatch) or
 * @timeout_s pass. */
static gboolean
wait_until (gboolean (*done) (gpointer data),
            gpointer   data,
            guint      timeout_s)
{
  gboolean expired = FALSE;
  guint id = g_timeout_add_seconds (test_time_scale_s (timeout_s), set_flag_cb, &expired);

  while (!done (data) && !expired)
    g_main_context_iteration (NULL, TRUE);

  if (!expired)
    g_source_remove (id);

  return done (data);
}

static gboolean
mqtt_connected (gpointer data)
{
  return juice_mqtt_get_state (data) == JUICE_MQTT_STATE_CONNECTED;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *cloud_ca = NULL;
  g_autofree char *broker_ca = NULL;
  g_autofree char *both = NULL;
  JuiceSimDevice *offline;

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
  offline = fake_cloud_add_device (f->fake, SN2, "Van", "DELTA Pro");
  juice_sim_device_set_online (offline, FALSE);

  f->device_link = sim_broker_device_new (f->sim, mosquitto_fixture_get_host (f->broker),
                                          mosquitto_fixture_get_port (f->broker),
                                          mosquitto_fixture_get_ca_file (f->broker),
                                          mosquitto_fixture_get_account (f->broker),
                                          mosquitto_fixture_get_password (f->broker));
  g_assert_true (sim_broker_device_start (f->device_link, &error));
  g_assert_no_error (error);
  /* The device is on the broker before anyone talks to it. */
  g_assert_true (wait_until (mqtt_connected, sim_broker_device_get_mqtt (f->device_link),
                             DEADLINE_S));

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
  f->cloud_ca_file = g_strdup (f->certs->ca_file);
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
  g_clear_pointer (&f->cloud_ca_file, g_free);
}

static void read_more (Ctl *ctl, gboolean err);

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Ctl *ctl = user_data;
  gboolean err = G_INPUT_STREAM (object) == g_subprocess_get_stderr_pipe (ctl->process);
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (object), result, NULL);

  if (n <= 0)
    {
      if (err)
        ctl->err_eof = TRUE;
      else
        ctl->out_eof = TRUE;
      return;
    }

  g_string_append_len (err ? ctl->err : ctl->out, err ? ctl->err_buf : ctl->out_buf, n);
  read_more (ctl, err);
}

static void
read_more (Ctl      *ctl,
           gboolean  err)
{
  GInputStream *stream = err ? g_subprocess_get_stderr_pipe (ctl->process)
                             : g_subprocess_get_stdout_pipe (ctl->process);

  g_input_stream_read_async (stream, err ? ctl->err_buf : ctl->out_buf,
                             sizeof ctl->out_buf - 1, G_PRIORITY_DEFAULT, NULL, read_cb, ctl);
}

static void
exited_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Ctl *ctl = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  ctl->exited = TRUE;
}

/* Starts juice-ctl trusting @ca_file; its output is read as it comes. */
static Ctl *
spawn_ctl_with_ca (Fixture    *f,
                   const char *ca_file,
                   const char *first_arg,
                   ...)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  Ctl *ctl = g_new0 (Ctl, 1);
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, g_strdup (g_getenv ("JUICE_CTL")));
  g_ptr_array_add (argv, g_strdup_printf ("--api-host=%s", fake_cloud_get_base_url (f->fake)));
  g_ptr_array_add (argv, g_strdup_printf ("--ca-file=%s", ca_file));
  va_start (args, first_arg);
  for (arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, g_strdup (arg));
  va_end (args);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "HOME", f->dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", f->dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "JUICE_ACCESS_KEY", FAKE_CLOUD_ACCESS_KEY, TRUE);
  g_subprocess_launcher_setenv (launcher, "JUICE_SECRET_KEY", FAKE_CLOUD_SECRET_KEY, TRUE);
  g_subprocess_launcher_setenv (launcher, "G_MESSAGES_DEBUG", "all", TRUE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);

  ctl->out = g_string_new (NULL);
  ctl->err = g_string_new (NULL);
  ctl->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata,
                                               &error);
  g_assert_no_error (error);
  read_more (ctl, FALSE);
  read_more (ctl, TRUE);
  g_subprocess_wait_async (ctl->process, NULL, exited_cb, ctl);

  return ctl;
}

#define spawn_ctl(f, ...) spawn_ctl_with_ca (f, (f)->ca_file, __VA_ARGS__)

static gboolean
ctl_done (gpointer data)
{
  Ctl *ctl = data;
  gboolean done = ctl->exited && ctl->out_eof && ctl->err_eof;

  /* A crash's report (a sanitizer's too) is on juice-ctl's stderr: shown
   * before any assertion on how it ended. */
  if (done && !ctl->told_signal && g_subprocess_get_if_signaled (ctl->process))
    {
      ctl->told_signal = TRUE;
      g_test_message ("juice-ctl ended by signal %d; stderr:\n%s",
                      g_subprocess_get_term_sig (ctl->process), ctl->err->str);
    }

  return done;
}

/* Waits for juice-ctl to exit and its output to end; kills it after
 * @timeout_s. Returns whether it ended by itself. */
static gboolean
wait_process (Ctl   *ctl,
              guint  timeout_s)
{
  if (wait_until (ctl_done, ctl, timeout_s))
    return TRUE;

  g_subprocess_force_exit (ctl->process);
  wait_until (ctl_done, ctl, DEADLINE_S);
  g_test_message ("juice-ctl did not end in %u s; stdout:\n%s\nstderr:\n%s", timeout_s,
                  ctl->out->str, ctl->err->str);
  return FALSE;
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

typedef struct
{
  Ctl        *ctl;
  const char *needle;
  guint       n;
} StderrWait;

static gboolean
stderr_has (gpointer data)
{
  StderrWait *wait = data;

  return count_in (wait->ctl->err->str, wait->needle) >= wait->n || wait->ctl->err_eof;
}

/* Turns the main loop until @needle shows up @n times in juice-ctl's stderr. */
static gboolean
wait_for_stderr (Ctl        *ctl,
                 const char *needle,
                 guint       n,
                 guint       timeout_s)
{
  StderrWait wait = { ctl, needle, n };

  wait_until (stderr_has, &wait, timeout_s);
  return count_in (ctl->err->str, needle) >= n;
}

/* The lines juice-ctl printed about the link, debug lines left out. */
static GPtrArray *
link_lines (Ctl *ctl)
{
  g_auto(GStrv) lines = g_strsplit (ctl->err->str, "\n", -1);
  GPtrArray *found = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], "juice-ctl: "))
      g_ptr_array_add (found, g_strdup (lines[i] + strlen ("juice-ctl: ")));

  return found;
}

static void
assert_clean_stderr (Ctl *ctl)
{
  /* The test environment has G_DEBUG=fatal-warnings: a critical would have
   * aborted juice-ctl; check the text too. */
  g_assert_null (strstr (ctl->err->str, "CRITICAL"));
  g_assert_null (strstr (ctl->err->str, "WARNING"));
  g_assert_null (strstr (ctl->err->str, "was not found when attempting to remove"));
  g_assert_true (g_subprocess_get_if_exited (ctl->process));
}

static void
test_set_over_mqtt (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(Ctl) ctl = NULL;
  g_autoptr(Ctl) refused = NULL;
  guint commands = sim_broker_device_get_n_commands (f->device_link);
  guint puts = fake_cloud_count_requests (f->fake, "PUT", NULL);
  gint64 start = g_get_monotonic_time ();
  gint64 v;

  ctl = spawn_ctl (f, "set", SN, "charge-limit", "80", NULL);
  g_assert_true (wait_process (ctl, 60));
  g_test_message ("juice-ctl set (%.1f s): %s", (g_get_monotonic_time () - start) / 1e6,
                  ctl->out->str);
  assert_clean_stderr (ctl);
  g_assert_cmpint (g_subprocess_get_exit_status (ctl->process), ==, 0);
  g_assert_nonnull (strstr (ctl->out->str, "charge-limit is now 80 %"));

  /* It crossed the broker, not HTTP PUT. */
  g_assert_cmpuint (sim_broker_device_get_n_commands (f->device_link), ==, commands + 1);
  g_assert_cmpuint (fake_cloud_count_requests (f->fake, "PUT", NULL), ==, puts);
  g_assert_true (juice_sim_device_get_quota_int (f->sim, "ems.maxChargeSoc", &v));
  g_assert_cmpint (v, ==, 80);
  g_assert_nonnull (strstr (ctl->err->str, "Sent over MQTT"));

  /* No key in any output, even at debug level. */
  g_assert_null (strstr (ctl->out->str, FAKE_CLOUD_SECRET_KEY));
  g_assert_null (strstr (ctl->err->str, FAKE_CLOUD_SECRET_KEY));
  g_assert_null (strstr (ctl->err->str, mosquitto_fixture_get_password (f->broker)));

  /* Refused over MQTT: exit 1 and nothing sent again over HTTP. */
  juice_sim_device_set_refuse_commands (f->sim, TRUE);
  refused = spawn_ctl (f, "set", SN, "charge-limit", "70", NULL);
  g_assert_true (wait_process (refused, 60));
  g_assert_cmpint (g_subprocess_get_exit_status (refused->process), ==, 1);
  g_assert_cmpuint (fake_cloud_count_requests (f->fake, "PUT", NULL), ==, puts);
}

static gboolean
reply_dropped (gpointer data)
{
  return sim_broker_device_get_n_dropped_replies (data) > 0;
}

static gboolean
command_arrived (gpointer data)
{
  return sim_broker_device_get_n_commands (data) > 0;
}

/* A device that applies the change and reports it but sends no set_reply:
 * the readback confirms the command. */
static void
test_set_without_reply (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(Ctl) ctl = NULL;
  guint puts = fake_cloud_count_requests (f->fake, "PUT", NULL);
  gint64 start, v;

  sim_broker_device_set_drop_replies (f->device_link, TRUE);

  ctl = spawn_ctl (f, "set", SN, "charge-limit", "75", NULL);
  /* From the command's arrival at the device, not from the start: a slow
   * build's juice-ctl may take seconds to start and connect. */
  g_assert_true (wait_until (command_arrived, f->device_link, DEADLINE_S));
  start = g_get_monotonic_time ();
  g_assert_true (wait_process (ctl, 90));
  assert_clean_stderr (ctl);
  g_assert_cmpint (g_subprocess_get_exit_status (ctl->process), ==, 0);
  g_assert_nonnull (strstr (ctl->out->str, "charge-limit is now 75 % (confirmed by the device)"));

  /* the reply was left out, the change went over MQTT only, once; the
   * device's report confirmed it without waiting out the reply's 10 s */
  g_assert_true (wait_until (reply_dropped, f->device_link, DEADLINE_S));
  g_assert_cmpuint (sim_broker_device_get_n_dropped_replies (f->device_link), ==, 1);
  g_assert_cmpuint (sim_broker_device_get_n_commands (f->device_link), ==, 1);
  g_assert_nonnull (strstr (ctl->err->str, "the device reported the change"));
  g_assert_cmpfloat ((g_get_monotonic_time () - start) / 1e6, <, 10.0);
  g_assert_cmpuint (fake_cloud_count_requests (f->fake, "PUT", NULL), ==, puts);
  g_assert_true (juice_sim_device_get_quota_int (f->sim, "ems.maxChargeSoc", &v));
  g_assert_cmpint (v, ==, 75);
}

static void
test_watch (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(Ctl) ctl = NULL;
  g_auto(GStrv) lines = NULL;

  ctl = spawn_ctl (f, "watch", SN, "--count", "3", "--timeout", "60", NULL);
  g_assert_true (wait_for_stderr (ctl, "juice-ctl: Connected", 1, DEADLINE_S));

  juice_sim_device_set_quota_int (f->sim, "pd.soc", 61);
  juice_sim_device_set_quota_int (f->sim, "ems.maxChargeSoc", 90);
  juice_sim_device_step (f->sim, 1);

  g_assert_true (wait_process (ctl, DEADLINE_S));
  assert_clean_stderr (ctl);
  g_assert_cmpint (g_subprocess_get_exit_status (ctl->process), ==, 0);
  g_test_message ("juice-ctl watch:\n%s", ctl->out->str);
  lines = g_strsplit (g_strstrip (ctl->out->str), "\n", -1);
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

typedef struct
{
  FakeCloud  *fake;
  const char *sn;
  guint       n;
} CountWait;

static gboolean
quota_all_reached (gpointer data)
{
  CountWait *wait = data;

  return fake_cloud_count_quota_all (wait->fake, wait->sn) >= wait->n;
}

static void
test_watch_survives_restart (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(Ctl) ctl = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  CountWait first = { f->fake, SN, 1 };
  CountWait second = { f->fake, SN, 2 };
  gint64 start;

  ctl = spawn_ctl (f, "watch", SN, "--count", "1", "--timeout", "90", NULL);
  g_assert_true (wait_for_stderr (ctl, "juice-ctl: Connected", 1, DEADLINE_S));

  /* quota/all once at start, for this device only */
  g_assert_true (wait_until (quota_all_reached, &first, DEADLINE_S));
  g_assert_cmpuint (fake_cloud_count_quota_all (f->fake, SN), ==, 1);
  g_assert_cmpuint (fake_cloud_count_quota_all (f->fake, SN2), ==, 0);

  mosquitto_fixture_kill (f->broker);
  g_assert_true (wait_for_stderr (ctl, "juice-ctl: Reconnecting", 1, DEADLINE_S));
  g_assert_true (mosquitto_fixture_start (f->broker, &error));
  g_assert_no_error (error);
  start = g_get_monotonic_time ();
  g_assert_true (wait_for_stderr (ctl, "juice-ctl: Connected", 2, 70));
  g_test_message ("juice-ctl watch reconnected %.1f s after the broker came back",
                  (g_get_monotonic_time () - start) / 1e6);

  /* and once more after the reconnect */
  g_assert_true (wait_until (quota_all_reached, &second, DEADLINE_S));

  /* The device's link is back too; its next report reaches the watcher. */
  g_assert_true (wait_until (mqtt_connected, sim_broker_device_get_mqtt (f->device_link), 70));
  juice_sim_device_set_quota_int (f->sim, "pd.soc", 17);
  juice_sim_device_step (f->sim, 1);

  g_assert_true (wait_process (ctl, DEADLINE_S));
  assert_clean_stderr (ctl);
  g_assert_cmpint (g_subprocess_get_exit_status (ctl->process), ==, 0);
  g_assert_cmpuint (ctl->out->len, >, 0);
  g_test_message ("after the restart: %s", ctl->out->str);

  g_assert_cmpuint (fake_cloud_count_quota_all (f->fake, SN), ==, 2);
  g_assert_cmpuint (fake_cloud_count_quota_all (f->fake, SN2), ==, 0);

  /* Each change of state is printed once: no countdown, no state twice in
   * a row, one spelling of "Connecting…". */
  lines = link_lines (ctl);
  for (guint i = 0; i < lines->len; i++)
    {
      const char *line = g_ptr_array_index (lines, i);

      g_test_message ("link: %s", line);
      g_assert_cmpstr (line, !=, "Connecting");
      if (i > 0)
        {
          const char *before = g_ptr_array_index (lines, i - 1);

          g_assert_false (g_str_has_prefix (line, "Reconnecting in") &&
                          g_str_has_prefix (before, "Reconnecting in"));
          g_assert_cmpstr (line, !=, before);
        }
    }
}

/* The broker's certificate is signed by a CA the client does not trust:
 * retrying cannot help, so the watch ends at once, exit 1, and says why. */
static void
test_watch_untrusted_broker (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(Ctl) ctl = NULL;
  /* Ending "at once" is under a third of --timeout, both stretched alike. */
  g_autofree char *timeout = g_strdup_printf ("%u", test_time_scale_s (60));
  gint64 start = g_get_monotonic_time ();
  double elapsed;

  ctl = spawn_ctl_with_ca (f, f->cloud_ca_file, "watch", SN, "--count", "1", "--timeout",
                           timeout, NULL);
  g_assert_true (wait_process (ctl, 90));
  elapsed = (g_get_monotonic_time () - start) / 1e6;
  g_test_message ("ended after %.1f s:\n%s", elapsed, ctl->err->str);

  assert_clean_stderr (ctl);
  g_assert_cmpint (g_subprocess_get_exit_status (ctl->process), ==, 1);
  g_assert_nonnull (strstr (ctl->err->str, "certificate is not trusted"));
  g_assert_cmpstr (ctl->out->str, ==, "");
  /* at once, not after --timeout */
  g_assert_cmpfloat (elapsed, <, 20.0 * test_time_scale ());
}

/* The broker refuses the account, fresh credentials too: exit 3 at once. */
static void
test_watch_refused_account (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(Ctl) ctl = NULL;
  /* Ending "at once" is under a third of --timeout, both stretched alike. */
  g_autofree char *timeout = g_strdup_printf ("%u", test_time_scale_s (60));
  gint64 start = g_get_monotonic_time ();
  double elapsed;

  fake_cloud_set_certification (f->fake, mosquitto_fixture_get_host (f->broker),
                                mosquitto_fixture_get_port (f->broker),
                                mosquitto_fixture_get_account (f->broker), "not-the-password");

  ctl = spawn_ctl (f, "watch", SN, "--count", "1", "--timeout", timeout, NULL);
  g_assert_true (wait_process (ctl, 90));
  elapsed = (g_get_monotonic_time () - start) / 1e6;
  g_test_message ("ended after %.1f s:\n%s", elapsed, ctl->err->str);

  assert_clean_stderr (ctl);
  g_assert_cmpint (g_subprocess_get_exit_status (ctl->process), ==, 3);
  g_assert_nonnull (strstr (ctl->err->str, "refused the account"));
  /* the credentials were renewed once: two certification requests */
  g_assert_cmpuint (fake_cloud_count_requests (f->fake, "GET", "/iot-open/sign/certification"),
                    ==, 2);
  g_assert_cmpfloat (elapsed, <, 20.0 * test_time_scale ());
}

/* A broker that cannot be reached: by --timeout the watch never connected,
 * exit 1; the timeout source is removed once (no GLib critical). */
static void
test_watch_never_connected (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(Ctl) ctl = NULL;
  g_autoptr(Ctl) connected = NULL;

  mosquitto_fixture_kill (f->broker);

  ctl = spawn_ctl (f, "watch", SN, "--timeout", "3", NULL);
  g_assert_true (wait_process (ctl, 60));
  assert_clean_stderr (ctl);
  g_assert_cmpint (g_subprocess_get_exit_status (ctl->process), ==, 1);
  g_assert_nonnull (strstr (ctl->err->str, "never connected within 3 s"));

  /* and a watch that did connect ends with 0 when --timeout passes */
  g_assert_true (mosquitto_fixture_start (f->broker, NULL));
  connected = spawn_ctl (f, "watch", SN, "--timeout", "8", NULL);
  g_assert_true (wait_process (connected, 60));
  assert_clean_stderr (connected);
  g_assert_cmpint (g_subprocess_get_exit_status (connected->process), ==, 0);
  g_assert_nonnull (strstr (connected->err->str, "juice-ctl: Connected"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/juice/ctl-live/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("set-over-mqtt", test_set_over_mqtt);
  ADD ("set-without-reply", test_set_without_reply);
  ADD ("watch", test_watch);
  ADD ("watch-survives-restart", test_watch_survives_restart);
  ADD ("watch-untrusted-broker", test_watch_untrusted_broker);
  ADD ("watch-refused-account", test_watch_refused_account);
  ADD ("watch-never-connected", test_watch_never_connected);
#undef ADD

  return g_test_run ();
}
