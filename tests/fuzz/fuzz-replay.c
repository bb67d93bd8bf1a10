/* fuzz-replay.c: runs files through a fuzz target, outside libFuzzer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: fuzz-TARGET-replay DIR|FILE...  Every file of each folder (seed
 * corpus, crashing inputs kept as regressions) goes through the target's
 * LLVMFuzzerTestOneInput() once, as in the fuzzer; a crash, a sanitizer
 * report or a fatal warning fails the test. Prints TAP.
 */

#include <stdio.h>
#include <stdlib.h>

#include "fuzz-common.h"

static void
collect (const char *path,
         GPtrArray  *files)
{
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = NULL;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_ptr_array_add (files, g_strdup (path));
      return;
    }

  dir = g_dir_open (path, 0, NULL);
  if (dir == NULL)
    return;

  names = g_ptr_array_new_with_free_func (g_free);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (name[0] != '.' && g_strcmp0 (name, "README.md") != 0)
      g_ptr_array_add (names, g_build_filename (path, name, NULL));

  /* The same order everywhere, for readable logs. */
  g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
  for (guint i = 0; i < names->len; i++)
    g_ptr_array_add (files, g_strdup (g_ptr_array_index (names, i)));
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);

  for (int i = 1; i < argc; i++)
    collect (argv[i], files);

  if (files->len == 0)
    {
      /* A replay with nothing to replay cannot fail: say so loudly. */
      printf ("1..0 # SKIP no input files in the folders given\n");
      fprintf (stderr, "fuzz-replay: no input files found\n");
      return 1;
    }

  printf ("1..%u\n", files->len);
  fflush (stdout);

  for (guint i = 0; i < files->len; i++)
    {
      const char *file = g_ptr_array_index (files, i);
      g_autofree char *contents = NULL;
      g_autoptr(GError) error = NULL;
      gsize length;

      if (!g_file_get_contents (file, &contents, &length, &error))
        {
          printf ("not ok %u - %s: %s\n", i + 1, file, error->message);
          continue;
        }

      /* An exact-size copy, so that reading past the end is caught. */
      {
        g_autofree guint8 *copy = g_memdup2 (contents, length);

        LLVMFuzzerTestOneInput (length > 0 ? copy : (const guint8 *) "", length);
      }
      printf ("ok %u - %s\n", i + 1, file);
      fflush (stdout);
    }

  return 0;
}
