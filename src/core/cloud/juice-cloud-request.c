/* juice-cloud-request.c: JuiceCloud's request engine
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

#define READ_CHUNK_SIZE         (64 * 1024)

/* Requests */

typedef struct
{
  /* what to send */
  const char     *method;
  char           *path;
  GHashTable     *query;         /* string -> string, may be NULL */
  JsonNode       *body;          /* object, may be NULL */
  gboolean        may_repeat;    /* FALSE for set: never applied twice */
  JuiceCloudParseFunc       parse;
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

  for (guint i = 1; i < attempt && delay < JUICE_CLOUD_MAX_RETRY_DELAY_MS; i++)
    delay *= 2;
  delay = MIN (delay, JUICE_CLOUD_MAX_RETRY_DELAY_MS);

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
gpointer
_juice_cloud_read_envelope (JuiceCloud  *self,
             const char  *what,
             const char  *body,
             gsize        length,
             JuiceCloudParseFunc    parse,
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

  result = _juice_cloud_read_envelope (self, what, (const char *) request->buffer->data, request->buffer->len,
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

void
_juice_cloud_call (JuiceCloud          *self,
                  const char          *method,
                  const char          *path,
                  GHashTable          *query,
                  JsonNode            *body,
                  gboolean             may_repeat,
                  JuiceCloudParseFunc            parse,
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
