/* juice-device-profile.h: a declarative description of one EcoFlow product
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * src/core/profiles: everything product-specific, as tables. A profile
 * (juice-device-profile-delta-pro.c, -delta-2.c) lists a product's quota keys
 * and settings, how it is recognised, its headline keys and what the
 * simulator needs; juice-command-builder.c turns a setting into a command in
 * the product's dialect and juice-report-decoder.c turns its reports into
 * flat keys; juice-setting-info.c checks, parses and formats a setting's
 * values. Used by model/ (devices), sim/, juice-ctl and the UI; depends
 * only on base/. Adding a product is adding a table and registering it in
 * juice-device-profile.c.
 */

#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum
{
  JUICE_QUOTA_INTEGER,   /* a whole number (also sent as a numeric string) */
  JUICE_QUOTA_FLOAT,     /* a number with a fraction */
  JUICE_QUOTA_ENUM,      /* a number whose values have names (enum_values) */
  JUICE_QUOTA_BOOLEAN,   /* 0 off, 1 on */
  JUICE_QUOTA_BITS,      /* a bit field or an error code: shown raw */
  JUICE_QUOTA_ARRAY,     /* an array of numbers (cell voltages, bytes) */
  JUICE_QUOTA_TEXT,      /* anything else: shown as the device sent it */
} JuiceQuotaType;

typedef enum
{
  JUICE_UNIT_NONE,
  JUICE_UNIT_PERCENT,
  JUICE_UNIT_WATT,
  JUICE_UNIT_WATT_HOUR,
  JUICE_UNIT_VOLT,
  JUICE_UNIT_AMPERE,
  JUICE_UNIT_MILLIAMPERE_HOUR,
  JUICE_UNIT_CELSIUS,
  JUICE_UNIT_HERTZ,
  JUICE_UNIT_SECOND,
  JUICE_UNIT_MINUTE,
  JUICE_UNIT_DBM,
  /* second products (DELTA 2) */
  JUICE_UNIT_MILLIAMPERE,
  N_JUICE_UNITS
} JuiceUnit;

typedef enum
{
  JUICE_QUOTA_GROUP_OVERVIEW,   /* pd.*: totals, ports, screen */
  JUICE_QUOTA_GROUP_BATTERY,    /* bmsMaster.* */
  JUICE_QUOTA_GROUP_EXTRA_BATTERY, /* bmsSlave1.*, bmsSlave2.* */
  JUICE_QUOTA_GROUP_INVERTER,   /* inv.* */
  JUICE_QUOTA_GROUP_SOLAR,      /* mppt.* */
  JUICE_QUOTA_GROUP_ENERGY,     /* ems.* */
  JUICE_QUOTA_GROUP_ICONS,      /* pd.icon* */
  JUICE_QUOTA_GROUP_OTHER,
  N_JUICE_QUOTA_GROUPS
} JuiceQuotaGroup;

typedef enum
{
  JUICE_SETTING_GROUP_OUTPUTS,
  JUICE_SETTING_GROUP_CHARGING,
  JUICE_SETTING_GROUP_BATTERY_LIMITS,
  JUICE_SETTING_GROUP_GENERATOR,
  JUICE_SETTING_GROUP_DISPLAY,       /* "Display and sounds" */
  JUICE_SETTING_GROUP_POWER_SAVING,
  N_JUICE_SETTING_GROUPS
} JuiceSettingGroup;

typedef enum
{
  JUICE_SETTING_SWITCH,   /* on/off; wire values 0 and 1 */
  JUICE_SETTING_RANGE,    /* min..max in steps, plus any special options */
  JUICE_SETTING_CHOICE,   /* exactly one of options */
} JuiceSettingKind;

/* How a person reads a quota beyond its type and unit. */
typedef enum
{
  JUICE_QUOTA_HINT_NONE,
  JUICE_QUOTA_HINT_VERSION,      /* four bytes, most significant first: 0x01020294 is 1.2.2.148 */
  JUICE_QUOTA_HINT_TIME_LEFT,    /* minutes: > 0 until full, < 0 until empty */
  JUICE_QUOTA_HINT_TEXT_BYTES,   /* an ARRAY of character codes: a serial number, "V0.0.0" */
} JuiceQuotaHint;

