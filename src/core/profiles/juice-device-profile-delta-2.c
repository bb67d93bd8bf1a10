/* juice-device-profile-delta-2.c: the EcoFlow DELTA 2 and DELTA 2 Max
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * From the DELTA 2 notes (products/delta-2.md in the project's shared
 * documents): every key of a real DELTA 2's quota/all (data/simulator/
 * delta-2-quota-all.json, 211 keys) plus the extra battery's bms_slave.*
 * keys, and the 17 commands of the Open API for it.
 *
 * The DELTA 2 speaks the operateType dialect: a command is picked by a
 * top-level moduleType (1 PD, 2 BMS/EMS, 3 inverter, 5 MPPT) and an
 * operateType string, and MQTT reports come in typeCode groups whose keys
 * lack the prefix quota/all gives them.
 *
 * Scales follow the fixture: the inverter gives its configured AC voltage
 * in mV (inv.cfgAcOutVol 230000) and its frequency as an enum (1 = 50 Hz),
 * the solar charger the same settings in V and Hz (230, 50).
 */

#define G_LOG_DOMAIN "juice-profile"

#include <glib/gi18n.h>

#include "juice-device-profile.h"

#define T_INT   JUICE_QUOTA_INTEGER
#define T_FLOAT JUICE_QUOTA_FLOAT
#define T_ENUM  JUICE_QUOTA_ENUM
#define T_BOOL  JUICE_QUOTA_BOOLEAN
#define T_BITS  JUICE_QUOTA_BITS
#define T_ARRAY JUICE_QUOTA_ARRAY
#define T_TEXT  JUICE_QUOTA_TEXT

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
#define GR_OTHER    JUICE_QUOTA_GROUP_OTHER

#define H_NONE      JUICE_QUOTA_HINT_NONE
#define H_VERSION   JUICE_QUOTA_HINT_VERSION
#define H_TIME_LEFT JUICE_QUOTA_HINT_TIME_LEFT
#define H_TEXT      JUICE_QUOTA_HINT_TEXT_BYTES

#define MILLI 0.001

/* Enum meanings, as the DELTA 2 notes give them. */

static const JuiceEnumValue beep_values[] = {
  { 0, N_("Normal"), "normal" },
  { 1, N_("Quiet"), "quiet" },
  { 0, NULL, NULL }
};

static const JuiceEnumValue chg_dsg_values[] = {
  { 0, N_("Discharging"), "discharging" },
  { 1, N_("Charging"), "charging" },
  { 0, NULL, NULL }
};

static const JuiceEnumValue charger_type_values[] = {
  { 0, N_("None"), "none" },
  { 1, N_("AC"), "ac" },
  { 2, N_("DC adapter"), "dc" },
  { 3, N_("Solar"), "solar" },
  { 4, N_("CC"), "cc" },
  { 5, N_("BC"), "bc" },
  { 0, NULL, NULL }
};

static const JuiceEnumValue ext3p8_values[] = {
  { 0, N_("None"), "none" },
  { 1, N_("CC"), "cc" },
  { 2, N_("PR"), "pr" },
  { 3, N_("SP or BC"), "sp" },
  { 0, NULL, NULL }
};

static const JuiceEnumValue ext4p8_values[] = {
  { 0, N_("None"), "none" },
  { 1, N_("Extra battery"), "battery" },
  { 2, N_("Smart generator"), "generator" },
  { 0, NULL, NULL }
};

static const JuiceEnumValue rj45_values[] = {
  { 0, N_("None"), "none" },
  { 1, N_("Remote control"), "rc" },
  { 0, NULL, NULL }
};

static const JuiceEnumValue wifi_recovery_values[] = {
  { 0, N_("Station"), "sta" },
  { 1, N_("Last mode"), "last" },
  { 0, NULL, NULL }
};

static const JuiceEnumValue cell_id_values[] = {
  { 1, N_("2.5 Ah cells"), "2.5ah" },
  { 2, N_("2 Ah cells"), "2ah" },
  { 0, NULL, NULL }
};

static const JuiceEnumValue battery_type_values[] = {
  { 1, N_("Lithium"), "lithium" },
  { 2, N_("Oil"), "oil" },
  { 0, NULL, NULL }
};

static const JuiceEnumValue ems_chg_state_values[] = {
  { 0, N_("Off"), "off" },
  { 1, N_("Constant current"), "cc" },
  { 2, N_("Constant voltage"), "cv" },
  { 3, N_("UPS"), "ups" },
  { 4, N_("Parallel"), "parallel" },
  { 0x55, N_("Error"), "error" },
  { 0, NULL, NULL }
};

static const JuiceEnumValue ems_normal_values[] = {
  { 0, N_("Sleeping"), "sleep" },
  { 1, N_("Normal"), "normal" },
  { 0, NULL, NULL }
};

static const JuiceEnumValue ac_freq_values[] = {
  { 1, N_("50 Hz"), "50hz" },
  { 2, N_("60 Hz"), "60hz" },
  { 0, NULL, NULL }
};

static const JuiceEnumValue ac_work_mode_values[] = {
  { 0, N_("Full power"), "full" },
  { 1, N_("Quiet"), "quiet" },
  { 0, NULL, NULL }
};

static const JuiceEnumValue dip_switch_values[] = {
  { 0, N_("Unknown"), "unknown" },
  { 1, N_("Fast"), "fast" },
  { 2, N_("Slow"), "slow" },
  { 0, NULL, NULL }
};

static const JuiceEnumValue discharge_type_values[] = {
  { 0, N_("None"), "none" },
  { 1, N_("AC"), "ac" },
  { 2, N_("PR"), "pr" },
  { 3, N_("BC"), "bc" },
  { 0, NULL, NULL }
};

static const JuiceEnumValue fan_state_values[] = {
  { 0, N_("Off"), "off" },
  { 1, N_("Level 1"), "1" },
  { 2, N_("Level 2"), "2" },
  { 3, N_("Level 3"), "3" },
  { 0, NULL, NULL }
};

static const JuiceEnumValue mppt_chg_type_values[] = {
  { 0, N_("None"), "none" },
  { 1, N_("Adapter"), "adapter" },
  { 2, N_("Solar"), "solar" },
  { 3, N_("AC"), "ac" },
  { 4, N_("Gas"), "gas" },
  { 5, N_("Wind"), "wind" },
  { 0, NULL, NULL }
};

static const JuiceEnumValue cfg_chg_type_values[] = {
  { 0, N_("Automatic"), "auto" },
  { 1, N_("Solar (MPPT)"), "mppt" },
  { 2, N_("DC adapter"), "adapter" },
  { 0, NULL, NULL }
};

static const JuiceEnumValue mppt_chg_state_values[] = {
  { 0, N_("Off"), "off" },
  { 1, N_("Charging"), "charging" },
  { 2, N_("Standby"), "standby" },
  { 0, NULL, NULL }
};

static const JuiceEnumValue never_values[] = {
  { 0, N_("Never"), "never" },
  { 0, NULL, NULL }
};

static const JuiceEnumValue not_available_values[] = {
  { 65535, N_("Not available"), "n/a" },
  { 4294967295, N_("Not available"), "n/a" },
  { 0, NULL, NULL }
};

