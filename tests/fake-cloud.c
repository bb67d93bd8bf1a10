/* fake-cloud.c: an in-process EcoFlow IoT Open API for tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A SoupServer over TLS that checks every request the way the real service
 * does (DESIGN.md §3): the access key, a timestamp within 15 minutes, a
 * nonce not seen before with that timestamp, and the HMAC-SHA256 signature
 * recomputed from what it received. It answers with the real envelopes and
 * error codes and drives JuiceSimDevice instances.
 */

#define G_LOG_DOMAIN "fake-cloud"

#include <string.h>

#include <glib/gstdio.h>

#include <libsoup/soup.h>

#include "fake-cloud.h"
#include "juice-json.h"
#include "juice-sign.h"
#include "juice-command-builder.h"

#define TIMESTAMP_WINDOW_MS (15 * 60 * 1000)
#define HUGE_SIZE (17 * 1024 * 1024)

typedef struct
{
  char             *method;   /* NULL: any */
  FakeCloudFailure  failure;
  int               count;    /* -1: forever */
} Failure;

struct _FakeCloud
{
  SoupServer *server;
  char       *base_url;
  guint16     port;

  GPtrArray  *devices;        /* JuiceSimDevice */
  GHashTable *products;       /* sn -> product or NULL */
  GPtrArray  *raw_devices;    /* JsonNode */
  GQueue      failures;       /* Failure */
  GHashTable *seen;           /* "nonce:timestamp" */
  GPtrArray  *requests;       /* FakeCloudRequest */
  GList      *delayed;        /* Pending */
  guint       delay_ms;
  GPtrArray  *held;           /* SoupServerMessage answered, not yet sent; NULL: none held */
  guint       n_arrived;      /* requests received, delayed or not */
  gint64      skew_ms;
  GHashTable *quota_all_counts; /* sn -> quota/all requests (GUINT_TO_POINTER) */
  JsonObject *raw_quotas;       /* key -> value served in place of the device's */

  /* What certification answers: the MQTT broker the devices talk through. */
  char       *mqtt_host;
  guint16     mqtt_port;
  char       *mqtt_account;
  char       *mqtt_password;

  /* A share of requests failing at random (the soak, issue 14). */
  double            random_rate;
  FakeCloudFailure  random_failure;  /* NONE: HTTP 500 and code 1000 in turn */
  GRand            *random;
  guint             n_random_failures;
};

/* Certificates */

static gboolean
run_openssl (const char  *dir,
             GError     **error,
             ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *err_out = NULL;
  int status;
  va_list args;
  const char *arg;

  g_ptr_array_add (argv, (gpointer) "openssl");
  va_start (args, error);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  if (!g_spawn_sync (dir, (char **) argv->pdata, NULL,
                     G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                     NULL, NULL, NULL, &err_out, &status, error))
    return FALSE;

  if (!g_spawn_check_wait_status (status, error))
    {
      g_prefix_error (error, "openssl %s: %s: ", (char *) argv->pdata[1], err_out);
      return FALSE;
    }

  return TRUE;
}

static gboolean
make_ca (const char  *dir,
         const char  *name,
         const char  *subject,
         GError     **error)
{
  g_autofree char *key = g_strconcat (name, ".key", NULL);
  g_autofree char *pem = g_strconcat (name, ".pem", NULL);

  return run_openssl (dir, error,
                      "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                      "-nodes", "-keyout", key, "-out", pem, "-days", "3", "-subj", subject,
                      "-addext", "basicConstraints=critical,CA:TRUE",
                      "-addext", "keyUsage=critical,keyCertSign,cRLSign",
                      NULL);
}

static gboolean
make_leaf (const char  *dir,
           const char  *name,
           const char  *ca,
           const char  *subject,
           const char  *alt_names,
           GError     **error)
{
  g_autofree char *key = g_strconcat (name, ".key", NULL);
  g_autofree char *csr = g_strconcat (name, ".csr", NULL);
  g_autofree char *pem = g_strconcat (name, ".pem", NULL);
  g_autofree char *ext = g_strconcat (name, ".ext", NULL);
  g_autofree char *ext_path = g_build_filename (dir, ext, NULL);
  g_autofree char *ext_text = NULL;
  g_autofree char *ca_pem = g_strconcat (ca, ".pem", NULL);
  g_autofree char *ca_key = g_strconcat (ca, ".key", NULL);
  g_autofree char *serial = g_strdup_printf ("0x%08x%08x", g_random_int (), g_random_int ());

  ext_text = g_strdup_printf ("subjectAltName=%s\n"
                              "basicConstraints=CA:FALSE\n"
                              "keyUsage=critical,digitalSignature,keyEncipherment\n"
                              "extendedKeyUsage=serverAuth\n",
                              alt_names);
  if (!g_file_set_contents (ext_path, ext_text, -1, error))
    return FALSE;

  return run_openssl (dir, error,
                      "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                      "-nodes", "-keyout", key, "-out", csr, "-subj", subject,
                      NULL) &&
         run_openssl (dir, error,
                      "x509", "-req", "-in", csr, "-CA", ca_pem, "-CAkey", ca_key,
                      "-set_serial", serial, "-days", "3", "-out", pem, "-extfile", ext,
                      NULL);
}

