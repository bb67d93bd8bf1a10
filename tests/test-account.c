/* test-account.c: JuiceAccount against the fake cloud and a real broker
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "device-util.h"
#include "fake-cloud.h"
#include "juice-account.h"
#include "juice-error.h"
#include "mosquitto-fixture.h"
#include "sim-broker-device.h"
#include "time-util.h"

#define SN "DCABZ8A1B2C3D4E5"

typedef struct
{
  FakeCloudCerts   *certs;
  FakeCloud        *fake;
  MosquittoFixture *broker;
  JuiceSimDevice   *sim;
  SimBrokerDevice  *device_link;
  JuiceCloud       *cloud;
  JuiceAccount     *account;
  JuiceDevice      *device;
} Fixture;

#define MIN_DEADLINE_MS 20000

static gboolean
deadline_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Turns the main loop until @check holds, at most @timeout_ms (never less
 * than 20 s: the machine may be loaded). Every state checked here changes
 * in a main-loop callback, so the loop blocks instead of polling. */
static gboolean
wait_until (gboolean (*check) (Fixture *f),
            Fixture   *f,
            guint      timeout_ms)
{
  gboolean expired = FALSE;
  GSource *deadline;

  if (check (f))
    return TRUE;

  deadline = g_timeout_source_new (test_time_scale_ms (MAX (timeout_ms, MIN_DEADLINE_MS)));
  g_source_set_callback (deadline, deadline_cb, &expired, NULL);
  g_source_attach (deadline, g_main_context_get_thread_default ());

  while (!check (f) && !expired)
    g_main_context_iteration (g_main_context_get_thread_default (), TRUE);

  g_source_destroy (deadline);
  g_source_unref (deadline);

  return check (f);
}

static gboolean
link_connected (Fixture *f)
{
  JuiceMqtt *mqtt = juice_account_get_mqtt (f->account);

  return mqtt != NULL && juice_mqtt_get_state (mqtt) == JUICE_MQTT_STATE_CONNECTED;
}

static gboolean
link_lost (Fixture *f)
{
  return !link_connected (f);
}

static gboolean
sim_lost (Fixture *f)
{
  return juice_mqtt_get_state (sim_broker_device_get_mqtt (f->device_link)) != JUICE_MQTT_STATE_CONNECTED;
}

static gboolean
sim_connected (Fixture *f)
{
  return juice_mqtt_get_state (sim_broker_device_get_mqtt (f->device_link)) == JUICE_MQTT_STATE_CONNECTED;
}

static void
connect_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  GError **error = user_data;
  gboolean ok = juice_account_connect_finish (JUICE_ACCOUNT (object), result, error);

  g_assert_true (ok || *error != NULL);
  if (ok)
    *error = (GError *) GINT_TO_POINTER (1);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GError *connect_error = NULL;

  f->certs = fake_cloud_certs_new (&error);
  g_assert_no_error (error);
  f->fake = fake_cloud_new (f->certs, TRUE);

  f->broker = mosquitto_fixture_new (&error);
  g_assert_no_error (error);

  /* With data "stale-password", the cloud first hands out a password the
   * broker refuses, as after EcoFlow rotated it. */
  fake_cloud_set_certification (f->fake, mosquitto_fixture_get_host (f->broker),
                                mosquitto_fixture_get_port (f->broker),
                                mosquitto_fixture_get_account (f->broker),
                                data != NULL ? "stale-password-0"
                                             : mosquitto_fixture_get_password (f->broker));

  f->sim = g_object_ref (fake_cloud_add_device (f->fake, SN, "Cabin", "DELTA Pro"));
  g_object_set (f->sim, "time-of-day", 12.0, NULL);
  f->device_link = sim_broker_device_new (f->sim, mosquitto_fixture_get_host (f->broker),
                                          mosquitto_fixture_get_port (f->broker),
                                          mosquitto_fixture_get_ca_file (f->broker),
                                          mosquitto_fixture_get_account (f->broker),
                                          mosquitto_fixture_get_password (f->broker));
  g_assert_true (sim_broker_device_start (f->device_link, &error));
  g_assert_no_error (error);
  g_assert_true (wait_until (sim_connected, f, 10000));

  f->cloud = juice_cloud_new (fake_cloud_get_base_url (f->fake), f->certs->ca_file, &error);
  g_assert_no_error (error);
  juice_cloud_set_credentials (f->cloud, FAKE_CLOUD_ACCESS_KEY, FAKE_CLOUD_SECRET_KEY);

  f->account = juice_account_new (f->cloud, "juice-test-client");
  juice_account_set_mqtt_ca_file (f->account, mosquitto_fixture_get_ca_file (f->broker));

  juice_account_connect_async (f->account, NULL, connect_cb, &connect_error);
  while (connect_error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (connect_error == GINT_TO_POINTER (1));

  g_assert_cmpuint (g_list_model_get_n_items (juice_account_get_devices (f->account)), ==, 1);
  f->device = juice_account_lookup_device (f->account, SN);
  g_assert_nonnull (f->device);
  if (data == NULL)
    g_assert_true (wait_until (link_connected, f, 10000));
}

