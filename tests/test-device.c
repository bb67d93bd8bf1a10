/* test-device.c: applying reports to JuiceDevice
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "juice-device.h"
#include "juice-error.h"
#include "juice-json.h"
#include "juice-sim-device.h"

typedef struct
{
  GHashTable *notified;   /* property name -> count */
  GHashTable *changed;    /* quota key -> count */
  guint       n_reports;
} Recorder;

static void
on_notify (GObject    *object,
           GParamSpec *pspec,
           Recorder   *rec)
{
  const char *name = g_param_spec_get_name (pspec);

  g_hash_table_insert (rec->notified, (gpointer) name,
                       GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (rec->notified, name)) + 1));
}

static void
on_quota_changed (JuiceDevice *device,
                  const char  *key,
                  Recorder    *rec)
{
  g_hash_table_insert (rec->changed, g_strdup (key),
                       GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (rec->changed, key)) + 1));
}

static void
on_report_applied (JuiceDevice *device,
                   guint        n_changed,
                   Recorder    *rec)
{
  rec->n_reports++;
}

static void
recorder_watch (Recorder    *rec,
                JuiceDevice *device)
{
  rec->notified = g_hash_table_new (g_str_hash, g_str_equal);
  rec->changed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_signal_connect (device, "notify", G_CALLBACK (on_notify), rec);
  g_signal_connect (device, "quota-changed", G_CALLBACK (on_quota_changed), rec);
  g_signal_connect (device, "report-applied", G_CALLBACK (on_report_applied), rec);
}

static void
recorder_reset (Recorder *rec)
{
  g_hash_table_remove_all (rec->notified);
  g_hash_table_remove_all (rec->changed);
  rec->n_reports = 0;
}

static void
recorder_clear (Recorder *rec)
{
  g_clear_pointer (&rec->notified, g_hash_table_unref);
  g_clear_pointer (&rec->changed, g_hash_table_unref);
}

static guint
count (GHashTable *table,
       const char *key)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (table, key));
}

static JuiceDevice *
new_device (void)
{
  return juice_device_new ("DCABZ8A1B2C3D4E5", juice_device_profile_delta_pro ());
}

static char *
read_fixture (gsize *len)
{
  g_autofree char *path = g_build_filename (g_getenv ("JUICE_SIM_DATA"),
                                            "delta-pro-quota-all.json", NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, len, &error);
  g_assert_no_error (error);
  return contents;
}

static int
apply (JuiceDevice *device,
       const char  *json,
       GError     **error)
{
  return juice_device_apply_report_bytes (device, json, -1, error);
}

