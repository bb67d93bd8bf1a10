/* juice-mqtt.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "juice-mqtt"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "juice-mqtt-private.h"
#include "juice-secure-util.h"

#define MAX_BUFFERED_MESSAGES   1000      /* published, not yet written out */

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
  SUBSCRIPTION_FAILED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

GSource *
_juice_mqtt_add_timeout (JuiceMqtt   *self,
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

void
_juice_mqtt_clear_source (GSource **source)
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
      {
        g_autoptr(GPtrArray) refused = _juice_mqtt_collect_refused (self);

        if (refused->len == 0)
          return g_strdup (_("Connected"));
        if (refused->len == 1)
          /* Translators: %s is an MQTT topic filter such as /open/account/serial/quota */
          return g_strdup_printf (_("Connected, but the broker refused the subscription to %s"),
                                  (const char *) g_ptr_array_index (refused, 0));
        return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "Connected, but the broker refused the subscription "
                                             "to %s and %u other",
                                             "Connected, but the broker refused the subscription "
                                             "to %s and %u others",
                                             refused->len - 1),
                                (const char *) g_ptr_array_index (refused, 0), refused->len - 1);
      }
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

void
_juice_mqtt_set_state (JuiceMqtt      *self,
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

void
_juice_mqtt_update_state_text (JuiceMqtt *self)
{
  _juice_mqtt_set_state (self, self->state, self->retry_seconds);
}

void
_juice_mqtt_emit_message (JuiceMqtt  *self,
                          const char *topic,
                          GBytes     *payload)
{
  g_signal_emit (self, signals[MESSAGE], 0, topic, payload);
}

void
_juice_mqtt_emit_connected (JuiceMqtt *self)
{
  g_signal_emit (self, signals[CONNECTED], 0);
}

void
_juice_mqtt_emit_auth_failed (JuiceMqtt *self)
{
  g_signal_emit (self, signals[AUTH_FAILED], 0);
}

void
_juice_mqtt_emit_subscription_failed (JuiceMqtt    *self,
                                      const char   *topic_filter,
                                      const GError *error)
{
  g_signal_emit (self, signals[SUBSCRIPTION_FAILED], 0, topic_filter, error);
}

/* Checks -------------------------------------------------------------------- */

static gboolean
is_valid_topic (const char *topic)
{
  return topic != NULL && *topic != '\0' && strlen (topic) <= 65535 &&
         g_utf8_validate (topic, -1, NULL) && strpbrk (topic, "+#") == NULL;
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

  if (!self->tls && !juice_host_is_loopback (host))
    {
      g_set_error (error, JUICE_MQTT_ERROR, JUICE_MQTT_ERROR_INVALID_CONFIG,
                   _("MQTT without TLS is allowed only to this computer, not to %s"), host);
      return NULL;
    }

  if (strchr (host, ':') != NULL)
    return g_strdup_printf ("%s://[%s]:%u", self->tls ? "ssl" : "tcp", host, self->port);

  return g_strdup_printf ("%s://%s:%u", self->tls ? "ssl" : "tcp", host, self->port);
}

/* GObject ---------------------------------------------------------------- */

static void
juice_mqtt_dispose (GObject *object)
{
  JuiceMqtt *self = (JuiceMqtt *)object;

  _juice_mqtt_teardown_client (self);
  _juice_mqtt_fail_all_pending (self, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                _("The MQTT link was closed"));

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
  juice_wipe_string (&self->password);
  g_clear_pointer (&self->subscriptions, g_ptr_array_unref);
  g_clear_pointer (&self->pending, g_hash_table_unref);
  g_clear_pointer (&self->filter_status, g_hash_table_unref);
  g_clear_pointer (&self->requests, g_hash_table_unref);
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

  /**
   * JuiceMqtt::subscription-failed:
   * @topic_filter: the filter the broker refused
   * @error: why, in JUICE_MQTT_ERROR_SUBSCRIPTION_REFUSED
   *
   * The broker refused a subscription (it is outside what the account may
   * read): nothing will arrive on it. "state-text" says so while connected.
   * The link asks again after every reconnect.
   */
  signals[SUBSCRIPTION_FAILED] =
    g_signal_new ("subscription-failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                  G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE,
                  G_TYPE_ERROR | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
juice_mqtt_init (JuiceMqtt *self)
{
  self->context = g_main_context_ref_thread_default ();
  self->port = 8883;
  self->tls = TRUE;
  self->subscriptions = g_ptr_array_new_with_free_func (g_free);
  self->filter_status = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->requests = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_strfreev);
  _juice_mqtt_commands_init (self);
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

  juice_wipe_string (&self->password);
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

  if (!_juice_mqtt_is_valid_client_id (self->client_id))
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

  if (self->tls && self->ca_file != NULL && !_juice_mqtt_check_ca_file (self->ca_file, error))
    return FALSE;

  _juice_mqtt_teardown_client (self);

  if (!_juice_mqtt_trust_prepare (self, error))
    {
      _juice_mqtt_set_state (self, JUICE_MQTT_STATE_DISCONNECTED, 0);
      return FALSE;
    }

  create_options.MQTTVersion = MQTTVERSION_3_1_1;
  create_options.sendWhileDisconnected = 0;
  create_options.maxBufferedMessages = MAX_BUFFERED_MESSAGES;
  rc = MQTTAsync_createWithOptions (&client, uri, self->client_id, MQTTCLIENT_PERSISTENCE_NONE,
                                    NULL, &create_options);
  if (rc != MQTTASYNC_SUCCESS)
    {
      if (client != NULL)
        MQTTAsync_destroy (&client);
      g_set_error (error, JUICE_MQTT_ERROR, JUICE_MQTT_ERROR_INVALID_CONFIG,
                   _("Cannot create the MQTT client: %s"), MQTTAsync_strerror (rc));
      _juice_mqtt_set_state (self, JUICE_MQTT_STATE_DISCONNECTED, 0);
      return FALSE;
    }

  self->client = client;
  self->link = _juice_mqtt_link_new (self, self->context);

  rc = _juice_mqtt_link_set_callbacks (self->link, client);
  if (rc != MQTTASYNC_SUCCESS)
    {
      _juice_mqtt_teardown_client (self);
      g_set_error (error, JUICE_MQTT_ERROR, JUICE_MQTT_ERROR_INVALID_CONFIG,
                   _("Cannot create the MQTT client: %s"), MQTTAsync_strerror (rc));
      _juice_mqtt_set_state (self, JUICE_MQTT_STATE_DISCONNECTED, 0);
      return FALSE;
    }

  self->backoff_step = 0;
  g_clear_error (&self->error);
  g_clear_pointer (&self->failure_reason, g_free);

  _juice_mqtt_connect_now (self);

  return TRUE;
}

void
juice_mqtt_stop (JuiceMqtt *self)
{
  g_return_if_fail (JUICE_IS_MQTT (self));

  _juice_mqtt_teardown_client (self);
  _juice_mqtt_set_state (self, JUICE_MQTT_STATE_DISCONNECTED, 0);
  _juice_mqtt_fail_all_pending (self, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                _("The MQTT link was stopped"));
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
                   _("Cannot publish %zu bytes to “%s”"), length, topic);
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
  message.qos = JUICE_MQTT_QOS;
  message.retained = 0;

  rc = MQTTAsync_sendMessage (self->client, topic, &message, NULL);
  if (rc != MQTTASYNC_SUCCESS)
    {
      int code = rc == MQTTASYNC_MAX_BUFFERED_MESSAGES ? G_IO_ERROR_WOULD_BLOCK : G_IO_ERROR_FAILED;

      g_set_error (error, G_IO_ERROR, code,
                   _("Could not publish to the MQTT broker: %s"), MQTTAsync_strerror (rc));
      return FALSE;
    }

  return TRUE;
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
