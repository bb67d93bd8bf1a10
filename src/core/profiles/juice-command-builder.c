/* juice-command-builder.c: commands in each product's dialect
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "juice-command"

#include <inttypes.h>
#include <string.h>

#include <glib/gi18n.h>

#include "juice-command-builder.h"
#include "juice-error.h"
#include "juice-json.h"

#define MAX_OPERATE_TYPE_LENGTH 64

static gboolean
companion_resendable (const JuiceSettingInfo *setting,
                      gint64                  companion)
{
  gint64 max = setting->companion_max > 0 ? setting->companion_max : 1;

  return companion >= 0 && companion <= max;
}

/**
 * juice_setting_info_build_command:
 * @companion: (nullable): the companion's readback, %NULL when unknown
 *
 * AC output and X-Boost share DELTA Pro command 66, and the device applies
 * both of its parameters: whatever goes in the companion's place is a change
 * too. So the companion is resent exactly as the device reports it when
 * that is a value it can hold (0 or 1 for a switch; up to companion_max).
 * Any other readback (0xff, "ignored" on the API page, or one not known
 * yet) must not be guessed at: the old `other ? 1 : 0` turned X-Boost on
 * when AC output was toggled on a device reporting 0xff. Then the
 * documented "leave it as it is" value goes out (X-Boost: 0xff); a
 * companion without one (AC output has none) is an error rather than a
 * guess.
 *
 * DELTA 2 settings carry their "leave it as it is" values as fixed fields
 * instead (see juice-device-profile-delta-2.c for why acOutCfg sends
 * keep-values rather than readbacks).
 *
 * Returns: (transfer full): the command, or %NULL with @error set.
 */
JsonObject *
juice_setting_info_build_command (const JuiceSettingInfo  *setting,
                                  gint64                   value,
                                  const gint64            *companion,
                                  GError                 **error)
{
  g_autoptr(JsonObject) params = NULL;

  g_return_val_if_fail (setting != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!juice_setting_info_validate (setting, value, error))
    return NULL;

  params = json_object_new ();
  if (setting->operate_type == NULL)
    {
      json_object_set_int_member (params, "cmdSet", setting->cmd_set);
      json_object_set_int_member (params, "id", setting->cmd_id);
    }
  json_object_set_int_member (params, setting->param, value);

  for (const JuiceCommandField *f = setting->fixed; f != NULL && f->param != NULL; f++)
    json_object_set_int_member (params, f->param, f->value);

  if (setting->companion_param != NULL)
    {
      if (companion != NULL && companion_resendable (setting, *companion))
        json_object_set_int_member (params, setting->companion_param, *companion);
      else if (setting->has_companion_keep)
        json_object_set_int_member (params, setting->companion_param, setting->companion_keep);
      else
        {
          if (companion != NULL)
            g_set_error (error, JUICE_DEVICE_ERROR, JUICE_DEVICE_ERROR_INVALID_VALUE,
                         _("%s reports %" PRId64 ", which cannot be sent back "
                           "unchanged with %s"),
                         setting->companion_key, *companion, setting->name);
          else
            g_set_error (error, JUICE_DEVICE_ERROR, JUICE_DEVICE_ERROR_INVALID_VALUE,
                         _("The current value of %s is not known yet"),
                         setting->companion_key);
          return NULL;
        }
    }

  if (setting->operate_type != NULL)
    {
      JsonObject *command = json_object_new ();

      json_object_set_int_member (command, "moduleType", setting->module_type);
      json_object_set_string_member (command, "operateType", setting->operate_type);
      json_object_set_object_member (command, "params", g_steal_pointer (&params));
      return command;
    }

  return g_steal_pointer (&params);
}

gboolean
juice_command_is_operate_type (JsonObject *command)
{
  JsonNode *params;

  g_return_val_if_fail (command != NULL, FALSE);

  params = json_object_get_member (command, "params");

  return json_object_has_member (command, "moduleType") &&
         json_object_has_member (command, "operateType") &&
         params != NULL && JSON_NODE_HOLDS_OBJECT (params);
}

static void
copy_member (JsonObject *to,
             JsonObject *from,
             const char *name)
{
  JsonNode *node = json_object_get_member (from, name);

  if (node != NULL)
    json_object_set_member (to, name, json_node_copy (node));
}

