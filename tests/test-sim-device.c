/* test-sim-device.c: the simulated DELTA Pro and commands through JuiceDevice
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "device-util.h"
#include "juice-device.h"
#include "juice-error.h"
#include "juice-sim-device.h"
#include "time-util.h"

#define SN "DCABZ8A1B2C3D4E5"

typedef struct
{
  JuiceSimDevice *sim;
  JuiceDevice    *device;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->sim = juice_sim_device_new (SN);
  g_object_set (f->sim,
                "report-interval-ms", 0,
                "ack-delay-ms", 20,
                "apply-delay-ms", 40,
                "time-of-day", 12.0,
                NULL);
  f->device = juice_device_new (SN, juice_device_profile_delta_pro ());
  juice_device_set_command_timeout (f->device, 1500);
  juice_sim_device_attach (f->sim, f->device);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  /* Let cancelled commands finish: they hold the sim until then. */
  while (g_main_context_iteration (NULL, FALSE))
    ;

  g_assert_finalize_object (g_steal_pointer (&f->device));
  g_assert_finalize_object (g_steal_pointer (&f->sim));
}

static void
test_every_setting (Fixture       *f,
                    gconstpointer  data)
{
  const JuiceDeviceProfile *profile = juice_device_get_profile (f->device);

  g_assert_cmpuint (profile->n_settings, ==, 16);

  for (guint i = 0; i < profile->n_settings; i++)
    {
      const JuiceSettingInfo *setting = &profile->settings[i];
      g_autoptr(GError) error = NULL;
      gint64 before, want, shown, on_sim;

      g_assert_true (juice_device_get_setting_value (f->device, setting->name, &before));
      want = device_util_other_value (setting, before);

      g_test_message ("%s: %" G_GINT64_FORMAT " -> %" G_GINT64_FORMAT, setting->name, before, want);
      g_assert_true (device_util_set_and_wait (f->device, setting->name, want, &error));
      g_assert_no_error (error);

      /* Confirmed by the device's own readback, and the sim really changed. */
      g_assert_false (juice_device_is_setting_pending (f->device, setting->name));
      g_assert_true (juice_device_get_quota_int (f->device, setting->readback_key, &shown));
      g_assert_cmpint (shown, ==, want);
      g_assert_true (juice_sim_device_get_quota_int (f->sim, setting->readback_key, &on_sim));
      g_assert_cmpint (on_sim, ==, want);

      /* The shared command keeps its companion as it was. */
      if (setting->companion_key != NULL)
        {
          gint64 companion_device, companion_sim;

          g_assert_true (juice_device_get_quota_int (f->device, setting->companion_key,
                                                     &companion_device));
          g_assert_true (juice_sim_device_get_quota_int (f->sim, setting->companion_key,
                                                         &companion_sim));
          g_assert_cmpint (companion_device, ==, companion_sim);
        }
    }
}

static guint n_setting_changed;

static void
on_setting_changed (JuiceDevice *device,
                    const char  *name)
{
  n_setting_changed++;
}

