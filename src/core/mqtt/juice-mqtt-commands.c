/* juice-mqtt-commands.c: commands on /set, correlated with set_reply by id
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "juice-mqtt"

#include "config.h"

#include <inttypes.h>
#include <string.h>

#include <glib/gi18n.h>

#include "juice-error.h"
#include "juice-json.h"
#include "juice-mqtt-private.h"
#include "juice-command-builder.h"

#define MAX_REPLY_LENGTH        (64 * 1024)
#define MAX_REPLY_DEPTH         16
#define COMMAND_ID_MIN          100000000u
#define COMMAND_ID_MAX          999999999u

/* What the caller's cancellable leaves for the link's context: it may fire
 * on any thread. Not a GCancellableSource: GLib 2.74 leaks one that is
 * destroyed while another thread cancels. */
typedef struct
{
  gatomicrefcount  ref_count;
  GWeakRef         mqtt;
  GMainContext    *context;
  char            *id;
} CancelNote;

static CancelNote *
cancel_note_ref (CancelNote *note)
{
  g_atomic_ref_count_inc (&note->ref_count);
  return note;
}

static void
cancel_note_unref (gpointer data)
{
  CancelNote *note = data;

  if (!g_atomic_ref_count_dec (&note->ref_count))
    return;

  g_weak_ref_clear (&note->mqtt);
  g_main_context_unref (note->context);
  g_free (note->id);
  g_free (note);
}

/* A command waiting for its set_reply. */
typedef struct
{
  JuiceMqtt    *self;           /* not owned: the table of pending commands is its */
  GTask        *task;
  char         *id;
  char         *serial_number;
  char         *reply_topic;
  char         *set_topic;
  char         *payload;        /* until sent: it waits for the reply topic's SUBACK */
  GSource      *timeout_source;
  GCancellable *cancellable;    /* the caller's, while connected to it */
  gulong        cancelled_id;
  CancelNote   *cancel_note;
} Pending;

static void
pending_free (gpointer data)
{
  Pending *pending = data;

  _juice_mqtt_clear_source (&pending->timeout_source);
  /* Waits for a handler running on another thread: it only queues a note. */
  if (pending->cancellable != NULL)
    g_cancellable_disconnect (pending->cancellable, pending->cancelled_id);
  g_clear_object (&pending->cancellable);
  g_clear_pointer (&pending->cancel_note, cancel_note_unref);
  g_clear_object (&pending->task);
  g_free (pending->id);
  g_free (pending->serial_number);
  g_free (pending->reply_topic);
  g_free (pending->set_topic);
  g_free (pending->payload);
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

void
_juice_mqtt_fail_all_pending (JuiceMqtt  *self,
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

  /* Still waiting for the broker to grant the reply topic: never sent. */
  if (pending->payload != NULL)
    pending_complete (pending->self, pending->id,
                      g_error_new (JUICE_DEVICE_ERROR, JUICE_DEVICE_ERROR_TIMEOUT,
                                   _("The MQTT broker did not answer the subscription to %s in "
                                     "time: the command to %s was not sent"),
                                   pending->reply_topic, pending->serial_number));
  else
    pending_complete (pending->self, pending->id,
                      g_error_new (JUICE_DEVICE_ERROR, JUICE_DEVICE_ERROR_TIMEOUT,
                                   _("%s did not answer the command in time"),
                                   pending->serial_number));

  return G_SOURCE_REMOVE;
}

/* On the link's context. A cancellation is no failure: the caller asked
 * for it. */
static gboolean
cancel_note_dispatch (gpointer user_data)
{
  CancelNote *note = user_data;
  g_autoptr(JuiceMqtt) self = g_weak_ref_get (&note->mqtt);
  Pending *pending;

  /* The command may have ended meanwhile, and its id been used again. */
  if (self != NULL &&
      (pending = g_hash_table_lookup (self->pending, note->id)) != NULL &&
      pending->cancel_note == note)
    pending_complete (self, note->id,
                      g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                           _("The command was cancelled")));

  return G_SOURCE_REMOVE;
}

