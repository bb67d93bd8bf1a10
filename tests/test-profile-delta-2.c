/* test-profile-delta-2.c: each profile against its own spec, both command
 * dialects, both report shapes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The expectations are an independent copy of the DELTA 2 notes
 * (products/delta-2.md): the settings table of §3, the examples of §2, the
 * units of §4; and of the DELTA Pro API page's /set example.
 */

#include <string.h>

#include <json-glib/json-glib.h>

#include "juice-command-builder.h"
#include "juice-device.h"
#include "juice-device-profile.h"
#include "juice-error.h"
#include "juice-json.h"
#include "juice-report-decoder.h"
#include "juice-sim-device.h"

/* §3 of the notes: name there, our name, module, operateType, parameter,
 * readback key. */
typedef struct
{
  const char *spec_name;
  const char *name;
  int         module;
  const char *operate_type;
  const char *param;
  const char *readback_key;
  JuiceSettingKind kind;
} ExpectedSetting;

static const ExpectedSetting expected_settings[] = {
  { "beeper-quiet", "beep", 5, "quietMode", "enabled", "mppt.beepState", JUICE_SETTING_SWITCH },
  { "car-out", "car-output", 5, "mpptCar", "enabled", "mppt.carState", JUICE_SETTING_SWITCH },
  { "ac-out", "ac-output", 5, "acOutCfg", "enabled", "mppt.cfgAcEnabled", JUICE_SETTING_SWITCH },
  { "x-boost", "x-boost", 5, "acOutCfg", "xboost", "mppt.cfgAcXboost", JUICE_SETTING_SWITCH },
  { "ac-charge", "ac-charging-power", 5, "acChgCfg", "chgWatts", "mppt.cfgChgWatts", JUICE_SETTING_RANGE },
  { "ac-standby", "ac-standby", 5, "standbyTime", "standbyMins", "mppt.acStandbyMins", JUICE_SETTING_CHOICE },
  { "car-in-current", "car-input-current", 5, "dcChgCfg", "dcChgCfg", "mppt.dcChgCurrent", JUICE_SETTING_RANGE },
  { "car-standby", "car-standby", 5, "carStandby", "standbyMins", "mppt.carStandbyMin", JUICE_SETTING_CHOICE },
  { "unit-standby", "unit-timeout", 1, "standbyTime", "standbyMin", "pd.standbyMin", JUICE_SETTING_CHOICE },
  { "usb-out", "usb-output", 1, "dcOutCfg", "enabled", "pd.dcOutState", JUICE_SETTING_SWITCH },
  { "screen", "screen-timeout", 1, "lcdCfg", "delayOff", "pd.lcdOffSec", JUICE_SETTING_CHOICE },
  { "pv-priority", "solar-priority", 1, "pvChangePrio", "pvChangeSet", "pd.pvChgPrioSet", JUICE_SETTING_SWITCH },
  { "backup-reserve", "backup-reserve", 1, "watthConfig", "isConfig", "pd.watchIsConfig", JUICE_SETTING_SWITCH },
  { "backup-reserve", "backup-reserve-level", 1, "watthConfig", "bpPowerSoc", "pd.bpPowerSoc", JUICE_SETTING_RANGE },
  { "ac-always-on", "ac-always-on", 1, "acAutoOutConfig", "acAutoOutConfig", "pd.acAutoOutConfig", JUICE_SETTING_SWITCH },
  { "ac-always-on", "ac-always-on-level", 1, "acAutoOutConfig", "minAcOutSoc", "pd.minAcoutSoc", JUICE_SETTING_RANGE },
  { "charge-limit", "charge-limit", 2, "upsConfig", "maxChgSoc", "bms_emsStatus.maxChargeSoc", JUICE_SETTING_RANGE },
  { "discharge-limit", "discharge-limit", 2, "dsgCfg", "minDsgSoc", "bms_emsStatus.minDsgSoc", JUICE_SETTING_RANGE },
  { "gen-start-soc", "generator-auto-on", 2, "openOilSoc", "openOilSoc", "bms_emsStatus.minOpenOilEb", JUICE_SETTING_RANGE },
  { "gen-stop-soc", "generator-auto-off", 2, "closeOilSoc", "closeOilSoc", "bms_emsStatus.maxCloseOilEb", JUICE_SETTING_RANGE },
};

