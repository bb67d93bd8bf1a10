/* juice-mqtt-link.c: what runs on Paho's threads
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "juice-mqtt"

#include "config.h"

#include <string.h>

#include "juice-mqtt-private.h"

#define CERT_VERIFY_FAILED "certificate verify failed"

/* Shared between one Paho client and its JuiceMqtt. Paho never sees a
 * pointer to it: its callbacks get a token number, looked up under a lock, so
 * a callback that runs late (after the client was destroyed) finds nothing
 * and does nothing. */
struct _JuiceMqttLink
{
  gatomicrefcount  ref_count;
  gpointer         token;         /* the link's own token, for the lasting callbacks */
  GMainContext    *context;

  GMutex           mutex;         /* guards the fields below it */
  GQueue           events;
  GHashTable      *requests;      /* subscribe request -> number of filters */
  char            *tls_error;
  gboolean         wakeup_pending;

  /* main context only */
  JuiceMqtt       *self;          /* not owned; NULL once detached */
};

typedef struct
{
  JuiceMqttLink *link;
  guint          tag;
  guint          request;       /* a subscribe request's number */
} Token;

G_LOCK_DEFINE_STATIC (tokens);
static GHashTable *tokens;        /* token number -> Token */
static guint       next_token;

static gboolean link_dispatch (gpointer data);

static JuiceMqttEvent *
event_new (JuiceMqttEventKind kind)
{
  JuiceMqttEvent *event = g_new0 (JuiceMqttEvent, 1);

  event->kind = kind;
  return event;
}

static void
event_free (JuiceMqttEvent *event)
{
  g_free (event->text);
  g_free (event->tls_error);
  g_free (event->topic);
  g_clear_pointer (&event->payload, g_bytes_unref);
  g_free (event->granted);
  g_free (event);
}

static JuiceMqttLink *
link_ref (JuiceMqttLink *link)
{
  g_atomic_ref_count_inc (&link->ref_count);
  return link;
}

void
_juice_mqtt_link_unref (JuiceMqttLink *link)
{
  if (!g_atomic_ref_count_dec (&link->ref_count))
    return;

  g_queue_clear_full (&link->events, (GDestroyNotify) event_free);
  g_hash_table_unref (link->requests);
  g_free (link->tls_error);
  g_mutex_clear (&link->mutex);
  g_main_context_unref (link->context);
  g_free (link);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JuiceMqttLink, _juice_mqtt_link_unref)

static void
token_free (gpointer data)
{
  Token *token = data;

  _juice_mqtt_link_unref (token->link);
  g_free (token);
}