static gpointer cloud_alive;

static gboolean
cloud_gone (Fixture *f)
{
  return cloud_alive == NULL;
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->account != NULL)
    juice_account_disconnect (f->account);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&f->account);

  /* The cloud goes once what it had in flight let go, and its session with
   * it, closing the connections it was still opening: the fake cloud's
   * server may be in a TLS handshake with one of them, and waits for it
   * as it closes (a hang, seen under ASan). */
  cloud_alive = f->cloud;
  if (cloud_alive != NULL)
    g_object_add_weak_pointer (G_OBJECT (f->cloud), &cloud_alive);
  g_clear_object (&f->cloud);
  g_assert_true (wait_until (cloud_gone, f, 20000));
  while (g_main_context_iteration (NULL, FALSE))
    ;

  g_clear_pointer (&f->device_link, sim_broker_device_free);
  g_clear_object (&f->sim);
  g_clear_pointer (&f->broker, mosquitto_fixture_free);
  g_clear_pointer (&f->fake, fake_cloud_free);
  g_clear_pointer (&f->certs, fake_cloud_certs_free);
}

static gint64 want_soc;

static gboolean
soc_arrived (Fixture *f)
{
  return (gint64) juice_device_get_soc (f->device) == want_soc;
}

static void
publish_soc (Fixture *f,
             gint64   soc)
{
  want_soc = soc;
  juice_sim_device_set_quota_int (f->sim, "pd.soc", soc);
  juice_sim_device_step (f->sim, 1);
}

static void
test_reports (Fixture       *f,
              gconstpointer  data)
{
  /* quota/all filled the device, then reports flow over MQTT. */
  g_assert_cmpuint (juice_device_get_n_quotas (f->device), >=, 290);
  g_assert_cmpstr (juice_device_get_name (f->device), ==, "Cabin");
  g_assert_true (juice_device_get_online (f->device));
  g_assert_cmpstr (juice_account_get_link_state (f->account), ==, "Connected");

  publish_soc (f, 71);
  g_assert_true (wait_until (soc_arrived, f, 5000));
  publish_soc (f, 72);
  g_assert_true (wait_until (soc_arrived, f, 5000));
}

static void
test_every_setting_over_mqtt (Fixture       *f,
                              gconstpointer  data)
{
  const JuiceDeviceProfile *profile = juice_device_get_profile (f->device);
  guint puts_before = fake_cloud_count_requests (f->fake, "PUT", NULL);

  for (guint i = 0; i < profile->n_settings; i++)
    {
      const JuiceSettingInfo *setting = &profile->settings[i];
      g_autoptr(GError) error = NULL;
      guint n_commands = sim_broker_device_get_n_commands (f->device_link);
      gint64 before, want, on_sim;

      g_assert_true (juice_device_get_setting_value (f->device, setting->name, &before));
      want = device_util_other_value (setting, before);
      g_assert_true (device_util_set_and_wait (f->device, setting->name, want, &error));
      g_assert_no_error (error);

      /* The command crossed the broker, and the device really changed. */
      g_assert_cmpuint (sim_broker_device_get_n_commands (f->device_link), ==, n_commands + 1);
      g_assert_true (juice_sim_device_get_quota_int (f->sim, setting->readback_key, &on_sim));
      g_assert_cmpint (on_sim, ==, want);
    }

  /* Nothing went over HTTP PUT while the link was up. */
  g_assert_cmpuint (fake_cloud_count_requests (f->fake, "PUT", NULL), ==, puts_before);
}

