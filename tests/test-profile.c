/* test-profile.c: the DELTA Pro profile against the API page and a real report
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <math.h>
#include <string.h>

#include <json-glib/json-glib.h>

#include "juice-device-profile.h"
#include "juice-error.h"

#define QUOTA_KEY_PATTERN "(?:bmsMaster|inv|mppt|pd|ems)\\.[A-Za-z0-9]+"

#define SG_OUTPUTS        JUICE_SETTING_GROUP_OUTPUTS
#define SG_CHARGING       JUICE_SETTING_GROUP_CHARGING
#define SG_BATTERY_LIMITS JUICE_SETTING_GROUP_BATTERY_LIMITS
#define SG_GENERATOR      JUICE_SETTING_GROUP_GENERATOR
#define SG_DISPLAY        JUICE_SETTING_GROUP_DISPLAY
#define SG_POWER_SAVING   JUICE_SETTING_GROUP_POWER_SAVING

/* Independent copy of DESIGN.md §4. */
typedef struct
{
  const char        *name;
  int                cmd_id;
  const char        *param;
  const char        *readback_key;
  JuiceSettingKind   kind;
  JuiceSettingGroup  group;
} ExpectedSetting;

static const ExpectedSetting expected_settings[] = {
  { "ac-output", 66, "enabled", "inv.cfgAcEnabled", JUICE_SETTING_SWITCH, SG_OUTPUTS },
  { "x-boost", 66, "xboost", "inv.cfgAcXboost", JUICE_SETTING_SWITCH, SG_OUTPUTS },
  { "car-output", 81, "enabled", "mppt.carState", JUICE_SETTING_SWITCH, SG_OUTPUTS },
  { "charge-limit", 49, "maxChgSoc", "ems.maxChargeSoc", JUICE_SETTING_RANGE, SG_BATTERY_LIMITS },
  { "discharge-limit", 51, "minDsgSoc", "ems.minDsgSoc", JUICE_SETTING_RANGE, SG_BATTERY_LIMITS },
  { "car-input-current", 71, "currMa", "mppt.cfgDcChgCurrent", JUICE_SETTING_CHOICE, SG_CHARGING },
  { "beep", 38, "enabled", "pd.beepState", JUICE_SETTING_SWITCH, SG_DISPLAY },
  { "screen-brightness", 39, "lcdBrightness", "pd.lcdBrightness", JUICE_SETTING_RANGE, SG_DISPLAY },
  { "screen-timeout", 39, "lcdTime", "pd.lcdOffSec", JUICE_SETTING_CHOICE, SG_DISPLAY },
  { "unit-timeout", 33, "standByMode", "pd.standByMode", JUICE_SETTING_CHOICE, SG_POWER_SAVING },
  { "ac-standby", 153, "standByMins", "inv.cfgStandbyMin", JUICE_SETTING_CHOICE, SG_POWER_SAVING },
  { "ac-charging-power", 69, "slowChgPower", "inv.cfgSlowChgWatts",
    JUICE_SETTING_RANGE, SG_CHARGING },
  { "pv-charging-type", 82, "chgType", "mppt.cfgChgType", JUICE_SETTING_CHOICE, SG_CHARGING },
  { "bypass-ac-auto-start", 84, "enabled", "inv.acPassbyAutoEn", JUICE_SETTING_SWITCH, SG_OUTPUTS },
  { "generator-auto-on", 52, "openOilSoc", "ems.minOpenOilEbSoc",
    JUICE_SETTING_RANGE, SG_GENERATOR },
  { "generator-auto-off", 53, "closeOilSoc", "ems.maxCloseOilEbSoc",
    JUICE_SETTING_RANGE, SG_GENERATOR },
};

/* The ranges of DESIGN.md §4. */
typedef struct
{
  const char *name;
  gint64      min;
  gint64      max;
  gint64      step;
} ExpectedRange;

static const ExpectedRange expected_ranges[] = {
  { "charge-limit", 50, 100, 1 },
  { "discharge-limit", 0, 30, 1 },
  { "screen-brightness", 0, 100, 1 },
  { "ac-charging-power", 200, 2900, 100 },
  { "generator-auto-on", 0, 30, 1 },
  { "generator-auto-off", 50, 100, 1 },
};

static const JuiceDeviceProfile *
profile (void)
{
  return juice_device_profile_delta_pro ();
}

static const JuiceSettingInfo *
setting (const char *name)
{
  const JuiceSettingInfo *info = juice_device_profile_lookup_setting (profile (), name);

  g_assert_nonnull (info);
  return info;
}

/* The API page as lines, or NULL (and the test skipped) without it. */
static char **
load_api_page (void)
{
  const char *dir = g_getenv ("JUICE_SHARED_DIR");
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  char **lines;

  if (dir == NULL)
    {
      g_test_skip ("JUICE_SHARED_DIR is not set: the profile is not checked against the API page "
                   "(meson test sets it to ../shared beside the source tree)");
      return NULL;
    }

  path = g_build_filename (dir, "ecoflow-delta-pro-open-api.txt", NULL);
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_autofree char *reason = g_strdup_printf ("%s is not there: the profile is not checked "
                                                 "against the API page", path);

      g_test_skip (reason);
      return NULL;
    }

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);

  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    g_strstrip (lines[i]);

  return lines;
}

/* Index of the GetAllQuotaResponse heading and of the Example after it. */
static void
find_quota_table (char  **lines,
                  guint  *start,
                  guint  *end)
{
  *start = 0;
  while (lines[*start] != NULL && strcmp (lines[*start], "GetAllQuotaResponse") != 0)
    (*start)++;
  g_assert_nonnull (lines[*start]);

  *end = *start + 1;
  while (lines[*end] != NULL && !g_str_has_prefix (lines[*end], "Example"))
    (*end)++;
  g_assert_nonnull (lines[*end]);
}

