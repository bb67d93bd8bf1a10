/* juice-quota-format.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "juice-quota-format"

#include "juice-json.h"
#include "juice-quota-format.h"

#define MAX_ARRAY_SHOWN 32

char *
juice_quota_format_node (const JuiceQuotaInfo *info,
                         JsonNode             *node)
{
  double raw;

  if (node == NULL)
    return g_strdup ("");

  if (info == NULL)
    return juice_json_node_to_text (node);

  if (JSON_NODE_HOLDS_ARRAY (node) && info->type == JUICE_QUOTA_ARRAY)
    {
      JsonArray *array = json_node_get_array (node);
      guint n = json_array_get_length (array);
      g_autoptr(GString) text = g_string_new (NULL);

      for (guint i = 0; i < n && i < MAX_ARRAY_SHOWN; i++)
        {
          JsonNode *element = json_array_get_element (array, i);
          g_autofree char *part = NULL;

          if (juice_json_node_get_double (element, &raw))
            part = juice_quota_info_format (info, raw);
          else
            part = juice_json_node_to_text (element);

          if (i > 0)
            g_string_append (text, ", ");
          g_string_append (text, part);
        }

      if (n > MAX_ARRAY_SHOWN)
        g_string_append (text, ", …");

      return g_string_free (g_steal_pointer (&text), FALSE);
    }

  if (info->type != JUICE_QUOTA_TEXT && juice_json_node_get_double (node, &raw))
    return juice_quota_info_format (info, raw);

  return juice_json_node_to_text (node);
}
