/* test-cloud.c: JuiceCloud against the fake cloud
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include <glib/gstdio.h>

#include <libsoup/soup.h>

#include "fake-cloud.h"
#include "juice-cloud.h"
#include "juice-sign.h"
#include "juice-tls-database.h"
#include "time-util.h"

#define SN1 "DCABZ8A1B2C3D4E5"
#define SN2 "DCABZ8A1B2C3D4E6"

static FakeCloudCerts *certs;
static GString *captured_log;

/* Every log line of the process, debug included, to check that no key
 * reaches a log. */
static GLogWriterOutput
capture_writer (GLogLevelFlags   log_level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    {
      if (g_strcmp0 (fields[i].key, "MESSAGE") == 0 && fields[i].length < 0)
        {
          g_string_append (captured_log, fields[i].value);
          g_string_append_c (captured_log, '\n');
        }
    }

  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

typedef struct
{
  FakeCloud      *fake;
  JuiceCloud     *cloud;
  JuiceSimDevice *sim1;
  JuiceSimDevice *sim2;
} Fixture;

static JuiceCloud *
new_cloud (const char *base_url,
           const char *ca_file)
{
  g_autoptr(GError) error = NULL;
  JuiceCloud *cloud = juice_cloud_new (base_url, ca_file, &error);

  g_assert_no_error (error);
  juice_cloud_set_credentials (cloud, FAKE_CLOUD_ACCESS_KEY, FAKE_CLOUD_SECRET_KEY);
  juice_cloud_set_retry_delay_ms (cloud, 20);
  juice_cloud_set_timeout_ms (cloud, test_time_scale_ms (5000));

  return cloud;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->fake = fake_cloud_new (certs, TRUE);
  f->sim1 = fake_cloud_add_device (f->fake, SN1, "Cabin", "DELTA Pro");
  f->sim2 = fake_cloud_add_device (f->fake, SN2, "Van", NULL);
  juice_sim_device_set_online (f->sim2, FALSE);
  f->cloud = new_cloud (fake_cloud_get_base_url (f->fake), certs->ca_file);
  g_string_truncate (captured_log, 0);
}

static void
assert_no_keys_in (const char *text)
{
  g_assert_null (strstr (text, FAKE_CLOUD_SECRET_KEY));
  g_assert_null (strstr (text, FAKE_CLOUD_ACCESS_KEY));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;

  assert_no_keys_in (captured_log->str);

  g_assert_finalize_object (g_steal_pointer (&f->cloud));
  g_clear_pointer (&f->fake, fake_cloud_free);

  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* Runs the main loop until the async call completes. */
typedef struct
{
  GAsyncResult *result;
} Wait;

static void
wait_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
}

static GAsyncResult *
wait_for (Wait *wait)
{
  while (wait->result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return wait->result;
}

static gboolean
deadline_cb (gpointer user_data)
{
  gboolean *expired = user_data;

  *expired = TRUE;
  return G_SOURCE_REMOVE;
}

/* Turns the main loop until @check holds or 20 s passed; the fake cloud and
 * the simulated devices act in main-loop callbacks, so the loop blocks. */
static gboolean
wait_until (gboolean (*check) (gpointer data),
            gpointer  data)
{
  gboolean expired = FALSE;
  guint deadline;

  if (check (data))
    return TRUE;

  deadline = g_timeout_add_seconds (test_time_scale_s (20), deadline_cb, &expired);
  while (!check (data) && !expired)
    g_main_context_iteration (NULL, TRUE);
  if (!expired)
    g_source_remove (deadline);

  return check (data);
}

static JsonObject *
get_all (JuiceCloud  *cloud,
         const char  *sn,
         GError     **error)
{
  Wait wait = { NULL };
  JsonObject *quotas;

  juice_cloud_get_all_quotas_async (cloud, sn, NULL, wait_cb, &wait);
  quotas = juice_cloud_get_all_quotas_finish (cloud, wait_for (&wait), error);
  g_object_unref (wait.result);

  return quotas;
}

static JsonObject *
get_some (JuiceCloud          *cloud,
          const char          *sn,
          const char * const  *keys,
          GError             **error)
{
  Wait wait = { NULL };
  JsonObject *quotas;

  juice_cloud_get_quotas_async (cloud, sn, keys, NULL, wait_cb, &wait);
  quotas = juice_cloud_get_quotas_finish (cloud, wait_for (&wait), error);
  g_object_unref (wait.result);

  return quotas;
}

static GPtrArray *
list_devices (JuiceCloud  *cloud,
              GError     **error)
{
  Wait wait = { NULL };
  GPtrArray *devices;

  juice_cloud_list_devices_async (cloud, NULL, wait_cb, &wait);
  devices = juice_cloud_list_devices_finish (cloud, wait_for (&wait), error);
  g_object_unref (wait.result);

  return devices;
}

static gboolean
set_quota (JuiceCloud  *cloud,
           const char  *sn,
           const char  *params_json,
           GError     **error)
{
  g_autoptr(JsonNode) params = json_from_string (params_json, NULL);
  Wait wait = { NULL };
  gboolean ok;

  g_assert_nonnull (params);
  juice_cloud_set_quota_async (cloud, sn, json_node_get_object (params), NULL, wait_cb, &wait);
  ok = juice_cloud_set_quota_finish (cloud, wait_for (&wait), error);
  g_object_unref (wait.result);

  return ok;
}

/* Every request carries its own nonce and a current timestamp; with
 * @strictly_later, each timestamp is later than the one before (requests
 * separated by a backoff pause). */
static void
assert_fresh_signatures_full (FakeCloud *fake,
                              gboolean   strictly_later)
{
  GPtrArray *requests = fake_cloud_get_requests (fake);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  gint64 now = g_get_real_time () / 1000;

  for (guint i = 0; i < requests->len; i++)
    {
      FakeCloudRequest *r = g_ptr_array_index (requests, i);
      gint64 ts = g_ascii_strtoll (r->timestamp, NULL, 10);

      g_assert_cmpuint (strlen (r->nonce), ==, 6);
      g_assert_cmpint (ABS (now - ts), <, 60 * 1000);
      /* a retry is a new request: nonce and timestamp never repeat */
      g_assert_false (g_hash_table_contains (seen, r->nonce));
      g_hash_table_add (seen, r->nonce);
      if (i > 0)
        {
          FakeCloudRequest *prev = g_ptr_array_index (requests, i - 1);
          gint64 prev_ts = g_ascii_strtoll (prev->timestamp, NULL, 10);

          if (strictly_later)
            g_assert_cmpint (ts, >, prev_ts);
          else
            g_assert_cmpint (ts, >=, prev_ts);
        }
    }
}

static void
assert_fresh_signatures (FakeCloud *fake)
{
  assert_fresh_signatures_full (fake, FALSE);
}

/* Endpoints */

static void
test_certification (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(JuiceCloudCertification) cert = NULL;
  g_autoptr(JuiceCloudCertification) copy = NULL;
  g_autoptr(GError) error = NULL;
  Wait wait = { NULL };
  FakeCloudRequest *r;

  juice_cloud_get_certification_async (f->cloud, NULL, wait_cb, &wait);
  cert = juice_cloud_get_certification_finish (f->cloud, wait_for (&wait), &error);
  g_object_unref (wait.result);

  g_assert_no_error (error);
  g_assert_cmpstr (cert->account, ==, FAKE_CLOUD_MQTT_ACCOUNT);
  g_assert_cmpstr (cert->password, ==, FAKE_CLOUD_MQTT_PASSWORD);
  g_assert_cmpstr (cert->host, ==, "127.0.0.1");
  g_assert_cmpuint (cert->port, ==, 9);
  g_assert_cmpstr (cert->protocol, ==, "mqtts");

  copy = juice_cloud_certification_copy (cert);
  g_assert_cmpstr (copy->password, ==, cert->password);

  g_assert_cmpuint (fake_cloud_get_requests (f->fake)->len, ==, 1);
  r = g_ptr_array_index (fake_cloud_get_requests (f->fake), 0);
  g_assert_cmpstr (r->method, ==, "GET");
  g_assert_cmpstr (r->path, ==, "/iot-open/sign/certification");
  g_assert_cmpstr (r->code, ==, "0");
  assert_fresh_signatures (f->fake);
}

static void
test_devices (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GPtrArray) devices = NULL;
  g_autoptr(GError) error = NULL;
  JuiceCloudDeviceInfo *d;

  /* Entries a careless service could send: skipped or read with care. */
  fake_cloud_add_raw_device (f->fake, "{\"sn\":5,\"deviceName\":\"number sn\"}");
  fake_cloud_add_raw_device (f->fake, "\"just a string\"");
  fake_cloud_add_raw_device (f->fake, "{\"deviceName\":\"no sn\",\"online\":1}");
  fake_cloud_add_raw_device (f->fake, "{\"sn\":\"DCABRAW000000001\",\"online\":\"1\","
                                      "\"productName\":7,\"deviceName\":[1]}");

  devices = list_devices (f->cloud, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (devices->len, ==, 3);

  d = g_ptr_array_index (devices, 0);
  g_assert_cmpstr (d->serial_number, ==, SN1);
  g_assert_cmpstr (d->name, ==, "Cabin");
  g_assert_cmpstr (d->product, ==, "DELTA Pro");
  g_assert_true (d->online);

  d = g_ptr_array_index (devices, 1);
  g_assert_cmpstr (d->serial_number, ==, SN2);
  g_assert_cmpstr (d->name, ==, "Van");
  g_assert_null (d->product);
  g_assert_false (d->online);

  d = g_ptr_array_index (devices, 2);
  g_assert_cmpstr (d->serial_number, ==, "DCABRAW000000001");
  g_assert_cmpstr (d->name, ==, "DCABRAW000000001");
  g_assert_null (d->product);
  g_assert_true (d->online);
}

static void
test_quota_all (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(JsonObject) quotas = NULL;
  g_autoptr(JsonObject) expected = juice_sim_device_dup_all_quotas (f->sim1);
  g_autoptr(GError) error = NULL;
  JsonNode *cells;
  gint64 soc = -1;
  FakeCloudRequest *r;

  quotas = get_all (f->cloud, SN1, &error);
  g_assert_no_error (error);

  g_assert_cmpuint (json_object_get_size (quotas), ==, json_object_get_size (expected));
  g_assert_cmpuint (json_object_get_size (quotas), >, 250);
  g_assert_true (juice_sim_device_get_quota_int (f->sim1, "pd.soc", &soc));
  g_assert_cmpint (json_object_get_int_member (quotas, "pd.soc"), ==, soc);

  cells = json_object_get_member (quotas, "bmsMaster.cellVol");
  g_assert_nonnull (cells);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (cells));
  g_assert_true (json_object_has_member (quotas, "inv.acPassByAutoEn"));

  r = g_ptr_array_index (fake_cloud_get_requests (f->fake), 0);
  g_assert_cmpstr (r->path, ==, "/iot-open/sign/device/quota/all");
  g_assert_null (r->body);
}

static void
test_quota_all_offline (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(JsonObject) quotas = NULL;
  g_autoptr(GError) error = NULL;

  quotas = get_all (f->cloud, SN2, &error);
  g_assert_error (error, JUICE_CLOUD_ERROR, JUICE_CLOUD_ERROR_NO_DATA);
  g_assert_null (quotas);
  /* not transient: no retry */
  g_assert_cmpuint (fake_cloud_get_requests (f->fake)->len, ==, 1);
}

static void
test_quota_selected (Fixture       *f,
                     gconstpointer  data)
{
  const char *keys[] = { "inv.cfgAcEnabled", "inv.cfgAcXboost", "inv.acPassbyAutoEn",
                         "no.such.key", NULL };
  g_autoptr(JsonObject) quotas = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = NULL;
  FakeCloudRequest *r;
  JsonArray *sent;

  quotas = get_some (f->cloud, SN1, keys, &error);
  g_assert_no_error (error);

  g_assert_cmpuint (json_object_get_size (quotas), ==, 3);
  g_assert_cmpint (json_object_get_int_member (quotas, "inv.cfgAcEnabled"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (quotas, "inv.cfgAcXboost"), ==, 0);
  /* keys come back in the device's spelling */
  g_assert_true (json_object_has_member (quotas, "inv.acPassByAutoEn"));
  g_assert_false (json_object_has_member (quotas, "no.such.key"));

  r = g_ptr_array_index (fake_cloud_get_requests (f->fake), 0);
  g_assert_cmpstr (r->method, ==, "POST");
  g_assert_cmpstr (r->path, ==, "/iot-open/sign/device/quota");
  body = json_from_string (r->body, NULL);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (body), "sn"), ==, SN1);
  sent = json_object_get_array_member (
    json_object_get_object_member (json_node_get_object (body), "params"), "quotas");
  g_assert_cmpuint (json_array_get_length (sent), ==, 4);
}