FakeCloudCerts *
fake_cloud_certs_new (GError **error)
{
  g_autoptr(FakeCloudCerts) certs = g_new0 (FakeCloudCerts, 1);

  certs->dir = g_dir_make_tmp ("juice-fake-cloud-XXXXXX", error);
  if (certs->dir == NULL)
    return NULL;

  if (!make_ca (certs->dir, "ca", "/CN=Juice Test CA", error) ||
      !make_ca (certs->dir, "other-ca", "/CN=Juice Other CA", error) ||
      !make_leaf (certs->dir, "server", "ca", "/CN=localhost",
                  "DNS:localhost,IP:127.0.0.1", error) ||
      !make_leaf (certs->dir, "wrong-host", "ca", "/CN=wrong-host.example",
                  "DNS:wrong-host.example", error))
    return NULL;

  certs->ca_file = g_build_filename (certs->dir, "ca.pem", NULL);
  certs->other_ca_file = g_build_filename (certs->dir, "other-ca.pem", NULL);
  certs->server_cert = g_build_filename (certs->dir, "server.pem", NULL);
  certs->server_key = g_build_filename (certs->dir, "server.key", NULL);
  certs->wrong_host_cert = g_build_filename (certs->dir, "wrong-host.pem", NULL);
  certs->wrong_host_key = g_build_filename (certs->dir, "wrong-host.key", NULL);

  return g_steal_pointer (&certs);
}

void
fake_cloud_certs_free (FakeCloudCerts *certs)
{
  if (certs == NULL)
    return;

  if (certs->dir != NULL)
    {
      g_autoptr(GDir) dir = g_dir_open (certs->dir, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *path = g_build_filename (certs->dir, name, NULL);

          g_unlink (path);
        }
      g_rmdir (certs->dir);
    }

  g_free (certs->dir);
  g_free (certs->ca_file);
  g_free (certs->other_ca_file);
  g_free (certs->server_cert);
  g_free (certs->server_key);
  g_free (certs->wrong_host_cert);
  g_free (certs->wrong_host_key);
  g_free (certs);
}

/* Answers */

static void
fake_cloud_request_free (FakeCloudRequest *request)
{
  g_free (request->method);
  g_free (request->path);
  g_free (request->access_key);
  g_free (request->nonce);
  g_free (request->timestamp);
  g_free (request->body);
  g_free (request->code);
  g_free (request);
}

static void
respond_json (SoupServerMessage *message,
              guint              status,
              const char        *text)
{
  soup_server_message_set_status (message, status, NULL);
  soup_server_message_set_response (message, "application/json", SOUP_MEMORY_COPY,
                                    text, strlen (text));
}

static void
respond_envelope (FakeCloudRequest  *record,
                  SoupServerMessage *message,
                  const char        *code,
                  const char        *text,
                  JsonNode          *data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, code);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, text);
  if (data != NULL)
    {
      json_builder_set_member_name (builder, "data");
      json_builder_add_value (builder, json_node_copy (data));
    }
  json_builder_set_member_name (builder, "eagleEyeTraceId");
  json_builder_add_string_value (builder, "ea12fake0000000000000000000000");
  json_builder_set_member_name (builder, "tid");
  json_builder_add_string_value (builder, "");
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json = json_to_string (root, FALSE);
  respond_json (message, SOUP_STATUS_OK, json);

  g_free (record->code);
  record->code = g_strdup (code);
}

static void
respond_error (FakeCloudRequest  *record,
               SoupServerMessage *message,
               const char        *code)
{
  const char *text = "unknown error";

  if (g_str_equal (code, "8521"))
    text = "signature is wrong";
  else if (g_str_equal (code, "8513"))
    text = "accessKey is invalid";
  else if (g_str_equal (code, "8512"))
    text = "no permission";
  else if (g_str_equal (code, "1006"))
    text = "device not allowed";
  else if (g_str_equal (code, "1008"))
    text = "request failed, please check the params";
  else if (g_str_equal (code, "1000"))
    text = "server error";

  respond_envelope (record, message, code, text, NULL);
}

static void
respond_data (FakeCloudRequest  *record,
              SoupServerMessage *message,
              JsonNode          *data)
{
  respond_envelope (record, message, "0", "Success", data);
}