static void
test_fixture (void)
{
  g_autoptr(JuiceDevice) device = new_device ();
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(GStrv) keys = NULL;
  Recorder rec = { 0 };
  JsonNode *data;
  gsize len;
  gint64 v;
  double d;
  int n;

  recorder_watch (&rec, device);
  contents = read_fixture (&len);

  /* The envelope's "data" is the report. */
  g_assert_true (json_parser_load_from_data (parser, contents, len, &error));
  data = json_object_get_member (json_node_get_object (json_parser_get_root (parser)), "data");
  n = juice_device_apply_report (device, data, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, 296);
  g_assert_cmpuint (juice_device_get_n_quotas (device), ==, 296);
  g_assert_cmpuint (juice_device_get_n_rejected (device), ==, 0);

  g_assert_cmpfloat (juice_device_get_soc (device), ==, 56);
  g_assert_true (juice_device_get_quota_int (device, "pd.wattsInSum", &v));
  g_assert_cmpint (juice_device_get_watts_in (device), ==, v);
  g_assert_true (juice_device_get_quota_int (device, "pd.wattsOutSum", &v));
  g_assert_cmpint (juice_device_get_watts_out (device), ==, v);
  g_assert_true (juice_device_get_quota_int (device, "pd.remainTime", &v));
  g_assert_cmpint (juice_device_get_remain_minutes (device), ==, v);

  /* Floats, arrays, arrays of objects, keys no document lists. */
  g_assert_true (juice_device_get_quota_double (device, "ems.f32LcdShowSoc", &d));
  g_assert_cmpfloat (d, >, 0);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (juice_device_get_quota (device, "bmsMaster.cellVol")));
  g_assert_true (JSON_NODE_HOLDS_ARRAY (juice_device_get_quota (device, "kit.productInfoDetails")));
  g_assert_nonnull (juice_device_get_quota (device, "pd.watthisconfig"));

  /* Case variants: the device spells it acPassByAutoEn, the page acPassbyAutoEn. */
  g_assert_nonnull (juice_device_get_quota (device, "inv.acPassbyAutoEn"));
  g_assert_cmpstr (juice_device_get_quota_raw_key (device, "inv.acPassbyAutoEn"), ==,
                   "inv.acPassByAutoEn");
  g_assert_true (juice_device_get_setting_value (device, "bypass-ac-auto-start", &v));

  keys = juice_device_dup_quota_keys (device);
  g_assert_cmpuint (g_strv_length (keys), ==, 296);
  for (guint i = 1; keys[i] != NULL; i++)
    g_assert_cmpint (strcmp (keys[i - 1], keys[i]), <, 0);

  /* One notification per property, one report. */
  g_assert_cmpuint (count (rec.notified, "soc"), ==, 1);
  g_assert_cmpuint (count (rec.changed, "pd.soc"), ==, 1);
  g_assert_cmpuint (rec.n_reports, ==, 1);

  /* The same body again changes nothing and notifies nothing. */
  recorder_reset (&rec);
  n = juice_device_apply_report (device, data, &error);
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, 0);
  g_assert_cmpuint (g_hash_table_size (rec.notified), ==, 0);
  g_assert_cmpuint (g_hash_table_size (rec.changed), ==, 0);
  g_assert_cmpuint (rec.n_reports, ==, 1);

  recorder_clear (&rec);
  g_signal_handlers_disconnect_by_data (device, &rec);
  g_assert_finalize_object (g_steal_pointer (&device));
}

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);

  g_assert_no_error (error);
  return node;
}

/* A snapshot (quota/all) answers as of when it was asked for: a live report
 * that came while it was on its way is newer, and keeps its values. */
static void
test_snapshot_keeps_newer (void)
{
  g_autoptr(JuiceDevice) device = new_device ();
  g_autoptr(JsonNode) first = parse_json ("{\"pd.soc\": 50, \"pd.wattsInSum\": 10}");
  g_autoptr(JsonNode) snapshot = parse_json ("{\"pd.soc\": 51, \"pd.wattsInSum\": 11, \"pd.wattsOutSum\": 12}");
  g_autoptr(GError) error = NULL;
  guint64 since;
  gint64 v;

  g_assert_cmpint (juice_device_apply_report (device, first, &error), ==, 2);
  since = juice_device_get_report_serial (device);

  /* Live, after the snapshot was asked for. */
  g_assert_cmpint (juice_device_apply_report_bytes (device, "{\"params\": {\"pd.soc\": 52}}", -1, &error), ==, 1);
  g_assert_no_error (error);
  g_assert_cmpuint (juice_device_get_report_serial (device), >, since);

  /* The snapshot fills and updates every other key, and leaves pd.soc. */
  g_assert_cmpint (juice_device_apply_snapshot (device, snapshot, since, &error), ==, 2);
  g_assert_no_error (error);
  g_assert_cmpfloat (juice_device_get_soc (device), ==, 52);
  g_assert_true (juice_device_get_quota_int (device, "pd.wattsInSum", &v));
  g_assert_cmpint (v, ==, 11);
  g_assert_true (juice_device_get_quota_int (device, "pd.wattsOutSum", &v));
  g_assert_cmpint (v, ==, 12);

  /* A report that repeats a value is news too. */
  since = juice_device_get_report_serial (device);
  g_clear_pointer (&snapshot, json_node_unref);
  snapshot = parse_json ("{\"pd.wattsInSum\": 99}");
  g_assert_cmpint (juice_device_apply_report_bytes (device, "{\"params\": {\"pd.wattsInSum\": 11}}", -1, &error), ==, 0);
  g_assert_cmpint (juice_device_apply_snapshot (device, snapshot, since, &error), ==, 0);
  g_assert_true (juice_device_get_quota_int (device, "pd.wattsInSum", &v));
  g_assert_cmpint (v, ==, 11);

  /* A snapshot asked for after every report applies whole, and, being no
   * live report, leaves the serial alone. */
  since = juice_device_get_report_serial (device);
  g_clear_pointer (&snapshot, json_node_unref);
  snapshot = parse_json ("{\"pd.soc\": 53, \"pd.wattsInSum\": 13}");
  g_assert_cmpint (juice_device_apply_snapshot (device, snapshot, since, &error), ==, 2);
  g_assert_cmpfloat (juice_device_get_soc (device), ==, 53);
  g_assert_cmpuint (juice_device_get_report_serial (device), ==, since);

  /* Not an object: refused, nothing changed. */
  g_clear_pointer (&snapshot, json_node_unref);
  snapshot = parse_json ("[1]");
  g_assert_cmpint (juice_device_apply_snapshot (device, snapshot, since, &error), ==, -1);
  g_assert_error (error, JUICE_DEVICE_ERROR, JUICE_DEVICE_ERROR_MALFORMED);
}

