/* juice-ctl-history.c: `juice-ctl history`, what Juice recorded
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "juice-ctl"

#include "config.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "juice-ctl.h"
#include "juice-history.h"

#define MAX_POINTS G_MAXUINT32  /* every sample: no decimation */

/* "2026-03-01" (local midnight), "2026-03-01T14:00" or with seconds and a
 * zone ("…Z", "…+01:00"; local time without one), or "@UNIXSECONDS". */
static gboolean
parse_date (const char  *option,
            const char  *text,
            gint64      *time,
            GError     **error)
{
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();
  g_autoptr(GDateTime) dt = NULL;
  g_autofree char *clean = NULL;

  if (text[0] == '@')
    {
      guint64 value;

      if (g_ascii_string_to_unsigned (text + 1, 10, 0, G_MAXINT64 / 2, &value, NULL))
        {
          *time = (gint64) value;
          return TRUE;
        }
    }
  else if (strlen (text) == 10)
    {
      g_autofree char *midnight = g_strconcat (text, "T00:00:00", NULL);

      dt = g_date_time_new_from_iso8601 (midnight, local);
    }
  else
    {
      dt = g_date_time_new_from_iso8601 (text, local);
    }

  if (dt != NULL)
    {
      *time = g_date_time_to_unix (dt);
      return TRUE;
    }

  clean = juice_ctl_clean (text);
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               _("%s “%s” is not a date: give 2026-03-01, 2026-03-01T14:00, "
                 "2026-03-01T14:00:00Z or @UNIXSECONDS."),
               option, clean);
  return FALSE;
}

static char *
format_local (gint64 time)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (time);
  g_autoptr(GDateTime) local = utc != NULL ? g_date_time_to_local (utc) : NULL;

  return local != NULL ? g_date_time_format (local, "%Y-%m-%d %H:%M:%S") : g_strdup ("?");
}

static char *
format_utc (gint64 time)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (time);

  return utc != NULL ? g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ") : g_strdup ("?");
}

static char *
format_number (double value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%.10g", value));
}

static JuiceHistory *
open_history (gboolean *empty)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "juice", "history.db", NULL);
  g_autoptr(GError) error = NULL;
  JuiceHistory *history;

  /* Reading must not make a database where Juice never ran. */
  *empty = !g_file_test (path, G_FILE_TEST_EXISTS);
  if (*empty)
    return NULL;

  history = juice_history_new (path, &error);
  if (history == NULL)
    {
      juice_ctl_fail (error);
      return NULL;
    }
  if (juice_history_get_notice (history) != NULL)
    g_printerr ("juice-ctl: %s\n", juice_history_get_notice (history));

  return history;
}

static int
list_devices (JuiceCtl     *ctl,
              JuiceHistory *history)
{
  g_autoptr(GPtrArray) devices = NULL;
  g_autoptr(GError) error = NULL;

  if (history != NULL)
    {
      devices = juice_history_list_devices (history, &error);
      if (devices == NULL)
        return juice_ctl_fail (error);
    }
  else
    {
      devices = g_ptr_array_new ();
    }

  if (ctl->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "devices");
      json_builder_begin_array (builder);
      for (guint i = 0; i < devices->len; i++)
        {
          JuiceHistoryDeviceInfo *info = g_ptr_array_index (devices, i);
          g_autofree char *first = format_utc (info->first_time);
          g_autofree char *last = format_utc (info->last_time);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "sn");
          json_builder_add_string_value (builder, info->serial_number);
          json_builder_set_member_name (builder, "name");
          if (info->name != NULL)
            json_builder_add_string_value (builder, info->name);
          else
            json_builder_add_null_value (builder);
          json_builder_set_member_name (builder, "first");
          json_builder_add_string_value (builder, first);
          json_builder_set_member_name (builder, "last");
          json_builder_add_string_value (builder, last);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      juice_ctl_print_json (root);
      return JUICE_CTL_EXIT_OK;
    }

  if (devices->len == 0)
    {
      g_printerr (_("No history recorded yet: Juice records every device it sees while it "
                    "runs.\n"));
      return JUICE_CTL_EXIT_OK;
    }

  /* Tab-separated: names may hold spaces. */
  for (guint i = 0; i < devices->len; i++)
    {
      JuiceHistoryDeviceInfo *info = g_ptr_array_index (devices, i);
      g_autofree char *sn = juice_ctl_clean (info->serial_number);
      g_autofree char *name = juice_ctl_clean (info->name != NULL ? info->name : "-");
      g_autofree char *first = format_local (info->first_time);
      g_autofree char *last = format_local (info->last_time);

      g_print ("%s\t%s\t%s\t%s\n", sn, name, first, last);
    }

  return JUICE_CTL_EXIT_OK;
}