/* A named value. Tables of these end with an entry whose label is NULL. */
typedef struct
{
  gint64      value;
  const char *label;      /* N_() */
  const char *nick;       /* machine name for juice-ctl ("auto", "mppt"), may be NULL */
} JuiceEnumValue;

/* A field a command always carries with a value of its own. Lists end with
 * an entry whose param is NULL. */
typedef struct
{
  const char *param;
  gint64      value;
} JuiceCommandField;

/* How the product's commands are shaped (juice-command-builder.h). */
typedef enum
{
  JUICE_COMMAND_DIALECT_CMD_SET,       /* params.cmdSet 32 + params.id (DELTA Pro) */
  JUICE_COMMAND_DIALECT_OPERATE_TYPE,  /* moduleType + operateType at the top (DELTA 2) */
} JuiceCommandDialect;

/* A group of an MQTT quota message {"typeCode":"pdStatus","params":{...}}
 * and the prefix its unprefixed keys take ("pd."). Lists end with NULL. */
typedef struct
{
  const char *type_code;
  const char *prefix;
} JuiceReportGroup;

/* What the simulator needs to play the product. */
typedef struct
{
  const char *fixture;         /* resource path of a quota/all body */
  double      pack_wh;         /* one battery */
  double      solar_peak_w;
  double      ac_volts;        /* output voltage of the fixture's region */
} JuiceProfilePhysics;

typedef struct
{
  const char           *key;          /* as the API page spells it: "pd.soc" */
  const char           *label;        /* N_("Displayed charge") */
  JuiceQuotaType        type;
  JuiceUnit             unit;         /* unit after scaling */
  double                scale;        /* shown value = raw * scale; 1.0 when none, 0.001 for mV */
  JuiceQuotaGroup       group;
  const JuiceEnumValue *enum_values;  /* for JUICE_QUOTA_ENUM, else NULL */
  /* Display hints (juice-quota-format.h); all optional. */
  const JuiceEnumValue *special_values; /* raw numbers with a meaning of their own: 0 never, 0xff not set */
  const JuiceEnumValue *bit_names;      /* BITS: what each set bit means (value = bit number) */
  JuiceQuotaHint        hint;
} JuiceQuotaInfo;

typedef struct
{
  const char           *name;          /* "ac-output": juice-ctl and action names */
  const char           *label;         /* N_("AC output") */
  const char           *description;   /* N_("...") one line, may be NULL */
  JuiceSettingGroup     group;
  JuiceSettingKind      kind;
  int                   cmd_set;       /* 32 */
  int                   cmd_id;        /* 66 */
  const char           *param;         /* "enabled" */
  const char           *readback_key;  /* "inv.cfgAcEnabled" */
  /* Settings that share a command (AC output and X-Boost, id 66) must send the
   * other one's current value too: its parameter and readback key. */
  const char           *companion_param;
  const char           *companion_key;
  /* The companion's value the device reads as "leave as it is" (X-Boost
   * 0xff, "ignored" on the API page), sent when its readback is unknown or
   * not 0/1; without one (has_companion_keep FALSE) such a readback is an
   * error. */
  gboolean              has_companion_keep;
  gint64                companion_keep;
  gint64                min;           /* RANGE: inclusive bounds in wire units */
  gint64                max;
  gint64                step;
  JuiceUnit             unit;
  const JuiceEnumValue *options;       /* CHOICE: every allowed value; RANGE: extra allowed values (128 = automatic) */
  gboolean              inverted;      /* SWITCH: "on" is wire value 0 (beep: 0 normal, 1 quiet) */
  /* The operateType dialect (DELTA 2; juice-command-builder.h): the command
   * is chosen by a top-level moduleType and operateType, not cmd_set/cmd_id. */
  int                   module_type;   /* 1 PD, 2 BMS/EMS, 3 inverter, 5 MPPT */
  const char           *operate_type;  /* "acOutCfg"; NULL: the cmdSet dialect */
  /* Fields the command needs that the user does not choose: sent as they are
   * (DELTA 2 acOutCfg's keep-values, lcdCfg's brightness). */
  const JuiceCommandField *fixed;
  /* Largest companion readback resent as it is (0 means 1: an on/off
   * companion); larger ones take companion_keep or fail. */
  gint64                companion_max;
} JuiceSettingInfo;

