/* test-history-ctl.c: `juice-ctl history` on a history Juice recorded
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "juice-history.h"

#define SN "DCABZ8A1B2C3D4E5"

typedef struct
{
  char   *home;
  char   *data;      /* XDG_DATA_HOME */
  gint64  start;     /* first sample, two hours ago on a 5-minute boundary */
} Fixture;

typedef struct
{
  char *out;
  char *err;
  int   status;
} Run;

static void
run_free (Run *run)
{
  g_free (run->out);
  g_free (run->err);
  g_free (run);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Run, run_free)

static Run *
run_ctl (Fixture    *f,
         const char *data_home,
         ...)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  const char *ctl = g_getenv ("JUICE_CTL");
  Run *run = g_new0 (Run, 1);
  const char *arg;
  va_list args;

  g_assert_nonnull (ctl);
  g_ptr_array_add (argv, (char *) ctl);
  va_start (args, data_home);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "HOME", f->home, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", data_home, TRUE);
  g_subprocess_launcher_setenv (launcher, "TZ", "UTC", TRUE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  run->status = g_subprocess_get_exit_status (process);

  {
    g_autofree char *line = g_strjoinv (" ", (char **) argv->pdata + 1);
    g_test_message ("$ juice-ctl %s\nexit %d\n%s%s", line, run->status, run->out, run->err);
  }
  g_assert_null (strstr (run->err, "CRITICAL"));
  g_assert_null (strstr (run->err, "WARNING"));

  return run;
}

static char *
utc (gint64 time, const char *format)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_utc (time);

  return g_date_time_format (dt, format);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JuiceHistory) history = NULL;
  g_autofree char *path = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  f->home = g_dir_make_tmp ("juice-history-ctl-XXXXXX", &error);
  g_assert_no_error (error);
  f->data = g_build_filename (f->home, "data", NULL);
  f->start = now - 7200 - now % 300;

  path = g_build_filename (f->data, "juice", "history.db", NULL);
  history = juice_history_new (path, &error);
  g_assert_no_error (error);
  juice_history_set_device_name (history, SN, "Cabin\tby the lake");
  /* A minute of samples; a counter of solar energy rising 60 Wh. */
  for (int i = 0; i < 6; i++)
    {
      juice_history_record (history, SN, JUICE_HISTORY_SERIES_SOC, f->start + i * 10, 80 + i);
      juice_history_record (history, SN, JUICE_HISTORY_SERIES_WATTS_IN, f->start + i * 10,
                            i == 3 ? 1234.5 : 300);
    }
  for (int i = 0; i <= 6; i++)
    juice_history_record_counter (history, SN, JUICE_HISTORY_COUNTER_SOLAR_IN,
                                  f->start + i * 600, 5000 + i * 10);
  juice_history_flush (history);
  g_assert_finalize_object (g_steal_pointer (&history));
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  remove_tree (f->home);
  g_free (f->home);
  g_free (f->data);
}

static void
test_list (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(Run) run = run_ctl (f, f->data, "history", NULL);
  g_autofree char *first = utc (f->start, "%Y-%m-%d %H:%M:%S");
  g_autofree char *last = utc (f->start + 50, "%Y-%m-%d %H:%M:%S");
  g_autofree char *want = NULL;

  g_assert_cmpint (run->status, ==, 0);
  /* The tab in the name does not break the columns: it prints as U+FFFD. */
  want = g_strdup_printf ("%s\tCabin\xef\xbf\xbd" "by the lake\t%s\t%s\n", SN, first, last);
  g_assert_cmpstr (run->out, ==, want);
}

static void
test_samples (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *from = g_strdup_printf ("@%" G_GINT64_FORMAT, f->start);
  g_autofree char *to = utc (f->start + 50, "%Y-%m-%dT%H:%M:%SZ");
  g_autoptr(Run) run = run_ctl (f, f->data, "history", SN, "--from", from, "--to", to, NULL);
  g_auto(GStrv) lines = g_strsplit (run->out, "\n", -1);
  g_autofree char *stamp = utc (f->start + 30, "%Y-%m-%d %H:%M:%S");
  g_autofree char *want = g_strdup_printf ("%s\t83\t1234.5\t\t\t\t\t\t", stamp);

  g_assert_cmpint (run->status, ==, 0);
  g_assert_cmpuint (g_strv_length (lines), ==, 8);  /* header, 6 rows, "" */
  g_assert_true (g_str_has_prefix (lines[0], "# time\tsoc (%)\twatts_in (W)"));
  g_assert_cmpstr (lines[4], ==, want);
}

