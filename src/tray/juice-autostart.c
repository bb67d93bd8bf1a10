/* juice-autostart.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "juice-autostart"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "juice-autostart.h"

char *
juice_autostart_get_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "autostart", APP_ID ".desktop", NULL);
}

gboolean
juice_autostart_is_enabled (void)
{
  g_autofree char *path = juice_autostart_get_path ();

  return g_file_test (path, G_FILE_TEST_IS_REGULAR);
}

/* An Exec argument as the Desktop Entry spec quotes it: in double quotes,
 * with ", `, $ and \ escaped and % doubled, when it holds anything but
 * plain characters. */
static char *
quote_exec_argument (const char *argument)
{
  GString *quoted;

  if (*argument != '\0' && strspn (argument, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                              "0123456789/._-+,:=@") == strlen (argument))
    return g_strdup (argument);

  quoted = g_string_new ("\"");
  for (const char *p = argument; *p != '\0'; p++)
    {
      if (*p == '%')
        g_string_append_c (quoted, '%');   /* not a field code */
      else if (strchr ("\"`$\\", *p) != NULL)
        g_string_append_c (quoted, '\\');
      g_string_append_c (quoted, *p);
    }
  g_string_append_c (quoted, '"');

  return g_string_free (quoted, FALSE);
}

gboolean
juice_autostart_set_enabled (gboolean     enabled,
                             const char  *command,
                             GError     **error)
{
  g_autofree char *path = juice_autostart_get_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GKeyFile) entry = NULL;
  g_autofree char *exec = NULL;
  g_autofree char *quoted = NULL;

  g_return_val_if_fail (!enabled || command != NULL, FALSE);

  if (!enabled)
    {
      if (g_unlink (path) != 0 && errno != ENOENT)
        {
          int saved = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                       _("Could not remove %s: %s"), path, g_strerror (saved));
          return FALSE;
        }
      return TRUE;
    }

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not create %s: %s"), dir, g_strerror (saved));
      return FALSE;
    }

  quoted = quote_exec_argument (command);
  exec = g_strdup_printf ("%s --background", quoted);
  entry = g_key_file_new ();
  g_key_file_set_string (entry, "Desktop Entry", "Type", "Application");
  g_key_file_set_string (entry, "Desktop Entry", "Name", "Juice");
  g_key_file_set_string (entry, "Desktop Entry", "Comment",
                         "Watch your power station from the tray");
  g_key_file_set_string (entry, "Desktop Entry", "Icon", APP_ID);
  g_key_file_set_string (entry, "Desktop Entry", "Exec", exec);
  g_key_file_set_boolean (entry, "Desktop Entry", "Terminal", FALSE);
  g_key_file_set_boolean (entry, "Desktop Entry", "X-GNOME-Autostart-enabled", TRUE);

  return g_key_file_save_to_file (entry, path, error);
}
