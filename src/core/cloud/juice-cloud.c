/* juice-cloud.c: signed HTTP calls to EcoFlow's IoT Open API
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every request is signed afresh (new nonce and timestamp) for each attempt.
 * Transient failures (network, timeout, HTTP 5xx, EcoFlow's 1000) are tried
 * again a few times with exponential backoff and jitter; authentication
 * errors never are. A set (PUT) is tried again only when the first attempt
 * surely never reached the server, so a command is not applied twice.
 * Responses are read with a size cap and parsed with a depth cap: every byte
 * from the network is untrusted.
 */

#define G_LOG_DOMAIN "juice-cloud"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "juice-cloud.h"
#include "juice-cloud-private.h"
#include "juice-command-builder.h"
#include "juice-json.h"
#include "juice-secure-util.h"
#include "juice-sign.h"
#include "juice-tls-database.h"

#define DEFAULT_TIMEOUT_MS      15000
#define DEFAULT_MAX_ATTEMPTS    3
#define DEFAULT_RETRY_DELAY_MS  500
#define MAX_RETRY_DELAY_MS      8000
#define READ_CHUNK_SIZE         (64 * 1024)

struct _JuiceCloud
{
  GObject       parent_instance;

  /* owned references */
  SoupSession  *session;
  GTlsDatabase *tls_database;

  /* configuration */
  char         *base_url;      /* normalized: no trailing slash */
  char         *host;
  char         *ca_file;
  char         *access_key;
  char         *secret_key;    /* never logged; wiped when replaced */
  guint         timeout_ms;
  guint         max_attempts;
  guint         retry_delay_ms;
};

static void juice_cloud_initable_iface_init (GInitableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (JuiceCloud, juice_cloud, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE,
                                                      juice_cloud_initable_iface_init))

enum {
  PROP_0,
  PROP_BASE_URL,
  PROP_CA_FILE,
  PROP_TIMEOUT_MS,
  PROP_MAX_ATTEMPTS,
  PROP_RETRY_DELAY_MS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Results */

JuiceCloudCertification *
juice_cloud_certification_copy (const JuiceCloudCertification *self)
{
  JuiceCloudCertification *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (JuiceCloudCertification, 1);
  copy->account = g_strdup (self->account);
  copy->password = g_strdup (self->password);
  copy->host = g_strdup (self->host);
  copy->port = self->port;
  copy->protocol = g_strdup (self->protocol);

  return copy;
}

void
juice_cloud_certification_free (JuiceCloudCertification *self)
{
  if (self == NULL)
    return;

  g_free (self->account);
  juice_wipe_string (&self->password);
  g_free (self->host);
  g_free (self->protocol);
  g_free (self);
}

G_DEFINE_BOXED_TYPE (JuiceCloudCertification, juice_cloud_certification,
                     juice_cloud_certification_copy, juice_cloud_certification_free)

JuiceCloudDeviceInfo *
juice_cloud_device_info_copy (const JuiceCloudDeviceInfo *self)
{
  JuiceCloudDeviceInfo *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (JuiceCloudDeviceInfo, 1);
  copy->serial_number = g_strdup (self->serial_number);
  copy->name = g_strdup (self->name);
  copy->product = g_strdup (self->product);
  copy->online = self->online;

  return copy;
}

void
juice_cloud_device_info_free (JuiceCloudDeviceInfo *self)
{
  if (self == NULL)
    return;

  g_free (self->serial_number);
  g_free (self->name);
  g_free (self->product);
  g_free (self);
}

G_DEFINE_BOXED_TYPE (JuiceCloudDeviceInfo, juice_cloud_device_info,
                     juice_cloud_device_info_copy, juice_cloud_device_info_free)

/* Base URL */

const char *
juice_cloud_region_get_base_url (JuiceCloudRegion region)
{
  switch (region)
    {
    case JUICE_CLOUD_REGION_AMERICAS:
      return JUICE_CLOUD_BASE_URL_AMERICAS;

    case JUICE_CLOUD_REGION_EUROPE:
    default:
      return JUICE_CLOUD_BASE_URL_EUROPE;
    }
}

/**
 * juice_cloud_check_base_url:
 * @base_url: what the user gave
 * @normalized: (out) (optional): the URL without a trailing slash
 *
 * Accepts https:// URLs, and http:// only to a loopback address (a test
 * server or a local proxy): keys and commands never travel in clear text.
 */
gboolean
juice_cloud_check_base_url (const char  *base_url,
                            char       **normalized,
                            GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *text = NULL;
  const char *scheme;
  const char *host;
  gsize len;

  g_return_val_if_fail (base_url != NULL, FALSE);

  uri = g_uri_parse (base_url, G_URI_FLAGS_NONE, &local_error);
  if (uri == NULL)
    {
      g_set_error (error, JUICE_CLOUD_ERROR, JUICE_CLOUD_ERROR_INVALID_URL,
                   _("“%s” is not a valid API address: %s"), base_url, local_error->message);
      return FALSE;
    }

  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);

  if (host == NULL || host[0] == '\0' ||
      (g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0))
    {
      g_set_error (error, JUICE_CLOUD_ERROR, JUICE_CLOUD_ERROR_INVALID_URL,
                   _("“%s” is not a valid API address: use https://host"), base_url);
      return FALSE;
    }

  if (g_uri_get_userinfo (uri) != NULL || g_uri_get_query (uri) != NULL ||
      g_uri_get_fragment (uri) != NULL)
    {
      g_set_error (error, JUICE_CLOUD_ERROR, JUICE_CLOUD_ERROR_INVALID_URL,
                   _("“%s” is not a valid API address: it must not carry a user, a query or "
                     "a fragment"), base_url);
      return FALSE;
    }

  if (g_ascii_strcasecmp (scheme, "http") == 0 && !juice_host_is_loopback (host))
    {
      g_set_error (error, JUICE_CLOUD_ERROR, JUICE_CLOUD_ERROR_INVALID_URL,
                   _("Refusing plain http:// to %s: the keys and commands would travel "
                     "unencrypted. Use https://, or http:// only to this computer "
                     "(localhost)."), host);
      return FALSE;
    }

