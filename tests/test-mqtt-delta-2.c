/* test-mqtt-delta-2.c: a DELTA 2 on a real broker speaks its own dialect
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A real mosquitto with TLS and passwords (mosquitto-fixture.c), the
 * simulated DELTA 2 on it (sim-broker-device.c), the app's JuiceMqtt and
 * JuiceDevice on the other side: /set messages in the operateType shape,
 * set_reply with data.ack false, quota messages in typeCode groups.
 */

#include <string.h>

#include <glib/gstdio.h>

#include "juice-command-builder.h"
#include "juice-device.h"
#include "juice-error.h"
#include "juice-mqtt.h"
#include "juice-sim-device.h"
#include "mosquitto-fixture.h"
#include "sim-broker-device.h"
#include "time-util.h"

#define SN "R331ZEB4ZE8A0123"
#define DEADLINE_MS 30000

static MosquittoFixture *broker;

static gboolean
set_flag_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until @cond holds, failing after a generous deadline. */
#define WAIT_UNTIL(cond)                                                           \
  G_STMT_START {                                                                   \
    gboolean timed_out_ = FALSE;                                                   \
    guint id_ = g_timeout_add (test_time_scale_ms (DEADLINE_MS), set_flag_cb,        \
                               &timed_out_);                                       \
    while (!(cond) && !timed_out_)                                                 \
      g_main_context_iteration (NULL, TRUE);                                       \
    if (!timed_out_)                                                               \
      g_source_remove (id_);                                                       \
    if (!(cond))                                                                   \
      g_error ("timed out waiting for %s", #cond);                                 \
  } G_STMT_END

static JuiceMqtt *
new_client (const char *name)
{
  g_autofree char *client_id = g_strdup_printf ("%s-%08x", name, g_random_int ());
  JuiceMqtt *mqtt = juice_mqtt_new (mosquitto_fixture_get_host (broker),
                                    mosquitto_fixture_get_port (broker), client_id);

  juice_mqtt_set_ca_file (mqtt, mosquitto_fixture_get_ca_file (broker));
  juice_mqtt_set_credentials (mqtt, mosquitto_fixture_get_account (broker),
                              mosquitto_fixture_get_password (broker));
  return mqtt;
}

static SimBrokerDevice *
new_delta_2 (void)
{
  g_autoptr(JuiceSimDevice) sim = juice_sim_device_new_for_profile (SN, juice_device_profile_delta_2 ());
  g_autoptr(GError) error = NULL;
  SimBrokerDevice *device;

  g_object_set (sim, "report-interval-ms", 0, "ack-delay-ms", 20, "apply-delay-ms", 40,
                "time-of-day", 12.0, NULL);
  device = sim_broker_device_new (sim, mosquitto_fixture_get_host (broker),
                                  mosquitto_fixture_get_port (broker),
                                  mosquitto_fixture_get_ca_file (broker),
                                  mosquitto_fixture_get_account (broker),
                                  mosquitto_fixture_get_password (broker));
  g_assert_true (sim_broker_device_start (device, &error));
  g_assert_no_error (error);
  WAIT_UNTIL (sim_broker_device_get_n_connected (device) > 0);

  return device;
}

typedef struct
{
  gboolean  done;
  gboolean  ok;
  GError   *error;
} Result;

static void
command_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Result *r = user_data;

  r->ok = juice_mqtt_send_command_finish (JUICE_MQTT (object), result, &r->error);
  r->done = TRUE;
}

static void
send_and_wait (JuiceMqtt  *mqtt,
               JsonObject *command,
               Result     *r)
{
  memset (r, 0, sizeof *r);
  juice_mqtt_send_command_async (mqtt, mosquitto_fixture_get_account (broker), SN, command,
                                 20000, NULL, command_cb, r);
  WAIT_UNTIL (r->done);
}

static JsonObject *
build (const char *name,
       gint64      value)
{
  const JuiceSettingInfo *setting =
    juice_device_profile_lookup_setting (juice_device_profile_delta_2 (), name);
  g_autoptr(GError) error = NULL;
  JsonObject *command;

  g_assert_nonnull (setting);
  command = juice_setting_info_build_command (setting, value, NULL, &error);
  g_assert_no_error (error);
  return command;
}

static void
on_quota (JuiceMqtt   *mqtt,
          const char  *topic,
          GBytes      *payload,
          JuiceDevice *device)
{
  gsize len;
  const char *data = g_bytes_get_data (payload, &len);

  if (g_str_has_suffix (topic, "/quota"))
    juice_device_apply_report_bytes (device, data, len, NULL);
}

/* Commands in the DELTA 2's shape, answered with ack false; a refusal with
 * ack true; the change comes back in typeCode groups the device decodes. */
