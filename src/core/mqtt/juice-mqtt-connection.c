/* juice-mqtt-connection.c: attempts, backoff, and what Paho reported
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "juice-mqtt"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "juice-mqtt-private.h"

#define CONNECT_TIMEOUT_SECONDS 10
#define BACKOFF_FIRST_MS        500.0
#define BACKOFF_MAX_MS          60000.0
#define BACKOFF_JITTER          0.2
#define CERT_VERIFY_FAILED      "certificate verify failed"

static void
clear_retry (JuiceMqtt *self)
{
  _juice_mqtt_clear_source (&self->retry_source);
  _juice_mqtt_clear_source (&self->countdown_source);
  self->retry_at = 0;
}

void
_juice_mqtt_teardown_client (JuiceMqtt *self)
{
  clear_retry (self);

  if (self->link != NULL)
    {
      _juice_mqtt_link_detach (self->link);
      g_clear_pointer (&self->link, _juice_mqtt_link_unref);
    }

  /* Sends DISCONNECT when connected. Paho's callbacks still on their way
   * find their tokens forgotten. */
  if (self->client != NULL)
    MQTTAsync_destroy (&self->client);
  self->client = NULL;

  g_hash_table_remove_all (self->filter_status);
  g_hash_table_remove_all (self->requests);
  _juice_mqtt_trust_clear (self);
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

  _juice_mqtt_teardown_client (self);
  set_error (self, error);
  g_free (self->failure_reason);
  self->failure_reason = g_strdup (reason);
  _juice_mqtt_set_state (self, JUICE_MQTT_STATE_FAILED, 0);
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
  _juice_mqtt_connect_now (self);

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

  _juice_mqtt_set_state (self, JUICE_MQTT_STATE_RECONNECTING, seconds);
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
  self->retry_source = _juice_mqtt_add_timeout (self, (guint) delay_ms, retry_cb, self);

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
  _juice_mqtt_set_state (self, JUICE_MQTT_STATE_RECONNECTING, seconds_until_retry (self));
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
      _juice_mqtt_emit_auth_failed (self);
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

void
_juice_mqtt_connect_now (JuiceMqtt *self)
{
  MQTTAsync_connectOptions options = MQTTAsync_connectOptions_initializer;
  MQTTAsync_SSLOptions ssl = MQTTAsync_SSLOptions_initializer;
  gpointer token;
  int rc;

  g_assert (self->client != NULL);
  g_assert (self->link != NULL);

  clear_retry (self);
  self->attempt++;

  options.keepAliveInterval = JUICE_MQTT_KEEPALIVE_SECONDS;
  options.cleansession = 1;
  options.username = self->user;
  options.password = self->password;
  options.connectTimeout = CONNECT_TIMEOUT_SECONDS;
  options.retryInterval = 0;
  options.MQTTVersion = MQTTVERSION_3_1_1;
  options.automaticReconnect = 0;   /* our own backoff, with jitter */

  if (self->tls)
    {
      ssl.enableServerCertAuth = 1;
      ssl.verify = 1;               /* the host name too */
      /* Both NULL: Paho asks OpenSSL for the system's trust alone. */
      ssl.trustStore = self->trust_bundle;
      ssl.CApath = self->trust_dir;
      options.ssl = &ssl;
    }

  token = _juice_mqtt_link_prepare_connect (self->link, self->attempt, &options,
                                            self->tls ? &ssl : NULL);

  g_debug ("%s: attempt %u to %s:%u", self->client_id, self->attempt, self->host, self->port);
  _juice_mqtt_set_state (self, JUICE_MQTT_STATE_CONNECTING, 0);

  /* Paho copies the options, the password included. */
  rc = MQTTAsync_connect (self->client, &options);
  if (rc != MQTTASYNC_SUCCESS)
    {
      _juice_mqtt_link_forget (token);
      connect_failed (self, rc, MQTTAsync_strerror (rc), NULL);
    }
}

static void
resubscribe (JuiceMqtt *self)
{
  self->resubscribe_request = 0;

  if (self->subscriptions->len == 0)
    {
      _juice_mqtt_emit_connected (self);
      return;
    }

  /* On failure the connection is going away: its loss will be reported. */
  _juice_mqtt_send_subscribe (self, (char * const *) self->subscriptions->pdata,
                              self->subscriptions->len, &self->resubscribe_request);
}

void
_juice_mqtt_handle_event (JuiceMqtt      *self,
                          JuiceMqttEvent *event)
{
  guint n_sockets;

  switch (event->kind)
    {
    case JUICE_MQTT_EVENT_CONNECTED:
      if (event->tag != self->attempt || self->state != JUICE_MQTT_STATE_CONNECTING)
        break;
      n_sockets = _juice_mqtt_disable_nagle (self->port);
      g_debug ("%s: connected to %s:%u (%u sockets to that port sending at once)",
               self->client_id, self->host, self->port, n_sockets);
      self->backoff_step = 0;
      self->connection++;
      g_hash_table_remove_all (self->filter_status);
      g_hash_table_remove_all (self->requests);
      g_clear_error (&self->error);
      _juice_mqtt_set_state (self, JUICE_MQTT_STATE_CONNECTED, 0);
      resubscribe (self);
      break;

    case JUICE_MQTT_EVENT_CONNECT_FAILED:
      if (event->tag != self->attempt || self->state != JUICE_MQTT_STATE_CONNECTING)
        break;
      connect_failed (self, event->code, event->text, event->tls_error);
      break;

    case JUICE_MQTT_EVENT_CONNECTION_LOST:
      if (self->state != JUICE_MQTT_STATE_CONNECTED)
        break;
      g_debug ("%s: connection lost", self->client_id);
      g_hash_table_remove_all (self->filter_status);
      g_hash_table_remove_all (self->requests);
      set_error (self, g_error_new (JUICE_MQTT_ERROR, JUICE_MQTT_ERROR_CONNECT,
                                    _("The connection to the MQTT broker at %s:%u was lost"),
                                    self->host, self->port));
      schedule_retry (self);
      _juice_mqtt_fail_all_pending (self, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED,
                        _("The connection to the MQTT broker was lost before the device answered"));
      break;

    case JUICE_MQTT_EVENT_SUBSCRIBED:
      _juice_mqtt_handle_suback (self, event);
      break;

    case JUICE_MQTT_EVENT_MESSAGE:
      if (g_str_has_suffix (event->topic, "/set_reply"))
        _juice_mqtt_handle_reply (self, event->topic, event->payload);
      _juice_mqtt_emit_message (self, event->topic, event->payload);
      break;

    case JUICE_MQTT_EVENT_DROPPED:
      self->n_dropped++;
      g_debug ("Dropped a message of %" G_GSIZE_FORMAT " bytes on %s (%u so far)",
               event->size, event->topic ? event->topic : "a topic that is not UTF-8",
               self->n_dropped);
      break;

    default:
      g_assert_not_reached ();
    }
}
