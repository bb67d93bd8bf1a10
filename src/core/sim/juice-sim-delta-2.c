/* juice-sim-delta-2.c: the simulated DELTA 2
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the DELTA 2 accepts is written down here independently of its
 * profile (juice-device-profile-delta-2.c), from the DELTA 2 notes, so that
 * tests of the profile against the simulated device can disagree.
 */

#define G_LOG_DOMAIN "juice-sim"

#include <math.h>
#include <string.h>

#include "juice-command-builder.h"
#include "juice-json.h"
#include "juice-sim-private.h"

#define INVERTER_LOAD_W  185.0
#define CAR_LOAD_W       36.0
#define USB_LOAD_W       7.0
#define KEEP_255         255
#define KEEP_U32         G_GINT64_CONSTANT (4294967295)

typedef struct
{
  int          module;
  const char  *operate_type;
  const char  *param;
  const char  *keys[2];     /* the readbacks it changes, NULL: none */
  gint64       min;
  gint64       max;
  gint64       keep;        /* a value that leaves it as it is; 0 for none */
  gboolean     optional;
} SimOp;

static const SimOp sim_ops[] = {
  { 5, "quietMode", "enabled", { "mppt.beepState", "pd.beepMode" }, 0, 1 },
  { 5, "mpptCar", "enabled", { "mppt.carState", "pd.carState" }, 0, 1 },
  /* acOutCfg needs all four fields; 255 / 0xFFFFFFFF keep a field as it is */
  { 5, "acOutCfg", "enabled", { "mppt.cfgAcEnabled", "inv.cfgAcEnabled" }, 0, 1, KEEP_255 },
  { 5, "acOutCfg", "xboost", { "mppt.cfgAcXboost", "inv.cfgAcXboost" }, 0, 1, KEEP_255 },
  { 5, "acOutCfg", "out_voltage", { NULL }, 100, 240000, KEEP_U32 },
  { 5, "acOutCfg", "out_freq", { NULL }, 1, 2, KEEP_255 },
  { 5, "acChgCfg", "chgWatts", { "mppt.cfgChgWatts" }, 200, 1200 },
  { 5, "acChgCfg", "chgPauseFlag", { "mppt.chgPauseFlag", "inv.chgPauseFlag" }, 0, 1, KEEP_255 },
  { 5, "standbyTime", "standbyMins", { "mppt.acStandbyMins", "inv.standbyMins" }, 0, 10080 },
  { 5, "dcChgCfg", "dcChgCfg", { "mppt.dcChgCurrent" }, 4000, 10000 },
  { 5, "carStandby", "standbyMins", { "mppt.carStandbyMin" }, 0, 10080 },
  { 1, "standbyTime", "standbyMin", { "pd.standbyMin" }, 0, 10080 },
  { 1, "dcOutCfg", "enabled", { "pd.dcOutState" }, 0, 1 },
  { 1, "lcdCfg", "delayOff", { "pd.lcdOffSec" }, 0, 86400 },
  { 1, "lcdCfg", "brighLevel", { NULL }, 3, 3, 0, TRUE },
  { 1, "pvChangePrio", "pvChangeSet", { "pd.pvChgPrioSet" }, 0, 1 },
  { 1, "watthConfig", "isConfig", { "pd.watchIsConfig" }, 0, 1 },
  { 1, "watthConfig", "bpPowerSoc", { "pd.bpPowerSoc" }, 0, 100 },
  { 1, "watthConfig", "minDsgSoc", { NULL }, 0, 255, 0, TRUE },
  { 1, "watthConfig", "minChgSoc", { NULL }, 0, 255, 0, TRUE },
  { 1, "acAutoOutConfig", "acAutoOutConfig", { "pd.acAutoOutConfig" }, 0, 1 },
  { 1, "acAutoOutConfig", "minAcOutSoc", { "pd.minAcoutSoc" }, 0, 100 },
  { 2, "upsConfig", "maxChgSoc", { "bms_emsStatus.maxChargeSoc" }, 50, 100 },
  { 2, "dsgCfg", "minDsgSoc", { "bms_emsStatus.minDsgSoc" }, 0, 30 },
  { 2, "openOilSoc", "openOilSoc", { "bms_emsStatus.minOpenOilEb" }, 0, 30 },
  { 2, "closeOilSoc", "closeOilSoc", { "bms_emsStatus.maxCloseOilEb" }, 50, 100 },
};