static JuiceUnit
unit_hinted_by (const char *description)
{
  static const struct {
    const char *text;
    JuiceUnit   unit;
  } hints[] = {
    { "(mAh)", JUICE_UNIT_MILLIAMPERE_HOUR },
    { "(mV)", JUICE_UNIT_VOLT },
    { "(V)", JUICE_UNIT_VOLT },
    { "(mA)", JUICE_UNIT_AMPERE },
    { "/mA", JUICE_UNIT_AMPERE },
    { "(Wh)", JUICE_UNIT_WATT_HOUR },
    { "(W)", JUICE_UNIT_WATT },
    { "/W", JUICE_UNIT_WATT },
    { "℃", JUICE_UNIT_CELSIUS },
    { "(Hz)", JUICE_UNIT_HERTZ },
    { "(s)", JUICE_UNIT_SECOND },
    { "(min)", JUICE_UNIT_MINUTE },
    { "(mins)", JUICE_UNIT_MINUTE },
    { "/min", JUICE_UNIT_MINUTE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (hints); i++)
    {
      if (strstr (description, hints[i].text) != NULL)
        return hints[i].unit;
    }

  return N_JUICE_UNITS;
}

static JuiceQuotaGroup
group_for_key (const char *key)
{
  if (g_str_has_prefix (key, "bmsMaster."))
    return JUICE_QUOTA_GROUP_BATTERY;
  if (g_str_has_prefix (key, "bmsSlave"))
    return JUICE_QUOTA_GROUP_EXTRA_BATTERY;
  if (g_str_has_prefix (key, "inv."))
    return JUICE_QUOTA_GROUP_INVERTER;
  if (g_str_has_prefix (key, "mppt."))
    return JUICE_QUOTA_GROUP_SOLAR;
  if (g_str_has_prefix (key, "pd.icon"))
    return JUICE_QUOTA_GROUP_ICONS;
  if (g_str_has_prefix (key, "pd."))
    return JUICE_QUOTA_GROUP_OVERVIEW;
  if (g_str_has_prefix (key, "ems."))
    return JUICE_QUOTA_GROUP_ENERGY;
  return JUICE_QUOTA_GROUP_OTHER;
}

static void
test_api_quota_keys (void)
{
  g_auto(GStrv) lines = load_api_page ();
  g_autoptr(GRegex) regex = NULL;
  guint start, end;
  guint n_keys = 0;

  if (lines == NULL)
    return;

  regex = g_regex_new ("^" QUOTA_KEY_PATTERN "$", 0, 0, NULL);
  find_quota_table (lines, &start, &end);

  for (guint i = start; i < end; i++)
    {
      const JuiceQuotaInfo *info;
      JuiceUnit hinted;

      if (!g_regex_match (regex, lines[i], 0, NULL))
        continue;

      n_keys++;
      info = juice_device_profile_lookup_quota (profile (), lines[i]);
      if (info == NULL)
        g_error ("quota key %s of the API page is not in the profile", lines[i]);

      /* the page's spelling, its prefix's group */
      g_assert_cmpstr (info->key, ==, lines[i]);
      g_assert_cmpint (info->group, ==, group_for_key (lines[i]));

      /* the unit the description names, where it names one */
      if (i + 2 < end && info->type != JUICE_QUOTA_ENUM && info->type != JUICE_QUOTA_BOOLEAN)
        {
          hinted = unit_hinted_by (lines[i + 2]);
          if (hinted != N_JUICE_UNITS && hinted != info->unit)
            g_error ("%s: the page says \"%s\", the profile has unit \"%s\"",
                     info->key, lines[i + 2], juice_unit_symbol (info->unit));
        }
    }

  /* the page lists about 200; a parser that finds few is broken */
  g_assert_cmpuint (n_keys, >=, 190);
  g_assert_cmpuint (profile ()->n_quotas, >=, n_keys);
}

/* Every key quoted anywhere else on the page (settings' quotas lists and
 * "data" examples, the report examples) is a known quota. */
static void
test_api_example_keys (void)
{
  g_auto(GStrv) lines = load_api_page ();
  g_autoptr(GRegex) regex = NULL;
  guint start, end;
  guint n_keys = 0;

  if (lines == NULL)
    return;

  regex = g_regex_new ("\"(" QUOTA_KEY_PATTERN ")\"", 0, 0, NULL);
  find_quota_table (lines, &start, &end);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(GMatchInfo) match = NULL;

      if (i >= start && i < end)
        continue;

      g_regex_match (regex, lines[i], 0, &match);
      while (g_match_info_matches (match))
        {
          g_autofree char *key = g_match_info_fetch (match, 1);

          n_keys++;
          if (juice_device_profile_lookup_quota (profile (), key) == NULL)
            g_error ("key %s of the page's examples is not in the profile", key);
          g_match_info_next (match, NULL);
        }
    }

  /* 16 settings' readbacks, twice each, plus the examples */
  g_assert_cmpuint (n_keys, >=, 32);
}

