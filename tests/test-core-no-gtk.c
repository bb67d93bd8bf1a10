/* test-core-no-gtk.c: src/core stays free of GTK
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include <glib.h>

static void
test_no_gtk_includes (void)
{
  g_autofree char *dir = g_build_filename (g_getenv ("JUICE_SOURCE_DIR"), "src", "core", NULL);
  g_autoptr(GDir) d = NULL;
  g_autoptr(GError) error = NULL;
  const char *name;
  guint n_files = 0;

  d = g_dir_open (dir, 0, &error);
  g_assert_no_error (error);

  while ((name = g_dir_read_name (d)))
    {
      g_autofree char *path = NULL;
      g_autofree char *contents = NULL;
      g_auto(GStrv) lines = NULL;

      if (!g_str_has_suffix (name, ".c") && !g_str_has_suffix (name, ".h"))
        continue;

      path = g_build_filename (dir, name, NULL);
      g_file_get_contents (path, &contents, NULL, &error);
      g_assert_no_error (error);
      n_files++;

      lines = g_strsplit (contents, "\n", -1);
      for (guint i = 0; lines[i] != NULL; i++)
        {
          const char *line = g_strchug (lines[i]);

          if (!g_str_has_prefix (line, "#include") && !g_str_has_prefix (line, "# include"))
            continue;

          if (strstr (line, "<gtk/") || strstr (line, "<gdk/") || strstr (line, "<adwaita.h>") ||
              strstr (line, "<gsk/"))
            g_error ("%s:%u includes a GTK header: %s", name, i + 1, line);
        }
    }

  g_assert_cmpuint (n_files, >=, 10);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/juice/core/no-gtk-includes", test_no_gtk_includes);

  return g_test_run ();
}