  text = g_uri_to_string (uri);
  len = strlen (text);
  while (len > 0 && text[len - 1] == '/')
    text[--len] = '\0';

  if (normalized != NULL)
    *normalized = g_steal_pointer (&text);

  return TRUE;
}

/* Requests */

typedef gpointer (*ParseFunc) (JuiceCloud  *self,
                               JsonNode    *data,
                               GError     **error);

typedef struct
{
  /* what to send */
  const char     *method;
  char           *path;
  GHashTable     *query;         /* string -> string, may be NULL */
  JsonNode       *body;          /* object, may be NULL */
  gboolean        may_repeat;    /* FALSE for set: never applied twice */
  ParseFunc       parse;
  GDestroyNotify  result_free;

  /* the current attempt */
  guint           attempt;
  SoupMessage    *message;
  GInputStream   *stream;
  GByteArray     *buffer;
  GCancellable   *attempt_cancellable;
  gulong          cancelled_id;
  GSource        *timeout;       /* on the task's context, as every source here */
  gboolean        timed_out;

  /* waiting before the next attempt */
  GSource        *retry_source;
  GSource        *cancel_source;
} Request;

static void message_restarted_cb (SoupMessage *message,
                                  GTask       *task);

static void
request_end_attempt (Request      *request,
                     GCancellable *cancellable)
{
  if (request->cancelled_id != 0)
    {
      g_cancellable_disconnect (cancellable, request->cancelled_id);
      request->cancelled_id = 0;
    }
  if (request->timeout != NULL)
    {
      g_source_destroy (request->timeout);
      g_clear_pointer (&request->timeout, g_source_unref);
    }
  if (request->message != NULL)
    g_signal_handlers_disconnect_matched (request->message, G_SIGNAL_MATCH_FUNC, 0, 0, NULL,
                                          message_restarted_cb, NULL);
  g_clear_object (&request->message);
  g_clear_object (&request->stream);
  g_clear_pointer (&request->buffer, g_byte_array_unref);
  g_clear_object (&request->attempt_cancellable);
}

static void
request_free (Request *request)
{
  g_assert (request->message == NULL);

  if (request->retry_source != NULL)
    {
      g_source_destroy (request->retry_source);
      g_clear_pointer (&request->retry_source, g_source_unref);
    }
  if (request->cancel_source != NULL)
    {
      g_source_destroy (request->cancel_source);
      g_clear_pointer (&request->cancel_source, g_source_unref);
    }

  g_free (request->path);
  g_clear_pointer (&request->query, g_hash_table_unref);
  g_clear_pointer (&request->body, json_node_unref);
  g_free (request);
}

static void request_start_attempt (GTask *task);

static gboolean
retry_timeout_cb (gpointer user_data)
{
  GTask *task = user_data;
  Request *request = g_task_get_task_data (task);

  g_clear_pointer (&request->retry_source, g_source_unref);
  if (request->cancel_source != NULL)
    {
      g_source_destroy (request->cancel_source);
      g_clear_pointer (&request->cancel_source, g_source_unref);
    }

  request_start_attempt (task);
  g_object_unref (task);

  return G_SOURCE_REMOVE;
}

static gboolean
retry_cancelled_cb (GCancellable *cancellable,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = g_object_ref (user_data);
  Request *request = g_task_get_task_data (task);

  g_clear_pointer (&request->cancel_source, g_source_unref);
  if (request->retry_source != NULL)
    {
      g_source_destroy (request->retry_source);
      g_clear_pointer (&request->retry_source, g_source_unref);
      /* the retry source held a reference */
      g_object_unref (task);
    }

  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Operation was cancelled"));

  return G_SOURCE_REMOVE;
}

static guint
retry_delay (JuiceCloud *self,
             guint       attempt)
{
  guint64 delay = self->retry_delay_ms;

  for (guint i = 1; i < attempt && delay < MAX_RETRY_DELAY_MS; i++)
    delay *= 2;
  delay = MIN (delay, MAX_RETRY_DELAY_MS);

  /* Full jitter over the upper half: clients that failed together do not
   * come back together. */
  if (delay > 1)
    delay = delay / 2 + g_random_int_range (0, (gint32) (delay / 2) + 1);

  return (guint) delay;
}

static void
request_fail (GTask    *task,
              GError   *error,
              gboolean  transient)
{
  JuiceCloud *self = g_task_get_source_object (task);
  Request *request = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  guint delay;

  request_end_attempt (request, cancellable);

  if (!transient || request->attempt >= self->max_attempts ||
      g_cancellable_is_cancelled (cancellable))
    {
      if (request->attempt > 1)
        g_debug ("%s %s: giving up after %u attempts: %s",
                 request->method, request->path, request->attempt, error->message);
      g_task_return_error (task, error);
      return;
    }

  delay = retry_delay (self, request->attempt);
  g_debug ("%s %s: attempt %u failed (%s), trying again in %u ms",
           request->method, request->path, request->attempt, error->message, delay);
  g_error_free (error);

  request->retry_source = g_timeout_source_new (delay);
  g_source_set_callback (request->retry_source, retry_timeout_cb, g_object_ref (task), NULL);
  g_source_set_static_name (request->retry_source, "[juice-cloud] retry");
  g_source_attach (request->retry_source, g_task_get_context (task));

  if (cancellable != NULL)
    {
      request->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (request->cancel_source, G_SOURCE_FUNC (retry_cancelled_cb),
                             task, NULL);
      g_source_attach (request->cancel_source, g_task_get_context (task));
    }
}