/* Every parameter each command carries (§3 and its notes), our setting's
 * own first. */
typedef struct
{
  const char *name;
  const char *params[5];
} ExpectedParams;

static const ExpectedParams expected_params[] = {
  { "ac-output", { "enabled", "xboost", "out_voltage", "out_freq" } },
  { "x-boost", { "xboost", "enabled", "out_voltage", "out_freq" } },
  { "ac-charging-power", { "chgWatts", "chgPauseFlag" } },
  { "screen-timeout", { "delayOff", "brighLevel" } },
  { "backup-reserve", { "isConfig", "bpPowerSoc", "minDsgSoc", "minChgSoc" } },
  { "backup-reserve-level", { "bpPowerSoc", "isConfig", "minDsgSoc", "minChgSoc" } },
  { "ac-always-on", { "acAutoOutConfig", "minAcOutSoc" } },
  { "ac-always-on-level", { "minAcOutSoc", "acAutoOutConfig" } },
};

typedef struct
{
  const char *name;
  gint64      min;
  gint64      max;
} ExpectedRange;

static const ExpectedRange expected_ranges[] = {
  { "ac-charging-power", 200, 1200 },
  { "car-input-current", 4000, 10000 },
  { "backup-reserve-level", 0, 100 },
  { "ac-always-on-level", 0, 100 },
  { "charge-limit", 50, 100 },
  { "discharge-limit", 0, 30 },
  { "generator-auto-on", 0, 30 },
  { "generator-auto-off", 50, 100 },
};

static const JuiceDeviceProfile *
delta_2 (void)
{
  return juice_device_profile_delta_2 ();
}

static const JuiceSettingInfo *
setting_of (const JuiceDeviceProfile *profile,
            const char               *name)
{
  const JuiceSettingInfo *setting = juice_device_profile_lookup_setting (profile, name);

  if (setting == NULL)
    g_error ("%s has no setting %s", profile->product, name);

  return setting;
}

static JsonNode *
parse (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);

  g_assert_no_error (error);
  return node;
}

static void
assert_json_equal (JsonObject *object,
                   const char *expected)
{
  g_autoptr(JsonNode) want = parse (expected);
  g_autoptr(JsonNode) got = json_node_init_object (json_node_alloc (), object);

  if (!json_node_equal (want, got))
    {
      g_autofree char *text = json_to_string (got, FALSE);

      g_error ("got %s, want %s", text, expected);
    }
}

static JsonObject *
build (const JuiceSettingInfo *setting,
       gint64                  value,
       const gint64           *companion)
{
  g_autoptr(GError) error = NULL;
  JsonObject *command = juice_setting_info_build_command (setting, value, companion, &error);

  g_assert_no_error (error);
  g_assert_nonnull (command);
  return command;
}

static JsonObject *
load_fixture (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("JUICE_SIM_DATA"),
                                            "delta-2-quota-all.json", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_no_error (error);
  root = parse (text);

  return json_object_ref (json_object_get_object_member (json_node_get_object (root), "data"));
}