/* Registers @link under a new token number, handed to Paho as a context. */
static gpointer
token_new (JuiceMqttLink *link,
           guint          tag,
           guint          request)
{
  Token *token = g_new0 (Token, 1);
  guint id;

  token->link = link_ref (link);
  token->tag = tag;
  token->request = request;

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
static JuiceMqttLink *
token_lookup (gpointer  context,
              gboolean  take,
              guint    *tag,
              guint    *request)
{
  JuiceMqttLink *link = NULL;
  Token *token;

  G_LOCK (tokens);
  if (tokens != NULL && (token = g_hash_table_lookup (tokens, context)) != NULL)
    {
      link = link_ref (token->link);
      if (tag != NULL)
        *tag = token->tag;
      if (request != NULL)
        *request = token->request;
      if (take)
        g_hash_table_remove (tokens, context);
    }
  G_UNLOCK (tokens);

  return link;
}

void
_juice_mqtt_link_forget (gpointer context)
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
tokens_forget_link (JuiceMqttLink *link)
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

JuiceMqttLink *
_juice_mqtt_link_new (JuiceMqtt    *self,
                      GMainContext *context)
{
  JuiceMqttLink *link = g_new0 (JuiceMqttLink, 1);

  g_atomic_ref_count_init (&link->ref_count);
  g_mutex_init (&link->mutex);
  g_queue_init (&link->events);
  link->requests = g_hash_table_new (NULL, NULL);
  link->context = g_main_context_ref (context);
  link->self = self;
  link->token = token_new (link, 0, 0);

  return link;
}

/* Main context. Nothing reaches the object any more after this. */
void
_juice_mqtt_link_detach (JuiceMqttLink *link)
{
  link->self = NULL;
  tokens_forget_link (link);
}

/* Any thread: queues @event and wakes the main context once for all that
 * are queued, so they are handled in the order they came. Never calls
 * g_main_context_invoke(): it would run the handler on this thread when the
 * main context happens to be free. */
static void
link_push (JuiceMqttLink  *link,
           JuiceMqttEvent *event)
{
  g_mutex_lock (&link->mutex);
  g_queue_push_tail (&link->events, event);
  if (!link->wakeup_pending)
    {
      GSource *source = g_idle_source_new ();

      link->wakeup_pending = TRUE;
      g_source_set_priority (source, G_PRIORITY_DEFAULT);
      g_source_set_callback (source, link_dispatch, link_ref (link),
                             (GDestroyNotify) _juice_mqtt_link_unref);
      g_source_set_static_name (source, "[juice-mqtt] dispatch");
      g_source_attach (source, link->context);
      g_source_unref (source);
    }
  g_mutex_unlock (&link->mutex);
}

static gboolean
link_dispatch (gpointer data)
{
  JuiceMqttLink *link = data;
  GQueue events;
  JuiceMqttEvent *event;

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

          _juice_mqtt_handle_event (self, event);
        }
      event_free (event);
    }

  return G_SOURCE_REMOVE;
}

static void
on_connection_lost (void *context,
                    char *cause)
{
  g_autoptr(JuiceMqttLink) link = token_lookup (context, FALSE, NULL, NULL);

  if (link != NULL)
    link_push (link, event_new (JUICE_MQTT_EVENT_CONNECTION_LOST));
}