static const char *
describe_certificate_errors (GTlsCertificateFlags flags)
{
  if (flags & G_TLS_CERTIFICATE_UNKNOWN_CA)
    return _("it is not signed by a trusted certificate authority");
  if (flags & G_TLS_CERTIFICATE_BAD_IDENTITY)
    return _("it was issued for another host");
  if (flags & G_TLS_CERTIFICATE_EXPIRED)
    return _("it has expired");
  if (flags & G_TLS_CERTIFICATE_NOT_ACTIVATED)
    return _("it is not valid yet");
  if (flags & G_TLS_CERTIFICATE_REVOKED)
    return _("it has been revoked");
  if (flags & G_TLS_CERTIFICATE_INSECURE)
    return _("it uses an insecure algorithm");
  return _("it could not be verified");
}

/* Turns a failure to send or read into a JUICE_CLOUD_ERROR. Sets @transient
 * when trying again may help, and @unsent when the request surely did not
 * reach the server. Returns NULL when the caller cancelled. */
static GError *
classify_transport_error (JuiceCloud *self,
                          Request    *request,
                          GError     *error,
                          gboolean   *transient,
                          gboolean   *unsent)
{
  *transient = FALSE;
  *unsent = FALSE;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      if (!request->timed_out)
        return NULL;

      *transient = TRUE;
      return g_error_new (JUICE_CLOUD_ERROR, JUICE_CLOUD_ERROR_TIMEOUT,
                          _("%s did not answer within %u seconds."),
                          self->host, (self->timeout_ms + 999) / 1000);
    }

  if (error->domain == G_TLS_ERROR)
    {
      GTlsCertificateFlags flags = 0;

      if (request->message != NULL)
        flags = soup_message_get_tls_peer_certificate_errors (request->message);

      if (flags != 0 || g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE))
        return g_error_new (JUICE_CLOUD_ERROR, JUICE_CLOUD_ERROR_TLS,
                            _("Could not verify that %s is the real server: its TLS "
                              "certificate is refused because %s. If you use a private "
                              "certificate authority, give its file as the extra CA file."),
                            self->host, describe_certificate_errors (flags));

      return g_error_new (JUICE_CLOUD_ERROR, JUICE_CLOUD_ERROR_TLS,
                          _("The secure connection to %s failed: %s"),
                          self->host, error->message);
    }

  if (error->domain == G_RESOLVER_ERROR)
    {
      *transient = g_error_matches (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_TEMPORARY_FAILURE);
      *unsent = TRUE;
      return g_error_new (JUICE_CLOUD_ERROR, JUICE_CLOUD_ERROR_DNS,
                          _("Could not find the host %s. Check the API address and your "
                            "network connection (%s)."),
                          self->host, error->message);
    }

  if (error->domain == SOUP_SESSION_ERROR)
    return g_error_new (JUICE_CLOUD_ERROR, JUICE_CLOUD_ERROR_MALFORMED,
                        _("%s answered with something that is not a valid HTTP response (%s)."),
                        self->host, error->message);

  *transient = TRUE;
  *unsent = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED) ||
            g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE) ||
            g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE);

  return g_error_new (JUICE_CLOUD_ERROR, JUICE_CLOUD_ERROR_NETWORK,
                      _("Could not reach %s: %s"), self->host, error->message);
}

static void
request_fail_transport (GTask  *task,
                        GError *error)
{
  JuiceCloud *self = g_task_get_source_object (task);
  Request *request = g_task_get_task_data (task);
  gboolean transient, unsent;
  GError *cloud_error;

  cloud_error = classify_transport_error (self, request, error, &transient, &unsent);
  g_error_free (error);

  if (cloud_error == NULL)
    {
      request_end_attempt (request, g_task_get_cancellable (task));
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _("Operation was cancelled"));
      return;
    }

  request_fail (task, cloud_error, transient && (request->may_repeat || unsent));
}

/* Reads an answer's envelope ({"code":..,"message":..,"data":..}) and its
 * data with @parse: the result, or NULL with @error set. @what names the
 * request in debug messages. */
static gpointer
read_answer (JuiceCloud  *self,
             const char  *what,
             const char  *body,
             gsize        length,
             ParseFunc    parse,
             GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *envelope;
  JsonNode *code_node;
  JsonNode *data;
  g_autofree char *code = NULL;
  const char *message = NULL;

  root = juice_json_parse (body, length, JUICE_CLOUD_MAX_RESPONSE_SIZE,
                           JUICE_CLOUD_MAX_RESPONSE_DEPTH, &local_error);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_debug ("%s: malformed response of %" G_GSIZE_FORMAT " bytes: %s", what, length,
               local_error != NULL ? local_error->message : "not an object");
      g_set_error (error, JUICE_CLOUD_ERROR, JUICE_CLOUD_ERROR_MALFORMED,
                   _("%s answered with something that is not an API response (%s)."),
                   self->host,
                   local_error != NULL ? local_error->message : _("not a JSON object"));
      return NULL;
    }

  envelope = json_node_get_object (root);
  code_node = json_object_get_member (envelope, "code");

  if (code_node != NULL && JSON_NODE_HOLDS_VALUE (code_node) &&
      json_node_get_value_type (code_node) == G_TYPE_STRING)
    code = g_strdup (json_node_get_string (code_node));
  else if (code_node != NULL && JSON_NODE_HOLDS_VALUE (code_node) &&
           json_node_get_value_type (code_node) == G_TYPE_INT64)
    code = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (code_node));

  if (code == NULL)
    {
      g_set_error (error, JUICE_CLOUD_ERROR, JUICE_CLOUD_ERROR_MALFORMED,
                   _("%s answered without a result code."), self->host);
      return NULL;
    }

  if (json_object_has_member (envelope, "message"))
    {
      JsonNode *node = json_object_get_member (envelope, "message");

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        message = json_node_get_string (node);
    }

  if (g_strcmp0 (code, "0") != 0)
    {
      g_debug ("%s: EcoFlow code %s", what, code);
      g_propagate_error (error, juice_cloud_error_new_from_api (code, message, self->host));
      return NULL;
    }

  data = json_object_get_member (envelope, "data");
  return parse (self, data, error);
}