static void
test_settings_table (void)
{
  const JuiceDeviceProfile *p = profile ();

  g_assert_cmpstr (p->product, ==, "DELTA Pro");
  g_assert_cmpstr (p->sn_prefix, ==, "DCAB");
  g_assert_cmpuint (p->n_settings, ==, G_N_ELEMENTS (expected_settings));

  for (guint i = 0; i < G_N_ELEMENTS (expected_settings); i++)
    {
      const ExpectedSetting *e = &expected_settings[i];
      const JuiceSettingInfo *s = setting (e->name);
      const JuiceQuotaInfo *readback;

      g_test_message ("setting %s", e->name);
      g_assert_cmpstr (s->name, ==, e->name);
      g_assert_cmpint (s->cmd_set, ==, 32);
      g_assert_cmpint (s->cmd_id, ==, e->cmd_id);
      g_assert_cmpstr (s->param, ==, e->param);
      g_assert_cmpstr (s->readback_key, ==, e->readback_key);
      g_assert_cmpint (s->kind, ==, e->kind);
      g_assert_cmpint (s->group, ==, e->group);
      g_assert_nonnull (s->label);
      g_assert_cmpstr (s->label, !=, "");
      g_assert_nonnull (s->description);
      g_assert_cmpstr (s->description, !=, "");

      readback = juice_device_profile_lookup_quota (p, e->readback_key);
      g_assert_nonnull (readback);
      g_assert_cmpstr (readback->key, ==, e->readback_key);
      g_assert_true (juice_device_profile_setting_for_key (p, e->readback_key) == s);

      if (s->kind == JUICE_SETTING_CHOICE)
        g_assert_nonnull (s->options);
      if (s->kind != JUICE_SETTING_SWITCH)
        g_assert_false (s->inverted);
      if (s->companion_key != NULL)
        g_assert_nonnull (juice_device_profile_lookup_quota (p, s->companion_key));
    }

  /* AC output and X-Boost share id 66 and send each other's value */
  g_assert_cmpstr (setting ("ac-output")->companion_param, ==, "xboost");
  g_assert_cmpstr (setting ("ac-output")->companion_key, ==, "inv.cfgAcXboost");
  g_assert_cmpstr (setting ("x-boost")->companion_param, ==, "enabled");
  g_assert_cmpstr (setting ("x-boost")->companion_key, ==, "inv.cfgAcEnabled");
  g_assert_null (setting ("car-output")->companion_param);
  g_assert_true (setting ("beep")->inverted);
  g_assert_false (setting ("ac-output")->inverted);

  for (guint i = 0; i < G_N_ELEMENTS (expected_ranges); i++)
    {
      const JuiceSettingInfo *s = setting (expected_ranges[i].name);

      g_assert_cmpint (s->min, ==, expected_ranges[i].min);
      g_assert_cmpint (s->max, ==, expected_ranges[i].max);
      g_assert_cmpint (s->step, ==, expected_ranges[i].step);
    }

  g_assert_null (juice_device_profile_lookup_setting (p, "no-such-setting"));
  g_assert_null (juice_device_profile_setting_for_key (p, "pd.soc"));
}

static void
assert_valid (const JuiceSettingInfo *s,
              gint64                  value)
{
  g_autoptr(GError) error = NULL;

  if (!juice_setting_info_validate (s, value, &error))
    g_error ("%s rejects %" G_GINT64_FORMAT ": %s", s->name, value, error->message);
  g_assert_no_error (error);
}

static void
assert_invalid (const JuiceSettingInfo *s,
                gint64                  value)
{
  g_autoptr(GError) error = NULL;

  if (juice_setting_info_validate (s, value, &error))
    g_error ("%s accepts %" G_GINT64_FORMAT, s->name, value);
  g_assert_error (error, JUICE_DEVICE_ERROR, JUICE_DEVICE_ERROR_INVALID_VALUE);
  g_assert_nonnull (strstr (error->message, s->label));
}

static void
test_validate (void)
{
  const JuiceDeviceProfile *p = profile ();
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < p->n_settings; i++)
    {
      const JuiceSettingInfo *s = &p->settings[i];

      switch (s->kind)
        {
        case JUICE_SETTING_SWITCH:
          assert_valid (s, 0);
          assert_valid (s, 1);
          assert_invalid (s, -1);
          assert_invalid (s, 2);
          break;

        case JUICE_SETTING_RANGE:
          assert_valid (s, s->min);
          assert_valid (s, s->max);
          assert_valid (s, s->min + s->step);
          assert_invalid (s, s->min - 1);
          assert_invalid (s, s->max + 1);
          assert_invalid (s, s->max + s->step);
          if (s->step > 1)
            {
              assert_invalid (s, s->min + 1);
              assert_invalid (s, s->max - 1);
            }
          for (const JuiceEnumValue *v = s->options; v && v->label; v++)
            assert_valid (s, v->value);
          break;

        case JUICE_SETTING_CHOICE:
        default:
          {
            gint64 largest = G_MININT64;
            gint64 between = s->options[0].value + 1;

            for (const JuiceEnumValue *v = s->options; v->label; v++)
              {
                assert_valid (s, v->value);
                largest = MAX (largest, v->value);
              }
            while (juice_enum_values_lookup (s->options, between) != NULL)
              between++;
            assert_invalid (s, -1);
            assert_invalid (s, largest + 1);
            assert_invalid (s, between);
          }
          break;
        }
    }

  assert_invalid (setting ("screen-brightness"), 127);
  assert_invalid (setting ("screen-brightness"), 129);
  assert_invalid (setting ("car-input-current"), 5000);
  assert_invalid (setting ("ac-charging-power"), 650);

  /* the message names the allowed values in plain words */
  g_assert_false (juice_setting_info_validate (setting ("charge-limit"), 49, &error));
  g_assert_cmpstr (error->message, ==, "Charge limit must be between 50 and 100 %");
  g_clear_error (&error);

  g_assert_false (juice_setting_info_validate (setting ("ac-charging-power"), 250, &error));
  g_assert_cmpstr (error->message, ==,
                   "AC charging power must be between 200 and 2900 W, in steps of 100 W");
  g_clear_error (&error);

  g_assert_false (juice_setting_info_validate (setting ("screen-brightness"), 101, &error));
  g_assert_cmpstr (error->message, ==,
                   "Screen brightness must be between 0 and 100 %, or Automatic");
  g_clear_error (&error);

  g_assert_false (juice_setting_info_validate (setting ("car-input-current"), 0, &error));
  g_assert_cmpstr (error->message, ==, "Car input current must be one of: 4 A, 6 A, 8 A");
  g_clear_error (&error);

  g_assert_false (juice_setting_info_validate (setting ("beep"), 3, &error));
  g_assert_cmpstr (error->message, ==, "Beep must be on or off");
  g_clear_error (&error);
}

