/* bench-report.c: applying a DELTA Pro report to a device a window shows
 *
 * DESIGN.md §6: a full report applied to a JuiceDevice with a window's worth
 * of views bound to it costs at most 1.3× what json-glib needs to parse the
 * same bytes alone; a 20-key partial report at most 60 µs in all.
 *
 * The views are real widgets under a display (Xvfb in `build-aux/dev.sh
 * bench`), realized and mapped: the device page and its sidebar row, with
 * the history recorder and the tray icon on the session bus (the table in
 * bench-views.c: a view that joins the window is one line). What
 * is measured is the main thread's CPU time for the report's parse, apply
 * and every handler the views run synchronously; what they defer to the
 * next frame (layout, drawing) is bench-ui's per-report figure.
 *
 * Parse-alone and parse+apply batches alternate, so that both see the same
 * machine; each figure is the minimum over the runs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <locale.h>
#include <stdio.h>
#include <string.h>

#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "bench-util.h"
#include "bench-views.h"
#include "juice-device.h"

#define SN "DCABZ8A1B2C3D4E5"
#define ROUNDS 200   /* reports per batch */
#define RUNS 15      /* batches of each kind */

/* Reports ---------------------------------------------------------------- */

static char *
read_fixture (gsize *len)
{
  g_autofree char *path = g_build_filename (g_getenv ("JUICE_SIM_DATA"),
                                            "delta-pro-quota-all.json", NULL);
  char *contents = NULL;

  if (!g_file_get_contents (path, &contents, len, NULL))
    g_error ("cannot read %s", path);
  return contents;
}

/* The fixture's data member alone, as a /quota message would carry it;
 * @odd flips every measured number so that each round really changes every
 * key the device measures. Settings keep their values, as they do from one
 * report to the next: a changed setting is a person's command (see
 * bench-command), and BENCH_REPORT_FLIP_SETTINGS=1 flips them too. */
static char *
report_body (const char *fixture,
             gsize       len,
             gboolean    odd,
             guint       max_keys)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;
  guint n = 0;

  json_parser_load_from_data (parser, fixture, len, NULL);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "params");
  json_builder_begin_object (builder);
  json_object_iter_init (&iter, json_object_get_object_member (
                           json_node_get_object (json_parser_get_root (parser)), "data"));
  while (json_object_iter_next (&iter, &key, &value) && n++ < max_keys)
    {
      gboolean flip = odd && (g_getenv ("BENCH_REPORT_FLIP_SETTINGS") != NULL ||
                              !juice_device_profile_setting_for_key (juice_device_profile_delta_pro (),
                                                                     key));

      json_builder_set_member_name (builder, key);
      if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_INT64)
        json_builder_add_int_value (builder, json_node_get_int (value) + (flip ? 1 : 0));
      else
        json_builder_add_value (builder, json_node_copy (value));
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

/* Lets the views do what they deferred (outside the measurement). */
static void
drain (void)
{
  for (guint i = 0; i < 1000 && g_main_context_iteration (NULL, FALSE); i++)
    ;
}

/* µs of main-thread CPU per parse of @a and @b alternately. */
static double
batch_parse (const char *a,
             const char *b)
{
  guint64 start = bench_thread_cpu_ns ();

  for (guint i = 0; i < ROUNDS; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new_immutable ();

      if (!json_parser_load_from_data (parser, (i & 1) ? b : a, -1, NULL))
        g_error ("parse failed");
    }

  return (bench_thread_cpu_ns () - start) / 1000.0 / ROUNDS;
}