static void
respond_huge (SoupServerMessage *message,
              gboolean           chunked)
{
  SoupMessageBody *body = soup_server_message_get_response_body (message);
  GString *text = g_string_sized_new (HUGE_SIZE + 64);

  g_string_append (text, "{\"code\":\"0\",\"message\":\"Success\",\"data\":{\"pad\":\"");
  while (text->len < HUGE_SIZE)
    g_string_append (text, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
  g_string_append (text, "\"}}");

  soup_server_message_set_status (message, SOUP_STATUS_OK, NULL);
  soup_message_headers_set_content_type (soup_server_message_get_response_headers (message),
                                         "application/json", NULL);
  if (chunked)
    soup_message_headers_set_encoding (soup_server_message_get_response_headers (message),
                                       SOUP_ENCODING_CHUNKED);
  soup_message_body_append_take (body, (guchar *) text->str, text->len);
  g_string_free (text, FALSE);
  soup_message_body_complete (body);
}

static gboolean
take_failure (FakeCloud        *self,
              const char       *method,
              FakeCloudFailure *failure)
{
  for (GList *l = self->failures.head; l != NULL; l = l->next)
    {
      Failure *f = l->data;

      if (f->method != NULL && g_strcmp0 (f->method, method) != 0)
        continue;

      *failure = f->failure;
      if (f->count > 0 && --f->count == 0)
        {
          g_queue_delete_link (&self->failures, l);
          g_free (f->method);
          g_free (f);
        }
      return TRUE;
    }

  if (self->random != NULL && g_rand_double (self->random) < self->random_rate)
    {
      self->n_random_failures++;
      *failure = self->random_failure != FAKE_CLOUD_FAIL_NONE ? self->random_failure
                 : (self->n_random_failures & 1) ? FAKE_CLOUD_FAIL_HTTP_500
                 : FAKE_CLOUD_FAIL_CODE_1000;
      return TRUE;
    }

  return FALSE;
}

static gboolean
apply_failure (FakeCloud         *self,
               FakeCloudRequest  *record,
               SoupServerMessage *message)
{
  FakeCloudFailure failure;

  if (!take_failure (self, record->method, &failure))
    return FALSE;

  switch (failure)
    {
    case FAKE_CLOUD_FAIL_NONE:
      return FALSE;

    case FAKE_CLOUD_FAIL_HTTP_500:
      soup_server_message_set_status (message, SOUP_STATUS_INTERNAL_SERVER_ERROR, NULL);
      soup_server_message_set_response (message, "text/html", SOUP_MEMORY_STATIC,
                                        "<html>oops</html>", 17);
      g_free (record->code);
      record->code = g_strdup ("HTTP 500");
      return TRUE;

    case FAKE_CLOUD_FAIL_INVALID_JSON:
      respond_json (message, SOUP_STATUS_OK,
                    "{\"code\":\"0\",\"message\":\"Success\",\"data\":{\"pd");
      g_free (record->code);
      record->code = g_strdup ("invalid JSON");
      return TRUE;

    case FAKE_CLOUD_FAIL_DATA_NULL:
      {
        g_autoptr(JsonNode) null = json_node_new (JSON_NODE_NULL);

        respond_data (record, message, null);
        return TRUE;
      }

    case FAKE_CLOUD_FAIL_WRONG_TYPE:
      {
        g_autoptr(JsonNode) text = json_node_new (JSON_NODE_VALUE);

        json_node_set_string (text, "surprise");
        respond_data (record, message, text);
        return TRUE;
      }

    case FAKE_CLOUD_FAIL_CODE_1000:
      respond_error (record, message, "1000");
      return TRUE;

    case FAKE_CLOUD_FAIL_CODE_1006:
      respond_error (record, message, "1006");
      return TRUE;

    case FAKE_CLOUD_FAIL_CODE_8512:
      respond_error (record, message, "8512");
      return TRUE;

    case FAKE_CLOUD_FAIL_CODE_UNKNOWN:
      respond_envelope (record, message, "4711", "\x1b[31mthe flux \ncapacitor\x1b[0m", NULL);
      return TRUE;

    case FAKE_CLOUD_FAIL_HUGE:
    case FAKE_CLOUD_FAIL_HUGE_CHUNKED:
      respond_huge (message, failure == FAKE_CLOUD_FAIL_HUGE_CHUNKED);
      g_free (record->code);
      record->code = g_strdup ("huge");
      return TRUE;

    case FAKE_CLOUD_FAIL_DEEP:
      {
        GString *text = g_string_new ("{\"code\":\"0\",\"message\":\"Success\",\"data\":");

        for (guint i = 0; i < 100000; i++)
          g_string_append_c (text, '[');
        for (guint i = 0; i < 100000; i++)
          g_string_append_c (text, ']');
        g_string_append_c (text, '}');
        respond_json (message, SOUP_STATUS_OK, text->str);
        g_string_free (text, TRUE);
        g_free (record->code);
        record->code = g_strdup ("deep");
        return TRUE;
      }

    case FAKE_CLOUD_FAIL_NO_CODE:
      respond_json (message, SOUP_STATUS_OK, "{\"message\":\"Success\",\"data\":{}}");
      g_free (record->code);
      record->code = g_strdup ("no code");
      return TRUE;

    case FAKE_CLOUD_FAIL_CLOSE:
      {
        GIOStream *stream = soup_server_message_steal_connection (message);

        g_io_stream_close (stream, NULL, NULL);
        g_object_unref (stream);
        g_free (record->code);
        record->code = g_strdup ("closed");
        return TRUE;
      }

    default:
      g_assert_not_reached ();
    }
}

/* Endpoints */

static JuiceSimDevice *
find_device (FakeCloud  *self,
             const char *serial_number)
{
  for (guint i = 0; serial_number != NULL && i < self->devices->len; i++)
    {
      JuiceSimDevice *sim = g_ptr_array_index (self->devices, i);

      if (g_strcmp0 (juice_sim_device_get_serial_number (sim), serial_number) == 0)
        return sim;
    }

  return NULL;
}

static void
serve_certification (FakeCloud         *self,
                     FakeCloudRequest  *record,
                     SoupServerMessage *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) data = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "certificateAccount");
  json_builder_add_string_value (builder, self->mqtt_account ? self->mqtt_account
                                                            : FAKE_CLOUD_MQTT_ACCOUNT);
  json_builder_set_member_name (builder, "certificatePassword");
  json_builder_add_string_value (builder, self->mqtt_password ? self->mqtt_password
                                                             : FAKE_CLOUD_MQTT_PASSWORD);
  json_builder_set_member_name (builder, "url");
  /* By default a loopback port where nothing listens: no lookup leaves the machine. */
  json_builder_add_string_value (builder, self->mqtt_host ? self->mqtt_host : "127.0.0.1");
  json_builder_set_member_name (builder, "port");
  {
    g_autofree char *port = g_strdup_printf ("%u", self->mqtt_port ? self->mqtt_port : 9);

    json_builder_add_string_value (builder, port);
  }
  json_builder_set_member_name (builder, "protocol");
  json_builder_add_string_value (builder, "mqtts");
  json_builder_end_object (builder);
  data = json_builder_get_root (builder);

  respond_data (record, message, data);
}

