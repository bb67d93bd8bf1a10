/* juice-device-profile-delta-pro.c: the EcoFlow DELTA Pro
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every quota key of the Open API page's GetAllQuotaResponse table, spelled
 * as the page spells it, plus the keys a real device sends that a user cares
 * about (cell arrays, extra batteries) and the readback keys of the settings.
 *
 * Scales follow what a real device sends (data/simulator/delta-pro-quota-all.json),
 * not only the page: "(mV)" / "(mA)" values are milli units, but the solar
 * charger reports its input and output in 0.1 V, 0.01 A and 0.1 W (mppt.inVol
 * 691 × mppt.inAmp 428 ≈ mppt.inWatts 2960 ≈ pd.wattsInSum 296 W), and
 * inv.cfgAcOutVoltage comes in mV (120000) although the page says V.
 */

#define G_LOG_DOMAIN "juice-profile"

#include <glib/gi18n.h>

#include "juice-device-profile.h"

/* Short names for the table columns; local to this file. */
#define T_INT   JUICE_QUOTA_INTEGER
#define T_FLOAT JUICE_QUOTA_FLOAT
#define T_ENUM  JUICE_QUOTA_ENUM
#define T_BOOL  JUICE_QUOTA_BOOLEAN
#define T_BITS  JUICE_QUOTA_BITS
#define T_ARRAY JUICE_QUOTA_ARRAY

#define U_NONE JUICE_UNIT_NONE
#define U_PCT  JUICE_UNIT_PERCENT
#define U_W    JUICE_UNIT_WATT
#define U_WH   JUICE_UNIT_WATT_HOUR
#define U_V    JUICE_UNIT_VOLT
#define U_A    JUICE_UNIT_AMPERE
#define U_MAH  JUICE_UNIT_MILLIAMPERE_HOUR
#define U_C    JUICE_UNIT_CELSIUS
#define U_HZ   JUICE_UNIT_HERTZ
#define U_S    JUICE_UNIT_SECOND
#define U_MIN  JUICE_UNIT_MINUTE
#define U_DBM  JUICE_UNIT_DBM

#define GR_OVERVIEW JUICE_QUOTA_GROUP_OVERVIEW
#define GR_BATTERY  JUICE_QUOTA_GROUP_BATTERY
#define GR_EXTRA    JUICE_QUOTA_GROUP_EXTRA_BATTERY
#define GR_INV      JUICE_QUOTA_GROUP_INVERTER
#define GR_SOLAR    JUICE_QUOTA_GROUP_SOLAR
#define GR_EMS      JUICE_QUOTA_GROUP_ENERGY
#define GR_ICONS    JUICE_QUOTA_GROUP_ICONS

#define MILLI 0.001

/* Meanings of enum values, as the API page gives them. */

static const JuiceEnumValue off_on_values[] = {
  { 0, N_("Off"), "off" },
  { 1, N_("On"), "on" },
  { 0, NULL, NULL }
};

static const JuiceEnumValue icon_mode_values[] = {
  { 0, N_("Normal"), "normal" },
  { 1, N_("Blinking"), "blinking" },
  { 0, NULL, NULL }
};

static const JuiceEnumValue fan_level_values[] = {
  { 0, N_("Off"), "off" },
  { 1, N_("Level 1"), "1" },
  { 2, N_("Level 2"), "2" },
  { 3, N_("Level 3"), "3" },
  { 0, NULL, NULL }
};

static const JuiceEnumValue icon_ac_freq_values[] = {
  { 0, N_("Off"), "off" },
  { 1, N_("50 Hz"), "50hz" },
  { 2, N_("60 Hz"), "60hz" },
  { 0, NULL, NULL }
};

static const JuiceEnumValue icon_remote_values[] = {
  { 0, N_("Off"), "off" },
  { 1, N_("On"), "on" },
  { 2, N_("One signal bar"), "1bar" },
  { 3, N_("Two signal bars"), "2bars" },
  { 4, N_("Searching for signal"), "searching" },
  { 0, NULL, NULL }
};

static const JuiceEnumValue bms_type_values[] = {
  { 1, N_("Lithium battery"), "lithium" },
  { 2, N_("Fuel generator"), "oil" },
  { 0, NULL, NULL }
};

static const JuiceEnumValue cell_type_values[] = {
  { 1, N_("2.5 Ah cells"), "2.5ah" },
  { 2, N_("2 Ah cells"), "2ah" },
  { 0, NULL, NULL }
};

static const JuiceEnumValue charger_type_values[] = {
  { 0, N_("None"), "none" },
  { 1, N_("AC"), "ac" },
  { 2, N_("DC adapter"), "adapter" },
  { 3, N_("Solar"), "solar" },
  { 4, N_("CC"), "cc" },
  { 5, N_("BC"), "bc" },
  { 0, NULL, NULL }
};

static const JuiceEnumValue ac_out_freq_values[] = {
  { 1, N_("50 Hz"), "50hz" },
  { 2, N_("60 Hz"), "60hz" },
  { 255, N_("Not set"), "unset" },
  { 0, NULL, NULL }
};

static const JuiceEnumValue ac_work_mode_values[] = {
  { 0, N_("Full power"), "full" },
  { 1, N_("Quiet"), "quiet" },
  { 0, NULL, NULL }
};

static const JuiceEnumValue pause_values[] = {
  { 0, N_("Not paused"), "running" },
  { 1, N_("Paused"), "paused" },
  { 0, NULL, NULL }
};

static const JuiceEnumValue ac_dip_switch_values[] = {
  { 0, N_("Unknown"), "unknown" },
  { 1, N_("Fast charging"), "fast" },
  { 2, N_("Slow charging"), "slow" },
  { 0, NULL, NULL }
};

static const JuiceEnumValue discharge_type_values[] = {
  { 0, N_("None"), "none" },
  { 1, N_("AC"), "ac" },
  { 2, N_("PR"), "pr" },
  { 3, N_("BC"), "bc" },
  { 0, NULL, NULL }
};

static const JuiceEnumValue xt60_type_values[] = {
  { 0, N_("Not detected"), "none" },
  { 1, N_("Solar (MPPT)"), "mppt" },
  { 2, N_("Adapter"), "adapter" },
  { 0, NULL, NULL }
};

/* mppt.cfgChgType and the options of the pv-charging-type setting. */
static const JuiceEnumValue pv_charging_type_values[] = {
  { 0, N_("Automatic"), "auto" },
  { 1, N_("Solar (MPPT)"), "mppt" },
  { 2, N_("Adapter"), "adapter" },
  { 0, NULL, NULL }
};

static const JuiceEnumValue charging_source_values[] = {
  { 0, N_("None"), "none" },
  { 1, N_("Adapter"), "adapter" },
  { 2, N_("Solar (MPPT)"), "mppt" },
  { 3, N_("AC mains"), "ac" },
  { 4, N_("Gas"), "gas" },
  { 5, N_("Wind"), "wind" },
  { 0, NULL, NULL }
};

static const JuiceEnumValue solar_charging_state_values[] = {
  { 0, N_("Off"), "off" },
  { 1, N_("Charging"), "charging" },
  { 2, N_("Standby"), "standby" },
  { 0, NULL, NULL }
};

static const JuiceEnumValue wifi_recovery_values[] = {
  { 0, N_("Station (default)"), "sta" },
  { 1, N_("Last used mode"), "last" },
  { 0, NULL, NULL }
};