/* Every setting of §3 with its module, operateType, parameter, readback. */
static void
test_settings (void)
{
  const JuiceDeviceProfile *profile = delta_2 ();

  g_assert_cmpuint (profile->n_settings, ==, G_N_ELEMENTS (expected_settings));
  g_assert_cmpint (profile->dialect, ==, JUICE_COMMAND_DIALECT_OPERATE_TYPE);

  for (guint i = 0; i < G_N_ELEMENTS (expected_settings); i++)
    {
      const ExpectedSetting *e = &expected_settings[i];
      const JuiceSettingInfo *s = setting_of (profile, e->name);

      g_test_message ("%s (%s)", e->spec_name, e->name);
      g_assert_cmpint (s->module_type, ==, e->module);
      g_assert_cmpstr (s->operate_type, ==, e->operate_type);
      g_assert_cmpstr (s->param, ==, e->param);
      g_assert_cmpstr (s->readback_key, ==, e->readback_key);
      g_assert_cmpint (s->kind, ==, e->kind);
      /* the readback is a key of the profile, with a label */
      g_assert_nonnull (juice_device_profile_lookup_quota (profile, s->readback_key));
      g_assert_true (s->label != NULL && s->label[0] != '\0');
    }

  for (guint i = 0; i < G_N_ELEMENTS (expected_ranges); i++)
    {
      const JuiceSettingInfo *s = setting_of (profile, expected_ranges[i].name);

      g_assert_cmpint (s->min, ==, expected_ranges[i].min);
      g_assert_cmpint (s->max, ==, expected_ranges[i].max);
      g_assert_true (juice_setting_info_validate (s, s->min, NULL));
      g_assert_true (juice_setting_info_validate (s, s->max, NULL));
      g_assert_false (juice_setting_info_validate (s, s->max + 1, NULL));
      g_assert_false (juice_setting_info_validate (s, s->min - 1, NULL));
    }

  /* Standby options: minutes, 0 = never, the default 720 among them. */
  g_assert_true (juice_setting_info_validate (setting_of (profile, "ac-standby"), 0, NULL));
  g_assert_true (juice_setting_info_validate (setting_of (profile, "ac-standby"), 720, NULL));
  g_assert_true (juice_setting_info_validate (setting_of (profile, "unit-timeout"), 0, NULL));
}

/* The examples of §2, field for field: HTTP body and MQTT /set. */
static void
test_examples (void)
{
  const JuiceDeviceProfile *pro = juice_device_profile_delta_pro ();
  g_autoptr(JsonObject) quiet = NULL;
  g_autoptr(JsonObject) usb = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(JsonObject) message = NULL;
  g_autoptr(JsonObject) pro_beep = NULL;
  g_autoptr(JsonObject) pro_standby = NULL;

  /* quietMode enabled 1: beeping off (the switch is inverted) */
  quiet = build (setting_of (delta_2 (), "beep"), 1, NULL);
  body = juice_command_wrap_http (quiet, "R331XXXXXXXXXXXX", 123456789);
  assert_json_equal (body, "{\"id\":123456789,\"version\":\"1.0\",\"sn\":\"R331XXXXXXXXXXXX\","
                           "\"moduleType\":5,\"operateType\":\"quietMode\",\"params\":{\"enabled\":1}}");

  usb = build (setting_of (delta_2 (), "usb-output"), 0, NULL);
  message = juice_command_wrap_mqtt (usb, "482913", 1634841971000);
  assert_json_equal (message, "{\"id\":482913,\"version\":\"1.0\",\"moduleType\":1,"
                              "\"operateType\":\"dcOutCfg\",\"params\":{\"enabled\":0}}");
  g_clear_pointer (&body, json_object_unref);
  g_clear_pointer (&message, json_object_unref);

  /* DELTA Pro: {"sn":"DCABZ...","params":{"cmdSet":32,"id":38,"enabled":1}} */
  pro_beep = build (setting_of (pro, "beep"), 1, NULL);
  body = juice_command_wrap_http (pro_beep, "DCABZ8A1B2C3D4E5", 7);
  assert_json_equal (body, "{\"sn\":\"DCABZ8A1B2C3D4E5\",\"params\":{\"cmdSet\":32,\"id\":38,"
                           "\"enabled\":1}}");

  /* DELTA Pro API page, /set: standByMode 0 (never) */
  pro_standby = build (setting_of (pro, "unit-timeout"), 0, NULL);
  message = juice_command_wrap_mqtt (pro_standby, "123456789", 1634841971000);
  assert_json_equal (message, "{\"id\":\"123456789\",\"version\":\"1.0\",\"operateType\":\"TCP\","
                              "\"timestamp\":1634841971000,\"params\":{\"cmdSet\":32,\"id\":33,"
                              "\"standByMode\":0}}");

  /* unwrap is the inverse of both wrappers */
  {
    g_autoptr(JsonObject) again = juice_command_unwrap (message);
    g_autoptr(JsonObject) http = juice_command_wrap_http (usb, "R331XXXXXXXXXXXX", 5);
    g_autoptr(JsonObject) again_2 = juice_command_unwrap (http);
    g_autoptr(JsonNode) a = json_node_init_object (json_node_alloc (), again);
    g_autoptr(JsonNode) b = json_node_init_object (json_node_alloc (), pro_standby);
    g_autoptr(JsonNode) c = json_node_init_object (json_node_alloc (), again_2);
    g_autoptr(JsonNode) d = json_node_init_object (json_node_alloc (), usb);

    g_assert_true (json_node_equal (a, b));
    g_assert_true (json_node_equal (c, d));
  }
}

