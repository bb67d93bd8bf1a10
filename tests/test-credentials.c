/* test-credentials.c: the API keys in a real keyring
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Needs a secret service (build-aux/dev.sh test starts gnome-keyring inside
 * dbus-run-session); skipped with the reason when there is none.
 */

#include <string.h>

#include "juice-credentials.h"

#define HOST_A "https://juice-test-a.invalid"
#define HOST_B "https://juice-test-b.invalid:8443"

static char *skip_reason;

static gboolean
need_keyring (void)
{
  if (skip_reason != NULL)
    {
      g_test_skip (skip_reason);
      return FALSE;
    }

  return TRUE;
}

typedef struct
{
  GAsyncResult *result;
} Wait;

static void
wait_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
}

static GAsyncResult *
wait_for (Wait *wait)
{
  while (wait->result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return wait->result;
}

static void
store (const char *host,
       const char *access_key,
       const char *secret_key)
{
  g_autoptr(JuiceCredentials) credentials = juice_credentials_new (access_key, secret_key);
  g_autoptr(GError) error = NULL;
  Wait wait = { NULL };

  juice_credentials_store_async (host, credentials, NULL, wait_cb, &wait);
  g_assert_true (juice_credentials_store_finish (wait_for (&wait), &error));
  g_assert_no_error (error);
  g_object_unref (wait.result);
}

static JuiceCredentials *
lookup (const char *host)
{
  g_autoptr(GError) error = NULL;
  JuiceCredentials *credentials;
  Wait wait = { NULL };

  juice_credentials_lookup_async (host, NULL, wait_cb, &wait);
  credentials = juice_credentials_lookup_finish (wait_for (&wait), &error);
  g_assert_no_error (error);
  g_object_unref (wait.result);

  return credentials;
}

static gboolean
clear (const char *host)
{
  g_autoptr(GError) error = NULL;
  Wait wait = { NULL };
  gboolean removed;

  juice_credentials_clear_async (host, NULL, wait_cb, &wait);
  removed = juice_credentials_clear_finish (wait_for (&wait), &error);
  g_assert_no_error (error);
  g_object_unref (wait.result);

  return removed;
}

static void
test_async (void)
{
  g_autoptr(JuiceCredentials) a = NULL;
  g_autoptr(JuiceCredentials) b = NULL;
  g_autoptr(JuiceCredentials) replaced = NULL;
  g_autoptr(JuiceCredentials) gone = NULL;

  if (!need_keyring ())
    return;

  store (HOST_A, "AKfirst", "SKfirst");
  store (HOST_B, "AKsecond", "SKsecond");

  /* one item per host */
  a = lookup (HOST_A);
  b = lookup (HOST_B);
  g_assert_nonnull (a);
  g_assert_nonnull (b);
  g_assert_cmpstr (a->access_key, ==, "AKfirst");
  g_assert_cmpstr (a->secret_key, ==, "SKfirst");
  g_assert_cmpstr (b->access_key, ==, "AKsecond");
  g_assert_cmpstr (b->secret_key, ==, "SKsecond");

  /* new keys for a host replace the old ones, not add to them */
  store (HOST_A, "AKnew", "SKnew");
  replaced = lookup (HOST_A);
  g_assert_cmpstr (replaced->access_key, ==, "AKnew");
  g_assert_cmpstr (replaced->secret_key, ==, "SKnew");

  g_assert_true (clear (HOST_A));
  gone = lookup (HOST_A);
  g_assert_null (gone);
  g_assert_false (clear (HOST_A));

  /* the other host is untouched */
  g_clear_pointer (&b, juice_credentials_free);
  b = lookup (HOST_B);
  g_assert_nonnull (b);
  g_assert_true (clear (HOST_B));
}

static void
test_sync (void)
{
  g_autoptr(JuiceCredentials) in = juice_credentials_new ("AKsync", "SKsync with spaces ü");
  g_autoptr(JuiceCredentials) out = NULL;
  g_autoptr(JuiceCredentials) none = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) attributes = NULL;
  g_autolist(GObject) items = NULL;

  if (!need_keyring ())
    return;

  g_assert_true (juice_credentials_store_sync (HOST_A, in, NULL, &error));
  g_assert_no_error (error);

  out = juice_credentials_lookup_sync (HOST_A, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (out->access_key, ==, "AKsync");
  g_assert_cmpstr (out->secret_key, ==, "SKsync with spaces ü");

  /* the schema and attributes other tools see */
  attributes = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_insert (attributes, (gpointer) "api-host", (gpointer) HOST_A);
  items = secret_password_searchv_sync (juice_credentials_get_schema (), attributes,
                                        SECRET_SEARCH_ALL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_length (items), ==, 1);
  g_assert_cmpstr (juice_credentials_get_schema ()->name, ==,
                   "io.github.juicepower.Juice.Credentials");
  {
    g_autoptr(GHashTable) found = secret_retrievable_get_attributes (items->data);
    g_autofree char *label = secret_retrievable_get_label (items->data);

    g_assert_cmpstr (g_hash_table_lookup (found, "access-key"), ==, "AKsync");
    g_assert_cmpstr (g_hash_table_lookup (found, "api-host"), ==, HOST_A);
    /* the label names the host, never a key */
    g_assert_null (strstr (label, "AKsync"));
    g_assert_null (strstr (label, "SKsync"));
  }

  g_assert_true (juice_credentials_clear_sync (HOST_A, NULL, &error));
  g_assert_no_error (error);
  none = juice_credentials_lookup_sync (HOST_A, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (none);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JuiceCredentials) probe = NULL;
  int ret;

  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    skip_reason = g_strdup ("no D-Bus session bus (run the tests with build-aux/dev.sh test)");
  else if ((probe = juice_credentials_lookup_sync (HOST_A, NULL, &error)), error != NULL)
    skip_reason = g_strdup_printf ("no secret service: %s", error->message);

  g_test_add_func ("/juice/credentials/async", test_async);
  g_test_add_func ("/juice/credentials/sync", test_sync);

  ret = g_test_run ();
  g_free (skip_reason);

  return ret;
}