static int
print_daily (JuiceCtl     *ctl,
             JuiceHistory *history,
             const char   *serial_number,
             gint64        from,
             gint64        to,
             gboolean      csv)
{
  static const char * const columns[] = {
    "wh_in_solar", "wh_in_ac", "wh_in_car", "wh_out_ac", "wh_out_dc",
  };
  g_autoptr(GArray) days = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  days = juice_history_query_daily (history, serial_number, NULL, from, to, &error);
  if (days == NULL)
    return juice_ctl_fail (error);

  if (ctl->json)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "sn");
      json_builder_add_string_value (builder, serial_number);
      json_builder_set_member_name (builder, "days");
      json_builder_begin_array (builder);
    }
  else
    {
      g_print (csv ? "day" : "# day");
      for (guint c = 0; c < G_N_ELEMENTS (columns); c++)
        g_print ("%s%s", csv ? "," : "\t", columns[c]);
      g_print ("\n");
    }

  for (guint i = 0; i < days->len; i++)
    {
      const JuiceHistoryDay *day = &g_array_index (days, JuiceHistoryDay, i);
      double values[] = { day->wh_in_solar, day->wh_in_ac, day->wh_in_car,
                          day->wh_out_ac, day->wh_out_dc };
      g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (day->day_start);
      g_autoptr(GDateTime) local = g_date_time_to_local (utc);
      g_autofree char *date = g_date_time_format (local, "%Y-%m-%d");

      if (ctl->json)
        {
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "day");
          json_builder_add_string_value (builder, date);
          for (guint c = 0; c < G_N_ELEMENTS (columns); c++)
            {
              json_builder_set_member_name (builder, columns[c]);
              json_builder_add_double_value (builder, values[c]);
            }
          json_builder_end_object (builder);
          continue;
        }

      g_print ("%s", date);
      for (guint c = 0; c < G_N_ELEMENTS (columns); c++)
        g_print (csv ? ",%.1f" : "\t%.1f", values[c]);
      g_print ("\n");
    }

  if (ctl->json)
    {
      g_autoptr(JsonNode) root = NULL;

      json_builder_end_array (builder);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      juice_ctl_print_json (root);
    }

  return JUICE_CTL_EXIT_OK;
}

static int
print_csv (JuiceHistory *history,
           const char   *serial_number,
           gint64        from,
           gint64        to)
{
  g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  if (!juice_history_export_csv (history, serial_number, from, to, stream, NULL, &error)
      || !g_output_stream_close (stream, NULL, &error))
    return juice_ctl_fail (error);

  fwrite (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (stream)), 1,
          g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (stream)), stdout);

  return JUICE_CTL_EXIT_OK;
}

static int
compare_times (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* One line per time, one column per series (empty where it has no sample). */
static int
print_samples (JuiceCtl     *ctl,
               JuiceHistory *history,
               const char   *serial_number,
               gint64        from,
               gint64        to)
{
  g_autoptr(GTree) rows = g_tree_new_full (compare_times, NULL, g_free, g_free);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GError) error = NULL;
  GArray *series_points[JUICE_HISTORY_N_SERIES] = { NULL };
  int status = JUICE_CTL_EXIT_OK;

  for (guint s = 0; s < JUICE_HISTORY_N_SERIES; s++)
    {
      series_points[s] = juice_history_query (history, serial_number, s, from, to, MAX_POINTS,
                                              &error);
      if (series_points[s] == NULL)
        {
          status = juice_ctl_fail (error);
          goto out;
        }

      for (guint i = 0; i < series_points[s]->len; i++)
        {
          const JuiceHistoryPoint *point = &g_array_index (series_points[s], JuiceHistoryPoint, i);
          double *row = g_tree_lookup (rows, &point->time);

          if (row == NULL)
            {
              gint64 *key = g_new (gint64, 1);

              *key = point->time;
              row = g_new (double, JUICE_HISTORY_N_SERIES);
              for (guint k = 0; k < JUICE_HISTORY_N_SERIES; k++)
                row[k] = NAN;
              g_tree_insert (rows, key, row);
            }
          row[s] = point->mean;
        }
    }

  if (ctl->json)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "sn");
      json_builder_add_string_value (builder, serial_number);
      json_builder_set_member_name (builder, "samples");
      json_builder_begin_array (builder);
    }
  else
    {
      g_print ("# time");
      for (guint s = 0; s < JUICE_HISTORY_N_SERIES; s++)
        g_print ("\t%s (%s)", juice_history_series_get_name (s), juice_history_series_get_unit (s));
      g_print ("\n");
    }

  for (GTreeNode *node = g_tree_node_first (rows); node != NULL; node = g_tree_node_next (node))
    {
      const gint64 *time = g_tree_node_key (node);
      const double *row = g_tree_node_value (node);

      if (ctl->json)
        {
          g_autofree char *stamp = format_utc (*time);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "time");
          json_builder_add_string_value (builder, stamp);
          for (guint s = 0; s < JUICE_HISTORY_N_SERIES; s++)
            if (!isnan (row[s]))
              {
                json_builder_set_member_name (builder, juice_history_series_get_name (s));
                json_builder_add_double_value (builder, row[s]);
              }
          json_builder_end_object (builder);
        }
      else
        {
          g_autofree char *stamp = format_local (*time);

          g_print ("%s", stamp);
          for (guint s = 0; s < JUICE_HISTORY_N_SERIES; s++)
            {
              g_autofree char *number = isnan (row[s]) ? g_strdup ("") : format_number (row[s]);

              g_print ("\t%s", number);
            }
          g_print ("\n");
        }
    }

  if (ctl->json)
    {
      g_autoptr(JsonNode) root = NULL;

      json_builder_end_array (builder);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      juice_ctl_print_json (root);
    }

