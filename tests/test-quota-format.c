/* test-quota-format.c: every value of a real DELTA Pro as a person reads it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <math.h>
#include <string.h>

#include <gio/gio.h>

#include "juice-core-resources.h"
#include "juice-json.h"
#include "juice-quota-format.h"

#define FIXTURE_RESOURCE "/io/github/juicepower/Juice/core/delta-pro-quota-all.json"

static const JuiceDeviceProfile *
profile (void)
{
  return juice_device_profile_delta_pro ();
}

static const JuiceQuotaInfo *
info_for (const char *key)
{
  const JuiceQuotaInfo *info = juice_device_profile_lookup_quota (profile (), key);

  if (info == NULL)
    g_error ("the profile does not know %s", key);

  return info;
}

static void
assert_value (const char *key,
              double      raw,
              const char *expected)
{
  g_autofree char *text = juice_quota_format_value (info_for (key), raw);

  if (g_strcmp0 (text, expected) != 0)
    g_error ("%s %.17g reads \"%s\", not \"%s\"", key, raw, text, expected);
}

static void
assert_node (const char *key,
             const char *json,
             const char *expected)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);
  g_autofree char *text = NULL;

  g_assert_nonnull (node);
  text = juice_quota_format_node (info_for (key), node);
  if (g_strcmp0 (text, expected) != 0)
    g_error ("%s %s reads \"%s\", not \"%s\"", key, json, text, expected);
}

static void
test_duration (void)
{
  static const struct {
    gint64      seconds;
    gboolean    precise;
    const char *text;
  } cases[] = {
    { 0, FALSE, "0 s" },
    { 45, FALSE, "45 s" },
    { 90, FALSE, "1 min 30 s" },
    { 300, FALSE, "5 min" },
    { 3600 + 5 * 60 + 7, FALSE, "1 h 5 min" },
    { 7200, FALSE, "2 h" },
    { 2751890, FALSE, "31 d 20 h" },
    { 86400 + 30, FALSE, "1 d" },        /* never "1 d 30 s" */
    { 5999 * 60, FALSE, "4 d 3 h" },
    { 5999 * 60, TRUE, "4 d 3 h 59 min" },
    { 86400 + 30, TRUE, "1 d 30 s" },
    { -200 * 60, FALSE, "-3 h 20 min" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = juice_format_duration (cases[i].seconds, cases[i].precise);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

/* The examples a new user met, and one of each kind. */
static void
test_kinds (void)
{
  /* energy counters and capacities in the unit that reads best */
  assert_value ("pd.chgSunPower", 129952, "130 kWh");
  assert_value ("pd.chgPowerAc", 107969, "108 kWh");
  assert_value ("pd.dsgPowerAc", 92181, "92.18 kWh");
  assert_value ("pd.dsgPowerDc", 616, "616 Wh");
  assert_value ("pd.chgPowerDc", 0, "0 Wh");
  assert_value ("pd.chgSunPower", 2500000, "2.5 MWh");
  assert_value ("bmsMaster.remainCap", 42191, "42.19 Ah");
  assert_value ("bmsMaster.designCap", 80000, "80 Ah");

  /* durations */
  assert_value ("pd.mpptUsedTime", 2751890, "31 d 20 h");
  assert_value ("pd.usbUsedTime", 198412, "2 d 7 h");
  assert_value ("pd.carUsedTime", 6950, "1 h 55 min");
  assert_value ("pd.dcInUsedTime", 0, "0 s");
  assert_value ("ems.chgRemainTime", 660, "11 h");
  assert_value ("ems.dsgRemainTime", 12657, "8 d 18 h");
  assert_value ("bmsMaster.remainTime", 0, "0 min");
  assert_value ("pd.remainTime", 660, "11 h to full");
  assert_value ("pd.remainTime", -200, "3 h 20 min to empty");
  assert_value ("pd.remainTime", 0, "Idle");

  /* special values */
  assert_value ("pd.lcdBrightness", 128, "Automatic");
  assert_value ("pd.lcdBrightness", 30, "30 %");
  assert_value ("pd.lcdOffSec", 0, "Never");
  assert_value ("pd.lcdOffSec", 300, "5 min");
  assert_value ("pd.standByMode", 0, "Never");
  assert_value ("pd.standByMode", 5999, "4 d 3 h");
  assert_value ("inv.cfgStandbyMin", 0, "Never");
  assert_value ("inv.cfgStandbyMin", 720, "12 h");
  assert_value ("inv.cfgAcXboost", 0xff, "Not set");
  assert_value ("inv.cfgAcXboost", 1, "On");
  assert_value ("inv.cfgAcXboost", 0, "Off");
  assert_value ("inv.cfgAcOutVoltage", 4294967295.0, "Not set");
  assert_value ("inv.cfgAcOutVoltage", 120000, "120 V");
  assert_value ("inv.cfgAcOutFreq", 0xff, "Not set");

  /* scaled measurements */
  assert_value ("bmsMaster.vol", 50133, "50.13 V");
  assert_value ("bmsMaster.amp", -3105, "-3.105 A");
  assert_value ("mppt.cfgDcChgCurrent", 8000, "8 A");
  assert_value ("mppt.inVol", 691, "69.1 V");
  assert_value ("mppt.inWatts", 2960, "296 W");
  assert_value ("ems.f32LcdShowSoc", 53.855263, "53.9 %");
  assert_value ("pd.soc", 56, "56 %");
  assert_value ("bmsMaster.temp", 28, "28 °C");
  assert_value ("pd.wifiRssi", -60, "-60 dBm");

  /* enums, switches, bits, codes, versions */
  assert_value ("pd.beepState", 1, "Quiet");
  assert_value ("pd.beepState", 7, "Unknown (7)");
  assert_value ("inv.cfgAcEnabled", 2, "Unknown (2)");
  assert_value ("ems.bmsWarningState", 0, "None");
  assert_value ("ems.bmsWarningState", 5, "High temperature, Overload");
  assert_value ("ems.bmsWarningState", 0x30, "bit 4, bit 5");
  assert_value ("bmsMaster.openBmsIdx", 3, "Main battery, Extra battery 1");
  assert_value ("bmsMaster.bqSysStatReg", 128, "Code 128 (0x80)");
  assert_value ("pd.errCode", 0, "None");
  assert_value ("pd.sysVer", 16908436, "1.2.0.148");
  assert_value ("pd.wifiVer", 196610, "0.3.0.2");
  assert_value ("bmsMaster.cycles", 29, "29");

  /* arrays */
  assert_node ("bmsMaster.packSn", "[48,49,65,66,0,0]", "01AB");
  assert_node ("bmsMaster.hwEdition", "[86,48,46,48,46,48]", "V0.0.0");
  assert_node ("bmsMaster.packSn", "[1,2,3]", "1, 2, 3");
  assert_node ("bmsMaster.cellVol", "[3333,3340]", "3.333 V, 3.34 V");
  assert_node ("bmsMaster.cellTemp", "[27,28]", "27 °C, 28 °C");

  /* numbers as strings, and what is not a number */
  assert_node ("pd.chgSunPower", "\"129952\"", "130 kWh");
  assert_node ("pd.soc", "\"x\"", "x");
}

static gboolean
is_bare_number (const char *text)
{
  g_autoptr(GRegex) regex = g_regex_new ("^-?[0-9]+([.][0-9]+)?$", 0, 0, NULL);

  return g_regex_match (regex, text, 0, NULL);
}

/* A key whose raw number means more than itself: a unit, a name, a code. */
static gboolean
has_meaning (const JuiceQuotaInfo *info)
{
  return info->unit != JUICE_UNIT_NONE || info->type == JUICE_QUOTA_ENUM ||
         info->type == JUICE_QUOTA_BOOLEAN || info->type == JUICE_QUOTA_BITS ||
         info->hint != JUICE_QUOTA_HINT_NONE || info->special_values != NULL;
}

static JsonObject *
load_fixture (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = g_resource_lookup_data (juice_core_get_resource (), FIXTURE_RESOURCE,
                                                    0, &error);
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;

  g_assert_no_error (error);
  root = json_from_string (g_bytes_get_data (bytes, NULL), &error);
  g_assert_no_error (error);
  object = json_node_get_object (root);
  if (json_object_has_member (object, "data"))
    object = json_object_get_object_member (object, "data");

  return json_object_ref (object);
}

/* Every key of the real report: none that has a meaning reads as the bare
 * number the device sent, and every special value reads as its name. */
static void
test_fixture (void)
{
  g_autoptr(JsonObject) data = load_fixture ();
  g_autoptr(GList) members = json_object_get_members (data);
  guint n_known = 0;

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *key = l->data;
      JsonNode *node = json_object_get_member (data, key);
      const JuiceQuotaInfo *info = juice_device_profile_lookup_quota (profile (), key);
      g_autofree char *raw = juice_json_node_to_text (node);
      g_autofree char *text = juice_quota_format_node (info, node);

      g_test_message ("%s = %s → %s", key, raw, text);
      g_assert_nonnull (text);
      g_assert_cmpstr (text, !=, "");

      if (info == NULL)
        {
          /* Undocumented: shown as sent. */
          g_assert_cmpstr (text, ==, raw);
          continue;
        }

      n_known++;
      g_assert_false (g_str_has_prefix (text, "Unknown ("));
      /* A serial number of digits is text, not a number. */
      if (has_meaning (info) && info->hint != JUICE_QUOTA_HINT_TEXT_BYTES && is_bare_number (text))
        g_error ("%s = %s reads as the bare number \"%s\"", key, raw, text);

      for (const JuiceEnumValue *v = info->special_values; v && v->label; v++)
        {
          g_autofree char *special = juice_quota_format_value (info, (double) v->value);

          g_assert_cmpstr (special, ==, v->label);
        }
    }

  /* Nearly the whole report is documented. */
  g_assert_cmpuint (n_known, >, 200);
}

