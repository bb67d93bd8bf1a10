/* test-sign-in.c: signing in against the fake cloud, keys in the real keyring
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include <adwaita.h>

#include "fake-cloud.h"
#include "juice-credentials.h"
#include "juice-sign-in-dialog.h"
#include "ui-util.h"

typedef struct
{
  FakeCloudCerts *certs;
  FakeCloud      *cloud;
} Fixture;

static gboolean
keyring_available (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JuiceCredentials) found = NULL;

  found = juice_credentials_lookup_sync ("https://keyring-probe.invalid", NULL, &error);
  return error == NULL;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->certs = fake_cloud_certs_new (&error);
  g_assert_no_error (error);
  f->cloud = fake_cloud_new (f->certs, TRUE);
  fake_cloud_add_device (f->cloud, "DCABZ8A1B2C3D4E5", "Cabin", "DELTA Pro");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_pointer (&f->cloud, fake_cloud_free);
  g_clear_pointer (&f->certs, fake_cloud_certs_free);
}

static JuiceCloud *signed_in_cloud;

static void
on_signed_in (JuiceSignInDialog *dialog,
              JuiceCloud        *cloud)
{
  g_set_object (&signed_in_cloud, cloud);
}

static JuiceSignInDialog *
open_dialog (Fixture    *f,
             const char *access_key,
             const char *secret_key)
{
  JuiceSignInDialog *dialog;

  dialog = JUICE_SIGN_IN_DIALOG (juice_sign_in_dialog_new (NULL, NULL, f->certs->ca_file));
  g_object_ref_sink (dialog);
  g_signal_connect (dialog, "signed-in", G_CALLBACK (on_signed_in), NULL);
  juice_sign_in_dialog_fill (dialog, fake_cloud_get_base_url (f->cloud), access_key, secret_key);
  ui_present (GTK_WINDOW (dialog));
  return dialog;
}

static void
submit_and_wait (JuiceSignInDialog *dialog)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (dialog), "sign-in.submit", NULL));
  g_assert_true (juice_sign_in_dialog_get_busy (dialog));
  UI_WAIT_UNTIL (!juice_sign_in_dialog_get_busy (dialog));
}

static void
test_wrong_key (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JuiceCredentials) stored = NULL;
  g_autoptr(JuiceSignInDialog) dialog = NULL;

  g_clear_object (&signed_in_cloud);
  dialog = open_dialog (f, "AKwrongwrongwrongwrong00", FAKE_CLOUD_SECRET_KEY);
  submit_and_wait (dialog);

  /* A plain-words error that names the region, nothing stored, no sign-in. */
  g_assert_nonnull (juice_sign_in_dialog_get_error (dialog));
  g_assert_nonnull (strstr (juice_sign_in_dialog_get_error (dialog), "8513"));
  g_assert_nonnull (strstr (juice_sign_in_dialog_get_error (dialog), "region"));
  g_assert_null (signed_in_cloud);
  gtk_window_destroy (GTK_WINDOW (dialog));

  if (!keyring_available ())
    {
      g_test_skip ("No secret service on the session bus (run inside build-aux/dev.sh test): "
                   "that nothing was stored is not checked");
      return;
    }

  stored = juice_credentials_lookup_sync (fake_cloud_get_base_url (f->cloud), NULL, &error);
  g_assert_no_error (error);
  g_assert_null (stored);
}

static void
test_right_keys (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JuiceCredentials) stored = NULL;
  g_autoptr(JuiceSignInDialog) dialog = NULL;

  if (!keyring_available ())
    {
      g_test_skip ("No secret service on the session bus (run inside build-aux/dev.sh test)");
      return;
    }

  g_clear_object (&signed_in_cloud);
  dialog = open_dialog (f, FAKE_CLOUD_ACCESS_KEY, FAKE_CLOUD_SECRET_KEY);
  submit_and_wait (dialog);

  g_assert_null (juice_sign_in_dialog_get_error (dialog));
  g_assert_nonnull (signed_in_cloud);
  g_assert_cmpstr (juice_cloud_get_base_url (signed_in_cloud), ==, fake_cloud_get_base_url (f->cloud));

  /* Stored in the keyring, under the base URL. */
  stored = juice_credentials_lookup_sync (fake_cloud_get_base_url (f->cloud), NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (stored);
  g_assert_cmpstr (stored->access_key, ==, FAKE_CLOUD_ACCESS_KEY);
  g_assert_cmpstr (stored->secret_key, ==, FAKE_CLOUD_SECRET_KEY);

  /* ...and nowhere in GSettings. */
  {
    g_autoptr(GSettings) settings = g_settings_new ("io.github.juicepower.Juice");
    g_autoptr(GSettingsSchema) schema = NULL;
    g_auto(GStrv) keys = NULL;

    g_object_get (settings, "settings-schema", &schema, NULL);
    keys = g_settings_schema_list_keys (schema);
    for (guint i = 0; keys[i] != NULL; i++)
      {
        g_autoptr(GVariant) value = g_settings_get_value (settings, keys[i]);
        g_autofree char *text = g_variant_print (value, FALSE);

        g_assert_null (strstr (text, FAKE_CLOUD_SECRET_KEY));
        g_assert_null (strstr (text, FAKE_CLOUD_ACCESS_KEY));
      }
  }

  /* Signing out removes them. */
  g_assert_true (juice_credentials_clear_sync (fake_cloud_get_base_url (f->cloud), NULL, &error));
  g_assert_no_error (error);
  g_clear_pointer (&stored, juice_credentials_free);
  stored = juice_credentials_lookup_sync (fake_cloud_get_base_url (f->cloud), NULL, &error);
  g_assert_no_error (error);
  g_assert_null (stored);

  g_clear_object (&signed_in_cloud);
}

static void
test_screenshot (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(JuiceSignInDialog) dialog = open_dialog (f, "AKexample", NULL);

  ui_save_screenshot (GTK_WIDGET (dialog), "sign-in.png");

  /* Without a secret key the button stays off. */
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (dialog), "sign-in.submit", NULL) &&
                  juice_sign_in_dialog_get_busy (dialog));
  gtk_window_destroy (GTK_WINDOW (dialog));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/juice/ui/sign-in/wrong-key", Fixture, NULL, fixture_set_up, test_wrong_key,
              fixture_tear_down);
  g_test_add ("/juice/ui/sign-in/right-keys-in-keyring", Fixture, NULL, fixture_set_up,
              test_right_keys, fixture_tear_down);
  g_test_add ("/juice/ui/sign-in/screenshot", Fixture, NULL, fixture_set_up, test_screenshot,
              fixture_tear_down);

  return g_test_run ();
}
