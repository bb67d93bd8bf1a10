/* test-json-scan.c: the report scanner against json-glib
 *
 * juice_json_scan() stands between the network and the device model: it
 * must refuse what is not JSON, never accept more than json-glib would, and
 * give every value json-glib would give.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "juice-error.h"
#include "juice-json.h"
#include "juice-json-scan.h"

#define MAX_DEPTH 32

static GArray *
new_members (void)
{
  return g_array_new (FALSE, FALSE, sizeof (JuiceJsonMember));
}

/* Every recorded member of the root, checked against json-glib's node. */
static void
assert_same_as_json_glib (const char *text,
                          gsize       length)
{
  g_autoptr(GArray) members = new_members ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  JuiceJsonKind kind;
  JsonObject *object;
  guint n_root = 0;

  g_assert_true (juice_json_scan (text, length, G_MAXSIZE, MAX_DEPTH, members, &kind, &error));
  g_assert_no_error (error);
  root = juice_json_parse (text, length, G_MAXSIZE, MAX_DEPTH, &error);
  g_assert_no_error (error);

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_assert_cmpint (kind, !=, JUICE_JSON_OBJECT);
      g_assert_cmpuint (members->len, ==, 0);
      return;
    }

  g_assert_cmpint (kind, ==, JUICE_JSON_OBJECT);
  object = json_node_get_object (root);
  for (guint i = 0; i < members->len; i++)
    {
      const JuiceJsonMember *m = &g_array_index (members, JuiceJsonMember, i);
      char key[256];
      g_autoptr(JsonNode) value = NULL;
      JsonNode *expected;

      if (m->parent != -1)
        continue;
      n_root++;
      g_assert_nonnull (juice_json_member_key (m, key, sizeof key));
      expected = json_object_get_member (object, key);
      g_assert_nonnull (expected);
      value = juice_json_member_to_node (m, MAX_DEPTH);
      g_assert_nonnull (value);
      if (!json_node_equal (value, expected))
        {
          g_autofree char *a = json_to_string (value, FALSE);
          g_autofree char *b = json_to_string (expected, FALSE);

          g_error ("%s: %s where json-glib reads %s", key, a, b);
        }
      g_assert_cmpint (json_node_get_value_type (value), ==, json_node_get_value_type (expected));
    }

  /* Duplicate names aside, one member each. */
  g_assert_cmpuint (n_root, >=, json_object_get_size (object));
}

static void
test_values (void)
{
  static const char *docs[] = {
    "{}",
    "[]",
    "12",
    "\"text\"",
    " { \"a\" : 1 , \"b\" :-2,\"c\":0,\"d\":-0 } ",
    "{\"int\":9223372036854775807,\"min\":-9223372036854775808}",
    "{\"d\":1.5,\"e\":1e2,\"f\":-2.5E-3,\"g\":0.0,\"h\":1E+2}",
    "{\"t\":true,\"f\":false,\"n\":null}",
    "{\"s\":\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\",\"u\":\"\\u00e9\\u20ac\\ud83d\\ude00\",\"raw\":\"é€😀\"}",
    "{\"arr\":[1,2,[3,{\"x\":[]}]],\"obj\":{\"in\":{\"deeper\":true},\"n\":1}}",
    "{\"pd.\\u0073oc\":87}",
    "{\"\":1}",
    "{\"params\":{\"soc\":5,\"inv.cfgAcEnabled\":1},\"typeCode\":\"pdStatus\"}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (docs); i++)
    {
      g_test_message ("%s", docs[i]);
      assert_same_as_json_glib (docs[i], strlen (docs[i]));
    }
}

static void
test_fixture (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("JUICE_SIM_DATA"),
                                            "delta-pro-quota-all.json", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GArray) members = new_members ();
  gsize length;
  guint n_data = 0;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  assert_same_as_json_glib (contents, length);

  /* The envelope's "data" members are recorded with their parent. */
  g_assert_true (juice_json_scan (contents, length, G_MAXSIZE, MAX_DEPTH, members, NULL, NULL));
  for (guint i = 0; i < members->len; i++)
    {
      const JuiceJsonMember *m = &g_array_index (members, JuiceJsonMember, i);

      if (m->parent >= 0)
        {
          const JuiceJsonMember *parent = &g_array_index (members, JuiceJsonMember, m->parent);

          g_assert_cmpint (parent->kind, ==, JUICE_JSON_OBJECT);
          g_assert_cmpint (parent->parent, ==, -1);
          n_data++;
        }
    }
  g_assert_cmpuint (n_data, >, 200);
}

