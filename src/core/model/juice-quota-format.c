/* juice-quota-format.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "juice-quota-format"

#include <inttypes.h>
#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "juice-json.h"
#include "juice-quota-format.h"

#define MAX_ARRAY_SHOWN 32

/* Units of a duration: 0 days, 1 hours, 2 minutes, 3 seconds. */
static void
append_unit (GString *text,
             guint    unit,
             gint64   amount)
{
  if (text->len > 0 && text->str[text->len - 1] != '-')
    g_string_append_c (text, ' ');

  switch (unit)
    {
    case 0:
      /* Translators: days of a duration, "3 d 4 h" */
      g_string_append_printf (text, _("%" PRId64 " d"), amount);
      break;
    case 1:
      /* Translators: hours of a duration, "4 h 5 min" */
      g_string_append_printf (text, _("%" PRId64 " h"), amount);
      break;
    case 2:
      /* Translators: minutes of a duration, "5 min 6 s" */
      g_string_append_printf (text, _("%" PRId64 " min"), amount);
      break;
    default:
      /* Translators: seconds of a duration, "6 s" */
      g_string_append_printf (text, _("%" PRId64 " s"), amount);
      break;
    }
}

char *
juice_format_duration (gint64   seconds,
                       gboolean precise)
{
  guint64 span = seconds < 0 ? -(guint64) seconds : (guint64) seconds;
  gint64 parts[4];
  g_autoptr(GString) text = g_string_new (seconds < 0 ? "-" : NULL);
  guint shown = 0;
  int first = -1;

  parts[0] = span / 86400;
  parts[1] = (span % 86400) / 3600;
  parts[2] = (span % 3600) / 60;
  parts[3] = span % 60;

  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      if (parts[i] == 0)
        continue;
      if (first < 0)
        first = i;
      /* Two units at most, next to each other: "2 d 5 h", never "2 d 5 s". */
      if (!precise && (shown == 2 || (int) i > first + 1))
        break;
      append_unit (text, i, parts[i]);
      shown++;
    }

  if (shown == 0)
    append_unit (text, 3, 0);

  return g_string_free (g_steal_pointer (&text), FALSE);
}

/* "42.2", "130", "3.105": at most @max_decimals, fewer as the number grows
 * (four significant digits), trailing zeros dropped. */
static char *
format_number (double      value,
               int         max_decimals,
               const char *symbol)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];
  int decimals = max_decimals;
  double magnitude = fabs (value);
  char *dot;

  if (magnitude >= 1.0)
    decimals = MIN (decimals, MAX (0, 4 - ((int) floor (log10 (magnitude)) + 1)));

  /* In the user's locale: "42,2" in German. */
  g_snprintf (buffer, sizeof buffer, "%.*f", decimals, value);
  if ((dot = strpbrk (buffer, ".,")) != NULL)
    {
      char *end = buffer + strlen (buffer) - 1;

      while (end > dot && *end == '0')
        *end-- = '\0';
      if (end == dot)
        *end = '\0';
    }
  if (strcmp (buffer, "-0") == 0)
    strcpy (buffer, "0");

  if (symbol == NULL || symbol[0] == '\0')
    return g_strdup (buffer);

  return g_strdup_printf ("%s %s", buffer, symbol);
}

/* The decimals a scale resolves: 0.001 → 3, 0.1 → 1, 1 → 0. */
static int
scale_decimals (const JuiceQuotaInfo *info)
{
  double scale = info->scale > 0.0 ? info->scale : 1.0;

  if (scale >= 1.0)
    return 0;

  return (int) ceil (-log10 (scale) - 1e-9);
}

/* Wh → kWh → MWh, mAh → Ah: the unit that keeps the number short. */
static char *
format_scaled_unit (double      value,
                    const char *base,
                    const char *kilo,
                    const char *mega)
{
  double magnitude = fabs (value);

  if (mega != NULL && magnitude >= 1e6)
    return format_number (value / 1e6, 2, mega);
  if (magnitude >= 1e3)
    return format_number (value / 1e3, 2, kilo);

  return format_number (value, 0, base);
}

