/* test-sign.c: request signing (DESIGN.md §3)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "juice-sign.h"

#include <string.h>

#define AK "AKtest7Hk2Lm9Qp4Rs8Tv1Wx"
#define SK "SKtest3Fg6Jh0Kl5Mn8Pq2Rt4Vw7Yz"
#define NONCE "482913"
#define TS "1732550400123"

static JsonNode *
parse (const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (json, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}

static void
check_vector (JsonNode   *params,
              GHashTable *query,
              const char *expected_flat,
              const char *expected_sign)
{
  g_autofree char *flat = juice_sign_flatten (params, query);
  g_autofree char *string = juice_sign_build_string (params, query, AK, NONCE, TS);
  g_autofree char *expected_string = NULL;
  g_autofree char *sign = NULL;

  g_assert_cmpstr (flat, ==, expected_flat);

  if (expected_flat[0] != '\0')
    expected_string = g_strdup_printf ("%s&accessKey=" AK "&nonce=" NONCE "&timestamp=" TS,
                                       expected_flat);
  else
    expected_string = g_strdup ("accessKey=" AK "&nonce=" NONCE "&timestamp=" TS);
  g_assert_cmpstr (string, ==, expected_string);

  sign = juice_sign_compute (SK, string);
  g_assert_cmpstr (sign, ==, expected_sign);
}

static void
test_vector_put (void)
{
  g_autoptr(JsonNode) body = parse ("{\"sn\":\"DCABZ8A1B2C3D4E5\",\"params\":{\"cmdSet\":32,"
                                    "\"id\":66,\"enabled\":1,\"xboost\":0}}");

  check_vector (body, NULL,
                "params.cmdSet=32&params.enabled=1&params.id=66&params.xboost=0"
                "&sn=DCABZ8A1B2C3D4E5",
                "81fd91986c09f0ba1d2275a2c5b1e4a2c9ed2ed89c546a1f6295188d6ffafad0");
}

static void
test_vector_post (void)
{
  g_autoptr(JsonNode) body = parse ("{\"sn\":\"DCABZ8A1B2C3D4E5\",\"params\":{\"cmdSet\":32,"
                                    "\"id\":66,\"quotas\":[\"inv.cfgAcEnabled\","
                                    "\"inv.cfgAcXboost\"]}}");

  check_vector (body, NULL,
                "params.cmdSet=32&params.id=66&params.quotas[0]=inv.cfgAcEnabled"
                "&params.quotas[1]=inv.cfgAcXboost&sn=DCABZ8A1B2C3D4E5",
                "010bec015cbfc17fc42a6e230f8c4e8baa183fe7dd8b69272d75c9ca65ed8b89");
}

static void
test_vector_get_query (void)
{
  g_autoptr(GHashTable) query = g_hash_table_new (g_str_hash, g_str_equal);

  g_hash_table_insert (query, (gpointer) "sn", (gpointer) "DCABZ8A1B2C3D4E5");
  check_vector (NULL, query, "sn=DCABZ8A1B2C3D4E5",
                "34f5391bb6639fdf3c9a259c0d0d800891e900abf3dee5c7cf4980192781ba97");
}

static void
test_vector_no_params (void)
{
  g_autoptr(GHashTable) empty = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(JsonNode) empty_body = parse ("{}");
  const char *sign = "b2638de0405e7170408e19031740837052ff6293f8534befd10881fb6b91e829";

  check_vector (NULL, NULL, "", sign);
  /* An empty query or an empty body signs the same as none. */
  check_vector (NULL, empty, "", sign);
  check_vector (empty_body, NULL, "", sign);
}

static void
test_vector_nested (void)
{
  g_autoptr(JsonNode) body = parse ("{\"name\":\"demo1\",\"ids\":[1,2,3],\"deviceInfo\":{\"id\":1},"
                                    "\"deviceList\":[{\"id\":1},{\"id\":2}]}");

  check_vector (body, NULL,
                "deviceInfo.id=1&deviceList[0].id=1&deviceList[1].id=2&ids[0]=1&ids[1]=2"
                "&ids[2]=3&name=demo1",
                "2e4e44039c00628eca8d64b46806944201673df30428fd57e99dd4652ef7e5e7");
}

