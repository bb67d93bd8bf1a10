/* juice-mqtt.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "juice-mqtt"

#include "config.h"

#include <errno.h>
#include <string.h>

#include <MQTTAsync.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "juice-error.h"
#include "juice-json.h"
#include "juice-mqtt.h"

#define CONNECT_TIMEOUT_SECONDS 10
#define BACKOFF_FIRST_MS        500.0
#define BACKOFF_MAX_MS          60000.0
#define BACKOFF_JITTER          0.2
#define QOS                     1
#define MAX_REPLY_LENGTH        (64 * 1024)
#define MAX_REPLY_DEPTH         16
#define MAX_CA_FILE_SIZE        (16 * 1024 * 1024)
#define SYSTEM_CA_PATH          "/etc/ssl/certs"
#define COMMAND_ID_MIN          100000000u
#define COMMAND_ID_MAX          999999999u
#define CERT_VERIFY_FAILED      "certificate verify failed"

/* Paho's threads -------------------------------------------------------- */

/* What a Paho callback copied, on its way to the main context. */
typedef enum
{
  EVENT_CONNECTED,
  EVENT_CONNECT_FAILED,
  EVENT_CONNECTION_LOST,
  EVENT_MESSAGE,
  EVENT_DROPPED,
  EVENT_SUBSCRIBED,
} EventKind;

typedef struct
{
  EventKind  kind;
  guint      tag;         /* the connect attempt or the connection it belongs to */
  int        code;        /* Paho's code; for a refused connect, the MQTT return code */
  char      *text;        /* Paho's message */
  char      *tls_error;   /* what OpenSSL said during the attempt */
  char      *topic;
  GBytes    *payload;
  gsize      size;        /* of a dropped payload */
} Event;

/* Shared between one Paho client and its JuiceMqtt. Paho never sees a
 * pointer to it: its callbacks get a token number, looked up under a lock, so
 * a callback that runs late (after the client was destroyed) finds nothing
 * and does nothing. */
typedef struct
{
  gatomicrefcount  ref_count;
  gpointer         token;         /* the link's own token, for the lasting callbacks */
  GMainContext    *context;

  GMutex           mutex;         /* guards the fields below it */
  GQueue           events;
  char            *tls_error;
  gboolean         wakeup_pending;

  /* main context only */
  JuiceMqtt       *self;          /* not owned; NULL once detached */
} Link;

typedef struct
{
  Link  *link;
  guint  tag;
} Token;

G_LOCK_DEFINE_STATIC (tokens);
static GHashTable *tokens;        /* token number -> Token */
static guint       next_token;

static void     handle_event  (JuiceMqtt *self,
                               Event     *event);
static gboolean link_dispatch (gpointer   data);

static Event *
event_new (EventKind kind)
{
  Event *event = g_new0 (Event, 1);

  event->kind = kind;
  return event;
}

static void
event_free (Event *event)
{
  g_free (event->text);
  g_free (event->tls_error);
  g_free (event->topic);
  g_clear_pointer (&event->payload, g_bytes_unref);
  g_free (event);
}

static Link *
link_ref (Link *link)
{
  g_atomic_ref_count_inc (&link->ref_count);
  return link;
}

static void
link_unref (Link *link)
{
  if (!g_atomic_ref_count_dec (&link->ref_count))
    return;

  g_queue_clear_full (&link->events, (GDestroyNotify) event_free);
  g_free (link->tls_error);
  g_mutex_clear (&link->mutex);
  g_main_context_unref (link->context);
  g_free (link);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Link, link_unref)

static void
token_free (gpointer data)
{
  Token *token = data;

  link_unref (token->link);
  g_free (token);
}

/* Registers @link under a new token number, handed to Paho as a context. */
static gpointer
token_new (Link  *link,
           guint  tag)
{
  Token *token = g_new0 (Token, 1);
  guint id;

  token->link = link_ref (link);
  token->tag = tag;

  G_LOCK (tokens);
  if (tokens == NULL)
    tokens = g_hash_table_new_full (NULL, NULL, NULL, token_free);
  do
    id = ++next_token;
  while (id == 0 || g_hash_table_contains (tokens, GUINT_TO_POINTER (id)));
  g_hash_table_insert (tokens, GUINT_TO_POINTER (id), token);
  G_UNLOCK (tokens);

  return GUINT_TO_POINTER (id);
}

/* Any thread. Returns a reference to the link of @context, or NULL when it
 * was forgotten; @take forgets a one-shot token (connect, subscribe). */
static Link *
token_lookup (gpointer  context,
              gboolean  take,
              guint    *tag)
{
  Link *link = NULL;
  Token *token;

  G_LOCK (tokens);
  if (tokens != NULL && (token = g_hash_table_lookup (tokens, context)) != NULL)
    {
      link = link_ref (token->link);
      if (tag != NULL)
        *tag = token->tag;
      if (take)
        g_hash_table_remove (tokens, context);
    }
  G_UNLOCK (tokens);

  return link;
}

static void
token_forget (gpointer context)
{
  G_LOCK (tokens);
  if (tokens != NULL)
    g_hash_table_remove (tokens, context);
  G_UNLOCK (tokens);
}

static gboolean
token_is_of_link (gpointer key,
                  gpointer value,
                  gpointer user_data)
{
  return ((Token *) value)->link == user_data;
}

/* Forgets every token of @link: Paho's late callbacks for it find nothing. */
static void
tokens_forget_link (Link *link)
{
  G_LOCK (tokens);
  if (tokens != NULL)
    {
      g_hash_table_foreach_remove (tokens, token_is_of_link, link);
      if (g_hash_table_size (tokens) == 0)
        g_clear_pointer (&tokens, g_hash_table_unref);
    }
  G_UNLOCK (tokens);
}

static Link *
link_new (JuiceMqtt    *self,
          GMainContext *context)
{
  Link *link = g_new0 (Link, 1);

  g_atomic_ref_count_init (&link->ref_count);
  g_mutex_init (&link->mutex);
  g_queue_init (&link->events);
  link->context = g_main_context_ref (context);
  link->self = self;
  link->token = token_new (link, 0);

  return link;
}

/* Main context. Nothing reaches the object any more after this. */
static void
link_detach (Link *link)
{
  link->self = NULL;
  tokens_forget_link (link);
}

/* Any thread: queues @event and wakes the main context once for all that
 * are queued, so they are handled in the order they came. Never calls
 * g_main_context_invoke(): it would run the handler on this thread when the
 * main context happens to be free. */
static void
link_push (Link  *link,
           Event *event)
{
  g_mutex_lock (&link->mutex);
  g_queue_push_tail (&link->events, event);
  if (!link->wakeup_pending)
    {
      GSource *source = g_idle_source_new ();

      link->wakeup_pending = TRUE;
      g_source_set_priority (source, G_PRIORITY_DEFAULT);
      g_source_set_callback (source, link_dispatch, link_ref (link), (GDestroyNotify) link_unref);
      g_source_set_static_name (source, "[juice-mqtt] dispatch");
      g_source_attach (source, link->context);
      g_source_unref (source);
    }
  g_mutex_unlock (&link->mutex);
}