/* Every setting builds a command that carries exactly the parameters its
 * operateType takes: keep-values where the user changed nothing. */
static void
test_every_command (void)
{
  const JuiceDeviceProfile *profile = delta_2 ();
  static const gint64 companion = 1;

  for (guint i = 0; i < profile->n_settings; i++)
    {
      const JuiceSettingInfo *s = &profile->settings[i];
      gint64 value = s->kind == JUICE_SETTING_CHOICE ? s->options[1].value : s->min;
      g_autoptr(JsonObject) command = build (s, value, &companion);
      JsonObject *params = json_object_get_object_member (command, "params");
      const ExpectedParams *expected = NULL;

      g_test_message ("%s", s->name);
      g_assert_true (juice_command_is_operate_type (command));
      g_assert_cmpint (json_object_get_int_member (command, "moduleType"), ==, s->module_type);
      g_assert_cmpstr (json_object_get_string_member (command, "operateType"), ==, s->operate_type);
      g_assert_cmpuint (json_object_get_size (command), ==, 3);
      g_assert_cmpint (json_object_get_int_member (params, s->param), ==, value);

      for (guint j = 0; j < G_N_ELEMENTS (expected_params); j++)
        if (strcmp (expected_params[j].name, s->name) == 0)
          expected = &expected_params[j];

      if (expected == NULL)
        {
          g_assert_cmpuint (json_object_get_size (params), ==, 1);
          continue;
        }

      for (guint j = 0; expected->params[j] != NULL; j++)
        g_assert_true (json_object_has_member (params, expected->params[j]));
      g_assert_cmpuint (json_object_get_size (params), ==, g_strv_length ((char **) expected->params));
    }
}