static char *
format_unknown (double raw)
{
  /* Translators: a number the device sent that has no documented meaning */
  return g_strdup_printf (_("Unknown (%.0f)"), raw);
}

static char *
format_bits (const JuiceQuotaInfo *info,
             double                raw)
{
  guint64 bits;
  g_autoptr(GString) text = NULL;

  if (raw < 0 || raw > (double) G_MAXUINT32 || raw != floor (raw))
    return g_strdup_printf ("%g", raw);

  bits = (guint64) raw;
  if (bits == 0)
    return g_strdup (_("None"));

  if (info->bit_names == NULL)
    /* Translators: an error code or register in decimal and hex, "Code 128 (0x80)" */
    return g_strdup_printf (_("Code %" PRIu64 " (0x%" PRIx64 ")"), bits, bits);

  text = g_string_new (NULL);
  for (guint bit = 0; bit < 32; bit++)
    {
      const JuiceEnumValue *name;

      if (!(bits & (G_GUINT64_CONSTANT (1) << bit)))
        continue;
      if (text->len > 0)
        g_string_append (text, ", ");
      if ((name = juice_enum_values_lookup (info->bit_names, bit)) != NULL)
        g_string_append (text, _(name->label));
      else
        /* Translators: an undocumented bit of a bit field */
        g_string_append_printf (text, _("bit %u"), bit);
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static char *
format_duration_value (const JuiceQuotaInfo *info,
                       double                value)
{
  gint64 seconds;
  g_autofree char *span = NULL;

  if (!isfinite (value) || fabs (value) > 1e12)
    return g_strdup_printf ("%g", value);

  seconds = (gint64) llround (info->unit == JUICE_UNIT_MINUTE ? value * 60.0 : value);

  if (info->hint == JUICE_QUOTA_HINT_TIME_LEFT)
    {
      if (seconds == 0)
        return g_strdup (_("Idle"));
      span = juice_format_duration (ABS (seconds), FALSE);
      /* Translators: "11 h to full" / "3 h 20 min to empty" */
      return g_strdup_printf (seconds > 0 ? _("%s to full") : _("%s to empty"), span);
    }

  if (seconds == 0 && info->unit == JUICE_UNIT_MINUTE)
    /* Translators: a duration of nothing, in minutes */
    return g_strdup (_("0 min"));

  return juice_format_duration (seconds, FALSE);
}

char *
juice_quota_format_value (const JuiceQuotaInfo *info,
                          double                raw)
{
  const JuiceEnumValue *named;
  double value;

  g_return_val_if_fail (info != NULL, NULL);

  if (!isfinite (raw))
    return g_strdup_printf ("%g", raw);

  if (raw == floor (raw) && fabs (raw) < 9e15 &&
      (named = juice_enum_values_lookup (info->special_values, (gint64) raw)) != NULL)
    return g_strdup (_(named->label));

  switch (info->type)
    {
    case JUICE_QUOTA_ENUM:
      if (raw == floor (raw) && fabs (raw) < 9e15 &&
          (named = juice_enum_values_lookup (info->enum_values, (gint64) raw)) != NULL)
        return g_strdup (_(named->label));
      return format_unknown (raw);

    case JUICE_QUOTA_BOOLEAN:
      if (raw == 0.0)
        return g_strdup (_("Off"));
      if (raw == 1.0)
        return g_strdup (_("On"));
      return format_unknown (raw);

    case JUICE_QUOTA_BITS:
      return format_bits (info, raw);

    case JUICE_QUOTA_TEXT:
      return g_strdup_printf ("%g", raw);

    case JUICE_QUOTA_INTEGER:
    case JUICE_QUOTA_FLOAT:
    case JUICE_QUOTA_ARRAY:
    default:
      break;
    }

  if (info->hint == JUICE_QUOTA_HINT_VERSION && raw >= 0 && raw <= (double) G_MAXUINT32 &&
      raw == floor (raw))
    {
      guint32 v = (guint32) raw;

      return g_strdup_printf ("%u.%u.%u.%u", v >> 24, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff);
    }

  value = raw * (info->scale > 0.0 ? info->scale : 1.0);

  switch (info->unit)
    {
    case JUICE_UNIT_SECOND:
    case JUICE_UNIT_MINUTE:
      return format_duration_value (info, value);

    case JUICE_UNIT_WATT_HOUR:
      return format_scaled_unit (value, "Wh", "kWh", "MWh");

    case JUICE_UNIT_MILLIAMPERE_HOUR:
      return format_scaled_unit (value, "mAh", "Ah", NULL);

    case JUICE_UNIT_WATT:
    case JUICE_UNIT_HERTZ:
    case JUICE_UNIT_DBM:
    case JUICE_UNIT_MILLIAMPERE:
      return format_number (value, 0, juice_unit_symbol (info->unit));

    case JUICE_UNIT_PERCENT:
      return format_number (value, MIN (1, MAX (scale_decimals (info),
                                                info->type == JUICE_QUOTA_FLOAT ? 1 : 0)),
                            juice_unit_symbol (info->unit));

    case JUICE_UNIT_NONE:
    case JUICE_UNIT_VOLT:
    case JUICE_UNIT_AMPERE:
    case JUICE_UNIT_CELSIUS:
    case N_JUICE_UNITS:
    default:
      return format_number (value,
                            MAX (scale_decimals (info), info->type == JUICE_QUOTA_FLOAT ? 2 : 0),
                            juice_unit_symbol (info->unit));
    }
}

/* [48, 48, 65, 0] → "00A": character codes that are all printable ASCII
 * (trailing NULs dropped), else NULL. */
static char *
array_as_text (JsonArray *array)
{
  guint n = json_array_get_length (array);
  g_autoptr(GString) text = g_string_new (NULL);

  while (n > 0)
    {
      gint64 c;

      if (!juice_json_node_get_int (json_array_get_element (array, n - 1), &c) || c != 0)
        break;
      n--;
    }

  for (guint i = 0; i < n; i++)
    {
      gint64 c;

      if (!juice_json_node_get_int (json_array_get_element (array, i), &c) || c < 0x20 || c > 0x7e)
        return NULL;
      g_string_append_c (text, (char) c);
    }

  if (text->len == 0)
    return NULL;

  return g_string_free (g_steal_pointer (&text), FALSE);
}

char *
juice_quota_format_node (const JuiceQuotaInfo *info,
                         JsonNode             *node)
{
  double raw;

  if (node == NULL)
    return g_strdup ("");

  if (info == NULL)
    return juice_json_node_to_text (node);

  if (JSON_NODE_HOLDS_ARRAY (node) && info->type == JUICE_QUOTA_ARRAY)
    {
      JsonArray *array = json_node_get_array (node);
      guint n = json_array_get_length (array);
      g_autoptr(GString) text = NULL;
      const char *separator;

      if (info->hint == JUICE_QUOTA_HINT_TEXT_BYTES)
        {
          char *as_text = array_as_text (array);

          if (as_text != NULL)
            return as_text;
        }

      /* Translators: between the numbers of a list, "3.31 V, 3.32 V"; where
       * numbers have a decimal comma, use "; " */
      separator = _(", ");
      text = g_string_new (NULL);
      for (guint i = 0; i < n && i < MAX_ARRAY_SHOWN; i++)
        {
          JsonNode *element = json_array_get_element (array, i);
          g_autofree char *part = NULL;

          if (juice_json_node_get_double (element, &raw))
            part = juice_quota_format_value (info, raw);
          else
            part = juice_json_node_to_text (element);

          if (i > 0)
            g_string_append (text, separator);
          g_string_append (text, part);
        }

      if (n > MAX_ARRAY_SHOWN)
        g_string_append_printf (text, "%s…", separator);

      return g_string_free (g_steal_pointer (&text), FALSE);
    }

  if (info->type != JUICE_QUOTA_TEXT && info->type != JUICE_QUOTA_ARRAY &&
      juice_json_node_get_double (node, &raw))
    return juice_quota_format_value (info, raw);

  return juice_json_node_to_text (node);
}