/* µs of main-thread CPU per report applied, views included. */
static double
batch_apply (JuiceDevice *device,
             const char  *a,
             const char  *b)
{
  guint64 start = bench_thread_cpu_ns ();

  for (guint i = 0; i < ROUNDS; i++)
    if (juice_device_apply_report_bytes (device, (i & 1) ? b : a, -1, NULL) < 0)
      g_error ("apply failed");

  return (bench_thread_cpu_ns () - start) / 1000.0 / ROUNDS;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *fixture = NULL;
  g_autofree char *full_a = NULL, *full_b = NULL, *part_a = NULL, *part_b = NULL;
  g_autoptr(JuiceDevice) device = NULL;
  g_autoptr(GPtrArray) keep = NULL;
  g_autoptr(GString) view_names = g_string_new (NULL);
  double parse[RUNS], apply[RUNS], ratio[RUNS], partial[RUNS], partial_parse[RUNS];
  double parse_min, parse_max, apply_min, apply_max, ratio_min, ratio_max;
  double partial_min, partial_max, partial_parse_min, partial_parse_max, full_ratio;
  GtkWidget *window, *box;
  gsize len;
  gboolean ok = TRUE;

  setlocale (LC_ALL, "");
  setvbuf (stdout, NULL, _IOLBF, 0);
  if (!gtk_init_check ())
    {
      printf ("bench-report: skipped: no display (run it with build-aux/dev.sh bench)\n");
      return 77;
    }
  adw_init ();

  fixture = read_fixture (&len);
  full_a = report_body (fixture, len, FALSE, G_MAXUINT);
  full_b = report_body (fixture, len, TRUE, G_MAXUINT);
  part_a = report_body (fixture, len, FALSE, 20);
  part_b = report_body (fixture, len, TRUE, 20);

  device = juice_device_new (SN, juice_device_profile_delta_pro ());
  juice_device_set_name (device, "Cabin");
  juice_device_set_online (device, TRUE);
  juice_device_apply_report_bytes (device, full_a, -1, NULL);

  /* The window: every view bound, realized, mapped and drawn. */
  window = adw_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 800);
  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  adw_window_set_content (ADW_WINDOW (window), box);
  keep = bench_views_bind (device, GTK_BOX (box), view_names);
  gtk_window_present (GTK_WINDOW (window));
  if (!bench_views_wait_ready (window))
    return 1;
  drain ();

  /* Warm up, then alternate. */
  batch_parse (full_a, full_b);
  batch_apply (device, full_a, full_b);
  drain ();
  for (guint run = 0; run < RUNS; run++)
    {
      parse[run] = batch_parse (full_a, full_b);
      apply[run] = batch_apply (device, full_a, full_b);
      drain ();
      ratio[run] = apply[run] / parse[run];
      partial_parse[run] = batch_parse (part_a, part_b);
      partial[run] = batch_apply (device, part_a, part_b);
      drain ();
    }

  bench_min_max (parse, RUNS, &parse_min, &parse_max);
  bench_min_max (apply, RUNS, &apply_min, &apply_max);
  bench_min_max (ratio, RUNS, &ratio_min, &ratio_max);
  bench_min_max (partial, RUNS, &partial_min, &partial_max);
  bench_min_max (partial_parse, RUNS, &partial_parse_min, &partial_parse_max);
  full_ratio = apply_min / parse_min;

  printf ("report-full: %.2f× (parse+apply %.1f µs, %.1f..%.1f µs, per-run ratio %.2f..%.2f×, "
          "%u runs of %u reports; reference json-glib parse alone %.1f µs, %.1f..%.1f µs; "
          "%zu bytes, %u keys; views: %s; budget 1.30×)\n",
          full_ratio, apply_min, apply_min, apply_max, ratio_min, ratio_max, RUNS, ROUNDS,
          parse_min, parse_min, parse_max, strlen (full_a), juice_device_get_n_quotas (device),
          view_names->str);
  printf ("report-partial: %.1f µs (%.1f..%.1f µs, %u runs of %u reports; reference json-glib "
          "parse alone %.1f µs; 20 keys; budget 60 µs)\n",
          partial_min, partial_min, partial_max, RUNS, ROUNDS, partial_parse_min);

  if (full_ratio > 1.3)
    {
      printf ("FAIL: report-full over budget\n");
      ok = FALSE;
    }
  if (partial_min > 60)
    {
      printf ("FAIL: report-partial over budget\n");
      ok = FALSE;
    }

  gtk_window_destroy (GTK_WINDOW (window));
  drain ();
  return ok ? 0 : 1;
}
