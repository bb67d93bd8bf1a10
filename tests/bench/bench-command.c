/* bench-command.c: a switch toggled, confirmed by the device, on loopback
 *
 * DESIGN.md §6: a command on loopback, switch toggled → confirmed in the
 * widget within 20 ms beyond the device's own delay.
 *
 * Real parts: the fake cloud (HTTPS, signatures checked) gives the account
 * its devices and the broker; a TLS mosquitto with passwords carries the
 * commands; a simulated DELTA Pro on that broker acknowledges each /set
 * after ack-delay-ms and applies and reports it after apply-delay-ms (its
 * own delay). Juice's side is a JuiceAccount with the device page shown in
 * a window (under Xvfb in `build-aux/dev.sh bench`).
 *
 * One round trip: the beep switch of the page is toggled → the row sends
 * the command → /set is published → the device acknowledges (set_reply)
 * and reports the new value → the row shows it confirmed (no longer
 * pending, the switch at the new value). The figure is that time minus
 * the device's apply delay, the minimum over the round trips.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>

#include <adwaita.h>

#include "bench-util.h"
#include "fake-cloud.h"
#include "juice-account.h"
#include "juice-device-page.h"
#include "juice-setting-row.h"
#include "mosquitto-fixture.h"
#include "sim-broker-device.h"

#define SN "DCABZ8A1B2C3D4E5"
#define SETTING "beep"
#define ROUND_TRIPS 25
#define ACK_DELAY_MS 20
#define APPLY_DELAY_MS 50
#define BUDGET_MS 20.0

static JuiceAccount *account;
static SimBrokerDevice *device_link;

static gboolean
connected (gpointer data)
{
  JuiceMqtt *mqtt = juice_account_get_mqtt (account);

  return mqtt != NULL && juice_mqtt_get_state (mqtt) == JUICE_MQTT_STATE_CONNECTED &&
         juice_mqtt_get_state (sim_broker_device_get_mqtt (device_link)) == JUICE_MQTT_STATE_CONNECTED;
}

static GtkWidget *
find_setting_row (GtkWidget  *widget,
                  const char *name)
{
  if (JUICE_IS_SETTING_ROW (widget) &&
      g_str_equal (juice_setting_row_get_setting (JUICE_SETTING_ROW (widget))->name, name))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *row = find_setting_row (child, name);

      if (row != NULL)
        return row;
    }
  return NULL;
}

static gboolean
row_found (gpointer data)
{
  return find_setting_row (data, SETTING) != NULL;
}

typedef struct
{
  JuiceSettingRow *row;
  gboolean         want;
  gint64           confirmed_at;
} RoundTrip;

/* Runs after the row's own handler (connected later): the widget already
 * shows what the device said. */
static void
on_setting_changed (JuiceDevice *device,
                    const char  *name,
                    RoundTrip   *trip)
{
  GtkWidget *control = juice_setting_row_get_control (trip->row);

  if (trip->confirmed_at == 0 && !juice_setting_row_get_pending (trip->row) &&
      gtk_switch_get_active (GTK_SWITCH (control)) == trip->want)
    trip->confirmed_at = g_get_monotonic_time ();
}

