/* juice-sim-physics.c: how the simulated DELTA Pro's state evolves, and its reports
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "juice-sim"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "juice-core-resources.h"
#include "juice-device.h"
#include "juice-device-profile.h"
#include "juice-error.h"
#include "juice-json.h"
#include "juice-sim-device.h"
#include "juice-sim-private.h"
#include "juice-transport.h"

#define PACK_WATT_HOURS     3600.0    /* one DELTA Pro battery */
#define INVERTER_LOAD_W     185.0     /* what the demo's AC outlets power: a fridge, a laptop */
#define CAR_LOAD_W          36.0
#define SOLAR_PEAK_W        1150.0

/* Physics --------------------------------------------------------------- */

static double
hour_of_day (JuiceSimDevice *self)
{
  double hour;

  if (self->hour_override >= 0)
    {
      hour = self->hour_override + self->elapsed / 3600.0;
    }
  else if (self->clock != NULL)
    {
      g_autoptr(GDateTime) now = g_date_time_new_from_unix_local (self->clock (self->clock_data));

      hour = g_date_time_get_hour (now) + g_date_time_get_minute (now) / 60.0
             + g_date_time_get_second (now) / 3600.0;
    }
  else
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();

      hour = g_date_time_get_hour (now) + g_date_time_get_minute (now) / 60.0
             + g_date_time_get_second (now) / 3600.0;
    }

  return fmod (hour, 24.0);
}

static double
noise (JuiceSimDevice *self,
       double          amplitude)
{
  return g_rand_double_range (self->rand, -amplitude, amplitude);
}

static double
capacity_wh (JuiceSimDevice *self)
{
  double wh = PACK_WATT_HOURS;

  if (_juice_sim_device_get_int (self, "ems.bms1Online", 0) == 3)
    wh += PACK_WATT_HOURS;
  if (_juice_sim_device_get_int (self, "ems.bms2Online", 0) == 3)
    wh += PACK_WATT_HOURS;

  return wh;
}

static void
simulate (JuiceSimDevice *self,
          double          dt)
{
  double hour, sun, solar, ac_out, car_out, usb_out, out, in, net, cap, before;
  gint64 max_soc, min_soc, remain = 0;
  gboolean ac_on, car_on;

  self->elapsed += dt;
  if (self->profile != NULL)
    {
      /* Second products: juice-sim-delta-2.c */
      _juice_sim_delta_2_simulate (self, &self->soc, &self->solar_wh, &self->ac_out_wh, dt);
      return;
    }
  hour = hour_of_day (self);

  /* Solar follows a half sine between 6:00 and 18:00. */
  sun = sin (G_PI * (hour - 6.0) / 12.0);
  solar = sun > 0 ? MAX (0, SOLAR_PEAK_W * sun + noise (self, 25)) : 0;
  if (_juice_sim_device_get_int (self, "mppt.cfgChgType", 0) == 2)
    solar = 0;  /* adapter mode: the XT60 input expects a DC adapter, none is plugged in */

  ac_on = _juice_sim_device_get_int (self, "inv.cfgAcEnabled", 0) != 0;
  car_on = _juice_sim_device_get_int (self, "mppt.carState", 0) != 0;
  max_soc = _juice_sim_device_get_int (self, "ems.maxChargeSoc", 100);
  min_soc = _juice_sim_device_get_int (self, "ems.minDsgSoc", 0);

  ac_out = ac_on ? INVERTER_LOAD_W + noise (self, 12) : 0;
  car_out = car_on ? CAR_LOAD_W + noise (self, 2) : 0;
  usb_out = 7;

  /* Limits: the battery stops discharging at the discharge limit and stops
   * taking charge at the charge limit. */
  if (self->soc <= min_soc)
    ac_out = car_out = usb_out = 0;

  out = ac_out + car_out + usb_out;
  if (self->soc >= max_soc)
    solar = MIN (solar, out);

  in = solar;
  net = in - out;
  cap = capacity_wh (self);

  before = self->soc;
  self->soc += net * dt / 3600.0 / cap * 100.0;
  /* A long step must not overshoot a limit. */
  if (net > 0)
    self->soc = MIN (self->soc, MAX (max_soc, before));
  else if (net < 0)
    self->soc = MAX (self->soc, MIN (min_soc, before));
  self->soc = CLAMP (self->soc, 0, 100);

  if (net > 1 && self->soc < max_soc)
    remain = (gint64) ceil ((max_soc - self->soc) / 100.0 * cap / net * 60.0);
  else if (net < -1 && self->soc > min_soc)
    remain = -(gint64) ceil ((self->soc - min_soc) / 100.0 * cap / -net * 60.0);
  remain = CLAMP (remain, -5999, 5999);

  self->solar_wh += solar * dt / 3600.0;
  self->ac_out_wh += ac_out * dt / 3600.0;
  self->dc_out_wh += (car_out + usb_out) * dt / 3600.0;

  _juice_sim_device_set_int (self, "pd.soc", (gint64) floor (self->soc));
  _juice_sim_device_set_int (self, "bmsMaster.soc", (gint64) floor (self->soc));
  _juice_sim_device_set_int (self, "ems.lcdShowSoc", (gint64) floor (self->soc));
  _juice_sim_device_set_double (self, "ems.f32LcdShowSoc", self->soc);
  _juice_sim_device_set_double (self, "bmsMaster.f32ShowSoc", self->soc);
  _juice_sim_device_set_int (self, "pd.wattsInSum", (gint64) round (in));
  _juice_sim_device_set_int (self, "pd.wattsOutSum", (gint64) round (out));
  _juice_sim_device_set_int (self, "pd.remainTime", remain);
  _juice_sim_device_set_int (self, "mppt.inWatts", (gint64) round (solar * 10));   /* 0.1 W */
  _juice_sim_device_set_int (self, "mppt.outWatts", (gint64) round (solar * 0.96 * 10));
  /* The solar charger reports 0.1 V and 0.01 A, whatever the API page says. */
  _juice_sim_device_set_int (self, "mppt.inVol", solar > 0 ? 620 + (gint64) noise (self, 8) : 0);
  _juice_sim_device_set_int (self, "mppt.inAmp", solar > 0 ? (gint64) round (solar / 62.0 * 100) : 0);
  _juice_sim_device_set_int (self, "inv.outputWatts", (gint64) round (ac_out));
  _juice_sim_device_set_int (self, "inv.inputWatts", 0);
  _juice_sim_device_set_int (self, "mppt.carOutWatts", (gint64) round (car_out));
  _juice_sim_device_set_int (self, "pd.carWatts", (gint64) round (car_out));
  _juice_sim_device_set_int (self, "pd.usb1Watts", (gint64) usb_out);
  _juice_sim_device_set_int (self, "bmsMaster.inputWatts", (gint64) round (MAX (net, 0)));
  _juice_sim_device_set_int (self, "bmsMaster.outputWatts", (gint64) round (MAX (-net, 0)));
  _juice_sim_device_set_int (self, "pd.chgSunPower", (gint64) floor (self->solar_wh));
  _juice_sim_device_set_int (self, "pd.dsgPowerAc", (gint64) floor (self->ac_out_wh));
  _juice_sim_device_set_int (self, "pd.dsgPowerDc", (gint64) floor (self->dc_out_wh));
  _juice_sim_device_set_int (self, "inv.invOutVol", ac_on ? 120000 + (gint64) noise (self, 400) : 0);
  _juice_sim_device_set_int (self, "inv.invOutFreq", ac_on ? 60 : 0);
  _juice_sim_device_set_int (self, "bmsMaster.temp", 26 + (gint64) round (MAX (fabs (net), 0) / 400.0));
}