static const JuiceEnumValue beep_values[] = {
  { 0, N_("Normal"), "normal" },
  { 1, N_("Quiet"), "quiet" },
  { 0, NULL, NULL }
};

static const JuiceEnumValue charge_discharge_values[] = {
  { 1, N_("Discharging"), "discharging" },
  { 2, N_("Charging"), "charging" },
  { 0, NULL, NULL }
};

static const JuiceEnumValue ems_state_values[] = {
  { 0, N_("Sleeping"), "sleep" },
  { 1, N_("Normal"), "normal" },
  { 0, NULL, NULL }
};

/* Bit 0: hardware online signal, bit 1: software online signal. */
static const JuiceEnumValue bms_online_values[] = {
  { 0, N_("Offline"), "offline" },
  { 1, N_("Connected, starting"), "hardware" },
  { 2, N_("Reported, not connected"), "software" },
  { 3, N_("Online"), "online" },
  { 0, NULL, NULL }
};

/* Display hints of the quota table: numbers with a meaning of their own
 * and the bits of bit fields, as the API page gives them. */

static const JuiceEnumValue never_values[] = {
  { 0, N_("Never"), "never" },
  { 0, NULL, NULL }
};

static const JuiceEnumValue brightness_special_values[] = {
  { 128, N_("Automatic"), "auto" },
  { 0, NULL, NULL }
};

/* 0xff: "ignored", the setting was never made */
static const JuiceEnumValue not_set_byte_values[] = {
  { 0xff, N_("Not set"), "unset" },
  { 0, NULL, NULL }
};

/* 0xffffffff: "ignored" */
static const JuiceEnumValue not_set_u32_values[] = {
  { G_GINT64_CONSTANT (0xffffffff), N_("Not set"), "unset" },
  { 0, NULL, NULL }
};

static const JuiceEnumValue bms_warning_bits[] = {
  { 0, N_("High temperature"), "hi-temp" },
  { 1, N_("Low temperature"), "low-temp" },
  { 2, N_("Overload"), "overload" },
  { 3, N_("Charging"), "charging" },
  { 0, NULL, NULL }
};

/* One bit per battery pack: the real device reports 3 with two packs. */
static const JuiceEnumValue battery_pack_bits[] = {
  { 0, N_("Main battery"), "main" },
  { 1, N_("Extra battery 1"), "extra1" },
  { 2, N_("Extra battery 2"), "extra2" },
  { 0, NULL, NULL }
};

#define H_VERSION JUICE_QUOTA_HINT_VERSION
#define H_TIME_LEFT JUICE_QUOTA_HINT_TIME_LEFT
#define H_TEXT JUICE_QUOTA_HINT_TEXT_BYTES