static void
assert_round_trip (const JuiceSettingInfo *s,
                   gint64                  value)
{
  g_autofree char *text = juice_setting_info_format_value (s, value);
  g_autoptr(GError) error = NULL;
  gint64 parsed = -12345;

  g_assert_nonnull (text);
  g_assert_cmpstr (text, !=, "");
  if (!juice_setting_info_parse_value (s, text, &parsed, &error))
    g_error ("%s: \"%s\" (from %" G_GINT64_FORMAT ") does not parse: %s",
             s->name, text, value, error->message);
  g_assert_cmpint (parsed, ==, value);
}

static void
test_round_trip (void)
{
  const JuiceDeviceProfile *p = profile ();
  guint n_checked = 0;

  for (guint i = 0; i < p->n_settings; i++)
    {
      const JuiceSettingInfo *s = &p->settings[i];

      switch (s->kind)
        {
        case JUICE_SETTING_SWITCH:
          assert_round_trip (s, 0);
          assert_round_trip (s, 1);
          n_checked += 2;
          break;

        case JUICE_SETTING_RANGE:
          assert_round_trip (s, s->min);
          assert_round_trip (s, s->min + s->step);
          assert_round_trip (s, s->max);
          n_checked += 3;
          G_GNUC_FALLTHROUGH;

        case JUICE_SETTING_CHOICE:
        default:
          for (const JuiceEnumValue *v = s->options; v && v->label; v++)
            {
              assert_round_trip (s, v->value);
              n_checked++;
            }
          break;
        }
    }

  g_assert_cmpuint (n_checked, >=, 50);
}

static void
assert_parses (const char *name,
               const char *text,
               gint64      expected)
{
  g_autoptr(GError) error = NULL;
  gint64 value = -12345;

  if (!juice_setting_info_parse_value (setting (name), text, &value, &error))
    g_error ("%s does not take \"%s\": %s", name, text, error->message);
  g_assert_cmpint (value, ==, expected);
}

static void
assert_parse_fails (const char *name,
                    const char *text)
{
  g_autoptr(GError) error = NULL;
  gint64 value = -12345;

  if (juice_setting_info_parse_value (setting (name), text, &value, &error))
    g_error ("%s takes \"%s\" as %" G_GINT64_FORMAT, name, text, value);
  g_assert_error (error, JUICE_DEVICE_ERROR, JUICE_DEVICE_ERROR_INVALID_VALUE);
  g_assert_cmpint (value, ==, -12345);
}

static void
assert_formats (const char *name,
                gint64      value,
                const char *expected)
{
  g_autofree char *text = juice_setting_info_format_value (setting (name), value);

  g_assert_cmpstr (text, ==, expected);
}

static void
assert_describes (const char *name,
                  const char *expected)
{
  g_autofree char *text = juice_setting_info_describe_values (setting (name));

  g_assert_cmpstr (text, ==, expected);
}

static void
test_parse_format (void)
{
  g_autoptr(GError) error = NULL;
  gint64 value = 0;

  assert_parses ("ac-output", "on", 1);
  assert_parses ("ac-output", " OFF ", 0);
  assert_parses ("ac-output", "true", 1);
  assert_parses ("ac-output", "0", 0);
  assert_parse_fails ("ac-output", "maybe");
  assert_parse_fails ("ac-output", "2");
  assert_parse_fails ("ac-output", "");

  /* beeping is pd.beepState 0 (normal) */
  assert_parses ("beep", "on", 0);
  assert_parses ("beep", "off", 1);
  assert_parses ("beep", "1", 0);
  assert_formats ("beep", 0, "on");
  assert_formats ("beep", 1, "off");
  assert_formats ("ac-output", 1, "on");
  assert_formats ("ac-output", 0, "off");

  assert_parses ("charge-limit", "80", 80);
  assert_parses ("charge-limit", "80%", 80);
  assert_parses ("charge-limit", "80 %", 80);
  assert_parse_fails ("charge-limit", "49");
  assert_parse_fails ("charge-limit", "101");
  assert_parse_fails ("charge-limit", "eighty");
  assert_parse_fails ("charge-limit", "80 W");
  assert_formats ("charge-limit", 80, "80 %");

  assert_parses ("screen-brightness", "auto", 128);
  assert_parses ("screen-brightness", "Automatic", 128);
  assert_parses ("screen-brightness", "128", 128);
  assert_parses ("screen-brightness", "0", 0);
  assert_formats ("screen-brightness", 128, "auto");
  assert_formats ("screen-brightness", 30, "30 %");

  assert_parses ("ac-charging-power", "600 W", 600);
  assert_parses ("ac-charging-power", "2900", 2900);
  assert_parse_fails ("ac-charging-power", "650");
  assert_parse_fails ("ac-charging-power", "100");
  assert_formats ("ac-charging-power", 600, "600 W");
  assert_formats ("ac-charging-power", 650, "650 W");

  assert_parses ("car-input-current", "4a", 4000);
  assert_parses ("car-input-current", "8A", 8000);
  assert_parses ("car-input-current", "6 A", 6000);
  assert_parses ("car-input-current", "6000", 6000);
  assert_parse_fails ("car-input-current", "5000");
  assert_parse_fails ("car-input-current", "5a");
  assert_formats ("car-input-current", 8000, "8a");

  assert_parses ("screen-timeout", "never", 0);
  assert_parses ("screen-timeout", "5m", 300);
  assert_parses ("screen-timeout", "300", 300);
  assert_parses ("screen-timeout", "300 s", 300);
  assert_parses ("screen-timeout", "1 minute", 60);
  assert_parse_fails ("screen-timeout", "20s");
  assert_formats ("screen-timeout", 1800, "30m");
  assert_formats ("screen-timeout", 45, "45");

  assert_parses ("unit-timeout", "12h", 720);
  assert_parses ("ac-standby", "24h", 1440);
  assert_parses ("ac-standby", "4h", 240);
  assert_parse_fails ("unit-timeout", "4h");
  assert_formats ("ac-standby", 0, "never");

  assert_parses ("pv-charging-type", "auto", 0);
  assert_parses ("pv-charging-type", "mppt", 1);
  assert_parses ("pv-charging-type", "Adapter", 2);
  assert_parse_fails ("pv-charging-type", "3");
  assert_formats ("pv-charging-type", 1, "mppt");

  assert_parses ("generator-auto-on", "30", 30);
  assert_parse_fails ("generator-auto-on", "31");
  assert_parses ("generator-auto-off", "50", 50);
  assert_parse_fails ("generator-auto-off", "49");

  /* the parse error says what is allowed */
  g_assert_false (juice_setting_info_parse_value (setting ("discharge-limit"), "x",
                                                  &value, &error));
  g_assert_cmpstr (error->message, ==, "Discharge limit must be between 0 and 30 %");
  g_clear_error (&error);
  g_assert_false (juice_setting_info_parse_value (setting ("pv-charging-type"), "x",
                                                  &value, &error));
  g_assert_cmpstr (error->message, ==,
                   "Solar input type must be one of: Automatic, Solar (MPPT), Adapter");
  g_clear_error (&error);

  assert_describes ("ac-output", "on, off");
  assert_describes ("beep", "on, off");
  assert_describes ("charge-limit", "50..100 %");
  assert_describes ("discharge-limit", "0..30 %");
  assert_describes ("screen-brightness", "0..100 % or auto");
  assert_describes ("ac-charging-power", "200..2900 W step 100");
  assert_describes ("car-input-current", "4a, 6a, 8a");
  assert_describes ("screen-timeout", "never, 10s, 30s, 1m, 5m, 30m");
  assert_describes ("unit-timeout", "never, 30m, 1h, 2h, 6h, 12h");
  assert_describes ("ac-standby", "never, 30m, 1h, 2h, 4h, 6h, 12h, 24h");
  assert_describes ("pv-charging-type", "auto, mppt, adapter");
}