static void
request_finish_body (GTask *task)
{
  JuiceCloud *self = g_task_get_source_object (task);
  Request *request = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *what = g_strdup_printf ("%s %s", request->method, request->path);
  gpointer result;

  result = read_answer (self, what, (const char *) request->buffer->data, request->buffer->len,
                        request->parse, &error);
  if (result == NULL)
    {
      /* 1000 is EcoFlow's "server error": as transient as an HTTP 500. */
      gboolean transient = g_error_matches (error, JUICE_CLOUD_ERROR, JUICE_CLOUD_ERROR_SERVER) &&
                           request->may_repeat;

      request_fail (task, g_steal_pointer (&error), transient);
      return;
    }

  request_end_attempt (request, g_task_get_cancellable (task));
  g_task_return_pointer (task, result, request->result_free);
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  JuiceCloud *self = g_task_get_source_object (task);
  Request *request = g_task_get_task_data (task);
  g_autoptr(GBytes) bytes = NULL;
  GError *error = NULL;

  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, &error);
  if (bytes == NULL)
    {
      request_fail_transport (task, error);
      return;
    }

  if (g_bytes_get_size (bytes) == 0)
    {
      request_finish_body (task);
      return;
    }

  if (request->buffer->len + g_bytes_get_size (bytes) > JUICE_CLOUD_MAX_RESPONSE_SIZE)
    {
      request_fail (task,
                    g_error_new (JUICE_CLOUD_ERROR, JUICE_CLOUD_ERROR_MALFORMED,
                                 _("%s sent a response larger than %u MiB; it was refused."),
                                 self->host, JUICE_CLOUD_MAX_RESPONSE_SIZE / (1024 * 1024)),
                    FALSE);
      return;
    }

  g_byte_array_append (request->buffer, g_bytes_get_data (bytes, NULL),
                       g_bytes_get_size (bytes));

  g_input_stream_read_bytes_async (request->stream, READ_CHUNK_SIZE, G_PRIORITY_DEFAULT,
                                   request->attempt_cancellable, read_cb,
                                   g_steal_pointer (&task));
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  JuiceCloud *self = g_task_get_source_object (task);
  Request *request = g_task_get_task_data (task);
  GError *error = NULL;
  guint status;
  goffset length;

  request->stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (request->stream == NULL)
    {
      request_fail_transport (task, error);
      return;
    }

  status = soup_message_get_status (request->message);
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      const char *reason = soup_message_get_reason_phrase (request->message);
      g_autofree char *safe_reason = juice_cloud_error_sanitize_text (reason, 80);

      request_fail (task,
                    g_error_new (JUICE_CLOUD_ERROR, JUICE_CLOUD_ERROR_HTTP_STATUS,
                                 _("%s answered with HTTP status %u %s."),
                                 self->host, status, safe_reason),
                    status >= 500 && request->may_repeat);
      return;
    }

  length = soup_message_headers_get_content_length (
    soup_message_get_response_headers (request->message));
  if (length > JUICE_CLOUD_MAX_RESPONSE_SIZE)
    {
      request_fail (task,
                    g_error_new (JUICE_CLOUD_ERROR, JUICE_CLOUD_ERROR_MALFORMED,
                                 _("%s sent a response larger than %u MiB; it was refused."),
                                 self->host, JUICE_CLOUD_MAX_RESPONSE_SIZE / (1024 * 1024)),
                    FALSE);
      return;
    }

  request->buffer = g_byte_array_sized_new (length > 0 ? (guint) length : 4096);
  g_input_stream_read_bytes_async (request->stream, READ_CHUNK_SIZE, G_PRIORITY_DEFAULT,
                                   request->attempt_cancellable, read_cb,
                                   g_steal_pointer (&task));
}

static gboolean
attempt_timeout_cb (gpointer user_data)
{
  Request *request = user_data;

  g_clear_pointer (&request->timeout, g_source_unref);
  request->timed_out = TRUE;
  g_cancellable_cancel (request->attempt_cancellable);

  return G_SOURCE_REMOVE;
}

static void
task_cancelled_cb (GCancellable *cancellable,
                   gpointer      user_data)
{
  GCancellable *attempt_cancellable = user_data;

  g_cancellable_cancel (attempt_cancellable);
}

static char *
build_url (JuiceCloud *self,
           Request    *request)
{
  GString *url = g_string_new (self->base_url);

  g_string_append (url, request->path);

  if (request->query != NULL && g_hash_table_size (request->query) > 0)
    {
      GHashTableIter iter;
      gpointer key, value;
      char sep = '?';

      g_hash_table_iter_init (&iter, request->query);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          g_string_append_c (url, sep);
          g_string_append_uri_escaped (url, key, NULL, FALSE);
          g_string_append_c (url, '=');
          g_string_append_uri_escaped (url, value, NULL, FALSE);
          sep = '&';
        }
    }

  return g_string_free (url, FALSE);
}

/* Signs afresh for every attempt: a retry is a new request. Fails when the
 * parameters cannot be flattened (not an object, nested too deep). */
static gboolean
sign_message (JuiceCloud  *self,
              Request     *request,
              GError     **error)
{
  g_autofree char *nonce = juice_sign_new_nonce ();
  g_autofree char *timestamp = juice_sign_new_timestamp ();
  g_autofree char *string = NULL;
  g_autofree char *sign = NULL;
  SoupMessageHeaders *headers;

  string = juice_sign_build_string (request->body, request->query, self->access_key,
                                    nonce, timestamp);
  if (string == NULL)
    {
      g_set_error (error, JUICE_CLOUD_ERROR, JUICE_CLOUD_ERROR_MALFORMED,
                   _("The request to %s could not be signed: its parameters are not an object "
                     "or nest deeper than %d levels."),
                   request->path, JUICE_SIGN_MAX_DEPTH);
      return FALSE;
    }

  sign = juice_sign_compute (self->secret_key, string);
  explicit_bzero (string, strlen (string));

  headers = soup_message_get_request_headers (request->message);
  soup_message_headers_replace (headers, "accessKey", self->access_key);
  soup_message_headers_replace (headers, "nonce", nonce);
  soup_message_headers_replace (headers, "timestamp", timestamp);
  soup_message_headers_replace (headers, "sign", sign);

  return TRUE;
}