static gboolean
link_dispatch (gpointer data)
{
  Link *link = data;
  GQueue events;
  Event *event;

  g_mutex_lock (&link->mutex);
  events = link->events;
  g_queue_init (&link->events);
  link->wakeup_pending = FALSE;
  g_mutex_unlock (&link->mutex);

  while ((event = g_queue_pop_head (&events)) != NULL)
    {
      /* A handler may stop or drop the object: look again every time. */
      if (link->self != NULL)
        {
          g_autoptr(JuiceMqtt) self = g_object_ref (link->self);

          handle_event (self, event);
        }
      event_free (event);
    }

  return G_SOURCE_REMOVE;
}

static void
on_connection_lost (void *context,
                    char *cause)
{
  g_autoptr(Link) link = token_lookup (context, FALSE, NULL);

  if (link != NULL)
    link_push (link, event_new (EVENT_CONNECTION_LOST));
}

static int
on_message_arrived (void              *context,
                    char              *topic_name,
                    int                topic_len,
                    MQTTAsync_message *message)
{
  g_autoptr(Link) link = token_lookup (context, FALSE, NULL);

  if (link != NULL)
    {
      gsize length = topic_len > 0 ? (gsize) topic_len : strlen (topic_name);
      gboolean topic_ok = memchr (topic_name, '\0', length) == NULL &&
                          g_utf8_validate (topic_name, length, NULL);
      Event *event;

      if (!topic_ok || message->payloadlen < 0 || message->payloadlen > JUICE_MQTT_MAX_PAYLOAD)
        {
          event = event_new (EVENT_DROPPED);
          event->topic = topic_ok ? g_strndup (topic_name, length) : NULL;
          event->size = MAX (message->payloadlen, 0);
        }
      else
        {
          event = event_new (EVENT_MESSAGE);
          event->topic = g_strndup (topic_name, length);
          event->payload = g_bytes_new (message->payload, message->payloadlen);
        }
      link_push (link, event);
    }

  MQTTAsync_freeMessage (&message);
  MQTTAsync_free (topic_name);

  return 1;
}

static void
on_connect_success (void                  *context,
                    MQTTAsync_successData *response)
{
  guint tag = 0;
  g_autoptr(Link) link = token_lookup (context, TRUE, &tag);

  if (link != NULL)
    {
      Event *event = event_new (EVENT_CONNECTED);

      event->tag = tag;
      link_push (link, event);
    }
}

static void
on_connect_failure (void                  *context,
                    MQTTAsync_failureData *response)
{
  guint tag = 0;
  g_autoptr(Link) link = token_lookup (context, TRUE, &tag);

  if (link != NULL)
    {
      Event *event = event_new (EVENT_CONNECT_FAILED);

      event->tag = tag;
      event->code = response != NULL ? response->code : MQTTASYNC_FAILURE;
      if (response != NULL && response->message != NULL)
        event->text = g_utf8_make_valid (response->message, -1);

      g_mutex_lock (&link->mutex);
      event->tls_error = g_steal_pointer (&link->tls_error);
      g_mutex_unlock (&link->mutex);

      link_push (link, event);
    }
}

static void
on_subscribe_success (void                  *context,
                      MQTTAsync_successData *response)
{
  guint tag = 0;
  g_autoptr(Link) link = token_lookup (context, TRUE, &tag);

  if (link != NULL)
    {
      Event *event = event_new (EVENT_SUBSCRIBED);

      event->tag = tag;
      link_push (link, event);
    }
}

static void
on_subscribe_failure (void                  *context,
                      MQTTAsync_failureData *response)
{
  guint tag = 0;
  g_autoptr(Link) link = token_lookup (context, TRUE, &tag);

  if (link != NULL)
    {
      Event *event = event_new (EVENT_SUBSCRIBED);

      event->tag = tag;
      event->code = response != NULL ? response->code : MQTTASYNC_FAILURE;
      link_push (link, event);
    }
}

/* OpenSSL's error queue, printed by Paho when a TLS call fails. Kept until
 * the attempt's failure callback takes it. */
static int
on_ssl_error (const char *str,
              size_t      len,
              void       *context)
{
  g_autoptr(Link) link = token_lookup (context, FALSE, NULL);

  if (link != NULL)
    {
      g_mutex_lock (&link->mutex);
      /* The verification failure is the one that tells the user something. */
      if (link->tls_error == NULL || strstr (link->tls_error, CERT_VERIFY_FAILED) == NULL)
        {
          g_free (link->tls_error);
          link->tls_error = g_utf8_make_valid (str, len);
        }
      g_mutex_unlock (&link->mutex);
    }

  return 1;
}

/* The object ------------------------------------------------------------- */

/* A command waiting for its set_reply. */
typedef struct
{
  JuiceMqtt    *self;           /* not owned: the table of pending commands is its */
  GTask        *task;
  char         *id;
  char         *serial_number;
  char         *reply_topic;
  GCancellable *cancellable;
  gulong        cancelled_id;
  GSource      *timeout_source;
  GSource      *idle_source;
} Pending;

struct _JuiceMqtt
{
  GObject         parent_instance;

  /* configuration */
  char           *host;
  char           *client_id;
  char           *ca_file;
  char           *user;
  char           *password;        /* a secret: wiped when replaced */
  guint           port;
  gboolean        tls;

  /* owned references */
  GMainContext   *context;
  MQTTAsync       client;
  Link           *link;
  GPtrArray      *subscriptions;   /* topic filters */
  GHashTable     *pending;         /* command id -> Pending */
  GError         *error;
  char           *failure_reason;  /* for "Failed: %s" */
  char           *state_text;

  /* state */
  JuiceMqttState  state;
  guint           retry_seconds;
  guint           backoff_step;    /* failed attempts since the last connect */
  guint           attempt;         /* numbers connect attempts */
  guint           connection;      /* numbers connections */
  GSource        *retry_source;
  GSource        *countdown_source;
  gint64          retry_at;        /* monotonic time of the next attempt */
  guint           n_dropped;
  guint           n_unmatched_replies;
  guint           next_command_id;
};

