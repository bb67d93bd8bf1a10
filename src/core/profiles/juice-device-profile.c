/* juice-device-profile.c: lookups and formatting over a profile (a setting's
 * values: juice-setting-info.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "juice-profile"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "juice-device-profile.h"
#include "juice-error.h"

/* Case-insensitive indexes of one profile, built on first use and kept for
 * the life of the process: profiles are static tables. */
typedef struct
{
  const JuiceDeviceProfile *profile;
  GHashTable               *quotas;     /* key, any case → JuiceQuotaInfo */
  GHashTable               *settings;   /* name, any case → JuiceSettingInfo */
  GHashTable               *readbacks;  /* readback key, any case → JuiceSettingInfo */
} ProfileIndex;

static GMutex        index_lock;
static GPtrArray    *indexes;     /* ProfileIndex, guarded by index_lock */
static ProfileIndex *last_index;  /* atomic: the lookups' fast path */

static ProfileIndex *
profile_index_new (const JuiceDeviceProfile *profile)
{
  ProfileIndex *index = g_new0 (ProfileIndex, 1);

  index->profile = profile;
  index->quotas = g_hash_table_new (juice_str_case_hash, juice_str_case_equal);
  index->settings = g_hash_table_new (juice_str_case_hash, juice_str_case_equal);
  index->readbacks = g_hash_table_new (juice_str_case_hash, juice_str_case_equal);

  for (guint i = 0; i < profile->n_quotas; i++)
    {
      const JuiceQuotaInfo *info = &profile->quotas[i];

      if (!g_hash_table_insert (index->quotas, (gpointer) info->key, (gpointer) info))
        g_critical ("%s: quota key %s is listed twice", profile->product, info->key);
    }

  for (guint i = 0; i < profile->n_settings; i++)
    {
      const JuiceSettingInfo *setting = &profile->settings[i];

      if (!g_hash_table_insert (index->settings, (gpointer) setting->name, (gpointer) setting))
        g_critical ("%s: setting %s is listed twice", profile->product, setting->name);
      if (setting->readback_key != NULL &&
          !g_hash_table_insert (index->readbacks,
                                (gpointer) setting->readback_key,
                                (gpointer) setting))
        g_critical ("%s: readback key %s belongs to two settings",
                    profile->product, setting->readback_key);
    }

  g_debug ("Indexed %s: %u quotas, %u settings",
           profile->product, profile->n_quotas, profile->n_settings);

  return index;
}

static const ProfileIndex *
profile_index_get (const JuiceDeviceProfile *profile)
{
  ProfileIndex *index = g_atomic_pointer_get (&last_index);

  if (index != NULL && index->profile == profile)
    return index;

  g_mutex_lock (&index_lock);

  index = NULL;
  if (indexes == NULL)
    indexes = g_ptr_array_new ();
  for (guint i = 0; i < indexes->len; i++)
    {
      ProfileIndex *candidate = g_ptr_array_index (indexes, i);

      if (candidate->profile == profile)
        {
          index = candidate;
          break;
        }
    }
  if (index == NULL)
    {
      index = profile_index_new (profile);
      g_ptr_array_add (indexes, index);
    }
  g_atomic_pointer_set (&last_index, index);

  g_mutex_unlock (&index_lock);

  return index;
}

const JuiceQuotaInfo *
juice_device_profile_lookup_quota (const JuiceDeviceProfile *profile,
                                   const char               *key)
{
  g_return_val_if_fail (profile != NULL, NULL);
  g_return_val_if_fail (key != NULL, NULL);

  return g_hash_table_lookup (profile_index_get (profile)->quotas, key);
}