JsonObject *
juice_command_wrap_http (JsonObject *command,
                         const char *serial_number,
                         gint64      request_id)
{
  JsonObject *body = json_object_new ();

  g_return_val_if_fail (command != NULL, body);
  g_return_val_if_fail (serial_number != NULL, body);

  if (juice_command_is_operate_type (command))
    {
      /* As the DELTA 2's HTTP example: id, version, sn, moduleType,
       * operateType, params. */
      json_object_set_int_member (body, "id", request_id);
      json_object_set_string_member (body, "version", "1.0");
      json_object_set_string_member (body, "sn", serial_number);
      copy_member (body, command, "moduleType");
      copy_member (body, command, "operateType");
      copy_member (body, command, "params");
    }
  else
    {
      json_object_set_string_member (body, "sn", serial_number);
      json_object_set_object_member (body, "params", json_object_ref (command));
    }

  return body;
}

JsonObject *
juice_command_wrap_mqtt (JsonObject *command,
                         const char *id,
                         gint64      timestamp_ms)
{
  JsonObject *root = json_object_new ();

  g_return_val_if_fail (command != NULL, root);
  g_return_val_if_fail (id != NULL, root);

  if (juice_command_is_operate_type (command))
    {
      gint64 number;

      /* The topic names the device: no sn. The id as a number, as the
       * spec's example sends it; the reply matches either way. */
      if (g_ascii_string_to_signed (id, 10, 0, G_MAXINT64, &number, NULL))
        json_object_set_int_member (root, "id", number);
      else
        json_object_set_string_member (root, "id", id);
      json_object_set_string_member (root, "version", "1.0");
      copy_member (root, command, "moduleType");
      copy_member (root, command, "operateType");
      copy_member (root, command, "params");
    }
  else
    {
      json_object_set_string_member (root, "id", id);
      json_object_set_string_member (root, "version", "1.0");
      json_object_set_string_member (root, "operateType", "TCP");
      json_object_set_int_member (root, "timestamp", timestamp_ms);
      json_object_set_object_member (root, "params", json_object_ref (command));
    }

  return root;
}

JsonObject *
juice_command_unwrap (JsonObject *message)
{
  JsonNode *params, *operate_type;
  gint64 module_type;

  g_return_val_if_fail (message != NULL, NULL);

  params = json_object_get_member (message, "params");
  if (params == NULL || !JSON_NODE_HOLDS_OBJECT (params))
    return NULL;

  operate_type = json_object_get_member (message, "operateType");

  /* cmdSet commands carry "TCP" as their operateType, or none at all. */
  if (json_object_has_member (message, "moduleType"))
    {
      JsonObject *command;

      if (!juice_json_node_get_int (json_object_get_member (message, "moduleType"), &module_type) ||
          operate_type == NULL || !JSON_NODE_HOLDS_VALUE (operate_type) ||
          json_node_get_value_type (operate_type) != G_TYPE_STRING ||
          json_node_get_string (operate_type)[0] == '\0' ||
          strlen (json_node_get_string (operate_type)) > MAX_OPERATE_TYPE_LENGTH)
        return NULL;

      command = json_object_new ();
      json_object_set_int_member (command, "moduleType", module_type);
      json_object_set_string_member (command, "operateType", json_node_get_string (operate_type));
      json_object_set_member (command, "params", json_node_copy (params));
      return command;
    }

  return json_object_ref (json_node_get_object (params));
}

JsonObject *
juice_command_build_reply (JsonObject *message,
                           gboolean    accepted)
{
  JsonObject *reply = json_object_new ();
  JsonObject *data = json_object_new ();

  g_return_val_if_fail (message != NULL, reply);

  copy_member (reply, message, "id");
  json_object_set_string_member (reply, "version", "1.0");

  if (json_object_has_member (message, "moduleType"))
    {
      /* DELTA 2: ack false is success, a truthy one a refusal. */
      copy_member (reply, message, "moduleType");
      copy_member (reply, message, "operateType");
      json_object_set_boolean_member (data, "ack", !accepted);
    }
  else
    {
      json_object_set_string_member (reply, "operateType", "TCP");
      json_object_set_string_member (reply, "code", "0");
      json_object_set_int_member (data, "ack", accepted ? 0 : 1);
    }
  json_object_set_object_member (reply, "data", data);

  return reply;
}
