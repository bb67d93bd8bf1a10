/* sim-broker-device.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "sim-broker-device"

#include <string.h>

#include "juice-command-builder.h"
#include "juice-report-decoder.h"
#include "juice-json.h"
#include "sim-broker-device.h"

struct _SimBrokerDevice
{
  JuiceSimDevice *sim;
  JuiceMqtt      *mqtt;
  char           *prefix;
  char           *set_topic;
  GHashTable     *commands;       /* command id -> JsonObject params, until replied */
  JsonObject     *last_command;
  gulong          report_id;
  gulong          status_id;
  gulong          reply_id;
  gulong          connected_id;
  gulong          message_id;
  guint           n_connected;
  guint           n_commands;
  guint           n_lost;
  guint           next_message_id;
  gboolean        reply_id_as_number;
  gboolean        drop_replies;
  guint           n_dropped_replies;
};

static gboolean
publish_object (SimBrokerDevice *self,
                const char      *suffix,
                JsonObject      *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);
  g_autofree char *text = json_to_string (node, FALSE);
  g_autoptr(GError) error = NULL;

  if (!sim_broker_device_publish_raw (self, suffix, text, strlen (text), &error))
    {
      self->n_lost++;
      g_debug ("Lost a message to %s%s: %s", self->prefix, suffix, error->message);
      return FALSE;
    }

  return TRUE;
}

static JsonObject *
new_envelope (SimBrokerDevice *self)
{
  JsonObject *object = json_object_new ();

  json_object_set_int_member (object, "id", ++self->next_message_id);
  json_object_set_string_member (object, "version", "1.0");
  json_object_set_int_member (object, "timestamp", g_get_real_time () / 1000);

  return object;
}

static void
on_report (JuiceSimDevice  *sim,
           JsonObject      *params,
           SimBrokerDevice *self)
{
  const JuiceDeviceProfile *profile = juice_sim_device_get_profile (sim);
  g_autoptr(GPtrArray) messages = NULL;

  if (profile->report_groups == NULL)
    {
      g_autoptr(JsonObject) object = new_envelope (self);

      json_object_set_object_member (object, "params", json_object_ref (params));
      publish_object (self, "quota", object);
      return;
    }

  /* DELTA 2: one {"typeCode","params"} message per group, unprefixed keys */
  messages = juice_report_encode (profile, params);
  for (guint i = 0; i < messages->len; i++)
    publish_object (self, "quota", g_ptr_array_index (messages, i));
}

static void
on_status (JuiceSimDevice  *sim,
           gboolean         online,
           SimBrokerDevice *self)
{
  g_autoptr(JsonObject) object = new_envelope (self);
  g_autoptr(JsonObject) params = json_object_new ();

  json_object_set_int_member (params, "status", online ? 1 : 0);
  json_object_set_object_member (object, "params", g_steal_pointer (&params));
  publish_object (self, "status", object);
}

static void
on_reply (JuiceSimDevice  *sim,
          const char      *command_id,
          int              ack,
          SimBrokerDevice *self)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonObject) data = json_object_new ();
  JsonObject *params;
  gint64 number;
  char *end = NULL;

  if (command_id == NULL)
    return;

  /* DELTA 2: the reply echoes the message's id, version, moduleType and
   * operateType, with data.ack false for success. */
  if ((params = g_hash_table_lookup (self->commands, command_id)) != NULL &&
      json_object_has_member (params, "moduleType"))
    {
      g_autoptr(JsonObject) reply = juice_command_build_reply (params, ack == 0);

      g_hash_table_remove (self->commands, command_id);
      if (self->drop_replies)
        self->n_dropped_replies++;
      else
        publish_object (self, "set_reply", reply);
      return;
    }

  number = g_ascii_strtoll (command_id, &end, 10);
  if (self->reply_id_as_number && end != command_id && *end == '\0')
    json_object_set_int_member (object, "id", number);
  else
    json_object_set_string_member (object, "id", command_id);
  json_object_set_string_member (object, "version", "1.0");
  json_object_set_string_member (object, "operateType", "TCP");
  json_object_set_string_member (object, "code", "0");

  if ((params = g_hash_table_lookup (self->commands, command_id)) != NULL)
    {
      if (json_object_has_member (params, "cmdSet"))
        json_object_set_member (data, "cmdSet",
                                json_node_copy (json_object_get_member (params, "cmdSet")));
      if (json_object_has_member (params, "id"))
        json_object_set_member (data, "id",
                                json_node_copy (json_object_get_member (params, "id")));
    }
  json_object_set_int_member (data, "ack", ack);
  json_object_set_object_member (object, "data", g_steal_pointer (&data));

  g_hash_table_remove (self->commands, command_id);

  /* The change is applied and reported; only the reply goes missing. */
  if (self->drop_replies)
    {
      self->n_dropped_replies++;
      return;
    }

  publish_object (self, "set_reply", object);
}

/* The id as the command carried it, as text. */
static char *
id_to_string (JsonNode *node)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;

  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));

  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));

  return NULL;
}