static void
test_partial_and_strings (void)
{
  g_autoptr(JuiceDevice) device = new_device ();
  g_autoptr(GError) error = NULL;
  Recorder rec = { 0 };
  gint64 v;
  int n;

  recorder_watch (&rec, device);

  /* A /quota message: params inside, numeric strings as the API page shows. */
  n = apply (device, "{\"id\":1,\"version\":\"1.0\",\"timestamp\":5,"
                     "\"params\":{\"pd.soc\":\"87\",\"pd.wattsInSum\":\"240\",\"pd.wattsOutSum\":12}}",
             &error);
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, 3);
  g_assert_cmpfloat (juice_device_get_soc (device), ==, 87);
  g_assert_cmpint (juice_device_get_watts_in (device), ==, 240);
  g_assert_cmpint (juice_device_get_watts_out (device), ==, 12);
  g_assert_cmpuint (count (rec.notified, "soc"), ==, 1);
  g_assert_cmpuint (count (rec.notified, "watts-in"), ==, 1);

  /* Same value as a number instead of a string: stored, but no property change. */
  recorder_reset (&rec);
  n = apply (device, "{\"params\":{\"pd.soc\":87,\"pd.remainTime\":-125}}", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count (rec.notified, "soc"), ==, 0);
  g_assert_cmpuint (count (rec.notified, "remain-minutes"), ==, 1);
  g_assert_cmpint (juice_device_get_remain_minutes (device), ==, -125);

  /* A float where an integer is documented: whole, it is that integer; with a
   * fraction, it does not fit and is refused, never rounded. */
  n = apply (device, "{\"params\":{\"pd.wattsOutSum\":100.0}}", &error);
  g_assert_no_error (error);
  g_assert_cmpint (juice_device_get_watts_out (device), ==, 100);
  n = apply (device, "{\"params\":{\"pd.wattsOutSum\":99.6}}", &error);
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, 0);
  g_assert_cmpint (juice_device_get_watts_out (device), ==, 100);

  /* Case-insensitive match of a known key; the signal detail is the profile's spelling. */
  recorder_reset (&rec);
  apply (device, "{\"params\":{\"PD.SOC\":40}}", &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (juice_device_get_soc (device), ==, 40);
  g_assert_cmpuint (count (rec.changed, "pd.soc"), ==, 1);
  g_assert_true (juice_device_get_quota_int (device, "pd.soc", &v));
  g_assert_cmpint (v, ==, 40);

  recorder_clear (&rec);
  g_signal_handlers_disconnect_by_data (device, &rec);
  g_assert_finalize_object (g_steal_pointer (&device));
}

static guint detail_hits;

static void
on_soc_detail (JuiceDevice *device,
               const char  *key)
{
  g_assert_cmpstr (key, ==, "pd.soc");
  detail_hits++;
}