static void
serve_device_list (FakeCloud         *self,
                   FakeCloudRequest  *record,
                   SoupServerMessage *message)
{
  g_autoptr(JsonArray) array = json_array_new ();
  g_autoptr(JsonNode) data = NULL;

  for (guint i = 0; i < self->devices->len; i++)
    {
      JuiceSimDevice *sim = g_ptr_array_index (self->devices, i);
      const char *sn = juice_sim_device_get_serial_number (sim);
      const char *product = g_hash_table_lookup (self->products, sn);
      JsonObject *entry = json_object_new ();

      json_object_set_string_member (entry, "sn", sn);
      json_object_set_string_member (entry, "deviceName", juice_sim_device_get_name (sim));
      json_object_set_int_member (entry, "online", juice_sim_device_get_online (sim) ? 1 : 0);
      if (product != NULL)
        json_object_set_string_member (entry, "productName", product);
      json_array_add_object_element (array, entry);
    }

  for (guint i = 0; i < self->raw_devices->len; i++)
    json_array_add_element (array, json_node_copy (g_ptr_array_index (self->raw_devices, i)));

  data = json_node_init_array (json_node_alloc (), array);
  respond_data (record, message, data);
}

static void
override_quotas (FakeCloud  *self,
                 JsonObject *quotas)
{
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;

  json_object_iter_init (&iter, self->raw_quotas);
  while (json_object_iter_next (&iter, &key, &value))
    if (json_object_has_member (quotas, key))
      json_object_set_member (quotas, key, json_node_copy (value));
}

static void
serve_quota_all (FakeCloud         *self,
                 FakeCloudRequest  *record,
                 SoupServerMessage *message,
                 GHashTable        *query)
{
  const char *sn = query ? g_hash_table_lookup (query, "sn") : NULL;
  JuiceSimDevice *sim = find_device (self, sn);
  g_autoptr(JsonObject) quotas = NULL;
  g_autoptr(JsonNode) data = NULL;

  if (sn != NULL)
    g_hash_table_insert (self->quota_all_counts, g_strdup (sn),
                         GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (self->quota_all_counts,
                                                                                  sn)) + 1));

  if (sim == NULL)
    {
      respond_error (record, message, "1006");
      return;
    }

  /* While the device is away the service has nothing to say. */
  if (!juice_sim_device_get_online (sim))
    {
      data = json_node_new (JSON_NODE_NULL);
      respond_data (record, message, data);
      return;
    }

  quotas = juice_sim_device_dup_all_quotas (sim);
  override_quotas (self, quotas);
  data = json_node_init_object (json_node_alloc (), quotas);
  respond_data (record, message, data);
}