static void
on_message (JuiceMqtt       *mqtt,
            const char      *topic,
            GBytes          *payload,
            SimBrokerDevice *self)
{
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *id = NULL;
  g_autoptr(JsonObject) command = NULL;
  JsonObject *object;
  JsonNode *params;
  gsize length;
  const char *data = g_bytes_get_data (payload, &length);

  if (strcmp (topic, self->set_topic) != 0)
    return;

  self->n_commands++;

  if (data != NULL && length > 0)
    root = juice_json_parse (data, length, 64 * 1024, 16, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return;

  object = json_node_get_object (root);
  params = json_object_get_member (object, "params");
  id = id_to_string (json_object_get_member (object, "id"));
  if (params == NULL || !JSON_NODE_HOLDS_OBJECT (params))
    return;

  g_clear_pointer (&self->last_command, json_object_unref);
  self->last_command = json_object_ref (object);

  command = juice_command_unwrap (object);
  if (command == NULL)
    return;

  /* The cmdSet dialect's reply wants the params, the operateType one the
   * message. */
  if (id != NULL)
    g_hash_table_insert (self->commands, g_strdup (id),
                         json_object_ref (juice_command_is_operate_type (command)
                                            ? object : json_node_get_object (params)));

  if (juice_sim_device_handle_command (self->sim, id, command) < 0 &&
      id != NULL)
    /* Offline: no answer will come. */
    g_hash_table_remove (self->commands, id);
}

static void
on_connected (JuiceMqtt       *mqtt,
              SimBrokerDevice *self)
{
  self->n_connected++;
}

SimBrokerDevice *
sim_broker_device_new (JuiceSimDevice *sim,
                       const char     *host,
                       guint           port,
                       const char     *ca_file,
                       const char     *account,
                       const char     *password)
{
  SimBrokerDevice *self = g_new0 (SimBrokerDevice, 1);
  const char *serial_number = juice_sim_device_get_serial_number (sim);
  g_autofree char *client_id = NULL;

  client_id = g_strdup_printf ("sim-%s-%08x", serial_number, g_random_int ());

  self->sim = g_object_ref (sim);
  self->prefix = g_strdup_printf ("/open/%s/%s/", account, serial_number);
  self->set_topic = g_strconcat (self->prefix, "set", NULL);
  self->commands = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) json_object_unref);
  self->mqtt = juice_mqtt_new (host, port, client_id);
  juice_mqtt_set_ca_file (self->mqtt, ca_file);
  juice_mqtt_set_credentials (self->mqtt, account, password);
  juice_mqtt_subscribe (self->mqtt, self->set_topic);

  self->message_id = g_signal_connect (self->mqtt, "message", G_CALLBACK (on_message), self);
  self->connected_id = g_signal_connect (self->mqtt, "connected", G_CALLBACK (on_connected), self);
  self->report_id = g_signal_connect (sim, "report", G_CALLBACK (on_report), self);
  self->status_id = g_signal_connect (sim, "status", G_CALLBACK (on_status), self);
  self->reply_id = g_signal_connect (sim, "reply", G_CALLBACK (on_reply), self);

  return self;
}

gboolean
sim_broker_device_start (SimBrokerDevice  *self,
                         GError          **error)
{
  return juice_mqtt_start (self->mqtt, error);
}

void
sim_broker_device_free (SimBrokerDevice *self)
{
  if (self == NULL)
    return;

  g_clear_signal_handler (&self->report_id, self->sim);
  g_clear_signal_handler (&self->status_id, self->sim);
  g_clear_signal_handler (&self->reply_id, self->sim);
  g_clear_signal_handler (&self->message_id, self->mqtt);
  g_clear_signal_handler (&self->connected_id, self->mqtt);

  juice_mqtt_stop (self->mqtt);
  g_clear_object (&self->mqtt);
  g_clear_object (&self->sim);
  g_clear_pointer (&self->commands, g_hash_table_unref);
  g_clear_pointer (&self->last_command, json_object_unref);
  g_free (self->prefix);
  g_free (self->set_topic);
  g_free (self);
}

JuiceMqtt *
sim_broker_device_get_mqtt (SimBrokerDevice *self)
{
  return self->mqtt;
}

JuiceSimDevice *
sim_broker_device_get_sim (SimBrokerDevice *self)
{
  return self->sim;
}

const char *
sim_broker_device_get_topic_prefix (SimBrokerDevice *self)
{
  return self->prefix;
}

guint
sim_broker_device_get_n_connected (SimBrokerDevice *self)
{
  return self->n_connected;
}

void
sim_broker_device_set_reply_id_as_number (SimBrokerDevice *self,
                                          gboolean         as_number)
{
  self->reply_id_as_number = !!as_number;
}

guint
sim_broker_device_get_n_commands (SimBrokerDevice *self)
{
  return self->n_commands;
}

JsonObject *
sim_broker_device_get_last_command (SimBrokerDevice *self)
{
  return self->last_command;
}

guint
sim_broker_device_get_n_lost (SimBrokerDevice *self)
{
  return self->n_lost;
}

gboolean
sim_broker_device_publish_raw (SimBrokerDevice  *self,
                               const char       *suffix,
                               gconstpointer     data,
                               gsize             length,
                               GError          **error)
{
  g_autofree char *topic = g_strconcat (self->prefix, suffix, NULL);

  return juice_mqtt_publish (self->mqtt, topic, data, length, error);
}

gboolean
sim_broker_device_publish_reply (SimBrokerDevice  *self,
                                 const char       *id_json,
                                 int               ack,
                                 GError          **error)
{
  g_autofree char *text = NULL;

  text = g_strdup_printf ("{\"id\":%s,\"version\":\"1.0\",\"operateType\":\"TCP\",\"code\":\"0\","
                          "\"data\":{\"cmdSet\":32,\"id\":66,\"ack\":%d}}", id_json, ack);

  return sim_broker_device_publish_raw (self, "set_reply", text, strlen (text), error);
}

void
sim_broker_device_set_drop_replies (SimBrokerDevice *self,
                                    gboolean         drop)
{
  self->drop_replies = !!drop;
}

guint
sim_broker_device_get_n_dropped_replies (SimBrokerDevice *self)
{
  return self->n_dropped_replies;
}
