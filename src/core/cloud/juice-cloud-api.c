/* juice-cloud-api.c: the calls of EcoFlow's IoT Open API, and their answers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
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

  _juice_cloud_call (self, SOUP_METHOD_GET, "/iot-open/sign/certification", NULL, NULL, TRUE,
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

  _juice_cloud_call (self, SOUP_METHOD_GET, "/iot-open/sign/device/list", NULL, NULL, TRUE,
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
  _juice_cloud_call (self, SOUP_METHOD_GET, "/iot-open/sign/device/quota/all", query, NULL,
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
  _juice_cloud_call (self, SOUP_METHOD_POST, "/iot-open/sign/device/quota", NULL, body, TRUE,
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

  _juice_cloud_call (self, SOUP_METHOD_PUT, "/iot-open/sign/device/quota", NULL, body, FALSE,
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

/* For tests and fuzzers (juice-cloud-private.h) */

static JuiceCloudParseFunc
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

  return _juice_cloud_read_envelope (self, "answer", body != NULL ? body : "", length,
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