const JuiceSettingInfo *
juice_device_profile_lookup_setting (const JuiceDeviceProfile *profile,
                                     const char               *name)
{
  g_return_val_if_fail (profile != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return g_hash_table_lookup (profile_index_get (profile)->settings, name);
}

const JuiceSettingInfo *
juice_device_profile_setting_for_key (const JuiceDeviceProfile *profile,
                                      const char               *readback_key)
{
  g_return_val_if_fail (profile != NULL, NULL);
  g_return_val_if_fail (readback_key != NULL, NULL);

  return g_hash_table_lookup (profile_index_get (profile)->readbacks, readback_key);
}

/* Product names ----------------------------------------------------------- */

typedef const JuiceDeviceProfile *(*ProfileGetter) (void);

static const ProfileGetter known_profiles[] = {
  juice_device_profile_delta_pro,
  /* second products: a profile table and its line here */
  juice_device_profile_delta_2,
  juice_device_profile_delta_2_max,
};

const JuiceDeviceProfile * const *
juice_device_profile_list (void)
{
  static const JuiceDeviceProfile *list[G_N_ELEMENTS (known_profiles) + 1];
  static gsize initialized;

  if (g_once_init_enter (&initialized))
    {
      for (guint i = 0; i < G_N_ELEMENTS (known_profiles); i++)
        list[i] = known_profiles[i] ();
      g_once_init_leave (&initialized, 1);
    }

  return list;
}

const JuiceDeviceProfile *
juice_device_profile_lookup (const char *product)
{
  g_return_val_if_fail (product != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (known_profiles); i++)
    {
      const JuiceDeviceProfile *profile = known_profiles[i] ();

      if (g_ascii_strcasecmp (profile->product, product) == 0)
        return profile;
    }

  return NULL;
}

static gboolean
is_ascii_word_char (char c)
{
  return g_ascii_isalnum (c) || c == '_';
}

/* TRUE when @name contains @product (any case) as a whole model name:
 * "DELTA Pro" and "EcoFlow DELTA Pro (EU)" do, "DELTA Pro 3" and
 * "DELTA Pro Ultra" do not: those are other products with other APIs. */
static gboolean
product_name_matches (const char *name,
                      const char *product)
{
  gsize product_len = strlen (product);
  gsize name_len = strlen (name);

  if (product_len == 0)
    return FALSE;

  for (gsize start = 0; start + product_len <= name_len; start++)
    {
      const char *rest;

      if (g_ascii_strncasecmp (name + start, product, product_len) != 0)
        continue;
      if (start > 0 && is_ascii_word_char (name[start - 1]))
        continue;

      rest = name + start + product_len;
      while (*rest == ' ' || *rest == '-' || *rest == '_')
        rest++;
      if (!is_ascii_word_char (*rest))
        return TRUE;
    }

  return FALSE;
}

const JuiceDeviceProfile *
juice_device_profile_for_product (const char *product_name,
                                  const char *serial_number)
{
  for (guint i = 0; i < G_N_ELEMENTS (known_profiles); i++)
    {
      const JuiceDeviceProfile *profile = known_profiles[i] ();
      gsize prefix_len = profile->sn_prefix ? strlen (profile->sn_prefix) : 0;

      if (serial_number != NULL && prefix_len > 0 &&
          g_ascii_strncasecmp (serial_number, profile->sn_prefix, prefix_len) == 0)
        return profile;
    }

  for (guint i = 0; i < G_N_ELEMENTS (known_profiles); i++)
    {
      const JuiceDeviceProfile *profile = known_profiles[i] ();

      if (product_name != NULL && profile->product != NULL &&
          product_name_matches (product_name, profile->product))
        return profile;
    }

  return NULL;
}

/* Units and groups ------------------------------------------------------- */

const char *
juice_unit_symbol (JuiceUnit unit)
{
  switch (unit)
    {
    case JUICE_UNIT_NONE:               return "";
    case JUICE_UNIT_PERCENT:            return "%";
    case JUICE_UNIT_WATT:               return "W";
    case JUICE_UNIT_WATT_HOUR:          return "Wh";
    case JUICE_UNIT_VOLT:               return "V";
    case JUICE_UNIT_AMPERE:             return "A";
    case JUICE_UNIT_MILLIAMPERE_HOUR:   return "mAh";
    case JUICE_UNIT_CELSIUS:            return "°C";
    case JUICE_UNIT_HERTZ:              return "Hz";
    case JUICE_UNIT_SECOND:             return "s";
    case JUICE_UNIT_MINUTE:             return "min";
    case JUICE_UNIT_DBM:                return "dBm";
    case JUICE_UNIT_MILLIAMPERE:        return "mA";
    case N_JUICE_UNITS:
    default:
      break;
    }

  g_return_val_if_reached ("");
}

static const char * const quota_group_labels[N_JUICE_QUOTA_GROUPS] = {
  [JUICE_QUOTA_GROUP_OVERVIEW] = N_("Overview"),
  [JUICE_QUOTA_GROUP_BATTERY] = N_("Main battery"),
  [JUICE_QUOTA_GROUP_EXTRA_BATTERY] = N_("Extra batteries"),
  [JUICE_QUOTA_GROUP_INVERTER] = N_("Inverter"),
  [JUICE_QUOTA_GROUP_SOLAR] = N_("Solar and DC"),
  [JUICE_QUOTA_GROUP_ENERGY] = N_("Energy management"),
  [JUICE_QUOTA_GROUP_ICONS] = N_("Screen icons"),
  [JUICE_QUOTA_GROUP_OTHER] = N_("Other"),
};

static const char * const setting_group_labels[N_JUICE_SETTING_GROUPS] = {
  [JUICE_SETTING_GROUP_OUTPUTS] = N_("Outputs"),
  [JUICE_SETTING_GROUP_CHARGING] = N_("Charging"),
  [JUICE_SETTING_GROUP_BATTERY_LIMITS] = N_("Battery limits"),
  [JUICE_SETTING_GROUP_GENERATOR] = N_("Generator"),
  [JUICE_SETTING_GROUP_DISPLAY] = N_("Display and sounds"),
  [JUICE_SETTING_GROUP_POWER_SAVING] = N_("Power saving"),
};

const char *
juice_quota_group_label (JuiceQuotaGroup group)
{
  g_return_val_if_fail ((guint) group < N_JUICE_QUOTA_GROUPS, "");

  return _(quota_group_labels[group]);
}

const char *
juice_setting_group_label (JuiceSettingGroup group)
{
  g_return_val_if_fail ((guint) group < N_JUICE_SETTING_GROUPS, "");

  return _(setting_group_labels[group]);
}

/* Enum values ------------------------------------------------------------ */

const JuiceEnumValue *
juice_enum_values_lookup (const JuiceEnumValue *values,
                          gint64                value)
{
  if (values == NULL)
    return NULL;

  for (const JuiceEnumValue *v = values; v->label != NULL; v++)
    {
      if (v->value == value)
        return v;
    }

  return NULL;
}

/* Quota values ------------------------------------------------------------ */

/* How many decimals to show: what the scale resolves, at most four
 * significant digits, none for units that read best whole. */
static int
quota_decimals (const JuiceQuotaInfo *info,
                double                value)
{
  double scale = info->scale > 0.0 ? info->scale : 1.0;
  int decimals = 0;
  int int_digits;

  if (scale < 1.0)
    decimals = (int) ceil (-log10 (scale) - 1e-9);
  if (info->type == JUICE_QUOTA_FLOAT)
    decimals = MAX (decimals, 2);

  switch (info->unit)
    {
    case JUICE_UNIT_WATT:
    case JUICE_UNIT_WATT_HOUR:
    case JUICE_UNIT_MILLIAMPERE_HOUR:
    case JUICE_UNIT_SECOND:
    case JUICE_UNIT_MINUTE:
    case JUICE_UNIT_DBM:
    case JUICE_UNIT_HERTZ:
    case JUICE_UNIT_MILLIAMPERE:
      return 0;

    case JUICE_UNIT_PERCENT:
      return MIN (decimals, 1);

    case JUICE_UNIT_NONE:
    case JUICE_UNIT_VOLT:
    case JUICE_UNIT_AMPERE:
    case JUICE_UNIT_CELSIUS:
    case N_JUICE_UNITS:
    default:
      break;
    }

  if (value == 0.0 || !isfinite (value))
    return 0;

  int_digits = fabs (value) < 1.0 ? 1 : (int) floor (log10 (fabs (value))) + 1;

  return CLAMP (4 - int_digits, 0, decimals);
}

static char *
format_number (double    value,
               int       decimals,
               JuiceUnit unit)
{
  const char *symbol = juice_unit_symbol (unit);
  double rounded = value;

  if (isfinite (value))
    {
      double factor = pow (10.0, decimals);

      rounded = round (value * factor) / factor;
      if (rounded == 0.0)
        rounded = 0.0;  /* no "-0" */
    }

  if (symbol[0] == '\0')
    return g_strdup_printf ("%.*f", decimals, rounded);

  return g_strdup_printf ("%.*f %s", decimals, rounded, symbol);
}

/* "50.06 V", "56 %", "Quiet", "On". For ARRAY quotas @raw is one element. */
char *
juice_quota_info_format (const JuiceQuotaInfo *info,
                         double                raw)
{
  double scale;
  double value;

  g_return_val_if_fail (info != NULL, NULL);

  if (!isfinite (raw))
    return g_strdup_printf ("%g", raw);

  switch (info->type)
    {
    case JUICE_QUOTA_ENUM:
      if (raw == floor (raw))
        {
          const JuiceEnumValue *v = juice_enum_values_lookup (info->enum_values, (gint64) raw);

          if (v != NULL)
            return g_strdup (_(v->label));
        }
      return g_strdup_printf ("%.0f", raw);

    case JUICE_QUOTA_BOOLEAN:
      if (raw == 0.0)
        return g_strdup (_("Off"));
      if (raw == 1.0)
        return g_strdup (_("On"));
      return g_strdup_printf ("%.0f", raw);

    case JUICE_QUOTA_BITS:
      return g_strdup_printf ("%.0f", raw);

    case JUICE_QUOTA_TEXT:
      return g_strdup_printf ("%g", raw);

    case JUICE_QUOTA_INTEGER:
    case JUICE_QUOTA_FLOAT:
    case JUICE_QUOTA_ARRAY:
    default:
      scale = info->scale > 0.0 ? info->scale : 1.0;
      value = raw * scale;
      return format_number (value, quota_decimals (info, value), info->unit);
    }
}

/* Hashing ----------------------------------------------------------------- */

/* djb2 over the ASCII lower case of each byte, like g_str_hash. */
guint
juice_str_case_hash (gconstpointer key)
{
  const guchar *p = key;
  guint32 hash = 5381;

  /* On the path of every reported key: no function call per byte. */
  for (; *p != '\0'; p++)
    {
      guchar c = *p;

      if (c >= 'A' && c <= 'Z')
        c += 'a' - 'A';
      hash = (hash << 5) + hash + c;
    }

  return hash;
}

gboolean
juice_str_case_equal (gconstpointer a,
                      gconstpointer b)
{
  const guchar *p = a;
  const guchar *q = b;

  for (;; p++, q++)
    {
      guchar c = *p, d = *q;

      if (c >= 'A' && c <= 'Z')
        c += 'a' - 'A';
      if (d >= 'A' && d <= 'Z')
        d += 'a' - 'A';
      if (c != d)
        return FALSE;
      if (c == '\0')
        return TRUE;
    }
}