typedef struct
{
  JuiceSimDevice *sim;
  const char     *key;
  gint64          expected;
} QuotaWait;

static gboolean
quota_is (gpointer data)
{
  QuotaWait *wait = data;
  gint64 value = -1;

  return juice_sim_device_get_quota_int (wait->sim, wait->key, &value) && value == wait->expected;
}

static gboolean
wait_for_quota (JuiceSimDevice *sim,
                const char     *key,
                gint64          expected)
{
  QuotaWait wait = { sim, key, expected };

  return wait_until (quota_is, &wait);
}

static void
test_set (Fixture       *f,
          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 value = -1;
  FakeCloudRequest *r;

  g_assert_true (juice_sim_device_get_quota_int (f->sim1, "mppt.carState", &value));
  g_assert_cmpint (value, ==, 0);

  g_assert_true (set_quota (f->cloud, SN1, "{\"cmdSet\":32,\"id\":81,\"enabled\":1}", &error));
  g_assert_no_error (error);

  /* accepted is not applied: the value shows after the device's delay */
  g_assert_true (wait_for_quota (f->sim1, "mppt.carState", 1));

  g_assert_true (set_quota (f->cloud, SN1,
                            "{\"cmdSet\":32,\"id\":66,\"enabled\":1,\"xboost\":1}", &error));
  g_assert_no_error (error);
  g_assert_true (wait_for_quota (f->sim1, "inv.cfgAcEnabled", 1));
  g_assert_true (wait_for_quota (f->sim1, "inv.cfgAcXboost", 1));

  r = g_ptr_array_index (fake_cloud_get_requests (f->fake), 0);
  g_assert_cmpstr (r->method, ==, "PUT");
  g_assert_nonnull (strstr (r->body, "\"sn\":\"" SN1 "\""));
  g_assert_nonnull (strstr (r->body, "\"params\":{"));
  assert_fresh_signatures (f->fake);
}