static void
test_overflow (void)
{
  const char *text = "{\"big\":-99999999999999999999999,\"also\":9223372036854775808}";
  g_autoptr(GArray) members = new_members ();
  g_autoptr(JsonNode) big = NULL, also = NULL;

  g_assert_true (juice_json_scan (text, strlen (text), G_MAXSIZE, MAX_DEPTH, members, NULL, NULL));
  big = juice_json_member_to_node (&g_array_index (members, JuiceJsonMember, 0), MAX_DEPTH);
  also = juice_json_member_to_node (&g_array_index (members, JuiceJsonMember, 1), MAX_DEPTH);
  g_assert_cmpint (json_node_get_value_type (big), ==, G_TYPE_DOUBLE);
  g_assert_cmpfloat (json_node_get_double (big), ==, -1e23);
  g_assert_cmpint (json_node_get_value_type (also), ==, G_TYPE_DOUBLE);
  assert_same_as_json_glib (text, strlen (text));
}

static void
test_refused (void)
{
  static const char *docs[] = {
    "", "   ", "{", "}", "[", "{]", "[}", "{\"a\"}", "{\"a\":}", "{\"a\" 1}", "{a:1}",
    "{'a':1}", "{\"a\":1,}", "[1,]", "[,1]", "{,}", "{\"a\":1}{}", "{}{}", "{} x", "1 2",
    "01", "-", "-a", "1.", ".5", "1e", "1e+", "+1", "0x10", "1.5.5", "NaN", "Infinity",
    "tru", "nul", "falsey", "True", "\"unterminated", "\"bad \\x escape\"",
    "\"\\u12\"", "\"\\u12G4\"", "\"\\ud800\"", "\"\\udc00\"", "\"\\ud800\\u0041\"",
    "\"tab\there\"", "\"line\nbreak\"", "\"\xff\"", "\"\xc3\"", "\"\xed\xa0\x80\"",
    "{\"a\":1 \"b\":2}", "[1 2]", "\"\\",
  };

  for (guint i = 0; i < G_N_ELEMENTS (docs); i++)
    {
      g_autoptr(GArray) members = new_members ();
      g_autoptr(GError) error = NULL;
      g_autofree char *shown = g_strescape (docs[i], NULL);

      g_test_message ("refused? %s", shown);
      g_assert_false (juice_json_scan (docs[i], strlen (docs[i]), G_MAXSIZE, MAX_DEPTH,
                                       members, NULL, &error));
      g_assert_error (error, JUICE_DEVICE_ERROR, JUICE_DEVICE_ERROR_MALFORMED);
      g_assert_cmpuint (members->len, ==, 0);
    }
}