static void
test_refused_and_lost (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 before, v;

  g_assert_true (juice_device_get_setting_value (f->device, "car-output", &before));

  juice_sim_device_set_refuse_commands (f->sim, TRUE);
  g_assert_false (device_util_set_and_wait (f->device, "car-output", !before, &error));
  g_assert_error (error, JUICE_DEVICE_ERROR, JUICE_DEVICE_ERROR_REFUSED);
  g_clear_error (&error);
  g_assert_true (juice_device_get_setting_value (f->device, "car-output", &v));
  g_assert_cmpint (v, ==, before);
  juice_sim_device_set_refuse_commands (f->sim, FALSE);

  /* No reply and no effect: the device rolls back after its timeout. */
  juice_device_set_command_timeout (f->device, 1500);
  juice_sim_device_set_drop_replies (f->sim, TRUE);
  g_object_set (f->sim, "apply-delay-ms", 60000, NULL);
  g_assert_false (device_util_set_and_wait (f->device, "car-output", !before, &error));
  g_assert_error (error, JUICE_DEVICE_ERROR, JUICE_DEVICE_ERROR_TIMEOUT);
  g_assert_true (juice_device_get_setting_value (f->device, "car-output", &v));
  g_assert_cmpint (v, ==, before);
}

static guint want_fetches;

static gboolean
fetched_enough (Fixture *f)
{
  return fake_cloud_count_requests (f->fake, "GET", "/iot-open/sign/device/quota/all")
         >= want_fetches;
}