/* Quota keys, sorted. */
static const JuiceQuotaInfo delta_2_quotas[] = {
  { "bms_bmsStatus.OCV", N_("Open-circuit voltage"),
    T_INT, U_V, MILLI, GR_BATTERY, NULL,
    NULL, NULL, H_NONE },
  { "bms_bmsStatus.actSoc", N_("Actual charge"),
    T_INT, U_PCT, 1.0, GR_BATTERY, NULL,
    NULL, NULL, H_NONE },
  { "bms_bmsStatus.allBmsFault", N_("All faults"),
    T_BITS, U_NONE, 1.0, GR_BATTERY, NULL,
    NULL, NULL, H_NONE },
  { "bms_bmsStatus.allErrCode", N_("All error codes"),
    T_BITS, U_NONE, 1.0, GR_BATTERY, NULL,
    NULL, NULL, H_NONE },
  { "bms_bmsStatus.amp", N_("Current"),
    T_INT, U_A, MILLI, GR_BATTERY, NULL,
    NULL, NULL, H_NONE },
  { "bms_bmsStatus.balanceState", N_("Cell balancing"),
    T_INT, U_NONE, 1.0, GR_BATTERY, NULL,
    NULL, NULL, H_NONE },
  { "bms_bmsStatus.bmsFault", N_("Fault"),
    T_BITS, U_NONE, 1.0, GR_BATTERY, NULL,
    NULL, NULL, H_NONE },
  { "bms_bmsStatus.bmsHeartVer", N_("Heartbeat version"),
    T_INT, U_NONE, 1.0, GR_BATTERY, NULL,
    NULL, NULL, H_NONE },
  { "bms_bmsStatus.bqSysStatReg", N_("Protection register"),
    T_BITS, U_NONE, 1.0, GR_BATTERY, NULL,
    NULL, NULL, H_NONE },
  { "bms_bmsStatus.caleSoh", N_("Health (calculated)"),
    T_INT, U_PCT, 1.0, GR_BATTERY, NULL,
    NULL, NULL, H_NONE },
  { "bms_bmsStatus.cellId", N_("Cell type"),
    T_ENUM, U_NONE, 1.0, GR_BATTERY, cell_id_values,
    NULL, NULL, H_NONE },
  { "bms_bmsStatus.cellTemp", N_("Cell temperatures"),
    T_ARRAY, U_C, 1.0, GR_BATTERY, NULL,
    NULL, NULL, H_NONE },
  { "bms_bmsStatus.cellVol", N_("Cell voltages"),
    T_ARRAY, U_V, MILLI, GR_BATTERY, NULL,
    NULL, NULL, H_NONE },
  { "bms_bmsStatus.chgCap", N_("Charged capacity"),
    T_INT, U_MAH, 1.0, GR_BATTERY, NULL,
    not_available_values, NULL, H_NONE },
  { "bms_bmsStatus.chgState", N_("Charging state"),
    T_INT, U_NONE, 1.0, GR_BATTERY, NULL,
    NULL, NULL, H_NONE },
  { "bms_bmsStatus.cycSoh", N_("Health (cycle count)"),
    T_INT, U_NONE, 1.0, GR_BATTERY, NULL,
    NULL, NULL, H_NONE },
  { "bms_bmsStatus.cycles", N_("Charge cycles"),
    T_INT, U_NONE, 1.0, GR_BATTERY, NULL,
    NULL, NULL, H_NONE },
  { "bms_bmsStatus.designCap", N_("Design capacity"),
    T_INT, U_MAH, 1.0, GR_BATTERY, NULL,
    NULL, NULL, H_NONE },
  { "bms_bmsStatus.diffSoc", N_("Charge difference"),
    T_FLOAT, U_PCT, 1.0, GR_BATTERY, NULL,
    NULL, NULL, H_NONE },
  { "bms_bmsStatus.dsgCap", N_("Discharged capacity"),
    T_INT, U_MAH, 1.0, GR_BATTERY, NULL,
    not_available_values, NULL, H_NONE },
  { "bms_bmsStatus.ecloudOcv", N_("Open-circuit voltage (cloud)"),
    T_INT, U_V, MILLI, GR_BATTERY, NULL,
    not_available_values, NULL, H_NONE },
  { "bms_bmsStatus.errCode", N_("Error code"),
    T_BITS, U_NONE, 1.0, GR_BATTERY, NULL,
    NULL, NULL, H_NONE },
  { "bms_bmsStatus.f32ShowSoc", N_("Charge (precise)"),
    T_FLOAT, U_PCT, 1.0, GR_BATTERY, NULL,
    NULL, NULL, H_NONE },
  { "bms_bmsStatus.fullCap", N_("Full capacity"),
    T_INT, U_MAH, 1.0, GR_BATTERY, NULL,
    NULL, NULL, H_NONE },
  { "bms_bmsStatus.hwVersion", N_("Hardware version"),
    T_ARRAY, U_NONE, 1.0, GR_BATTERY, NULL,
    NULL, NULL, H_TEXT },
  { "bms_bmsStatus.inputWatts", N_("Input"),
    T_INT, U_W, 1.0, GR_BATTERY, NULL,
    NULL, NULL, H_NONE },
  { "bms_bmsStatus.loaderVer", N_("Boot loader version"),
    T_INT, U_NONE, 1.0, GR_BATTERY, NULL,
    NULL, NULL, H_VERSION },
  { "bms_bmsStatus.maxCellTemp", N_("Highest cell temperature"),
    T_INT, U_C, 1.0, GR_BATTERY, NULL,
    NULL, NULL, H_NONE },
  { "bms_bmsStatus.maxCellVol", N_("Highest cell voltage"),
    T_INT, U_V, MILLI, GR_BATTERY, NULL,
    NULL, NULL, H_NONE },
  { "bms_bmsStatus.maxMosTemp", N_("Highest MOSFET temperature"),
    T_INT, U_C, 1.0, GR_BATTERY, NULL,
    NULL, NULL, H_NONE },
  { "bms_bmsStatus.maxVolDiff", N_("Largest cell voltage difference"),
    T_INT, U_V, MILLI, GR_BATTERY, NULL,
    NULL, NULL, H_NONE },
  { "bms_bmsStatus.minCellTemp", N_("Lowest cell temperature"),
    T_INT, U_C, 1.0, GR_BATTERY, NULL,
    NULL, NULL, H_NONE },
  { "bms_bmsStatus.minCellVol", N_("Lowest cell voltage"),
    T_INT, U_V, MILLI, GR_BATTERY, NULL,
    NULL, NULL, H_NONE },
  { "bms_bmsStatus.minMosTemp", N_("Lowest MOSFET temperature"),
    T_INT, U_C, 1.0, GR_BATTERY, NULL,
    NULL, NULL, H_NONE },
  { "bms_bmsStatus.mosState", N_("MOSFET state"),
    T_INT, U_NONE, 1.0, GR_BATTERY, NULL,
    NULL, NULL, H_NONE },
  { "bms_bmsStatus.num", N_("Pack number"),
    T_INT, U_NONE, 1.0, GR_BATTERY, NULL,
    NULL, NULL, H_NONE },
  { "bms_bmsStatus.openBmsIdx", N_("Pack enabled"),
    T_BOOL, U_NONE, 1.0, GR_BATTERY, NULL,
    NULL, NULL, H_NONE },
  { "bms_bmsStatus.outputWatts", N_("Output"),
    T_INT, U_W, 1.0, GR_BATTERY, NULL,
    NULL, NULL, H_NONE },
  { "bms_bmsStatus.packSn", N_("Battery serial number"),
    T_TEXT, U_NONE, 1.0, GR_BATTERY, NULL,
    NULL, NULL, H_NONE },
  { "bms_bmsStatus.productDetail", N_("Product detail"),
    T_INT, U_NONE, 1.0, GR_BATTERY, NULL,
    NULL, NULL, H_NONE },
  { "bms_bmsStatus.productType", N_("Product type"),
    T_INT, U_NONE, 1.0, GR_BATTERY, NULL,
    NULL, NULL, H_NONE },
  { "bms_bmsStatus.realSoh", N_("Health (measured)"),
    T_INT, U_PCT, 1.0, GR_BATTERY, NULL,
    NULL, NULL, H_NONE },
  { "bms_bmsStatus.remainCap", N_("Remaining capacity"),
    T_INT, U_MAH, 1.0, GR_BATTERY, NULL,
    NULL, NULL, H_NONE },
  { "bms_bmsStatus.remainTime", N_("Time left"),
    T_INT, U_MIN, 1.0, GR_BATTERY, NULL,
    NULL, NULL, H_NONE },
  { "bms_bmsStatus.soc", N_("Charge"),
    T_INT, U_PCT, 1.0, GR_BATTERY, NULL,
    NULL, NULL, H_NONE },
  { "bms_bmsStatus.soh", N_("Health"),
    T_INT, U_PCT, 1.0, GR_BATTERY, NULL,
    NULL, NULL, H_NONE },
  { "bms_bmsStatus.sysState", N_("System state"),
    T_INT, U_NONE, 1.0, GR_BATTERY, NULL,
    NULL, NULL, H_NONE },
  { "bms_bmsStatus.sysVer", N_("Firmware version"),
    T_INT, U_NONE, 1.0, GR_BATTERY, NULL,
    NULL, NULL, H_VERSION },
  { "bms_bmsStatus.tagChgAmp", N_("Target charging current"),
    T_INT, U_A, MILLI, GR_BATTERY, NULL,
    NULL, NULL, H_NONE },
  { "bms_bmsStatus.targetSoc", N_("Target charge"),
    T_FLOAT, U_PCT, 1.0, GR_BATTERY, NULL,
    NULL, NULL, H_NONE },
  { "bms_bmsStatus.temp", N_("Temperature"),
    T_INT, U_C, 1.0, GR_BATTERY, NULL,
    NULL, NULL, H_NONE },
  { "bms_bmsStatus.type", N_("Battery type"),
    T_ENUM, U_NONE, 1.0, GR_BATTERY, battery_type_values,
    NULL, NULL, H_NONE },
  { "bms_bmsStatus.vol", N_("Voltage"),
    T_INT, U_V, MILLI, GR_BATTERY, NULL,
    NULL, NULL, H_NONE },
  { "bms_emsStatus.bmsIsConnt", N_("Battery packs connected"),
    T_ARRAY, U_NONE, 1.0, GR_EMS, NULL,
    NULL, NULL, H_NONE },
  { "bms_emsStatus.bmsModel", N_("Battery model"),
    T_INT, U_NONE, 1.0, GR_EMS, NULL,
    NULL, NULL, H_NONE },
  { "bms_emsStatus.bmsWarState", N_("Battery warnings"),
    T_BITS, U_NONE, 1.0, GR_EMS, NULL,
    NULL, NULL, H_NONE },
  { "bms_emsStatus.chgAmp", N_("Charging current"),
    T_INT, U_A, MILLI, GR_EMS, NULL,
    NULL, NULL, H_NONE },
  { "bms_emsStatus.chgCmd", N_("Charging allowed"),
    T_BOOL, U_NONE, 1.0, GR_EMS, NULL,
    NULL, NULL, H_NONE },
  { "bms_emsStatus.chgDisCond", N_("Charging blocked by"),
    T_INT, U_NONE, 1.0, GR_EMS, NULL,
    NULL, NULL, H_NONE },
  { "bms_emsStatus.chgLinePlug", N_("Charging cable plugged in"),
    T_BOOL, U_NONE, 1.0, GR_EMS, NULL,
    NULL, NULL, H_NONE },
  { "bms_emsStatus.chgRemainTime", N_("Time to full"),
    T_INT, U_MIN, 1.0, GR_EMS, NULL,
    NULL, NULL, H_NONE },
  { "bms_emsStatus.chgState", N_("Charging state"),
    T_ENUM, U_NONE, 1.0, GR_EMS, ems_chg_state_values,
    NULL, NULL, H_NONE },
  { "bms_emsStatus.chgVol", N_("Charging voltage"),
    T_INT, U_V, MILLI, GR_EMS, NULL,
    NULL, NULL, H_NONE },
  { "bms_emsStatus.dsgCmd", N_("Discharging allowed"),
    T_BOOL, U_NONE, 1.0, GR_EMS, NULL,
    NULL, NULL, H_NONE },
  { "bms_emsStatus.dsgDisCond", N_("Discharging blocked by"),
    T_INT, U_NONE, 1.0, GR_EMS, NULL,
    NULL, NULL, H_NONE },
  { "bms_emsStatus.dsgRemainTime", N_("Time to empty"),
    T_INT, U_MIN, 1.0, GR_EMS, NULL,
    NULL, NULL, H_NONE },
  { "bms_emsStatus.emsIsNormalFlag", N_("Energy management state"),
    T_ENUM, U_NONE, 1.0, GR_EMS, ems_normal_values,
    NULL, NULL, H_NONE },
  { "bms_emsStatus.emsVer", N_("Energy management version"),
    T_INT, U_NONE, 1.0, GR_EMS, NULL,
    NULL, NULL, H_NONE },
  { "bms_emsStatus.f32LcdShowSoc", N_("Combined charge (precise)"),
    T_FLOAT, U_PCT, 1.0, GR_EMS, NULL,
    NULL, NULL, H_NONE },
  { "bms_emsStatus.fanLevel", N_("Fan level"),
    T_INT, U_NONE, 1.0, GR_EMS, NULL,
    NULL, NULL, H_NONE },
  { "bms_emsStatus.lcdShowSoc", N_("Combined charge"),
    T_INT, U_PCT, 1.0, GR_EMS, NULL,
    NULL, NULL, H_NONE },
  { "bms_emsStatus.maxAvailNum", N_("Packs available"),
    T_INT, U_NONE, 1.0, GR_EMS, NULL,
    NULL, NULL, H_NONE },
  { "bms_emsStatus.maxChargeSoc", N_("Charge limit"),
    T_INT, U_PCT, 1.0, GR_EMS, NULL,
    NULL, NULL, H_NONE },
  { "bms_emsStatus.maxCloseOilEb", N_("Generator stop level"),
    T_INT, U_PCT, 1.0, GR_EMS, NULL,
    NULL, NULL, H_NONE },
  { "bms_emsStatus.minDsgSoc", N_("Discharge limit"),
    T_INT, U_PCT, 1.0, GR_EMS, NULL,
    NULL, NULL, H_NONE },
  { "bms_emsStatus.minOpenOilEb", N_("Generator start level"),
    T_INT, U_PCT, 1.0, GR_EMS, NULL,
    NULL, NULL, H_NONE },
  { "bms_emsStatus.openBmsIdx", N_("Packs enabled"),
    T_INT, U_NONE, 1.0, GR_EMS, NULL,
    NULL, NULL, H_NONE },
  { "bms_emsStatus.openUpsFlag", N_("UPS mode"),
    T_BOOL, U_NONE, 1.0, GR_EMS, NULL,
    NULL, NULL, H_NONE },
  { "bms_emsStatus.paraVolMax", N_("Highest parallel voltage"),
    T_INT, U_V, MILLI, GR_EMS, NULL,
    NULL, NULL, H_NONE },
  { "bms_emsStatus.paraVolMin", N_("Lowest parallel voltage"),
    T_INT, U_V, MILLI, GR_EMS, NULL,
    NULL, NULL, H_NONE },
  { "bms_emsStatus.sysChgDsgState", N_("System charging state"),
    T_INT, U_NONE, 1.0, GR_EMS, NULL,
    NULL, NULL, H_NONE },
  { "bms_kitInfo.aviDataLen", N_("Kit data length"),
    T_INT, U_NONE, 1.0, GR_OTHER, NULL,
    NULL, NULL, H_NONE },
  { "bms_kitInfo.kitNum", N_("Attached kits"),
    T_INT, U_NONE, 1.0, GR_OTHER, NULL,
    NULL, NULL, H_NONE },
  { "bms_kitInfo.version", N_("Kit list version"),
    T_INT, U_NONE, 1.0, GR_OTHER, NULL,
    NULL, NULL, H_NONE },
  { "bms_kitInfo.watts", N_("Attached kits"),
    T_TEXT, U_NONE, 1.0, GR_OTHER, NULL,
    NULL, NULL, H_NONE },
  { "bms_slave.amp", N_("Extra battery current"),
    T_INT, U_A, MILLI, GR_EXTRA, NULL,
    NULL, NULL, H_NONE },
  { "bms_slave.cycles", N_("Extra battery charge cycles"),
    T_INT, U_NONE, 1.0, GR_EXTRA, NULL,
    NULL, NULL, H_NONE },
  { "bms_slave.designCap", N_("Extra battery design capacity"),
    T_INT, U_MAH, 1.0, GR_EXTRA, NULL,
    NULL, NULL, H_NONE },
  { "bms_slave.errCode", N_("Extra battery error code"),
    T_BITS, U_NONE, 1.0, GR_EXTRA, NULL,
    NULL, NULL, H_NONE },
  { "bms_slave.f32ShowSoc", N_("Extra battery charge (precise)"),
    T_FLOAT, U_PCT, 1.0, GR_EXTRA, NULL,
    NULL, NULL, H_NONE },
  { "bms_slave.fullCap", N_("Extra battery full capacity"),
    T_INT, U_MAH, 1.0, GR_EXTRA, NULL,
    NULL, NULL, H_NONE },
  { "bms_slave.inputWatts", N_("Extra battery input"),
    T_INT, U_W, 1.0, GR_EXTRA, NULL,
    NULL, NULL, H_NONE },
  { "bms_slave.maxCellTemp", N_("Extra battery highest cell temperature"),
    T_INT, U_C, 1.0, GR_EXTRA, NULL,
    NULL, NULL, H_NONE },
  { "bms_slave.maxCellVol", N_("Extra battery highest cell voltage"),
    T_INT, U_V, MILLI, GR_EXTRA, NULL,
    NULL, NULL, H_NONE },
  { "bms_slave.minCellTemp", N_("Extra battery lowest cell temperature"),
    T_INT, U_C, 1.0, GR_EXTRA, NULL,
    NULL, NULL, H_NONE },
  { "bms_slave.minCellVol", N_("Extra battery lowest cell voltage"),
    T_INT, U_V, MILLI, GR_EXTRA, NULL,
    NULL, NULL, H_NONE },
  { "bms_slave.outputWatts", N_("Extra battery output"),
    T_INT, U_W, 1.0, GR_EXTRA, NULL,
    NULL, NULL, H_NONE },
  { "bms_slave.remainCap", N_("Extra battery remaining capacity"),
    T_INT, U_MAH, 1.0, GR_EXTRA, NULL,
    NULL, NULL, H_NONE },
  { "bms_slave.remainTime", N_("Extra battery time left"),
    T_INT, U_MIN, 1.0, GR_EXTRA, NULL,
    NULL, NULL, H_NONE },
  { "bms_slave.soc", N_("Extra battery charge"),
    T_INT, U_PCT, 1.0, GR_EXTRA, NULL,
    NULL, NULL, H_NONE },
  { "bms_slave.soh", N_("Extra battery health"),
    T_INT, U_PCT, 1.0, GR_EXTRA, NULL,
    NULL, NULL, H_NONE },
  { "bms_slave.temp", N_("Extra battery temperature"),
    T_INT, U_C, 1.0, GR_EXTRA, NULL,
    NULL, NULL, H_NONE },
  { "bms_slave.vol", N_("Extra battery voltage"),
    T_INT, U_V, MILLI, GR_EXTRA, NULL,
    NULL, NULL, H_NONE },
  { "inv.FastChgWatts", N_("Fast AC charging power"),
    T_INT, U_W, 1.0, GR_INV, NULL,
    NULL, NULL, H_NONE },
  { "inv.SlowChgWatts", N_("Slow AC charging power"),
    T_INT, U_W, 1.0, GR_INV, NULL,
    NULL, NULL, H_NONE },
  { "inv.acDipSwitch", N_("AC charging speed switch"),
    T_ENUM, U_NONE, 1.0, GR_INV, dip_switch_values,
    NULL, NULL, H_NONE },
  { "inv.acInAmp", N_("AC input current"),
    T_INT, U_A, MILLI, GR_INV, NULL,
    NULL, NULL, H_NONE },
  { "inv.acInFreq", N_("AC input frequency"),
    T_INT, U_HZ, 1.0, GR_INV, NULL,
    NULL, NULL, H_NONE },
  { "inv.acInVol", N_("AC input voltage"),
    T_INT, U_V, MILLI, GR_INV, NULL,
    NULL, NULL, H_NONE },
  { "inv.cfgAcEnabled", N_("AC output"),
    T_BOOL, U_NONE, 1.0, GR_INV, NULL,
    NULL, NULL, H_NONE },
  { "inv.cfgAcOutFreq", N_("AC output frequency setting"),
    T_ENUM, U_NONE, 1.0, GR_INV, ac_freq_values,
    NULL, NULL, H_NONE },
  { "inv.cfgAcOutVol", N_("AC output voltage setting"),
    T_INT, U_V, MILLI, GR_INV, NULL,
    NULL, NULL, H_NONE },
  { "inv.cfgAcWorkMode", N_("AC work mode"),
    T_ENUM, U_NONE, 1.0, GR_INV, ac_work_mode_values,
    NULL, NULL, H_NONE },
  { "inv.cfgAcXboost", N_("X-Boost"),
    T_BOOL, U_NONE, 1.0, GR_INV, NULL,
    NULL, NULL, H_NONE },
  { "inv.chargerType", N_("Charging source (inverter)"),
    T_ENUM, U_NONE, 1.0, GR_INV, charger_type_values,
    NULL, NULL, H_NONE },
  { "inv.chgPauseFlag", N_("AC charging paused (inverter)"),
    T_BOOL, U_NONE, 1.0, GR_INV, NULL,
    NULL, NULL, H_NONE },
  { "inv.dcInAmp", N_("Inverter DC input current"),
    T_INT, U_A, MILLI, GR_INV, NULL,
    NULL, NULL, H_NONE },
  { "inv.dcInTemp", N_("Inverter DC input temperature"),
    T_INT, U_C, 1.0, GR_INV, NULL,
    NULL, NULL, H_NONE },
  { "inv.dcInVol", N_("Inverter DC input voltage"),
    T_INT, U_V, MILLI, GR_INV, NULL,
    NULL, NULL, H_NONE },
  { "inv.dischargeType", N_("Discharging to"),
    T_ENUM, U_NONE, 1.0, GR_INV, discharge_type_values,
    NULL, NULL, H_NONE },
  { "inv.errCode", N_("Inverter error code"),
    T_BITS, U_NONE, 1.0, GR_INV, NULL,
    NULL, NULL, H_NONE },
  { "inv.fanState", N_("Fan state"),
    T_ENUM, U_NONE, 1.0, GR_INV, fan_state_values,
    NULL, NULL, H_NONE },
  { "inv.inputWatts", N_("AC input"),
    T_INT, U_W, 1.0, GR_INV, NULL,
    NULL, NULL, H_NONE },
  { "inv.invOutAmp", N_("AC output current"),
    T_INT, U_A, MILLI, GR_INV, NULL,
    NULL, NULL, H_NONE },
  { "inv.invOutFreq", N_("AC output frequency"),
    T_INT, U_HZ, 1.0, GR_INV, NULL,
    NULL, NULL, H_NONE },
  { "inv.invOutVol", N_("AC output voltage"),
    T_INT, U_V, MILLI, GR_INV, NULL,
    NULL, NULL, H_NONE },
  { "inv.invType", N_("Inverter type"),
    T_INT, U_NONE, 1.0, GR_INV, NULL,
    NULL, NULL, H_NONE },
  { "inv.outTemp", N_("Inverter temperature"),
    T_INT, U_C, 1.0, GR_INV, NULL,
    NULL, NULL, H_NONE },
  { "inv.outputWatts", N_("AC output"),
    T_INT, U_W, 1.0, GR_INV, NULL,
    NULL, NULL, H_NONE },
  { "inv.reserved", N_("Reserved (inverter)"),
    T_ARRAY, U_NONE, 1.0, GR_INV, NULL,
    NULL, NULL, H_NONE },
  { "inv.standbyMins", N_("AC standby (inverter)"),
    T_INT, U_MIN, 1.0, GR_INV, NULL,
    never_values, NULL, H_NONE },
  { "inv.sysVer", N_("Inverter firmware version"),
    T_INT, U_NONE, 1.0, GR_INV, NULL,
    NULL, NULL, H_VERSION },
  { "mppt.acStandbyMins", N_("AC standby"),
    T_INT, U_MIN, 1.0, GR_SOLAR, NULL,
    never_values, NULL, H_NONE },
  { "mppt.beepState", N_("Beeper (charger)"),
    T_ENUM, U_NONE, 1.0, GR_SOLAR, beep_values,
    NULL, NULL, H_NONE },
  { "mppt.carOutAmp", N_("Car socket current"),
    T_INT, U_A, MILLI, GR_SOLAR, NULL,
    NULL, NULL, H_NONE },
  { "mppt.carOutVol", N_("Car socket voltage"),
    T_INT, U_V, MILLI, GR_SOLAR, NULL,
    NULL, NULL, H_NONE },
  { "mppt.carOutWatts", N_("Car socket output (charger)"),
    T_INT, U_W, 1.0, GR_SOLAR, NULL,
    NULL, NULL, H_NONE },
  { "mppt.carStandbyMin", N_("Car socket standby"),
    T_INT, U_MIN, 1.0, GR_SOLAR, NULL,
    never_values, NULL, H_NONE },
  { "mppt.carState", N_("Car socket output"),
    T_BOOL, U_NONE, 1.0, GR_SOLAR, NULL,
    NULL, NULL, H_NONE },
  { "mppt.carTemp", N_("Car socket temperature (charger)"),
    T_INT, U_C, 1.0, GR_SOLAR, NULL,
    NULL, NULL, H_NONE },
  { "mppt.cfgAcEnabled", N_("AC output"),
    T_BOOL, U_NONE, 1.0, GR_SOLAR, NULL,
    NULL, NULL, H_NONE },
  { "mppt.cfgAcOutFreq", N_("AC output frequency setting (charger)"),
    T_INT, U_HZ, 1.0, GR_SOLAR, NULL,
    NULL, NULL, H_NONE },
  { "mppt.cfgAcOutVol", N_("AC output voltage setting (charger)"),
    T_INT, U_V, 1.0, GR_SOLAR, NULL,
    NULL, NULL, H_NONE },
  { "mppt.cfgAcXboost", N_("X-Boost"),
    T_BOOL, U_NONE, 1.0, GR_SOLAR, NULL,
    NULL, NULL, H_NONE },
  { "mppt.cfgChgType", N_("Solar input type"),
    T_ENUM, U_NONE, 1.0, GR_SOLAR, cfg_chg_type_values,
    NULL, NULL, H_NONE },
  { "mppt.cfgChgWatts", N_("AC charging power"),
    T_INT, U_W, 1.0, GR_SOLAR, NULL,
    NULL, NULL, H_NONE },
  { "mppt.chgPauseFlag", N_("AC charging paused"),
    T_BOOL, U_NONE, 1.0, GR_SOLAR, NULL,
    NULL, NULL, H_NONE },
  { "mppt.chgState", N_("Solar charger state"),
    T_ENUM, U_NONE, 1.0, GR_SOLAR, mppt_chg_state_values,
    NULL, NULL, H_NONE },
  { "mppt.chgType", N_("Charging from"),
    T_ENUM, U_NONE, 1.0, GR_SOLAR, mppt_chg_type_values,
    NULL, NULL, H_NONE },
  { "mppt.dc24vState", N_("24 V converter"),
    T_BOOL, U_NONE, 1.0, GR_SOLAR, NULL,
    NULL, NULL, H_NONE },
  { "mppt.dc24vTemp", N_("24 V converter temperature"),
    T_INT, U_C, 1.0, GR_SOLAR, NULL,
    NULL, NULL, H_NONE },
  { "mppt.dcChgCurrent", N_("Car input current"),
    T_INT, U_A, MILLI, GR_SOLAR, NULL,
    NULL, NULL, H_NONE },
  { "mppt.dcdc12vAmp", N_("12 V converter current"),
    T_INT, U_A, MILLI, GR_SOLAR, NULL,
    NULL, NULL, H_NONE },
  { "mppt.dcdc12vVol", N_("12 V converter voltage"),
    T_INT, U_V, MILLI, GR_SOLAR, NULL,
    NULL, NULL, H_NONE },
  { "mppt.dcdc12vWatts", N_("12 V converter output"),
    T_INT, U_W, 1.0, GR_SOLAR, NULL,
    NULL, NULL, H_NONE },
  { "mppt.dischargeType", N_("Discharging to (charger)"),
    T_ENUM, U_NONE, 1.0, GR_SOLAR, discharge_type_values,
    NULL, NULL, H_NONE },
  { "mppt.faultCode", N_("Solar charger faults"),
    T_BITS, U_NONE, 1.0, GR_SOLAR, NULL,
    NULL, NULL, H_NONE },
  { "mppt.inAmp", N_("Solar input current"),
    T_INT, U_A, MILLI, GR_SOLAR, NULL,
    NULL, NULL, H_NONE },
  { "mppt.inVol", N_("Solar input voltage"),
    T_INT, U_V, MILLI, GR_SOLAR, NULL,
    NULL, NULL, H_NONE },
  { "mppt.inWatts", N_("Solar input"),
    T_INT, U_W, 1.0, GR_SOLAR, NULL,
    NULL, NULL, H_NONE },
  { "mppt.mpptTemp", N_("Solar charger temperature"),
    T_INT, U_C, 1.0, GR_SOLAR, NULL,
    NULL, NULL, H_NONE },
  { "mppt.outAmp", N_("Solar charger output current"),
    T_INT, U_A, MILLI, GR_SOLAR, NULL,
    NULL, NULL, H_NONE },
  { "mppt.outVol", N_("Solar charger output voltage"),
    T_INT, U_V, MILLI, GR_SOLAR, NULL,
    NULL, NULL, H_NONE },
  { "mppt.outWatts", N_("Solar charger output"),
    T_INT, U_W, 1.0, GR_SOLAR, NULL,
    NULL, NULL, H_NONE },
  { "mppt.powStandbyMin", N_("Unit timeout (charger)"),
    T_INT, U_MIN, 1.0, GR_SOLAR, NULL,
    never_values, NULL, H_NONE },
  { "mppt.res", N_("Reserved (charger)"),
    T_ARRAY, U_NONE, 1.0, GR_SOLAR, NULL,
    NULL, NULL, H_NONE },
  { "mppt.scrStandbyMin", N_("Screen timeout (charger)"),
    T_INT, U_MIN, 1.0, GR_SOLAR, NULL,
    never_values, NULL, H_NONE },
  { "mppt.swVer", N_("Solar charger firmware version"),
    T_INT, U_NONE, 1.0, GR_SOLAR, NULL,
    NULL, NULL, H_VERSION },
  { "mppt.x60ChgType", N_("XT60 input type"),
    T_ENUM, U_NONE, 1.0, GR_SOLAR, cfg_chg_type_values,
    NULL, NULL, H_NONE },
  { "pd.acAutoOnCfg", N_("AC auto on"),
    T_BOOL, U_NONE, 1.0, GR_OVERVIEW, NULL,
    NULL, NULL, H_NONE },
  { "pd.acAutoOutConfig", N_("AC always on"),
    T_BOOL, U_NONE, 1.0, GR_OVERVIEW, NULL,
    NULL, NULL, H_NONE },
  { "pd.acAutoOutPause", N_("AC always on paused"),
    T_BOOL, U_NONE, 1.0, GR_OVERVIEW, NULL,
    NULL, NULL, H_NONE },
  { "pd.acEnabled", N_("AC output (board)"),
    T_BOOL, U_NONE, 1.0, GR_OVERVIEW, NULL,
    NULL, NULL, H_NONE },
  { "pd.beepMode", N_("Beeper"),
    T_ENUM, U_NONE, 1.0, GR_OVERVIEW, beep_values,
    NULL, NULL, H_NONE },
  { "pd.bpPowerSoc", N_("Backup reserve level"),
    T_INT, U_PCT, 1.0, GR_OVERVIEW, NULL,
    NULL, NULL, H_NONE },
  { "pd.brightLevel", N_("Screen brightness level"),
    T_INT, U_NONE, 1.0, GR_OVERVIEW, NULL,
    NULL, NULL, H_NONE },
  { "pd.carState", N_("Car socket output"),
    T_BOOL, U_NONE, 1.0, GR_OVERVIEW, NULL,
    NULL, NULL, H_NONE },
  { "pd.carTemp", N_("Car socket temperature"),
    T_INT, U_C, 1.0, GR_OVERVIEW, NULL,
    NULL, NULL, H_NONE },
  { "pd.carUsedTime", N_("Car socket output time"),
    T_INT, U_S, 1.0, GR_OVERVIEW, NULL,
    NULL, NULL, H_NONE },
  { "pd.carWatts", N_("Car socket output"),
    T_INT, U_W, 1.0, GR_OVERVIEW, NULL,
    NULL, NULL, H_NONE },
  { "pd.chargerType", N_("Charging source"),
    T_ENUM, U_NONE, 1.0, GR_OVERVIEW, charger_type_values,
    NULL, NULL, H_NONE },
  { "pd.chgDsgState", N_("Charging or discharging"),
    T_ENUM, U_NONE, 1.0, GR_OVERVIEW, chg_dsg_values,
    NULL, NULL, H_NONE },
  { "pd.chgPowerAC", N_("Energy charged from AC"),
    T_INT, U_WH, 1.0, GR_OVERVIEW, NULL,
    NULL, NULL, H_NONE },
  { "pd.chgPowerDC", N_("Energy charged from DC"),
    T_INT, U_WH, 1.0, GR_OVERVIEW, NULL,
    NULL, NULL, H_NONE },
  { "pd.chgSunPower", N_("Energy charged from solar"),
    T_INT, U_WH, 1.0, GR_OVERVIEW, NULL,
    NULL, NULL, H_NONE },
  { "pd.dcInUsedTime", N_("DC input time"),
    T_INT, U_S, 1.0, GR_OVERVIEW, NULL,
    NULL, NULL, H_NONE },
  { "pd.dcOutState", N_("USB and DC outputs"),
    T_BOOL, U_NONE, 1.0, GR_OVERVIEW, NULL,
    NULL, NULL, H_NONE },
  { "pd.dsgPowerAC", N_("Energy discharged over AC"),
    T_INT, U_WH, 1.0, GR_OVERVIEW, NULL,
    NULL, NULL, H_NONE },
  { "pd.dsgPowerDC", N_("Energy discharged over DC"),
    T_INT, U_WH, 1.0, GR_OVERVIEW, NULL,
    NULL, NULL, H_NONE },
  { "pd.errCode", N_("Error code"),
    T_BITS, U_NONE, 1.0, GR_OVERVIEW, NULL,
    NULL, NULL, H_NONE },
  { "pd.ext3p8Port", N_("Extra port (3+8 pin)"),
    T_ENUM, U_NONE, 1.0, GR_OVERVIEW, ext3p8_values,
    NULL, NULL, H_NONE },
  { "pd.ext4p8Port", N_("Extra battery port (4+8 pin)"),
    T_ENUM, U_NONE, 1.0, GR_OVERVIEW, ext4p8_values,
    NULL, NULL, H_NONE },
  { "pd.extRj45Port", N_("RJ45 port"),
    T_ENUM, U_NONE, 1.0, GR_OVERVIEW, rj45_values,
    NULL, NULL, H_NONE },
  { "pd.hysteresisAdd", N_("Charge hysteresis"),
    T_INT, U_NONE, 1.0, GR_OVERVIEW, NULL,
    NULL, NULL, H_NONE },
  { "pd.icoBytes", N_("Screen icon bytes"),
    T_ARRAY, U_NONE, 1.0, GR_OVERVIEW, NULL,
    NULL, NULL, H_NONE },
  { "pd.inWatts", N_("Input (board)"),
    T_INT, U_W, 1.0, GR_OVERVIEW, NULL,
    NULL, NULL, H_NONE },
  { "pd.inputWatts", N_("Input"),
    T_INT, U_W, 1.0, GR_OVERVIEW, NULL,
    NULL, NULL, H_NONE },
  { "pd.invUsedTime", N_("AC output time"),
    T_INT, U_S, 1.0, GR_OVERVIEW, NULL,
    NULL, NULL, H_NONE },
  { "pd.lcdOffSec", N_("Screen timeout"),
    T_INT, U_S, 1.0, GR_OVERVIEW, NULL,
    never_values, NULL, H_NONE },
  { "pd.minAcoutSoc", N_("AC always on down to"),
    T_INT, U_PCT, 1.0, GR_OVERVIEW, NULL,
    NULL, NULL, H_NONE },
  { "pd.model", N_("Model code"),
    T_INT, U_NONE, 1.0, GR_OVERVIEW, NULL,
    NULL, NULL, H_NONE },
  { "pd.mpptUsedTime", N_("Solar input time"),
    T_INT, U_S, 1.0, GR_OVERVIEW, NULL,
    NULL, NULL, H_NONE },
  { "pd.outWatts", N_("Output (board)"),
    T_INT, U_W, 1.0, GR_OVERVIEW, NULL,
    NULL, NULL, H_NONE },
  { "pd.outputWatts", N_("Output"),
    T_INT, U_W, 1.0, GR_OVERVIEW, NULL,
    NULL, NULL, H_NONE },
  { "pd.pvChgPrioSet", N_("Solar charging first"),
    T_BOOL, U_NONE, 1.0, GR_OVERVIEW, NULL,
    NULL, NULL, H_NONE },
  { "pd.qcUsb1Watts", N_("USB-A fast charge 1 output"),
    T_INT, U_W, 1.0, GR_OVERVIEW, NULL,
    NULL, NULL, H_NONE },
  { "pd.qcUsb2Watts", N_("USB-A fast charge 2 output"),
    T_INT, U_W, 1.0, GR_OVERVIEW, NULL,
    NULL, NULL, H_NONE },
  { "pd.relaySwitchCnt", N_("Relay switch count"),
    T_INT, U_NONE, 1.0, GR_OVERVIEW, NULL,
    NULL, NULL, H_NONE },
  { "pd.remainTime", N_("Time left"),
    T_INT, U_MIN, 1.0, GR_OVERVIEW, NULL,
    NULL, NULL, H_TIME_LEFT },
  { "pd.reserved", N_("Reserved (board)"),
    T_ARRAY, U_NONE, 1.0, GR_OVERVIEW, NULL,
    NULL, NULL, H_NONE },
  { "pd.soc", N_("Displayed charge"),
    T_INT, U_PCT, 1.0, GR_OVERVIEW, NULL,
    NULL, NULL, H_NONE },
  { "pd.standbyMin", N_("Unit timeout"),
    T_INT, U_MIN, 1.0, GR_OVERVIEW, NULL,
    never_values, NULL, H_NONE },
  { "pd.sysVer", N_("Firmware version"),
    T_INT, U_NONE, 1.0, GR_OVERVIEW, NULL,
    NULL, NULL, H_VERSION },
  { "pd.typec1Temp", N_("USB-C 1 temperature"),
    T_INT, U_C, 1.0, GR_OVERVIEW, NULL,
    NULL, NULL, H_NONE },
  { "pd.typec1Watts", N_("USB-C 1 output"),
    T_INT, U_W, 1.0, GR_OVERVIEW, NULL,
    NULL, NULL, H_NONE },
  { "pd.typec2Temp", N_("USB-C 2 temperature"),
    T_INT, U_C, 1.0, GR_OVERVIEW, NULL,
    NULL, NULL, H_NONE },
  { "pd.typec2Watts", N_("USB-C 2 output"),
    T_INT, U_W, 1.0, GR_OVERVIEW, NULL,
    NULL, NULL, H_NONE },
  { "pd.typecUsedTime", N_("USB-C output time"),
    T_INT, U_S, 1.0, GR_OVERVIEW, NULL,
    NULL, NULL, H_NONE },
  { "pd.usb1Watts", N_("USB-A 1 output"),
    T_INT, U_W, 1.0, GR_OVERVIEW, NULL,
    NULL, NULL, H_NONE },
  { "pd.usb2Watts", N_("USB-A 2 output"),
    T_INT, U_W, 1.0, GR_OVERVIEW, NULL,
    NULL, NULL, H_NONE },
  { "pd.usbUsedTime", N_("USB-A output time"),
    T_INT, U_S, 1.0, GR_OVERVIEW, NULL,
    NULL, NULL, H_NONE },
  { "pd.usbqcUsedTime", N_("USB-A fast charge output time"),
    T_INT, U_S, 1.0, GR_OVERVIEW, NULL,
    NULL, NULL, H_NONE },
  { "pd.watchIsConfig", N_("Backup reserve"),
    T_BOOL, U_NONE, 1.0, GR_OVERVIEW, NULL,
    NULL, NULL, H_NONE },
  { "pd.wattsInSum", N_("Total input"),
    T_INT, U_W, 1.0, GR_OVERVIEW, NULL,
    NULL, NULL, H_NONE },
  { "pd.wattsOutSum", N_("Total output"),
    T_INT, U_W, 1.0, GR_OVERVIEW, NULL,
    NULL, NULL, H_NONE },
  { "pd.wifiAutoRcvy", N_("Wi-Fi mode after restart"),
    T_ENUM, U_NONE, 1.0, GR_OVERVIEW, wifi_recovery_values,
    NULL, NULL, H_NONE },
  { "pd.wifiRssi", N_("Wi-Fi signal"),
    T_INT, U_DBM, 1.0, GR_OVERVIEW, NULL,
    NULL, NULL, H_NONE },
  { "pd.wifiVer", N_("Wi-Fi firmware version"),
    T_INT, U_NONE, 1.0, GR_OVERVIEW, NULL,
    NULL, NULL, H_VERSION },
  { "pd.wireWatts", N_("Wireless charging output"),
    T_INT, U_W, 1.0, GR_OVERVIEW, NULL,
    NULL, NULL, H_NONE },
};

