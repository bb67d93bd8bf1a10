/* test-secure-util.c: the loopback rule and wiping secrets (src/core/base)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "juice-secure-util.h"

static void
test_loopback_accepted (void)
{
  const char *hosts[] = {
    "localhost", "LOCALHOST", "LocalHost",
    "127.0.0.1", "127.0.0.0", "127.1.2.3", "127.255.255.255",
    "::1", "0:0:0:0:0:0:0:1",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (hosts); i++)
    {
      g_test_message ("%s", hosts[i]);
      g_assert_true (juice_host_is_loopback (hosts[i]));
    }
}

static void
test_loopback_refused (void)
{
  const char *hosts[] = {
    "127.example.com", "localhost.example.com", "localhost.", "mylocalhost",
    "127.0.0.1.example.com", "128.0.0.1", "126.255.255.255", "10.0.0.1",
    "192.168.1.1", "0.0.0.0", "::", "::2", "::ffff:10.0.0.1", "[::1]",
    "127.0.0.1:80", " 127.0.0.1", "127.0.0.1 ", "", "api.example.com",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (hosts); i++)
    {
      g_test_message ("“%s”", hosts[i]);
      g_assert_false (juice_host_is_loopback (hosts[i]));
    }

  g_assert_false (juice_host_is_loopback (NULL));
}

static void
test_wipe_string (void)
{
  char *secret = g_strdup ("SKtest3Fg6Jh0Kl5Mn8Pq2Rt4Vw7Yz");
  char *none = NULL;

  juice_wipe_string (&secret);
  g_assert_null (secret);

  juice_wipe_string (&none);
  g_assert_null (none);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/juice/secure-util/loopback/accepted", test_loopback_accepted);
  g_test_add_func ("/juice/secure-util/loopback/refused", test_loopback_refused);
  g_test_add_func ("/juice/secure-util/wipe-string", test_wipe_string);

  return g_test_run ();
}