/* Parameters the signer cannot flatten end the task with an error; none is
 * sent (it used to crash on strlen (NULL)). */
static void
test_set_unsignable (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GString) deep = g_string_new ("{\"cmdSet\":32,\"id\":81,\"enabled\":");
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < JUICE_SIGN_MAX_DEPTH + 8; i++)
    g_string_append_c (deep, '[');
  g_string_append_c (deep, '1');
  for (guint i = 0; i < JUICE_SIGN_MAX_DEPTH + 8; i++)
    g_string_append_c (deep, ']');
  g_string_append_c (deep, '}');

  g_assert_false (set_quota (f->cloud, SN1, deep->str, &error));
  g_assert_error (error, JUICE_CLOUD_ERROR, JUICE_CLOUD_ERROR_MALFORMED);
  g_assert_nonnull (strstr (error->message, "could not be signed"));
  g_assert_cmpuint (fake_cloud_get_n_arrived (f->fake), ==, 0);
  g_clear_error (&error);

  /* and the client still works afterwards */
  g_assert_true (set_quota (f->cloud, SN1, "{\"cmdSet\":32,\"id\":81,\"enabled\":1}", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fake_cloud_get_n_arrived (f->fake), ==, 1);
}

static void
test_set_refused (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  /* id 66 needs both enabled and xboost */
  g_assert_false (set_quota (f->cloud, SN1, "{\"cmdSet\":32,\"id\":66,\"enabled\":1}", &error));
  g_assert_error (error, JUICE_CLOUD_ERROR, JUICE_CLOUD_ERROR_REQUEST_FAILED);
  g_assert_nonnull (strstr (error->message, "1008"));
  g_clear_error (&error);

  /* out of range for the device */
  g_assert_false (set_quota (f->cloud, SN1, "{\"cmdSet\":32,\"id\":49,\"maxChgSoc\":20}", &error));
  g_assert_error (error, JUICE_CLOUD_ERROR, JUICE_CLOUD_ERROR_REQUEST_FAILED);
  g_clear_error (&error);

  /* offline */
  g_assert_false (set_quota (f->cloud, SN2, "{\"cmdSet\":32,\"id\":81,\"enabled\":1}", &error));
  g_assert_error (error, JUICE_CLOUD_ERROR, JUICE_CLOUD_ERROR_REQUEST_FAILED);
  g_clear_error (&error);

  /* not the account's device */
  g_assert_false (set_quota (f->cloud, "DCABZZZZZZZZZZZZ",
                             "{\"cmdSet\":32,\"id\":81,\"enabled\":1}", &error));
  g_assert_error (error, JUICE_CLOUD_ERROR, JUICE_CLOUD_ERROR_DEVICE_NOT_ALLOWED);
  g_assert_nonnull (strstr (error->message, "1006"));

  /* none of these is tried twice */
  g_assert_cmpuint (fake_cloud_get_requests (f->fake)->len, ==, 4);
}

static void
test_unknown_device (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(JsonObject) quotas = NULL;
  g_autoptr(GError) error = NULL;

  quotas = get_all (f->cloud, "DCABZZZZZZZZZZZZ", &error);
  g_assert_error (error, JUICE_CLOUD_ERROR, JUICE_CLOUD_ERROR_DEVICE_NOT_ALLOWED);
  g_assert_null (quotas);
}

/* Authentication */

static void
test_wrong_access_key (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GPtrArray) devices = NULL;
  g_autoptr(GError) error = NULL;

  juice_cloud_set_credentials (f->cloud, "AKwrong", FAKE_CLOUD_SECRET_KEY);
  devices = list_devices (f->cloud, &error);
  g_assert_error (error, JUICE_CLOUD_ERROR, JUICE_CLOUD_ERROR_ACCESS_KEY_INVALID);
  g_assert_true (juice_cloud_error_is_auth (error));
  g_assert_nonnull (strstr (error->message, "8513"));
  g_assert_nonnull (strstr (error->message, "accessKey is invalid"));
  g_assert_nonnull (strstr (error->message, "region"));
  g_assert_nonnull (strstr (error->message, "127.0.0.1"));
  g_assert_null (strstr (error->message, "AKwrong"));
  /* never retried */
  g_assert_cmpuint (fake_cloud_get_requests (f->fake)->len, ==, 1);
}

static void
test_wrong_secret (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) devices = NULL;
  g_autoptr(GError) error = NULL;

  juice_cloud_set_credentials (f->cloud, FAKE_CLOUD_ACCESS_KEY, "SKwrong");
  devices = list_devices (f->cloud, &error);
  g_assert_error (error, JUICE_CLOUD_ERROR, JUICE_CLOUD_ERROR_SIGNATURE);
  g_assert_nonnull (strstr (error->message, "8521"));
  g_assert_nonnull (strstr (error->message, "clock"));
  g_assert_cmpuint (fake_cloud_get_requests (f->fake)->len, ==, 1);
}

static void
test_stale_clock (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GPtrArray) devices = NULL;
  g_autoptr(GError) error = NULL;

  /* the service's clock 20 minutes ahead: our timestamps look stale */
  fake_cloud_set_skew_ms (f->fake, 20 * 60 * 1000);
  devices = list_devices (f->cloud, &error);
  g_assert_error (error, JUICE_CLOUD_ERROR, JUICE_CLOUD_ERROR_SIGNATURE);
  g_clear_error (&error);
  g_clear_pointer (&devices, g_ptr_array_unref);

  /* 14 minutes is within the window */
  fake_cloud_set_skew_ms (f->fake, -14 * 60 * 1000);
  devices = list_devices (f->cloud, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fake_cloud_get_requests (f->fake)->len, ==, 2);
}

static void
test_no_permission (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) devices = NULL;
  g_autoptr(GError) error = NULL;

  fake_cloud_fail (f->fake, NULL, FAKE_CLOUD_FAIL_CODE_8512, -1);
  devices = list_devices (f->cloud, &error);
  g_assert_error (error, JUICE_CLOUD_ERROR, JUICE_CLOUD_ERROR_NO_PERMISSION);
  g_assert_true (juice_cloud_error_is_auth (error));
  g_assert_cmpuint (fake_cloud_get_requests (f->fake)->len, ==, 1);
}

