/* fuzz-sign.c: a request's parameters, flattened into the string signed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "juice-json.h"
#include "juice-sign.h"

#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(JsonNode) params = NULL;
  g_autoptr(GHashTable) query = NULL;
  g_autofree char *flat = NULL;
  g_autofree char *again = NULL;
  g_autofree char *string = NULL;
  g_autofree char *signature = NULL;
  guint depth;

  fuzz_init_once ();

  /* Deeper than signing takes, so that its own limit is what refuses. */
  params = juice_json_parse ((const char *) data, size, 1024 * 1024,
                             4 * JUICE_SIGN_MAX_DEPTH, NULL);
  if (params == NULL)
    return 0;

  query = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_insert (query, (gpointer) "sn", (gpointer) "DCABZ8ZE9999999");

  flat = juice_sign_flatten (params, NULL);
  again = juice_sign_flatten (params, NULL);
  g_assert_cmpstr (flat, ==, again);
  /* Refused only for what is no object or nests too deep (the deepest
   * container may be empty at the limit), never beyond it. */
  depth = juice_json_node_depth (params, JUICE_SIGN_MAX_DEPTH + 1);
  if (flat == NULL)
    {
      g_assert_true (!JSON_NODE_HOLDS_OBJECT (params) || depth >= JUICE_SIGN_MAX_DEPTH);
      return 0;
    }
  g_assert_true (JSON_NODE_HOLDS_OBJECT (params) || JSON_NODE_HOLDS_NULL (params));
  g_assert_cmpuint (depth, <=, JUICE_SIGN_MAX_DEPTH);

  string = juice_sign_build_string (params, query, "AK", "123456", "1700000000000");
  g_assert_nonnull (string);
  g_assert_true (g_str_has_suffix (string, "accessKey=AK&nonce=123456&timestamp=1700000000000"));
  signature = juice_sign_compute ("SK", string);
  g_assert_nonnull (signature);
  g_assert_cmpuint (strlen (signature), ==, 64);

  return 0;
}