static void
message_restarted_cb (SoupMessage *message,
                      GTask       *task)
{
  JuiceCloud *self = g_task_get_source_object (task);
  Request *request = g_task_get_task_data (task);

  /* The service refuses a nonce and timestamp it has seen. */
  g_debug ("%s %s: re-sent by libsoup, signed again", request->method, request->path);
  /* The same parameters were signed for the first send. */
  if (!sign_message (self, request, NULL))
    g_assert_not_reached ();
}

static void
request_start_attempt (GTask *task)
{
  JuiceCloud *self = g_task_get_source_object (task);
  Request *request = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  g_autofree char *url = build_url (self, request);
  GError *error = NULL;

  g_assert (request->message == NULL);

  if (g_task_return_error_if_cancelled (task))
    return;

  request->attempt++;
  request->timed_out = FALSE;

  request->message = soup_message_new (request->method, url);
  if (request->message == NULL)
    {
      request_fail (task,
                    g_error_new (JUICE_CLOUD_ERROR, JUICE_CLOUD_ERROR_INVALID_URL,
                                 _("Could not build a request to %s."), self->host),
                    FALSE);
      return;
    }

  /* An API does not redirect; following one could leave https. */
  soup_message_add_flags (request->message, SOUP_MESSAGE_NO_REDIRECT);

  /* libsoup re-sends an idempotent request (PUT among them) by itself when a
   * reused connection drops before the answer. A set must not be re-sent:
   * it gets a connection of its own. Other requests are re-signed. */
  if (!request->may_repeat)
    soup_message_add_flags (request->message, SOUP_MESSAGE_NEW_CONNECTION);
  else
    g_signal_connect (request->message, "restarted", G_CALLBACK (message_restarted_cb), task);

  if (!sign_message (self, request, &error))
    {
      request_fail (task, g_steal_pointer (&error), FALSE);
      return;
    }

  if (request->body != NULL)
    {
      g_autofree char *json = json_to_string (request->body, FALSE);
      g_autoptr(GBytes) bytes = NULL;
      gsize json_len = strlen (json);

      bytes = g_bytes_new_take (g_steal_pointer (&json), json_len);
      soup_message_set_request_body_from_bytes (request->message,
                                                "application/json;charset=UTF-8", bytes);
    }

  request->attempt_cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    request->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (task_cancelled_cb),
                                                   g_object_ref (request->attempt_cancellable),
                                                   g_object_unref);
  if (self->timeout_ms > 0)
    {
      request->timeout = g_timeout_source_new (self->timeout_ms);
      g_source_set_static_name (request->timeout, "[juice-cloud] attempt timeout");
      g_source_set_callback (request->timeout, attempt_timeout_cb, request, NULL);
      g_source_attach (request->timeout, g_task_get_context (task));
    }

  g_debug ("%s %s: attempt %u", request->method, request->path, request->attempt);

  soup_session_send_async (self->session, request->message, G_PRIORITY_DEFAULT,
                           request->attempt_cancellable, send_cb, g_object_ref (task));
}

static void
juice_cloud_call (JuiceCloud          *self,
                  const char          *method,
                  const char          *path,
                  GHashTable          *query,
                  JsonNode            *body,
                  gboolean             may_repeat,
                  ParseFunc            parse,
                  GDestroyNotify       result_free,
                  gpointer             source_tag,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Request *request;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);

  request = g_new0 (Request, 1);
  request->method = method;
  request->path = g_strdup (path);
  request->query = query != NULL ? g_hash_table_ref (query) : NULL;
  request->body = body != NULL ? json_node_ref (body) : NULL;
  request->may_repeat = may_repeat;
  request->parse = parse;
  request->result_free = result_free;
  g_task_set_task_data (task, request, (GDestroyNotify) request_free);

  if (self->access_key == NULL || self->secret_key == NULL)
    {
      g_task_return_new_error (task, JUICE_CLOUD_ERROR, JUICE_CLOUD_ERROR_NO_CREDENTIALS,
                               _("No EcoFlow access key and secret key are set."));
      return;
    }

  request_start_attempt (task);
}

/* Reading answers: every member is checked for its type. */