static void
serve_quota_get (FakeCloud         *self,
                 FakeCloudRequest  *record,
                 SoupServerMessage *message,
                 JsonObject        *body)
{
  const char *sn = json_object_get_string_member_with_default (body, "sn", NULL);
  JuiceSimDevice *sim = find_device (self, sn);
  JsonObject *params = NULL;
  JsonArray *quotas = NULL;
  g_autoptr(GPtrArray) keys = g_ptr_array_new ();
  g_autoptr(JsonObject) values = NULL;
  g_autoptr(JsonNode) data = NULL;

  if (sim == NULL)
    {
      respond_error (record, message, "1006");
      return;
    }

  if (json_object_has_member (body, "params") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (body, "params")))
    params = json_object_get_object_member (body, "params");
  if (params != NULL && json_object_has_member (params, "quotas") &&
      JSON_NODE_HOLDS_ARRAY (json_object_get_member (params, "quotas")))
    quotas = json_object_get_array_member (params, "quotas");

  if (quotas == NULL || json_array_get_length (quotas) == 0)
    {
      respond_error (record, message, "1008");
      return;
    }

  for (guint i = 0; i < json_array_get_length (quotas); i++)
    {
      JsonNode *key = json_array_get_element (quotas, i);

      if (!JSON_NODE_HOLDS_VALUE (key) || json_node_get_value_type (key) != G_TYPE_STRING)
        {
          respond_error (record, message, "1008");
          return;
        }
      g_ptr_array_add (keys, (gpointer) json_node_get_string (key));
    }
  g_ptr_array_add (keys, NULL);

  if (!juice_sim_device_get_online (sim))
    {
      data = json_node_new (JSON_NODE_NULL);
      respond_data (record, message, data);
      return;
    }

  values = juice_sim_device_dup_quotas (sim, (const char * const *) keys->pdata);
  override_quotas (self, values);
  data = json_node_init_object (json_node_alloc (), values);
  respond_data (record, message, data);
}

static void
serve_quota_set (FakeCloud         *self,
                 FakeCloudRequest  *record,
                 SoupServerMessage *message,
                 JsonObject        *body)
{
  const char *sn = json_object_get_string_member_with_default (body, "sn", NULL);
  JuiceSimDevice *sim = find_device (self, sn);
  JsonObject *params = NULL;
  gint64 id = 0;

  if (sim == NULL)
    {
      respond_error (record, message, "1006");
      return;
    }

  /* DELTA 2: {"id","version":"1.0","sn","moduleType","operateType","params"} */
  if (json_object_has_member (body, "moduleType"))
    {
      g_autoptr(JsonObject) command = juice_command_unwrap (body);

      if (command == NULL ||
          !juice_json_node_get_int (json_object_get_member (body, "id"), &id) ||
          g_strcmp0 (json_object_get_string_member_with_default (body, "version", NULL), "1.0") != 0 ||
          juice_sim_device_get_profile (sim)->dialect != JUICE_COMMAND_DIALECT_OPERATE_TYPE ||
          !juice_sim_device_get_online (sim) ||
          juice_sim_device_handle_command (sim, NULL, command) != 0)
        respond_error (record, message, "1008");
      else
        respond_data (record, message, NULL);
      return;
    }

  if (json_object_has_member (body, "params") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (body, "params")))
    params = json_object_get_object_member (body, "params");

  if (params == NULL ||
      !juice_json_node_get_int (json_object_get_member (params, "id"), &id) ||
      !json_object_has_member (params, "cmdSet"))
    {
      respond_error (record, message, "1008");
      return;
    }

  /* AC output and X-Boost share id 66: the service wants both. */
  if (id == 66 &&
      (!json_object_has_member (params, "enabled") || !json_object_has_member (params, "xboost")))
    {
      respond_error (record, message, "1008");
      return;
    }

  if (!juice_sim_device_get_online (sim))
    {
      respond_error (record, message, "1008");
      return;
    }

  if (juice_sim_device_handle_command (sim, NULL, params) != 0)
    {
      respond_error (record, message, "1008");
      return;
    }

  respond_data (record, message, NULL);
}

/* Checking requests as the real service does */