static void
test_detail (void)
{
  g_autoptr(JuiceDevice) device = new_device ();

  detail_hits = 0;
  g_signal_connect (device, "quota-changed::pd.soc", G_CALLBACK (on_soc_detail), NULL);
  apply (device, "{\"pd.soc\":10,\"pd.wattsInSum\":3}", NULL);
  apply (device, "{\"pd.wattsInSum\":4}", NULL);
  apply (device, "{\"pd.soc\":11}", NULL);
  g_assert_cmpuint (detail_hits, ==, 2);

  g_assert_finalize_object (g_steal_pointer (&device));
}

static void
test_garbage (void)
{
  g_autoptr(JuiceDevice) device = new_device ();
  g_autoptr(GString) big = NULL;
  g_autoptr(GString) deep = NULL;
  guint rejected;
  gint64 v;
  int n;

  apply (device, "{\"pd.soc\":50,\"pd.wattsInSum\":10}", NULL);

  /* Not JSON, not an object, params not an object. */
  {
    const char *bad[] = {
      "", "{", "not json", "[1,2,3]", "42", "null", "\"pd.soc\"",
      "{\"params\":[1,2]}", "{\"params\":\"x\"}", "{\"params\":null}",
    };

    for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autoptr(GError) error = NULL;

        n = apply (device, bad[i], &error);
        g_assert_cmpint (n, ==, -1);
        g_assert_error (error, JUICE_DEVICE_ERROR, JUICE_DEVICE_ERROR_MALFORMED);
      }
  }

  /* Wrong types and values for known keys are rejected, the old value stays. */
  rejected = juice_device_get_n_rejected (device);
  n = apply (device, "{\"pd.soc\":null,\"pd.wattsInSum\":{\"a\":1}}", NULL);
  g_assert_cmpint (n, ==, 0);
  n = apply (device, "{\"pd.soc\":\"full\",\"pd.wattsInSum\":[1]}", NULL);
  g_assert_cmpint (n, ==, 0);
  n = apply (device, "{\"pd.soc\":250,\"pd.wattsInSum\":-5,\"pd.remainTime\":1e300}", NULL);
  g_assert_cmpint (n, ==, 0);
  g_assert_cmpuint (juice_device_get_n_rejected (device), ==, rejected + 7);
  g_assert_cmpfloat (juice_device_get_soc (device), ==, 50);
  g_assert_true (juice_device_get_quota_int (device, "pd.soc", &v));
  g_assert_cmpint (v, ==, 50);
  g_assert_cmpint (juice_device_get_watts_in (device), ==, 10);

  /* Unknown keys keep whatever they carry, but not empty or endless names. */
  n = apply (device, "{\"vendor.thing\":{\"nested\":[1,{\"x\":\"y\"}]},\"\":1}", NULL);
  g_assert_cmpint (n, ==, 1);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (juice_device_get_quota (device, "vendor.thing")));

  /* Deep nesting is refused before parsing. */
  deep = g_string_new ("{\"k\":");
  for (guint i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  n = juice_device_apply_report_bytes (device, deep->str, deep->len, NULL);
  g_assert_cmpint (n, ==, -1);

  /* A 1 MB payload: over the limit is refused, just under is fine. */
  big = g_string_new ("{\"params\":{\"unknown.blob\":\"");
  while (big->len < 1024 * 1024 + 16)
    g_string_append (big, "abcdefghijklmnop");
  g_string_append (big, "\"}}");
  n = juice_device_apply_report_bytes (device, big->str, big->len, NULL);
  g_assert_cmpint (n, ==, -1);
  g_string_truncate (big, 1000 * 1000);
  g_string_append (big, "\"}}");
  n = juice_device_apply_report_bytes (device, big->str, big->len, NULL);
  g_assert_cmpint (n, ==, 1);

  /* Many unknown keys: storage is bounded. */
  {
    g_autoptr(GString) many = g_string_new ("{");

    for (guint i = 0; i < 10000; i++)
      g_string_append_printf (many, "%s\"junk.k%u\":%u", i ? "," : "", i, i);
    g_string_append_c (many, '}');
    n = juice_device_apply_report_bytes (device, many->str, many->len, NULL);
    g_assert_cmpint (n, >, 0);
    g_assert_cmpuint (juice_device_get_n_quotas (device), <=, 4096);
  }

  g_assert_cmpfloat (juice_device_get_soc (device), ==, 50);
  g_assert_finalize_object (g_steal_pointer (&device));
}