static const char *
object_get_string (JsonObject *object,
                   const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

static GError *
no_data_error (JuiceCloud *self)
{
  return g_error_new (JUICE_CLOUD_ERROR, JUICE_CLOUD_ERROR_NO_DATA,
                      _("EcoFlow answered without data; the device may be offline for a "
                        "moment. Try again."));
}

static GError *
malformed_error (JuiceCloud *self,
                 const char *what)
{
  return g_error_new (JUICE_CLOUD_ERROR, JUICE_CLOUD_ERROR_MALFORMED,
                      _("%s sent an answer that does not fit the API: %s."), self->host, what);
}

static gpointer
parse_certification (JuiceCloud  *self,
                     JsonNode    *data,
                     GError     **error)
{
  g_autoptr(JuiceCloudCertification) certification = NULL;
  JsonObject *object;
  const char *account, *password, *host, *protocol;
  gint64 port = 0;

  if (data == NULL || JSON_NODE_HOLDS_NULL (data))
    {
      *error = no_data_error (self);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (data))
    {
      *error = malformed_error (self, _("the MQTT login is not an object"));
      return NULL;
    }

  object = json_node_get_object (data);
  account = object_get_string (object, "certificateAccount");
  password = object_get_string (object, "certificatePassword");
  host = object_get_string (object, "url");
  protocol = object_get_string (object, "protocol");

  if (account == NULL || account[0] == '\0' || password == NULL || host == NULL ||
      host[0] == '\0' ||
      !juice_json_node_get_int (json_object_get_member (object, "port"), &port) ||
      port < 1 || port > 65535)
    {
      *error = malformed_error (self, _("the MQTT login lacks an account, password, host or "
                                        "port"));
      return NULL;
    }

  certification = g_new0 (JuiceCloudCertification, 1);
  certification->account = g_strdup (account);
  certification->password = g_strdup (password);
  certification->host = g_strdup (host);
  certification->port = (guint16) port;
  certification->protocol = g_strdup (protocol != NULL ? protocol : "mqtts");

  return g_steal_pointer (&certification);
}

static gpointer
parse_device_list (JuiceCloud  *self,
                   JsonNode    *data,
                   GError     **error)
{
  g_autoptr(GPtrArray) devices = NULL;
  JsonArray *array;
  guint length;

  if (data == NULL || JSON_NODE_HOLDS_NULL (data))
    {
      *error = no_data_error (self);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_ARRAY (data))
    {
      *error = malformed_error (self, _("the device list is not a list"));
      return NULL;
    }

  devices = g_ptr_array_new_with_free_func ((GDestroyNotify) juice_cloud_device_info_free);
  array = json_node_get_array (data);
  length = json_array_get_length (array);

  for (guint i = 0; i < length; i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      JuiceCloudDeviceInfo *info;
      JsonObject *object;
      const char *sn, *name, *product;
      JsonNode *online;
      gint64 online_value = 0;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          g_debug ("device list: entry %u is not an object, skipped", i);
          continue;
        }

      object = json_node_get_object (element);
      sn = object_get_string (object, "sn");
      if (sn == NULL || sn[0] == '\0' || strlen (sn) > 64)
        {
          g_debug ("device list: entry %u has no usable serial number, skipped", i);
          continue;
        }

      name = object_get_string (object, "deviceName");
      product = object_get_string (object, "productName");
      online = json_object_get_member (object, "online");
      if (online != NULL && !juice_json_node_get_int (online, &online_value))
        g_debug ("device list: entry %u has an unreadable online state", i);

      info = g_new0 (JuiceCloudDeviceInfo, 1);
      info->serial_number = g_strdup (sn);
      info->name = g_strdup (name != NULL && name[0] != '\0' ? name : sn);
      info->product = g_strdup (product);
      info->online = online_value == 1;
      g_ptr_array_add (devices, info);
    }

  return g_steal_pointer (&devices);
}

static gpointer
parse_quotas (JuiceCloud  *self,
              JsonNode    *data,
              GError     **error)
{
  if (data == NULL || JSON_NODE_HOLDS_NULL (data))
    {
      *error = no_data_error (self);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (data))
    {
      *error = malformed_error (self, _("the quotas are not an object"));
      return NULL;
    }

  return json_object_ref (json_node_get_object (data));
}

static gpointer
parse_set (JuiceCloud  *self,
           JsonNode    *data,
           GError     **error)
{
  /* Code "0" is all a set answers; the value only shows on readback. */
  return GINT_TO_POINTER (TRUE);
}

static GHashTable *
sn_query (const char *serial_number)
{
  GHashTable *query = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);

  g_hash_table_insert (query, (gpointer) "sn", g_strdup (serial_number));
  return query;
}

/* Public API */