static void
test_broker_restarts (Fixture       *f,
                      gconstpointer  data)
{
  for (guint round = 0; round < 3; round++)
    {
      g_autoptr(GError) error = NULL;
      guint fetches = fake_cloud_count_requests (f->fake, "GET", "/iot-open/sign/device/quota/all");
      gint64 start;

      mosquitto_fixture_kill (f->broker);
      g_assert_true (wait_until (link_lost, f, 30000));
      g_assert_true (wait_until (sim_lost, f, 30000));
      g_assert_true (mosquitto_fixture_start (f->broker, &error));
      g_assert_no_error (error);

      start = g_get_monotonic_time ();
      g_assert_true (wait_until (link_connected, f, 70000));
      g_assert_true (wait_until (sim_connected, f, 70000));
      g_test_message ("round %u: reconnected in %.1f s", round,
                      (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);

      /* quota/all fetched again after the reconnect. */
      want_fetches = fetches + 1;
      g_assert_true (wait_until (fetched_enough, f, 20000));
      g_assert_cmpuint (fake_cloud_count_requests (f->fake, "GET", "/iot-open/sign/device/quota/all"),
                        >, fetches);

      /* A report after the restart arrives. */
      publish_soc (f, 40 + round);
      g_assert_true (wait_until (soc_arrived, f, 5000));
    }
}

static gboolean
no_problem_shown (Fixture *f)
{
  return juice_device_get_problem (f->device) == NULL;
}

/* quota/all answers as of when it was asked: a report that came while the
 * answer was on its way is newer, and the answer must not take it back. */
static void
test_snapshot_after_report (Fixture       *f,
                            gconstpointer  data)
{
  publish_soc (f, 60);
  g_assert_true (wait_until (soc_arrived, f, 5000));

  /* The snapshot is taken now (soc 60), and held back. */
  want_fetches = fake_cloud_count_requests (f->fake, "GET", "/iot-open/sign/device/quota/all") + 1;
  fake_cloud_hold_answers (f->fake, TRUE);
  juice_device_set_problem (f->device, "waiting for quota/all");
  juice_account_refresh (f->account);
  g_assert_true (wait_until (fetched_enough, f, 20000));

  publish_soc (f, 61);
  g_assert_true (wait_until (soc_arrived, f, 5000));

  /* The answer arrives: it clears the problem as it is applied. */
  fake_cloud_hold_answers (f->fake, FALSE);
  g_assert_true (wait_until (no_problem_shown, f, 20000));
  g_assert_cmpfloat (juice_device_get_soc (f->device), ==, 61);
}

static void
test_http_fallback (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint puts = fake_cloud_count_requests (f->fake, "PUT", NULL);
  gint64 v;

  /* No broker: the command goes over HTTP and is confirmed by reading back. */
  mosquitto_fixture_stop (f->broker);
  g_assert_true (wait_until (link_lost, f, 30000));

  g_assert_true (device_util_set_and_wait (f->device, "charge-limit", 77, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fake_cloud_count_requests (f->fake, "PUT", NULL), ==, puts + 1);
  g_assert_true (juice_sim_device_get_quota_int (f->sim, "ems.maxChargeSoc", &v));
  g_assert_cmpint (v, ==, 77);
}

static guint want_ignored;

static gboolean
ignored_enough (Fixture *f)
{
  return juice_account_get_n_ignored (f->account) >= want_ignored;
}

static void
test_garbage (Fixture       *f,
              gconstpointer  data)
{
  static const char *bad[] = {
    "not json", "{", "[1,2]", "{\"params\":7}", "{\"params\":{\"pd.soc\":\"many\"}}",
    "{\"params\":null}", "",
  };
  g_autoptr(GString) big = g_string_new ("{\"params\":{\"x.blob\":\"");
  g_autoptr(GError) error = NULL;
  guint ignored = juice_account_get_n_ignored (f->account);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_true (sim_broker_device_publish_raw (f->device_link, "quota", bad[i], strlen (bad[i]),
                                                    &error));
      g_assert_no_error (error);
    }
  g_assert_true (sim_broker_device_publish_raw (f->device_link, "status", "{\"params\":[]}", 13, &error));

  /* 5 MB: over the report limit, refused without harm. */
  while (big->len < 5 * 1024 * 1024)
    g_string_append (big, "0123456789abcdef");
  g_string_append (big, "\"}}");
  g_assert_true (sim_broker_device_publish_raw (f->device_link, "quota", big->str, big->len, &error));

  /* Each one is counted and ignored... */
  want_ignored = ignored + 6;
  g_assert_true (wait_until (ignored_enough, f, 20000));

  /* ...and a well-formed report after the garbage still arrives. */
  publish_soc (f, 33);
  g_assert_true (wait_until (soc_arrived, f, 10000));
  g_assert_cmpfloat (juice_device_get_soc (f->device), ==, 33);
}

static gboolean
device_offline (Fixture *f)
{
  return !juice_device_get_online (f->device);
}

static void
test_silence_and_status (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  juice_account_set_silence_seconds (f->account, 1);
  publish_soc (f, 50);
  g_assert_true (wait_until (soc_arrived, f, 5000));
  g_assert_true (juice_device_get_online (f->device));

  /* Quiet for longer than the silence: offline, values kept but stale. */
  g_assert_true (wait_until (device_offline, f, 20000));
  g_assert_false (juice_device_get_online (f->device));
  g_assert_true (juice_device_get_stale (f->device));
  g_assert_cmpfloat (juice_device_get_soc (f->device), ==, 50);

  /* A report brings it back. */
  publish_soc (f, 51);
  g_assert_true (wait_until (soc_arrived, f, 5000));
  g_assert_true (juice_device_get_online (f->device));
  g_assert_false (juice_device_get_stale (f->device));

  /* status 0 takes it offline at once. */
  g_assert_true (sim_broker_device_publish_raw (f->device_link, "status",
                                                "{\"params\":{\"status\":0}}", 23, &error));
  g_assert_true (wait_until (device_offline, f, 20000));
  g_assert_false (juice_device_get_online (f->device));
}

static gboolean
link_failed (Fixture *f)
{
  return g_str_has_prefix (juice_account_get_link_state (f->account), "Failed");
}

static void
test_renews_credentials (Fixture       *f,
                         gconstpointer  data)
{
  guint certifications = fake_cloud_count_requests (f->fake, "GET", "/iot-open/sign/certification");

  /* The cloud has the right password by the time the broker refuses the old one. */
  fake_cloud_set_certification (f->fake, mosquitto_fixture_get_host (f->broker),
                                mosquitto_fixture_get_port (f->broker),
                                mosquitto_fixture_get_account (f->broker),
                                mosquitto_fixture_get_password (f->broker));
  g_assert_true (wait_until (link_connected, f, 20000));
  g_assert_cmpuint (fake_cloud_count_requests (f->fake, "GET", "/iot-open/sign/certification"),
                    ==, certifications + 1);

  publish_soc (f, 64);
  g_assert_true (wait_until (soc_arrived, f, 5000));
}

static void
test_gives_up_on_credentials (Fixture       *f,
                              gconstpointer  data)
{
  /* Refused again with fresh credentials: stop and say so, no storm. */
  g_assert_true (wait_until (link_failed, f, 20000));
  g_test_message ("link state: %s", juice_account_get_link_state (f->account));
  g_assert_false (link_connected (f));
  g_assert_cmpuint (fake_cloud_count_requests (f->fake, "GET", "/iot-open/sign/certification"), <=, 2);
  g_assert_cmpuint (mosquitto_fixture_count_in_log (f->broker, "not authorised"), <=, 3);
}

static gboolean
has_problem (Fixture *f)
{
  return juice_device_get_problem (f->device) != NULL;
}

static gboolean
no_problem (Fixture *f)
{
  return juice_device_get_problem (f->device) == NULL;
}

/* quota/all failing shows on the device as a sentence; a retry that
 * succeeds clears it. */
static void
test_problem_and_retry (Fixture       *f,
                        gconstpointer  data)
{
  const char *problem;
  guint fetches = fake_cloud_count_requests (f->fake, "GET", "/iot-open/sign/device/quota/all");

  g_assert_null (juice_device_get_problem (f->device));

  fake_cloud_fail (f->fake, "GET", FAKE_CLOUD_FAIL_CODE_1006, 1);
  juice_device_refresh (f->device);
  g_assert_true (wait_until (has_problem, f, 20000));
  problem = juice_device_get_problem (f->device);
  g_test_message ("problem: %s", problem);
  g_assert_true (g_str_has_prefix (problem, "Could not load this device’s values: "));
  g_assert_nonnull (strstr (problem, "1006"));
  g_assert_cmpuint (fake_cloud_count_requests (f->fake, "GET", "/iot-open/sign/device/quota/all"),
                    >=, fetches + 1);

  /* the values stay as they were */
  g_assert_cmpuint (juice_device_get_n_quotas (f->device), >=, 290);

  /* Retry: the cloud answers now. */
  juice_sim_device_set_quota_int (f->sim, "ems.maxChargeSoc", 91);
  juice_device_refresh (f->device);
  g_assert_true (wait_until (no_problem, f, 20000));
  g_assert_cmpuint (fake_cloud_count_requests (f->fake, "GET", "/iot-open/sign/device/quota/all"),
                    >=, fetches + 2);
  {
    gint64 v;

    g_assert_true (juice_device_get_quota_int (f->device, "ems.maxChargeSoc", &v));
    g_assert_cmpint (v, ==, 91);
  }
}

static guint want_rejected;

static gboolean
rejected_enough (Fixture *f)
{
  return juice_device_get_n_rejected (f->device) >= want_rejected;
}

/* A small report nested far deeper than the limit arrives over the broker:
 * refused, counted, nothing crashes, and reports after it still apply. */
static void
test_deep_report_over_mqtt (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GString) deep = g_string_new ("{\"params\":{\"vendor.deep\":");
  g_autoptr(GError) error = NULL;
  guint ignored = juice_account_get_n_ignored (f->account);
  guint rejected = juice_device_get_n_rejected (f->device);

  for (guint i = 0; i < 6400; i++)
    g_string_append_c (deep, '[');
  for (guint i = 0; i < 6400; i++)
    g_string_append_c (deep, ']');
  g_string_append (deep, "}}");
  g_assert_cmpuint (deep->len, <, 16 * 1024);

  g_assert_true (sim_broker_device_publish_raw (f->device_link, "quota", deep->str, deep->len,
                                                &error));
  g_assert_no_error (error);

  want_ignored = ignored + 1;
  want_rejected = rejected + 1;
  g_assert_true (wait_until (ignored_enough, f, 20000));
  g_assert_true (wait_until (rejected_enough, f, 20000));
  g_assert_null (juice_device_get_quota (f->device, "vendor.deep"));

  publish_soc (f, 34);
  g_assert_true (wait_until (soc_arrived, f, 20000));
}