static void
test_build_command (void)
{
  g_autoptr(JuiceDevice) device = new_device ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) params = NULL;
  const JuiceDeviceProfile *profile = juice_device_profile_delta_pro ();
  const JuiceSettingInfo *ac = juice_device_profile_lookup_setting (profile, "ac-output");
  const JuiceSettingInfo *limit = juice_device_profile_lookup_setting (profile, "charge-limit");

  /* X-Boost not known yet: AC output sends its "ignored" value (test-command.c). */
  params = juice_device_build_command (device, ac, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (params, "xboost"), ==, 0xff);
  g_clear_pointer (&params, json_object_unref);

  apply (device, "{\"inv.cfgAcXboost\":1,\"inv.cfgAcEnabled\":0}", NULL);
  params = juice_device_build_command (device, ac, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (params, "cmdSet"), ==, 32);
  g_assert_cmpint (json_object_get_int_member (params, "id"), ==, 66);
  g_assert_cmpint (json_object_get_int_member (params, "enabled"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (params, "xboost"), ==, 1);
  g_clear_pointer (&params, json_object_unref);

  params = juice_device_build_command (device, limit, 49, &error);
  g_assert_null (params);
  g_assert_error (error, JUICE_DEVICE_ERROR, JUICE_DEVICE_ERROR_INVALID_VALUE);
  g_clear_error (&error);

  params = juice_device_build_command (device, limit, 80, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (params, "id"), ==, 49);
  g_assert_cmpint (json_object_get_int_member (params, "maxChgSoc"), ==, 80);
  g_assert_cmpuint (json_object_get_size (params), ==, 3);

  g_assert_finalize_object (g_steal_pointer (&device));
}

/* A value that does not fit its key's type is refused for that key, counted,
 * and the previous value stays; the other keys of the report still apply. */
static void
test_type_fit (void)
{
  static const struct {
    const char *key;
    const char *json;
  } refused[] = {
    { "pd.soc", "-99999999999999999999999" },     /* json-glib alone wraps it to 1 */
    { "pd.soc", "99999999999999999999999" },
    { "pd.soc", "9223372036854775808" },
    { "pd.soc", "\"-99999999999999999999999\"" },
    { "pd.soc", "true" },
    { "pd.soc", "false" },
    { "pd.soc", "56.5" },
    { "pd.soc", "\"56.5\"" },
    { "pd.soc", "1e300" },
    { "pd.chgSunPower", "12.25" },              /* integer counter */
    { "pd.chgSunPower", "-99999999999999999999999" },
    { "inv.cfgAcEnabled", "true" },             /* boolean: 0 or 1 on the wire */
    { "inv.cfgAcEnabled", "0.5" },
    { "mppt.cfgChgType", "1.5" },               /* enum */
    { "pd.wattsInSum", "[1]" },
    { "bmsMaster.f32ShowSoc", "true" },         /* float: a number, not a boolean */
  };
  g_autoptr(JuiceDevice) device = new_device ();
  g_autoptr(GError) error = NULL;
  JsonNode *node;
  double d;
  gint64 v;
  int n;

  n = apply (device, "{\"pd.soc\":56,\"pd.chgSunPower\":129952,\"inv.cfgAcEnabled\":1,"
                     "\"mppt.cfgChgType\":0,\"pd.wattsInSum\":10,\"bmsMaster.f32ShowSoc\":55.5}",
             &error);
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, 6);

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autofree char *report = g_strdup_printf ("{\"params\":{\"%s\":%s,\"vendor.seq\":%u}}",
                                                 refused[i].key, refused[i].json, i);
      g_autofree char *before = juice_json_node_to_text (juice_device_get_quota (device,
                                                                                 refused[i].key));
      g_autofree char *after = NULL;
      guint rejected = juice_device_get_n_rejected (device);

      g_test_message ("%s = %s", refused[i].key, refused[i].json);
      n = apply (device, report, &error);
      g_assert_no_error (error);
      /* only the other key of the report changed */
      g_assert_cmpint (n, ==, 1);
      g_assert_cmpuint (juice_device_get_n_rejected (device), ==, rejected + 1);
      after = juice_json_node_to_text (juice_device_get_quota (device, refused[i].key));
      g_assert_cmpstr (after, ==, before);
    }

  g_assert_cmpfloat (juice_device_get_soc (device), ==, 56);
  g_assert_true (juice_device_get_quota_int (device, "pd.soc", &v));
  g_assert_cmpint (v, ==, 56);

  /* What fits is taken as it is: whole floats and numeric strings for
   * integers, any number for floats, big integers that int64 holds. */
  n = apply (device, "{\"pd.soc\":57.0,\"pd.chgSunPower\":\"9223372036854775807\","
                     "\"bmsMaster.f32ShowSoc\":\"51.25\",\"inv.cfgAcEnabled\":0}", &error);
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, 4);
  g_assert_cmpfloat (juice_device_get_soc (device), ==, 57);
  g_assert_true (juice_device_get_quota_int (device, "pd.chgSunPower", &v));
  g_assert_cmpint (v, ==, G_MAXINT64);
  g_assert_true (juice_device_get_quota_double (device, "bmsMaster.f32ShowSoc", &d));
  g_assert_cmpfloat (d, ==, 51.25);

  /* A key no profile lists keeps an oversized integer as the double it is,
   * never a wrapped one. */
  n = apply (device, "{\"vendor.big\":-99999999999999999999999}", &error);
  g_assert_no_error (error);
  g_assert_cmpint (n, ==, 1);
  node = juice_device_get_quota (device, "vendor.big");
  g_assert_cmpint (json_node_get_value_type (node), ==, G_TYPE_DOUBLE);
  g_assert_cmpfloat (json_node_get_double (node), ==, -1e23);

  g_assert_finalize_object (g_steal_pointer (&device));
}