static void
test_long_array_byte_order (void)
{
  g_autoptr(JsonNode) body = parse ("{\"q\":[0,1,2,3,4,5,6,7,8,9,10,11,12]}");
  g_autofree char *flat = juice_sign_flatten (body, NULL);

  /* Byte order, not numeric: q[10] < q[11] < q[12] < q[1] < q[2]. */
  g_assert_cmpstr (flat, ==,
                   "q[0]=0&q[10]=10&q[11]=11&q[12]=12&q[1]=1&q[2]=2&q[3]=3&q[4]=4"
                   "&q[5]=5&q[6]=6&q[7]=7&q[8]=8&q[9]=9");
}

static void
test_nested_arrays_of_objects (void)
{
  g_autoptr(JsonNode) body = parse ("{\"a\":[{\"b\":[{\"c\":1},{\"c\":2,\"d\":[true,null]}]},"
                                    "[\"x\",[\"y\"]]],\"a.b\":\"dot\"}");
  g_autofree char *flat = juice_sign_flatten (body, NULL);

  g_assert_cmpstr (flat, ==,
                   "a.b=dot&a[0].b[0].c=1&a[0].b[1].c=2&a[0].b[1].d[0]=true&a[0].b[1].d[1]=null"
                   "&a[1][0]=x&a[1][1][0]=y");
}

static void
test_strings_raw (void)
{
  g_autoptr(JsonNode) body = parse ("{\"deviceName\":\"Küche & Bad = 100%\",\"z\":\"\","
                                    "\"emoji\":\"\\u2600\\ud83d\\udd0b\",\"quote\":\"a\\\"b\"}");
  g_autofree char *flat = juice_sign_flatten (body, NULL);
  g_autofree char *string = juice_sign_build_string (body, NULL, AK, NONCE, TS);
  g_autofree char *sign = juice_sign_compute (SK, string);
  g_autoptr(GHmac) hmac = NULL;

  /* Strings are signed as they are: no quoting, escaping or URL encoding. */
  g_assert_cmpstr (flat, ==,
                   "deviceName=Küche & Bad = 100%&emoji=☀🔋&quote=a\"b&z=");

  /* The HMAC is over the UTF-8 bytes, computed independently here. */
  hmac = g_hmac_new (G_CHECKSUM_SHA256, (const guchar *) SK, strlen (SK));
  g_hmac_update (hmac, (const guchar *) string, strlen (string));
  g_assert_cmpstr (sign, ==, g_hmac_get_string (hmac));
  g_assert_cmpuint (strlen (sign), ==, 64);
  for (const char *p = sign; *p; p++)
    g_assert_true (g_ascii_isdigit (*p) || (*p >= 'a' && *p <= 'f'));
}

static void
test_scalars (void)
{
  g_autoptr(JsonNode) body = parse ("{\"t\":true,\"f\":false,\"n\":null,\"half\":1.5,"
                                    "\"tenth\":0.1,\"whole\":2.0,\"neg\":-7,"
                                    "\"big\":9007199254740993,\"empty\":{},\"none\":[]}");
  g_autofree char *flat = juice_sign_flatten (body, NULL);

  g_assert_cmpstr (flat, ==,
                   "big=9007199254740993&f=false&half=1.5&n=null&neg=-7&t=true&tenth=0.1"
                   "&whole=2.0");
}

static void
test_query_and_body (void)
{
  g_autoptr(GHashTable) query = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(JsonNode) body = parse ("{\"b\":1}");
  g_autofree char *flat = NULL;

  g_hash_table_insert (query, (gpointer) "c", (gpointer) "3");
  g_hash_table_insert (query, (gpointer) "a", (gpointer) "x=y&z");
  flat = juice_sign_flatten (body, query);
  g_assert_cmpstr (flat, ==, "a=x=y&z&b=1&c=3");
}

