/* juice-setting-info.c: a setting's values, validated, described, parsed and formatted
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "juice-profile"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "juice-device-profile.h"
#include "juice-error.h"

/* Settings ---------------------------------------------------------------- */

/* "100 %", "2900 W", "80" */
static char *
format_with_unit (gint64    value,
                  JuiceUnit unit)
{
  const char *symbol = juice_unit_symbol (unit);

  if (symbol[0] == '\0')
    return g_strdup_printf ("%" G_GINT64_FORMAT, value);

  return g_strdup_printf ("%" G_GINT64_FORMAT " %s", value, symbol);
}

static gint64
setting_step (const JuiceSettingInfo *setting)
{
  return setting->step > 0 ? setting->step : 1;
}

static gint64
switch_on_value (const JuiceSettingInfo *setting)
{
  return setting->inverted ? 0 : 1;
}

/* The allowed values in plain words, for error messages:
 * "Charge limit must be between 50 and 100 %". */
static void
set_invalid_value_error (const JuiceSettingInfo  *setting,
                         GError                 **error)
{
  const char *label = _(setting->label);
  g_autoptr(GString) options = g_string_new (NULL);

  if (setting->options != NULL)
    {
      for (const JuiceEnumValue *v = setting->options; v->label != NULL; v++)
        {
          if (options->len > 0)
            g_string_append (options, ", ");
          g_string_append (options, _(v->label));
        }
    }

  switch (setting->kind)
    {
    case JUICE_SETTING_SWITCH:
      g_set_error (error, JUICE_DEVICE_ERROR, JUICE_DEVICE_ERROR_INVALID_VALUE,
                   _("%s must be on or off"), label);
      break;

    case JUICE_SETTING_RANGE:
      {
        g_autofree char *min = g_strdup_printf ("%" G_GINT64_FORMAT, setting->min);
        g_autofree char *max = format_with_unit (setting->max, setting->unit);
        g_autoptr(GString) message = g_string_new (NULL);

        g_string_printf (message, _("%s must be between %s and %s"), label, min, max);
        if (setting_step (setting) > 1)
          {
            g_autofree char *step = format_with_unit (setting_step (setting), setting->unit);

            g_string_append_printf (message, _(", in steps of %s"), step);
          }
        if (options->len > 0)
          g_string_append_printf (message, _(", or %s"), options->str);

        g_set_error_literal (error, JUICE_DEVICE_ERROR, JUICE_DEVICE_ERROR_INVALID_VALUE,
                             message->str);
      }
      break;

    case JUICE_SETTING_CHOICE:
    default:
      g_set_error (error, JUICE_DEVICE_ERROR, JUICE_DEVICE_ERROR_INVALID_VALUE,
                   _("%s must be one of: %s"), label, options->str);
      break;
    }
}

/* RANGE settings accept any integer in [min, max] that is a whole number of
 * steps from min (step 1: any integer), or one of their options. */