G_DEFINE_FINAL_TYPE (JuiceMqtt, juice_mqtt, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (JuiceMqttState, juice_mqtt_state,
  G_DEFINE_ENUM_VALUE (JUICE_MQTT_STATE_DISCONNECTED, "disconnected"),
  G_DEFINE_ENUM_VALUE (JUICE_MQTT_STATE_CONNECTING, "connecting"),
  G_DEFINE_ENUM_VALUE (JUICE_MQTT_STATE_CONNECTED, "connected"),
  G_DEFINE_ENUM_VALUE (JUICE_MQTT_STATE_RECONNECTING, "reconnecting"),
  G_DEFINE_ENUM_VALUE (JUICE_MQTT_STATE_FAILED, "failed"))

G_DEFINE_QUARK (juice-mqtt-error-quark, juice_mqtt_error)

enum {
  PROP_0,
  PROP_HOST,
  PROP_PORT,
  PROP_CLIENT_ID,
  PROP_CA_FILE,
  PROP_TLS,
  PROP_USER,
  PROP_STATE,
  PROP_STATE_TEXT,
  PROP_RETRY_SECONDS,
  N_PROPS
};

enum {
  MESSAGE,
  CONNECTED,
  AUTH_FAILED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
wipe_string (char **str)
{
  if (*str != NULL)
    {
      explicit_bzero (*str, strlen (*str));
      g_clear_pointer (str, g_free);
    }
}

static GSource *
add_timeout (JuiceMqtt   *self,
             guint        interval_ms,
             GSourceFunc  func,
             gpointer     data)
{
  GSource *source = g_timeout_source_new (interval_ms);

  g_source_set_callback (source, func, data, NULL);
  g_source_set_static_name (source, "[juice-mqtt] timeout");
  g_source_attach (source, self->context);

  return source;
}

static void
clear_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

/* State ------------------------------------------------------------------ */

static char *
build_state_text (JuiceMqtt *self)
{
  switch (self->state)
    {
    case JUICE_MQTT_STATE_DISCONNECTED:
      return g_strdup (_("Disconnected"));
    case JUICE_MQTT_STATE_CONNECTING:
      return g_strdup (_("Connecting…"));
    case JUICE_MQTT_STATE_CONNECTED:
      return g_strdup (_("Connected"));
    case JUICE_MQTT_STATE_RECONNECTING:
      /* Translators: %u is a number of seconds */
      return g_strdup_printf (_("Reconnecting in %u s"), self->retry_seconds);
    case JUICE_MQTT_STATE_FAILED:
      return g_strdup_printf (_("Failed: %s"),
                              self->failure_reason ? self->failure_reason : _("unknown error"));
    default:
      g_assert_not_reached ();
    }
}

static void
set_state (JuiceMqtt      *self,
           JuiceMqttState  state,
           guint           retry_seconds)
{
  g_autofree char *text = NULL;

  g_object_freeze_notify (G_OBJECT (self));

  if (self->state != state)
    {
      g_debug ("%s: state %d -> %d", self->client_id, self->state, state);
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }

  if (self->retry_seconds != retry_seconds)
    {
      self->retry_seconds = retry_seconds;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RETRY_SECONDS]);
    }

  text = build_state_text (self);
  if (g_strcmp0 (text, self->state_text) != 0)
    {
      g_free (self->state_text);
      self->state_text = g_steal_pointer (&text);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE_TEXT]);
    }

  g_object_thaw_notify (G_OBJECT (self));
}

static void
clear_retry (JuiceMqtt *self)
{
  clear_source (&self->retry_source);
  clear_source (&self->countdown_source);
  self->retry_at = 0;
}

/* Pending commands ------------------------------------------------------- */

static void
pending_free (gpointer data)
{
  Pending *pending = data;

  if (pending->cancelled_id != 0)
    g_cancellable_disconnect (pending->cancellable, pending->cancelled_id);
  clear_source (&pending->timeout_source);
  clear_source (&pending->idle_source);
  g_clear_object (&pending->cancellable);
  g_clear_object (&pending->task);
  g_free (pending->id);
  g_free (pending->serial_number);
  g_free (pending->reply_topic);
  g_free (pending);
}

/* Ends the wait for @id: success when @error is NULL. Takes @error. */
static void
pending_complete (JuiceMqtt  *self,
                  const char *id,
                  GError     *error)
{
  g_autoptr(GTask) task = NULL;
  Pending *pending;

  if (!(pending = g_hash_table_lookup (self->pending, id)))
    {
      g_clear_error (&error);
      return;
    }

  task = g_steal_pointer (&pending->task);
  g_hash_table_remove (self->pending, id);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
fail_all_pending (JuiceMqtt  *self,
                  GQuark      domain,
                  int         code,
                  const char *message)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, self->pending);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_ptr_array_add (ids, g_strdup (key));

  for (guint i = 0; i < ids->len; i++)
    pending_complete (self, g_ptr_array_index (ids, i),
                      g_error_new_literal (domain, code, message));
}

static gboolean
pending_timeout_cb (gpointer user_data)
{
  Pending *pending = user_data;

  pending_complete (pending->self, pending->id,
                    g_error_new (JUICE_DEVICE_ERROR, JUICE_DEVICE_ERROR_TIMEOUT,
                                 _("%s did not answer the command in time"),
                                 pending->serial_number));

  return G_SOURCE_REMOVE;
}

static gboolean
pending_cancelled_idle_cb (gpointer user_data)
{
  Pending *pending = user_data;

  pending_complete (pending->self, pending->id,
                    g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                         _("The command was cancelled")));

  return G_SOURCE_REMOVE;
}

/* Runs where the cancellable was cancelled, maybe inside another handler:
 * finish from an idle, since a handler cannot disconnect itself. */
static void
on_pending_cancelled (GCancellable *cancellable,
                      Pending      *pending)
{
  if (pending->idle_source == NULL)
    {
      pending->idle_source = g_idle_source_new ();
      g_source_set_callback (pending->idle_source, pending_cancelled_idle_cb, pending, NULL);
      g_source_set_static_name (pending->idle_source, "[juice-mqtt] cancelled");
      g_source_attach (pending->idle_source, pending->self->context);
    }
}

/* The id as the reply carries it: a string, or a number (integral). */
static char *
reply_id_to_string (JsonNode *node)
{
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;

  type = json_node_get_value_type (node);

  if (type == G_TYPE_STRING)
    {
      const char *str = json_node_get_string (node);

      if (str == NULL || *str == '\0' || strlen (str) > 64)
        return NULL;
      return g_strdup (str);
    }

  if (type == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));

  if (type == G_TYPE_DOUBLE)
    {
      double d = json_node_get_double (node);

      if (d >= 0 && d < 9007199254740992.0 && d == (double) (gint64) d)
        return g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) d);
    }

  return NULL;
}

static void
handle_reply (JuiceMqtt  *self,
              const char *topic,
              GBytes     *payload)
{
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *id = NULL;
  JsonObject *object;
  JsonNode *data;
  Pending *pending;
  gint64 ack = 0, code = 0;
  gboolean has_ack = FALSE, has_code = FALSE;
  gsize size;
  const char *bytes = g_bytes_get_data (payload, &size);

  root = juice_json_parse (bytes, size, MAX_REPLY_LENGTH, MAX_REPLY_DEPTH, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root) ||
      !(id = reply_id_to_string (json_object_get_member (json_node_get_object (root), "id"))) ||
      !(pending = g_hash_table_lookup (self->pending, id)) ||
      strcmp (pending->reply_topic, topic) != 0)
    {
      self->n_unmatched_replies++;
      g_debug ("Ignoring a reply on %s that matches no command of ours (%u so far)",
               topic, self->n_unmatched_replies);
      return;
    }

  object = json_node_get_object (root);

  if (json_object_has_member (object, "code"))
    {
      has_code = TRUE;
      if (!juice_json_node_get_int (json_object_get_member (object, "code"), &code))
        code = -1;
    }

  data = json_object_get_member (object, "data");
  if (data != NULL && JSON_NODE_HOLDS_OBJECT (data) &&
      json_object_has_member (json_node_get_object (data), "ack"))
    {
      has_ack = TRUE;
      if (!juice_json_node_get_int (json_object_get_member (json_node_get_object (data), "ack"),
                                    &ack))
        ack = -1;
    }

  g_debug ("Reply to command %s: code %s%" G_GINT64_FORMAT ", ack %s%" G_GINT64_FORMAT,
           id, has_code ? "" : "(none) ", code, has_ack ? "" : "(none) ", ack);

  if (has_code && code != 0)
    pending_complete (self, id,
                      g_error_new (JUICE_DEVICE_ERROR, JUICE_DEVICE_ERROR_REFUSED,
                                   _("%s refused the command (code %" G_GINT64_FORMAT ")"),
                                   pending->serial_number, code));
  else if (has_ack && ack != 0)
    pending_complete (self, id,
                      g_error_new (JUICE_DEVICE_ERROR, JUICE_DEVICE_ERROR_REFUSED,
                                   _("%s refused the command (ack %" G_GINT64_FORMAT ")"),
                                   pending->serial_number, ack));
  else if (!has_ack && !has_code)
    pending_complete (self, id,
                      g_error_new (JUICE_DEVICE_ERROR, JUICE_DEVICE_ERROR_REFUSED,
                                   _("%s answered the command without an acknowledgement"),
                                   pending->serial_number));
  else
    pending_complete (self, id, NULL);
}