static void
test_case_insensitive (void)
{
  const JuiceDeviceProfile *p = profile ();
  const JuiceQuotaInfo *info;

  /* real devices spell it acPassByAutoEn */
  info = juice_device_profile_lookup_quota (p, "inv.acPassByAutoEn");
  g_assert_nonnull (info);
  g_assert_cmpstr (info->key, ==, "inv.acPassbyAutoEn");
  g_assert_true (juice_device_profile_setting_for_key (p, "inv.acPassByAutoEn") ==
                 setting ("bypass-ac-auto-start"));
  g_assert_true (juice_device_profile_setting_for_key (p, "INV.CFGACENABLED") ==
                 setting ("ac-output"));
  g_assert_true (juice_device_profile_setting_for_key (p, "inv.cfgacxboost") ==
                 setting ("x-boost"));

  info = juice_device_profile_lookup_quota (p, "PD.SOC");
  g_assert_nonnull (info);
  g_assert_cmpstr (info->key, ==, "pd.soc");

  g_assert_null (juice_device_profile_lookup_quota (p, "pd.noSuchKey"));
  g_assert_null (juice_device_profile_lookup_quota (p, ""));
  g_assert_null (juice_device_profile_lookup_quota (p, "pd.soc "));

  g_assert_cmpuint (juice_str_case_hash ("bmsMaster.cellVol"), ==,
                    juice_str_case_hash ("BMSMASTER.CELLVOL"));
  g_assert_cmpuint (juice_str_case_hash ("pd.soc"), !=, juice_str_case_hash ("pd.sot"));
  g_assert_true (juice_str_case_equal ("inv.acPassByAutoEn", "inv.acPassbyAutoEn"));
  g_assert_false (juice_str_case_equal ("inv.acPassByAutoEn", "inv.acPassbyAutoEnX"));

  /* every key finds itself, in any case: no key is listed twice */
  for (guint i = 0; i < p->n_quotas; i++)
    {
      g_autofree char *upper = g_ascii_strup (p->quotas[i].key, -1);

      g_assert_true (juice_device_profile_lookup_quota (p, p->quotas[i].key) == &p->quotas[i]);
      g_assert_true (juice_device_profile_lookup_quota (p, upper) == &p->quotas[i]);
    }
  for (guint i = 0; i < p->n_settings; i++)
    g_assert_true (juice_device_profile_lookup_setting (p, p->settings[i].name) == &p->settings[i]);
}

