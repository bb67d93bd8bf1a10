/* juice-mqtt-subscriptions.c: topic filters, and what the broker answered
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every filter is remembered and subscribed again after each reconnect. The
 * broker's SUBACK says, per filter, whether it granted it or refused it
 * (0x80: outside the account's ACL); a refusal is told ("subscription-
 * failed", state-text), and commands wait for their reply topic's answer.
 */

#define G_LOG_DOMAIN "juice-mqtt"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "juice-mqtt-private.h"

JuiceMqttFilterStatus
_juice_mqtt_get_filter_status (JuiceMqtt  *self,
                               const char *filter)
{
  return GPOINTER_TO_INT (g_hash_table_lookup (self->filter_status, filter));
}

/* The refused filters, in the order they were subscribed. */
GPtrArray *
_juice_mqtt_collect_refused (JuiceMqtt *self)
{
  GPtrArray *refused = g_ptr_array_new ();

  for (guint i = 0; i < self->subscriptions->len; i++)
    {
      const char *filter = g_ptr_array_index (self->subscriptions, i);

      if (_juice_mqtt_get_filter_status (self, filter) == JUICE_MQTT_FILTER_REFUSED)
        g_ptr_array_add (refused, (gpointer) filter);
    }

  return refused;
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

gboolean
_juice_mqtt_is_covered (JuiceMqtt             *self,
                        const char            *topic,
                        JuiceMqttFilterStatus  status)
{
  for (guint i = 0; i < self->subscriptions->len; i++)
    {
      const char *filter = g_ptr_array_index (self->subscriptions, i);

      if (_juice_mqtt_get_filter_status (self, filter) == status &&
          juice_mqtt_topic_matches (filter, topic))
        return TRUE;
    }

  return FALSE;
}

gboolean
_juice_mqtt_send_subscribe (JuiceMqtt    *self,
                            char * const *filters,
                            guint         n_filters,
                            guint        *request)
{
  /* @filters need not end with NULL: the list of subscriptions does not. */
  MQTTAsync_responseOptions response = MQTTAsync_responseOptions_initializer;
  g_autofree int *qos = g_new (int, n_filters);
  char **copy;
  gpointer token;
  int rc;

  g_assert (n_filters > 0);

  for (guint i = 0; i < n_filters; i++)
    qos[i] = JUICE_MQTT_QOS;

  if (++self->next_request == 0)
    self->next_request = 1;
  token = _juice_mqtt_link_prepare_subscribe (self->link, self->connection, self->next_request,
                                              n_filters, &response);

  rc = MQTTAsync_subscribeMany (self->client, (int) n_filters, filters, qos, &response);
  if (rc != MQTTASYNC_SUCCESS)
    {
      /* The connection is going away: its loss will be reported. */
      _juice_mqtt_link_forget (token);
      g_debug ("%s: could not subscribe: %s", self->client_id, MQTTAsync_strerror (rc));
      return FALSE;
    }

  for (guint i = 0; i < n_filters; i++)
    g_hash_table_insert (self->filter_status, g_strdup (filters[i]),
                         GINT_TO_POINTER (JUICE_MQTT_FILTER_PENDING));
  copy = g_new0 (char *, n_filters + 1);
  for (guint i = 0; i < n_filters; i++)
    copy[i] = g_strdup (filters[i]);
  g_hash_table_insert (self->requests, GUINT_TO_POINTER (self->next_request), copy);
  if (request != NULL)
    *request = self->next_request;

  return TRUE;
}

void
_juice_mqtt_handle_suback (JuiceMqtt      *self,
                           JuiceMqttEvent *event)
{
  g_auto(GStrv) filters = NULL;
  g_autoptr(GPtrArray) newly_refused = g_ptr_array_new ();
  gboolean resubscribed = event->request == self->resubscribe_request;

  if (!g_hash_table_steal_extended (self->requests, GUINT_TO_POINTER (event->request), NULL,
                                    (gpointer *) &filters) ||
      event->tag != self->connection || self->state != JUICE_MQTT_STATE_CONNECTED)
    return;

  for (guint i = 0; filters[i] != NULL; i++)
    {
      JuiceMqttFilterStatus status;

      if (event->granted != NULL && i < event->n_granted)
        status = event->granted[i] == MQTT_BAD_SUBSCRIBE ? JUICE_MQTT_FILTER_REFUSED
                                                         : JUICE_MQTT_FILTER_GRANTED;
      else if (event->granted == NULL && event->code == MQTT_BAD_SUBSCRIBE)
        status = JUICE_MQTT_FILTER_REFUSED;
      else
        status = JUICE_MQTT_FILTER_FAILED;

      /* Unsubscribed meanwhile: nothing to tell. */
      if (_juice_mqtt_get_filter_status (self, filters[i]) != JUICE_MQTT_FILTER_PENDING)
        continue;

      g_hash_table_insert (self->filter_status, g_strdup (filters[i]), GINT_TO_POINTER (status));
      if (status == JUICE_MQTT_FILTER_REFUSED)
        g_ptr_array_add (newly_refused, filters[i]);
      else if (status == JUICE_MQTT_FILTER_FAILED)
        g_debug ("%s: subscribing to %s failed: %d", self->client_id, filters[i], event->code);
    }

  _juice_mqtt_update_state_text (self);

  for (guint i = 0; i < newly_refused->len; i++)
    {
      const char *filter = g_ptr_array_index (newly_refused, i);
      g_autoptr(GError) error = g_error_new (JUICE_MQTT_ERROR, JUICE_MQTT_ERROR_SUBSCRIPTION_REFUSED,
                                             _("The MQTT broker refused the subscription to %s"),
                                             filter);

      g_debug ("%s: %s", self->client_id, error->message);
      _juice_mqtt_emit_subscription_failed (self, filter, error);
      /* A handler may have stopped the link. */
      if (self->state != JUICE_MQTT_STATE_CONNECTED || event->tag != self->connection)
        return;
    }

  _juice_mqtt_commands_update (self);

  if (resubscribed && self->state == JUICE_MQTT_STATE_CONNECTED && event->tag == self->connection)
    _juice_mqtt_emit_connected (self);
}

gboolean
_juice_mqtt_has_subscription (JuiceMqtt  *self,
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
  g_return_if_fail (JUICE_IS_MQTT (self));
  g_return_if_fail (is_valid_filter (topic_filter));

  if (_juice_mqtt_has_subscription (self, topic_filter, NULL))
    return;

  g_ptr_array_add (self->subscriptions, g_strdup (topic_filter));

  if (self->state == JUICE_MQTT_STATE_CONNECTED)
    {
      char *filters[] = { (char *) topic_filter, NULL };

      _juice_mqtt_send_subscribe (self, filters, 1, NULL);
    }
}

void
juice_mqtt_unsubscribe (JuiceMqtt  *self,
                        const char *topic_filter)
{
  guint index;

  g_return_if_fail (JUICE_IS_MQTT (self));
  g_return_if_fail (topic_filter != NULL);

  if (!_juice_mqtt_has_subscription (self, topic_filter, &index))
    return;

  if (self->state == JUICE_MQTT_STATE_CONNECTED)
    MQTTAsync_unsubscribe (self->client, topic_filter, NULL);

  g_hash_table_remove (self->filter_status, topic_filter);
  g_ptr_array_remove_index (self->subscriptions, index);

  _juice_mqtt_update_state_text (self);
  _juice_mqtt_commands_update (self);
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