/* Connection ------------------------------------------------------------- */

static void connect_now (JuiceMqtt *self);

static void
teardown_client (JuiceMqtt *self)
{
  clear_retry (self);

  if (self->link != NULL)
    {
      link_detach (self->link);
      g_clear_pointer (&self->link, link_unref);
    }

  /* Sends DISCONNECT when connected. Paho's callbacks still on their way
   * find their tokens forgotten. */
  if (self->client != NULL)
    MQTTAsync_destroy (&self->client);
  self->client = NULL;
}

static void
set_error (JuiceMqtt *self,
           GError    *error)
{
  g_clear_error (&self->error);
  self->error = error;
}

/* Gives up: retrying cannot help. */
static void
fail (JuiceMqtt  *self,
      GError     *error,
      const char *reason)
{
  g_debug ("%s: giving up: %s", self->client_id, error->message);

  teardown_client (self);
  set_error (self, error);
  g_free (self->failure_reason);
  self->failure_reason = g_strdup (reason);
  set_state (self, JUICE_MQTT_STATE_FAILED, 0);
}

static guint
seconds_until_retry (JuiceMqtt *self)
{
  gint64 left = self->retry_at - g_get_monotonic_time ();

  if (left <= 0)
    return 0;
  return (guint) ((left + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);
}

static gboolean
retry_cb (gpointer user_data)
{
  JuiceMqtt *self = user_data;

  g_clear_pointer (&self->retry_source, g_source_unref);
  connect_now (self);

  return G_SOURCE_REMOVE;
}

static gboolean
countdown_cb (gpointer user_data)
{
  JuiceMqtt *self = user_data;
  guint seconds = seconds_until_retry (self);

  if (seconds == 0)
    {
      g_clear_pointer (&self->countdown_source, g_source_unref);
      return G_SOURCE_REMOVE;
    }

  set_state (self, JUICE_MQTT_STATE_RECONNECTING, seconds);
  return G_SOURCE_CONTINUE;
}

/* 0.5 s doubling to 60 s, ±20 %; reset by a successful connect. */
static void
schedule_retry (JuiceMqtt *self)
{
  double delay_ms = BACKOFF_FIRST_MS * (double) (1u << MIN (self->backoff_step, 8u));
  gint64 remainder_us;

  delay_ms *= g_random_double_range (1.0 - BACKOFF_JITTER, 1.0 + BACKOFF_JITTER);
  delay_ms = MIN (delay_ms, BACKOFF_MAX_MS);
  self->backoff_step++;

  clear_retry (self);
  self->retry_at = g_get_monotonic_time () + (gint64) (delay_ms * 1000);
  self->retry_source = add_timeout (self, (guint) delay_ms, retry_cb, self);

  /* Tick when the shown number of seconds changes. */
  remainder_us = ((gint64) (delay_ms * 1000)) % G_USEC_PER_SEC;
  if (delay_ms > 1000)
    {
      self->countdown_source = g_timeout_source_new (1000);
      g_source_set_ready_time (self->countdown_source,
                               g_get_monotonic_time () + (remainder_us ? remainder_us
                                                                       : G_USEC_PER_SEC));
      g_source_set_callback (self->countdown_source, countdown_cb, self, NULL);
      g_source_set_static_name (self->countdown_source, "[juice-mqtt] countdown");
      g_source_attach (self->countdown_source, self->context);
    }

  g_debug ("%s: next attempt in %.0f ms (step %u)", self->client_id, delay_ms,
           self->backoff_step);
  set_state (self, JUICE_MQTT_STATE_RECONNECTING, seconds_until_retry (self));
}

static gboolean
is_permanent_api_error (int code)
{
  switch (code)
    {
    case MQTTASYNC_BAD_UTF8_STRING:
    case MQTTASYNC_NULL_PARAMETER:
    case MQTTASYNC_BAD_STRUCTURE:
    case MQTTASYNC_BAD_PROTOCOL:
    case MQTTASYNC_SSL_NOT_SUPPORTED:
    case MQTTASYNC_BAD_MQTT_OPTION:
    case MQTTASYNC_WRONG_MQTT_VERSION:
      return TRUE;
    default:
      return FALSE;
    }
}

static void
connect_failed (JuiceMqtt  *self,
                int         code,
                const char *text,
                const char *tls_error)
{
  g_debug ("%s: attempt %u to %s:%u failed: code %d (%s)%s%s", self->client_id, self->attempt,
           self->host, self->port, code, text ? text : "no message",
           tls_error ? ", TLS: " : "", tls_error ? tls_error : "");

  /* 4: bad user name or password; 5: not authorized. Fresh credentials
   * from the cloud may help; the same ones never will. */
  if (code == 4 || code == 5)
    {
      fail (self,
            g_error_new_literal (JUICE_MQTT_ERROR, JUICE_MQTT_ERROR_AUTH,
                                 _("The MQTT broker refused the user name or password")),
            _("the broker refused the user name or password"));
      g_signal_emit (self, signals[AUTH_FAILED], 0);
      return;
    }

  if (tls_error != NULL && strstr (tls_error, CERT_VERIFY_FAILED) != NULL)
    {
      fail (self,
            g_error_new (JUICE_MQTT_ERROR, JUICE_MQTT_ERROR_TLS,
                         _("The MQTT broker’s certificate is not trusted (%s:%u)"),
                         self->host, self->port),
            _("the MQTT broker’s certificate is not trusted"));
      return;
    }

  if (code == 1 || code == 2)
    {
      fail (self,
            g_error_new (JUICE_MQTT_ERROR, JUICE_MQTT_ERROR_REFUSED,
                         code == 1 ? _("The MQTT broker does not accept MQTT 3.1.1")
                                   : _("The MQTT broker rejected the client id “%s”"),
                         self->client_id),
            code == 1 ? _("the broker does not accept MQTT 3.1.1")
                      : _("the broker rejected the client id"));
      return;
    }

  if (is_permanent_api_error (code))
    {
      fail (self,
            g_error_new (JUICE_MQTT_ERROR, JUICE_MQTT_ERROR_INVALID_CONFIG,
                         _("Cannot connect to the MQTT broker: %s"), MQTTAsync_strerror (code)),
            _("the connection settings are not valid"));
      return;
    }

  set_error (self, g_error_new (JUICE_MQTT_ERROR, JUICE_MQTT_ERROR_CONNECT,
                                _("Could not connect to the MQTT broker at %s:%u (%s)"),
                                self->host, self->port,
                                text ? text : MQTTAsync_strerror (code)));
  schedule_retry (self);
}

static void
connect_now (JuiceMqtt *self)
{
  MQTTAsync_connectOptions options = MQTTAsync_connectOptions_initializer;
  MQTTAsync_SSLOptions ssl = MQTTAsync_SSLOptions_initializer;
  gpointer token;
  int rc;

  g_assert (self->client != NULL);
  g_assert (self->link != NULL);

  clear_retry (self);

  g_mutex_lock (&self->link->mutex);
  g_clear_pointer (&self->link->tls_error, g_free);
  g_mutex_unlock (&self->link->mutex);

  self->attempt++;
  token = token_new (self->link, self->attempt);

  options.keepAliveInterval = JUICE_MQTT_KEEPALIVE_SECONDS;
  options.cleansession = 1;
  options.username = self->user;
  options.password = self->password;
  options.connectTimeout = CONNECT_TIMEOUT_SECONDS;
  options.retryInterval = 0;
  options.MQTTVersion = MQTTVERSION_3_1_1;
  options.automaticReconnect = 0;   /* our own backoff, with jitter */
  options.onSuccess = on_connect_success;
  options.onFailure = on_connect_failure;
  options.context = token;

  if (self->tls)
    {
      ssl.enableServerCertAuth = 1;
      ssl.verify = 1;               /* the host name too */
      if (self->ca_file != NULL)
        ssl.trustStore = self->ca_file;
      else
        ssl.CApath = SYSTEM_CA_PATH;
      ssl.ssl_error_cb = on_ssl_error;
      ssl.ssl_error_context = self->link->token;
      options.ssl = &ssl;
    }

  g_debug ("%s: attempt %u to %s:%u", self->client_id, self->attempt, self->host, self->port);
  set_state (self, JUICE_MQTT_STATE_CONNECTING, 0);

  /* Paho copies the options, the password included. */
  rc = MQTTAsync_connect (self->client, &options);
  if (rc != MQTTASYNC_SUCCESS)
    {
      token_forget (token);
      connect_failed (self, rc, MQTTAsync_strerror (rc), NULL);
    }
}

static void
resubscribe (JuiceMqtt *self)
{
  MQTTAsync_responseOptions response = MQTTAsync_responseOptions_initializer;
  g_autofree int *qos = NULL;
  gpointer token;
  int rc;

  if (self->subscriptions->len == 0)
    {
      g_signal_emit (self, signals[CONNECTED], 0);
      return;
    }

  qos = g_new (int, self->subscriptions->len);
  for (guint i = 0; i < self->subscriptions->len; i++)
    qos[i] = QOS;

  token = token_new (self->link, self->connection);
  response.onSuccess = on_subscribe_success;
  response.onFailure = on_subscribe_failure;
  response.context = token;

  rc = MQTTAsync_subscribeMany (self->client, (int) self->subscriptions->len,
                                (char * const *) self->subscriptions->pdata, qos, &response);
  if (rc != MQTTASYNC_SUCCESS)
    {
      /* The connection is going away: its loss will be reported. */
      token_forget (token);
      g_debug ("%s: could not subscribe: %s", self->client_id, MQTTAsync_strerror (rc));
    }
}

static void
handle_event (JuiceMqtt *self,
              Event     *event)
{
  switch (event->kind)
    {
    case EVENT_CONNECTED:
      if (event->tag != self->attempt || self->state != JUICE_MQTT_STATE_CONNECTING)
        break;
      g_debug ("%s: connected to %s:%u", self->client_id, self->host, self->port);
      self->backoff_step = 0;
      self->connection++;
      g_clear_error (&self->error);
      set_state (self, JUICE_MQTT_STATE_CONNECTED, 0);
      resubscribe (self);
      break;

    case EVENT_CONNECT_FAILED:
      if (event->tag != self->attempt || self->state != JUICE_MQTT_STATE_CONNECTING)
        break;
      connect_failed (self, event->code, event->text, event->tls_error);
      break;

    case EVENT_CONNECTION_LOST:
      if (self->state != JUICE_MQTT_STATE_CONNECTED)
        break;
      g_debug ("%s: connection lost", self->client_id);
      set_error (self, g_error_new (JUICE_MQTT_ERROR, JUICE_MQTT_ERROR_CONNECT,
                                    _("The connection to the MQTT broker at %s:%u was lost"),
                                    self->host, self->port));
      schedule_retry (self);
      fail_all_pending (self, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                        _("The connection to the MQTT broker was lost before the device answered"));
      break;

    case EVENT_SUBSCRIBED:
      if (event->tag != self->connection || self->state != JUICE_MQTT_STATE_CONNECTED)
        break;
      if (event->code != 0)
        g_debug ("%s: subscribing failed: %d", self->client_id, event->code);
      g_signal_emit (self, signals[CONNECTED], 0);
      break;

    case EVENT_MESSAGE:
      if (g_str_has_suffix (event->topic, "/set_reply"))
        handle_reply (self, event->topic, event->payload);
      g_signal_emit (self, signals[MESSAGE], 0, event->topic, event->payload);
      break;

    case EVENT_DROPPED:
      self->n_dropped++;
      g_debug ("Dropped a message of %" G_GSIZE_FORMAT " bytes on %s (%u so far)",
               event->size, event->topic ? event->topic : "a topic that is not UTF-8",
               self->n_dropped);
      break;

    default:
      g_assert_not_reached ();
    }
}

/* Checks -------------------------------------------------------------------- */

/* A topic level as the account or a serial number: no separator, no wildcard. */
static gboolean
is_topic_level (const char *str)
{
  return str != NULL && *str != '\0' && g_utf8_validate (str, -1, NULL) &&
         strpbrk (str, "/+#") == NULL;
}

static gboolean
is_valid_filter (const char *filter)
{
  const char *level = filter;

  if (filter == NULL || *filter == '\0' || strlen (filter) > 65535 ||
      !g_utf8_validate (filter, -1, NULL))
    return FALSE;

  for (;;)
    {
      const char *end = strchr (level, '/');
      gsize len = end ? (gsize) (end - level) : strlen (level);

      if (memchr (level, '#', len) != NULL && (len != 1 || end != NULL))
        return FALSE;
      if (memchr (level, '+', len) != NULL && len != 1)
        return FALSE;
      if (end == NULL)
        return TRUE;
      level = end + 1;
    }
}

static gboolean
is_valid_topic (const char *topic)
{
  return topic != NULL && *topic != '\0' && strlen (topic) <= 65535 &&
         g_utf8_validate (topic, -1, NULL) && strpbrk (topic, "+#") == NULL;
}

static gboolean
is_loopback_host (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;

  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

static char *
build_uri (JuiceMqtt  *self,
           GError    **error)
{
  const char *host = self->host;

  if (host == NULL || *host == '\0' || !g_utf8_validate (host, -1, NULL) ||
      strpbrk (host, " \t\r\n/@?#[]") != NULL ||
      (strchr (host, ':') != NULL && !g_hostname_is_ip_address (host)))
    {
      g_set_error (error, JUICE_MQTT_ERROR, JUICE_MQTT_ERROR_INVALID_CONFIG,
                   _("“%s” is not a valid MQTT broker host name"), host ? host : "");
      return NULL;
    }

  if (self->port == 0 || self->port > 65535)
    {
      g_set_error (error, JUICE_MQTT_ERROR, JUICE_MQTT_ERROR_INVALID_CONFIG,
                   _("%u is not a valid MQTT broker port"), self->port);
      return NULL;
    }

  if (!self->tls && !is_loopback_host (host))
    {
      g_set_error (error, JUICE_MQTT_ERROR, JUICE_MQTT_ERROR_INVALID_CONFIG,
                   _("MQTT without TLS is allowed only to this computer, not to %s"), host);
      return NULL;
    }

  if (strchr (host, ':') != NULL)
    return g_strdup_printf ("%s://[%s]:%u", self->tls ? "ssl" : "tcp", host, self->port);

  return g_strdup_printf ("%s://%s:%u", self->tls ? "ssl" : "tcp", host, self->port);
}

static gboolean
check_ca_file (const char  *path,
               GError     **error)
{
  g_autofree char *contents = NULL;
  gsize length;
  GStatBuf st;

  if (g_stat (path, &st) != 0 || !S_ISREG (st.st_mode) || st.st_size > MAX_CA_FILE_SIZE ||
      !g_file_get_contents (path, &contents, &length, NULL) ||
      g_strstr_len (contents, length, "-----BEGIN CERTIFICATE-----") == NULL)
    {
      g_set_error (error, JUICE_MQTT_ERROR, JUICE_MQTT_ERROR_INVALID_CONFIG,
                   _("The CA file %s cannot be read or holds no PEM certificate"), path);
      return FALSE;
    }

  return TRUE;
}

static gboolean
is_valid_client_id (const char *id)
{
  gsize len = id ? strlen (id) : 0;

  if (len == 0 || len > 64)
    return FALSE;

  for (const char *p = id; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
      return FALSE;

  return TRUE;
}

static char *
new_command_id (JuiceMqtt *self)
{
  char *id;

  do
    {
      if (++self->next_command_id > COMMAND_ID_MAX)
        self->next_command_id = COMMAND_ID_MIN;
      id = g_strdup_printf ("%u", self->next_command_id);
      if (!g_hash_table_contains (self->pending, id))
        return id;
      g_free (id);
    }
  while (TRUE);
}

static char *
build_command (const char *id,
               JsonObject *params)
{
  g_autoptr(JsonObject) root = json_object_new ();
  g_autoptr(JsonNode) node = json_node_alloc ();

  json_object_set_string_member (root, "id", id);
  json_object_set_string_member (root, "version", "1.0");
  json_object_set_string_member (root, "operateType", "TCP");
  json_object_set_int_member (root, "timestamp", g_get_real_time () / 1000);
  json_object_set_object_member (root, "params", json_object_ref (params));
  json_node_init_object (node, root);

  return json_to_string (node, FALSE);
}

/* GObject ---------------------------------------------------------------- */

static void
juice_mqtt_dispose (GObject *object)
{
  JuiceMqtt *self = (JuiceMqtt *)object;

  teardown_client (self);
  fail_all_pending (self, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("The MQTT link was closed"));

  G_OBJECT_CLASS (juice_mqtt_parent_class)->dispose (object);
}

static void
juice_mqtt_finalize (GObject *object)
{
  JuiceMqtt *self = (JuiceMqtt *)object;

  g_free (self->host);
  g_free (self->client_id);
  g_free (self->ca_file);
  g_free (self->user);
  wipe_string (&self->password);
  g_clear_pointer (&self->subscriptions, g_ptr_array_unref);
  g_clear_pointer (&self->pending, g_hash_table_unref);
  g_clear_error (&self->error);
  g_free (self->failure_reason);
  g_free (self->state_text);
  g_main_context_unref (self->context);

  G_OBJECT_CLASS (juice_mqtt_parent_class)->finalize (object);
}

static void
juice_mqtt_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  JuiceMqtt *self = JUICE_MQTT (object);

  switch (prop_id)
    {
    case PROP_HOST:
      g_value_set_string (value, self->host);
      break;
    case PROP_PORT:
      g_value_set_uint (value, self->port);
      break;
    case PROP_CLIENT_ID:
      g_value_set_string (value, self->client_id);
      break;
    case PROP_CA_FILE:
      g_value_set_string (value, self->ca_file);
      break;
    case PROP_TLS:
      g_value_set_boolean (value, self->tls);
      break;
    case PROP_USER:
      g_value_set_string (value, self->user);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_STATE_TEXT:
      g_value_set_string (value, self->state_text);
      break;
    case PROP_RETRY_SECONDS:
      g_value_set_uint (value, self->retry_seconds);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
juice_mqtt_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  JuiceMqtt *self = JUICE_MQTT (object);

  switch (prop_id)
    {
    case PROP_HOST:
      juice_mqtt_set_host (self, g_value_get_string (value));
      break;
    case PROP_PORT:
      juice_mqtt_set_port (self, g_value_get_uint (value));
      break;
    case PROP_CLIENT_ID:
      g_assert (self->client_id == NULL);
      self->client_id = g_value_dup_string (value);
      break;
    case PROP_CA_FILE:
      juice_mqtt_set_ca_file (self, g_value_get_string (value));
      break;
    case PROP_TLS:
      juice_mqtt_set_tls (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
juice_mqtt_class_init (JuiceMqttClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = juice_mqtt_dispose;
  object_class->finalize = juice_mqtt_finalize;
  object_class->get_property = juice_mqtt_get_property;
  object_class->set_property = juice_mqtt_set_property;

  properties[PROP_HOST] =
    g_param_spec_string ("host", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PORT] =
    g_param_spec_uint ("port", NULL, NULL, 0, 65535, 8883,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CLIENT_ID] =
    g_param_spec_string ("client-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CA_FILE] =
    g_param_spec_string ("ca-file", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TLS] =
    g_param_spec_boolean ("tls", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_USER] =
    g_param_spec_string ("user", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, JUICE_TYPE_MQTT_STATE,
                       JUICE_MQTT_STATE_DISCONNECTED,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE_TEXT] =
    g_param_spec_string ("state-text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RETRY_SECONDS] =
    g_param_spec_uint ("retry-seconds", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * JuiceMqtt::message:
   * @topic: the topic the message came on
   * @payload: its bytes, untrusted, at most JUICE_MQTT_MAX_PAYLOAD
   */
  signals[MESSAGE] =
    g_signal_new ("message", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE, G_TYPE_BYTES);

  /**
   * JuiceMqtt::connected:
   *
   * After every (re)connect, once the broker answered the subscriptions.
   */
  signals[CONNECTED] =
    g_signal_new ("connected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  /**
   * JuiceMqtt::auth-failed:
   *
   * The broker refused the user name or password; the link is in state
   * FAILED. Set fresh credentials and start again.
   */
  signals[AUTH_FAILED] =
    g_signal_new ("auth-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
juice_mqtt_init (JuiceMqtt *self)
{
  self->context = g_main_context_ref_thread_default ();
  self->port = 8883;
  self->tls = TRUE;
  self->subscriptions = g_ptr_array_new_with_free_func (g_free);
  self->pending = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, pending_free);
  self->next_command_id = (guint) g_random_int_range (COMMAND_ID_MIN, COMMAND_ID_MAX);
  self->state_text = build_state_text (self);
}

/* API ---------------------------------------------------------------------- */

JuiceMqtt *
juice_mqtt_new (const char *host,
                guint       port,
                const char *client_id)
{
  g_return_val_if_fail (client_id != NULL, NULL);

  return g_object_new (JUICE_TYPE_MQTT,
                       "host", host,
                       "port", port,
                       "client-id", client_id,
                       NULL);
}

const char *
juice_mqtt_get_host (JuiceMqtt *self)
{
  g_return_val_if_fail (JUICE_IS_MQTT (self), NULL);

  return self->host;
}

void
juice_mqtt_set_host (JuiceMqtt  *self,
                     const char *host)
{
  g_return_if_fail (JUICE_IS_MQTT (self));

  if (g_strcmp0 (self->host, host) == 0)
    return;

  g_free (self->host);
  self->host = g_strdup (host);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HOST]);
}

guint
juice_mqtt_get_port (JuiceMqtt *self)
{
  g_return_val_if_fail (JUICE_IS_MQTT (self), 0);

  return self->port;
}

void
juice_mqtt_set_port (JuiceMqtt *self,
                     guint      port)
{
  g_return_if_fail (JUICE_IS_MQTT (self));

  if (self->port == port)
    return;

  self->port = port;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PORT]);
}

const char *
juice_mqtt_get_client_id (JuiceMqtt *self)
{
  g_return_val_if_fail (JUICE_IS_MQTT (self), NULL);

  return self->client_id;
}

const char *
juice_mqtt_get_ca_file (JuiceMqtt *self)
{
  g_return_val_if_fail (JUICE_IS_MQTT (self), NULL);

  return self->ca_file;
}

void
juice_mqtt_set_ca_file (JuiceMqtt  *self,
                        const char *ca_file)
{
  g_return_if_fail (JUICE_IS_MQTT (self));

  if (ca_file != NULL && *ca_file == '\0')
    ca_file = NULL;

  if (g_strcmp0 (self->ca_file, ca_file) == 0)
    return;

  g_free (self->ca_file);
  self->ca_file = g_strdup (ca_file);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CA_FILE]);
}

gboolean
juice_mqtt_get_tls (JuiceMqtt *self)
{
  g_return_val_if_fail (JUICE_IS_MQTT (self), TRUE);

  return self->tls;
}

void
juice_mqtt_set_tls (JuiceMqtt *self,
                    gboolean   tls)
{
  g_return_if_fail (JUICE_IS_MQTT (self));

  tls = !!tls;
  if (self->tls == tls)
    return;

  self->tls = tls;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TLS]);
}

const char *
juice_mqtt_get_user (JuiceMqtt *self)
{
  g_return_val_if_fail (JUICE_IS_MQTT (self), NULL);

  return self->user;
}

void
juice_mqtt_set_credentials (JuiceMqtt  *self,
                            const char *user,
                            const char *password)
{
  g_return_if_fail (JUICE_IS_MQTT (self));

  wipe_string (&self->password);
  self->password = g_strdup (password);

  if (g_strcmp0 (self->user, user) != 0)
    {
      g_free (self->user);
      self->user = g_strdup (user);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USER]);
    }
}

gboolean
juice_mqtt_start (JuiceMqtt  *self,
                  GError    **error)
{
  MQTTAsync_createOptions create_options = MQTTAsync_createOptions_initializer;
  g_autofree char *uri = NULL;
  MQTTAsync client = NULL;
  int rc;

  g_return_val_if_fail (JUICE_IS_MQTT (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!(uri = build_uri (self, error)))
    return FALSE;

  if (!is_valid_client_id (self->client_id))
    {
      g_set_error (error, JUICE_MQTT_ERROR, JUICE_MQTT_ERROR_INVALID_CONFIG,
                   _("“%s” is not a valid MQTT client id"),
                   self->client_id ? self->client_id : "");
      return FALSE;
    }

  if (self->user == NULL || *self->user == '\0' || self->password == NULL ||
      !g_utf8_validate (self->user, -1, NULL) || !g_utf8_validate (self->password, -1, NULL))
    {
      g_set_error_literal (error, JUICE_MQTT_ERROR, JUICE_MQTT_ERROR_NO_CREDENTIALS,
                           _("No MQTT user name and password to connect with"));
      return FALSE;
    }

  if (self->tls && self->ca_file != NULL && !check_ca_file (self->ca_file, error))
    return FALSE;

  teardown_client (self);

  create_options.MQTTVersion = MQTTVERSION_3_1_1;
  create_options.sendWhileDisconnected = 0;
  rc = MQTTAsync_createWithOptions (&client, uri, self->client_id, MQTTCLIENT_PERSISTENCE_NONE,
                                    NULL, &create_options);
  if (rc != MQTTASYNC_SUCCESS)
    {
      if (client != NULL)
        MQTTAsync_destroy (&client);
      g_set_error (error, JUICE_MQTT_ERROR, JUICE_MQTT_ERROR_INVALID_CONFIG,
                   _("Cannot create the MQTT client: %s"), MQTTAsync_strerror (rc));
      set_state (self, JUICE_MQTT_STATE_DISCONNECTED, 0);
      return FALSE;
    }

  self->client = client;
  self->link = link_new (self, self->context);

  rc = MQTTAsync_setCallbacks (client, self->link->token, on_connection_lost, on_message_arrived,
                               NULL);
  if (rc != MQTTASYNC_SUCCESS)
    {
      teardown_client (self);
      g_set_error (error, JUICE_MQTT_ERROR, JUICE_MQTT_ERROR_INVALID_CONFIG,
                   _("Cannot create the MQTT client: %s"), MQTTAsync_strerror (rc));
      set_state (self, JUICE_MQTT_STATE_DISCONNECTED, 0);
      return FALSE;
    }

  self->backoff_step = 0;
  g_clear_error (&self->error);
  g_clear_pointer (&self->failure_reason, g_free);

  connect_now (self);

  return TRUE;
}

void
juice_mqtt_stop (JuiceMqtt *self)
{
  g_return_if_fail (JUICE_IS_MQTT (self));

  teardown_client (self);
  set_state (self, JUICE_MQTT_STATE_DISCONNECTED, 0);
  fail_all_pending (self, G_IO_ERROR, G_IO_ERROR_CANCELLED, _("The MQTT link was stopped"));
}

JuiceMqttState
juice_mqtt_get_state (JuiceMqtt *self)
{
  g_return_val_if_fail (JUICE_IS_MQTT (self), JUICE_MQTT_STATE_DISCONNECTED);

  return self->state;
}

const char *
juice_mqtt_get_state_text (JuiceMqtt *self)
{
  g_return_val_if_fail (JUICE_IS_MQTT (self), NULL);

  return self->state_text;
}

guint
juice_mqtt_get_retry_seconds (JuiceMqtt *self)
{
  g_return_val_if_fail (JUICE_IS_MQTT (self), 0);

  return self->retry_seconds;
}

const GError *
juice_mqtt_get_error (JuiceMqtt *self)
{
  g_return_val_if_fail (JUICE_IS_MQTT (self), NULL);

  return self->error;
}

static gboolean
has_subscription (JuiceMqtt  *self,
                  const char *topic_filter,
                  guint      *index)
{
  for (guint i = 0; i < self->subscriptions->len; i++)
    if (strcmp (g_ptr_array_index (self->subscriptions, i), topic_filter) == 0)
      {
        if (index != NULL)
          *index = i;
        return TRUE;
      }

  return FALSE;
}

void
juice_mqtt_subscribe (JuiceMqtt  *self,
                      const char *topic_filter)
{
  int rc;

  g_return_if_fail (JUICE_IS_MQTT (self));
  g_return_if_fail (is_valid_filter (topic_filter));

  if (has_subscription (self, topic_filter, NULL))
    return;

  g_ptr_array_add (self->subscriptions, g_strdup (topic_filter));

  if (self->state == JUICE_MQTT_STATE_CONNECTED)
    {
      rc = MQTTAsync_subscribe (self->client, topic_filter, QOS, NULL);
      if (rc != MQTTASYNC_SUCCESS)
        g_debug ("%s: could not subscribe to %s: %s", self->client_id, topic_filter,
                 MQTTAsync_strerror (rc));
    }
}

void
juice_mqtt_unsubscribe (JuiceMqtt  *self,
                        const char *topic_filter)
{
  guint index;

  g_return_if_fail (JUICE_IS_MQTT (self));
  g_return_if_fail (topic_filter != NULL);

  if (!has_subscription (self, topic_filter, &index))
    return;

  g_ptr_array_remove_index (self->subscriptions, index);

  if (self->state == JUICE_MQTT_STATE_CONNECTED)
    MQTTAsync_unsubscribe (self->client, topic_filter, NULL);
}

gboolean
juice_mqtt_publish (JuiceMqtt      *self,
                    const char     *topic,
                    gconstpointer   payload,
                    gsize           length,
                    GError        **error)
{
  MQTTAsync_message message = MQTTAsync_message_initializer;
  int rc;

  g_return_val_if_fail (JUICE_IS_MQTT (self), FALSE);
  g_return_val_if_fail (topic != NULL, FALSE);
  g_return_val_if_fail (payload != NULL || length == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!is_valid_topic (topic) || length > G_MAXINT)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("Cannot publish %" G_GSIZE_FORMAT " bytes to “%s”"), length, topic);
      return FALSE;
    }

  if (self->state != JUICE_MQTT_STATE_CONNECTED)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                           _("Not connected to the MQTT broker"));
      return FALSE;
    }

  /* Paho copies the payload. */
  message.payload = (void *) payload;
  message.payloadlen = (int) length;
  message.qos = QOS;
  message.retained = 0;

  rc = MQTTAsync_sendMessage (self->client, topic, &message, NULL);
  if (rc != MQTTASYNC_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("Could not publish to the MQTT broker: %s"), MQTTAsync_strerror (rc));
      return FALSE;
    }

  return TRUE;
}