static void
test_optimistic_then_confirmed (Fixture       *f,
                                gconstpointer  data)
{
  SetResult r = { 0 };
  gint64 v;

  juice_sim_device_set_quota_int (f->sim, "ems.maxChargeSoc", 100);
  juice_sim_device_step (f->sim, 1);

  n_setting_changed = 0;
  g_signal_connect (f->device, "setting-changed::charge-limit",
                    G_CALLBACK (on_setting_changed), NULL);
  juice_device_set_async (f->device, "charge-limit", 80, NULL, device_util_set_cb, &r);

  /* Shown at once, pending, the device unchanged so far. */
  g_assert_true (juice_device_is_setting_pending (f->device, "charge-limit"));
  g_assert_true (juice_device_get_setting_value (f->device, "charge-limit", &v));
  g_assert_cmpint (v, ==, 80);
  g_assert_true (juice_device_get_quota_int (f->device, "ems.maxChargeSoc", &v));
  g_assert_cmpint (v, ==, 100);
  g_assert_cmpuint (n_setting_changed, ==, 1);

  while (!r.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (r.error);
  g_assert_true (r.ok);
  g_assert_cmpuint (n_setting_changed, ==, 2);
  g_signal_handlers_disconnect_by_func (f->device, on_setting_changed, NULL);
}

static void
test_invalid_values (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 v;

  g_assert_false (device_util_set_and_wait (f->device, "charge-limit", 101, &error));
  g_assert_error (error, JUICE_DEVICE_ERROR, JUICE_DEVICE_ERROR_INVALID_VALUE);
  g_clear_error (&error);

  g_assert_false (device_util_set_and_wait (f->device, "car-input-current", 5000, &error));
  g_assert_error (error, JUICE_DEVICE_ERROR, JUICE_DEVICE_ERROR_INVALID_VALUE);
  g_clear_error (&error);

  g_assert_false (device_util_set_and_wait (f->device, "no-such-setting", 1, &error));
  g_assert_error (error, JUICE_DEVICE_ERROR, JUICE_DEVICE_ERROR_UNKNOWN_SETTING);
  g_clear_error (&error);

  g_assert_false (juice_device_is_setting_pending (f->device, "charge-limit"));
  g_assert_true (juice_device_get_quota_int (f->device, "ems.maxChargeSoc", &v));
  g_assert_true (juice_sim_device_get_quota_int (f->sim, "ems.maxChargeSoc", &v));
  g_assert_cmpint (v, !=, 101);
}

static void
send_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  SetResult *r = user_data;

  r->ok = juice_transport_send_command_finish (JUICE_TRANSPORT (object), result, &r->error);
  r->done = TRUE;
}

/* The device itself refuses what is out of range, whoever sends it. */
static void
test_sim_refuses_out_of_range (Fixture       *f,
                               gconstpointer  data)
{
  const char *bad[] = {
    "{\"cmdSet\":32,\"id\":49,\"maxChgSoc\":30}",
    "{\"cmdSet\":32,\"id\":51,\"minDsgSoc\":31}",
    "{\"cmdSet\":32,\"id\":71,\"currMa\":5000}",
    "{\"cmdSet\":32,\"id\":39,\"lcdBrightness\":101}",
    "{\"cmdSet\":32,\"id\":39,\"lcdTime\":45}",
    "{\"cmdSet\":32,\"id\":33,\"standByMode\":90}",
    "{\"cmdSet\":32,\"id\":153,\"standByMins\":15}",
    "{\"cmdSet\":32,\"id\":69,\"slowChgPower\":100}",
    "{\"cmdSet\":32,\"id\":82,\"chgType\":3}",
    "{\"cmdSet\":32,\"id\":66,\"enabled\":1}",
    "{\"cmdSet\":32,\"id\":66,\"enabled\":2,\"xboost\":0}",
    "{\"cmdSet\":32,\"id\":999,\"enabled\":1}",
    "{\"cmdSet\":31,\"id\":81,\"enabled\":1}",
    "{\"cmdSet\":32,\"id\":81}",
    "{\"cmdSet\":32,\"id\":81,\"enabled\":\"yes\"}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JsonNode) node = json_from_string (bad[i], NULL);
      SetResult r = { 0 };

      g_assert_cmpint (juice_sim_device_handle_command (f->sim, NULL, json_node_get_object (node)), ==, 1);

      juice_transport_send_command_async (JUICE_TRANSPORT (f->sim), SN, json_node_get_object (node),
                                          NULL, send_cb, &r);
      while (!r.done)
        g_main_context_iteration (NULL, TRUE);
      g_assert_false (r.ok);
      g_assert_error (r.error, JUICE_DEVICE_ERROR, JUICE_DEVICE_ERROR_REFUSED);
      g_clear_error (&r.error);
    }

  /* And accepts the boundaries. */
  {
    g_autoptr(JsonNode) node = json_from_string ("{\"cmdSet\":32,\"id\":39,\"lcdBrightness\":128}", NULL);

    g_assert_cmpint (juice_sim_device_handle_command (f->sim, NULL, json_node_get_object (node)), ==, 0);
  }
}