static void
test_no_credentials (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GPtrArray) devices = NULL;
  g_autoptr(GError) error = NULL;

  juice_cloud_set_credentials (f->cloud, NULL, NULL);
  g_assert_false (juice_cloud_has_credentials (f->cloud));
  devices = list_devices (f->cloud, &error);
  g_assert_error (error, JUICE_CLOUD_ERROR, JUICE_CLOUD_ERROR_NO_CREDENTIALS);
  g_assert_cmpuint (fake_cloud_get_n_arrived (f->fake), ==, 0);
}

/* Failures and retries */

static void
test_http_500_retried (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GPtrArray) devices = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;

  /* once: the retry succeeds */
  fake_cloud_fail (f->fake, NULL, FAKE_CLOUD_FAIL_HTTP_500, 1);
  devices = list_devices (f->cloud, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (devices->len, ==, 2);
  g_assert_cmpuint (fake_cloud_get_requests (f->fake)->len, ==, 2);
  assert_fresh_signatures_full (f->fake, TRUE);
  g_clear_pointer (&devices, g_ptr_array_unref);

  /* always: bounded, with growing pauses between attempts */
  fake_cloud_clear_requests (f->fake);
  juice_cloud_set_retry_delay_ms (f->cloud, 100);
  fake_cloud_fail (f->fake, NULL, FAKE_CLOUD_FAIL_HTTP_500, -1);
  start = g_get_monotonic_time ();
  devices = list_devices (f->cloud, &error);
  g_assert_error (error, JUICE_CLOUD_ERROR, JUICE_CLOUD_ERROR_HTTP_STATUS);
  g_assert_nonnull (strstr (error->message, "500"));
  g_assert_cmpuint (fake_cloud_get_requests (f->fake)->len, ==, 3);
  /* at least half of 100 ms and of 200 ms of backoff */
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 150 * 1000);
  assert_fresh_signatures_full (f->fake, TRUE);
  g_clear_error (&error);

  /* the limit is configurable */
  fake_cloud_clear_requests (f->fake);
  juice_cloud_set_retry_delay_ms (f->cloud, 10);
  juice_cloud_set_max_attempts (f->cloud, 5);
  devices = list_devices (f->cloud, &error);
  g_assert_error (error, JUICE_CLOUD_ERROR, JUICE_CLOUD_ERROR_HTTP_STATUS);
  g_assert_cmpuint (fake_cloud_get_requests (f->fake)->len, ==, 5);
}

static void
test_server_error_retried (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(JsonObject) quotas = NULL;
  g_autoptr(GError) error = NULL;

  fake_cloud_fail (f->fake, NULL, FAKE_CLOUD_FAIL_CODE_1000, -1);
  quotas = get_all (f->cloud, SN1, &error);
  g_assert_error (error, JUICE_CLOUD_ERROR, JUICE_CLOUD_ERROR_SERVER);
  g_assert_nonnull (strstr (error->message, "1000"));
  g_assert_cmpuint (fake_cloud_get_requests (f->fake)->len, ==, 3);
}

static void
test_set_not_repeated (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  /* a 500 or a 1000 may come after the command was queued: no repeat */
  fake_cloud_fail (f->fake, "PUT", FAKE_CLOUD_FAIL_HTTP_500, 1);
  g_assert_false (set_quota (f->cloud, SN1, "{\"cmdSet\":32,\"id\":81,\"enabled\":1}", &error));
  g_assert_error (error, JUICE_CLOUD_ERROR, JUICE_CLOUD_ERROR_HTTP_STATUS);
  g_clear_error (&error);

  fake_cloud_fail (f->fake, "PUT", FAKE_CLOUD_FAIL_CODE_1000, 1);
  g_assert_false (set_quota (f->cloud, SN1, "{\"cmdSet\":32,\"id\":81,\"enabled\":1}", &error));
  g_assert_error (error, JUICE_CLOUD_ERROR, JUICE_CLOUD_ERROR_SERVER);
  g_clear_error (&error);

  fake_cloud_fail (f->fake, "PUT", FAKE_CLOUD_FAIL_CLOSE, 1);
  g_assert_false (set_quota (f->cloud, SN1, "{\"cmdSet\":32,\"id\":81,\"enabled\":1}", &error));
  g_assert_error (error, JUICE_CLOUD_ERROR, JUICE_CLOUD_ERROR_NETWORK);

  g_assert_cmpuint (fake_cloud_get_n_arrived (f->fake), ==, 3);
}

static void
test_malformed (Fixture       *f,
                gconstpointer  data)
{
  static const struct {
    FakeCloudFailure failure;
    int              code;
  } cases[] = {
    { FAKE_CLOUD_FAIL_INVALID_JSON, JUICE_CLOUD_ERROR_MALFORMED },
    { FAKE_CLOUD_FAIL_DATA_NULL, JUICE_CLOUD_ERROR_NO_DATA },
    { FAKE_CLOUD_FAIL_WRONG_TYPE, JUICE_CLOUD_ERROR_MALFORMED },
    { FAKE_CLOUD_FAIL_CODE_1006, JUICE_CLOUD_ERROR_DEVICE_NOT_ALLOWED },
    { FAKE_CLOUD_FAIL_HUGE, JUICE_CLOUD_ERROR_MALFORMED },
    { FAKE_CLOUD_FAIL_HUGE_CHUNKED, JUICE_CLOUD_ERROR_MALFORMED },
    { FAKE_CLOUD_FAIL_DEEP, JUICE_CLOUD_ERROR_MALFORMED },
    { FAKE_CLOUD_FAIL_NO_CODE, JUICE_CLOUD_ERROR_MALFORMED },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonObject) quotas = NULL;
      g_autoptr(GPtrArray) devices = NULL;
      g_autoptr(JuiceCloudCertification) cert = NULL;
      g_autoptr(GError) error = NULL;
      const char *keys[] = { "pd.soc", NULL };
      Wait wait = { NULL };

      g_test_message ("failure %d", cases[i].failure);

      fake_cloud_clear_requests (f->fake);
      fake_cloud_fail (f->fake, NULL, cases[i].failure, 4);

      quotas = get_all (f->cloud, SN1, &error);
      g_assert_error (error, JUICE_CLOUD_ERROR, cases[i].code);
      g_clear_error (&error);

      quotas = get_some (f->cloud, SN1, keys, &error);
      g_assert_error (error, JUICE_CLOUD_ERROR, cases[i].code);
      g_clear_error (&error);

      devices = list_devices (f->cloud, &error);
      g_assert_error (error, JUICE_CLOUD_ERROR, cases[i].code);
      g_clear_error (&error);

      juice_cloud_get_certification_async (f->cloud, NULL, wait_cb, &wait);
      cert = juice_cloud_get_certification_finish (f->cloud, wait_for (&wait), &error);
      g_object_unref (wait.result);
      g_assert_error (error, JUICE_CLOUD_ERROR, cases[i].code);

      /* none of these is transient */
      g_assert_cmpuint (fake_cloud_get_requests (f->fake)->len, ==, 4);
    }

  /* and the service still works afterwards */
  {
    g_autoptr(JsonObject) quotas = NULL;
    g_autoptr(GError) error = NULL;

    quotas = get_all (f->cloud, SN1, &error);
    g_assert_no_error (error);
  }
}