static gboolean
is_subscribed_to (JuiceMqtt  *self,
                  const char *topic)
{
  for (guint i = 0; i < self->subscriptions->len; i++)
    if (juice_mqtt_topic_matches (g_ptr_array_index (self->subscriptions, i), topic))
      return TRUE;

  return FALSE;
}

void
juice_mqtt_send_command_async (JuiceMqtt           *self,
                               const char          *account,
                               const char          *serial_number,
                               JsonObject          *params,
                               guint                timeout_ms,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *topic = NULL;
  g_autofree char *payload = NULL;
  Pending *pending;

  g_return_if_fail (JUICE_IS_MQTT (self));
  g_return_if_fail (params != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, juice_mqtt_send_command_async);

  if (!is_topic_level (account) || !is_topic_level (serial_number))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("“%s” / “%s” is not a valid account and serial number"),
                               account ? account : "", serial_number ? serial_number : "");
      return;
    }

  if (g_task_return_error_if_cancelled (task))
    return;

  if (self->state != JUICE_MQTT_STATE_CONNECTED)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                               _("Not connected to the MQTT broker"));
      return;
    }

  pending = g_new0 (Pending, 1);
  pending->self = self;
  pending->id = new_command_id (self);
  pending->serial_number = g_strdup (serial_number);
  pending->reply_topic = g_strdup_printf ("/open/%s/%s/set_reply", account, serial_number);

  /* Subscribed before the command goes out: the broker handles both in order. */
  if (!is_subscribed_to (self, pending->reply_topic))
    juice_mqtt_subscribe (self, pending->reply_topic);

  topic = g_strdup_printf ("/open/%s/%s/set", account, serial_number);
  payload = build_command (pending->id, params);

  if (!juice_mqtt_publish (self, topic, payload, strlen (payload), &error))
    {
      pending_free (pending);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_debug ("Sent command %s to %s", pending->id, serial_number);

  pending->task = g_steal_pointer (&task);
  pending->timeout_source = add_timeout (self, timeout_ms, pending_timeout_cb, pending);
  g_hash_table_insert (self->pending, pending->id, pending);

  if (cancellable != NULL)
    {
      pending->cancellable = g_object_ref (cancellable);
      pending->cancelled_id = g_cancellable_connect (cancellable,
                                                     G_CALLBACK (on_pending_cancelled),
                                                     pending, NULL);
    }
}