static const char *
check_signature (FakeCloud         *self,
                 FakeCloudRequest  *record,
                 SoupServerMessage *message,
                 GHashTable        *query,
                 JsonNode          *body)
{
  gint64 timestamp;
  gint64 now = g_get_real_time () / 1000 + self->skew_ms;
  g_autofree char *seen_key = NULL;
  g_autofree char *string = NULL;
  g_autofree char *expected = NULL;
  const char *sign;

  sign = soup_message_headers_get_one (soup_server_message_get_request_headers (message), "sign");

  if (record->access_key == NULL || !g_str_equal (record->access_key, FAKE_CLOUD_ACCESS_KEY))
    return "8513";

  if (record->nonce == NULL || record->timestamp == NULL || sign == NULL)
    return "8521";

  if (!g_ascii_string_to_signed (record->timestamp, 10, 0, G_MAXINT64, &timestamp, NULL) ||
      ABS (now - timestamp) > TIMESTAMP_WINDOW_MS)
    return "8521";

  /* A replay repeats nonce and timestamp; clients draw a fresh nonce for
   * every request, but 6 random digits alone repeat by chance. */
  seen_key = g_strdup_printf ("%s:%s", record->nonce, record->timestamp);
  if (g_hash_table_contains (self->seen, seen_key))
    return "8521";

  string = juice_sign_build_string (body, query, record->access_key, record->nonce,
                                    record->timestamp);
  if (string == NULL)
    return "1008";

  expected = juice_sign_compute (FAKE_CLOUD_SECRET_KEY, string);
  if (!g_str_equal (expected, sign))
    return "8521";

  g_hash_table_add (self->seen, g_steal_pointer (&seen_key));
  return NULL;
}

static void
handle (FakeCloud         *self,
        SoupServerMessage *message,
        const char        *path,
        GHashTable        *query)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (message);
  const char *method = soup_server_message_get_method (message);
  FakeCloudRequest *record = g_new0 (FakeCloudRequest, 1);
  g_autoptr(JsonNode) body = NULL;
  gboolean has_body = g_str_equal (method, "POST") || g_str_equal (method, "PUT");
  const char *failed;

  record->method = g_strdup (method);
  record->path = g_strdup (path);
  record->access_key = g_strdup (soup_message_headers_get_one (headers, "accessKey"));
  record->nonce = g_strdup (soup_message_headers_get_one (headers, "nonce"));
  record->timestamp = g_strdup (soup_message_headers_get_one (headers, "timestamp"));
  g_ptr_array_add (self->requests, record);

  if (has_body)
    {
      SoupMessageBody *request_body = soup_server_message_get_request_body (message);
      g_autoptr(GBytes) bytes = soup_message_body_flatten (request_body);
      const char *content_type = soup_message_headers_get_content_type (headers, NULL);
      gsize len;
      const char *data = g_bytes_get_data (bytes, &len);

      record->body = g_strndup (data, len);
      if (g_strcmp0 (content_type, "application/json") != 0 ||
          (body = juice_json_parse (data, len, 1024 * 1024, 32, NULL)) == NULL ||
          !JSON_NODE_HOLDS_OBJECT (body))
        {
          respond_error (record, message, "1008");
          return;
        }
    }

  failed = check_signature (self, record, message, has_body ? NULL : query, body);
  if (failed != NULL)
    {
      respond_error (record, message, failed);
      return;
    }

  if (apply_failure (self, record, message))
    return;

  if (g_str_equal (path, "/iot-open/sign/certification") && g_str_equal (method, "GET"))
    serve_certification (self, record, message);
  else if (g_str_equal (path, "/iot-open/sign/device/list") && g_str_equal (method, "GET"))
    serve_device_list (self, record, message);
  else if (g_str_equal (path, "/iot-open/sign/device/quota/all") && g_str_equal (method, "GET"))
    serve_quota_all (self, record, message, query);
  else if (g_str_equal (path, "/iot-open/sign/device/quota") && g_str_equal (method, "POST"))
    serve_quota_get (self, record, message, json_node_get_object (body));
  else if (g_str_equal (path, "/iot-open/sign/device/quota") && g_str_equal (method, "PUT"))
    serve_quota_set (self, record, message, json_node_get_object (body));
  else
    {
      soup_server_message_set_status (message, SOUP_STATUS_NOT_FOUND, NULL);
      record->code = g_strdup ("HTTP 404");
    }
}

typedef struct
{
  FakeCloud         *cloud;
  SoupServerMessage *message;
  char              *path;
  GHashTable        *query;
  GSource           *source;     /* on the context the request arrived in */
} Pending;

static void
pending_free (Pending *pending)
{
  if (pending->source != NULL)
    {
      g_source_destroy (pending->source);
      g_clear_pointer (&pending->source, g_source_unref);
    }
  g_object_unref (pending->message);
  g_free (pending->path);
  g_clear_pointer (&pending->query, g_hash_table_unref);
  g_free (pending);
}