/* Every value the API page gives a meaning ("0: off", "0xff: ignored",
 * "0 Never standby", "Input 128(...)") reads as a name, not a number. */
static void
test_api_page_values (void)
{
  const char *dir = g_getenv ("JUICE_SHARED_DIR");
  g_autofree char *path = NULL;
  g_autofree char *page = NULL;
  g_autoptr(GRegex) key_line = NULL;
  g_autoptr(GRegex) value_re = NULL;
  g_auto(GStrv) lines = NULL;
  const char *key = NULL;
  const char *table;
  guint n_checked = 0;

  if (dir == NULL)
    {
      g_test_skip ("JUICE_SHARED_DIR is not set: cannot read the API page");
      return;
    }
  path = g_build_filename (dir, "ecoflow-delta-pro-open-api.txt", NULL);
  if (!g_file_get_contents (path, &page, NULL, NULL))
    {
      g_autofree char *reason = g_strdup_printf ("no API page at %s", path);

      g_test_skip (reason);
      return;
    }

  /* The GetAllQuotaResponse table: a key, its type, its description. */
  table = strstr (page, "GetAllQuotaResponse\n\nHow");
  if (table != NULL)
    {
      char *rest = g_strdup (table);

      g_free (page);
      page = rest;
    }
  key_line = g_regex_new ("^(bmsMaster|inv|mppt|pd|ems)\\.[A-Za-z0-9]+$", 0, 0, NULL);
  value_re = g_regex_new ("(?:(?<![\\w.])(0x[0-9a-fA-F]+|[0-9]+)\\s*[:：]\\s*\\S)|"
                          "(?:(?:^|, )([0-9]+) [A-Za-z])|"
                          "(?:(?<![\\w.])([0-9]+)\\(0x)",
                          G_REGEX_MULTILINE, 0, NULL);
  lines = g_strsplit (page, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_autoptr(GMatchInfo) match = NULL;
      const JuiceQuotaInfo *info;

      if (g_regex_match (key_line, lines[i], 0, NULL))
        {
          key = lines[i];
          i++;  /* the type line */
          continue;
        }
      if (key == NULL || (info = juice_device_profile_lookup_quota (profile (), key)) == NULL)
        continue;

      g_regex_match (value_re, lines[i], 0, &match);
      for (; g_match_info_matches (match); g_match_info_next (match, NULL))
        {
          g_autofree char *number = NULL;
          g_autofree char *text = NULL;
          gint64 value;

          for (int group = 1; group <= 3 && (number == NULL || *number == '\0'); group++)
            {
              g_free (number);
              number = g_match_info_fetch (match, group);
            }
          g_assert_true (g_ascii_string_to_signed (number, g_str_has_prefix (number, "0x") ? 16 : 10,
                                                   0, G_MAXINT64, &value, NULL) ||
                         g_ascii_string_to_signed (number + 2, 16, 0, G_MAXINT64, &value, NULL));
          text = juice_quota_format_value (info, (double) value);
          g_test_message ("%s: the page gives %s a meaning → %s", key, number, text);
          if (is_bare_number (text) || g_str_has_prefix (text, "Unknown ("))
            g_error ("%s: the API page says what %s means, Juice shows \"%s\"", key, number, text);
          n_checked++;
        }
    }

  g_assert_cmpuint (n_checked, >, 100);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/juice/quota-format/duration", test_duration);
  g_test_add_func ("/juice/quota-format/kinds", test_kinds);
  g_test_add_func ("/juice/quota-format/fixture", test_fixture);
  g_test_add_func ("/juice/quota-format/api-page-values", test_api_page_values);

  return g_test_run ();
}