/* Disconnecting while work is on its way ----------------------------------
 *
 * Everything runs on a private main context, so that what the account
 * leaves behind can be seen: the account must finalize, and no timer or
 * watch may stay on the context. No broker: commands go over HTTP and are
 * read back by polling, the path whose read-backs used to hold the account. */

typedef struct
{
  GMainContext *context;
  FakeCloud    *fake;
  gboolean      expired;
  GPtrArray    *link_states;
} Private;

static gboolean
private_wait (Private  *p,
              gboolean (*check) (gpointer data),
              gpointer  data)
{
  GSource *deadline = g_timeout_source_new (test_time_scale_ms (MIN_DEADLINE_MS));

  p->expired = FALSE;
  g_source_set_callback (deadline, deadline_cb, &p->expired, NULL);
  g_source_attach (deadline, p->context);
  while (!check (data) && !p->expired)
    g_main_context_iteration (p->context, TRUE);
  g_source_destroy (deadline);
  g_source_unref (deadline);

  return check (data);
}

static guint want_arrived;

static gboolean
arrived_enough (gpointer data)
{
  return fake_cloud_get_n_arrived (data) >= want_arrived;
}

static gboolean
readback_answered (gpointer data)
{
  return fake_cloud_count_requests (data, "POST", "/iot-open/sign/device/quota") >= 1;
}

