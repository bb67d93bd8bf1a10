/* test-core-no-gtk.c: src/core stays free of GTK
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include <glib.h>

/* Every .c and .h under @dir, subfolders included; a GTK include fails. */
static guint
check_dir (const char *dir)
{
  g_autoptr(GDir) d = NULL;
  g_autoptr(GError) error = NULL;
  const char *name;
  guint n_files = 0;

  d = g_dir_open (dir, 0, &error);
  g_assert_no_error (error);

  while ((name = g_dir_read_name (d)))
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *contents = NULL;
      g_auto(GStrv) lines = NULL;

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        {
          n_files += check_dir (path);
          continue;
        }

      if (!g_str_has_suffix (name, ".c") && !g_str_has_suffix (name, ".h"))
        continue;

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
            g_error ("%s:%u includes a GTK header: %s", path, i + 1, line);
        }
    }

  return n_files;
}

static void
test_no_gtk_includes (void)
{
  const char *source_dir = g_getenv ("JUICE_SOURCE_DIR");
  g_autofree char *dir = NULL;

  if (source_dir == NULL)
    {
      g_test_skip ("JUICE_SOURCE_DIR is not set: src/core's includes are not checked "
                   "(meson test sets it)");
      return;
    }

  dir = g_build_filename (source_dir, "src", "core", NULL);
  g_assert_cmpuint (check_dir (dir), >=, 10);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/juice/core/no-gtk-includes", test_no_gtk_includes);

  return g_test_run ();
}