static void
test_csv (Fixture       *f,
          gconstpointer  data)
{
  g_autofree char *from = g_strdup_printf ("@%" G_GINT64_FORMAT, f->start);
  g_autoptr(Run) run = run_ctl (f, f->data, "history", SN, "--from", from, "--csv", NULL);
  g_auto(GStrv) lines = g_strsplit (run->out, "\n", -1);
  g_autofree char *stamp = utc (f->start + 30, "%Y-%m-%dT%H:%M:%SZ");
  g_autofree char *want = g_strdup_printf ("%s,%s,watts_in,1234.5,W", stamp, SN);

  g_assert_cmpint (run->status, ==, 0);
  g_assert_cmpstr (lines[0], ==, "time,serial_number,series,value,unit");
  g_assert_cmpuint (g_strv_length (lines), ==, 14);
  g_assert_true (g_strv_contains ((const char * const *) lines, want));
}

static void
test_json (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *from = g_strdup_printf ("@%" G_GINT64_FORMAT, f->start);
  g_autoptr(Run) run = run_ctl (f, f->data, "history", SN, "--from", from, "--json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root, *sample;
  JsonArray *samples;

  g_assert_cmpint (run->status, ==, 0);
  json_parser_load_from_data (parser, run->out, -1, &error);
  g_assert_no_error (error);
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "sn"), ==, SN);
  samples = json_object_get_array_member (root, "samples");
  g_assert_cmpuint (json_array_get_length (samples), ==, 6);
  sample = json_array_get_object_element (samples, 3);
  g_assert_cmpfloat (json_object_get_double_member (sample, "soc"), ==, 83);
  g_assert_cmpfloat (json_object_get_double_member (sample, "watts_in"), ==, 1234.5);
  g_assert_false (json_object_has_member (sample, "ac_out"));
}

static void
test_daily (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *from = g_strdup_printf ("@%" G_GINT64_FORMAT, f->start);
  g_autofree char *to = g_strdup_printf ("@%" G_GINT64_FORMAT, f->start + 3600);
  g_autoptr(Run) run = run_ctl (f, f->data, "history", SN, "--daily", "--from", from, "--to", to,
                                NULL);
  g_auto(GStrv) lines = g_strsplit (run->out, "\n", -1);
  double solar = 0;

  g_assert_cmpint (run->status, ==, 0);
  g_assert_cmpstr (lines[0], ==, "# day\twh_in_solar\twh_in_ac\twh_in_car\twh_out_ac\twh_out_dc");
  /* The counter rose 60 Wh, over one day or across midnight over two. */
  for (guint i = 1; lines[i] != NULL && *lines[i] != '\0'; i++)
    {
      g_auto(GStrv) fields = g_strsplit (lines[i], "\t", -1);

      g_assert_cmpuint (g_strv_length (fields), ==, 6);
      solar += g_ascii_strtod (fields[1], NULL);
    }
  g_assert_cmpfloat_with_epsilon (solar, 60, 1e-9);
}

static void
test_mistakes (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *empty = g_build_filename (f->home, "empty", NULL);
  g_autofree char *empty_db = g_build_filename (empty, "juice", "history.db", NULL);

  {
    g_autoptr(Run) run = run_ctl (f, f->data, "history", "DCABNOTRECORDED", NULL);
    g_assert_cmpint (run->status, ==, 1);
    g_assert_nonnull (strstr (run->err, "no history recorded for DCABNOTRECORDED"));
  }
  {
    g_autoptr(Run) run = run_ctl (f, f->data, "history", SN, "--from", "yesterday", NULL);
    g_assert_cmpint (run->status, ==, 2);
    g_assert_nonnull (strstr (run->err, "is not a date"));
  }
  {
    g_autoptr(Run) run = run_ctl (f, f->data, "history", SN, "--csv", "--json", NULL);
    g_assert_cmpint (run->status, ==, 2);
  }
  {
    g_autoptr(Run) run = run_ctl (f, f->data, "history", "DCAB;rm", NULL);
    g_assert_cmpint (run->status, ==, 2);
  }
  {
    /* Where Juice never ran: nothing listed, and no database made. */
    g_autoptr(Run) run = run_ctl (f, empty, "history", NULL);
    g_assert_cmpint (run->status, ==, 0);
    g_assert_cmpstr (run->out, ==, "");
    g_assert_nonnull (strstr (run->err, "No history recorded yet"));
    g_assert_false (g_file_test (empty_db, G_FILE_TEST_EXISTS));
  }
  {
    g_autoptr(Run) run = run_ctl (f, f->data, "--help", NULL);
    g_assert_true (strstr (run->out, "history [SN]") != NULL
                   || strstr (run->err, "history [SN]") != NULL);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) \
  g_test_add ("/juice/history/ctl/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("list", test_list);
  ADD ("samples", test_samples);
  ADD ("csv", test_csv);
  ADD ("json", test_json);
  ADD ("daily", test_daily);
  ADD ("mistakes", test_mistakes);
#undef ADD

  return g_test_run ();
}