gboolean
juice_setting_info_validate (const JuiceSettingInfo  *setting,
                             gint64                   value,
                             GError                 **error)
{
  gboolean valid = FALSE;

  g_return_val_if_fail (setting != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  switch (setting->kind)
    {
    case JUICE_SETTING_SWITCH:
      valid = value == 0 || value == 1;
      break;

    case JUICE_SETTING_RANGE:
      valid = (value >= setting->min && value <= setting->max &&
               (value - setting->min) % setting_step (setting) == 0) ||
              juice_enum_values_lookup (setting->options, value) != NULL;
      break;

    case JUICE_SETTING_CHOICE:
    default:
      valid = juice_enum_values_lookup (setting->options, value) != NULL;
      break;
    }

  if (!valid)
    set_invalid_value_error (setting, error);

  return valid;
}

/* For juice-ctl: "on, off" / "50..100 %" / "0..100 % or auto" /
 * "200..2900 W step 100" / "never, 10s, 30s". Machine words: untranslated. */
char *
juice_setting_info_describe_values (const JuiceSettingInfo *setting)
{
  GString *text;

  g_return_val_if_fail (setting != NULL, NULL);

  text = g_string_new (NULL);

  switch (setting->kind)
    {
    case JUICE_SETTING_SWITCH:
      g_string_append (text, "on, off");
      break;

    case JUICE_SETTING_RANGE:
      {
        const char *symbol = juice_unit_symbol (setting->unit);

        g_string_append_printf (text, "%" G_GINT64_FORMAT "..%" G_GINT64_FORMAT,
                                setting->min, setting->max);
        if (symbol[0] != '\0')
          g_string_append_printf (text, " %s", symbol);
        if (setting_step (setting) > 1)
          g_string_append_printf (text, " step %" G_GINT64_FORMAT, setting_step (setting));
        for (const JuiceEnumValue *v = setting->options; v && v->label != NULL; v++)
          {
            if (v->nick != NULL)
              g_string_append_printf (text, " or %s", v->nick);
            else
              g_string_append_printf (text, " or %" G_GINT64_FORMAT, v->value);
          }
      }
      break;

    case JUICE_SETTING_CHOICE:
    default:
      for (const JuiceEnumValue *v = setting->options; v && v->label != NULL; v++)
        {
          if (v != setting->options)
            g_string_append (text, ", ");
          if (v->nick != NULL)
            g_string_append (text, v->nick);
          else
            g_string_append_printf (text, "%" G_GINT64_FORMAT, v->value);
        }
      break;
    }

  return g_string_free (text, FALSE);
}

/* An option named by its nick or its label, untranslated or translated. */
static const JuiceEnumValue *
find_option_by_name (const JuiceEnumValue *options,
                     const char           *text)
{
  g_autofree char *folded = NULL;

  if (options == NULL)
    return NULL;

  for (const JuiceEnumValue *v = options; v->label != NULL; v++)
    {
      if (v->nick != NULL && g_ascii_strcasecmp (text, v->nick) == 0)
        return v;
    }

  folded = g_utf8_casefold (text, -1);
  for (const JuiceEnumValue *v = options; v->label != NULL; v++)
    {
      g_autofree char *label = g_utf8_casefold (v->label, -1);
      g_autofree char *translated = g_utf8_casefold (_(v->label), -1);

      if (strcmp (folded, label) == 0 || strcmp (folded, translated) == 0)
        return v;
    }

  return NULL;
}

/* Parses "80", "80%", "80 %" or "600 W": an integer and, optionally, the
 * setting's unit symbol. */
static gboolean
parse_integer_with_unit (const char *text,
                         JuiceUnit   unit,
                         gint64     *value)
{
  g_autofree char *copy = g_strdup (text);
  const char *symbol = juice_unit_symbol (unit);
  gsize symbol_len = strlen (symbol);
  gsize len = strlen (copy);

  if (symbol_len > 0 && len > symbol_len &&
      g_ascii_strcasecmp (copy + len - symbol_len, symbol) == 0)
    {
      copy[len - symbol_len] = '\0';
      g_strchomp (copy);
    }

  return g_ascii_string_to_signed (copy, 10, G_MININT64, G_MAXINT64, value, NULL);
}

/* Switches take on/off, true/false, yes/no, 1/0 (the user's meaning: "1" is
 * on even where "on" is wire value 0); ranges take an integer or an option's
 * nick; choices take a nick, a label or the wire number. */
gboolean
juice_setting_info_parse_value (const JuiceSettingInfo  *setting,
                                const char              *text,
                                gint64                  *value,
                                GError                 **error)
{
  static const char * const on_words[] = { "on", "true", "yes", "1", "enabled", NULL };
  static const char * const off_words[] = { "off", "false", "no", "0", "disabled", NULL };
  g_autofree char *stripped = NULL;
  const JuiceEnumValue *option;
  gint64 number = 0;
  gboolean parsed = FALSE;

  g_return_val_if_fail (setting != NULL, FALSE);
  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  stripped = g_strstrip (g_strdup (text));

  switch (setting->kind)
    {
    case JUICE_SETTING_SWITCH:
      for (guint i = 0; on_words[i] != NULL && !parsed; i++)
        {
          if (g_ascii_strcasecmp (stripped, on_words[i]) == 0)
            {
              number = switch_on_value (setting);
              parsed = TRUE;
            }
        }
      for (guint i = 0; off_words[i] != NULL && !parsed; i++)
        {
          if (g_ascii_strcasecmp (stripped, off_words[i]) == 0)
            {
              number = !switch_on_value (setting);
              parsed = TRUE;
            }
        }
      break;

    case JUICE_SETTING_RANGE:
    case JUICE_SETTING_CHOICE:
    default:
      if ((option = find_option_by_name (setting->options, stripped)) != NULL)
        {
          number = option->value;
          parsed = TRUE;
        }
      else
        {
          parsed = parse_integer_with_unit (stripped, setting->unit, &number);
        }
      break;
    }

  if (!parsed)
    {
      set_invalid_value_error (setting, error);
      return FALSE;
    }

  if (!juice_setting_info_validate (setting, number, error))
    return FALSE;

  if (value != NULL)
    *value = number;

  return TRUE;
}

/* The inverse of parse_value: "on", "80 %", "auto", "5m". Values outside the
 * profile (a readback the phone app set) come out as plain numbers. */
char *
juice_setting_info_format_value (const JuiceSettingInfo *setting,
                                 gint64                  value)
{
  const JuiceEnumValue *option;

  g_return_val_if_fail (setting != NULL, NULL);

  switch (setting->kind)
    {
    case JUICE_SETTING_SWITCH:
      if (value == 0 || value == 1)
        return g_strdup (value == switch_on_value (setting) ? "on" : "off");
      return g_strdup_printf ("%" G_GINT64_FORMAT, value);

    case JUICE_SETTING_RANGE:
    case JUICE_SETTING_CHOICE:
    default:
      if ((option = juice_enum_values_lookup (setting->options, value)) != NULL)
        {
          if (option->nick != NULL)
            return g_strdup (option->nick);
          return g_strdup (_(option->label));
        }
      if (setting->kind == JUICE_SETTING_RANGE)
        return format_with_unit (value, setting->unit);
      return g_strdup_printf ("%" G_GINT64_FORMAT, value);
    }
}