static void
test_labels (void)
{
  const JuiceDeviceProfile *p = profile ();
  guint n_extra = 0;
  guint n_icons = 0;

  for (guint i = 0; i < p->n_quotas; i++)
    {
      const JuiceQuotaInfo *q = &p->quotas[i];

      g_test_message ("quota %s", q->key);
      g_assert_nonnull (q->label);
      g_assert_cmpstr (q->label, !=, "");
      g_assert_cmpint (q->group, <, N_JUICE_QUOTA_GROUPS);
      g_assert_cmpint (q->unit, <, N_JUICE_UNITS);
      g_assert_cmpfloat (q->scale, >, 0.0);
      g_assert_cmpint (q->group, ==, group_for_key (q->key));

      if (q->type == JUICE_QUOTA_ENUM)
        {
          g_assert_nonnull (q->enum_values);
          g_assert_nonnull (q->enum_values[0].label);
          for (const JuiceEnumValue *v = q->enum_values; v->label; v++)
            {
              g_assert_cmpstr (v->label, !=, "");
              g_assert_true (juice_enum_values_lookup (q->enum_values, v->value) == v);
            }
        }
      else
        {
          g_assert_null (q->enum_values);
        }

      if (q->group == JUICE_QUOTA_GROUP_EXTRA_BATTERY)
        n_extra++;
      if (q->group == JUICE_QUOTA_GROUP_ICONS)
        n_icons++;
    }

  g_assert_cmpuint (n_icons, ==, 54);  /* 27 icons, a mode and a state each */
  g_assert_cmpuint (n_extra, >=, 28);

  /* the real report's keys that matter */
  {
    static const char * const battery_keys[] = {
      "soc", "f32ShowSoc", "temp", "vol", "amp", "inputWatts", "outputWatts", "remainCap",
      "fullCap", "designCap", "soh", "cycles", "maxCellTemp", "minCellTemp",
    };
    static const char * const prefixes[] = { "bmsMaster", "bmsSlave1", "bmsSlave2" };

    for (guint i = 0; i < G_N_ELEMENTS (prefixes); i++)
      for (guint j = 0; j < G_N_ELEMENTS (battery_keys); j++)
        {
          g_autofree char *key = g_strconcat (prefixes[i], ".", battery_keys[j], NULL);

          if (juice_device_profile_lookup_quota (p, key) == NULL)
            g_error ("%s is not in the profile", key);
        }

    g_assert_cmpint (juice_device_profile_lookup_quota (p, "bmsMaster.cellVol")->type, ==,
                     JUICE_QUOTA_ARRAY);
    g_assert_cmpint (juice_device_profile_lookup_quota (p, "bmsMaster.cellTemp")->type, ==,
                     JUICE_QUOTA_ARRAY);
    g_assert_cmpint (juice_device_profile_lookup_quota (p, "bmsMaster.packSn")->type, ==,
                     JUICE_QUOTA_ARRAY);
  }

  for (guint i = 0; i < p->n_settings; i++)
    {
      const JuiceSettingInfo *s = &p->settings[i];
      g_autoptr(GHashTable) nicks = g_hash_table_new (g_str_hash, g_str_equal);

      for (const JuiceEnumValue *v = s->options; v && v->label; v++)
        {
          g_assert_cmpstr (v->label, !=, "");
          g_assert_nonnull (v->nick);
          g_assert_true (g_hash_table_add (nicks, (gpointer) v->nick));
        }
      g_assert_cmpint (s->group, <, N_JUICE_SETTING_GROUPS);
    }

  for (guint g = 0; g < N_JUICE_QUOTA_GROUPS; g++)
    g_assert_cmpstr (juice_quota_group_label (g), !=, "");
  for (guint g = 0; g < N_JUICE_SETTING_GROUPS; g++)
    g_assert_cmpstr (juice_setting_group_label (g), !=, "");
  g_assert_cmpstr (juice_setting_group_label (SG_DISPLAY), ==,
                   "Display and sounds");
  g_assert_cmpstr (juice_setting_group_label (SG_BATTERY_LIMITS), ==,
                   "Battery limits");

  g_assert_cmpstr (juice_unit_symbol (JUICE_UNIT_NONE), ==, "");
  g_assert_cmpstr (juice_unit_symbol (JUICE_UNIT_PERCENT), ==, "%");
  g_assert_cmpstr (juice_unit_symbol (JUICE_UNIT_WATT), ==, "W");
  g_assert_cmpstr (juice_unit_symbol (JUICE_UNIT_WATT_HOUR), ==, "Wh");
  g_assert_cmpstr (juice_unit_symbol (JUICE_UNIT_VOLT), ==, "V");
  g_assert_cmpstr (juice_unit_symbol (JUICE_UNIT_AMPERE), ==, "A");
  g_assert_cmpstr (juice_unit_symbol (JUICE_UNIT_MILLIAMPERE_HOUR), ==, "mAh");
  g_assert_cmpstr (juice_unit_symbol (JUICE_UNIT_CELSIUS), ==, "°C");
  g_assert_cmpstr (juice_unit_symbol (JUICE_UNIT_HERTZ), ==, "Hz");
  g_assert_cmpstr (juice_unit_symbol (JUICE_UNIT_SECOND), ==, "s");
  g_assert_cmpstr (juice_unit_symbol (JUICE_UNIT_MINUTE), ==, "min");
  g_assert_cmpstr (juice_unit_symbol (JUICE_UNIT_DBM), ==, "dBm");
}

static void
assert_quota_format (const char *key,
                     double      raw,
                     const char *expected)
{
  const JuiceQuotaInfo *info = juice_device_profile_lookup_quota (profile (), key);
  g_autofree char *text = NULL;

  g_assert_nonnull (info);
  text = juice_quota_info_format (info, raw);
  if (g_strcmp0 (text, expected) != 0)
    g_error ("%s %g formats as \"%s\", not \"%s\"", key, raw, text, expected);
}

static void
test_format (void)
{
  assert_quota_format ("bmsMaster.vol", 50064, "50.06 V");
  assert_quota_format ("bmsMaster.maxCellVol", 3337, "3.337 V");
  assert_quota_format ("bmsMaster.cellVol", 3333, "3.333 V");
  assert_quota_format ("bmsMaster.amp", 3105, "3.105 A");
  assert_quota_format ("bmsMaster.amp", -3105, "-3.105 A");
  assert_quota_format ("inv.invOutVol", 0, "0 V");
  assert_quota_format ("inv.invOutVol", 230412, "230.4 V");
  assert_quota_format ("inv.cfgAcOutVoltage", 120000, "120.0 V");
  assert_quota_format ("mppt.inVol", 691, "69.1 V");
  assert_quota_format ("mppt.inAmp", 428, "4.28 A");
  assert_quota_format ("mppt.inWatts", 2960, "296 W");
  assert_quota_format ("mppt.cfgDcChgCurrent", 8000, "8.000 A");
  assert_quota_format ("pd.soc", 56, "56 %");
  assert_quota_format ("ems.f32LcdShowSoc", 53.855263, "53.9 %");
  assert_quota_format ("bmsMaster.temp", 28, "28 °C");
  assert_quota_format ("bmsMaster.remainCap", 42191, "42191 mAh");
  assert_quota_format ("pd.remainTime", -660, "-660 min");
  assert_quota_format ("pd.lcdOffSec", 300, "300 s");
  assert_quota_format ("pd.chgSunPower", 129952, "129952 Wh");
  assert_quota_format ("pd.wifiRssi", -60, "-60 dBm");
  assert_quota_format ("inv.acInFreq", 50, "50 Hz");
  assert_quota_format ("pd.beepState", 0, "Normal");
  assert_quota_format ("pd.beepState", 1, "Quiet");
  assert_quota_format ("pd.beepState", 7, "7");
  assert_quota_format ("mppt.cfgChgType", 1, "Solar (MPPT)");
  assert_quota_format ("pd.iconFanMode", 1, "Blinking");
  assert_quota_format ("inv.cfgAcEnabled", 1, "On");
  assert_quota_format ("inv.cfgAcEnabled", 0, "Off");
  assert_quota_format ("bmsMaster.cycles", 29, "29");
  assert_quota_format ("ems.bmsWarningState", 5, "5");
  assert_quota_format ("bmsMaster.sysVer", 16843820, "16843820");
}