static void
test_unknown_code (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(JsonObject) quotas = NULL;
  g_autoptr(GError) error = NULL;

  fake_cloud_fail (f->fake, NULL, FAKE_CLOUD_FAIL_CODE_UNKNOWN, 1);
  quotas = get_all (f->cloud, SN1, &error);
  g_assert_error (error, JUICE_CLOUD_ERROR, JUICE_CLOUD_ERROR_API_UNKNOWN);
  g_assert_nonnull (strstr (error->message, "4711"));
  g_assert_nonnull (strstr (error->message, "the flux"));
  /* the service's text cannot drive a terminal */
  g_assert_null (strchr (error->message, '\x1b'));
  g_assert_null (strchr (error->message, '\n'));
}

static void
test_connection_closed (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(JsonObject) quotas = NULL;
  g_autoptr(GError) error = NULL;

  /* a reading request is repeated after a dropped connection */
  fake_cloud_fail (f->fake, NULL, FAKE_CLOUD_FAIL_CLOSE, 1);
  quotas = get_all (f->cloud, SN1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fake_cloud_get_n_arrived (f->fake), ==, 2);
  g_clear_pointer (&quotas, json_object_unref);

  /* on a kept-alive connection libsoup re-sends a GET by itself: it must be
   * signed again, or the service takes it for a replay */
  fake_cloud_clear_requests (f->fake);
  fake_cloud_fail (f->fake, NULL, FAKE_CLOUD_FAIL_CLOSE, 1);
  quotas = get_all (f->cloud, SN1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fake_cloud_get_n_arrived (f->fake), ==, 2);
  assert_fresh_signatures (f->fake);
}

static void
test_timeout (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GPtrArray) devices = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start, elapsed;

  /* Each stretched by the time scale: a slow build's TLS handshake alone
   * may take longer than 300 ms. */
  fake_cloud_set_delay_ms (f->fake, test_time_scale_ms (3000));
  juice_cloud_set_timeout_ms (f->cloud, test_time_scale_ms (300));
  juice_cloud_set_max_attempts (f->cloud, 2);

  start = g_get_monotonic_time ();
  devices = list_devices (f->cloud, &error);
  elapsed = g_get_monotonic_time () - start;

  g_assert_error (error, JUICE_CLOUD_ERROR, JUICE_CLOUD_ERROR_TIMEOUT);
  g_assert_cmpuint (fake_cloud_get_n_arrived (f->fake), ==, 2);
  g_assert_cmpint (elapsed, >=, test_time_scale_us (600 * 1000));
  g_assert_cmpint (elapsed, <, test_time_scale_us (2500 * 1000));
}

static gboolean
request_arrived (gpointer data)
{
  return fake_cloud_get_n_arrived (data) >= 1;
}

static guint want_answered;

static gboolean
request_answered (gpointer data)
{
  return fake_cloud_count_requests (data, "GET", "/iot-open/sign/device/list") >= want_answered;
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GCancellable) cancellable2 = g_cancellable_new ();
  g_autoptr(GPtrArray) devices = NULL;
  g_autoptr(GError) error = NULL;
  Wait wait = { NULL };
  gint64 start;

  /* while the request is on its way */
  fake_cloud_set_delay_ms (f->fake, test_time_scale_ms (3000));
  start = g_get_monotonic_time ();
  juice_cloud_list_devices_async (f->cloud, cancellable, wait_cb, &wait);
  g_assert_true (wait_until (request_arrived, f->fake));
  g_cancellable_cancel (cancellable);
  devices = juice_cloud_list_devices_finish (f->cloud, wait_for (&wait), &error);
  g_clear_object (&wait.result);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, test_time_scale_us (1500 * 1000));
  g_clear_error (&error);

  /* while waiting to try again */
  fake_cloud_set_delay_ms (f->fake, 0);
  fake_cloud_fail (f->fake, NULL, FAKE_CLOUD_FAIL_HTTP_500, -1);
  juice_cloud_set_retry_delay_ms (f->cloud, test_time_scale_ms (5000));
  start = g_get_monotonic_time ();
  juice_cloud_list_devices_async (f->cloud, cancellable2, wait_cb, &wait);
  /* the first attempt is answered with a 500; once the client took it in,
   * it waits 5 s to try again */
  want_answered = fake_cloud_count_requests (f->fake, "GET", "/iot-open/sign/device/list") + 1;
  g_assert_true (wait_until (request_answered, f->fake));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_cancellable_cancel (cancellable2);
  devices = juice_cloud_list_devices_finish (f->cloud, wait_for (&wait), &error);
  g_clear_object (&wait.result);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, test_time_scale_us (1500 * 1000));

  /* already cancelled: nothing is sent */
  g_clear_error (&error);
  fake_cloud_clear_requests (f->fake);
  juice_cloud_list_devices_async (f->cloud, cancellable2, wait_cb, &wait);
  devices = juice_cloud_list_devices_finish (f->cloud, wait_for (&wait), &error);
  g_clear_object (&wait.result);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (fake_cloud_get_n_arrived (f->fake), ==, 0);
}

/* The fake cloud checks requests as strictly as the real service: were it
 * lax, the tests above would prove nothing. Requests are made by hand here. */

typedef struct
{
  const char *access_key;
  const char *secret_key;
  const char *nonce;
  const char *timestamp;
  gboolean    drop_sign;
  const char *content_type;
  const char *tamper;       /* body sent instead of the signed one */
} RawRequest;

static char *
send_raw (Fixture          *f,
          SoupSession      *session,
          const char       *method,
          const char       *path,
          const char       *body,
          const RawRequest *raw)
{
  g_autofree char *url = g_strconcat (fake_cloud_get_base_url (f->fake), path, NULL);
  g_autoptr(SoupMessage) message = soup_message_new (method, url);
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_ENCODED_QUERY, NULL);
  g_autoptr(GHashTable) query = NULL;
  g_autoptr(JsonNode) params = NULL;
  g_autoptr(GBytes) response = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *string = NULL;
  g_autofree char *sign = NULL;
  SoupMessageHeaders *headers = soup_message_get_request_headers (message);

  if (g_uri_get_query (uri) != NULL)
    query = soup_form_decode (g_uri_get_query (uri));
  if (body != NULL)
    params = json_from_string (body, NULL);

  string = juice_sign_build_string (params, query, raw->access_key, raw->nonce,
                                    raw->timestamp);
  sign = juice_sign_compute (raw->secret_key, string);

  soup_message_headers_replace (headers, "accessKey", raw->access_key);
  soup_message_headers_replace (headers, "nonce", raw->nonce);
  soup_message_headers_replace (headers, "timestamp", raw->timestamp);
  if (!raw->drop_sign)
    soup_message_headers_replace (headers, "sign", sign);
  if (body != NULL)
    {
      const char *sent = raw->tamper != NULL ? raw->tamper : body;
      g_autoptr(GBytes) bytes = g_bytes_new (sent, strlen (sent));

      soup_message_set_request_body_from_bytes (message,
                                                raw->content_type != NULL
                                                ? raw->content_type
                                                : "application/json;charset=UTF-8",
                                                bytes);
    }

  /* the fake cloud answers from this thread's main loop: no sync call */
  {
    Wait wait = { NULL };

    soup_session_send_and_read_async (session, message, G_PRIORITY_DEFAULT, NULL, wait_cb,
                                      &wait);
    response = soup_session_send_and_read_finish (session, wait_for (&wait), &error);
    g_object_unref (wait.result);
  }
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (message), ==, 200);
  root = json_from_string (g_bytes_get_data (response, NULL), &error);
  g_assert_no_error (error);

  return g_strdup (json_object_get_string_member (json_node_get_object (root), "code"));
}