static gboolean
set_done (gpointer data)
{
  return ((SetResult *) data)->done;
}

static gboolean
pointer_cleared (gpointer data)
{
  return *(gpointer *) data == NULL;
}

static gboolean
connect_done (gpointer data)
{
  return *(GError **) data != NULL;
}

static void
record_link_state (JuiceAccount *account,
                   GParamSpec   *pspec,
                   Private      *p)
{
  g_ptr_array_add (p->link_states, g_strdup (juice_account_get_link_state (account)));
}

static void
record_problem (JuiceDevice *device,
                GParamSpec  *pspec,
                Private     *p)
{
  g_assert_null (juice_device_get_problem (device));
}

static void
test_disconnect_in_flight (void)
{
  g_autoptr(FakeCloudCerts) certs = NULL;
  g_autoptr(JuiceCloud) cloud = NULL;
  g_autoptr(GError) error = NULL;
  JuiceAccount *account;
  JuiceDevice *device;
  JuiceSimDevice *sim;
  GError *connect_error = NULL;
  SetResult r = { 0 };
  Private p = { 0 };
  gint64 before, shown;
  gint timeout = 0;
  GPollFD fds[8];
  int max_priority;
  int n_fds;

  p.context = g_main_context_new ();
  p.link_states = g_ptr_array_new_with_free_func (g_free);
  g_main_context_push_thread_default (p.context);

  certs = fake_cloud_certs_new (&error);
  g_assert_no_error (error);
  p.fake = fake_cloud_new (certs, TRUE);
  sim = fake_cloud_add_device (p.fake, SN, "Cabin", "DELTA Pro");
  /* Applies long after accepting: the read-back keeps polling. */
  g_object_set (sim, "apply-delay-ms", 60000, NULL);

  cloud = juice_cloud_new (fake_cloud_get_base_url (p.fake), certs->ca_file, &error);
  g_assert_no_error (error);
  juice_cloud_set_credentials (cloud, FAKE_CLOUD_ACCESS_KEY, FAKE_CLOUD_SECRET_KEY);

  account = juice_account_new (cloud, "juice-test-client");
  g_signal_connect (account, "notify::link-state", G_CALLBACK (record_link_state), &p);
  juice_account_connect_async (account, NULL, connect_cb, &connect_error);
  g_assert_true (private_wait (&p, connect_done, &connect_error));
  g_assert_true (connect_error == GINT_TO_POINTER (1));

  device = juice_account_lookup_device (account, SN);
  g_assert_nonnull (device);
  g_signal_connect (device, "notify::problem", G_CALLBACK (record_problem), &p);
  g_object_add_weak_pointer (G_OBJECT (device), (gpointer *) &device);
  juice_device_set_command_timeout (device, 600000);
  g_assert_true (juice_device_get_setting_value (device, "charge-limit", &before));

  /* A command over HTTP, accepted, then read back: the first read-back is
   * answered (unchanged), the next one waits on its timer. */
  juice_device_set_async (device, "charge-limit", before == 80 ? 81 : 80, NULL,
                          device_util_set_cb, &r);
  g_assert_true (private_wait (&p, readback_answered, p.fake));

  /* From now on the cloud answers late: quota/all and the next read-back
   * stay on their way. */
  fake_cloud_set_delay_ms (p.fake, 600000);
  want_arrived = fake_cloud_get_n_arrived (p.fake) + 2;
  juice_device_refresh (device);
  g_assert_true (private_wait (&p, arrived_enough, p.fake));
  g_assert_true (juice_device_is_setting_pending (device, "charge-limit"));

  juice_account_disconnect (account);

  /* The command ends as cancelled (not shown as a failure), rolled back. */
  g_assert_true (private_wait (&p, set_done, &r));
  g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&r.error);
  g_assert_true (juice_device_get_setting_value (device, "charge-limit", &shown));
  g_assert_cmpint (shown, ==, before);
  g_assert_null (juice_device_get_problem (device));
  g_assert_cmpstr (juice_account_get_link_state (account), ==, "Disconnected");
  for (guint i = 0; i < p.link_states->len; i++)
    {
      const char *state = g_ptr_array_index (p.link_states, i);

      g_test_message ("link state: %s", state);
      g_assert_null (strstr (state, "ancel"));
    }

  /* Nothing in flight holds the account: it goes, and its devices with it. */
  g_object_add_weak_pointer (G_OBJECT (account), (gpointer *) &account);
  g_object_unref (account);
  g_assert_true (private_wait (&p, pointer_cleared, &account));
  g_assert_true (private_wait (&p, pointer_cleared, &device));

  /* and the cloud, once its cancelled requests have ended */
  {
    JuiceCloud *weak_cloud = g_steal_pointer (&cloud);

    g_object_add_weak_pointer (G_OBJECT (weak_cloud), (gpointer *) &weak_cloud);
    g_object_unref (weak_cloud);
    g_assert_true (private_wait (&p, pointer_cleared, &weak_cloud));
  }
  g_clear_pointer (&p.fake, fake_cloud_free);

  /* Let what was already due run, then look at what is left. */
  while (g_main_context_iteration (p.context, FALSE))
    ;
  g_main_context_prepare (p.context, &max_priority);
  n_fds = g_main_context_query (p.context, G_MAXINT, &timeout, fds, G_N_ELEMENTS (fds));
  g_test_message ("left on the context: timeout %d, %d fds", timeout, n_fds);
  g_assert_cmpint (timeout, ==, -1);
  /* the context's own wake-up fd only */
  g_assert_cmpint (n_fds, ==, 1);

  g_main_context_pop_thread_default (p.context);
  g_main_context_unref (p.context);
  g_ptr_array_unref (p.link_states);
}