static void
test_refused_rolls_back (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 before, v;

  g_assert_true (juice_device_get_setting_value (f->device, "car-output", &before));
  juice_sim_device_set_refuse_commands (f->sim, TRUE);

  g_assert_false (device_util_set_and_wait (f->device, "car-output", !before, &error));
  g_assert_error (error, JUICE_DEVICE_ERROR, JUICE_DEVICE_ERROR_REFUSED);
  g_assert_false (juice_device_is_setting_pending (f->device, "car-output"));
  g_assert_true (juice_device_get_setting_value (f->device, "car-output", &v));
  g_assert_cmpint (v, ==, before);
}

static void
test_lost_reply_times_out (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  gint64 before, v;
  gint64 start;

  juice_device_set_command_timeout (f->device, 300);
  juice_sim_device_set_drop_replies (f->sim, TRUE);
  /* The command is also never applied: the device is deaf. */
  g_object_set (f->sim, "apply-delay-ms", 60000, NULL);
  g_assert_true (juice_device_get_setting_value (f->device, "beep", &before));

  start = g_get_monotonic_time ();
  g_assert_false (device_util_set_and_wait (f->device, "beep", !before, &error));
  g_assert_error (error, JUICE_DEVICE_ERROR, JUICE_DEVICE_ERROR_TIMEOUT);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 290 * 1000);
  g_assert_true (juice_device_get_setting_value (f->device, "beep", &v));
  g_assert_cmpint (v, ==, before);
}

static void
test_offline (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  juice_sim_device_set_online (f->sim, FALSE);
  g_assert_false (juice_device_get_online (f->device));
  g_assert_true (juice_device_get_stale (f->device));

  g_assert_false (device_util_set_and_wait (f->device, "car-output", 1, &error));
  g_assert_error (error, JUICE_DEVICE_ERROR, JUICE_DEVICE_ERROR_OFFLINE);

  juice_sim_device_set_online (f->sim, TRUE);
  g_assert_true (juice_device_get_online (f->device));
  juice_sim_device_step (f->sim, 1);
  g_assert_false (juice_device_get_stale (f->device));
}

static void
test_superseded (Fixture       *f,
                 gconstpointer  data)
{
  SetResult first = { 0 }, second = { 0 };
  gint64 v;

  juice_device_set_async (f->device, "charge-limit", 70, NULL, device_util_set_cb, &first);
  juice_device_set_async (f->device, "charge-limit", 90, NULL, device_util_set_cb, &second);
  while (!first.done || !second.done)
    g_main_context_iteration (NULL, TRUE);

  g_assert_error (first.error, JUICE_DEVICE_ERROR, JUICE_DEVICE_ERROR_SUPERSEDED);
  g_clear_error (&first.error);
  g_assert_no_error (second.error);
  g_assert_true (juice_sim_device_get_quota_int (f->sim, "ems.maxChargeSoc", &v));
  g_assert_cmpint (v, ==, 90);
}