static JsonObject *
take_report (JuiceSimDevice *self)
{
  JsonObject *params = json_object_new ();
  GHashTableIter iter;
  SimValue *value;

  g_hash_table_iter_init (&iter, self->dirty);
  while (g_hash_table_iter_next (&iter, (gpointer *)&value, NULL))
    json_object_set_member (params, value->key, json_node_ref (value->value));
  g_hash_table_remove_all (self->dirty);

  return params;
}

void
_juice_sim_emit_report (JuiceSimDevice *self)
{
  g_autoptr(JsonObject) params = NULL;

  if (!self->online || g_hash_table_size (self->dirty) == 0)
    return;

  params = take_report (self);
  g_signal_emit (self, _juice_sim_device_signals[REPORT], 0, params);
}

static gboolean
tick_cb (gpointer user_data)
{
  JuiceSimDevice *self = user_data;

  juice_sim_device_step (self, self->report_interval_ms / 1000.0);

  return G_SOURCE_CONTINUE;
}

/* A timer on the sim's own context; the caller owns the returned source. */
GSource *
_juice_sim_add_timeout (JuiceSimDevice *self,
             guint           delay_ms,
             GSourceFunc     func,
             gpointer        data,
             const char     *name)
{
  GSource *source = g_timeout_source_new (delay_ms);

  g_source_set_callback (source, func, data, NULL);
  g_source_set_static_name (source, name);
  g_source_attach (source, self->context);

  return source;
}

void
_juice_sim_clear_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

void
_juice_sim_restart_ticking (JuiceSimDevice *self)
{
  _juice_sim_clear_source (&self->tick);

  if (self->report_interval_ms > 0 && self->online)
    self->tick = _juice_sim_add_timeout (self, self->report_interval_ms, tick_cb, self, "[juice-sim] tick");
}

/* Timers that belong to the sim and die with it. */
void
_juice_sim_schedule (JuiceSimDevice *self,
          guint           delay_ms,
          GSourceFunc     func,
          gpointer        data,
          GDestroyNotify  destroy)
{
  GSource *source = g_timeout_source_new (delay_ms);

  g_source_set_callback (source, func, data, destroy);
  g_source_set_static_name (source, "[juice-sim] command");
  g_source_attach (source, self->context);
  g_hash_table_add (self->timers, source);
}

double
_juice_sim_device_hour (JuiceSimDevice *self)
{
  return hour_of_day (self);
}

double
_juice_sim_device_noise (JuiceSimDevice *self,
                         double          amplitude)
{
  return noise (self, amplitude);
}

void
juice_sim_device_step (JuiceSimDevice *self,
                       double          seconds)
{
  g_return_if_fail (JUICE_IS_SIM_DEVICE (self));
  g_return_if_fail (seconds >= 0);

  if (!self->online)
    return;

  simulate (self, seconds);
  _juice_sim_emit_report (self);
}