/* acOutCfg: what goes where the user changed nothing (note a). */
static void
test_ac_out_keep_values (void)
{
  g_autoptr(JsonObject) ac = build (setting_of (delta_2 (), "ac-output"), 1, NULL);
  g_autoptr(JsonObject) boost = build (setting_of (delta_2 (), "x-boost"), 0, NULL);
  g_autoptr(JsonObject) max_ac = build (setting_of (juice_device_profile_delta_2_max (), "ac-output"), 0, NULL);
  g_autoptr(GError) error = NULL;

  assert_json_equal (ac, "{\"moduleType\":5,\"operateType\":\"acOutCfg\",\"params\":{\"enabled\":1,"
                         "\"xboost\":255,\"out_voltage\":4294967295,\"out_freq\":255}}");
  assert_json_equal (boost, "{\"moduleType\":5,\"operateType\":\"acOutCfg\",\"params\":{\"enabled\":255,"
                            "\"xboost\":0,\"out_voltage\":4294967295,\"out_freq\":255}}");
  /* DELTA 2 Max: AC commands to module 3; the rest as a DELTA 2 */
  assert_json_equal (max_ac, "{\"moduleType\":3,\"operateType\":\"acOutCfg\",\"params\":{\"enabled\":0,"
                             "\"xboost\":255,\"out_voltage\":4294967295,\"out_freq\":255}}");
  g_assert_cmpint (setting_of (juice_device_profile_delta_2_max (), "charge-limit")->module_type, ==, 2);
  g_assert_cmpint (setting_of (juice_device_profile_delta_2_max (), "car-output")->module_type, ==, 5);

  /* A companion that is not known is not guessed at. */
  g_assert_null (juice_setting_info_build_command (setting_of (delta_2 (), "backup-reserve-level"),
                                                   30, NULL, &error));
  g_assert_error (error, JUICE_DEVICE_ERROR, JUICE_DEVICE_ERROR_INVALID_VALUE);
  g_clear_error (&error);
  {
    static const gint64 level = 25;
    g_autoptr(JsonObject) on = build (setting_of (delta_2 (), "backup-reserve"), 1, &level);

    assert_json_equal (on, "{\"moduleType\":1,\"operateType\":\"watthConfig\",\"params\":{\"isConfig\":1,"
                           "\"bpPowerSoc\":25,\"minDsgSoc\":255,\"minChgSoc\":255}}");
  }
}

/* Every key of the real DELTA 2 with a label, a group and the unit of §4. */
static void
test_quota_keys (void)
{
  const JuiceDeviceProfile *profile = delta_2 ();
  g_autoptr(JsonObject) data = load_fixture ();
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;
  static const struct {
    const char *key;
    JuiceUnit   unit;
    double      scale;
  } units[] = {
    { "pd.soc", JUICE_UNIT_PERCENT, 1 },
    { "pd.wattsInSum", JUICE_UNIT_WATT, 1 },
    { "pd.remainTime", JUICE_UNIT_MINUTE, 1 },
    { "pd.lcdOffSec", JUICE_UNIT_SECOND, 1 },
    { "bms_bmsStatus.vol", JUICE_UNIT_VOLT, 0.001 },
    { "bms_bmsStatus.amp", JUICE_UNIT_AMPERE, 0.001 },
    { "bms_bmsStatus.designCap", JUICE_UNIT_MILLIAMPERE_HOUR, 1 },
    { "bms_bmsStatus.temp", JUICE_UNIT_CELSIUS, 1 },
    { "inv.cfgAcOutVol", JUICE_UNIT_VOLT, 0.001 },
    { "mppt.cfgAcOutVol", JUICE_UNIT_VOLT, 1 },
    { "mppt.cfgAcOutFreq", JUICE_UNIT_HERTZ, 1 },
    { "mppt.inVol", JUICE_UNIT_VOLT, 0.001 },
    { "mppt.dcChgCurrent", JUICE_UNIT_AMPERE, 0.001 },
    { "bms_emsStatus.chgRemainTime", JUICE_UNIT_MINUTE, 1 },
    { "pd.chgSunPower", JUICE_UNIT_WATT_HOUR, 1 },
    { "pd.usbUsedTime", JUICE_UNIT_SECOND, 1 },
  };
  guint n = 0;

  json_object_iter_init (&iter, data);
  while (json_object_iter_next (&iter, &key, &value))
    {
      const JuiceQuotaInfo *info = juice_device_profile_lookup_quota (profile, key);

      if (info == NULL)
        g_error ("key %s of the real DELTA 2 is not in the profile", key);
      g_assert_cmpstr (info->key, ==, key);
      g_assert_true (info->label != NULL && info->label[0] != '\0');
      n++;
    }
  g_assert_cmpuint (n, ==, 211);

  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    {
      const JuiceQuotaInfo *info = juice_device_profile_lookup_quota (profile, units[i].key);

      g_assert_nonnull (info);
      g_test_message ("%s", units[i].key);
      g_assert_cmpint (info->unit, ==, units[i].unit);
      g_assert_cmpfloat_with_epsilon (info->scale, units[i].scale, 1e-9);
    }

  /* inv.cfgAcOutFreq is an enum: 1 = 50 Hz */
  {
    const JuiceQuotaInfo *freq = juice_device_profile_lookup_quota (profile, "inv.cfgAcOutFreq");
    g_autofree char *text = juice_quota_info_format (freq, 1);

    g_assert_cmpint (freq->type, ==, JUICE_QUOTA_ENUM);
    g_assert_cmpstr (text, ==, "50 Hz");
  }

  /* the extra battery's keys */
  g_assert_nonnull (juice_device_profile_lookup_quota (profile, "bms_slave.soc"));
}

