/* test-mosquitto-fixture.c: the broker fixture starts, restarts, and fails
 * within seconds, saying what is missing, when a part it needs is not there
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include <gio/gio.h>

#include "mosquitto-fixture.h"
#include "time-util.h"

/* Far below the minutes a client's reconnect loop would wait, above what
 * a loaded machine needs to find out (stretched by JUICE_TEST_TIME_SCALE,
 * as the fixture's own deadlines are). */
#define FAIL_FAST_S 10

static void
test_starts (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MosquittoFixture) broker = mosquitto_fixture_new (&error);
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;

  g_assert_no_error (error);
  g_assert_true (mosquitto_fixture_is_running (broker));
  g_assert_cmpstr (mosquitto_fixture_get_host (broker), ==, "localhost");

  /* The clients' way in: by name, on the TLS port. */
  connection = g_socket_client_connect_to_host (client, mosquitto_fixture_get_host (broker),
                                                mosquitto_fixture_get_port (broker), NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&connection);

  /* Stopped, it refuses; restarted, it accepts again on the same port. */
  mosquitto_fixture_stop (broker);
  g_assert_false (mosquitto_fixture_is_running (broker));
  connection = g_socket_client_connect_to_host (client, "127.0.0.1",
                                                mosquitto_fixture_get_plain_port (broker), NULL,
                                                &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
  g_clear_error (&error);

  g_assert_true (mosquitto_fixture_start (broker, &error));
  g_assert_no_error (error);
  connection = g_socket_client_connect_to_host (client, "127.0.0.1",
                                                mosquitto_fixture_get_plain_port (broker), NULL,
                                                &error);
  g_assert_no_error (error);
  g_assert_cmpuint (mosquitto_fixture_count_in_log (broker, " running\n"), ==, 2);
}

/* With @variable set to @value, the fixture fails within FAIL_FAST_S and
 * its message holds @needle. Run in a subprocess of the test, which sets
 * the variable before it starts any thread. */
static void
assert_fails_fast (const char *variable,
                   const char *value,
                   GQuark      domain,
                   int         code,
                   const char *needle)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MosquittoFixture) broker = NULL;
  gint64 start;

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, test_time_scale_us (3 * FAIL_FAST_S * G_USEC_PER_SEC),
                              G_TEST_SUBPROCESS_DEFAULT);
      g_test_trap_assert_passed ();
      g_test_trap_assert_stdout ("*: *");
      return;
    }

  g_setenv (variable, value, TRUE);
  start = g_get_monotonic_time ();
  broker = mosquitto_fixture_new (&error);

  g_assert_null (broker);
  g_assert_error (error, domain, code);
  /* Shown on the test's output: the reason a person reads. */
  g_print ("%s=%s: %s\n", variable, value, error->message);
  g_assert_nonnull (strstr (error->message, needle));
  g_assert_cmpint (g_get_monotonic_time () - start, <, test_time_scale_us (FAIL_FAST_S * G_USEC_PER_SEC));
}

static void
test_no_mosquitto (void)
{
  assert_fails_fast ("JUICE_TEST_MOSQUITTO", "/nonexistent/mosquitto",
                     G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "/nonexistent/mosquitto");
}

static void
test_no_openssl (void)
{
  assert_fails_fast ("JUICE_TEST_OPENSSL", "/nonexistent/openssl",
                     G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "/nonexistent/openssl");
}

/* A mosquitto that ends at once: the fixture says so, without waiting
 * out its start deadline. */
static void
test_broker_ends (void)
{
  g_autofree char *false_path = g_find_program_in_path ("false");

  g_assert_nonnull (false_path);
  assert_fails_fast ("JUICE_TEST_MOSQUITTO", false_path, G_IO_ERROR, G_IO_ERROR_FAILED,
                     "ended instead of listening");
}

/* The host clients use does not resolve (as "localhost" without an
 * /etc/hosts): the fixture fails before starting anything. */
static void
test_host_does_not_resolve (void)
{
  assert_fails_fast ("JUICE_TEST_BROKER_HOST", "juice-fixture-test.invalid",
                     G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND, "juice-fixture-test.invalid");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/juice/fixture/mosquitto/starts-and-restarts", test_starts);
  g_test_add_func ("/juice/fixture/mosquitto/fails-fast/no-mosquitto", test_no_mosquitto);
  g_test_add_func ("/juice/fixture/mosquitto/fails-fast/no-openssl", test_no_openssl);
  g_test_add_func ("/juice/fixture/mosquitto/fails-fast/broker-ends", test_broker_ends);
  g_test_add_func ("/juice/fixture/mosquitto/fails-fast/host-does-not-resolve",
                   test_host_does_not_resolve);

  return g_test_run ();
}