static void
test_refused (void)
{
  g_autoptr(JsonNode) array = parse ("[1,2]");
  g_autoptr(JsonNode) scalar = parse ("5");
  g_autoptr(GString) deep = g_string_new ("{\"a\":");
  g_autoptr(JsonNode) deep_node = NULL;
  g_autofree char *deep_flat = NULL;
  g_autofree char *array_flat = juice_sign_flatten (array, NULL);
  g_autofree char *scalar_flat = juice_sign_build_string (scalar, NULL, AK, NONCE, TS);

  g_assert_null (array_flat);
  g_assert_null (scalar_flat);

  for (int i = 0; i < JUICE_SIGN_MAX_DEPTH + 5; i++)
    g_string_append_c (deep, '[');
  g_string_append_c (deep, '1');
  for (int i = 0; i < JUICE_SIGN_MAX_DEPTH + 5; i++)
    g_string_append_c (deep, ']');
  g_string_append_c (deep, '}');
  deep_node = parse (deep->str);
  deep_flat = juice_sign_flatten (deep_node, NULL);
  g_assert_null (deep_flat);
}

static void
test_changes_change_sign (void)
{
  g_autoptr(JsonNode) body = parse ("{\"sn\":\"X\",\"params\":{\"id\":66}}");
  g_autofree char *s1 = juice_sign_build_string (body, NULL, AK, NONCE, TS);
  g_autofree char *s2 = juice_sign_build_string (body, NULL, AK, "482914", TS);
  g_autofree char *s3 = juice_sign_build_string (body, NULL, AK, NONCE, "1732550400124");
  g_autofree char *a = juice_sign_compute (SK, s1);
  g_autofree char *b = juice_sign_compute (SK, s2);
  g_autofree char *c = juice_sign_compute (SK, s3);
  g_autofree char *d = juice_sign_compute ("other", s1);

  g_assert_cmpstr (a, !=, b);
  g_assert_cmpstr (a, !=, c);
  g_assert_cmpstr (a, !=, d);
}

static void
test_nonce_timestamp (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gint64 before = g_get_real_time () / 1000;
  g_autofree char *ts = juice_sign_new_timestamp ();
  gint64 after = g_get_real_time () / 1000;
  gint64 value = g_ascii_strtoll (ts, NULL, 10);

  g_assert_cmpint (value, >=, before);
  g_assert_cmpint (value, <=, after);
  g_assert_cmpuint (strlen (ts), ==, 13);

  for (guint i = 0; i < 200; i++)
    {
      char *nonce = juice_sign_new_nonce ();

      g_assert_cmpuint (strlen (nonce), ==, 6);
      for (const char *p = nonce; *p; p++)
        g_assert_true (g_ascii_isdigit (*p));
      g_hash_table_add (seen, nonce);
    }
  /* 200 draws from 900000 values: far more than a handful of duplicates
   * would mean the generator is not random. */
  g_assert_cmpuint (g_hash_table_size (seen), >, 190);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/juice/sign/vector/put", test_vector_put);
  g_test_add_func ("/juice/sign/vector/post", test_vector_post);
  g_test_add_func ("/juice/sign/vector/get-query", test_vector_get_query);
  g_test_add_func ("/juice/sign/vector/no-params", test_vector_no_params);
  g_test_add_func ("/juice/sign/vector/nested", test_vector_nested);
  g_test_add_func ("/juice/sign/long-array-byte-order", test_long_array_byte_order);
  g_test_add_func ("/juice/sign/nested-arrays-of-objects", test_nested_arrays_of_objects);
  g_test_add_func ("/juice/sign/strings-raw", test_strings_raw);
  g_test_add_func ("/juice/sign/scalars", test_scalars);
  g_test_add_func ("/juice/sign/query-and-body", test_query_and_body);
  g_test_add_func ("/juice/sign/refused", test_refused);
  g_test_add_func ("/juice/sign/inputs-change-sign", test_changes_change_sign);
  g_test_add_func ("/juice/sign/nonce-timestamp", test_nonce_timestamp);

  return g_test_run ();
}