static gboolean
trip_confirmed (gpointer data)
{
  return ((RoundTrip *) data)->confirmed_at != 0;
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FakeCloudCerts) certs = NULL;
  g_autoptr(FakeCloud) fake = NULL;
  g_autoptr(MosquittoFixture) broker = NULL;
  g_autoptr(JuiceCloud) cloud = NULL;
  JuiceSimDevice *sim;
  JuiceDevice *device;
  GtkWidget *window, *page, *row;
  double beyond[ROUND_TRIPS], min, max;
  RoundTrip trip = { 0 };
  gulong handler;
  guint commands_before;

  setlocale (LC_ALL, "");
  setvbuf (stdout, NULL, _IOLBF, 0);
  g_setenv ("GSK_RENDERER", "cairo", FALSE);
  if (!gtk_init_check ())
    {
      printf ("bench-command: skipped: no display (run it with build-aux/dev.sh bench)\n");
      return 77;
    }
  adw_init ();

  certs = fake_cloud_certs_new (&error);
  g_assert_no_error (error);
  fake = fake_cloud_new (certs, TRUE);
  broker = mosquitto_fixture_new (&error);
  if (broker == NULL)
    g_error ("bench-command: no broker: %s", error->message);
  fake_cloud_set_certification (fake, mosquitto_fixture_get_host (broker),
                                mosquitto_fixture_get_port (broker),
                                mosquitto_fixture_get_account (broker),
                                mosquitto_fixture_get_password (broker));
  sim = fake_cloud_add_device (fake, SN, "Cabin", "DELTA Pro");
  g_object_set (sim, "time-of-day", 12.0, "report-interval-ms", 0,
                "ack-delay-ms", ACK_DELAY_MS, "apply-delay-ms", APPLY_DELAY_MS, NULL);
  device_link = sim_broker_device_new (sim, mosquitto_fixture_get_host (broker),
                                       mosquitto_fixture_get_port (broker),
                                       mosquitto_fixture_get_ca_file (broker),
                                       mosquitto_fixture_get_account (broker),
                                       mosquitto_fixture_get_password (broker));
  if (!sim_broker_device_start (device_link, &error))
    g_error ("bench-command: the device is not on the broker: %s", error->message);

  cloud = juice_cloud_new (fake_cloud_get_base_url (fake), certs->ca_file, &error);
  g_assert_no_error (error);
  juice_cloud_set_credentials (cloud, FAKE_CLOUD_ACCESS_KEY, FAKE_CLOUD_SECRET_KEY);
  account = juice_account_new (cloud, "juice-bench-command");
  juice_account_set_mqtt_ca_file (account, mosquitto_fixture_get_ca_file (broker));
  if (!bench_connect_account (account, 60) ||
      !bench_wait_until (connected, NULL, 60, "both links to the broker"))
    return 1;
  device = juice_account_lookup_device (account, SN);
  g_assert_nonnull (device);

  window = adw_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 800, 900);
  page = g_object_new (JUICE_TYPE_DEVICE_PAGE, "device", device, NULL);
  adw_window_set_content (ADW_WINDOW (window), page);
  gtk_window_present (GTK_WINDOW (window));
  if (!bench_wait_until (row_found, page, 60, "the beep switch"))
    return 1;
  row = find_setting_row (page, SETTING);
  trip.row = JUICE_SETTING_ROW (row);
  handler = g_signal_connect (device, "setting-changed::" SETTING,
                              G_CALLBACK (on_setting_changed), &trip);

  commands_before = sim_broker_device_get_n_commands (device_link);
  for (guint i = 0; i < ROUND_TRIPS + 1; i++)
    {
      GtkSwitch *control = GTK_SWITCH (juice_setting_row_get_control (trip.row));
      gint64 toggled_at;

      trip.want = !gtk_switch_get_active (control);
      trip.confirmed_at = 0;
      toggled_at = g_get_monotonic_time ();
      gtk_switch_set_active (control, trip.want);
      if (!bench_wait_until (trip_confirmed, &trip, 30, "the device to confirm the switch"))
        return 1;
      /* The first round trip warms up (TLS session, caches). */
      if (i > 0)
        beyond[i - 1] = (trip.confirmed_at - toggled_at) / 1000.0 - APPLY_DELAY_MS;
    }
  g_signal_handler_disconnect (device, handler);

  if (sim_broker_device_get_n_commands (device_link) - commands_before != ROUND_TRIPS + 1)
    {
      printf ("FAIL: the commands did not all cross the broker (%u of %u)\n",
              sim_broker_device_get_n_commands (device_link) - commands_before, ROUND_TRIPS + 1);
      return 1;
    }

  bench_min_max (beyond, ROUND_TRIPS, &min, &max);
  qsort (beyond, ROUND_TRIPS, sizeof (double), compare_doubles);
  printf ("command-round-trip: %.1f ms beyond the device's delay (%.1f..%.1f ms, median %.1f ms, "
          "%u runs; reference: the device's own delay, %u ms to apply and report, ack after "
          "%u ms; over TLS MQTT on loopback; budget 20 ms)\n",
          min, min, max, beyond[ROUND_TRIPS / 2], ROUND_TRIPS, APPLY_DELAY_MS, ACK_DELAY_MS);

  gtk_window_destroy (GTK_WINDOW (window));
  juice_account_disconnect (account);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&account);
  g_clear_pointer (&device_link, sim_broker_device_free);

  if (min > BUDGET_MS)
    {
      printf ("FAIL: command-round-trip over budget\n");
      return 1;
    }
  return 0;
}