static void
test_commands_and_reports (void)
{
  g_autoptr(SimBrokerDevice) device = new_delta_2 ();
  JuiceSimDevice *sim = sim_broker_device_get_sim (device);
  g_autoptr(JuiceMqtt) app = new_client ("app");
  g_autoptr(JuiceDevice) model = juice_device_new (SN, juice_device_profile_delta_2 ());
  g_autoptr(JsonObject) limit = build ("charge-limit", 70);
  g_autoptr(JsonObject) usb = build ("usb-output", 1);
  g_autofree char *quota_topic = g_strconcat (sim_broker_device_get_topic_prefix (device), "quota", NULL);
  g_autoptr(GError) error = NULL;
  JsonObject *sent;
  Result r;
  gint64 v;

  g_signal_connect (app, "message", G_CALLBACK (on_quota), model);
  juice_mqtt_subscribe (app, quota_topic);
  g_assert_true (juice_mqtt_start (app, &error));
  g_assert_no_error (error);
  WAIT_UNTIL (juice_mqtt_get_state (app) == JUICE_MQTT_STATE_CONNECTED);

  /* The whole state, in groups (a device's answer to quota/all on MQTT). */
  juice_sim_device_report_all (sim);
  WAIT_UNTIL (juice_device_get_n_quotas (model) >= 211);
  g_assert_cmpuint (juice_device_get_n_rejected (model), ==, 0);
  g_assert_cmpfloat (juice_device_get_soc (model), ==, 46);
  g_assert_true (juice_device_get_quota_int (model, "bms_emsStatus.maxChargeSoc", &v));
  g_assert_cmpint (v, ==, 80);

  send_and_wait (app, limit, &r);
  g_assert_no_error (r.error);
  g_assert_true (r.ok);

  /* As the notes' MQTT example: no sn, a numeric id, version, moduleType,
   * operateType, params. */
  sent = sim_broker_device_get_last_command (device);
  g_assert_nonnull (sent);
  g_assert_cmpuint (json_object_get_size (sent), ==, 5);
  g_assert_false (json_object_has_member (sent, "sn"));
  g_assert_true (json_node_get_value_type (json_object_get_member (sent, "id")) == G_TYPE_INT64);
  g_assert_cmpstr (json_object_get_string_member (sent, "version"), ==, "1.0");
  g_assert_cmpint (json_object_get_int_member (sent, "moduleType"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (sent, "operateType"), ==, "upsConfig");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (sent, "params"),
                                               "maxChgSoc"), ==, 70);

  /* The device applies it and reports it in its group. */
  WAIT_UNTIL (juice_device_get_quota_int (model, "bms_emsStatus.maxChargeSoc", &v) && v == 70);
  g_assert_true (juice_device_get_setting_value (model, "charge-limit", &v));
  g_assert_cmpint (v, ==, 70);

  /* A refusal: data.ack true */
  juice_sim_device_set_refuse_commands (sim, TRUE);
  send_and_wait (app, usb, &r);
  g_assert_false (r.ok);
  g_assert_error (r.error, JUICE_DEVICE_ERROR, JUICE_DEVICE_ERROR_REFUSED);
  g_clear_error (&r.error);
  g_assert_true (juice_sim_device_get_quota_int (sim, "pd.dcOutState", &v));
  g_assert_cmpint (v, ==, 0);

  /* A DELTA Pro command is not the DELTA 2's: refused too. */
  juice_sim_device_set_refuse_commands (sim, FALSE);
  {
    g_autoptr(JsonObject) pro = json_object_new ();

    json_object_set_int_member (pro, "cmdSet", 32);
    json_object_set_int_member (pro, "id", 38);
    json_object_set_int_member (pro, "enabled", 1);
    send_and_wait (app, pro, &r);
    g_assert_false (r.ok);
    g_clear_error (&r.error);
  }

  send_and_wait (app, usb, &r);
  g_assert_no_error (r.error);
  WAIT_UNTIL (juice_device_get_quota_int (model, "pd.dcOutState", &v) && v == 1);

  g_signal_handlers_disconnect_by_data (app, model);
  juice_mqtt_stop (app);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data_home = NULL;
  g_autofree char *runtime_dir = NULL;
  int ret;

  /* Where the client ids are kept: a place of the test's own. */
  data_home = g_dir_make_tmp ("juice-test-mqtt-delta-2-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  runtime_dir = g_build_filename (data_home, "runtime", NULL);
  g_assert_cmpint (g_mkdir_with_parents (runtime_dir, 0700), ==, 0);
  g_setenv ("XDG_RUNTIME_DIR", runtime_dir, TRUE);

  g_test_init (&argc, &argv, NULL);

  broker = mosquitto_fixture_new (&error);
  g_assert_no_error (error);

  g_test_add_func ("/juice/mqtt-delta-2/commands-and-reports", test_commands_and_reports);

  ret = g_test_run ();

  g_clear_pointer (&broker, mosquitto_fixture_free);
  remove_tree (data_home);

  return ret;
}