static char *
nested_report (guint levels)
{
  GString *str = g_string_new ("{\"params\":{\"vendor.deep\":");

  /* The envelope and params are two levels; the arrays make up the rest. */
  for (guint i = 2; i < levels; i++)
    g_string_append_c (str, '[');
  g_string_append_c (str, '1');
  for (guint i = 2; i < levels; i++)
    g_string_append_c (str, ']');
  g_string_append (str, "}}");

  return g_string_free (str, FALSE);
}

/* Small payloads keep the depth limit too: 12.8 KB nested 6,400 deep used
 * to pass because only payloads over 16 KiB were scanned. */
static void
test_deep_small (void)
{
  g_autoptr(JuiceDevice) device = new_device ();
  g_autofree char *at_limit = nested_report (32);
  g_autofree char *over_limit = nested_report (33);
  g_autofree char *very_deep = nested_report (6400);
  guint rejected;
  int n;

  g_assert_cmpuint (strlen (very_deep), <, 16 * 1024);

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GError) error = NULL;
      const char *payload = i == 0 ? over_limit : very_deep;

      rejected = juice_device_get_n_rejected (device);
      n = juice_device_apply_report_bytes (device, payload, -1, &error);
      g_assert_cmpint (n, ==, -1);
      g_assert_error (error, JUICE_DEVICE_ERROR, JUICE_DEVICE_ERROR_MALFORMED);
      g_assert_nonnull (strstr (error->message, "deeper"));
      g_assert_cmpuint (juice_device_get_n_rejected (device), ==, rejected + 1);
      g_assert_null (juice_device_get_quota (device, "vendor.deep"));
    }

  n = juice_device_apply_report_bytes (device, at_limit, -1, NULL);
  g_assert_cmpint (n, ==, 1);
  g_assert_nonnull (juice_device_get_quota (device, "vendor.deep"));

  /* Brackets inside strings do not count. */
  n = apply (device, "{\"vendor.text\":\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\"}", NULL);
  g_assert_cmpint (n, ==, 1);

  g_assert_finalize_object (g_steal_pointer (&device));
}