/* On whichever thread cancelled. */
static void
command_cancelled_cb (GCancellable *cancellable,
                      gpointer      user_data)
{
  CancelNote *note = user_data;
  GSource *idle = g_idle_source_new ();

  g_source_set_priority (idle, G_PRIORITY_DEFAULT);
  g_source_set_callback (idle, cancel_note_dispatch, cancel_note_ref (note), cancel_note_unref);
  g_source_set_static_name (idle, "[juice-mqtt] cancelled");
  g_source_attach (idle, note->context);
  g_source_unref (idle);
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

void
_juice_mqtt_reply_clear (JuiceMqttReply *reply)
{
  g_clear_pointer (&reply->id, g_free);
}

gboolean
_juice_mqtt_parse_reply (const char     *bytes,
                         gsize           size,
                         JuiceMqttReply *reply)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  JsonNode *data;

  memset (reply, 0, sizeof *reply);

  if (bytes != NULL && size > 0)
    root = juice_json_parse (bytes, size, MAX_REPLY_LENGTH, MAX_REPLY_DEPTH, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root) ||
      !(reply->id = reply_id_to_string (json_object_get_member (json_node_get_object (root),
                                                                "id"))))
    return FALSE;

  object = json_node_get_object (root);

  if (json_object_has_member (object, "code"))
    {
      reply->has_code = TRUE;
      if (!juice_json_node_get_int (json_object_get_member (object, "code"), &reply->code))
        reply->code = -1;
    }

  data = json_object_get_member (object, "data");
  if (data != NULL && JSON_NODE_HOLDS_OBJECT (data) &&
      json_object_has_member (json_node_get_object (data), "ack"))
    {
      JsonNode *ack_node = json_object_get_member (json_node_get_object (data), "ack");

      reply->has_ack = TRUE;
      /* A DELTA 2 answers "ack": false for success, true for a refusal. */
      if (JSON_NODE_HOLDS_VALUE (ack_node) && json_node_get_value_type (ack_node) == G_TYPE_BOOLEAN)
        reply->ack = json_node_get_boolean (ack_node) ? 1 : 0;
      else if (!juice_json_node_get_int (ack_node, &reply->ack))
        reply->ack = -1;
    }

  return TRUE;
}

void
_juice_mqtt_handle_reply (JuiceMqtt  *self,
                          const char *topic,
                          GBytes     *payload)
{
  g_auto(JuiceMqttReply) reply = { NULL, };
  const char *id;
  Pending *pending;
  gsize size;
  const char *bytes = g_bytes_get_data (payload, &size);

  if (!_juice_mqtt_parse_reply (bytes, size, &reply) ||
      !(pending = g_hash_table_lookup (self->pending, reply.id)) ||
      strcmp (pending->reply_topic, topic) != 0)
    {
      self->n_unmatched_replies++;
      g_debug ("Ignoring a reply on %s that matches no command of ours (%u so far)",
               topic, self->n_unmatched_replies);
      return;
    }

  id = reply.id;
  g_debug ("Reply to command %s: code %s%" G_GINT64_FORMAT ", ack %s%" G_GINT64_FORMAT,
           id, reply.has_code ? "" : "(none) ", reply.code, reply.has_ack ? "" : "(none) ",
           reply.ack);

  if (reply.has_code && reply.code != 0)
    pending_complete (self, id,
                      g_error_new (JUICE_DEVICE_ERROR, JUICE_DEVICE_ERROR_REFUSED,
                                   _("%s refused the command (code %" PRId64 ")"),
                                   pending->serial_number, reply.code));
  else if (reply.has_ack && reply.ack != 0)
    pending_complete (self, id,
                      g_error_new (JUICE_DEVICE_ERROR, JUICE_DEVICE_ERROR_REFUSED,
                                   _("%s refused the command (ack %" PRId64 ")"),
                                   pending->serial_number, reply.ack));
  else if (!reply.has_ack && !reply.has_code)
    pending_complete (self, id,
                      g_error_new (JUICE_DEVICE_ERROR, JUICE_DEVICE_ERROR_REFUSED,
                                   _("%s answered the command without an acknowledgement"),
                                   pending->serial_number));
  else
    pending_complete (self, id, NULL);
}

/* A topic level as the account or a serial number: no separator, no wildcard. */
static gboolean
is_topic_level (const char *str)
{
  return str != NULL && *str != '\0' && g_utf8_validate (str, -1, NULL) &&
         strpbrk (str, "/+#") == NULL;
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
               JsonObject *command)
{
  /* The product's dialect decides the message: juice-command-builder.h */
  g_autoptr(JsonObject) root = juice_command_wrap_mqtt (command, id, g_get_real_time () / 1000);
  g_autoptr(JsonNode) node = json_node_alloc ();

  json_node_init_object (node, root);

  return json_to_string (node, FALSE);
}

