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

/* A save interrupted at the first change it makes to the keyring: the
 * keyring's own ItemCreated/ItemDeleted signal cancels it. Storing the new
 * item then fails or its clean-up stops; either way a working pair stays.
 * Clearing first and storing after (the old order) lost the keys here. */
typedef struct
{
  GCancellable *cancellable;
  guint         n_changes;
} Interrupt;

static void
keyring_changed_cb (GDBusConnection *connection,
                    const char      *sender,
                    const char      *path,
                    const char      *interface,
                    const char      *member,
                    GVariant        *parameters,
                    gpointer         user_data)
{
  Interrupt *interrupt = user_data;

  interrupt->n_changes++;
  g_cancellable_cancel (interrupt->cancellable);
}

static void
test_interrupted_store_keeps_keys (void)
{
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(JuiceCredentials) next = juice_credentials_new ("AKnext", "SKnext");
  g_autoptr(JuiceCredentials) kept = NULL;
  g_autoptr(GError) error = NULL;
  Interrupt interrupt = { cancellable, 0 };
  Wait wait = { NULL };
  gboolean stored;
  guint subscription;

  if (!need_keyring ())
    return;

  store (HOST_A, "AKworking", "SKworking");

  /* Already cancelled: nothing changes. */
  {
    g_autoptr(GCancellable) cancelled = g_cancellable_new ();
    g_autoptr(JuiceCredentials) same = NULL;

    g_cancellable_cancel (cancelled);
    juice_credentials_store_async (HOST_A, next, cancelled, wait_cb, &wait);
    g_assert_false (juice_credentials_store_finish (wait_for (&wait), &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_clear_error (&error);
    g_clear_object (&wait.result);
    same = lookup (HOST_A);
    g_assert_nonnull (same);
    g_assert_cmpstr (same->access_key, ==, "AKworking");
    g_assert_cmpstr (same->secret_key, ==, "SKworking");
  }

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  subscription = g_dbus_connection_signal_subscribe (bus, NULL, "org.freedesktop.Secret.Collection",
                                                     NULL, NULL, NULL, G_DBUS_SIGNAL_FLAGS_NONE,
                                                     keyring_changed_cb, &interrupt, NULL);

  juice_credentials_store_async (HOST_A, next, cancellable, wait_cb, &wait);
  stored = juice_credentials_store_finish (wait_for (&wait), &error);
  g_clear_object (&wait.result);
  g_dbus_connection_signal_unsubscribe (bus, subscription);

  /* the save did reach the keyring before it was stopped */
  g_assert_cmpuint (interrupt.n_changes, >, 0);
  g_assert_true (g_cancellable_is_cancelled (cancellable));
  g_test_message ("interrupted save: %s", stored ? "stored" : error->message);
  g_clear_error (&error);

  kept = lookup (HOST_A);
  g_assert_nonnull (kept);
  if (g_str_equal (kept->access_key, "AKworking"))
    g_assert_cmpstr (kept->secret_key, ==, "SKworking");
  else
    {
      g_assert_cmpstr (kept->access_key, ==, "AKnext");
      g_assert_cmpstr (kept->secret_key, ==, "SKnext");
    }

  /* an uninterrupted save afterwards leaves exactly the new item */
  store (HOST_A, "AKlast", "SKlast");
  {
    g_autoptr(GHashTable) attributes = g_hash_table_new (g_str_hash, g_str_equal);
    g_autolist(GObject) items = NULL;

    g_hash_table_insert (attributes, (gpointer) "api-host", (gpointer) HOST_A);
    items = secret_password_searchv_sync (juice_credentials_get_schema (), attributes,
                                          SECRET_SEARCH_ALL, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (g_list_length (items), ==, 1);
  }
  g_assert_true (clear (HOST_A));
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
  g_test_add_func ("/juice/credentials/interrupted-store-keeps-keys",
                   test_interrupted_store_keeps_keys);

  ret = g_test_run ();
  g_free (skip_reason);

  return ret;
}