static void
test_json_parse_limits (void)
{
  g_autofree char *deep = nested_report (9);
  g_autoptr(JsonNode) ok = NULL;
  g_autoptr(JsonNode) refused = NULL;
  g_autoptr(JsonNode) large = NULL;
  g_autoptr(GError) error = NULL;

  /* A few dozen bytes, one level too deep for a limit of 8. */
  refused = juice_json_parse (deep, -1, 4096, 8, &error);
  g_assert_null (refused);
  g_assert_error (error, JUICE_DEVICE_ERROR, JUICE_DEVICE_ERROR_MALFORMED);
  g_clear_error (&error);

  ok = juice_json_parse (deep, -1, 4096, 9, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (juice_json_node_depth (ok, 100), ==, 9);

  large = juice_json_parse (deep, -1, strlen (deep) - 1, 100, &error);
  g_assert_null (large);
  g_assert_error (error, JUICE_DEVICE_ERROR, JUICE_DEVICE_ERROR_MALFORMED);
}

/* json-glib 1.6 takes "{}{}" (it keeps the last value and leaks the first)
 * and "''{}" (a single-quoted string, then it leaks the object), leaks on
 * lone surrogates ("\udc00\udc00") and quotes them as invalid UTF-8 in its
 * error: whatever is not JSON is refused before it sees it, with a message
 * in valid UTF-8 that says where. */
static void
test_json_one_value (void)
{
  const char *several[] = {
    "{}{}", "{\"a\":1} {\"a\":2}", "[1][2]", "1{}", "\"a\"[]", "true{}", "null []",
    "{}\n[\"x\"]", "''{\"a\":{\"b\":1}}", "'x'", "''[1]", "'{' {}", "# c\n{}",
    "/* { */ {}", "{}/**/", "{\"a\":/* } */1}", "$ff{}", "0x10[]", "}{}",
    "{\"\\udc00\\udc00xx\" 1}", "{\"\\udc00x\" 1}", "{\"a\":\"\\ud800\"}",
    "{\"a\":\"\\ud800\\u0041\"}", "{\"a\":\"\\x41\"}", "{\"a\":1,}", "[1,]",
    "{\"a\" 1}", "{a:1}", "{\"a\":01}", "{\"a\":1.}", "{\"a\":tru}", "{\"a\":\"\xc3\"}",
    "{\"a\":\"\x01\"}", "{\"a\":1", "[",
  };
  const char *one[] = {
    "{\"a\":\"}{\"}", " {\"a\":[{},{}]} ", "[{},[],{}]", "87", "\"{}{}\"",
    "\r\n\t{\"a\":\"'#/*\\\"{\"}\r\n", "{\"url\":\"https://x/y\"}",
    "{\"a\":\"\\ud83d\\udd0b \\u00e9 \xc3\xa9\"}", "-0.5e+3", "[true,false,null]",
  };

  for (guint i = 0; i < G_N_ELEMENTS (several); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = juice_json_parse (several[i], -1, 4096, 8, &error);

      g_assert_null (node);
      g_assert_error (error, JUICE_DEVICE_ERROR, JUICE_DEVICE_ERROR_MALFORMED);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      g_assert_true (g_str_has_prefix (error->message, "Message is not valid JSON: "));
      g_assert_nonnull (strstr (error->message, " at byte "));
    }

  for (guint i = 0; i < G_N_ELEMENTS (one); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = juice_json_parse (one[i], -1, 4096, 8, &error);

      g_assert_no_error (error);
      g_assert_nonnull (node);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/juice/device/apply-fixture", test_fixture);
  g_test_add_func ("/juice/device/partial-and-strings", test_partial_and_strings);
  g_test_add_func ("/juice/device/snapshot-keeps-newer", test_snapshot_keeps_newer);
  g_test_add_func ("/juice/device/detail", test_detail);
  g_test_add_func ("/juice/device/garbage", test_garbage);
  g_test_add_func ("/juice/device/build-command", test_build_command);
  g_test_add_func ("/juice/device/deep-small", test_deep_small);
  g_test_add_func ("/juice/device/type-fit", test_type_fit);
  g_test_add_func ("/juice/json/parse-limits", test_json_parse_limits);
  g_test_add_func ("/juice/json/one-value", test_json_one_value);

  return g_test_run ();
}