/* The real report: known keys carry values the profile's types and scales
 * make sense of, and the scales agree with each other (V × A = W). */
static gboolean
node_to_double (JsonNode *node,
                double   *value)
{
  if (!JSON_NODE_HOLDS_VALUE (node))
    return FALSE;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      *value = json_node_get_int (node);
      return TRUE;
    case G_TYPE_DOUBLE:
      *value = json_node_get_double (node);
      return TRUE;
    case G_TYPE_STRING:
      {
        const char *text = json_node_get_string (node);
        char *end = NULL;

        *value = g_ascii_strtod (text, &end);
        return end != text && *end == '\0';
      }
    default:
      return FALSE;
    }
}

static void
check_fixture_value (const JuiceQuotaInfo *info,
                     double                raw)
{
  double value = raw * info->scale;
  g_autofree char *text = juice_quota_info_format (info, raw);

  g_assert_nonnull (text);
  g_assert_cmpstr (text, !=, "");

  switch (info->type)
    {
    case JUICE_QUOTA_ENUM:
      if (juice_enum_values_lookup (info->enum_values, (gint64) raw) == NULL)
        g_error ("%s: the real device sent %g, which the profile does not name", info->key, raw);
      return;

    case JUICE_QUOTA_BOOLEAN:
      g_assert_true (raw == 0 || raw == 1);
      return;

    default:
      break;
    }

  switch (info->unit)
    {
    case JUICE_UNIT_PERCENT:
      g_assert_cmpfloat (value, >=, 0.0);
      g_assert_cmpfloat (value, <=, 100.0);
      break;
    case JUICE_UNIT_VOLT:
      g_assert_cmpfloat (value, >=, 0.0);
      g_assert_cmpfloat (value, <=, 300.0);
      break;
    case JUICE_UNIT_AMPERE:
      g_assert_cmpfloat (fabs (value), <=, 200.0);
      break;
    case JUICE_UNIT_WATT:
      g_assert_cmpfloat (value, >=, 0.0);
      g_assert_cmpfloat (value, <=, 7200.0);
      break;
    case JUICE_UNIT_CELSIUS:
      g_assert_cmpfloat (value, >=, -40.0);
      g_assert_cmpfloat (value, <=, 100.0);
      break;
    default:
      break;
    }
}

static double
fixture_value (JsonObject *data,
               const char *key)
{
  double value = NAN;

  g_assert_true (json_object_has_member (data, key));
  g_assert_true (node_to_double (json_object_get_member (data, key), &value));

  return value * juice_device_profile_lookup_quota (profile (), key)->scale;
}

static void
test_fixture (void)
{
  const char *dir = g_getenv ("JUICE_SIM_DATA");
  g_autofree char *path = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GList) members = NULL;
  JsonObject *data;
  guint n_known = 0;
  double solar_watts;

  if (dir == NULL)
    {
      g_test_skip ("JUICE_SIM_DATA is not set: the profile is not checked against a real "
                   "device's quota/all");
      return;
    }

  path = g_build_filename (dir, "delta-pro-quota-all.json", NULL);
  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);

  data = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
                                        "data");
  g_assert_nonnull (data);

  members = json_object_get_members (data);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *key = l->data;
      const JuiceQuotaInfo *info = juice_device_profile_lookup_quota (profile (), key);
      JsonNode *node = json_object_get_member (data, key);
      double raw;

      if (info == NULL)
        continue;

      g_test_message ("fixture %s", key);
      n_known++;

      if (info->type == JUICE_QUOTA_ARRAY)
        {
          JsonArray *array;

          g_assert_true (JSON_NODE_HOLDS_ARRAY (node));
          array = json_node_get_array (node);
          g_assert_cmpuint (json_array_get_length (array), >, 0);
          for (guint i = 0; i < json_array_get_length (array); i++)
            {
              g_assert_true (node_to_double (json_array_get_element (array, i), &raw));
              check_fixture_value (info, raw);
            }
        }
      else
        {
          g_assert_true (node_to_double (node, &raw));
          check_fixture_value (info, raw);
        }
    }

  /* nearly all of the ~300 keys of a real report */
  g_assert_cmpuint (n_known, >=, 230);

  /* scales agree: solar V × A ≈ solar W ≈ total input W */
  solar_watts = fixture_value (data, "mppt.inWatts");
  g_assert_cmpfloat_with_epsilon (fixture_value (data, "mppt.inVol") *
                                  fixture_value (data, "mppt.inAmp"),
                                  solar_watts, solar_watts * 0.05);
  g_assert_cmpfloat_with_epsilon (fixture_value (data, "pd.wattsInSum"),
                                  solar_watts, solar_watts * 0.05);
  g_assert_cmpfloat_with_epsilon (fixture_value (data, "mppt.outVol") *
                                  fixture_value (data, "mppt.outAmp"),
                                  fixture_value (data, "mppt.outWatts"),
                                  solar_watts * 0.05);
  g_assert_cmpfloat_with_epsilon (fixture_value (data, "bmsSlave1.vol") *
                                  fixture_value (data, "bmsSlave1.amp"),
                                  fixture_value (data, "bmsSlave1.inputWatts"),
                                  10.0);
  /* the pack voltage is about 15 cells' worth */
  g_assert_cmpfloat_with_epsilon (fixture_value (data, "bmsMaster.vol"),
                                  15 * fixture_value (data, "bmsMaster.maxCellVol"),
                                  1.0);
}

