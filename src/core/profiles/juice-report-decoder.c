/* juice-report-decoder.c: device reports in each product's shape
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "juice-report"

#include <string.h>

#include "juice-report-decoder.h"

#define MAX_TYPE_CODE_LENGTH 64

char *
juice_report_group_prefix (const JuiceDeviceProfile *profile,
                           const char               *type_code)
{
  g_return_val_if_fail (type_code != NULL, NULL);

  if (profile != NULL && profile->report_groups != NULL)
    {
      for (const JuiceReportGroup *g = profile->report_groups; g->type_code != NULL; g++)
        {
          if (strcmp (g->type_code, type_code) == 0)
            return g_strdup (g->prefix);
        }
    }

  return g_strconcat (type_code, ".", NULL);
}

JsonNode *
juice_report_decode (const JuiceDeviceProfile *profile,
                     JsonNode                 *root)
{
  JsonObject *object, *prefixed;
  JsonNode *params, *type_code, *result;
  g_autofree char *prefix = NULL;
  const char *code, *member;
  JsonObjectIter iter;
  JsonNode *value;

  g_return_val_if_fail (root != NULL, NULL);

  if (!JSON_NODE_HOLDS_OBJECT (root))
    return NULL;

  object = json_node_get_object (root);
  params = json_object_get_member (object, "params");
  if (params == NULL)
    return json_node_ref (root);
  if (!JSON_NODE_HOLDS_OBJECT (params))
    return json_node_ref (params);  /* the caller refuses it as not an object */

  type_code = json_object_get_member (object, "typeCode");
  if (type_code == NULL)
    return json_node_ref (params);

  if (!JSON_NODE_HOLDS_VALUE (type_code) ||
      json_node_get_value_type (type_code) != G_TYPE_STRING ||
      (code = json_node_get_string (type_code))[0] == '\0' ||
      strlen (code) > MAX_TYPE_CODE_LENGTH)
    return NULL;

  prefix = juice_report_group_prefix (profile, code);

  prefixed = json_object_new ();
  json_object_iter_init (&iter, json_node_get_object (params));
  while (json_object_iter_next (&iter, &member, &value))
    {
      g_autofree char *key = g_strconcat (prefix, member, NULL);

      json_object_set_member (prefixed, key, json_node_ref (value));
    }

  result = json_node_init_object (json_node_alloc (), prefixed);
  json_object_unref (prefixed);

  return result;
}

GPtrArray *
juice_report_encode (const JuiceDeviceProfile *profile,
                     JsonObject               *flat)
{
  GPtrArray *messages = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(GHashTable) groups = g_hash_table_new (g_str_hash, g_str_equal);
  JsonObject *ungrouped = NULL;
  JsonObjectIter iter;
  const char *member;
  JsonNode *value;

  g_return_val_if_fail (flat != NULL, messages);

  json_object_iter_init (&iter, flat);
  while (json_object_iter_next (&iter, &member, &value))
    {
      const JuiceReportGroup *group = NULL;

      for (const JuiceReportGroup *g = profile ? profile->report_groups : NULL;
           g != NULL && g->type_code != NULL; g++)
        {
          if (g_str_has_prefix (member, g->prefix))
            {
              group = g;
              break;
            }
        }

      if (group != NULL)
        {
          JsonObject *params = g_hash_table_lookup (groups, group->type_code);

          if (params == NULL)
            {
              JsonObject *message = json_object_new ();

              params = json_object_new ();
              json_object_set_string_member (message, "typeCode", group->type_code);
              json_object_set_object_member (message, "params", params);
              g_hash_table_insert (groups, (gpointer) group->type_code, params);
              g_ptr_array_add (messages, message);
            }
          json_object_set_member (params, member + strlen (group->prefix), json_node_ref (value));
        }
      else
        {
          if (ungrouped == NULL)
            {
              JsonObject *message = json_object_new ();

              ungrouped = json_object_new ();
              json_object_set_object_member (message, "params", ungrouped);
              g_ptr_array_add (messages, message);
            }
          json_object_set_member (ungrouped, member, json_node_ref (value));
        }
    }

  return messages;
}
