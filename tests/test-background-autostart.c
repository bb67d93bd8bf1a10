/* test-background-autostart.c: the XDG autostart entry "Start at login" writes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <glib/gstdio.h>

#include "juice-autostart.h"

static char *config_dir;

static char *
exec_line (void)
{
  g_autofree char *path = juice_autostart_get_path ();
  g_autoptr(GKeyFile) entry = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  char *exec;

  g_assert_true (g_key_file_load_from_file (entry, path, G_KEY_FILE_NONE, &error));
  g_assert_no_error (error);
  g_assert_true (g_key_file_get_boolean (entry, "Desktop Entry", "X-GNOME-Autostart-enabled", NULL));
  exec = g_key_file_get_string (entry, "Desktop Entry", "Exec", &error);
  g_assert_no_error (error);
  return exec;
}

static void
test_autostart (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = juice_autostart_get_path ();
  g_autofree char *plain = NULL;
  g_autofree char *odd = NULL;

  g_assert_true (g_str_has_prefix (path, config_dir));
  g_assert_false (juice_autostart_is_enabled ());

  /* Removing what is not there is fine. */
  g_assert_true (juice_autostart_set_enabled (FALSE, NULL, &error));
  g_assert_no_error (error);

  g_assert_true (juice_autostart_set_enabled (TRUE, "juice", &error));
  g_assert_no_error (error);
  g_assert_true (juice_autostart_is_enabled ());
  plain = exec_line ();
  g_assert_cmpstr (plain, ==, "juice --background");

  /* A path with spaces, quotes, $ and %: quoted as the Desktop Entry spec says. */
  g_assert_true (juice_autostart_set_enabled (TRUE, "/opt/my apps/ju\"ice$%", &error));
  g_assert_no_error (error);
  odd = exec_line ();
  g_assert_cmpstr (odd, ==, "\"/opt/my apps/ju\\\"ice\\$%%\" --background");

  g_assert_true (juice_autostart_set_enabled (FALSE, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (juice_autostart_is_enabled ());
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  /* Before GLib reads it: a config folder of this test's own. */
  config_dir = g_dir_make_tmp ("juice-autostart-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_CONFIG_HOME", config_dir, TRUE);

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/juice/background/autostart", test_autostart);
  status = g_test_run ();

  {
    g_autofree char *dir = g_build_filename (config_dir, "autostart", NULL);

    g_rmdir (dir);
    g_rmdir (config_dir);
    g_free (config_dir);
  }

  return status;
}