static void
test_recognition (void)
{
  g_assert_true (juice_device_profile_for_product (NULL, "R331ZEB4ZE8A0123") == delta_2 ());
  g_assert_true (juice_device_profile_for_product (NULL, "R351ZEB4ZE8A0123") ==
                 juice_device_profile_delta_2_max ());
  g_assert_true (juice_device_profile_for_product ("DELTA 2", NULL) == delta_2 ());
  g_assert_true (juice_device_profile_for_product ("EcoFlow DELTA 2 (EU)", NULL) == delta_2 ());
  g_assert_true (juice_device_profile_for_product ("DELTA 2 Max", NULL) ==
                 juice_device_profile_delta_2_max ());
  g_assert_true (juice_device_profile_for_product ("DELTA Pro", NULL) ==
                 juice_device_profile_delta_pro ());
  g_assert_null (juice_device_profile_for_product ("RIVER 2", "R601ZEB4XE1A2345"));
  g_assert_null (juice_device_profile_for_product ("PowerStream", "HW51ZEH4ZF1A2345"));

  g_assert_true (juice_device_profile_lookup ("delta 2") == delta_2 ());
  g_assert_null (juice_device_profile_lookup ("DELTA 3"));
}

/* Both report shapes: flat keys and typeCode groups, with the fixture. */
static void
test_report_shapes (void)
{
  g_autoptr(JsonObject) data = load_fixture ();
  g_autoptr(GPtrArray) messages = juice_report_encode (delta_2 (), data);
  g_autoptr(JuiceDevice) grouped = juice_device_new ("R331ZEB4ZE8A0123", delta_2 ());
  g_autoptr(JuiceDevice) flat = juice_device_new ("R331ZEB4ZE8A0124", delta_2 ());
  g_autoptr(JsonObject) flat_message = json_object_new ();
  g_autofree char *flat_text = NULL;
  guint total = 0;

  /* The groups T maps, no key left over. */
  g_assert_cmpuint (messages->len, ==, 6);
  for (guint i = 0; i < messages->len; i++)
    {
      JsonObject *message = g_ptr_array_index (messages, i);
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), message);
      g_autofree char *text = json_to_string (node, FALSE);
      g_autoptr(GError) error = NULL;
      int n;

      g_assert_true (json_object_has_member (message, "typeCode"));
      /* unprefixed keys */
      g_assert_false (json_object_has_member (json_object_get_object_member (message, "params"), "pd.soc"));
      n = juice_device_apply_report_bytes (grouped, text, -1, &error);
      g_assert_no_error (error);
      total += n;
    }
  g_assert_cmpuint (total, ==, 211);
  g_assert_cmpuint (juice_device_get_n_quotas (grouped), ==, 211);
  g_assert_cmpuint (juice_device_get_n_rejected (grouped), ==, 0);

  /* The same state as the flat shape gives */
  json_object_set_object_member (flat_message, "params", json_object_ref (data));
  {
    g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), flat_message);

    flat_text = json_to_string (node, FALSE);
  }
  g_assert_cmpint (juice_device_apply_report_bytes (flat, flat_text, -1, NULL), ==, 211);
  g_assert_cmpuint (juice_device_get_n_rejected (flat), ==, 0);

  for (JuiceDevice *d = grouped; d != NULL; d = d == grouped ? flat : NULL)
    {
      gint64 v;

      g_assert_cmpfloat (juice_device_get_soc (d), ==, 46);
      g_assert_cmpint (juice_device_get_watts_out (d), ==, 201);
      g_assert_cmpint (juice_device_get_remain_minutes (d), ==, -164);
      g_assert_true (juice_device_get_quota_int (d, "bms_emsStatus.maxChargeSoc", &v));
      g_assert_cmpint (v, ==, 80);
      g_assert_true (juice_device_get_quota_int (d, "inv.cfgAcOutVol", &v));
      g_assert_cmpint (v, ==, 230000);
      /* a setting reads back from its key */
      g_assert_true (juice_device_get_setting_value (d, "charge-limit", &v));
      g_assert_cmpint (v, ==, 80);
    }

  /* Hand-written groups; one the profile does not know keeps its name. */
  {
    g_autoptr(JuiceDevice) d = juice_device_new ("R331ZEB4ZE8A0125", delta_2 ());
    g_autoptr(GError) error = NULL;
    gint64 v;

    g_assert_cmpint (juice_device_apply_report_bytes (d, "{\"typeCode\":\"bmsStatus\",\"params\":"
                                                      "{\"soc\":12,\"cycles\":7}}", -1, &error), ==, 2);
    g_assert_true (juice_device_get_quota_int (d, "bms_bmsStatus.cycles", &v));
    g_assert_cmpint (v, ==, 7);
    g_assert_cmpint (juice_device_apply_report_bytes (d, "{\"typeCode\":\"fooStatus\",\"params\":"
                                                      "{\"bar\":1}}", -1, &error), ==, 1);
    g_assert_true (juice_device_get_quota_int (d, "fooStatus.bar", &v));

    /* malformed: typeCode not a string, params not an object */
    g_assert_cmpint (juice_device_apply_report_bytes (d, "{\"typeCode\":5,\"params\":{\"soc\":1}}",
                                                      -1, &error), ==, -1);
    g_assert_error (error, JUICE_DEVICE_ERROR, JUICE_DEVICE_ERROR_MALFORMED);
    g_clear_error (&error);
    g_assert_cmpint (juice_device_apply_report_bytes (d, "{\"typeCode\":\"pdStatus\",\"params\":[1]}",
                                                      -1, &error), ==, -1);
    g_assert_error (error, JUICE_DEVICE_ERROR, JUICE_DEVICE_ERROR_MALFORMED);
    g_assert_false (juice_device_get_quota_int (d, "pd.soc", &v));
  }
}