static gboolean
delayed_cb (gpointer user_data)
{
  Pending *pending = user_data;
  FakeCloud *self = pending->cloud;

  g_clear_pointer (&pending->source, g_source_unref);
  self->delayed = g_list_remove (self->delayed, pending);

  handle (self, pending->message, pending->path, pending->query);
  soup_server_message_unpause (pending->message);
  pending_free (pending);

  return G_SOURCE_REMOVE;
}

static GHashTable *
copy_query (GHashTable *query)
{
  GHashTable *copy = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, query);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (copy, g_strdup (key), g_strdup (value));

  return copy;
}

static void
server_cb (SoupServer        *server,
           SoupServerMessage *message,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  FakeCloud *self = user_data;
  Pending *pending;

  self->n_arrived++;

  if (self->held != NULL)
    {
      handle (self, message, path, query);
      soup_server_message_pause (message);
      g_ptr_array_add (self->held, g_object_ref (message));
      return;
    }

  if (self->delay_ms == 0)
    {
      handle (self, message, path, query);
      return;
    }

  pending = g_new0 (Pending, 1);
  pending->cloud = self;
  pending->message = g_object_ref (message);
  pending->path = g_strdup (path);
  pending->query = query != NULL ? copy_query (query) : NULL;
  pending->source = g_timeout_source_new (self->delay_ms);
  g_source_set_callback (pending->source, delayed_cb, pending, NULL);
  g_source_set_static_name (pending->source, "[fake-cloud] delayed answer");
  g_source_attach (pending->source, g_main_context_get_thread_default ());
  self->delayed = g_list_prepend (self->delayed, pending);
  soup_server_message_pause (message);
}

/* Life cycle */

static FakeCloud *
fake_cloud_new_internal (GTlsCertificate *certificate)
{
  g_autoptr(GError) error = NULL;
  FakeCloud *self = g_new0 (FakeCloud, 1);
  GSList *uris;

  self->devices = g_ptr_array_new_with_free_func (g_object_unref);
  self->products = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->raw_devices = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);
  self->seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->requests = g_ptr_array_new_with_free_func ((GDestroyNotify) fake_cloud_request_free);
  self->quota_all_counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->raw_quotas = json_object_new ();
  g_queue_init (&self->failures);

  self->server = soup_server_new ("tls-certificate", certificate, NULL);
  soup_server_add_handler (self->server, NULL, server_cb, self, NULL);
  soup_server_listen_local (self->server, 0,
                            SOUP_SERVER_LISTEN_IPV4_ONLY |
                            (certificate != NULL ? SOUP_SERVER_LISTEN_HTTPS : 0),
                            &error);
  g_assert_no_error (error);

  uris = soup_server_get_uris (self->server);
  g_assert_nonnull (uris);
  self->port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  self->base_url = g_strdup_printf ("%s://127.0.0.1:%u",
                                    certificate != NULL ? "https" : "http", self->port);

  return self;
}

FakeCloud *
fake_cloud_new_with_cert (const char *cert_file,
                          const char *key_file)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;

  certificate = g_tls_certificate_new_from_files (cert_file, key_file, &error);
  g_assert_no_error (error);

  return fake_cloud_new_internal (certificate);
}

FakeCloud *
fake_cloud_new (const FakeCloudCerts *certs,
                gboolean              tls)
{
  if (!tls)
    return fake_cloud_new_internal (NULL);

  return fake_cloud_new_with_cert (certs->server_cert, certs->server_key);
}

void
fake_cloud_free (FakeCloud *self)
{
  Failure *failure;

  if (self == NULL)
    return;

  g_list_free_full (g_steal_pointer (&self->delayed), (GDestroyNotify) pending_free);
  fake_cloud_hold_answers (self, FALSE);
  g_clear_pointer (&self->random, g_rand_free);
  /* A client that went away while connecting closes its socket in a
   * callback still due here; until it does, a TLS handshake the server
   * began with it waits for its first bytes, and closing that connection
   * waits for the handshake. */
  while (g_main_context_iteration (g_main_context_get_thread_default (), FALSE))
    ;
  soup_server_disconnect (self->server);
  g_clear_object (&self->server);

  while ((failure = g_queue_pop_head (&self->failures)) != NULL)
    {
      g_free (failure->method);
      g_free (failure);
    }

  g_ptr_array_unref (self->devices);
  g_hash_table_unref (self->products);
  g_ptr_array_unref (self->raw_devices);
  g_hash_table_unref (self->seen);
  g_ptr_array_unref (self->requests);
  g_hash_table_unref (self->quota_all_counts);
  json_object_unref (self->raw_quotas);
  g_free (self->base_url);
  g_free (self->mqtt_host);
  g_free (self->mqtt_account);
  g_free (self->mqtt_password);
  g_free (self);
}