static void
test_physics (Fixture       *f,
              gconstpointer  data)
{
  gint64 solar, out_off, out_on, soc_before, soc_after;
  double soc;

  /* Noon: the sun shines, AC off. */
  juice_sim_device_set_quota_int (f->sim, "inv.cfgAcEnabled", 0);
  juice_sim_device_set_quota_int (f->sim, "mppt.carState", 0);
  juice_sim_device_set_quota_int (f->sim, "ems.maxChargeSoc", 100);
  juice_sim_device_set_quota_int (f->sim, "pd.soc", 40);
  juice_sim_device_step (f->sim, 1);
  g_assert_true (juice_sim_device_get_quota_int (f->sim, "mppt.inWatts", &solar));
  g_assert_cmpint (solar, >, 8000);  /* 0.1 W: more than 800 W */
  g_assert_true (juice_sim_device_get_quota_int (f->sim, "pd.wattsOutSum", &out_off));
  g_assert_cmpint (juice_device_get_watts_in (f->device), ==, solar / 10 + (solar % 10 >= 5));
  g_assert_cmpint (juice_device_get_remain_minutes (f->device), >, 0);

  /* An hour of sun raises the charge. */
  soc_before = (gint64) juice_device_get_soc (f->device);
  juice_sim_device_step (f->sim, 3600);
  soc = juice_device_get_soc (f->device);
  g_assert_cmpfloat (soc, >, soc_before + 5);

  /* AC on draws a load. */
  juice_sim_device_set_quota_int (f->sim, "inv.cfgAcEnabled", 1);
  juice_sim_device_step (f->sim, 1);
  g_assert_true (juice_sim_device_get_quota_int (f->sim, "pd.wattsOutSum", &out_on));
  g_assert_cmpint (out_on, >, out_off + 100);

  /* Night: no sun, the battery drains, time to empty is negative. */
  g_object_set (f->sim, "time-of-day", 1.0, NULL);
  juice_sim_device_step (f->sim, 1);
  g_assert_true (juice_sim_device_get_quota_int (f->sim, "mppt.inWatts", &solar));
  g_assert_cmpint (solar, ==, 0);
  g_assert_cmpint (juice_device_get_remain_minutes (f->device), <, 0);
  soc_before = (gint64) juice_device_get_soc (f->device);
  juice_sim_device_step (f->sim, 4 * 3600);
  soc_after = (gint64) juice_device_get_soc (f->device);
  g_assert_cmpint (soc_after, <, soc_before);

  /* The discharge limit stops the outputs. */
  juice_sim_device_set_quota_int (f->sim, "ems.minDsgSoc", 30);
  juice_sim_device_set_quota_int (f->sim, "pd.soc", 30);
  juice_sim_device_step (f->sim, 600);
  g_assert_true (juice_sim_device_get_quota_int (f->sim, "pd.wattsOutSum", &out_on));
  g_assert_cmpint (out_on, ==, 0);
  g_assert_cmpfloat (juice_device_get_soc (f->device), >=, 29);

  /* The charge limit stops charging. */
  g_object_set (f->sim, "time-of-day", 12.0, NULL);
  juice_sim_device_set_quota_int (f->sim, "inv.cfgAcEnabled", 0);
  juice_sim_device_set_quota_int (f->sim, "ems.maxChargeSoc", 60);
  juice_sim_device_set_quota_int (f->sim, "pd.soc", 59);
  for (guint i = 0; i < 24; i++)
    juice_sim_device_step (f->sim, 600);
  g_assert_cmpfloat (juice_device_get_soc (f->device), <=, 60);
  g_assert_cmpfloat (juice_device_get_soc (f->device), >=, 59);
}

static guint n_reports;
static guint n_report_keys;

static void
on_report (JuiceSimDevice *sim,
           JsonObject     *params)
{
  n_reports++;
  n_report_keys = json_object_get_size (params);
  g_assert_cmpuint (n_report_keys, >, 0);
}

