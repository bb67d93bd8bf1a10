/* juice-sign.c: signing requests to the EcoFlow IoT Open API
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The string that is signed is built from the request's parameters
 * (DESIGN.md §3): nested members are flattened to dotted keys and indexed
 * array elements, sorted by byte order, joined as key=value with '&', and
 * followed by the accessKey, nonce and timestamp.
 *
 * How scalars are written (the service compares what it parsed from the body
 * with what we signed, so we write what JSON readers print):
 *  - integers as decimal integers: 32, -5
 *  - strings as they are, with no quoting or escaping ("a=b&c" stays a=b&c)
 *  - booleans as true / false, null as null (JSON spelling)
 *  - floats as the shortest decimal that reads back as the same double, with
 *    ".0" added to integral values (1.5, 0.1, 2.0), as Java and Python print
 *    them
 *  - an empty object or array contributes no key at all.
 */

#define G_LOG_DOMAIN "juice-sign"

#include "juice-sign.h"

#include <string.h>

typedef struct
{
  char *key;
  char *value;
} Pair;

static void
pair_free (gpointer data)
{
  Pair *pair = data;

  g_free (pair->key);
  g_free (pair->value);
  g_free (pair);
}

static void
add_pair (GPtrArray  *pairs,
          const char *key,
          char       *value)
{
  Pair *pair = g_new0 (Pair, 1);

  pair->key = g_strdup (key);
  pair->value = value;
  g_ptr_array_add (pairs, pair);
}

static char *
format_double (double value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  /* The shortest of %.15g..%.17g that reads back as the same double. */
  for (int precision = 15; precision <= 17; precision++)
    {
      char format[8];

      g_snprintf (format, sizeof format, "%%.%dg", precision);
      g_ascii_formatd (buf, sizeof buf, format, value);
      if (g_ascii_strtod (buf, NULL) == value)
        break;
    }

  if (strpbrk (buf, ".eEn") == NULL)
    return g_strconcat (buf, ".0", NULL);

  return g_strdup (buf);
}

static char *
format_scalar (JsonNode *node)
{
  GType type;

  if (JSON_NODE_HOLDS_NULL (node))
    return g_strdup ("null");

  type = json_node_get_value_type (node);
  if (type == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  if (type == G_TYPE_DOUBLE)
    return format_double (json_node_get_double (node));
  if (type == G_TYPE_BOOLEAN)
    return g_strdup (json_node_get_boolean (node) ? "true" : "false");
  if (type == G_TYPE_STRING)
    return g_strdup (json_node_get_string (node));

  return g_strdup ("");
}

static gboolean flatten_node (GPtrArray  *pairs,
                              GString    *prefix,
                              JsonNode   *node,
                              guint       depth);

static gboolean
flatten_object (GPtrArray  *pairs,
                GString    *prefix,
                JsonObject *object,
                guint       depth)
{
  JsonObjectIter iter;
  const char *member;
  JsonNode *child;
  gsize prefix_len = prefix->len;

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &member, &child))
    {
      if (prefix_len > 0)
        g_string_append_c (prefix, '.');
      g_string_append (prefix, member);

      if (!flatten_node (pairs, prefix, child, depth + 1))
        return FALSE;

      g_string_truncate (prefix, prefix_len);
    }

  return TRUE;
}

static gboolean
flatten_array (GPtrArray *pairs,
               GString   *prefix,
               JsonArray *array,
               guint      depth)
{
  gsize prefix_len = prefix->len;
  guint length = json_array_get_length (array);

  for (guint i = 0; i < length; i++)
    {
      g_string_append_printf (prefix, "[%u]", i);

      if (!flatten_node (pairs, prefix, json_array_get_element (array, i), depth + 1))
        return FALSE;

      g_string_truncate (prefix, prefix_len);
    }

  return TRUE;
}

static gboolean
flatten_node (GPtrArray *pairs,
              GString   *prefix,
              JsonNode  *node,
              guint      depth)
{
  if (depth > JUICE_SIGN_MAX_DEPTH)
    return FALSE;

  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      return flatten_object (pairs, prefix, json_node_get_object (node), depth);

    case JSON_NODE_ARRAY:
      return flatten_array (pairs, prefix, json_node_get_array (node), depth);

    case JSON_NODE_VALUE:
    case JSON_NODE_NULL:
    default:
      add_pair (pairs, prefix->str, format_scalar (node));
      return TRUE;
    }
}