/* An unknown product keeps every value it sends, with no settings. */
static void
test_unknown_product (void)
{
  g_autoptr(JuiceDevice) river = juice_device_new ("R601ZEB4XE1A2345", NULL);
  gint64 v;

  g_assert_cmpint (juice_device_apply_report_bytes (river, "{\"typeCode\":\"pdStatus\",\"params\":"
                                                    "{\"soc\":77,\"x\":1}}", -1, NULL), ==, 2);
  g_assert_true (juice_device_get_quota_int (river, "pdStatus.soc", &v));
  g_assert_cmpint (juice_device_apply_report_bytes (river, "{\"params\":{\"pd.soc\":77}}", -1, NULL), ==, 1);
  g_assert_cmpfloat (juice_device_get_soc (river), ==, 77);
  g_assert_false (juice_device_get_setting_value (river, "ac-output", &v));
}

/* The simulated DELTA 2 accepts what the builder makes for every setting,
 * and its readback shows the value. */
static gboolean
wait_for_int (JuiceSimDevice *sim,
              const char     *key,
              gint64          wanted)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  gint64 v;

  while (g_get_monotonic_time () < deadline)
    {
      if (juice_sim_device_get_quota_int (sim, key, &v) && v == wanted)
        return TRUE;
      g_main_context_iteration (NULL, TRUE);
    }

  return FALSE;
}

