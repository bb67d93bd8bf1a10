/* fuzz-history-csv.c: what the history records from the network (a serial
 * number, series, times, values) written out by the CSV export
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Input: a serial number up to the first '\n' (at most 64 bytes, as the
 * device list allows), then records of 17 bytes: series (1), time (8),
 * value (8, a double's bits). Each input writes to a fresh database, exports
 * the device's CSV and reads it back: every row has five fields, the serial
 * number as it was, a known series with its unit, a number and a UTC time.
 */

#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>

#include "juice-history.h"

#include "fuzz-common.h"

#define NOW 1767225600  /* 2026-01-01, the history's clock */

static char *dir = NULL;

static void
remove_dir (void)
{
  g_rmdir (dir);
}

static gint64
fixed_clock (gpointer user_data)
{
  return NOW;
}

/* Splits one CSV line into fields (RFC 4180 quoting); NULL when malformed. */
static GPtrArray *
split_line (const char *line)
{
  g_autoptr(GPtrArray) fields = g_ptr_array_new_with_free_func (g_free);
  const char *p = line;

  while (TRUE)
    {
      GString *field = g_string_new (NULL);

      if (*p == '"')
        {
          for (p++; ; p++)
            {
              if (*p == '\0')
                {
                  g_string_free (field, TRUE);
                  return NULL;
                }
              if (*p == '"' && p[1] == '"')
                {
                  g_string_append_c (field, '"');
                  p++;
                }
              else if (*p == '"')
                {
                  p++;
                  break;
                }
              else
                g_string_append_c (field, *p);
            }
        }
      else
        {
          while (*p != ',' && *p != '\0')
            {
              if (*p == '"')
                {
                  g_string_free (field, TRUE);
                  return NULL;
                }
              g_string_append_c (field, *p++);
            }
        }

      g_ptr_array_add (fields, g_string_free (field, FALSE));
      if (*p == '\0')
        return g_steal_pointer (&fields);
      if (*p != ',')
        return NULL;
      p++;
    }
}

/* Splits the export into rows, line breaks inside quotes kept. */
static GPtrArray *
split_rows (const char *csv)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func (g_free);
  gboolean quoted = FALSE;
  const char *start = csv;

  for (const char *p = csv; *p != '\0'; p++)
    {
      if (*p == '"')
        quoted = !quoted;
      else if (*p == '\n' && !quoted)
        {
          g_ptr_array_add (rows, g_strndup (start, p - start));
          start = p + 1;
        }
    }
  g_assert_false (quoted);
  g_assert_true (*start == '\0');  /* every row ends with a line break */

  return rows;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(JuiceHistory) history = NULL;
  g_autoptr(GOutputStream) out = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *serial_number = NULL;
  g_autofree char *csv = NULL;
  const uint8_t *end;
  gsize n_serial;
  guint n_records = 0;

  fuzz_init_once ();
  if (dir == NULL)
    {
      /* In memory where there is a tmpfs: a database per input, no fsync. */
      if (g_file_test ("/dev/shm", G_FILE_TEST_IS_DIR))
        dir = g_mkdtemp (g_build_filename ("/dev/shm", "juice-fuzz-history-XXXXXX", NULL));
      if (dir == NULL)
        dir = g_dir_make_tmp ("juice-fuzz-history-XXXXXX", &error);
      g_assert_no_error (error);
      g_assert_nonnull (dir);
      atexit (remove_dir);
    }

  end = memchr (data, '\n', size);
  n_serial = end != NULL ? (gsize) (end - data) : size;
  if (n_serial == 0 || n_serial > 64 || memchr (data, '\0', n_serial) != NULL)
    return 0;
  serial_number = g_strndup ((const char *) data, n_serial);
  data += n_serial + (end != NULL ? 1 : 0);
  size -= n_serial + (end != NULL ? 1 : 0);

  path = g_build_filename (dir, "history.db", NULL);
  history = juice_history_new (path, &error);
  g_assert_no_error (error);
  juice_history_set_clock (history, fixed_clock, NULL);
  juice_history_set_device_name (history, serial_number, serial_number);

  for (; size >= 17; data += 17, size -= 17)
    {
      gint64 time;
      double value;

      memcpy (&time, data + 1, sizeof time);
      memcpy (&value, data + 9, sizeof value);
      /* Times within ±60 days of the clock: raw samples and aggregates. */
      time = NOW - 60 * 86400 + (gint64) ((guint64) time % (120 * 86400));
      juice_history_record (history, serial_number, data[0] % JUICE_HISTORY_N_SERIES, time,
                            value);
      n_records++;
    }
  juice_history_flush (history);

  out = g_memory_output_stream_new_resizable ();
  g_assert_true (juice_history_export_csv (history, serial_number, NOW - 61 * 86400,
                                           NOW + 61 * 86400, out, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_write_all (out, "", 1, NULL, NULL, NULL));
  g_assert_true (g_output_stream_close (out, NULL, NULL));
  csv = g_memory_output_stream_steal_data (G_MEMORY_OUTPUT_STREAM (out));

  rows = split_rows (csv);
  for (guint i = 0; i < rows->len; i++)
    {
      g_autoptr(GPtrArray) fields = split_line (g_ptr_array_index (rows, i));
      JuiceHistorySeries series;
      const char *stamp;
      char *number_end;

      /* A header line, if any, is the column names. */
      if (i == 0 && g_str_has_prefix (g_ptr_array_index (rows, 0), "time,"))
        continue;

      g_assert_nonnull (fields);
      g_assert_cmpuint (fields->len, ==, 5);
      stamp = g_ptr_array_index (fields, 0);
      g_assert_cmpuint (strlen (stamp), ==, 20);
      g_assert_true (stamp[10] == 'T' && stamp[19] == 'Z');
      g_assert_cmpstr (g_ptr_array_index (fields, 1), ==, serial_number);
      g_assert_true (juice_history_series_from_name (g_ptr_array_index (fields, 2), &series));
      g_ascii_strtod (g_ptr_array_index (fields, 3), &number_end);
      g_assert_true (*number_end == '\0');
      g_assert_cmpstr (g_ptr_array_index (fields, 4), ==, juice_history_series_get_unit (series));
    }
  /* At most a row per sample and per aggregate of each. */
  g_assert_cmpuint (rows->len, <=, 2 * n_records + 1);

  g_clear_object (&history);
  for (const char *suffix = ""; suffix != NULL; suffix = *suffix == '\0' ? "-wal" :
       g_str_equal (suffix, "-wal") ? "-shm" : NULL)
    {
      g_autofree char *file = g_strconcat (path, suffix, NULL);

      g_unlink (file);
    }

  return 0;
}