static void
test_for_product (void)
{
  const JuiceDeviceProfile *delta_pro = juice_device_profile_delta_pro ();

  g_assert_true (juice_device_profile_for_product ("DELTA Pro", NULL) == delta_pro);
  g_assert_true (juice_device_profile_for_product ("delta pro", NULL) == delta_pro);
  g_assert_true (juice_device_profile_for_product ("EcoFlow DELTA Pro (EU)", NULL) == delta_pro);
  g_assert_true (juice_device_profile_for_product (NULL, "DCABZ8A1B2C3D4E5") == delta_pro);
  g_assert_true (juice_device_profile_for_product ("", "DCABZ8A1B2C3D4E5") == delta_pro);
  g_assert_true (juice_device_profile_for_product ("RIVER 2", "DCABZ8A1B2C3D4E5") == delta_pro);

  g_assert_null (juice_device_profile_for_product (NULL, NULL));
  g_assert_null (juice_device_profile_for_product ("RIVER 2", "R601ZEB4XE1A2345"));
  /* DELTA 2 has a profile of its own now: test-profile-delta-2.c */
  g_assert_true (juice_device_profile_for_product ("DELTA 2", NULL) == juice_device_profile_delta_2 ());
  g_assert_null (juice_device_profile_for_product ("DELTA Pro 3", "MR51ZAS4PG0A1234"));
  g_assert_null (juice_device_profile_for_product ("DELTA Pro Ultra", "Y711ZAB4XE1A2345"));
  g_assert_null (juice_device_profile_for_product ("", "DCA"));
}

/* One builder for the app and juice-ctl: a setting never changes the one it
 * shares a command with. */
static void
test_build_command (void)
{
  const JuiceSettingInfo *ac = setting ("ac-output");
  const JuiceSettingInfo *boost = setting ("x-boost");
  static const struct {
    gboolean known;
    gint64   readback;   /* inv.cfgAcXboost */
    gint64   sent;
  } cases[] = {
    { TRUE, 0, 0 },
    { TRUE, 1, 1 },
    { TRUE, 0xff, 0xff },   /* "ignored": never turned into 1 */
    { TRUE, 7, 0xff },      /* nothing the API page names */
    { FALSE, 0, 0xff },     /* not reported yet */
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) params = NULL;
  gint64 enabled;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      for (gint64 on = 0; on <= 1; on++)
        {
          params = juice_setting_info_build_command (ac, on, cases[i].known ? &cases[i].readback
                                                                            : NULL, &error);
          g_assert_no_error (error);
          g_assert_cmpuint (json_object_get_size (params), ==, 4);
          g_assert_cmpint (json_object_get_int_member (params, "cmdSet"), ==, 32);
          g_assert_cmpint (json_object_get_int_member (params, "id"), ==, 66);
          g_assert_cmpint (json_object_get_int_member (params, "enabled"), ==, on);
          g_assert_cmpint (json_object_get_int_member (params, "xboost"), ==, cases[i].sent);
          g_clear_pointer (&params, json_object_unref);
        }
    }

  /* AC output has no "ignored" value: X-Boost cannot be sent without it. */
  for (enabled = 0; enabled <= 1; enabled++)
    {
      params = juice_setting_info_build_command (boost, 1, &enabled, &error);
      g_assert_no_error (error);
      g_assert_cmpint (json_object_get_int_member (params, "enabled"), ==, enabled);
      g_assert_cmpint (json_object_get_int_member (params, "xboost"), ==, 1);
      g_clear_pointer (&params, json_object_unref);
    }
  params = juice_setting_info_build_command (boost, 1, NULL, &error);
  g_assert_null (params);
  g_assert_error (error, JUICE_DEVICE_ERROR, JUICE_DEVICE_ERROR_INVALID_VALUE);
  g_clear_error (&error);
  enabled = 0xff;
  params = juice_setting_info_build_command (boost, 0, &enabled, &error);
  g_assert_null (params);
  g_assert_error (error, JUICE_DEVICE_ERROR, JUICE_DEVICE_ERROR_INVALID_VALUE);
  g_clear_error (&error);

  /* The value itself is checked; a setting without a companion sends 3 members. */
  params = juice_setting_info_build_command (ac, 2, NULL, &error);
  g_assert_null (params);
  g_assert_error (error, JUICE_DEVICE_ERROR, JUICE_DEVICE_ERROR_INVALID_VALUE);
  g_clear_error (&error);
  params = juice_setting_info_build_command (setting ("charge-limit"), 80, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_object_get_size (params), ==, 3);
  g_assert_cmpint (json_object_get_int_member (params, "maxChgSoc"), ==, 80);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/juice/profile/api-quota-keys", test_api_quota_keys);
  g_test_add_func ("/juice/profile/api-example-keys", test_api_example_keys);
  g_test_add_func ("/juice/profile/settings-table", test_settings_table);
  g_test_add_func ("/juice/profile/validate", test_validate);
  g_test_add_func ("/juice/profile/round-trip", test_round_trip);
  g_test_add_func ("/juice/profile/parse-format", test_parse_format);
  g_test_add_func ("/juice/profile/case-insensitive", test_case_insensitive);
  g_test_add_func ("/juice/profile/labels", test_labels);
  g_test_add_func ("/juice/profile/format", test_format);
  g_test_add_func ("/juice/profile/fixture", test_fixture);
  g_test_add_func ("/juice/profile/for-product", test_for_product);
  g_test_add_func ("/juice/profile/build-command", test_build_command);

  return g_test_run ();
}
