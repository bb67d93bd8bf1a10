/* bench-report.c: applying a full DELTA Pro report against parsing it alone
 *
 * DESIGN.md §6: a full report applied to a JuiceDevice costs at most 1.3×
 * what json-glib needs to parse the same bytes; a 20-key partial report at
 * most 60 µs in all.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include <json-glib/json-glib.h>

#include "juice-device.h"

#define ROUNDS 2000

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
 * @odd flips every number so that each round really changes every key. */
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
      json_builder_set_member_name (builder, key);
      if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_INT64)
        json_builder_add_int_value (builder, json_node_get_int (value) + (odd ? 1 : 0));
      else
        json_builder_add_value (builder, json_node_copy (value));
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

static double
bench_parse (const char *a,
             const char *b)
{
  gint64 start = g_get_monotonic_time ();

  for (guint i = 0; i < ROUNDS; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new_immutable ();
      const char *body = (i & 1) ? b : a;

      if (!json_parser_load_from_data (parser, body, -1, NULL))
        g_error ("parse failed");
    }

  return (g_get_monotonic_time () - start) / (double) ROUNDS;
}

static guint notified;

static void
on_notify (GObject    *object,
           GParamSpec *pspec,
           gpointer    data)
{
  notified++;
}

static double
bench_apply (JuiceDevice *device,
             const char  *a,
             const char  *b)
{
  gint64 start = g_get_monotonic_time ();

  for (guint i = 0; i < ROUNDS; i++)
    {
      const char *body = (i & 1) ? b : a;

      if (juice_device_apply_report_bytes (device, body, -1, NULL) < 0)
        g_error ("apply failed");
    }

  return (g_get_monotonic_time () - start) / (double) ROUNDS;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *fixture = NULL;
  g_autofree char *full_a = NULL, *full_b = NULL, *part_a = NULL, *part_b = NULL;
  g_autoptr(JuiceDevice) device = NULL;
  double parse_us, apply_us, partial_us, ratio;
  gsize len;
  gboolean ok = TRUE;

  fixture = read_fixture (&len);
  full_a = report_body (fixture, len, FALSE, G_MAXUINT);
  full_b = report_body (fixture, len, TRUE, G_MAXUINT);
  part_a = report_body (fixture, len, FALSE, 20);
  part_b = report_body (fixture, len, TRUE, 20);

  device = juice_device_new ("DCABZ8A1B2C3D4E5", juice_device_profile_delta_pro ());
  g_signal_connect (device, "notify", G_CALLBACK (on_notify), NULL);
  juice_device_apply_report_bytes (device, full_a, -1, NULL);

  /* Warm up, then alternate: the best of five runs of each. */
  bench_parse (full_a, full_b);
  parse_us = apply_us = partial_us = G_MAXDOUBLE;
  for (guint run = 0; run < 5; run++)
    {
      parse_us = MIN (parse_us, bench_parse (full_a, full_b));
      apply_us = MIN (apply_us, bench_apply (device, full_a, full_b));
      partial_us = MIN (partial_us, bench_apply (device, part_a, part_b));
    }

  ratio = apply_us / parse_us;
  g_print ("full report: %zu bytes, %u keys\n", strlen (full_a), juice_device_get_n_quotas (device));
  g_print ("json-glib parse alone:      %8.1f us\n", parse_us);
  g_print ("parse + apply to device:    %8.1f us  (%.2fx parse; budget 1.30x)\n", apply_us, ratio);
  g_print ("20-key partial report:      %8.1f us  (budget 60 us)\n", partial_us);
  /* Notifications are coalesced per report: a handful (charge, power in and
   * out), not one per key. */
  g_print ("property notifications:     %.1f per report (%u for %u reports)\n",
           notified / (double) (1 + 5 * 2 * ROUNDS), notified, 1 + 5 * 2 * ROUNDS);

  if (ratio > 1.3)
    {
      g_print ("FAIL: full report over budget\n");
      ok = FALSE;
    }
  if (partial_us > 60)
    {
      g_print ("FAIL: partial report over budget\n");
      ok = FALSE;
    }

  return ok ? 0 : 1;
}