static void
test_fake_cloud_verifier (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GTlsDatabase) database = g_tls_file_database_new (certs->ca_file, NULL);
  g_autoptr(SoupSession) session = soup_session_new_with_options ("tls-database", database,
                                                                  NULL);
  g_autofree char *now = juice_sign_new_timestamp ();
  g_autofree char *stale = g_strdup_printf ("%" G_GINT64_FORMAT,
                                            g_ascii_strtoll (now, NULL, 10) - 16 * 60 * 1000);
  g_autofree char *future = g_strdup_printf ("%" G_GINT64_FORMAT,
                                             g_ascii_strtoll (now, NULL, 10) + 16 * 60 * 1000);
  g_autofree char *later = g_strdup_printf ("%" G_GINT64_FORMAT,
                                            g_ascii_strtoll (now, NULL, 10) + 1000);
  const char *put = "{\"sn\":\"" SN1 "\",\"params\":{\"cmdSet\":32,\"id\":81,\"enabled\":1}}";
  const char *list = "/iot-open/sign/device/list";
  const char *quota = "/iot-open/sign/device/quota";
  const char *all = "/iot-open/sign/device/quota/all?sn=" SN1;
  RawRequest good = { FAKE_CLOUD_ACCESS_KEY, FAKE_CLOUD_SECRET_KEY, "100001", now };
  RawRequest r;
  g_autofree char *c1 = NULL, *c2 = NULL, *c3 = NULL, *c4 = NULL, *c5 = NULL, *c6 = NULL;
  g_autofree char *c7 = NULL, *c8 = NULL, *c9 = NULL, *c10 = NULL, *c11 = NULL, *c12 = NULL;

  /* a correct request passes, its replay does not */
  c1 = send_raw (f, session, "GET", list, NULL, &good);
  g_assert_cmpstr (c1, ==, "0");
  c2 = send_raw (f, session, "GET", list, NULL, &good);
  g_assert_cmpstr (c2, ==, "8521");

  /* the same nonce with another timestamp is another request */
  r = good;
  r.timestamp = later;
  c3 = send_raw (f, session, "GET", list, NULL, &r);
  g_assert_cmpstr (c3, ==, "0");

  /* timestamps more than 15 minutes off are refused */
  r = good;
  r.nonce = "100010";
  r.timestamp = future;
  c4 = send_raw (f, session, "GET", all, NULL, &r);
  g_assert_cmpstr (c4, ==, "8521");
  r.nonce = "100011";
  r.timestamp = stale;
  g_free (c4);
  c4 = send_raw (f, session, "GET", all, NULL, &r);
  g_assert_cmpstr (c4, ==, "8521");

  r = good;
  r.nonce = "100002";
  r.secret_key = "SKsomeoneelse";
  c5 = send_raw (f, session, "GET", all, NULL, &r);
  g_assert_cmpstr (c5, ==, "8521");

  r = good;
  r.nonce = "100003";
  r.access_key = "AKsomeoneelse";
  c6 = send_raw (f, session, "GET", all, NULL, &r);
  g_assert_cmpstr (c6, ==, "8513");

  r = good;
  r.nonce = "100004";
  r.drop_sign = TRUE;
  c7 = send_raw (f, session, "GET", all, NULL, &r);
  g_assert_cmpstr (c7, ==, "8521");

  /* the query is signed: the signature covers sn */
  r = good;
  r.nonce = "100005";
  c8 = send_raw (f, session, "GET", all, NULL, &r);
  g_assert_cmpstr (c8, ==, "0");

  /* the body is signed: a changed body fails */
  r = good;
  r.nonce = "100006";
  r.tamper = "{\"sn\":\"" SN1 "\",\"params\":{\"cmdSet\":32,\"id\":81,\"enabled\":0}}";
  c9 = send_raw (f, session, "PUT", quota, put, &r);
  g_assert_cmpstr (c9, ==, "8521");

  r = good;
  r.nonce = "100007";
  r.content_type = "text/plain";
  c10 = send_raw (f, session, "PUT", quota, put, &r);
  g_assert_cmpstr (c10, ==, "1008");

  r = good;
  r.nonce = "100008";
  c11 = send_raw (f, session, "PUT", quota, put, &r);
  g_assert_cmpstr (c11, ==, "0");

  /* id 66 without both parameters */
  r = good;
  r.nonce = "100009";
  c12 = send_raw (f, session, "PUT", quota,
                  "{\"sn\":\"" SN1 "\",\"params\":{\"cmdSet\":32,\"id\":66,\"enabled\":1}}",
                  &r);
  g_assert_cmpstr (c12, ==, "1008");
}

/* TLS and addresses */

static void
assert_tls_refused (const char *base_url,
                    const char *ca_file,
                    const char *reason)
{
  g_autoptr(JuiceCloud) cloud = new_cloud (base_url, ca_file);
  g_autoptr(GPtrArray) devices = NULL;
  g_autoptr(GError) error = NULL;

  devices = list_devices (cloud, &error);
  g_assert_error (error, JUICE_CLOUD_ERROR, JUICE_CLOUD_ERROR_TLS);
  g_assert_nonnull (strstr (error->message, reason));
}