static int
compare_pairs (gconstpointer a,
               gconstpointer b)
{
  const Pair *pa = *(const Pair * const *) a;
  const Pair *pb = *(const Pair * const *) b;

  return strcmp (pa->key, pb->key);
}

/**
 * juice_sign_flatten:
 * @params: (nullable): the JSON body of a PUT or POST (an object)
 * @query: (nullable): the query parameters of a GET (string to string)
 *
 * Returns: the sorted `key=value&...` part of the string that is signed, ""
 *   when there are no parameters, or %NULL when @params is not an object or
 *   nests deeper than %JUICE_SIGN_MAX_DEPTH.
 */
char *
juice_sign_flatten (JsonNode   *params,
                    GHashTable *query)
{
  g_autoptr(GPtrArray) pairs = g_ptr_array_new_with_free_func (pair_free);
  g_autoptr(GString) prefix = g_string_new (NULL);
  GString *out;

  if (params != NULL && !JSON_NODE_HOLDS_NULL (params))
    {
      if (!JSON_NODE_HOLDS_OBJECT (params))
        return NULL;
      if (!flatten_object (pairs, prefix, json_node_get_object (params), 1))
        return NULL;
    }

  if (query != NULL)
    {
      GHashTableIter iter;
      gpointer key, value;

      g_hash_table_iter_init (&iter, query);
      while (g_hash_table_iter_next (&iter, &key, &value))
        add_pair (pairs, key, g_strdup (value != NULL ? value : ""));
    }

  /* g_ptr_array_sort() is stable: duplicate keys keep their order. */
  g_ptr_array_sort (pairs, compare_pairs);

  out = g_string_new (NULL);
  for (guint i = 0; i < pairs->len; i++)
    {
      const Pair *pair = g_ptr_array_index (pairs, i);

      if (i > 0)
        g_string_append_c (out, '&');
      g_string_append (out, pair->key);
      g_string_append_c (out, '=');
      g_string_append (out, pair->value);
    }

  return g_string_free (out, FALSE);
}

/**
 * juice_sign_build_string:
 *
 * Returns: the whole string to sign: the flattened parameters (if any)
 *   followed by `accessKey=..&nonce=..&timestamp=..`, or %NULL when the
 *   parameters cannot be flattened (see juice_sign_flatten()).
 */
char *
juice_sign_build_string (JsonNode   *params,
                         GHashTable *query,
                         const char *access_key,
                         const char *nonce,
                         const char *timestamp)
{
  g_autofree char *flat = NULL;

  g_return_val_if_fail (access_key != NULL, NULL);
  g_return_val_if_fail (nonce != NULL, NULL);
  g_return_val_if_fail (timestamp != NULL, NULL);

  flat = juice_sign_flatten (params, query);
  if (flat == NULL)
    return NULL;

  return g_strdup_printf ("%s%saccessKey=%s&nonce=%s&timestamp=%s",
                          flat, flat[0] != '\0' ? "&" : "",
                          access_key, nonce, timestamp);
}

/**
 * juice_sign_compute:
 *
 * Returns: lowercase hex HMAC-SHA256 of @string keyed with @secret_key.
 */
char *
juice_sign_compute (const char *secret_key,
                    const char *string)
{
  g_autoptr(GHmac) hmac = NULL;

  g_return_val_if_fail (secret_key != NULL, NULL);
  g_return_val_if_fail (string != NULL, NULL);

  hmac = g_hmac_new (G_CHECKSUM_SHA256, (const guchar *) secret_key, strlen (secret_key));
  g_hmac_update (hmac, (const guchar *) string, -1);

  /* g_hmac_get_string() is lowercase hex. */
  return g_strdup (g_hmac_get_string (hmac));
}

/**
 * juice_sign_new_nonce:
 *
 * Returns: a fresh random nonce of six digits.
 */
char *
juice_sign_new_nonce (void)
{
  return g_strdup_printf ("%06d", (int) g_random_int_range (100000, 1000000));
}

/**
 * juice_sign_new_timestamp:
 *
 * Returns: the current UTC time in milliseconds, as decimal text.
 */
char *
juice_sign_new_timestamp (void)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, g_get_real_time () / 1000);
}