static void
test_limits (void)
{
  g_autoptr(GString) deep = g_string_new ("{\"a\":");
  g_autoptr(GString) ok = NULL;
  g_autoptr(GArray) members = new_members ();
  g_autoptr(GError) error = NULL;

  /* 33 levels, 100 bytes: refused however small. */
  for (guint i = 0; i < 32; i++)
    g_string_append_c (deep, '[');
  ok = g_string_new (deep->str);
  g_string_truncate (ok, ok->len - 1);
  for (guint i = 0; i < 31; i++)
    g_string_append_c (ok, ']');
  g_string_append_c (ok, '}');
  for (guint i = 0; i < 32; i++)
    g_string_append_c (deep, ']');
  g_string_append_c (deep, '}');

  g_assert_false (juice_json_scan (deep->str, deep->len, G_MAXSIZE, MAX_DEPTH, members, NULL, &error));
  g_assert_error (error, JUICE_DEVICE_ERROR, JUICE_DEVICE_ERROR_MALFORMED);
  g_assert_nonnull (strstr (error->message, "deeper than 32"));
  g_clear_error (&error);

  g_assert_true (juice_json_scan (ok->str, ok->len, G_MAXSIZE, MAX_DEPTH, members, NULL, &error));
  g_assert_no_error (error);

  g_assert_false (juice_json_scan ("{\"a\":1}", 7, 6, MAX_DEPTH, members, NULL, &error));
  g_assert_error (error, JUICE_DEVICE_ERROR, JUICE_DEVICE_ERROR_MALFORMED);
  g_assert_nonnull (strstr (error->message, "larger than"));
}

static void
test_keys (void)
{
  g_autoptr(GArray) members = new_members ();
  const char *text = "{\"abcdef\":1,\"nul\\u0000\":2,\"\\u00e9t\\u00e9\":3}";
  char small[4], key[64];

  g_assert_true (juice_json_scan (text, strlen (text), G_MAXSIZE, MAX_DEPTH, members, NULL, NULL));
  g_assert_cmpuint (members->len, ==, 3);
  /* Too long for the buffer, a NUL inside, unescaped UTF-8. */
  g_assert_null (juice_json_member_key (&g_array_index (members, JuiceJsonMember, 0), small, sizeof small));
  g_assert_cmpstr (juice_json_member_key (&g_array_index (members, JuiceJsonMember, 0), key, sizeof key), ==, "abcdef");
  g_assert_null (juice_json_member_key (&g_array_index (members, JuiceJsonMember, 1), key, sizeof key));
  g_assert_cmpstr (juice_json_member_key (&g_array_index (members, JuiceJsonMember, 2), key, sizeof key), ==, "été");
}

/* Mutations of a real report: whatever the scanner accepts, json-glib
 * accepts too and reads the same values. */
static void
test_mutations (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("JUICE_SIM_DATA"),
                                            "delta-pro-quota-all.json", NULL);
  static const char bytes[] = "{}[]\",:0123456789.eE+-\\u tfn\x01\xc3\xa9\xff";
  g_autofree char *contents = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261202);
  gsize length;
  guint accepted = 0, refused = 0;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));

  for (guint round = 0; round < 3000; round++)
    {
      g_autofree char *copy = g_memdup2 (contents, length);
      g_autoptr(GArray) members = new_members ();
      /* Small spans around a random spot, so that most stay near-valid. */
      guint n = g_rand_int_range (rand, 1, 4);

      for (guint k = 0; k < n; k++)
        copy[g_rand_int_range (rand, 0, length)] = bytes[g_rand_int_range (rand, 0, sizeof bytes - 1)];

      if (juice_json_scan (copy, length, G_MAXSIZE, MAX_DEPTH, members, NULL, NULL))
        {
          assert_same_as_json_glib (copy, length);
          accepted++;
        }
      else
        refused++;
    }

  g_test_message ("%u mutations accepted, %u refused", accepted, refused);
  g_assert_cmpuint (accepted, >, 100);
  g_assert_cmpuint (refused, >, 100);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/json-scan/values", test_values);
  g_test_add_func ("/json-scan/fixture", test_fixture);
  g_test_add_func ("/json-scan/overflow", test_overflow);
  g_test_add_func ("/json-scan/refused", test_refused);
  g_test_add_func ("/json-scan/limits", test_limits);
  g_test_add_func ("/json-scan/keys", test_keys);
  g_test_add_func ("/json-scan/mutations", test_mutations);

  return g_test_run ();
}