const char *
fake_cloud_get_base_url (FakeCloud *self)
{
  return self->base_url;
}

guint16
fake_cloud_get_port (FakeCloud *self)
{
  return self->port;
}

JuiceSimDevice *
fake_cloud_add_device (FakeCloud  *self,
                       const char *serial_number,
                       const char *name,
                       const char *product)
{
  const JuiceDeviceProfile *profile = juice_device_profile_for_product (product, serial_number);
  JuiceSimDevice *sim = profile != NULL && profile->physics != NULL
    ? juice_sim_device_new_for_profile (serial_number, profile)
    : juice_sim_device_new (serial_number);

  /* Deterministic: no ticking, quick acknowledgement and effect. */
  g_object_set (sim,
                "report-interval-ms", 0,
                "ack-delay-ms", 10,
                "apply-delay-ms", 300,
                NULL);
  if (name != NULL)
    juice_sim_device_set_name (sim, name);
  g_hash_table_insert (self->products, g_strdup (serial_number), g_strdup (product));
  g_ptr_array_add (self->devices, sim);

  return sim;
}

void
fake_cloud_add_raw_device (FakeCloud  *self,
                           const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (json, &error);

  g_assert_no_error (error);
  g_ptr_array_add (self->raw_devices, node);
}

void
fake_cloud_fail (FakeCloud        *self,
                 const char       *method,
                 FakeCloudFailure  failure,
                 int               count)
{
  Failure *f = g_new0 (Failure, 1);

  f->method = g_strdup (method);
  f->failure = failure;
  f->count = count;
  g_queue_push_tail (&self->failures, f);
}

void
fake_cloud_hold_answers (FakeCloud *self,
                         gboolean   hold)
{
  if (hold && self->held == NULL)
    self->held = g_ptr_array_new_with_free_func (g_object_unref);
  else if (!hold && self->held != NULL)
    {
      g_autoptr(GPtrArray) held = g_steal_pointer (&self->held);

      for (guint i = 0; i < held->len; i++)
        soup_server_message_unpause (g_ptr_array_index (held, i));
    }
}

void
fake_cloud_set_delay_ms (FakeCloud *self,
                         guint      delay_ms)
{
  self->delay_ms = delay_ms;
}

void
fake_cloud_set_skew_ms (FakeCloud *self,
                        gint64     skew_ms)
{
  self->skew_ms = skew_ms;
}

GPtrArray *
fake_cloud_get_requests (FakeCloud *self)
{
  return self->requests;
}

guint
fake_cloud_count_requests (FakeCloud  *self,
                           const char *method,
                           const char *path)
{
  guint n = 0;

  for (guint i = 0; i < self->requests->len; i++)
    {
      FakeCloudRequest *r = g_ptr_array_index (self->requests, i);

      if ((method == NULL || g_str_equal (r->method, method)) &&
          (path == NULL || g_str_equal (r->path, path)))
        n++;
    }

  return n;
}

void
fake_cloud_clear_requests (FakeCloud *self)
{
  g_ptr_array_set_size (self->requests, 0);
  self->n_arrived = 0;
}

guint
fake_cloud_get_n_arrived (FakeCloud *self)
{
  return self->n_arrived;
}

void
fake_cloud_set_certification (FakeCloud  *self,
                              const char *host,
                              guint16     port,
                              const char *account,
                              const char *password)
{
  g_free (self->mqtt_host);
  self->mqtt_host = g_strdup (host);
  self->mqtt_port = port;
  g_free (self->mqtt_account);
  self->mqtt_account = g_strdup (account);
  g_free (self->mqtt_password);
  self->mqtt_password = g_strdup (password);
}

guint
fake_cloud_count_quota_all (FakeCloud  *self,
                            const char *serial_number)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (self->quota_all_counts, serial_number));
}

void
fake_cloud_set_raw_quota (FakeCloud  *self,
                          const char *key,
                          const char *json)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);

  g_assert_nonnull (node);
  json_object_set_member (self->raw_quotas, key, g_steal_pointer (&node));
}

/* A share of requests failing at random (the soak, issue 14) */

void
fake_cloud_set_failure_rate (FakeCloud        *self,
                             double            rate,
                             FakeCloudFailure  failure,
                             guint32           seed)
{
  g_clear_pointer (&self->random, g_rand_free);
  self->random_rate = rate;
  self->random_failure = failure;
  if (rate > 0)
    self->random = g_rand_new_with_seed (seed);
}

guint
fake_cloud_get_n_random_failures (FakeCloud *self)
{
  return self->n_random_failures;
}