/* Disconnecting while the device list is on its way ends the connect as
 * cancelled: no "Failed", and the account goes. */
static void
test_disconnect_while_connecting (void)
{
  g_autoptr(FakeCloudCerts) certs = NULL;
  g_autoptr(GError) error = NULL;
  JuiceCloud *cloud;
  JuiceAccount *account;
  GError *connect_error = NULL;
  Private p = { 0 };

  p.context = g_main_context_new ();
  p.link_states = g_ptr_array_new_with_free_func (g_free);
  g_main_context_push_thread_default (p.context);

  certs = fake_cloud_certs_new (&error);
  g_assert_no_error (error);
  p.fake = fake_cloud_new (certs, TRUE);
  fake_cloud_add_device (p.fake, SN, "Cabin", "DELTA Pro");
  fake_cloud_set_delay_ms (p.fake, 600000);

  cloud = juice_cloud_new (fake_cloud_get_base_url (p.fake), certs->ca_file, &error);
  g_assert_no_error (error);
  juice_cloud_set_credentials (cloud, FAKE_CLOUD_ACCESS_KEY, FAKE_CLOUD_SECRET_KEY);
  account = juice_account_new (cloud, "juice-test-client");
  g_signal_connect (account, "notify::link-state", G_CALLBACK (record_link_state), &p);

  want_arrived = 1;
  juice_account_connect_async (account, NULL, connect_cb, &connect_error);
  g_assert_true (private_wait (&p, arrived_enough, p.fake));
  juice_account_disconnect (account);

  g_assert_true (private_wait (&p, connect_done, &connect_error));
  g_assert_error (connect_error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&connect_error);
  g_assert_cmpstr (juice_account_get_link_state (account), ==, "Disconnected");
  for (guint i = 0; i < p.link_states->len; i++)
    g_assert_false (g_str_has_prefix (g_ptr_array_index (p.link_states, i), "Failed"));
  g_assert_cmpuint (g_list_model_get_n_items (juice_account_get_devices (account)), ==, 0);

  g_object_add_weak_pointer (G_OBJECT (account), (gpointer *) &account);
  g_object_unref (account);
  g_assert_true (private_wait (&p, pointer_cleared, &account));
  g_object_add_weak_pointer (G_OBJECT (cloud), (gpointer *) &cloud);
  g_object_unref (cloud);
  g_assert_true (private_wait (&p, pointer_cleared, &cloud));
  g_clear_pointer (&p.fake, fake_cloud_free);

  g_main_context_pop_thread_default (p.context);
  g_main_context_unref (p.context);
  g_ptr_array_unref (p.link_states);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/juice/account/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("reports", test_reports);
  ADD ("every-setting-over-mqtt", test_every_setting_over_mqtt);
  ADD ("refused-and-lost", test_refused_and_lost);
  ADD ("broker-restarts", test_broker_restarts);
  ADD ("snapshot-after-report", test_snapshot_after_report);
  ADD ("http-fallback", test_http_fallback);
  ADD ("garbage", test_garbage);
  ADD ("silence-and-status", test_silence_and_status);
  ADD ("problem-and-retry", test_problem_and_retry);
  ADD ("deep-report-over-mqtt", test_deep_report_over_mqtt);
  g_test_add_func ("/juice/account/disconnect-in-flight", test_disconnect_in_flight);
  g_test_add_func ("/juice/account/disconnect-while-connecting", test_disconnect_while_connecting);
  g_test_add ("/juice/account/renews-credentials", Fixture, "stale-password", fixture_set_up,
              test_renews_credentials, fixture_tear_down);
  g_test_add ("/juice/account/gives-up-on-credentials", Fixture, "stale-password", fixture_set_up,
              test_gives_up_on_credentials, fixture_tear_down);

  return g_test_run ();
}