out:
  for (guint s = 0; s < JUICE_HISTORY_N_SERIES; s++)
    g_clear_pointer (&series_points[s], g_array_unref);

  return status;
}

int
juice_ctl_history (JuiceCtl  *ctl,
                   char     **argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JuiceHistory) history = NULL;
  g_autofree char *from_text = NULL;
  g_autofree char *to_text = NULL;
  gboolean csv = FALSE, daily = FALSE, empty = FALSE;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 from, to;
  const char *serial_number;
  GOptionEntry entries[] = {
    { "from", 0, 0, G_OPTION_ARG_STRING, &from_text,
      N_("Start at DATE (default: 24 hours ago; --daily: 30 days ago)"), N_("DATE") },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to_text, N_("End at DATE (default: now)"), N_("DATE") },
    { "csv", 0, 0, G_OPTION_ARG_NONE, &csv,
      N_("Print CSV: time,serial_number,series,value,unit"), NULL },
    { "daily", 0, 0, G_OPTION_ARG_NONE, &daily, N_("Print the energy in and out per day (Wh)"),
      NULL },
    { NULL }
  };

  if (!juice_ctl_parse_options (ctl, &argv, _("[SN]"),
                                _("Without SN, list the devices with recorded history: serial "
                                  "number, name, first and last sample. With SN, print its "
                                  "samples, or its daily energy with --daily."),
                                entries, &error))
    return juice_ctl_usage ("%s", error->message);

  if (g_strv_length (argv) > 2)
    return juice_ctl_usage (_("“history” takes at most one serial number."));
  if (csv && ctl->json)
    return juice_ctl_usage (_("Choose one of --csv and --json."));

  serial_number = argv[1];
  if (serial_number == NULL && (csv || daily || from_text != NULL || to_text != NULL))
    return juice_ctl_usage (_("--from, --to, --csv and --daily need a serial number."));
  if (serial_number != NULL && !juice_ctl_check_serial_number (serial_number, &error))
    return juice_ctl_usage ("%s", error->message);

  to = now;
  if (to_text != NULL && !parse_date ("--to", to_text, &to, &error))
    return juice_ctl_usage ("%s", error->message);
  from = to - (daily ? 30 * 86400 : 86400);
  if (from_text != NULL && !parse_date ("--from", from_text, &from, &error))
    return juice_ctl_usage ("%s", error->message);
  if (from > to)
    return juice_ctl_usage (_("--from is after --to."));

  history = open_history (&empty);
  if (history == NULL && !empty)
    return JUICE_CTL_EXIT_ERROR;

  if (serial_number == NULL)
    return list_devices (ctl, history);

  if (history == NULL)
    {
      g_printerr (_("juice-ctl: no history recorded for %s.\n"), serial_number);
      return JUICE_CTL_EXIT_ERROR;
    }

  /* A device Juice never recorded is a mistake worth saying. */
  {
    g_autoptr(GPtrArray) devices = juice_history_list_devices (history, &error);
    gboolean known = FALSE;

    if (devices == NULL)
      return juice_ctl_fail (error);
    for (guint i = 0; i < devices->len && !known; i++)
      known = g_str_equal (((JuiceHistoryDeviceInfo *) devices->pdata[i])->serial_number,
                           serial_number);
    if (!known)
      {
        g_printerr (_("juice-ctl: no history recorded for %s.\n"), serial_number);
        return JUICE_CTL_EXIT_ERROR;
      }
  }

  if (daily)
    return print_daily (ctl, history, serial_number, from, to, csv);
  if (csv)
    return print_csv (history, serial_number, from, to);

  return print_samples (ctl, history, serial_number, from, to);
}