static GError *
new_refused_error (Pending *pending)
{
  return g_error_new (JUICE_MQTT_ERROR, JUICE_MQTT_ERROR_SUBSCRIPTION_REFUSED,
                      _("The MQTT broker refused the subscription to %s: the answer of %s "
                        "cannot arrive, so the command was not sent"),
                      pending->reply_topic, pending->serial_number);
}

/* Publishes @pending's command: FALSE with @error set when it cannot go out. */
static gboolean
pending_send (JuiceMqtt  *self,
              Pending    *pending,
              GError    **error)
{
  if (!juice_mqtt_publish (self, pending->set_topic, pending->payload, strlen (pending->payload),
                           error))
    return FALSE;

  g_debug ("Sent command %s to %s", pending->id, pending->serial_number);
  g_clear_pointer (&pending->payload, g_free);

  return TRUE;
}

/* What the reply topic's subscription says about sending @pending now:
 * TRUE to send, FALSE with *@error NULL to wait for a SUBACK, FALSE with
 * *@error set when its answer cannot arrive. */
static gboolean
pending_can_send (JuiceMqtt  *self,
                  Pending    *pending,
                  GError    **error)
{
  if (_juice_mqtt_is_covered (self, pending->reply_topic, JUICE_MQTT_FILTER_GRANTED))
    return TRUE;

  if (_juice_mqtt_is_covered (self, pending->reply_topic, JUICE_MQTT_FILTER_PENDING))
    return FALSE;

  switch (_juice_mqtt_get_filter_status (self, pending->reply_topic))
    {
    case JUICE_MQTT_FILTER_REFUSED:
      *error = new_refused_error (pending);
      break;
    case JUICE_MQTT_FILTER_FAILED:
      *error = g_error_new (G_IO_ERROR, G_IO_ERROR_FAILED,
                            _("Could not subscribe to %s: the command to %s was not sent"),
                            pending->reply_topic, pending->serial_number);
      break;
    default:
      /* Not asked for yet (or only wider filters the broker refused): ask.
       * Asked for, but never sent: the connection is going away. */
      if (!_juice_mqtt_has_subscription (self, pending->reply_topic, NULL))
        juice_mqtt_subscribe (self, pending->reply_topic);
    }

  return FALSE;
}

void
_juice_mqtt_commands_update (JuiceMqtt *self)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, self->pending);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (((Pending *) value)->payload != NULL)
      g_ptr_array_add (ids, g_strdup (key));

  for (guint i = 0; i < ids->len; i++)
    {
      const char *id = g_ptr_array_index (ids, i);
      GError *error = NULL;
      Pending *pending;

      /* Completing one runs its callback, which may stop the link. */
      if (self->state != JUICE_MQTT_STATE_CONNECTED)
        return;
      if (!(pending = g_hash_table_lookup (self->pending, id)) || pending->payload == NULL)
        continue;

      if (pending_can_send (self, pending, &error))
        pending_send (self, pending, &error);
      if (error != NULL)
        pending_complete (self, id, error);
    }
}

void
_juice_mqtt_commands_init (JuiceMqtt *self)
{
  self->pending = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, pending_free);
  self->next_command_id = (guint) g_random_int_range (COMMAND_ID_MIN, COMMAND_ID_MAX);
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
  pending->set_topic = g_strdup_printf ("/open/%s/%s/set", account, serial_number);
  pending->payload = build_command (pending->id, params);

  /* Sent once the reply topic is subscribed: an answer nobody can hear
   * would only end in a timeout. */
  if (pending_can_send (self, pending, &error))
    pending_send (self, pending, &error);
  if (error != NULL)
    {
      pending_free (pending);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  pending->task = g_steal_pointer (&task);
  pending->timeout_source = _juice_mqtt_add_timeout (self, timeout_ms, pending_timeout_cb, pending);
  g_hash_table_insert (self->pending, pending->id, pending);

  if (cancellable != NULL)
    {
      CancelNote *note = g_new0 (CancelNote, 1);

      g_atomic_ref_count_init (&note->ref_count);
      g_weak_ref_init (&note->mqtt, self);
      note->context = g_main_context_ref (self->context);
      note->id = g_strdup (pending->id);
      pending->cancel_note = note;
      pending->cancellable = g_object_ref (cancellable);
      /* Already cancelled by now: runs at once, and the note is queued. */
      pending->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (command_cancelled_cb),
                                                     cancel_note_ref (note), cancel_note_unref);
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
