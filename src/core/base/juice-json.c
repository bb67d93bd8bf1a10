/* juice-json.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "juice-json"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "juice-error.h"
#include "juice-json.h"
#include "juice-json-scan.h"

gboolean
juice_json_node_get_double (JsonNode *node,
                            double   *value)
{
  GType type;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  type = json_node_get_value_type (node);

  if (type == G_TYPE_INT64)
    {
      *value = (double) json_node_get_int (node);
      return TRUE;
    }

  if (type == G_TYPE_DOUBLE)
    {
      double d = json_node_get_double (node);

      if (!isfinite (d))
        return FALSE;
      *value = d;
      return TRUE;
    }

  if (type == G_TYPE_BOOLEAN)
    {
      *value = json_node_get_boolean (node) ? 1.0 : 0.0;
      return TRUE;
    }

  if (type == G_TYPE_STRING)
    {
      const char *str = json_node_get_string (node);
      char *end = NULL;
      double d;

      if (str == NULL || *str == '\0')
        return FALSE;

      errno = 0;
      d = g_ascii_strtod (str, &end);
      if (errno != 0 || end == str || *end != '\0' || !isfinite (d))
        return FALSE;

      *value = d;
      return TRUE;
    }

  return FALSE;
}

gboolean
juice_json_node_get_int (JsonNode *node,
                         gint64   *value)
{
  double d;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  if (json_node_get_value_type (node) == G_TYPE_INT64)
    {
      *value = json_node_get_int (node);
      return TRUE;
    }

  if (json_node_get_value_type (node) == G_TYPE_STRING)
    {
      const char *str = json_node_get_string (node);
      char *end = NULL;
      gint64 v;

      if (str != NULL && *str != '\0')
        {
          errno = 0;
          v = g_ascii_strtoll (str, &end, 10);
          if (errno == 0 && end != str && *end == '\0')
            {
              *value = v;
              return TRUE;
            }
        }
    }

  if (!juice_json_node_get_double (node, &d))
    return FALSE;

  if (d < (double) G_MININT64 || d > (double) G_MAXINT64)
    return FALSE;

  *value = (gint64) llround (d);
  return TRUE;
}

gboolean
juice_json_node_get_number (JsonNode *node,
                            double   *value)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    return FALSE;

  return juice_json_node_get_double (node, value);
}

gboolean
juice_json_node_get_exact_int (JsonNode *node,
                               gint64   *value)
{
  double d;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  if (json_node_get_value_type (node) == G_TYPE_INT64)
    {
      *value = json_node_get_int (node);
      return TRUE;
    }

  if (json_node_get_value_type (node) == G_TYPE_STRING)
    {
      const char *str = json_node_get_string (node);
      char *end = NULL;
      gint64 v;

      if (str == NULL || *str == '\0')
        return FALSE;

      errno = 0;
      v = g_ascii_strtoll (str, &end, 10);
      if (end != str && *end == '\0')
        {
          /* "-99999999999999999999999" saturates with ERANGE: refuse it */
          if (errno != 0)
            return FALSE;
          *value = v;
          return TRUE;
        }
    }

  if (!juice_json_node_get_number (node, &d))
    return FALSE;

  /* 2^63 is exactly representable; int64 ends one below it */
  if (d != floor (d) || d < -9223372036854775808.0 || d >= 9223372036854775808.0)
    return FALSE;

  *value = (gint64) d;
  return TRUE;
}

char *
juice_json_node_to_text (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_strdup ("null");

  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));

  return json_to_string (node, FALSE);
}

guint
juice_json_node_depth (JsonNode *node,
                       guint     limit)
{
  guint deepest = 0;

  if (node == NULL || limit == 0)
    return 0;

  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      JsonNode *member;

      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, NULL, &member))
        deepest = MAX (deepest, juice_json_node_depth (member, limit - 1));

      return deepest + 1;
    }

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      guint n = json_array_get_length (array);

      for (guint i = 0; i < n; i++)
        deepest = MAX (deepest, juice_json_node_depth (json_array_get_element (array, i), limit - 1));

      return deepest + 1;
    }

  return 0;
}

JsonNode *
juice_json_parse (const char  *data,
                  gssize       length,
                  gsize        max_length,
                  guint        max_depth,
                  GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GString) widened = NULL;
  JsonNode *root;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (length < 0)
    length = data != NULL ? strlen (data) : 0;

  /* Every payload, small ones too, is held to JSON's grammar before
   * json-glib sees it: json-glib 1.6 reads more than JSON ("{}{}", 'single
   * quotes', comments), leaks memory on some of its errors ("\\udc00\\udc00"
   * in a string, "''{}") and quotes invalid UTF-8 in their messages. The
   * strict scanner also bounds the depth (json-glib parses recursively, so a
   * hostile payload could exhaust the stack): the limit is the depth, not
   * the size. */
  if (!juice_json_check (data, length, max_length, max_depth, &widened, error))
    return NULL;

  if (widened != NULL)
    {
      data = widened->str;
      length = widened->len;
    }

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, length, &local_error))
    {
      /* json-glib's message may quote the payload's own text. */
      g_autofree char *valid = g_utf8_make_valid (local_error->message, -1);

      g_set_error (error, JUICE_DEVICE_ERROR, JUICE_DEVICE_ERROR_MALFORMED,
                   "Message is not valid JSON: %s", valid);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      g_set_error_literal (error, JUICE_DEVICE_ERROR, JUICE_DEVICE_ERROR_MALFORMED,
                           "Message is empty");
      return NULL;
    }

  return json_node_ref (root);
}