static void
test_sim_accepts (void)
{
  const JuiceDeviceProfile *profile = delta_2 ();
  g_autoptr(JuiceSimDevice) sim = juice_sim_device_new_for_profile ("R331ZEB4ZE8A0123", profile);
  g_autoptr(JuiceSimDevice) pro = juice_sim_device_new ("DCABZ8A1B2C3D4E5");
  static const gint64 companion = 1;

  g_object_set (sim, "report-interval-ms", 0, "ack-delay-ms", 1, "apply-delay-ms", 1, NULL);
  g_object_set (pro, "report-interval-ms", 0, NULL);

  /* its own start state */
  {
    gint64 v;

    g_assert_true (juice_sim_device_get_quota_int (sim, "bms_emsStatus.maxChargeSoc", &v));
    g_assert_cmpint (v, ==, 80);
    g_assert_cmpstr (juice_sim_device_get_profile (sim)->product, ==, "DELTA 2");
  }

  for (guint i = 0; i < profile->n_settings; i++)
    {
      const JuiceSettingInfo *s = &profile->settings[i];
      gint64 value = s->kind == JUICE_SETTING_CHOICE ? s->options[2].value : s->max;
      g_autoptr(JsonObject) command = build (s, value, &companion);

      g_test_message ("%s = %" G_GINT64_FORMAT, s->name, value);
      g_assert_cmpint (juice_sim_device_handle_command (sim, NULL, command), ==, 0);
      /* the other dialect is refused, both ways */
      g_assert_cmpint (juice_sim_device_handle_command (pro, NULL, command), ==, 1);
      g_assert_true (wait_for_int (sim, s->readback_key, value));
    }

  /* Out of range, missing fields, unknown fields: refused */
  {
    static const char * const bad[] = {
      "{\"moduleType\":2,\"operateType\":\"upsConfig\",\"params\":{\"maxChgSoc\":101}}",
      "{\"moduleType\":5,\"operateType\":\"acOutCfg\",\"params\":{\"enabled\":1}}",
      "{\"moduleType\":1,\"operateType\":\"dcOutCfg\",\"params\":{\"enabled\":1,\"x\":1}}",
      "{\"moduleType\":1,\"operateType\":\"quietMode\",\"params\":{\"enabled\":1}}",
      "{\"moduleType\":5,\"operateType\":\"acOutCfg\",\"params\":{\"enabled\":2,\"xboost\":255,"
        "\"out_voltage\":4294967295,\"out_freq\":255}}",
      "{\"cmdSet\":32,\"id\":38,\"enabled\":1}",
    };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autoptr(JsonNode) node = parse (bad[i]);

        g_assert_cmpint (juice_sim_device_handle_command (sim, NULL, json_node_get_object (node)), ==, 1);
      }
  }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/juice/profile-delta-2/settings", test_settings);
  g_test_add_func ("/juice/profile-delta-2/examples", test_examples);
  g_test_add_func ("/juice/profile-delta-2/every-command", test_every_command);
  g_test_add_func ("/juice/profile-delta-2/ac-out-keep-values", test_ac_out_keep_values);
  g_test_add_func ("/juice/profile-delta-2/quota-keys", test_quota_keys);
  g_test_add_func ("/juice/profile-delta-2/recognition", test_recognition);
  g_test_add_func ("/juice/profile-delta-2/report-shapes", test_report_shapes);
  g_test_add_func ("/juice/profile-delta-2/unknown-product", test_unknown_product);
  g_test_add_func ("/juice/profile-delta-2/sim-accepts", test_sim_accepts);

  return g_test_run ();
}
