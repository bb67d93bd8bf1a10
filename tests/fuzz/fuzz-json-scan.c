/* fuzz-json-scan.c: the report scanner against json-glib, on any bytes
 *
 * What juice_json_scan() accepts, json-glib parses too, and every member it
 * lists holds the value json-glib reads (the scanner may refuse more: it is
 * the stricter gate). What it refuses leaves no member behind.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "juice-json.h"
#include "juice-json-scan.h"

#include "fuzz-common.h"

#define MAX_BYTES (1024 * 1024)
#define MAX_DEPTH 32

/* Whether a member after @index has the same parent and name. */
static gboolean
named_again (GArray     *members,
             guint       index,
             const char *key)
{
  const JuiceJsonMember *m = &g_array_index (members, JuiceJsonMember, index);
  char other[1024];

  for (guint i = index + 1; i < members->len; i++)
    {
      const JuiceJsonMember *n = &g_array_index (members, JuiceJsonMember, i);

      if (n->parent == m->parent &&
          g_strcmp0 (juice_json_member_key (n, other, sizeof other), key) == 0)
        return TRUE;
    }
  return FALSE;
}

static void
check_member (GArray     *members,
              guint       index,
              JsonObject *object)
{
  const JuiceJsonMember *member = &g_array_index (members, JuiceJsonMember, index);
  g_autoptr(JsonNode) value = juice_json_member_to_node (member, MAX_DEPTH);
  char key[1024];
  JsonNode *expected;

  g_assert_nonnull (value);
  /* Keys too long for the buffer or holding U+0000 are refused by name. */
  if (juice_json_member_key (member, key, sizeof key) == NULL)
    return;
  expected = json_object_get_member (object, key);
  g_assert_nonnull (expected);
  /* json-glib keeps the last of duplicate names; the scanner lists each. */
  if (!json_node_equal (value, expected) && !named_again (members, index, key))
    {
      g_autofree char *a = json_to_string (value, FALSE);
      g_autofree char *b = json_to_string (expected, FALSE);

      g_error ("%s: the scanner reads %s where json-glib reads %s", key, a, b);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GArray) members = g_array_new (FALSE, FALSE, sizeof (JuiceJsonMember));
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JuiceJsonKind kind;

  fuzz_init_once ();

  if (!juice_json_scan ((const char *) data, size, MAX_BYTES, MAX_DEPTH, members, &kind, &error))
    {
      g_assert_nonnull (error);
      g_assert_cmpuint (members->len, ==, 0);
      return 0;
    }

  root = juice_json_parse ((const char *) data, size, MAX_BYTES, MAX_DEPTH, &error);
  if (root == NULL)
    g_error ("the scanner accepted what json-glib refuses: %s", error->message);

  g_assert_cmpint (kind == JUICE_JSON_OBJECT, ==, JSON_NODE_HOLDS_OBJECT (root));
  if (!JSON_NODE_HOLDS_OBJECT (root))
    return 0;

  for (guint i = 0; i < members->len; i++)
    {
      const JuiceJsonMember *m = &g_array_index (members, JuiceJsonMember, i);

      if (m->parent == -1)
        check_member (members, i, json_node_get_object (root));
      else
        {
          const JuiceJsonMember *parent = &g_array_index (members, JuiceJsonMember, m->parent);
          char name[1024];
          JsonNode *inner;

          g_assert_cmpint (parent->kind, ==, JUICE_JSON_OBJECT);
          if (juice_json_member_key (parent, name, sizeof name) == NULL)
            continue;
          inner = json_object_get_member (json_node_get_object (root), name);
          g_assert_nonnull (inner);
          /* The object json-glib kept: the last of duplicate names. */
          if (JSON_NODE_HOLDS_OBJECT (inner) && !named_again (members, m->parent, name))
            check_member (members, i, json_node_get_object (inner));
        }
    }

  return 0;
}