static gboolean
op_matches (const SimOp *op,
            gint64       module,
            const char  *operate_type)
{
  return op->module == module && strcmp (op->operate_type, operate_type) == 0;
}

/* 0 accepted, 1 refused: unknown command, a missing or unknown field, a
 * value out of range. */
int
_juice_sim_delta_2_check (JsonObject *command)
{
  JsonObject *params;
  JsonObjectIter iter;
  const char *member, *operate_type;
  JsonNode *node;
  gint64 module;
  guint n_known = 0;

  if (!juice_command_is_operate_type (command) ||
      !juice_json_node_get_int (json_object_get_member (command, "moduleType"), &module) ||
      !(operate_type = json_object_get_string_member_with_default (command, "operateType", NULL)))
    return 1;

  params = json_object_get_object_member (command, "params");

  for (guint i = 0; i < G_N_ELEMENTS (sim_ops); i++)
    {
      const SimOp *op = &sim_ops[i];
      gint64 v;

      if (!op_matches (op, module, operate_type))
        continue;

      n_known++;
      if (!(node = json_object_get_member (params, op->param)))
        {
          if (!op->optional)
            return 1;
          continue;
        }
      if (!juice_json_node_get_int (node, &v) ||
          !((op->min <= v && v <= op->max) || (op->keep != 0 && v == op->keep)))
        return 1;
    }

  if (n_known == 0)
    return 1;

  /* Nothing the command does not take. */
  json_object_iter_init (&iter, params);
  while (json_object_iter_next (&iter, &member, &node))
    {
      gboolean known = FALSE;

      for (guint i = 0; i < G_N_ELEMENTS (sim_ops) && !known; i++)
        known = op_matches (&sim_ops[i], module, operate_type) &&
                strcmp (sim_ops[i].param, member) == 0;
      if (!known)
        return 1;
    }

  return 0;
}

void
_juice_sim_delta_2_apply (JuiceSimDevice *self,
                          JsonObject     *command)
{
  JsonObject *params = json_object_get_object_member (command, "params");
  const char *operate_type = json_object_get_string_member (command, "operateType");
  gint64 module = json_object_get_int_member (command, "moduleType");

  for (guint i = 0; i < G_N_ELEMENTS (sim_ops); i++)
    {
      const SimOp *op = &sim_ops[i];
      gint64 v;

      if (!op_matches (op, module, operate_type) ||
          !juice_json_node_get_int (json_object_get_member (params, op->param), &v) ||
          (op->keep != 0 && v == op->keep))
        continue;

      for (guint k = 0; k < G_N_ELEMENTS (op->keys) && op->keys[k] != NULL; k++)
        _juice_sim_device_set_int (self, op->keys[k], v);
    }
}