typedef struct
{
  const char             *product;       /* "DELTA Pro" */
  const char             *sn_prefix;     /* "DCAB" */
  const JuiceQuotaInfo   *quotas;
  guint                   n_quotas;
  const JuiceSettingInfo *settings;
  guint                   n_settings;
  /* Second products: everything below may be left 0 for a DELTA Pro-like one. */
  JuiceCommandDialect     dialect;
  const JuiceReportGroup *report_groups;  /* typeCode groups, or NULL: flat keys */
  /* Keys of the headline properties; NULL: pd.soc, pd.wattsInSum,
   * pd.wattsOutSum, pd.remainTime. */
  const char             *headline_soc;
  const char             *headline_watts_in;
  const char             *headline_watts_out;
  const char             *headline_remain;
  const JuiceProfilePhysics *physics;
} JuiceDeviceProfile;

const JuiceDeviceProfile *juice_device_profile_delta_pro        (void);
/* DELTA 2 (SN R331) and DELTA 2 Max (R351): juice-device-profile-delta-2.c */
const JuiceDeviceProfile *juice_device_profile_delta_2          (void);
const JuiceDeviceProfile *juice_device_profile_delta_2_max      (void);
/* Every known profile, NULL-terminated, for juice-ctl settings --product. */
const JuiceDeviceProfile * const *juice_device_profile_list     (void);
/* A known profile by its product name (any case), or NULL. */
const JuiceDeviceProfile *juice_device_profile_lookup           (const char               *product);
const JuiceDeviceProfile *juice_device_profile_for_product      (const char               *product_name,
                                                                 const char               *serial_number);
const JuiceQuotaInfo     *juice_device_profile_lookup_quota     (const JuiceDeviceProfile *profile,
                                                                 const char               *key);
const JuiceSettingInfo   *juice_device_profile_lookup_setting   (const JuiceDeviceProfile *profile,
                                                                 const char               *name);
const JuiceSettingInfo   *juice_device_profile_setting_for_key  (const JuiceDeviceProfile *profile,
                                                                 const char               *readback_key);

gboolean                  juice_setting_info_validate           (const JuiceSettingInfo   *setting,
                                                                 gint64                    value,
                                                                 GError                  **error);
char                     *juice_setting_info_describe_values    (const JuiceSettingInfo   *setting);
gboolean                  juice_setting_info_parse_value        (const JuiceSettingInfo   *setting,
                                                                 const char               *text,
                                                                 gint64                   *value,
                                                                 GError                  **error);
char                     *juice_setting_info_format_value       (const JuiceSettingInfo   *setting,
                                                                 gint64                    value);
/* The one place a command is made (app, juice-ctl, simulator tests), in
 * juice-command-builder.c: the cmdSet dialect gives {"cmdSet", "id",
 * param: @value}, the operateType dialect {"moduleType", "operateType",
 * "params": {param: @value, fixed fields}}; for a setting that shares its
 * command, the companion is resent as the device reports it (@companion,
 * or NULL when unknown). A setting never changes its companion: see the
 * function's comment. */
JsonObject               *juice_setting_info_build_command      (const JuiceSettingInfo   *setting,
                                                                 gint64                    value,
                                                                 const gint64             *companion,
                                                                 GError                  **error);
const JuiceEnumValue     *juice_enum_values_lookup              (const JuiceEnumValue     *values,
                                                                 gint64                    value);

const char               *juice_unit_symbol                     (JuiceUnit                 unit);
const char               *juice_quota_group_label               (JuiceQuotaGroup           group);
const char               *juice_setting_group_label             (JuiceSettingGroup         group);
char                     *juice_quota_info_format               (const JuiceQuotaInfo     *info,
                                                                 double                    raw);

guint                     juice_str_case_hash                   (gconstpointer             key);
gboolean                  juice_str_case_equal                  (gconstpointer             a,
                                                                 gconstpointer             b);

G_END_DECLS