void
juice_cloud_get_certification_async (JuiceCloud          *self,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_return_if_fail (JUICE_IS_CLOUD (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  juice_cloud_call (self, SOUP_METHOD_GET, "/iot-open/sign/certification", NULL, NULL, TRUE,
                    parse_certification, (GDestroyNotify) juice_cloud_certification_free,
                    juice_cloud_get_certification_async, cancellable, callback, user_data);
}

JuiceCloudCertification *
juice_cloud_get_certification_finish (JuiceCloud    *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  g_return_val_if_fail (JUICE_IS_CLOUD (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        juice_cloud_get_certification_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
juice_cloud_list_devices_async (JuiceCloud          *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (JUICE_IS_CLOUD (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  juice_cloud_call (self, SOUP_METHOD_GET, "/iot-open/sign/device/list", NULL, NULL, TRUE,
                    parse_device_list, (GDestroyNotify) g_ptr_array_unref,
                    juice_cloud_list_devices_async, cancellable, callback, user_data);
}

GPtrArray *
juice_cloud_list_devices_finish (JuiceCloud    *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (JUICE_IS_CLOUD (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        juice_cloud_list_devices_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
juice_cloud_get_all_quotas_async (JuiceCloud          *self,
                                  const char          *serial_number,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GHashTable) query = NULL;

  g_return_if_fail (JUICE_IS_CLOUD (self));
  g_return_if_fail (serial_number != NULL && serial_number[0] != '\0');
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  query = sn_query (serial_number);
  juice_cloud_call (self, SOUP_METHOD_GET, "/iot-open/sign/device/quota/all", query, NULL,
                    TRUE, parse_quotas, (GDestroyNotify) json_object_unref,
                    juice_cloud_get_all_quotas_async, cancellable, callback, user_data);
}

JsonObject *
juice_cloud_get_all_quotas_finish (JuiceCloud    *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (JUICE_IS_CLOUD (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        juice_cloud_get_all_quotas_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
juice_cloud_get_quotas_async (JuiceCloud          *self,
                              const char          *serial_number,
                              const char * const  *keys,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) body = NULL;

  g_return_if_fail (JUICE_IS_CLOUD (self));
  g_return_if_fail (serial_number != NULL && serial_number[0] != '\0');
  g_return_if_fail (keys != NULL && keys[0] != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "sn");
  json_builder_add_string_value (builder, serial_number);
  json_builder_set_member_name (builder, "params");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "quotas");
  json_builder_begin_array (builder);
  for (guint i = 0; keys[i] != NULL; i++)
    json_builder_add_string_value (builder, keys[i]);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  /* A POST that only reads: as safe to repeat as a GET. */
  juice_cloud_call (self, SOUP_METHOD_POST, "/iot-open/sign/device/quota", NULL, body, TRUE,
                    parse_quotas, (GDestroyNotify) json_object_unref,
                    juice_cloud_get_quotas_async, cancellable, callback, user_data);
}

JsonObject *
juice_cloud_get_quotas_finish (JuiceCloud    *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (JUICE_IS_CLOUD (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        juice_cloud_get_quotas_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
juice_cloud_set_quota_async (JuiceCloud          *self,
                             const char          *serial_number,
                             JsonObject          *params,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(JsonObject) envelope = NULL;
  g_autoptr(JsonNode) body = NULL;

  g_return_if_fail (JUICE_IS_CLOUD (self));
  g_return_if_fail (serial_number != NULL && serial_number[0] != '\0');
  g_return_if_fail (params != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  /* The product's dialect decides the body: juice-command-builder.h */
  envelope = juice_command_wrap_http (params, serial_number, g_random_int_range (1, G_MAXINT32));
  body = json_node_init_object (json_node_alloc (), envelope);

  juice_cloud_call (self, SOUP_METHOD_PUT, "/iot-open/sign/device/quota", NULL, body, FALSE,
                    parse_set, NULL,
                    juice_cloud_set_quota_async, cancellable, callback, user_data);
}

gboolean
juice_cloud_set_quota_finish (JuiceCloud    *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (JUICE_IS_CLOUD (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        juice_cloud_set_quota_async, FALSE);

  return g_task_propagate_pointer (G_TASK (result), error) != NULL;
}

/* Object */

static gboolean
juice_cloud_initable_init (GInitable     *initable,
                           GCancellable  *cancellable,
                           GError       **error)
{
  JuiceCloud *self = JUICE_CLOUD (initable);
  g_autoptr(GUri) uri = NULL;
  g_autofree char *normalized = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *user_agent = NULL;

  if (self->base_url == NULL)
    self->base_url = g_strdup (JUICE_CLOUD_BASE_URL_EUROPE);

  if (!juice_cloud_check_base_url (self->base_url, &normalized, error))
    return FALSE;

  g_free (self->base_url);
  self->base_url = g_steal_pointer (&normalized);

  uri = g_uri_parse (self->base_url, G_URI_FLAGS_NONE, NULL);
  g_assert (uri != NULL);
  self->host = g_strdup (g_uri_get_host (uri));

  self->tls_database = juice_tls_database_new (self->ca_file, &local_error);
  if (self->tls_database == NULL)
    {
      g_set_error (error, JUICE_CLOUD_ERROR, JUICE_CLOUD_ERROR_TLS,
                   _("Could not use the CA file %s: %s"), self->ca_file, local_error->message);
      return FALSE;
    }

  user_agent = g_strdup_printf ("Juice/%s ", PACKAGE_VERSION);
  self->session = soup_session_new_with_options ("tls-database", self->tls_database,
                                                 "user-agent", user_agent,
                                                 NULL);

  return TRUE;
}

static void
juice_cloud_initable_iface_init (GInitableIface *iface)
{
  iface->init = juice_cloud_initable_init;
}

static void
juice_cloud_dispose (GObject *object)
{
  JuiceCloud *self = (JuiceCloud *) object;

  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);
  g_clear_object (&self->tls_database);

  G_OBJECT_CLASS (juice_cloud_parent_class)->dispose (object);
}

static void
juice_cloud_finalize (GObject *object)
{
  JuiceCloud *self = (JuiceCloud *) object;

  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->host, g_free);
  g_clear_pointer (&self->ca_file, g_free);
  juice_wipe_string (&self->access_key);
  juice_wipe_string (&self->secret_key);

  G_OBJECT_CLASS (juice_cloud_parent_class)->finalize (object);
}

static void
juice_cloud_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  JuiceCloud *self = JUICE_CLOUD (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      g_value_set_string (value, self->base_url);
      break;

    case PROP_CA_FILE:
      g_value_set_string (value, self->ca_file);
      break;

    case PROP_TIMEOUT_MS:
      g_value_set_uint (value, self->timeout_ms);
      break;

    case PROP_MAX_ATTEMPTS:
      g_value_set_uint (value, self->max_attempts);
      break;

    case PROP_RETRY_DELAY_MS:
      g_value_set_uint (value, self->retry_delay_ms);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
juice_cloud_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  JuiceCloud *self = JUICE_CLOUD (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      g_free (self->base_url);
      self->base_url = g_value_dup_string (value);
      break;

    case PROP_CA_FILE:
      g_free (self->ca_file);
      self->ca_file = g_value_dup_string (value);
      break;

    case PROP_TIMEOUT_MS:
      juice_cloud_set_timeout_ms (self, g_value_get_uint (value));
      break;

    case PROP_MAX_ATTEMPTS:
      juice_cloud_set_max_attempts (self, g_value_get_uint (value));
      break;

    case PROP_RETRY_DELAY_MS:
      juice_cloud_set_retry_delay_ms (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
juice_cloud_class_init (JuiceCloudClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = juice_cloud_dispose;
  object_class->finalize = juice_cloud_finalize;
  object_class->get_property = juice_cloud_get_property;
  object_class->set_property = juice_cloud_set_property;

  /**
   * JuiceCloud:base-url:
   *
   * The API address: a region's host or a custom one (https, or http to
   * loopback only).
   */
  properties[PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL,
                         JUICE_CLOUD_BASE_URL_EUROPE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * JuiceCloud:ca-file:
   *
   * A PEM file of certificate authorities trusted besides the system's.
   */
  properties[PROP_CA_FILE] =
    g_param_spec_string ("ca-file", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * JuiceCloud:timeout-ms:
   *
   * How long one attempt may take, from connecting to the last byte; 0 for
   * no limit.
   */
  properties[PROP_TIMEOUT_MS] =
    g_param_spec_uint ("timeout-ms", NULL, NULL,
                       0, G_MAXUINT, DEFAULT_TIMEOUT_MS,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * JuiceCloud:max-attempts:
   *
   * How many times a request is sent at most when it fails transiently.
   */
  properties[PROP_MAX_ATTEMPTS] =
    g_param_spec_uint ("max-attempts", NULL, NULL,
                       1, 10, DEFAULT_MAX_ATTEMPTS,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * JuiceCloud:retry-delay-ms:
   *
   * The wait before the first retry; it doubles for each further one (up to
   * 8 s), with jitter.
   */
  properties[PROP_RETRY_DELAY_MS] =
    g_param_spec_uint ("retry-delay-ms", NULL, NULL,
                       0, MAX_RETRY_DELAY_MS, DEFAULT_RETRY_DELAY_MS,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
juice_cloud_init (JuiceCloud *self)
{
  self->timeout_ms = DEFAULT_TIMEOUT_MS;
  self->max_attempts = DEFAULT_MAX_ATTEMPTS;
  self->retry_delay_ms = DEFAULT_RETRY_DELAY_MS;
}

/**
 * juice_cloud_new:
 * @base_url: (nullable): the API address; Europe's when %NULL
 * @ca_file: (nullable): extra trusted CAs (PEM)
 *
 * Returns: (transfer full): a new #JuiceCloud, or %NULL with @error set when
 *   the address is refused or the CA file cannot be used.
 */
JuiceCloud *
juice_cloud_new (const char  *base_url,
                 const char  *ca_file,
                 GError     **error)
{
  return g_initable_new (JUICE_TYPE_CLOUD, NULL, error,
                         "base-url", base_url != NULL ? base_url : JUICE_CLOUD_BASE_URL_EUROPE,
                         "ca-file", ca_file,
                         NULL);
}

const char *
juice_cloud_get_base_url (JuiceCloud *self)
{
  g_return_val_if_fail (JUICE_IS_CLOUD (self), NULL);

  return self->base_url;
}

const char *
juice_cloud_get_host (JuiceCloud *self)
{
  g_return_val_if_fail (JUICE_IS_CLOUD (self), NULL);

  return self->host;
}

const char *
juice_cloud_get_ca_file (JuiceCloud *self)
{
  g_return_val_if_fail (JUICE_IS_CLOUD (self), NULL);

  return self->ca_file;
}

void
juice_cloud_set_credentials (JuiceCloud *self,
                             const char *access_key,
                             const char *secret_key)
{
  g_return_if_fail (JUICE_IS_CLOUD (self));

  juice_wipe_string (&self->access_key);
  juice_wipe_string (&self->secret_key);

  if (access_key != NULL && access_key[0] != '\0' && secret_key != NULL && secret_key[0] != '\0')
    {
      self->access_key = g_strdup (access_key);
      self->secret_key = g_strdup (secret_key);
    }
}

gboolean
juice_cloud_has_credentials (JuiceCloud *self)
{
  g_return_val_if_fail (JUICE_IS_CLOUD (self), FALSE);

  return self->access_key != NULL && self->secret_key != NULL;
}

guint
juice_cloud_get_timeout_ms (JuiceCloud *self)
{
  g_return_val_if_fail (JUICE_IS_CLOUD (self), 0);

  return self->timeout_ms;
}

void
juice_cloud_set_timeout_ms (JuiceCloud *self,
                            guint       timeout_ms)
{
  g_return_if_fail (JUICE_IS_CLOUD (self));

  if (self->timeout_ms != timeout_ms)
    {
      self->timeout_ms = timeout_ms;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT_MS]);
    }
}

guint
juice_cloud_get_max_attempts (JuiceCloud *self)
{
  g_return_val_if_fail (JUICE_IS_CLOUD (self), 0);

  return self->max_attempts;
}

void
juice_cloud_set_max_attempts (JuiceCloud *self,
                              guint       max_attempts)
{
  g_return_if_fail (JUICE_IS_CLOUD (self));
  g_return_if_fail (max_attempts >= 1 && max_attempts <= 10);

  if (self->max_attempts != max_attempts)
    {
      self->max_attempts = max_attempts;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_ATTEMPTS]);
    }
}

guint
juice_cloud_get_retry_delay_ms (JuiceCloud *self)
{
  g_return_val_if_fail (JUICE_IS_CLOUD (self), 0);

  return self->retry_delay_ms;
}

void
juice_cloud_set_retry_delay_ms (JuiceCloud *self,
                                guint       retry_delay_ms)
{
  g_return_if_fail (JUICE_IS_CLOUD (self));

  retry_delay_ms = MIN (retry_delay_ms, MAX_RETRY_DELAY_MS);
  if (self->retry_delay_ms != retry_delay_ms)
    {
      self->retry_delay_ms = retry_delay_ms;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RETRY_DELAY_MS]);
    }
}

/* For tests and fuzzers (juice-cloud-private.h) */

static ParseFunc
answer_parse_func (JuiceCloudAnswer answer)
{
  switch (answer)
    {
    case JUICE_CLOUD_ANSWER_CERTIFICATION:
      return parse_certification;
    case JUICE_CLOUD_ANSWER_DEVICE_LIST:
      return parse_device_list;
    case JUICE_CLOUD_ANSWER_QUOTAS:
      return parse_quotas;
    case JUICE_CLOUD_ANSWER_SET:
    case JUICE_CLOUD_N_ANSWERS:
    default:
      return parse_set;
    }
}

gpointer
_juice_cloud_read_answer (JuiceCloud        *self,
                          JuiceCloudAnswer   answer,
                          const char        *body,
                          gsize              length,
                          GError           **error)
{
  g_return_val_if_fail (JUICE_IS_CLOUD (self), NULL);
  g_return_val_if_fail (answer < JUICE_CLOUD_N_ANSWERS, NULL);

  return read_answer (self, "answer", body != NULL ? body : "", length,
                      answer_parse_func (answer), error);
}

void
_juice_cloud_answer_free (JuiceCloudAnswer answer,
                          gpointer         result)
{
  if (result == NULL)
    return;

  switch (answer)
    {
    case JUICE_CLOUD_ANSWER_CERTIFICATION:
      juice_cloud_certification_free (result);
      break;
    case JUICE_CLOUD_ANSWER_DEVICE_LIST:
      g_ptr_array_unref (result);
      break;
    case JUICE_CLOUD_ANSWER_QUOTAS:
      json_object_unref (result);
      break;
    case JUICE_CLOUD_ANSWER_SET:
    case JUICE_CLOUD_N_ANSWERS:
    default:
      break;
    }
}