/* Settings ---------------------------------------------------------------- */

static const JuiceEnumValue screen_timeout_options[] = {
  { 0, N_("Never"), "never" },
  { 10, N_("10 seconds"), "10s" },
  { 30, N_("30 seconds"), "30s" },
  { 60, N_("1 minute"), "1m" },
  { 300, N_("5 minutes"), "5m" },
  { 1800, N_("30 minutes"), "30m" },
  { 0, NULL, NULL }
};

static const JuiceEnumValue standby_options[] = {
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

/* acOutCfg takes enabled, xboost, out_voltage and out_freq together, so
 * turning AC output on says something about X-Boost, voltage and frequency
 * too. What goes there for "leave as it is": the keep-values that the two
 * clients used against real units send (tolwi's Home Assistant integration
 * and homebridge-ecoflow): 255 for enabled, xboost and out_freq, and
 * 0xFFFFFFFF for out_voltage (tolwi's -1 is the same 32 bits). Resending the
 * readbacks instead, as the DELTA Pro's command 66 does, is worse here: the
 * voltage and frequency readbacks come in two scales (inv.cfgAcOutVol mV,
 * mppt.cfgAcOutVol V; inv.cfgAcOutFreq 1/2, mppt.cfgAcOutFreq Hz) and the
 * vendor's own sample (out_voltage 30) fits neither, so a resent readback
 * could change the output voltage; and a readback older than a change made
 * on the unit's buttons would undo that change. The rustyy schema, which
 * allows only 0/1, is a client-side check, not the device's. */
static const JuiceCommandField ac_output_keep[] = {
  { "xboost", 255 },
  { "out_voltage", 4294967295 },
  { "out_freq", 255 },
  { NULL, 0 }
};

static const JuiceCommandField x_boost_keep[] = {
  { "enabled", 255 },
  { "out_voltage", 4294967295 },
  { "out_freq", 255 },
  { NULL, 0 }
};

/* acChgCfg: chgPauseFlag 255 keeps a pause as it is (tolwi). */
static const JuiceCommandField ac_charge_keep[] = {
  { "chgPauseFlag", 255 },
  { NULL, 0 }
};

/* lcdCfg: the brightness field must be 3. Spelled brighLevel as in the
 * vendor's sample and the ioBroker adapter (the rustyy schema spells it
 * brightLevel; the firmware's own spelling is the vendor's). */
static const JuiceCommandField screen_fixed[] = {
  { "brighLevel", 3 },
  { NULL, 0 }
};

/* watthConfig: minDsgSoc and minChgSoc are unused; the vendor's sample
 * sends 255 ("not set" elsewhere in the firmware), tolwi 0. */
static const JuiceCommandField backup_reserve_fixed[] = {
  { "minDsgSoc", 255 },
  { "minChgSoc", 255 },
  { NULL, 0 }
};

#define MOD_PD   1
#define MOD_BMS  2
#define MOD_MPPT 5

static const JuiceSettingInfo delta_2_settings[] = {
  {
    .name = "ac-output",
    .label = N_("AC output"),
    .description = N_("The AC sockets of the unit"),
    .group = JUICE_SETTING_GROUP_OUTPUTS,
    .kind = JUICE_SETTING_SWITCH,
    .module_type = MOD_MPPT, .operate_type = "acOutCfg",
    .param = "enabled",
    .readback_key = "mppt.cfgAcEnabled",
    .fixed = ac_output_keep,
    .min = 0, .max = 1, .step = 1,
  },
  {
    .name = "x-boost",
    .label = N_("X-Boost"),
    .description = N_("Run devices above the inverter's rating at a lower voltage"),
    .group = JUICE_SETTING_GROUP_OUTPUTS,
    .kind = JUICE_SETTING_SWITCH,
    .module_type = MOD_MPPT, .operate_type = "acOutCfg",
    .param = "xboost",
    .readback_key = "mppt.cfgAcXboost",
    .fixed = x_boost_keep,
    .min = 0, .max = 1, .step = 1,
  },
  {
    .name = "car-output",
    .label = N_("Car socket output"),
    .description = N_("The 12 V car socket"),
    .group = JUICE_SETTING_GROUP_OUTPUTS,
    .kind = JUICE_SETTING_SWITCH,
    .module_type = MOD_MPPT, .operate_type = "mpptCar",
    .param = "enabled",
    .readback_key = "mppt.carState",
    .min = 0, .max = 1, .step = 1,
  },
  {
    .name = "usb-output",
    .label = N_("USB and DC outputs"),
    .description = N_("The USB-A and USB-C ports"),
    .group = JUICE_SETTING_GROUP_OUTPUTS,
    .kind = JUICE_SETTING_SWITCH,
    .module_type = MOD_PD, .operate_type = "dcOutCfg",
    .param = "enabled",
    .readback_key = "pd.dcOutState",
    .min = 0, .max = 1, .step = 1,
  },
  {
    .name = "ac-always-on",
    .label = N_("AC always on"),
    .description = N_("Turn the AC output on by itself while the battery is above a level"),
    .group = JUICE_SETTING_GROUP_OUTPUTS,
    .kind = JUICE_SETTING_SWITCH,
    .module_type = MOD_PD, .operate_type = "acAutoOutConfig",
    .param = "acAutoOutConfig",
    .readback_key = "pd.acAutoOutConfig",
    .companion_param = "minAcOutSoc",
    .companion_key = "pd.minAcoutSoc",
    .companion_max = 100,
    .min = 0, .max = 1, .step = 1,
  },
  {
    .name = "ac-always-on-level",
    .label = N_("AC always on down to"),
    .description = N_("The battery level below which AC always on stops"),
    .group = JUICE_SETTING_GROUP_OUTPUTS,
    .kind = JUICE_SETTING_RANGE,
    .module_type = MOD_PD, .operate_type = "acAutoOutConfig",
    .param = "minAcOutSoc",
    .readback_key = "pd.minAcoutSoc",
    .companion_param = "acAutoOutConfig",
    .companion_key = "pd.acAutoOutConfig",
    .min = 0, .max = 100, .step = 1,
    .unit = JUICE_UNIT_PERCENT,
  },
  {
    .name = "ac-charging-power",
    .label = N_("AC charging power"),
    .description = N_("Largest power drawn from the wall socket when charging"),
    .group = JUICE_SETTING_GROUP_CHARGING,
    .kind = JUICE_SETTING_RANGE,
    .module_type = MOD_MPPT, .operate_type = "acChgCfg",
    .param = "chgWatts",
    .readback_key = "mppt.cfgChgWatts",
    .fixed = ac_charge_keep,
    .min = 200, .max = 1200, .step = 1,
    .unit = JUICE_UNIT_WATT,
  },
  {
    .name = "car-input-current",
    .label = N_("Car input current"),
    .description = N_("Largest current drawn when charging from a car socket"),
    .group = JUICE_SETTING_GROUP_CHARGING,
    .kind = JUICE_SETTING_RANGE,
    .module_type = MOD_MPPT, .operate_type = "dcChgCfg",
    .param = "dcChgCfg",
    .readback_key = "mppt.dcChgCurrent",
    .min = 4000, .max = 10000, .step = 1,
    .unit = JUICE_UNIT_MILLIAMPERE,
  },
  {
    .name = "solar-priority",
    .label = N_("Solar charging first"),
    .description = N_("Charge from solar before the wall socket"),
    .group = JUICE_SETTING_GROUP_CHARGING,
    .kind = JUICE_SETTING_SWITCH,
    .module_type = MOD_PD, .operate_type = "pvChangePrio",
    .param = "pvChangeSet",
    .readback_key = "pd.pvChgPrioSet",
    .min = 0, .max = 1, .step = 1,
  },
  {
    .name = "charge-limit",
    .label = N_("Charge limit"),
    .description = N_("Stop charging when the battery reaches this level"),
    .group = JUICE_SETTING_GROUP_BATTERY_LIMITS,
    .kind = JUICE_SETTING_RANGE,
    .module_type = MOD_BMS, .operate_type = "upsConfig",
    .param = "maxChgSoc",
    .readback_key = "bms_emsStatus.maxChargeSoc",
    .min = 50, .max = 100, .step = 1,
    .unit = JUICE_UNIT_PERCENT,
  },
  {
    .name = "discharge-limit",
    .label = N_("Discharge limit"),
    .description = N_("Stop discharging when the battery falls to this level"),
    .group = JUICE_SETTING_GROUP_BATTERY_LIMITS,
    .kind = JUICE_SETTING_RANGE,
    .module_type = MOD_BMS, .operate_type = "dsgCfg",
    .param = "minDsgSoc",
    .readback_key = "bms_emsStatus.minDsgSoc",
    .min = 0, .max = 30, .step = 1,
    .unit = JUICE_UNIT_PERCENT,
  },
  {
    .name = "backup-reserve",
    .label = N_("Backup reserve"),
    .description = N_("Keep a part of the battery for power cuts"),
    .group = JUICE_SETTING_GROUP_BATTERY_LIMITS,
    .kind = JUICE_SETTING_SWITCH,
    .module_type = MOD_PD, .operate_type = "watthConfig",
    .param = "isConfig",
    .readback_key = "pd.watchIsConfig",
    .companion_param = "bpPowerSoc",
    .companion_key = "pd.bpPowerSoc",
    .companion_max = 100,
    .fixed = backup_reserve_fixed,
    .min = 0, .max = 1, .step = 1,
  },
  {
    .name = "backup-reserve-level",
    .label = N_("Backup reserve level"),
    .description = N_("How much of the battery the backup reserve keeps"),
    .group = JUICE_SETTING_GROUP_BATTERY_LIMITS,
    .kind = JUICE_SETTING_RANGE,
    .module_type = MOD_PD, .operate_type = "watthConfig",
    .param = "bpPowerSoc",
    .readback_key = "pd.bpPowerSoc",
    .companion_param = "isConfig",
    .companion_key = "pd.watchIsConfig",
    .fixed = backup_reserve_fixed,
    .min = 0, .max = 100, .step = 1,
    .unit = JUICE_UNIT_PERCENT,
  },
  {
    .name = "generator-auto-on",
    .label = N_("Generator auto start below"),
    .description = N_("Start a connected smart generator when the battery falls to this level"),
    .group = JUICE_SETTING_GROUP_GENERATOR,
    .kind = JUICE_SETTING_RANGE,
    .module_type = MOD_BMS, .operate_type = "openOilSoc",
    .param = "openOilSoc",
    .readback_key = "bms_emsStatus.minOpenOilEb",
    .min = 0, .max = 30, .step = 1,
    .unit = JUICE_UNIT_PERCENT,
  },
  {
    .name = "generator-auto-off",
    .label = N_("Generator auto stop above"),
    .description = N_("Stop a connected smart generator when the battery reaches this level"),
    .group = JUICE_SETTING_GROUP_GENERATOR,
    .kind = JUICE_SETTING_RANGE,
    .module_type = MOD_BMS, .operate_type = "closeOilSoc",
    .param = "closeOilSoc",
    .readback_key = "bms_emsStatus.maxCloseOilEb",
    .min = 50, .max = 100, .step = 1,
    .unit = JUICE_UNIT_PERCENT,
  },
  {
    .name = "beep",
    .label = N_("Beep"),
    .description = N_("Sound a beep on button presses and alerts"),
    .group = JUICE_SETTING_GROUP_DISPLAY,
    .kind = JUICE_SETTING_SWITCH,
    .module_type = MOD_MPPT, .operate_type = "quietMode",
    .param = "enabled",
    .readback_key = "mppt.beepState",
    .min = 0, .max = 1, .step = 1,
    /* quietMode enabled 1 is quiet: beeping is wire value 0 */
    .inverted = TRUE,
  },
  {
    .name = "screen-timeout",
    .label = N_("Screen timeout"),
    .description = N_("Turn the unit's screen off after this long without use"),
    .group = JUICE_SETTING_GROUP_DISPLAY,
    .kind = JUICE_SETTING_CHOICE,
    .module_type = MOD_PD, .operate_type = "lcdCfg",
    .param = "delayOff",
    .readback_key = "pd.lcdOffSec",
    .fixed = screen_fixed,
    .unit = JUICE_UNIT_SECOND,
    .options = screen_timeout_options,
  },
  {
    .name = "unit-timeout",
    .label = N_("Unit timeout"),
    .description = N_("Switch the whole unit off after this long without load"),
    .group = JUICE_SETTING_GROUP_POWER_SAVING,
    .kind = JUICE_SETTING_CHOICE,
    .module_type = MOD_PD, .operate_type = "standbyTime",
    .param = "standbyMin",
    .readback_key = "pd.standbyMin",
    .unit = JUICE_UNIT_MINUTE,
    .options = standby_options,
  },
  {
    .name = "ac-standby",
    .label = N_("AC standby"),
    .description = N_("Switch the AC output off after this long without load"),
    .group = JUICE_SETTING_GROUP_POWER_SAVING,
    .kind = JUICE_SETTING_CHOICE,
    .module_type = MOD_MPPT, .operate_type = "standbyTime",
    .param = "standbyMins",
    .readback_key = "mppt.acStandbyMins",
    .unit = JUICE_UNIT_MINUTE,
    .options = standby_options,
  },
  {
    .name = "car-standby",
    .label = N_("Car socket standby"),
    .description = N_("Switch the car socket off after this long without load"),
    .group = JUICE_SETTING_GROUP_POWER_SAVING,
    .kind = JUICE_SETTING_CHOICE,
    .module_type = MOD_MPPT, .operate_type = "carStandby",
    .param = "standbyMins",
    .readback_key = "mppt.carStandbyMin",
    .unit = JUICE_UNIT_MINUTE,
    .options = standby_options,
  },
};

/* MQTT quota groups and the prefixes quota/all gives their keys (tolwi). */
static const JuiceReportGroup delta_2_report_groups[] = {
  { "pdStatus", "pd." },
  { "mpptStatus", "mppt." },
  { "invStatus", "inv." },
  { "bmsStatus", "bms_bmsStatus." },
  { "emsStatus", "bms_emsStatus." },
  { "bmsInfo", "bms_bmsInfo." },
  { "bmsSlaveStatus", "bms_slave." },
  { "kitInfo", "bms_kitInfo." },
  { NULL, NULL }
};

static const JuiceProfilePhysics delta_2_physics = {
  .fixture = "/io/github/juicepower/Juice/core/delta-2-quota-all.json",
  .pack_wh = 1024.0,
  .solar_peak_w = 500.0,
  .ac_volts = 230.0,
};

static const JuiceDeviceProfile delta_2_profile = {
  .product = "DELTA 2",
  .sn_prefix = "R331",
  .quotas = delta_2_quotas,
  .n_quotas = G_N_ELEMENTS (delta_2_quotas),
  .settings = delta_2_settings,
  .n_settings = G_N_ELEMENTS (delta_2_settings),
  .dialect = JUICE_COMMAND_DIALECT_OPERATE_TYPE,
  .report_groups = delta_2_report_groups,
  .headline_soc = "pd.soc",
  .headline_watts_in = "pd.wattsInSum",
  .headline_watts_out = "pd.wattsOutSum",
  .headline_remain = "pd.remainTime",
  .physics = &delta_2_physics,
};

const JuiceDeviceProfile *
juice_device_profile_delta_2 (void)
{
  return &delta_2_profile;
}

/* DELTA 2 Max: the DELTA 2's keys and commands, except that its AC output
 * commands go to the inverter, module 3 (homebridge-ecoflow); the notes
 * cover nothing else of it. */
#define MOD_INV 3

const JuiceDeviceProfile *
juice_device_profile_delta_2_max (void)
{
  static JuiceDeviceProfile max_profile;
  static JuiceSettingInfo max_settings[G_N_ELEMENTS (delta_2_settings)];
  static gsize initialized;

  if (g_once_init_enter (&initialized))
    {
      for (guint i = 0; i < G_N_ELEMENTS (delta_2_settings); i++)
        {
          max_settings[i] = delta_2_settings[i];
          if (g_strcmp0 (max_settings[i].operate_type, "acOutCfg") == 0)
            max_settings[i].module_type = MOD_INV;
        }
      max_profile = delta_2_profile;
      max_profile.product = "DELTA 2 Max";
      max_profile.sn_prefix = "R351";
      max_profile.settings = max_settings;
      max_profile.physics = NULL;
      g_once_init_leave (&initialized, 1);
    }

  return &max_profile;
}