static int
on_message_arrived (void              *context,
                    char              *topic_name,
                    int                topic_len,
                    MQTTAsync_message *message)
{
  g_autoptr(JuiceMqttLink) link = token_lookup (context, FALSE, NULL, NULL);

  if (link != NULL)
    {
      gsize length = topic_len > 0 ? (gsize) topic_len : strlen (topic_name);
      gboolean topic_ok = memchr (topic_name, '\0', length) == NULL &&
                          g_utf8_validate (topic_name, length, NULL);
      JuiceMqttEvent *event;

      if (!topic_ok || message->payloadlen < 0 || message->payloadlen > JUICE_MQTT_MAX_PAYLOAD)
        {
          event = event_new (JUICE_MQTT_EVENT_DROPPED);
          event->topic = topic_ok ? g_strndup (topic_name, length) : NULL;
          event->size = MAX (message->payloadlen, 0);
        }
      else
        {
          event = event_new (JUICE_MQTT_EVENT_MESSAGE);
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
  g_autoptr(JuiceMqttLink) link = token_lookup (context, TRUE, &tag, NULL);

  if (link != NULL)
    {
      JuiceMqttEvent *event = event_new (JUICE_MQTT_EVENT_CONNECTED);

      event->tag = tag;
      link_push (link, event);
    }
}

static void
on_connect_failure (void                  *context,
                    MQTTAsync_failureData *response)
{
  guint tag = 0;
  g_autoptr(JuiceMqttLink) link = token_lookup (context, TRUE, &tag, NULL);

  if (link != NULL)
    {
      JuiceMqttEvent *event = event_new (JUICE_MQTT_EVENT_CONNECT_FAILED);

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

/* Paho answers a SUBACK that holds one result with onFailure when the
 * broker refused it (code 0x80), and one that holds several with onSuccess
 * and the list of results, refusals (0x80) included. */
static void
on_subscribe_success (void                  *context,
                      MQTTAsync_successData *response)
{
  guint tag = 0, request = 0;
  g_autoptr(JuiceMqttLink) link = token_lookup (context, TRUE, &tag, &request);

  if (link != NULL)
    {
      JuiceMqttEvent *event = event_new (JUICE_MQTT_EVENT_SUBSCRIBED);
      guint n = 0;

      event->tag = tag;
      event->request = request;

      g_mutex_lock (&link->mutex);
      n = GPOINTER_TO_UINT (g_hash_table_lookup (link->requests, GUINT_TO_POINTER (request)));
      g_hash_table_remove (link->requests, GUINT_TO_POINTER (request));
      g_mutex_unlock (&link->mutex);

      /* The list Paho hands over is freed when this returns: copy it. */
      if (response != NULL && n > 1 && response->alt.qosList != NULL)
        {
          event->granted = g_memdup2 (response->alt.qosList, n * sizeof (int));
          event->n_granted = n;
        }
      else if (response != NULL && n == 1)
        {
          event->granted = g_memdup2 (&response->alt.qos, sizeof (int));
          event->n_granted = 1;
        }
      link_push (link, event);
    }
}

static void
on_subscribe_failure (void                  *context,
                      MQTTAsync_failureData *response)
{
  guint tag = 0, request = 0;
  g_autoptr(JuiceMqttLink) link = token_lookup (context, TRUE, &tag, &request);

  if (link != NULL)
    {
      JuiceMqttEvent *event = event_new (JUICE_MQTT_EVENT_SUBSCRIBED);

      g_mutex_lock (&link->mutex);
      g_hash_table_remove (link->requests, GUINT_TO_POINTER (request));
      g_mutex_unlock (&link->mutex);

      event->tag = tag;
      event->request = request;
      event->code = response != NULL ? response->code : MQTTASYNC_FAILURE;
      if (event->code == 0)
        event->code = MQTTASYNC_FAILURE;
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
  g_autoptr(JuiceMqttLink) link = token_lookup (context, FALSE, NULL, NULL);

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

/* Main context: the callbacks that last as long as the client. */
int
_juice_mqtt_link_set_callbacks (JuiceMqttLink *link,
                                MQTTAsync      client)
{
  return MQTTAsync_setCallbacks (client, link->token, on_connection_lost, on_message_arrived,
                                 NULL);
}

/* Main context: the callbacks of connect attempt @attempt, and OpenSSL's
 * errors when @ssl is given. Returns the token: forget it if the attempt
 * cannot start. */
gpointer
_juice_mqtt_link_prepare_connect (JuiceMqttLink            *link,
                                  guint                     attempt,
                                  MQTTAsync_connectOptions *options,
                                  MQTTAsync_SSLOptions     *ssl)
{
  g_mutex_lock (&link->mutex);
  g_clear_pointer (&link->tls_error, g_free);
  g_mutex_unlock (&link->mutex);

  options->onSuccess = on_connect_success;
  options->onFailure = on_connect_failure;
  options->context = token_new (link, attempt, 0);

  if (ssl != NULL)
    {
      ssl->ssl_error_cb = on_ssl_error;
      ssl->ssl_error_context = link->token;
    }

  return options->context;
}

/* Main context: the callbacks of subscribe request @request, of @n_filters
 * filters, sent for @connection. */
gpointer
_juice_mqtt_link_prepare_subscribe (JuiceMqttLink             *link,
                                    guint                      connection,
                                    guint                      request,
                                    guint                      n_filters,
                                    MQTTAsync_responseOptions *response)
{
  g_mutex_lock (&link->mutex);
  g_hash_table_insert (link->requests, GUINT_TO_POINTER (request), GUINT_TO_POINTER (n_filters));
  g_mutex_unlock (&link->mutex);

  response->onSuccess = on_subscribe_success;
  response->onFailure = on_subscribe_failure;
  response->context = token_new (link, connection, request);

  return response->context;
}