static void
test_tls (Fixture       *f,
          gconstpointer  data)
{
  g_autoptr(FakeCloud) wrong_host = NULL;
  g_autofree char *localhost_url = NULL;
  g_autoptr(JuiceCloud) by_name = NULL;
  g_autoptr(GPtrArray) devices = NULL;
  g_autoptr(GError) error = NULL;

  /* the system store alone does not know the fake cloud's CA */
  assert_tls_refused (fake_cloud_get_base_url (f->fake), NULL, "trusted certificate authority");
  /* nor does another CA */
  assert_tls_refused (fake_cloud_get_base_url (f->fake), certs->other_ca_file,
                      "trusted certificate authority");
  /* the right CA, but a certificate for another host */
  wrong_host = fake_cloud_new_with_cert (certs->wrong_host_cert, certs->wrong_host_key);
  assert_tls_refused (fake_cloud_get_base_url (wrong_host), certs->ca_file, "another host");
  g_assert_cmpuint (fake_cloud_get_n_arrived (f->fake), ==, 0);
  g_assert_cmpuint (fake_cloud_get_n_arrived (wrong_host), ==, 0);

  /* by host name, with the extra CA */
  localhost_url = g_strdup_printf ("https://localhost:%u", fake_cloud_get_port (f->fake));
  by_name = new_cloud (localhost_url, certs->ca_file);
  devices = list_devices (by_name, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (devices->len, ==, 2);
}

static void
test_tls_database (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) server = NULL;
  g_autoptr(GTlsDatabase) ca_db = NULL;
  g_autoptr(GTlsDatabase) other_db = NULL;
  g_autoptr(GSocketConnectable) identity = g_network_address_new ("127.0.0.1", 443);
  g_autoptr(GSocketConnectable) wrong = g_network_address_new ("example.com", 443);
  g_autoptr(GTlsDatabase) system = NULL;
  g_autofree char *empty = NULL;
  g_autolist(GTlsCertificate) roots = NULL;
  const char *purpose = G_TLS_DATABASE_PURPOSE_AUTHENTICATE_SERVER;
  const char *bundle = "/etc/ssl/certs/ca-certificates.crt";

  server = g_tls_certificate_new_from_file (certs->server_cert, &error);
  g_assert_no_error (error);
  ca_db = g_tls_file_database_new (certs->ca_file, &error);
  g_assert_no_error (error);
  other_db = g_tls_file_database_new (certs->other_ca_file, &error);
  g_assert_no_error (error);

  {
    /* base store alone, extra file alone, and either of the two */
    g_autoptr(GTlsDatabase) base_only = juice_tls_database_new_full (ca_db, NULL, &error);
    g_autoptr(GTlsDatabase) extra_only = juice_tls_database_new_full (NULL, certs->ca_file,
                                                                      &error);
    g_autoptr(GTlsDatabase) both = juice_tls_database_new_full (other_db, certs->ca_file,
                                                                &error);
    g_autoptr(GTlsDatabase) neither = juice_tls_database_new_full (other_db,
                                                                   certs->other_ca_file,
                                                                   &error);

    g_assert_no_error (error);
    g_assert_cmpint (g_tls_database_verify_chain (base_only, server, purpose, identity, NULL,
                                                  0, NULL, NULL), ==, 0);
    g_assert_cmpint (g_tls_database_verify_chain (extra_only, server, purpose, identity, NULL,
                                                  0, NULL, NULL), ==, 0);
    g_assert_cmpint (g_tls_database_verify_chain (both, server, purpose, identity, NULL,
                                                  0, NULL, NULL), ==, 0);
    g_assert_cmpint (g_tls_database_verify_chain (neither, server, purpose, identity, NULL,
                                                  0, NULL, NULL) & G_TLS_CERTIFICATE_UNKNOWN_CA,
                     !=, 0);
    /* the extra CA vouches for the issuer, not for any host */
    g_assert_cmpint (g_tls_database_verify_chain (both, server, purpose, wrong, NULL,
                                                  0, NULL, NULL), ==,
                     G_TLS_CERTIFICATE_BAD_IDENTITY);
  }

  /* the system store still counts when an extra file is given */
  if (g_file_test (bundle, G_FILE_TEST_EXISTS))
    {
      g_autoptr(GTlsDatabase) db = juice_tls_database_new (certs->ca_file, &error);
      GTlsCertificate *root;

      g_assert_no_error (error);
      roots = g_tls_certificate_list_new_from_file (bundle, &error);
      g_assert_no_error (error);
      g_assert_nonnull (roots);
      root = roots->data;
      g_assert_cmpint (g_tls_database_verify_chain (db, root, purpose, NULL, NULL, 0, NULL, NULL),
                       ==, 0);
      g_assert_cmpint (g_tls_database_verify_chain (db, server, purpose, identity, NULL, 0, NULL,
                                                    NULL), ==, 0);

      system = g_tls_backend_get_default_database (g_tls_backend_get_default ());
      g_assert_cmpint (g_tls_database_verify_chain (system, server, purpose, identity, NULL, 0,
                                                    NULL, NULL) & G_TLS_CERTIFICATE_UNKNOWN_CA,
                       !=, 0);
    }
  else
    {
      g_test_message ("no system CA bundle at %s: system part not checked", bundle);
    }

  /* a CA file that is missing or holds no certificate is an error */
  g_assert_null (juice_tls_database_new ("/nonexistent/ca.pem", &error));
  g_assert_nonnull (error);
  g_clear_error (&error);

  empty = g_build_filename (certs->dir, "empty.pem", NULL);
  g_assert_true (g_file_set_contents (empty, "", 0, NULL));
  g_assert_null (juice_tls_database_new (empty, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_null (juice_cloud_new (JUICE_CLOUD_BASE_URL_EUROPE, empty, &error));
  g_assert_error (error, JUICE_CLOUD_ERROR, JUICE_CLOUD_ERROR_TLS);
  g_unlink (empty);
}

static void
test_base_urls (void)
{
  static const struct {
    const char *url;
    const char *normalized;   /* NULL: refused */
  } cases[] = {
    { "https://api-e.ecoflow.com", "https://api-e.ecoflow.com" },
    { "https://api-a.ecoflow.com/", "https://api-a.ecoflow.com" },
    { "https://proxy.example:8443/ecoflow/", "https://proxy.example:8443/ecoflow" },
    { "http://127.0.0.1:8080", "http://127.0.0.1:8080" },
    { "http://localhost:8080/", "http://localhost:8080" },
    { "http://[::1]:8080", "http://[::1]:8080" },
    { "http://127.8.9.10", "http://127.8.9.10" },
    { "http://api-e.ecoflow.com", NULL },
    { "http://192.168.1.10:8080", NULL },
    { "http://localhost.example.com", NULL },
    { "ftp://api-e.ecoflow.com", NULL },
    { "https://user:pw@api-e.ecoflow.com", NULL },
    { "https://api-e.ecoflow.com/?a=b", NULL },
    { "api-e.ecoflow.com", NULL },
    { "", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *normalized = NULL;
      g_autoptr(JuiceCloud) cloud = NULL;
      gboolean ok = juice_cloud_check_base_url (cases[i].url, &normalized, &error);

      g_test_message ("%s", cases[i].url);
      if (cases[i].normalized != NULL)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
          g_assert_cmpstr (normalized, ==, cases[i].normalized);
          cloud = juice_cloud_new (cases[i].url, NULL, &error);
          g_assert_no_error (error);
          g_assert_cmpstr (juice_cloud_get_base_url (cloud), ==, cases[i].normalized);
        }
      else
        {
          g_assert_error (error, JUICE_CLOUD_ERROR, JUICE_CLOUD_ERROR_INVALID_URL);
          g_assert_false (ok);
          g_clear_error (&error);
          cloud = juice_cloud_new (cases[i].url, NULL, &error);
          g_assert_error (error, JUICE_CLOUD_ERROR, JUICE_CLOUD_ERROR_INVALID_URL);
          g_assert_null (cloud);
        }
    }

  g_assert_cmpstr (juice_cloud_region_get_base_url (JUICE_CLOUD_REGION_EUROPE), ==,
                   "https://api-e.ecoflow.com");
  g_assert_cmpstr (juice_cloud_region_get_base_url (JUICE_CLOUD_REGION_AMERICAS), ==,
                   "https://api-a.ecoflow.com");
}

static void
test_plain_http_loopback (void)
{
  g_autoptr(FakeCloud) fake = fake_cloud_new (certs, FALSE);
  g_autoptr(JuiceCloud) cloud = NULL;
  g_autoptr(GPtrArray) devices = NULL;
  g_autoptr(GError) error = NULL;

  fake_cloud_add_device (fake, SN1, "Cabin", "DELTA Pro");
  cloud = new_cloud (fake_cloud_get_base_url (fake), NULL);
  g_assert_true (g_str_has_prefix (juice_cloud_get_base_url (cloud), "http://127.0.0.1:"));
  devices = list_devices (cloud, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (devices->len, ==, 1);
}

static void
test_connection_refused (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(JuiceCloud) cloud = NULL;
  g_autoptr(GPtrArray) devices = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  gint64 start;

  /* a port that was free a moment ago: nothing listens on it */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         &error);
  g_assert_no_error (error);
  g_socket_bind (socket, address, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  url = g_strdup_printf ("https://127.0.0.1:%u",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_socket_close (socket, NULL);

  cloud = new_cloud (url, certs->ca_file);
  juice_cloud_set_retry_delay_ms (cloud, 100);
  start = g_get_monotonic_time ();
  devices = list_devices (cloud, &error);
  g_assert_error (error, JUICE_CLOUD_ERROR, JUICE_CLOUD_ERROR_NETWORK);
  g_assert_nonnull (strstr (error->message, "127.0.0.1"));
  /* three attempts: at least two pauses (50..100 ms, then 100..200 ms) */
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 150 * 1000);
}

static void
test_dns_failure (void)
{
  g_autoptr(JuiceCloud) cloud = new_cloud ("https://juice-test.invalid", NULL);
  g_autoptr(GPtrArray) devices = NULL;
  g_autoptr(GError) error = NULL;

  /* .invalid never resolves (RFC 6761) */
  juice_cloud_set_max_attempts (cloud, 1);
  devices = list_devices (cloud, &error);
  g_assert_nonnull (error);
  g_assert_true (error->domain == JUICE_CLOUD_ERROR);
  g_assert_true (error->code == JUICE_CLOUD_ERROR_DNS);
  g_assert_nonnull (strstr (error->message, "juice-test.invalid"));
}

static void
test_error_messages (void)
{
  static const struct {
    const char *code;
    int         expected;
  } cases[] = {
    { "8521", JUICE_CLOUD_ERROR_SIGNATURE },
    { "8513", JUICE_CLOUD_ERROR_ACCESS_KEY_INVALID },
    { "8512", JUICE_CLOUD_ERROR_NO_PERMISSION },
    { "1006", JUICE_CLOUD_ERROR_DEVICE_NOT_ALLOWED },
    { "1008", JUICE_CLOUD_ERROR_REQUEST_FAILED },
    { "1000", JUICE_CLOUD_ERROR_SERVER },
    { "9999", JUICE_CLOUD_ERROR_API_UNKNOWN },
    { "abc", JUICE_CLOUD_ERROR_API_UNKNOWN },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = juice_cloud_error_new_from_api (cases[i].code, "their words",
                                                                "api-e.ecoflow.com");

      g_assert_error (error, JUICE_CLOUD_ERROR, cases[i].expected);
      g_assert_nonnull (strstr (error->message, cases[i].code));
      g_assert_nonnull (strstr (error->message, "their words"));
    }

  {
    g_autoptr(GError) error = juice_cloud_error_new_from_api ("8513", NULL, "api-a.ecoflow.com");
    g_autofree char *long_text = g_strnfill (5000, 'x');
    g_autoptr(GError) long_error = juice_cloud_error_new_from_api ("42", long_text, NULL);
    g_autofree char *bad = juice_cloud_error_sanitize_text ("a\xff\x1b[2Jb\tc", 100);

    g_assert_nonnull (strstr (error->message, "api-a.ecoflow.com"));
    g_assert_nonnull (strstr (error->message, "Europe"));
    g_assert_cmpuint (strlen (long_error->message), <, 600);
    g_assert_true (g_utf8_validate (bad, -1, NULL));
    g_assert_null (strchr (bad, '\x1b'));
    g_assert_null (strchr (bad, '\t'));
    g_assert_true (g_str_has_prefix (bad, "a"));
    g_assert_true (g_str_has_suffix (bad, "c"));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int ret;

  captured_log = g_string_new (NULL);
  g_log_set_writer_func (capture_writer, NULL, NULL);

  g_test_init (&argc, &argv, NULL);

  certs = fake_cloud_certs_new (&error);
  g_assert_no_error (error);

#define ADD(path, func) \
  g_test_add ("/juice/cloud/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("certification", test_certification);
  ADD ("devices", test_devices);
  ADD ("quota-all", test_quota_all);
  ADD ("quota-all-offline", test_quota_all_offline);
  ADD ("quota-selected", test_quota_selected);
  ADD ("set", test_set);
  ADD ("set-refused", test_set_refused);
  ADD ("set-unsignable", test_set_unsignable);
  ADD ("unknown-device", test_unknown_device);
  ADD ("auth/wrong-access-key", test_wrong_access_key);
  ADD ("auth/wrong-secret", test_wrong_secret);
  ADD ("auth/stale-clock", test_stale_clock);
  ADD ("auth/no-permission", test_no_permission);
  ADD ("auth/no-credentials", test_no_credentials);
  ADD ("retry/http-500", test_http_500_retried);
  ADD ("retry/server-error", test_server_error_retried);
  ADD ("retry/set-not-repeated", test_set_not_repeated);
  ADD ("retry/connection-closed", test_connection_closed);
  ADD ("malformed", test_malformed);
  ADD ("unknown-code", test_unknown_code);
  ADD ("timeout", test_timeout);
  ADD ("cancel", test_cancel);
  ADD ("tls/refused-and-accepted", test_tls);
  ADD ("fake-cloud-verifier", test_fake_cloud_verifier);
#undef ADD

  g_test_add_func ("/juice/cloud/tls/database", test_tls_database);
  g_test_add_func ("/juice/cloud/base-urls", test_base_urls);
  g_test_add_func ("/juice/cloud/plain-http-loopback", test_plain_http_loopback);
  g_test_add_func ("/juice/cloud/connection-refused", test_connection_refused);
  g_test_add_func ("/juice/cloud/dns-failure", test_dns_failure);
  g_test_add_func ("/juice/cloud/error-messages", test_error_messages);

  ret = g_test_run ();

  g_clear_pointer (&certs, fake_cloud_certs_free);
  g_string_free (captured_log, TRUE);

  return ret;
}