static const JuiceQuotaInfo delta_pro_quotas[] = {
  /* bmsMaster: the battery inside the unit */
  { "bmsMaster.soc", N_("Main battery charge"),
    T_INT, U_PCT, 1.0, GR_BATTERY, NULL },
  { "bmsMaster.temp", N_("Main battery temperature"),
    T_INT, U_C, 1.0, GR_BATTERY, NULL },
  { "bmsMaster.inputWatts", N_("Main battery input power"),
    T_INT, U_W, 1.0, GR_BATTERY, NULL },
  { "bmsMaster.outputWatts", N_("Main battery output power"),
    T_INT, U_W, 1.0, GR_BATTERY, NULL },
  { "bmsMaster.num", N_("Battery number"),
    T_INT, U_NONE, 1.0, GR_BATTERY, NULL },
  { "bmsMaster.type", N_("Battery type"),
    T_ENUM, U_NONE, 1.0, GR_BATTERY, bms_type_values },
  { "bmsMaster.cellId", N_("Battery cell type"),
    T_ENUM, U_NONE, 1.0, GR_BATTERY, cell_type_values },
  { "bmsMaster.errCode", N_("Battery error code"),
    T_BITS, U_NONE, 1.0, GR_BATTERY, NULL },
  { "bmsMaster.sysVer", N_("Battery firmware version"),
    T_INT, U_NONE, 1.0, GR_BATTERY, NULL,
    NULL, NULL, H_VERSION },
  { "bmsMaster.vol", N_("Main battery voltage"),
    T_INT, U_V, MILLI, GR_BATTERY, NULL },
  { "bmsMaster.amp", N_("Main battery current"),
    T_INT, U_A, MILLI, GR_BATTERY, NULL },
  { "bmsMaster.openBmsIdx", N_("Enabled battery packs"),
    T_BITS, U_NONE, 1.0, GR_BATTERY, NULL,
    NULL, battery_pack_bits },
  { "bmsMaster.designCap", N_("Main battery design capacity"),
    T_INT, U_MAH, 1.0, GR_BATTERY, NULL },
  { "bmsMaster.remainCap", N_("Main battery remaining capacity"),
    T_INT, U_MAH, 1.0, GR_BATTERY, NULL },
  { "bmsMaster.fullCap", N_("Main battery full capacity"),
    T_INT, U_MAH, 1.0, GR_BATTERY, NULL },
  { "bmsMaster.soh", N_("Main battery health"),
    T_INT, U_PCT, 1.0, GR_BATTERY, NULL },
  { "bmsMaster.maxCellVol", N_("Highest cell voltage"),
    T_INT, U_V, MILLI, GR_BATTERY, NULL },
  { "bmsMaster.minCellVol", N_("Lowest cell voltage"),
    T_INT, U_V, MILLI, GR_BATTERY, NULL },
  { "bmsMaster.maxCellTemp", N_("Highest cell temperature"),
    T_INT, U_C, 1.0, GR_BATTERY, NULL },
  { "bmsMaster.minCellTemp", N_("Lowest cell temperature"),
    T_INT, U_C, 1.0, GR_BATTERY, NULL },
  { "bmsMaster.maxMosTemp", N_("Highest MOSFET temperature"),
    T_INT, U_C, 1.0, GR_BATTERY, NULL },
  { "bmsMaster.minMosTemp", N_("Lowest MOSFET temperature"),
    T_INT, U_C, 1.0, GR_BATTERY, NULL },
  { "bmsMaster.bmsFault", N_("Battery permanent fault"),
    T_BITS, U_NONE, 1.0, GR_BATTERY, NULL },
  { "bmsMaster.bqSysStatReg", N_("Battery protection register"),
    T_BITS, U_NONE, 1.0, GR_BATTERY, NULL },
  { "bmsMaster.tagChgAmp", N_("Target charging current"),
    T_INT, U_A, MILLI, GR_BATTERY, NULL },
  { "bmsMaster.f32ShowSoc", N_("Main battery charge (precise)"),
    T_FLOAT, U_PCT, 1.0, GR_BATTERY, NULL },
  { "bmsMaster.remainTime", N_("Main battery time remaining"),
    T_INT, U_MIN, 1.0, GR_BATTERY, NULL },
  /* not on the API page; a real device sends them */
  { "bmsMaster.cycles", N_("Main battery charge cycles"),
    T_INT, U_NONE, 1.0, GR_BATTERY, NULL },
  { "bmsMaster.cellVol", N_("Cell voltages"),
    T_ARRAY, U_V, MILLI, GR_BATTERY, NULL },
  { "bmsMaster.cellTemp", N_("Cell temperatures"),
    T_ARRAY, U_C, 1.0, GR_BATTERY, NULL },
  { "bmsMaster.packSn", N_("Battery serial number"),
    T_ARRAY, U_NONE, 1.0, GR_BATTERY, NULL,
    NULL, NULL, H_TEXT },
  { "bmsMaster.hwEdition", N_("Battery hardware version"),
    T_ARRAY, U_NONE, 1.0, GR_BATTERY, NULL,
    NULL, NULL, H_TEXT },
  { "bmsMaster.maxVolDiff", N_("Cell voltage spread"),
    T_INT, U_V, MILLI, GR_BATTERY, NULL },
  { "bmsMaster.actSoc", N_("Main battery actual charge"),
    T_INT, U_PCT, 1.0, GR_BATTERY, NULL },
  { "bmsMaster.targetSoc", N_("Main battery target charge"),
    T_FLOAT, U_PCT, 1.0, GR_BATTERY, NULL },
  { "bmsMaster.cellSeriesNum", N_("Cells in series"),
    T_INT, U_NONE, 1.0, GR_BATTERY, NULL },
  { "bmsMaster.cellNtcNum", N_("Cell temperature sensors"),
    T_INT, U_NONE, 1.0, GR_BATTERY, NULL },
  { "bmsMaster.chgDsgState", N_("Main battery state"),
    T_ENUM, U_NONE, 1.0, GR_BATTERY, charge_discharge_values },
  { "bmsMaster.allErrCode", N_("All batteries error code"),
    T_BITS, U_NONE, 1.0, GR_BATTERY, NULL },
  { "bmsMaster.allBmsFault", N_("All batteries permanent fault"),
    T_BITS, U_NONE, 1.0, GR_BATTERY, NULL },

  /* inv: the AC inverter and charger */
  { "inv.errCode", N_("Inverter error code"),
    T_BITS, U_NONE, 1.0, GR_INV, NULL },
  { "inv.sysVer", N_("Inverter firmware version"),
    T_INT, U_NONE, 1.0, GR_INV, NULL,
    NULL, NULL, H_VERSION },
  { "inv.chargerType", N_("Charger type"),
    T_ENUM, U_NONE, 1.0, GR_INV, charger_type_values },
  { "inv.inputWatts", N_("AC input power"),
    T_INT, U_W, 1.0, GR_INV, NULL },
  { "inv.outputWatts", N_("AC output power"),
    T_INT, U_W, 1.0, GR_INV, NULL },
  { "inv.invType", N_("Inverter model code"),
    T_INT, U_NONE, 1.0, GR_INV, NULL },
  { "inv.invOutVol", N_("Inverter output voltage"),
    T_INT, U_V, MILLI, GR_INV, NULL },
  { "inv.invOutAmp", N_("Inverter output current"),
    T_INT, U_A, MILLI, GR_INV, NULL },
  { "inv.invOutFreq", N_("Inverter output frequency"),
    T_INT, U_HZ, 1.0, GR_INV, NULL },
  { "inv.acInVol", N_("AC input voltage"),
    T_INT, U_V, MILLI, GR_INV, NULL },
  { "inv.acInAmp", N_("AC input current"),
    T_INT, U_A, MILLI, GR_INV, NULL },
  { "inv.acInFreq", N_("AC input frequency"),
    T_INT, U_HZ, 1.0, GR_INV, NULL },
  { "inv.outTemp", N_("Inverter temperature"),
    T_INT, U_C, 1.0, GR_INV, NULL },
  { "inv.dcInVol", N_("Inverter DC input voltage"),
    T_INT, U_V, MILLI, GR_INV, NULL },
  { "inv.dcInAmp", N_("Inverter DC input current"),
    T_INT, U_A, MILLI, GR_INV, NULL },
  { "inv.dcInTemp", N_("Inverter DC temperature"),
    T_INT, U_C, 1.0, GR_INV, NULL },
  { "inv.fanState", N_("Inverter fan"),
    T_ENUM, U_NONE, 1.0, GR_INV, fan_level_values },
  { "inv.cfgAcEnabled", N_("AC output"),
    T_BOOL, U_NONE, 1.0, GR_INV, NULL },
  { "inv.cfgAcXboost", N_("X-Boost"),
    T_BOOL, U_NONE, 1.0, GR_INV, NULL,
    not_set_byte_values },
  { "inv.cfgAcOutVoltage", N_("AC output voltage setting"),
    T_INT, U_V, MILLI, GR_INV, NULL,
    not_set_u32_values },
  { "inv.cfgAcOutFreq", N_("AC output frequency setting"),
    T_ENUM, U_NONE, 1.0, GR_INV, ac_out_freq_values },
  { "inv.cfgAcWorkMode", N_("AC charging mode"),
    T_ENUM, U_NONE, 1.0, GR_INV, ac_work_mode_values },
  { "inv.chgPauseFlag", N_("AC charging paused"),
    T_ENUM, U_NONE, 1.0, GR_INV, pause_values },
  { "inv.acDipSwitch", N_("AC charging speed switch"),
    T_ENUM, U_NONE, 1.0, GR_INV, ac_dip_switch_values },
  { "inv.cfgFastChgWatts", N_("AC fast charging power"),
    T_INT, U_W, 1.0, GR_INV, NULL },
  { "inv.cfgSlowChgWatts", N_("AC charging power"),
    T_INT, U_W, 1.0, GR_INV, NULL },
  { "inv.cfgStandbyMin", N_("AC standby time"),
    T_INT, U_MIN, 1.0, GR_INV, NULL,
    never_values },
  { "inv.dischargeType", N_("Discharging type"),
    T_ENUM, U_NONE, 1.0, GR_INV, discharge_type_values },
  /* readback of the bypass-ac-auto-start setting; real devices spell it acPassByAutoEn */
  { "inv.acPassbyAutoEn", N_("Bypass AC auto start"),
    T_BOOL, U_NONE, 1.0, GR_INV, NULL },

  /* mppt: the solar charger, the car and 12 V outputs */
  { "mppt.faultCode", N_("Solar charger error code"),
    T_BITS, U_NONE, 1.0, GR_SOLAR, NULL },
  { "mppt.swVer", N_("Solar charger firmware version"),
    T_INT, U_NONE, 1.0, GR_SOLAR, NULL,
    NULL, NULL, H_VERSION },
  { "mppt.inVol", N_("Solar input voltage"),
    T_INT, U_V, 0.1, GR_SOLAR, NULL },
  { "mppt.inAmp", N_("Solar input current"),
    T_INT, U_A, 0.01, GR_SOLAR, NULL },
  { "mppt.inWatts", N_("Solar input power"),
    T_INT, U_W, 0.1, GR_SOLAR, NULL },
  { "mppt.outVol", N_("Solar charger output voltage"),
    T_INT, U_V, 0.1, GR_SOLAR, NULL },
  { "mppt.outAmp", N_("Solar charger output current"),
    T_INT, U_A, 0.01, GR_SOLAR, NULL },
  { "mppt.outWatts", N_("Solar charger output power"),
    T_INT, U_W, 0.1, GR_SOLAR, NULL },
  { "mppt.mpptTemp", N_("Solar charger temperature"),
    T_INT, U_C, 1.0, GR_SOLAR, NULL },
  { "mppt.xt60ChgType", N_("Detected solar input type"),
    T_ENUM, U_NONE, 1.0, GR_SOLAR, xt60_type_values },
  { "mppt.cfgChgType", N_("Solar input type"),
    T_ENUM, U_NONE, 1.0, GR_SOLAR, pv_charging_type_values },
  { "mppt.chgType", N_("Charging source"),
    T_ENUM, U_NONE, 1.0, GR_SOLAR, charging_source_values },
  { "mppt.chgState", N_("Solar charging state"),
    T_ENUM, U_NONE, 1.0, GR_SOLAR, solar_charging_state_values },
  { "mppt.dcdc12vVol", N_("12 V 30 A output voltage"),
    T_INT, U_V, MILLI, GR_SOLAR, NULL },
  { "mppt.dcdc12vAmp", N_("12 V 30 A output current"),
    T_INT, U_A, MILLI, GR_SOLAR, NULL },
  { "mppt.dcdc12vWatts", N_("12 V 30 A output power"),
    T_INT, U_W, 1.0, GR_SOLAR, NULL },
  { "mppt.carOutVol", N_("Car output voltage"),
    T_INT, U_V, MILLI, GR_SOLAR, NULL },
  { "mppt.carOutAmp", N_("Car output current"),
    T_INT, U_A, MILLI, GR_SOLAR, NULL },
  { "mppt.carOutWatts", N_("Car output power"),
    T_INT, U_W, 1.0, GR_SOLAR, NULL },
  { "mppt.carTemp", N_("Car output temperature"),
    T_INT, U_C, 1.0, GR_SOLAR, NULL },
  { "mppt.carState", N_("12 V car output"),
    T_BOOL, U_NONE, 1.0, GR_SOLAR, NULL },
  { "mppt.dc24vTemp", N_("24 V DC converter temperature"),
    T_INT, U_C, 1.0, GR_SOLAR, NULL },
  { "mppt.dc24vState", N_("24 V DC converter"),
    T_BOOL, U_NONE, 1.0, GR_SOLAR, NULL },
  { "mppt.chgPauseFlag", N_("Solar charging paused"),
    T_ENUM, U_NONE, 1.0, GR_SOLAR, pause_values },
  { "mppt.cfgDcChgCurrent", N_("Car input current"),
    T_INT, U_A, MILLI, GR_SOLAR, NULL },
  { "mppt.reserved", N_("Reserved"),
    T_ARRAY, U_NONE, 1.0, GR_SOLAR, NULL },

  /* pd: the power distribution board, totals, ports and screen */
  { "pd.model", N_("Product model"),
    T_INT, U_NONE, 1.0, GR_OVERVIEW, NULL },
  { "pd.errCode", N_("Error code"),
    T_BITS, U_NONE, 1.0, GR_OVERVIEW, NULL },
  { "pd.sysVer", N_("Firmware version"),
    T_INT, U_NONE, 1.0, GR_OVERVIEW, NULL,
    NULL, NULL, H_VERSION },
  { "pd.wifiVer", N_("Wi-Fi firmware version"),
    T_INT, U_NONE, 1.0, GR_OVERVIEW, NULL,
    NULL, NULL, H_VERSION },
  { "pd.wifiAutoRcvy", N_("Wi-Fi mode after power on"),
    T_ENUM, U_NONE, 1.0, GR_OVERVIEW, wifi_recovery_values },
  { "pd.soc", N_("Charge level"),
    T_INT, U_PCT, 1.0, GR_OVERVIEW, NULL },
  { "pd.wattsOutSum", N_("Total output power"),
    T_INT, U_W, 1.0, GR_OVERVIEW, NULL },
  { "pd.wattsInSum", N_("Total input power"),
    T_INT, U_W, 1.0, GR_OVERVIEW, NULL },
  { "pd.remainTime", N_("Time remaining"),
    T_INT, U_MIN, 1.0, GR_OVERVIEW, NULL,
    NULL, NULL, H_TIME_LEFT },
  { "pd.beepState", N_("Beep"),
    T_ENUM, U_NONE, 1.0, GR_OVERVIEW, beep_values },
  { "pd.dcOutState", N_("DC output button"),
    T_BOOL, U_NONE, 1.0, GR_OVERVIEW, NULL },
  { "pd.usb1Watts", N_("USB 1 output power"),
    T_INT, U_W, 1.0, GR_OVERVIEW, NULL },
  { "pd.usb2Watts", N_("USB 2 output power"),
    T_INT, U_W, 1.0, GR_OVERVIEW, NULL },
  { "pd.qcUsb1Watts", N_("Fast-charge USB 1 output power"),
    T_INT, U_W, 1.0, GR_OVERVIEW, NULL },
  { "pd.qcUsb2Watts", N_("Fast-charge USB 2 output power"),
    T_INT, U_W, 1.0, GR_OVERVIEW, NULL },
  { "pd.typec1Watts", N_("USB-C 1 output power"),
    T_INT, U_W, 1.0, GR_OVERVIEW, NULL },
  { "pd.typec2Watts", N_("USB-C 2 output power"),
    T_INT, U_W, 1.0, GR_OVERVIEW, NULL },
  { "pd.typec1Temp", N_("USB-C 1 temperature"),
    T_INT, U_C, 1.0, GR_OVERVIEW, NULL },
  { "pd.typec2Temp", N_("USB-C 2 temperature"),
    T_INT, U_C, 1.0, GR_OVERVIEW, NULL },
  { "pd.carState", N_("Car output button"),
    T_BOOL, U_NONE, 1.0, GR_OVERVIEW, NULL },
  { "pd.carWatts", N_("Car socket power"),
    T_INT, U_W, 1.0, GR_OVERVIEW, NULL },
  { "pd.carTemp", N_("Car socket temperature"),
    T_INT, U_C, 1.0, GR_OVERVIEW, NULL },
  { "pd.standByMode", N_("Unit timeout"),
    T_INT, U_MIN, 1.0, GR_OVERVIEW, NULL,
    never_values },
  { "pd.lcdOffSec", N_("Screen timeout"),
    T_INT, U_S, 1.0, GR_OVERVIEW, NULL,
    never_values },
  { "pd.brightnessLevel", N_("Screen brightness level"),
    T_INT, U_NONE, 1.0, GR_OVERVIEW, NULL },
  { "pd.chgPowerDc", N_("Energy charged from DC adapters"),
    T_INT, U_WH, 1.0, GR_OVERVIEW, NULL },
  { "pd.chgSunPower", N_("Energy charged from solar"),
    T_INT, U_WH, 1.0, GR_OVERVIEW, NULL },
  { "pd.chgPowerAc", N_("Energy charged from AC"),
    T_INT, U_WH, 1.0, GR_OVERVIEW, NULL },
  { "pd.dsgPowerDc", N_("Energy discharged through DC"),
    T_INT, U_WH, 1.0, GR_OVERVIEW, NULL },
  { "pd.dsgPowerAc", N_("Energy discharged through AC"),
    T_INT, U_WH, 1.0, GR_OVERVIEW, NULL },
  { "pd.usbUsedTime", N_("USB use time"),
    T_INT, U_S, 1.0, GR_OVERVIEW, NULL },
  { "pd.usbqcUsedTime", N_("Fast-charge USB use time"),
    T_INT, U_S, 1.0, GR_OVERVIEW, NULL },
  { "pd.typccUsedTime", N_("USB-C use time"),
    T_INT, U_S, 1.0, GR_OVERVIEW, NULL },
  { "pd.carUsedTime", N_("Car output use time"),
    T_INT, U_S, 1.0, GR_OVERVIEW, NULL },
  { "pd.invUsedTime", N_("Inverter use time"),
    T_INT, U_S, 1.0, GR_OVERVIEW, NULL },
  { "pd.dcInUsedTime", N_("DC charging time"),
    T_INT, U_S, 1.0, GR_OVERVIEW, NULL },
  { "pd.mpptUsedTime", N_("Solar charging time"),
    T_INT, U_S, 1.0, GR_OVERVIEW, NULL },
  { "pd.extRj45Port", N_("RJ45 port"),
    T_INT, U_NONE, 1.0, GR_OVERVIEW, NULL },
  { "pd.ext3p8Port", N_("Infinity port"),
    T_INT, U_NONE, 1.0, GR_OVERVIEW, NULL },
  { "pd.ext4p8Port", N_("Extra battery port"),
    T_INT, U_NONE, 1.0, GR_OVERVIEW, NULL },
  { "pd.sysChgDsgState", N_("Charging state on screen"),
    T_ENUM, U_NONE, 1.0, GR_OVERVIEW, charge_discharge_values },
  { "pd.wifiRssi", N_("Wi-Fi signal strength"),
    T_INT, U_DBM, 1.0, GR_OVERVIEW, NULL },
  { "pd.wirelessWatts", N_("Wireless charging power"),
    T_INT, U_W, 1.0, GR_OVERVIEW, NULL },
  { "pd.lcdBrightness", N_("Screen brightness"),
    T_INT, U_PCT, 1.0, GR_OVERVIEW, NULL,
    brightness_special_values },
  /* not on the API page; a real device sends them */
  { "pd.bppowerSoc", N_("Backup reserve level"),
    T_INT, U_PCT, 1.0, GR_OVERVIEW, NULL },
  { "pd.acautooutConfig", N_("AC always on"),
    T_BOOL, U_NONE, 1.0, GR_OVERVIEW, NULL },

  /* pd.icon*: what the unit's own screen shows */
  { "pd.iconRechgTimeMode", N_("Charge icon mode"),
    T_ENUM, U_NONE, 1.0, GR_ICONS, icon_mode_values },
  { "pd.iconRechgTimeState", N_("Charge icon"),
    T_ENUM, U_NONE, 1.0, GR_ICONS, off_on_values },
  { "pd.iconFanMode", N_("Fan icon mode"),
    T_ENUM, U_NONE, 1.0, GR_ICONS, icon_mode_values },
  { "pd.iconFanState", N_("Fan icon"),
    T_ENUM, U_NONE, 1.0, GR_ICONS, fan_level_values },
  { "pd.iconBmsParallelMode", N_("Battery parallel icon mode"),
    T_ENUM, U_NONE, 1.0, GR_ICONS, icon_mode_values },
  { "pd.iconBmsParallelState", N_("Battery parallel icon"),
    T_ENUM, U_NONE, 1.0, GR_ICONS, off_on_values },
  { "pd.iconInvParallelMode", N_("Inverter parallel icon mode"),
    T_ENUM, U_NONE, 1.0, GR_ICONS, icon_mode_values },
  { "pd.iconInvParallelState", N_("Inverter parallel icon"),
    T_ENUM, U_NONE, 1.0, GR_ICONS, off_on_values },
  { "pd.iconAcFreqMode", N_("AC icon mode"),
    T_ENUM, U_NONE, 1.0, GR_ICONS, icon_mode_values },
  { "pd.iconAcFreqState", N_("AC icon"),
    T_ENUM, U_NONE, 1.0, GR_ICONS, icon_ac_freq_values },
  { "pd.iconSocUpsMode", N_("UPS icon mode"),
    T_ENUM, U_NONE, 1.0, GR_ICONS, icon_mode_values },
  { "pd.iconSocUpsState", N_("UPS icon"),
    T_ENUM, U_NONE, 1.0, GR_ICONS, off_on_values },
  { "pd.iconUsbMode", N_("USB icon mode"),
    T_ENUM, U_NONE, 1.0, GR_ICONS, icon_mode_values },
  { "pd.iconUsbState", N_("USB icon"),
    T_ENUM, U_NONE, 1.0, GR_ICONS, off_on_values },
  { "pd.iconTypecMode", N_("USB-C icon mode"),
    T_ENUM, U_NONE, 1.0, GR_ICONS, icon_mode_values },
  { "pd.iconTypecState", N_("USB-C icon"),
    T_ENUM, U_NONE, 1.0, GR_ICONS, off_on_values },
  { "pd.iconCarMode", N_("Car icon mode"),
    T_ENUM, U_NONE, 1.0, GR_ICONS, icon_mode_values },
  { "pd.iconCarState", N_("Car icon"),
    T_ENUM, U_NONE, 1.0, GR_ICONS, off_on_values },
  { "pd.iconWifiMode", N_("Wi-Fi icon mode"),
    T_ENUM, U_NONE, 1.0, GR_ICONS, icon_mode_values },
  { "pd.iconWifiState", N_("Wi-Fi icon"),
    T_ENUM, U_NONE, 1.0, GR_ICONS, off_on_values },
  { "pd.iconBmsErrMode", N_("Warning icon mode"),
    T_ENUM, U_NONE, 1.0, GR_ICONS, icon_mode_values },
  { "pd.iconBmsErrState", N_("Warning icon"),
    T_ENUM, U_NONE, 1.0, GR_ICONS, off_on_values },
  { "pd.iconOverloadMode", N_("Overload icon mode"),
    T_ENUM, U_NONE, 1.0, GR_ICONS, icon_mode_values },
  { "pd.iconOverloadState", N_("Overload icon"),
    T_ENUM, U_NONE, 1.0, GR_ICONS, off_on_values },
  { "pd.iconHiTempMode", N_("High temperature icon mode"),
    T_ENUM, U_NONE, 1.0, GR_ICONS, icon_mode_values },
  { "pd.iconHiTempState", N_("High temperature icon"),
    T_ENUM, U_NONE, 1.0, GR_ICONS, off_on_values },
  { "pd.iconLowTempMode", N_("Low temperature icon mode"),
    T_ENUM, U_NONE, 1.0, GR_ICONS, icon_mode_values },
  { "pd.iconLowTempState", N_("Low temperature icon"),
    T_ENUM, U_NONE, 1.0, GR_ICONS, off_on_values },
  { "pd.iconWirelessChgMode", N_("Wireless charging icon mode"),
    T_ENUM, U_NONE, 1.0, GR_ICONS, icon_mode_values },
  { "pd.iconWirelessChgState", N_("Wireless charging icon"),
    T_ENUM, U_NONE, 1.0, GR_ICONS, off_on_values },
  { "pd.iconPackHeaterMode", N_("Battery heater icon mode"),
    T_ENUM, U_NONE, 1.0, GR_ICONS, icon_mode_values },
  { "pd.iconPackHeaterState", N_("Battery heater icon"),
    T_ENUM, U_NONE, 1.0, GR_ICONS, off_on_values },
  { "pd.iconFactoryMode", N_("Factory icon mode"),
    T_ENUM, U_NONE, 1.0, GR_ICONS, icon_mode_values },
  { "pd.iconFactoryState", N_("Factory icon"),
    T_ENUM, U_NONE, 1.0, GR_ICONS, off_on_values },
  { "pd.iconBtMode", N_("Bluetooth icon mode"),
    T_ENUM, U_NONE, 1.0, GR_ICONS, icon_mode_values },
  { "pd.iconBtState", N_("Bluetooth icon"),
    T_ENUM, U_NONE, 1.0, GR_ICONS, off_on_values },
  { "pd.iconRcMode", N_("Remote control icon mode"),
    T_ENUM, U_NONE, 1.0, GR_ICONS, icon_mode_values },
  { "pd.iconRcState", N_("Remote control icon"),
    T_ENUM, U_NONE, 1.0, GR_ICONS, icon_remote_values },
  { "pd.iconChgStationMode", N_("Charging station icon mode"),
    T_ENUM, U_NONE, 1.0, GR_ICONS, icon_mode_values },
  { "pd.iconChgStationState", N_("Charging station icon"),
    T_ENUM, U_NONE, 1.0, GR_ICONS, off_on_values },
  { "pd.iconCoGasMode", N_("Carbon monoxide icon mode"),
    T_ENUM, U_NONE, 1.0, GR_ICONS, icon_mode_values },
  { "pd.iconCoGasState", N_("Carbon monoxide icon"),
    T_ENUM, U_NONE, 1.0, GR_ICONS, off_on_values },
  { "pd.iconTransSwMode", N_("Transfer switch icon mode"),
    T_ENUM, U_NONE, 1.0, GR_ICONS, icon_mode_values },
  { "pd.iconTransSwState", N_("Transfer switch icon"),
    T_ENUM, U_NONE, 1.0, GR_ICONS, off_on_values },
  { "pd.iconEcoMode", N_("ECO icon mode"),
    T_ENUM, U_NONE, 1.0, GR_ICONS, icon_mode_values },
  { "pd.iconEcoState", N_("ECO icon"),
    T_ENUM, U_NONE, 1.0, GR_ICONS, off_on_values },
  { "pd.iconWindGenMode", N_("Wind generator icon mode"),
    T_ENUM, U_NONE, 1.0, GR_ICONS, icon_mode_values },
  { "pd.iconWindGenState", N_("Wind generator icon"),
    T_ENUM, U_NONE, 1.0, GR_ICONS, off_on_values },
  { "pd.iconGasGenMode", N_("Fuel generator icon mode"),
    T_ENUM, U_NONE, 1.0, GR_ICONS, icon_mode_values },
  { "pd.iconGasGenState", N_("Fuel generator icon"),
    T_ENUM, U_NONE, 1.0, GR_ICONS, off_on_values },
  { "pd.iconSolarBracketMode", N_("Solar tracker icon mode"),
    T_ENUM, U_NONE, 1.0, GR_ICONS, icon_mode_values },
  { "pd.iconSolarBracketState", N_("Solar tracker icon"),
    T_ENUM, U_NONE, 1.0, GR_ICONS, off_on_values },
  { "pd.iconSolarPanelMode", N_("Solar panel icon mode"),
    T_ENUM, U_NONE, 1.0, GR_ICONS, icon_mode_values },
  { "pd.iconSolarPanelState", N_("Solar panel icon"),
    T_ENUM, U_NONE, 1.0, GR_ICONS, off_on_values },

  /* ems: the energy management system */
  { "ems.chgState", N_("Battery charging state"),
    T_INT, U_NONE, 1.0, GR_EMS, NULL },
  { "ems.chgCmd", N_("Charging allowed"),
    T_BOOL, U_NONE, 1.0, GR_EMS, NULL },
  { "ems.dsgCmd", N_("Discharging allowed"),
    T_BOOL, U_NONE, 1.0, GR_EMS, NULL },
  { "ems.chgVol", N_("Charging voltage"),
    T_INT, U_V, MILLI, GR_EMS, NULL },
  { "ems.chgAmp", N_("Charging current"),
    T_INT, U_A, MILLI, GR_EMS, NULL },
  { "ems.fanLevel", N_("Fan level"),
    T_INT, U_NONE, 1.0, GR_EMS, NULL },
  { "ems.maxChargeSoc", N_("Charge limit"),
    T_INT, U_PCT, 1.0, GR_EMS, NULL },
  { "ems.bmsModel", N_("Battery model"),
    T_INT, U_NONE, 1.0, GR_EMS, NULL },
  { "ems.lcdShowSoc", N_("Charge level on screen"),
    T_INT, U_PCT, 1.0, GR_EMS, NULL },
  { "ems.openUpsFlag", N_("UPS mode"),
    T_BOOL, U_NONE, 1.0, GR_EMS, NULL },
  { "ems.bmsWarningState", N_("Battery warnings"),
    T_BITS, U_NONE, 1.0, GR_EMS, NULL,
    NULL, bms_warning_bits },
  { "ems.chgRemainTime", N_("Time to full"),
    T_INT, U_MIN, 1.0, GR_EMS, NULL },
  { "ems.dsgRemainTime", N_("Time to empty"),
    T_INT, U_MIN, 1.0, GR_EMS, NULL },
  { "ems.emsIsNormalFlag", N_("Energy manager state"),
    T_ENUM, U_NONE, 1.0, GR_EMS, ems_state_values },
  { "ems.f32LcdShowSoc", N_("Charge level on screen (precise)"),
    T_FLOAT, U_PCT, 1.0, GR_EMS, NULL },
  { "ems.bms0Online", N_("Main battery connection"),
    T_ENUM, U_NONE, 1.0, GR_EMS, bms_online_values },
  { "ems.bms1Online", N_("Extra battery 1 connection"),
    T_ENUM, U_NONE, 1.0, GR_EMS, bms_online_values },
  { "ems.bms2Online", N_("Extra battery 2 connection"),
    T_ENUM, U_NONE, 1.0, GR_EMS, bms_online_values },
  { "ems.maxAvailableNum", N_("Usable batteries"),
    T_INT, U_NONE, 1.0, GR_EMS, NULL },
  { "ems.openBmsIdx", N_("Enabled batteries"),
    T_BITS, U_NONE, 1.0, GR_EMS, NULL,
    NULL, battery_pack_bits },
  { "ems.paraVolMin", N_("Lowest parallel voltage"),
    T_INT, U_V, MILLI, GR_EMS, NULL },
  { "ems.paraVolMax", N_("Highest parallel voltage"),
    T_INT, U_V, MILLI, GR_EMS, NULL },
  { "ems.minDsgSoc", N_("Discharge limit"),
    T_INT, U_PCT, 1.0, GR_EMS, NULL },
  { "ems.minOpenOilEbSoc", N_("Generator auto start level"),
    T_INT, U_PCT, 1.0, GR_EMS, NULL },
  { "ems.maxCloseOilEbSoc", N_("Generator auto stop level"),
    T_INT, U_PCT, 1.0, GR_EMS, NULL },

  /* bmsSlave1, bmsSlave2: extra batteries, present when ems.bms1Online / ems.bms2Online say so */
  { "bmsSlave1.soc", N_("Extra battery 1 charge"),
    T_INT, U_PCT, 1.0, GR_EXTRA, NULL },
  { "bmsSlave1.f32ShowSoc", N_("Extra battery 1 charge (precise)"),
    T_FLOAT, U_PCT, 1.0, GR_EXTRA, NULL },
  { "bmsSlave1.temp", N_("Extra battery 1 temperature"),
    T_INT, U_C, 1.0, GR_EXTRA, NULL },
  { "bmsSlave1.vol", N_("Extra battery 1 voltage"),
    T_INT, U_V, MILLI, GR_EXTRA, NULL },
  { "bmsSlave1.amp", N_("Extra battery 1 current"),
    T_INT, U_A, MILLI, GR_EXTRA, NULL },
  { "bmsSlave1.inputWatts", N_("Extra battery 1 input power"),
    T_INT, U_W, 1.0, GR_EXTRA, NULL },
  { "bmsSlave1.outputWatts", N_("Extra battery 1 output power"),
    T_INT, U_W, 1.0, GR_EXTRA, NULL },
  { "bmsSlave1.remainCap", N_("Extra battery 1 remaining capacity"),
    T_INT, U_MAH, 1.0, GR_EXTRA, NULL },
  { "bmsSlave1.fullCap", N_("Extra battery 1 full capacity"),
    T_INT, U_MAH, 1.0, GR_EXTRA, NULL },
  { "bmsSlave1.designCap", N_("Extra battery 1 design capacity"),
    T_INT, U_MAH, 1.0, GR_EXTRA, NULL },
  { "bmsSlave1.soh", N_("Extra battery 1 health"),
    T_INT, U_PCT, 1.0, GR_EXTRA, NULL },
  { "bmsSlave1.cycles", N_("Extra battery 1 charge cycles"),
    T_INT, U_NONE, 1.0, GR_EXTRA, NULL },
  { "bmsSlave1.maxCellTemp", N_("Extra battery 1 highest cell temperature"),
    T_INT, U_C, 1.0, GR_EXTRA, NULL },
  { "bmsSlave1.minCellTemp", N_("Extra battery 1 lowest cell temperature"),
    T_INT, U_C, 1.0, GR_EXTRA, NULL },
  { "bmsSlave1.maxCellVol", N_("Extra battery 1 highest cell voltage"),
    T_INT, U_V, MILLI, GR_EXTRA, NULL },
  { "bmsSlave1.minCellVol", N_("Extra battery 1 lowest cell voltage"),
    T_INT, U_V, MILLI, GR_EXTRA, NULL },
  { "bmsSlave1.remainTime", N_("Extra battery 1 time remaining"),
    T_INT, U_MIN, 1.0, GR_EXTRA, NULL },
  { "bmsSlave2.soc", N_("Extra battery 2 charge"),
    T_INT, U_PCT, 1.0, GR_EXTRA, NULL },
  { "bmsSlave2.f32ShowSoc", N_("Extra battery 2 charge (precise)"),
    T_FLOAT, U_PCT, 1.0, GR_EXTRA, NULL },
  { "bmsSlave2.temp", N_("Extra battery 2 temperature"),
    T_INT, U_C, 1.0, GR_EXTRA, NULL },
  { "bmsSlave2.vol", N_("Extra battery 2 voltage"),
    T_INT, U_V, MILLI, GR_EXTRA, NULL },
  { "bmsSlave2.amp", N_("Extra battery 2 current"),
    T_INT, U_A, MILLI, GR_EXTRA, NULL },
  { "bmsSlave2.inputWatts", N_("Extra battery 2 input power"),
    T_INT, U_W, 1.0, GR_EXTRA, NULL },
  { "bmsSlave2.outputWatts", N_("Extra battery 2 output power"),
    T_INT, U_W, 1.0, GR_EXTRA, NULL },
  { "bmsSlave2.remainCap", N_("Extra battery 2 remaining capacity"),
    T_INT, U_MAH, 1.0, GR_EXTRA, NULL },
  { "bmsSlave2.fullCap", N_("Extra battery 2 full capacity"),
    T_INT, U_MAH, 1.0, GR_EXTRA, NULL },
  { "bmsSlave2.designCap", N_("Extra battery 2 design capacity"),
    T_INT, U_MAH, 1.0, GR_EXTRA, NULL },
  { "bmsSlave2.soh", N_("Extra battery 2 health"),
    T_INT, U_PCT, 1.0, GR_EXTRA, NULL },
  { "bmsSlave2.cycles", N_("Extra battery 2 charge cycles"),
    T_INT, U_NONE, 1.0, GR_EXTRA, NULL },
  { "bmsSlave2.maxCellTemp", N_("Extra battery 2 highest cell temperature"),
    T_INT, U_C, 1.0, GR_EXTRA, NULL },
  { "bmsSlave2.minCellTemp", N_("Extra battery 2 lowest cell temperature"),
    T_INT, U_C, 1.0, GR_EXTRA, NULL },
  { "bmsSlave2.maxCellVol", N_("Extra battery 2 highest cell voltage"),
    T_INT, U_V, MILLI, GR_EXTRA, NULL },
  { "bmsSlave2.minCellVol", N_("Extra battery 2 lowest cell voltage"),
    T_INT, U_V, MILLI, GR_EXTRA, NULL },
  { "bmsSlave2.remainTime", N_("Extra battery 2 time remaining"),
    T_INT, U_MIN, 1.0, GR_EXTRA, NULL },
};