static gboolean
deadline_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
test_reports_by_itself (void)
{
  g_autoptr(JuiceSimDevice) sim = juice_sim_device_new (SN);
  gboolean expired = FALSE;
  guint deadline;

  n_reports = 0;
  g_object_set (sim, "report-interval-ms", 50, "time-of-day", 12.0, NULL);
  g_signal_connect (sim, "report", G_CALLBACK (on_report), NULL);

  /* Ticks report partial changes, again and again, with nobody asking. */
  deadline = g_timeout_add_seconds (test_time_scale_s (20), deadline_cb, &expired);
  while (n_reports < 4 && !expired)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (expired);
  g_source_remove (deadline);
  g_assert_cmpuint (n_report_keys, <, 100);

  /* Offline: nothing is reported, not even when asked. */
  juice_sim_device_set_online (sim, FALSE);
  n_reports = 0;
  juice_sim_device_step (sim, 60);
  juice_transport_request_quotas (JUICE_TRANSPORT (sim), SN, NULL);
  g_assert_cmpuint (n_reports, ==, 0);

  /* Asked for every value (keys NULL), it publishes its whole state. */
  juice_sim_device_set_online (sim, TRUE);
  n_reports = 0;
  juice_transport_request_quotas (JUICE_TRANSPORT (sim), SN, NULL);
  g_assert_cmpuint (n_reports, ==, 1);
  g_assert_cmpuint (n_report_keys, >=, 290);

  g_signal_handlers_disconnect_by_func (sim, on_report, NULL);
  g_assert_finalize_object (g_steal_pointer (&sim));
}

/* The caller's cancellable ends a change: G_IO_ERROR_CANCELLED, the shown
 * value rolls back to the device's, nothing stays pending. */
static void
test_set_cancelled (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();
  SetResult r = { 0 };
  SetResult early = { 0 };
  gint64 v;

  juice_sim_device_set_quota_int (f->sim, "ems.maxChargeSoc", 100);
  juice_sim_device_step (f->sim, 1);
  /* the device takes long to apply: the change is still pending when cancelled */
  g_object_set (f->sim, "apply-delay-ms", 60000, NULL);
  juice_device_set_command_timeout (f->device, 60000);

  juice_device_set_async (f->device, "charge-limit", 80, cancellable, device_util_set_cb, &r);
  g_assert_true (juice_device_is_setting_pending (f->device, "charge-limit"));
  g_assert_true (juice_device_get_setting_value (f->device, "charge-limit", &v));
  g_assert_cmpint (v, ==, 80);

  g_cancellable_cancel (cancellable);
  while (!r.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (r.ok);
  g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&r.error);
  g_assert_false (juice_device_is_setting_pending (f->device, "charge-limit"));
  g_assert_true (juice_device_get_setting_value (f->device, "charge-limit", &v));
  g_assert_cmpint (v, ==, 100);

  /* Cancelled before it starts: nothing is shown or sent. */
  g_cancellable_cancel (cancelled);
  juice_device_set_async (f->device, "charge-limit", 70, cancelled, device_util_set_cb, &early);
  g_assert_false (juice_device_is_setting_pending (f->device, "charge-limit"));
  while (!early.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (early.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&early.error);
  g_assert_true (juice_device_get_setting_value (f->device, "charge-limit", &v));
  g_assert_cmpint (v, ==, 100);

  /* Disconnecting ends every pending change the same way. */
  r = (SetResult) { 0 };
  juice_device_set_async (f->device, "charge-limit", 60, NULL, device_util_set_cb, &r);
  g_assert_true (juice_device_is_setting_pending (f->device, "charge-limit"));
  juice_device_cancel_commands (f->device);
  while (!r.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&r.error);
  g_assert_false (juice_device_is_setting_pending (f->device, "charge-limit"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/juice/sim/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("every-setting-round-trips", test_every_setting);
  ADD ("optimistic-then-confirmed", test_optimistic_then_confirmed);
  ADD ("invalid-values", test_invalid_values);
  ADD ("refuses-out-of-range", test_sim_refuses_out_of_range);
  ADD ("refused-rolls-back", test_refused_rolls_back);
  ADD ("lost-reply-times-out", test_lost_reply_times_out);
  ADD ("offline", test_offline);
  ADD ("superseded", test_superseded);
  ADD ("physics", test_physics);
  ADD ("set-cancelled", test_set_cancelled);
  g_test_add_func ("/juice/sim/reports-by-itself", test_reports_by_itself);

  return g_test_run ();
}