gboolean
juice_mqtt_send_command_finish (JuiceMqtt     *self,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (JUICE_IS_MQTT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

guint
juice_mqtt_get_n_dropped (JuiceMqtt *self)
{
  g_return_val_if_fail (JUICE_IS_MQTT (self), 0);

  return self->n_dropped;
}

guint
juice_mqtt_get_n_unmatched_replies (JuiceMqtt *self)
{
  g_return_val_if_fail (JUICE_IS_MQTT (self), 0);

  return self->n_unmatched_replies;
}

gboolean
juice_mqtt_topic_matches (const char *filter,
                          const char *topic)
{
  const char *f = filter;
  const char *t = topic;

  g_return_val_if_fail (filter != NULL, FALSE);
  g_return_val_if_fail (topic != NULL, FALSE);

  /* Wildcards do not match the broker's own $SYS topics. */
  if (topic[0] == '$' && (filter[0] == '+' || filter[0] == '#'))
    return FALSE;

  for (;;)
    {
      const char *f_end = strchr (f, '/');
      const char *t_end = strchr (t, '/');
      gsize f_len = f_end ? (gsize) (f_end - f) : strlen (f);
      gsize t_len = t_end ? (gsize) (t_end - t) : strlen (t);

      if (f_len == 1 && f[0] == '#')
        return TRUE;

      if (!(f_len == 1 && f[0] == '+') && (f_len != t_len || memcmp (f, t, f_len) != 0))
        return FALSE;

      if (f_end == NULL || t_end == NULL)
        /* "a/#" also matches "a" */
        return f_end == NULL ? t_end == NULL : strcmp (f_end, "/#") == 0;

      f = f_end + 1;
      t = t_end + 1;
    }
}

static gboolean
is_valid_tool_name (const char *name)
{
  if (name == NULL || *name == '\0' || strlen (name) > 32)
    return FALSE;

  for (const char *p = name; *p; p++)
    if (!g_ascii_islower (*p) && !g_ascii_isdigit (*p) && *p != '-')
      return FALSE;

  return TRUE;
}

char *
juice_mqtt_load_or_create_client_id (const char  *tool_name,
                                     GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *basename = NULL;
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *id = NULL;
  g_autofree char *line = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!is_valid_tool_name (tool_name))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "“%s” is not a valid tool name", tool_name ? tool_name : "");
      return NULL;
    }

  dir = g_build_filename (g_get_user_data_dir (), "juice", NULL);
  basename = g_strdup_printf ("%s-mqtt-client-id", tool_name);
  path = g_build_filename (dir, basename, NULL);

  if (g_file_get_contents (path, &contents, NULL, &local_error))
    {
      g_strstrip (contents);
      if (is_valid_client_id (contents))
        return g_steal_pointer (&contents);
      g_debug ("%s holds no valid client id: making a new one", path);
    }
  else if (!g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                  _("Cannot read the MQTT client id: "));
      return NULL;
    }

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot create %s: %s"), dir, g_strerror (saved_errno));
      return NULL;
    }

  id = g_strdup_printf ("juice-%08x%08x", g_random_int (), g_random_int ());
  line = g_strconcat (id, "\n", NULL);

  if (!g_file_set_contents_full (path, line, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error))
    return NULL;

  g_debug ("New MQTT client id for %s stored in %s", tool_name, path);

  return g_steal_pointer (&id);
}