/* Options of the settings; wire values as the device takes them. */

static const JuiceEnumValue car_input_current_options[] = {
  { 4000, N_("4 A"), "4a" },
  { 6000, N_("6 A"), "6a" },
  { 8000, N_("8 A"), "8a" },
  { 0, NULL, NULL }
};

static const JuiceEnumValue screen_brightness_options[] = {
  { 128, N_("Automatic"), "auto" },
  { 0, NULL, NULL }
};

static const JuiceEnumValue screen_timeout_options[] = {
  { 0, N_("Never"), "never" },
  { 10, N_("10 seconds"), "10s" },
  { 30, N_("30 seconds"), "30s" },
  { 60, N_("1 minute"), "1m" },
  { 300, N_("5 minutes"), "5m" },
  { 1800, N_("30 minutes"), "30m" },
  { 0, NULL, NULL }
};

static const JuiceEnumValue unit_timeout_options[] = {
  { 0, N_("Never"), "never" },
  { 30, N_("30 minutes"), "30m" },
  { 60, N_("1 hour"), "1h" },
  { 120, N_("2 hours"), "2h" },
  { 360, N_("6 hours"), "6h" },
  { 720, N_("12 hours"), "12h" },
  { 0, NULL, NULL }
};

static const JuiceEnumValue ac_standby_options[] = {
  { 0, N_("Never"), "never" },
  { 30, N_("30 minutes"), "30m" },
  { 60, N_("1 hour"), "1h" },
  { 120, N_("2 hours"), "2h" },
  { 240, N_("4 hours"), "4h" },
  { 360, N_("6 hours"), "6h" },
  { 720, N_("12 hours"), "12h" },
  { 1440, N_("24 hours"), "24h" },
  { 0, NULL, NULL }
};

