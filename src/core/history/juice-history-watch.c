/* juice-history-watch.c: recording a device's headline series on each report
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "juice-history"

#include "juice-history-private.h"

/* Where each series comes from; a series whose keys are all absent is not
 * recorded. Several keys are summed (the DC ports). */
static const char * const series_keys[JUICE_HISTORY_N_SERIES][9] = {
  [JUICE_HISTORY_SERIES_SOC] = { NULL },  /* juice_device_get_soc() */
  [JUICE_HISTORY_SERIES_WATTS_IN] = { "pd.wattsInSum" },
  [JUICE_HISTORY_SERIES_WATTS_OUT] = { "pd.wattsOutSum" },
  [JUICE_HISTORY_SERIES_SOLAR_IN] = { "mppt.inWatts" },
  [JUICE_HISTORY_SERIES_AC_IN] = { "inv.inputWatts" },
  [JUICE_HISTORY_SERIES_AC_OUT] = { "inv.outputWatts" },
  [JUICE_HISTORY_SERIES_DC_OUT] = { "pd.carWatts", "pd.usb1Watts", "pd.usb2Watts",
                                    "pd.qcUsb1Watts", "pd.qcUsb2Watts", "pd.typec1Watts",
                                    "pd.typec2Watts", "mppt.dcdc12vWatts" },
  [JUICE_HISTORY_SERIES_BATTERY_TEMP] = { "bmsMaster.temp" },
};

static const char * const counter_keys[JUICE_HISTORY_N_COUNTERS] = {
  [JUICE_HISTORY_COUNTER_SOLAR_IN] = "pd.chgSunPower",
  [JUICE_HISTORY_COUNTER_AC_IN] = "pd.chgPowerAc",
  [JUICE_HISTORY_COUNTER_CAR_IN] = "pd.chgPowerDc",
  [JUICE_HISTORY_COUNTER_AC_OUT] = "pd.dsgPowerAc",
  [JUICE_HISTORY_COUNTER_DC_OUT] = "pd.dsgPowerDc",
};

typedef struct
{
  JuiceHistory *history;   /* unowned: the history owns this */
  JuiceDevice  *device;    /* owned */
  gulong        report_id;
  gulong        name_id;
} Watch;

/* The value as the profile scales it (0.1 W for the solar charger). */
static gboolean
get_scaled (JuiceDevice *device,
            const char  *key,
            double      *value)
{
  const JuiceQuotaInfo *info;

  if (!juice_device_get_quota_double (device, key, value))
    return FALSE;

  info = juice_device_profile_lookup_quota (juice_device_get_profile (device), key);
  if (info != NULL && info->scale != 0)
    *value *= info->scale;

  return TRUE;
}

static void
on_report_applied (JuiceDevice *device,
                   guint        n_changed,
                   Watch       *watch)
{
  JuiceHistory *self = watch->history;
  const char *serial_number = juice_device_get_serial_number (device);
  gint64 now = juice_history_now (self);
  double value;

  if (juice_device_get_quota (device, "pd.soc") != NULL
      || juice_device_get_quota (device, "ems.f32LcdShowSoc") != NULL)
    juice_history_record (self, serial_number, JUICE_HISTORY_SERIES_SOC, now,
                          juice_device_get_soc (device));

  for (guint s = JUICE_HISTORY_SERIES_SOC + 1; s < JUICE_HISTORY_N_SERIES; s++)
    {
      double sum = 0;
      gboolean found = FALSE;

      for (guint k = 0; k < G_N_ELEMENTS (series_keys[s]) && series_keys[s][k] != NULL; k++)
        if (get_scaled (device, series_keys[s][k], &value))
          {
            sum += value;
            found = TRUE;
          }

      if (found)
        juice_history_record (self, serial_number, s, now, sum);
    }

  for (guint c = 0; c < JUICE_HISTORY_N_COUNTERS; c++)
    if (get_scaled (device, counter_keys[c], &value))
      juice_history_record_counter (self, serial_number, c, now, value);
}

static void
on_name_changed (JuiceDevice *device,
                 GParamSpec  *pspec,
                 Watch       *watch)
{
  juice_history_set_device_name (watch->history, juice_device_get_serial_number (device),
                                 juice_device_get_name (device));
}

void
_juice_history_watch_free (gpointer data)
{
  Watch *watch = data;

  g_clear_signal_handler (&watch->report_id, watch->device);
  g_clear_signal_handler (&watch->name_id, watch->device);
  g_clear_object (&watch->device);
  g_free (watch);
}

void
juice_history_watch_device (JuiceHistory *self,
                            JuiceDevice  *device)
{
  Watch *watch;

  g_return_if_fail (JUICE_IS_HISTORY (self));
  g_return_if_fail (JUICE_IS_DEVICE (device));

  if (self->watched == NULL || g_hash_table_contains (self->watched, device))
    return;

  watch = g_new0 (Watch, 1);
  watch->history = self;
  watch->device = g_object_ref (device);
  watch->report_id = g_signal_connect (device, "report-applied",
                                       G_CALLBACK (on_report_applied), watch);
  watch->name_id = g_signal_connect (device, "notify::name", G_CALLBACK (on_name_changed), watch);
  g_hash_table_insert (self->watched, device, watch);

  if (juice_device_get_name (device) != NULL)
    on_name_changed (device, NULL, watch);
}

void
juice_history_unwatch_device (JuiceHistory *self,
                              JuiceDevice  *device)
{
  g_return_if_fail (JUICE_IS_HISTORY (self));
  g_return_if_fail (JUICE_IS_DEVICE (device));

  if (self->watched != NULL)
    g_hash_table_remove (self->watched, device);
}