void
_juice_sim_delta_2_simulate (JuiceSimDevice *self,
                             double         *soc,
                             double         *solar_wh,
                             double         *ac_out_wh,
                             double          dt)
{
  const JuiceProfilePhysics *physics = juice_sim_device_get_profile (self)->physics;
  double hour, sun, solar, ac_out, car_out, usb_out, out, net, cap, before;
  gint64 max_soc, min_soc, remain = 0;
  gboolean ac_on, car_on, usb_on;

  hour = _juice_sim_device_hour (self);
  sun = sin (G_PI * (hour - 6.0) / 12.0);
  solar = sun > 0 ? MAX (0, physics->solar_peak_w * sun + _juice_sim_device_noise (self, 10)) : 0;

  ac_on = _juice_sim_device_get_int (self, "mppt.cfgAcEnabled", 0) != 0;
  car_on = _juice_sim_device_get_int (self, "mppt.carState", 0) != 0;
  usb_on = _juice_sim_device_get_int (self, "pd.dcOutState", 0) != 0;
  max_soc = _juice_sim_device_get_int (self, "bms_emsStatus.maxChargeSoc", 100);
  min_soc = _juice_sim_device_get_int (self, "bms_emsStatus.minDsgSoc", 0);

  ac_out = ac_on ? INVERTER_LOAD_W + _juice_sim_device_noise (self, 12) : 0;
  car_out = car_on ? CAR_LOAD_W + _juice_sim_device_noise (self, 2) : 0;
  usb_out = usb_on ? USB_LOAD_W : 0;

  if (*soc <= min_soc)
    ac_out = car_out = usb_out = 0;

  out = ac_out + car_out + usb_out;
  if (*soc >= max_soc)
    solar = MIN (solar, out);

  net = solar - out;
  cap = physics->pack_wh;

  before = *soc;
  *soc += net * dt / 3600.0 / cap * 100.0;
  if (net > 0)
    *soc = MIN (*soc, MAX (max_soc, before));
  else if (net < 0)
    *soc = MAX (*soc, MIN (min_soc, before));
  *soc = CLAMP (*soc, 0, 100);

  if (net > 1 && *soc < max_soc)
    remain = (gint64) ceil ((max_soc - *soc) / 100.0 * cap / net * 60.0);
  else if (net < -1 && *soc > min_soc)
    remain = -(gint64) ceil ((*soc - min_soc) / 100.0 * cap / -net * 60.0);
  remain = CLAMP (remain, -5999, 5999);

  *solar_wh += solar * dt / 3600.0;
  *ac_out_wh += ac_out * dt / 3600.0;

  _juice_sim_device_set_int (self, "pd.soc", (gint64) floor (*soc));
  _juice_sim_device_set_int (self, "bms_bmsStatus.soc", (gint64) floor (*soc));
  _juice_sim_device_set_int (self, "bms_emsStatus.lcdShowSoc", (gint64) floor (*soc));
  _juice_sim_device_set_double (self, "bms_emsStatus.f32LcdShowSoc", *soc);
  _juice_sim_device_set_double (self, "bms_bmsStatus.f32ShowSoc", *soc);
  _juice_sim_device_set_int (self, "pd.wattsInSum", (gint64) round (solar));
  _juice_sim_device_set_int (self, "pd.wattsOutSum", (gint64) round (out));
  _juice_sim_device_set_int (self, "pd.remainTime", remain);
  /* The DELTA 2's solar charger reports W, mV and mA. */
  _juice_sim_device_set_int (self, "mppt.inWatts", (gint64) round (solar));
  _juice_sim_device_set_int (self, "mppt.inVol", solar > 0 ? 36000 + (gint64) _juice_sim_device_noise (self, 400) : 0);
  _juice_sim_device_set_int (self, "mppt.inAmp", solar > 0 ? (gint64) round (solar / 36.0 * 1000) : 0);
  _juice_sim_device_set_int (self, "inv.outputWatts", (gint64) round (ac_out));
  _juice_sim_device_set_int (self, "inv.invOutVol",
                             ac_on ? (gint64) (physics->ac_volts * 1000) + (gint64) _juice_sim_device_noise (self, 400) : 0);
  _juice_sim_device_set_int (self, "inv.invOutFreq", ac_on ? 50 : 0);
  _juice_sim_device_set_int (self, "mppt.carOutWatts", (gint64) round (car_out));
  _juice_sim_device_set_int (self, "pd.carWatts", (gint64) round (car_out));
  _juice_sim_device_set_int (self, "pd.usb1Watts", (gint64) usb_out);
  _juice_sim_device_set_int (self, "bms_bmsStatus.inputWatts", (gint64) round (MAX (net, 0)));
  _juice_sim_device_set_int (self, "bms_bmsStatus.outputWatts", (gint64) round (MAX (-net, 0)));
  _juice_sim_device_set_int (self, "pd.chgSunPower", (gint64) floor (*solar_wh));
  _juice_sim_device_set_int (self, "pd.dsgPowerAC", (gint64) floor (*ac_out_wh));
}