/* DESIGN.md §4. Every command is cmdSet 32. */
static const JuiceSettingInfo delta_pro_settings[] = {
  {
    .name = "ac-output",
    .label = N_("AC output"),
    .description = N_("The AC sockets on the front of the unit"),
    .group = JUICE_SETTING_GROUP_OUTPUTS,
    .kind = JUICE_SETTING_SWITCH,
    .cmd_set = 32, .cmd_id = 66,
    .param = "enabled",
    .readback_key = "inv.cfgAcEnabled",
    .companion_param = "xboost",
    .companion_key = "inv.cfgAcXboost",
    /* API page, inv.cfgAcXboost: "0xff: ignored" */
    .has_companion_keep = TRUE, .companion_keep = 0xff,
    .min = 0, .max = 1, .step = 1,
  },
  {
    .name = "x-boost",
    .label = N_("X-Boost"),
    .description = N_("Run devices above the inverter's rating at a lower voltage"),
    .group = JUICE_SETTING_GROUP_OUTPUTS,
    .kind = JUICE_SETTING_SWITCH,
    .cmd_set = 32, .cmd_id = 66,
    .param = "xboost",
    .readback_key = "inv.cfgAcXboost",
    .companion_param = "enabled",
    .companion_key = "inv.cfgAcEnabled",
    .min = 0, .max = 1, .step = 1,
  },
  {
    .name = "car-output",
    .label = N_("12 V car output"),
    .description = N_("The car socket and the 12 V DC outputs"),
    .group = JUICE_SETTING_GROUP_OUTPUTS,
    .kind = JUICE_SETTING_SWITCH,
    .cmd_set = 32, .cmd_id = 81,
    .param = "enabled",
    .readback_key = "mppt.carState",
    .min = 0, .max = 1, .step = 1,
  },
  {
    .name = "charge-limit",
    .label = N_("Charge limit"),
    .description = N_("Stop charging when the battery reaches this level"),
    .group = JUICE_SETTING_GROUP_BATTERY_LIMITS,
    .kind = JUICE_SETTING_RANGE,
    .cmd_set = 32, .cmd_id = 49,
    .param = "maxChgSoc",
    .readback_key = "ems.maxChargeSoc",
    .min = 50, .max = 100, .step = 1,
    .unit = JUICE_UNIT_PERCENT,
  },
  {
    .name = "discharge-limit",
    .label = N_("Discharge limit"),
    .description = N_("Stop discharging when the battery falls to this level"),
    .group = JUICE_SETTING_GROUP_BATTERY_LIMITS,
    .kind = JUICE_SETTING_RANGE,
    .cmd_set = 32, .cmd_id = 51,
    .param = "minDsgSoc",
    .readback_key = "ems.minDsgSoc",
    .min = 0, .max = 30, .step = 1,
    .unit = JUICE_UNIT_PERCENT,
  },
  {
    .name = "car-input-current",
    .label = N_("Car input current"),
    .description = N_("Largest current drawn when charging from a car socket"),
    .group = JUICE_SETTING_GROUP_CHARGING,
    .kind = JUICE_SETTING_CHOICE,
    .cmd_set = 32, .cmd_id = 71,
    .param = "currMa",
    .readback_key = "mppt.cfgDcChgCurrent",
    .options = car_input_current_options,
  },
  {
    .name = "beep",
    .label = N_("Beep"),
    .description = N_("Sound a beep on button presses and alerts"),
    .group = JUICE_SETTING_GROUP_DISPLAY,
    .kind = JUICE_SETTING_SWITCH,
    .cmd_set = 32, .cmd_id = 38,
    .param = "enabled",
    .readback_key = "pd.beepState",
    .min = 0, .max = 1, .step = 1,
    /* pd.beepState is 0 normal, 1 quiet: beeping is wire value 0 */
    .inverted = TRUE,
  },
  {
    .name = "screen-brightness",
    .label = N_("Screen brightness"),
    .description = N_("Brightness of the unit's screen, or automatic"),
    .group = JUICE_SETTING_GROUP_DISPLAY,
    .kind = JUICE_SETTING_RANGE,
    .cmd_set = 32, .cmd_id = 39,
    .param = "lcdBrightness",
    .readback_key = "pd.lcdBrightness",
    .min = 0, .max = 100, .step = 1,
    .unit = JUICE_UNIT_PERCENT,
    .options = screen_brightness_options,
  },
  {
    .name = "screen-timeout",
    .label = N_("Screen timeout"),
    .description = N_("Turn the unit's screen off after this long without use"),
    .group = JUICE_SETTING_GROUP_DISPLAY,
    .kind = JUICE_SETTING_CHOICE,
    .cmd_set = 32, .cmd_id = 39,
    .param = "lcdTime",
    .readback_key = "pd.lcdOffSec",
    .unit = JUICE_UNIT_SECOND,
    .options = screen_timeout_options,
  },
  {
    .name = "unit-timeout",
    .label = N_("Unit timeout"),
    .description = N_("Switch the whole unit off after this long without load"),
    .group = JUICE_SETTING_GROUP_POWER_SAVING,
    .kind = JUICE_SETTING_CHOICE,
    .cmd_set = 32, .cmd_id = 33,
    .param = "standByMode",
    .readback_key = "pd.standByMode",
    .unit = JUICE_UNIT_MINUTE,
    .options = unit_timeout_options,
  },
  {
    .name = "ac-standby",
    .label = N_("AC standby"),
    .description = N_("Switch the AC output off after this long without load"),
    .group = JUICE_SETTING_GROUP_POWER_SAVING,
    .kind = JUICE_SETTING_CHOICE,
    .cmd_set = 32, .cmd_id = 153,
    .param = "standByMins",
    .readback_key = "inv.cfgStandbyMin",
    .unit = JUICE_UNIT_MINUTE,
    .options = ac_standby_options,
  },
  {
    .name = "ac-charging-power",
    .label = N_("AC charging power"),
    .description = N_("Largest power drawn from the wall socket when charging"),
    .group = JUICE_SETTING_GROUP_CHARGING,
    .kind = JUICE_SETTING_RANGE,
    .cmd_set = 32, .cmd_id = 69,
    .param = "slowChgPower",
    .readback_key = "inv.cfgSlowChgWatts",
    .min = 200, .max = 2900, .step = 100,
    .unit = JUICE_UNIT_WATT,
  },
  {
    .name = "pv-charging-type",
    .label = N_("Solar input type"),
    .description = N_("What the solar input expects: detect it, solar panels or a DC adapter"),
    .group = JUICE_SETTING_GROUP_CHARGING,
    .kind = JUICE_SETTING_CHOICE,
    .cmd_set = 32, .cmd_id = 82,
    .param = "chgType",
    .readback_key = "mppt.cfgChgType",
    .options = pv_charging_type_values,
  },
  {
    .name = "bypass-ac-auto-start",
    .label = N_("Bypass AC auto start"),
    .description = N_("Pass wall power through to the AC output as soon as it is plugged in"),
    .group = JUICE_SETTING_GROUP_OUTPUTS,
    .kind = JUICE_SETTING_SWITCH,
    .cmd_set = 32, .cmd_id = 84,
    .param = "enabled",
    .readback_key = "inv.acPassbyAutoEn",
    .min = 0, .max = 1, .step = 1,
  },
  {
    .name = "generator-auto-on",
    .label = N_("Generator auto start below"),
    .description = N_("Start a connected smart generator when the battery falls to this level"),
    .group = JUICE_SETTING_GROUP_GENERATOR,
    .kind = JUICE_SETTING_RANGE,
    .cmd_set = 32, .cmd_id = 52,
    .param = "openOilSoc",
    .readback_key = "ems.minOpenOilEbSoc",
    .min = 0, .max = 30, .step = 1,
    .unit = JUICE_UNIT_PERCENT,
  },
  {
    .name = "generator-auto-off",
    .label = N_("Generator auto stop above"),
    .description = N_("Stop a connected smart generator when the battery reaches this level"),
    .group = JUICE_SETTING_GROUP_GENERATOR,
    .kind = JUICE_SETTING_RANGE,
    .cmd_set = 32, .cmd_id = 53,
    .param = "closeOilSoc",
    .readback_key = "ems.maxCloseOilEbSoc",
    .min = 50, .max = 100, .step = 1,
    .unit = JUICE_UNIT_PERCENT,
  },
};

static const JuiceDeviceProfile delta_pro_profile = {
  .product = "DELTA Pro",
  .sn_prefix = "DCAB",
  .quotas = delta_pro_quotas,
  .n_quotas = G_N_ELEMENTS (delta_pro_quotas),
  .settings = delta_pro_settings,
  .n_settings = G_N_ELEMENTS (delta_pro_settings),
};

const JuiceDeviceProfile *
juice_device_profile_delta_pro (void)
{
  return &delta_pro_profile;
}
