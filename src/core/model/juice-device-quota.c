/* juice-device-quota.c: the quota store of JuiceDevice
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "juice-device"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "juice-device-private.h"
#include "juice-error.h"
#include "juice-json.h"
#include "juice-report.h"

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

void
_juice_device_quota_entry_free (gpointer data)
{
  QuotaEntry *entry = data;

  g_clear_pointer (&entry->value, json_node_unref);
  g_free (entry->raw);
  g_free (entry->raw_key);
  g_free (entry);
}

/* Report application ---------------------------------------------------- */

/* A value must be what the profile says the key holds: never wrapped,
 * rounded or coerced into it. Booleans are numbers on the wire (0 and 1). */
static gboolean
value_fits_type (const JuiceQuotaInfo *info,
                 JsonNode             *value)
{
  gint64 v;
  double d;

  if (JSON_NODE_HOLDS_NULL (value))
    return FALSE;

  if (info == NULL)
    return TRUE;

  switch (info->type)
    {
    case JUICE_QUOTA_INTEGER:
    case JUICE_QUOTA_ENUM:
    case JUICE_QUOTA_BOOLEAN:
    case JUICE_QUOTA_BITS:
      return juice_json_node_get_exact_int (value, &v);

    case JUICE_QUOTA_FLOAT:
      return juice_json_node_get_number (value, &d);

    case JUICE_QUOTA_ARRAY:
      return JSON_NODE_HOLDS_ARRAY (value);

    case JUICE_QUOTA_TEXT:
    default:
      return TRUE;
    }
}

static void
update_int (JuiceDevice *self,
            int         *field,
            gint64       value,
            GParamSpec  *pspec)
{
  int clamped = (int) CLAMP (value, G_MININT, G_MAXINT);

  if (*field == clamped)
    return;

  *field = clamped;
  g_object_notify_by_pspec (G_OBJECT (self), pspec);
}

/* Headline properties come from a handful of keys; compare by pointer to the
 * profile's strings is not possible for unknown profiles, so by name. */
static guint
headline_for_key (const JuiceDeviceProfile *profile,
                  const char               *key)
{
  if (profile != NULL && profile->headline_soc != NULL)
    {
      if (g_ascii_strcasecmp (key, profile->headline_soc) == 0)
        return HEADLINE_SOC;
      if (g_ascii_strcasecmp (key, profile->headline_watts_in) == 0)
        return HEADLINE_WATTS_IN;
      if (g_ascii_strcasecmp (key, profile->headline_watts_out) == 0)
        return HEADLINE_WATTS_OUT;
      if (g_ascii_strcasecmp (key, profile->headline_remain) == 0)
        return HEADLINE_REMAIN;
      return HEADLINE_NONE;
    }

  if (g_ascii_strncasecmp (key, "pd.", 3) != 0)
    return HEADLINE_NONE;

  key += 3;
  if (g_ascii_strcasecmp (key, "soc") == 0)
    return HEADLINE_SOC;
  if (g_ascii_strcasecmp (key, "wattsInSum") == 0)
    return HEADLINE_WATTS_IN;
  if (g_ascii_strcasecmp (key, "wattsOutSum") == 0)
    return HEADLINE_WATTS_OUT;
  if (g_ascii_strcasecmp (key, "remainTime") == 0)
    return HEADLINE_REMAIN;

  return HEADLINE_NONE;
}

/* The headline values must make sense, or they are refused. */
static gboolean
update_headline (JuiceDevice *self,
                 QuotaEntry  *entry)
{
  gint64 v;

  if (entry->headline == HEADLINE_NONE)
    return TRUE;

  if (!juice_json_node_get_int (entry->value, &v))
    return FALSE;

  switch (entry->headline)
    {
    case HEADLINE_SOC:
      if (v < 0 || v > 100)
        return FALSE;
      if (self->soc != (double) v)
        {
          self->soc = (double) v;
          g_object_notify_by_pspec (G_OBJECT (self), _juice_device_properties[PROP_SOC]);
        }
      break;

    case HEADLINE_WATTS_IN:
      if (v < 0 || v > G_MAXINT)
        return FALSE;
      update_int (self, &self->watts_in, v, _juice_device_properties[PROP_WATTS_IN]);
      break;

    case HEADLINE_WATTS_OUT:
      if (v < 0 || v > G_MAXINT)
        return FALSE;
      update_int (self, &self->watts_out, v, _juice_device_properties[PROP_WATTS_OUT]);
      break;

    case HEADLINE_REMAIN:
      if (v < G_MININT || v > G_MAXINT)
        return FALSE;
      update_int (self, &self->remain_minutes, v, _juice_device_properties[PROP_REMAIN_MINUTES]);
      break;

    default:
      g_assert_not_reached ();
    }

  return TRUE;
}
typedef enum
{
  APPLY_REJECTED,
  APPLY_SAME,     /* the stored value equals the report's */
  APPLY_CHANGED,
} ApplyResult;

/* Sets @stored to the entry that now holds @value (or an equal one). */
static ApplyResult
apply_member (JuiceDevice  *self,
              const char   *raw_key,
              JsonNode     *value,
              QuotaEntry  **stored)
{
  QuotaEntry *entry = *stored;  /* when the caller looked it up already */
  JsonNode *previous = NULL;
  GQuark detail;

  *stored = NULL;
  if (entry == NULL)
    entry = g_hash_table_lookup (self->quotas, raw_key);

  if (entry == NULL)
    {
      const JuiceQuotaInfo *info = NULL;
      gsize len = strlen (raw_key);

      if (len == 0 || len > MAX_KEY_LENGTH ||
          g_hash_table_size (self->quotas) >= MAX_STORED_KEYS ||
          !g_utf8_validate (raw_key, len, NULL))
        goto reject;

      if (self->profile != NULL)
        info = juice_device_profile_lookup_quota (self->profile, raw_key);

      if (!value_fits_type (info, value))
        goto reject;

      entry = g_new0 (QuotaEntry, 1);
      entry->raw_key = g_strdup (raw_key);
      entry->info = info;
      entry->key = info != NULL ? info->key : entry->raw_key;
      entry->headline = headline_for_key (self->profile, entry->key);
      /* Profile keys are a bounded set of static strings: safe to intern. */
      if (info != NULL)
        entry->detail = g_quark_from_static_string (info->key);
      if (self->profile != NULL && info != NULL)
        entry->setting = juice_device_profile_setting_for_key (self->profile, info->key);
      entry->value = json_node_ref (value);
      g_hash_table_insert (self->quotas, entry->raw_key, entry);
    }
  else
    {
      if (json_node_equal (entry->value, value))
        {
          *stored = entry;
          return APPLY_SAME;
        }

      if (!value_fits_type (entry->info, value))
        goto reject;

      previous = g_steal_pointer (&entry->value);
      entry->value = json_node_ref (value);
    }

  if (!update_headline (self, entry))
    {
      /* Out of range for what it means: keep the previous value. */
      if (previous != NULL)
        {
          json_node_unref (entry->value);
          entry->value = previous;
        }
      else
        g_hash_table_remove (self->quotas, raw_key);
      goto reject;
    }

  g_clear_pointer (&previous, json_node_unref);
  *stored = entry;

  /* Nobody can listen to a detail that has no quark yet: don't mint quarks
   * for unknown keys from the network. */
  detail = entry->detail != 0 ? entry->detail : g_quark_try_string (entry->key);
  /* A full report changes hundreds of keys that nobody watches: emitting
   * costs more than looking whether anyone listens. */
  if (self->emit_all_quotas ||
      (detail != 0 && g_signal_has_handler_pending (self, _juice_device_signals[QUOTA_CHANGED], detail, FALSE)))
    g_signal_emit (self, _juice_device_signals[QUOTA_CHANGED], detail, entry->key);

  _juice_device_check_pending (self, entry);

  return APPLY_CHANGED;

reject:
  self->n_rejected++;
  g_debug ("%s: rejected value for key of %zu bytes", self->serial_number, strlen (raw_key));
  return APPLY_REJECTED;
}

/* Remembers the text @entry's value came as: the next report that sends the
 * same text changes nothing, and costs a comparison. */
static void
remember_text (QuotaEntry            *entry,
               const JuiceJsonMember *member)
{
  if (member->value_length > MAX_RAW_LENGTH)
    {
      g_clear_pointer (&entry->raw, g_free);
      entry->raw_length = entry->raw_size = 0;
      return;
    }

  if (entry->raw_size < member->value_length || entry->raw == NULL)
    {
      entry->raw_size = MAX (member->value_length, 16);
      entry->raw = g_realloc (entry->raw, entry->raw_size);
    }
  memcpy (entry->raw, member->value, member->value_length);
  entry->raw_length = member->value_length;
}

/* The entry for @key: where the last report had it at @position (reports
 * repeat their shape, and a comparison costs less than hashing), else from
 * the table. Entries live as long as the device, so the cache of pointers
 * never dangles. */
static QuotaEntry *
find_entry (JuiceDevice *self,
            const char  *key,
            guint        position)
{
  QuotaEntry *entry;

  if (position < self->report_shape->len)
    {
      entry = g_ptr_array_index (self->report_shape, position);
      if (entry != NULL && strcmp (entry->raw_key, key) == 0)
        return entry;
    }

  entry = g_hash_table_lookup (self->quotas, key);
  if (entry != NULL && position < MAX_STORED_KEYS)
    {
      if (position >= self->report_shape->len)
        g_ptr_array_set_size (self->report_shape, position + 1);
      g_ptr_array_index (self->report_shape, position) = entry;
    }

  return entry;
}

/* Returns TRUE when the stored value changed. */
static gboolean
apply_scanned_member (JuiceDevice           *self,
                      const char            *prefix,
                      gsize                  prefix_length,
                      const JuiceJsonMember *member,
                      guint                  position)
{
  char key[MAX_KEY_LENGTH + 2];
  g_autoptr(JsonNode) value = NULL;
  QuotaEntry *entry;
  ApplyResult result;

  if (prefix_length >= sizeof key ||
      juice_json_member_key (member, key + prefix_length, sizeof key - prefix_length) == NULL)
    {
      self->n_rejected++;
      g_debug ("%s: rejected a key over %d bytes", self->serial_number, MAX_KEY_LENGTH);
      return FALSE;
    }
  memcpy (key, prefix, prefix_length);

  entry = find_entry (self, key, position);
  if (entry != NULL && entry->raw != NULL && entry->raw_length == member->value_length &&
      memcmp (entry->raw, member->value, member->value_length) == 0)
    {
      entry->serial = self->report_serial;
      return FALSE;
    }

  value = juice_json_member_to_node (member, MAX_REPORT_DEPTH);
  if (value == NULL)
    {
      self->n_rejected++;
      return FALSE;
    }

  result = apply_member (self, key, value, &entry);
  if (result == APPLY_REJECTED)
    return FALSE;

  remember_text (entry, member);
  entry->serial = self->report_serial;
  return result == APPLY_CHANGED;
}

static void
begin_report (JuiceDevice *self,
              gboolean     live)
{
  if (live)
    self->report_serial++;
  g_object_freeze_notify (G_OBJECT (self));
  self->emit_all_quotas = g_signal_has_handler_pending (self, _juice_device_signals[QUOTA_CHANGED], 0, FALSE);
}

static void
end_report (JuiceDevice *self,
            guint        n_changed)
{
  self->last_report_time = g_get_real_time ();
  juice_device_set_stale (self, FALSE);

  g_object_thaw_notify (G_OBJECT (self));

  g_signal_emit (self, _juice_device_signals[REPORT_APPLIED], 0, n_changed);
}

int
juice_device_apply_reports (JuiceDevice  *self,
                            JuiceReport **reports,
                            guint         n_reports)
{
  g_autoptr(JuiceDevice) hold = NULL;
  guint n_changed = 0;

  g_return_val_if_fail (JUICE_IS_DEVICE (self), -1);
  g_return_val_if_fail (reports != NULL || n_reports == 0, -1);

  hold = g_object_ref (self);
  begin_report (self, TRUE);

  for (guint r = 0; r < n_reports; r++)
    {
      const char *prefix = juice_report_get_prefix (reports[r]);
      gsize prefix_length = strlen (prefix);
      guint n = juice_report_get_n_members (reports[r]);

      for (guint i = 0; i < n; i++)
        if (apply_scanned_member (self, prefix, prefix_length, juice_report_get_member (reports[r], i), i))
          n_changed++;
    }

  end_report (self, n_changed);

  return (int) n_changed;
}

JuiceReport *
juice_device_check_report (JuiceDevice  *self,
                           const char   *data,
                           gssize        length,
                           GError      **error)
{
  JuiceReport *report;

  g_return_val_if_fail (JUICE_IS_DEVICE (self), NULL);
  g_return_val_if_fail (data != NULL || length <= 0, NULL);

  if (length < 0)
    length = data != NULL ? strlen (data) : 0;

  report = juice_report_new (self->profile, data, length, MAX_REPORT_BYTES, MAX_REPORT_DEPTH, error);
  if (report == NULL)
    self->n_rejected++;

  return report;
}

/* @since: G_MAXUINT64 for a live report, which stamps what it sends;
 * otherwise the serial a snapshot was asked for at, which keeps what live
 * reports sent after it. */
static int
apply_object (JuiceDevice  *self,
              JsonNode     *params,
              guint64       since,
              GError      **error)
{
  g_autoptr(JuiceDevice) hold = NULL;
  gboolean live = since == G_MAXUINT64;
  JsonObjectIter iter;
  const char *member_name;
  JsonNode *member;
  guint n_changed = 0;

  if (params == NULL || !JSON_NODE_HOLDS_OBJECT (params))
    {
      self->n_rejected++;
      g_set_error_literal (error, JUICE_DEVICE_ERROR, JUICE_DEVICE_ERROR_MALFORMED,
                           "Report is not a JSON object");
      return -1;
    }

  hold = g_object_ref (self);
  begin_report (self, live);

  json_object_iter_init (&iter, json_node_get_object (params));
  while (json_object_iter_next (&iter, &member_name, &member))
    {
      QuotaEntry *entry = NULL;
      ApplyResult result;

      if (!live)
        {
          entry = g_hash_table_lookup (self->quotas, member_name);
          if (entry != NULL && entry->serial > since)
            continue;
        }

      result = apply_member (self, member_name, member, &entry);
      if (result == APPLY_REJECTED)
        continue;

      if (live)
        entry->serial = self->report_serial;
      if (result == APPLY_CHANGED)
        {
          /* The text it came as is not known here. */
          g_clear_pointer (&entry->raw, g_free);
          entry->raw_length = entry->raw_size = 0;
          n_changed++;
        }
    }

  end_report (self, n_changed);

  return (int) n_changed;
}

int
juice_device_apply_report (JuiceDevice  *self,
                           JsonNode     *params,
                           GError      **error)
{
  g_return_val_if_fail (JUICE_IS_DEVICE (self), -1);

  return apply_object (self, params, G_MAXUINT64, error);
}

int
juice_device_apply_snapshot (JuiceDevice  *self,
                             JsonNode     *params,
                             guint64       since,
                             GError      **error)
{
  g_return_val_if_fail (JUICE_IS_DEVICE (self), -1);
  g_return_val_if_fail (since < G_MAXUINT64, -1);

  return apply_object (self, params, since, error);
}

guint64
juice_device_get_report_serial (JuiceDevice *self)
{
  g_return_val_if_fail (JUICE_IS_DEVICE (self), 0);

  return self->report_serial;
}

int
juice_device_apply_report_bytes (JuiceDevice  *self,
                                 const char   *data,
                                 gssize        length,
                                 GError      **error)
{
  g_autoptr(JuiceReport) report = NULL;

  g_return_val_if_fail (JUICE_IS_DEVICE (self), -1);

  report = juice_device_check_report (self, data, length, error);
  if (report == NULL)
    return -1;

  return juice_device_apply_reports (self, &report, 1);
}

JsonNode *
juice_device_get_quota (JuiceDevice *self,
                        const char  *key)
{
  QuotaEntry *entry;

  g_return_val_if_fail (JUICE_IS_DEVICE (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  entry = g_hash_table_lookup (self->quotas, key);
  return entry != NULL ? entry->value : NULL;
}

const char *
juice_device_get_quota_raw_key (JuiceDevice *self,
                                const char  *key)
{
  QuotaEntry *entry;

  g_return_val_if_fail (JUICE_IS_DEVICE (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  entry = g_hash_table_lookup (self->quotas, key);
  return entry != NULL ? entry->raw_key : NULL;
}

gboolean
juice_device_get_quota_int (JuiceDevice *self,
                            const char  *key,
                            gint64      *value)
{
  return juice_json_node_get_int (juice_device_get_quota (self, key), value);
}

gboolean
juice_device_get_quota_double (JuiceDevice *self,
                               const char  *key,
                               double      *value)
{
  return juice_json_node_get_double (juice_device_get_quota (self, key), value);
}

char **
juice_device_dup_quota_keys (JuiceDevice *self)
{
  GHashTableIter iter;
  QuotaEntry *entry;
  GPtrArray *keys;

  g_return_val_if_fail (JUICE_IS_DEVICE (self), NULL);

  keys = g_ptr_array_new_full (g_hash_table_size (self->quotas) + 1, NULL);
  g_hash_table_iter_init (&iter, self->quotas);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&entry))
    g_ptr_array_add (keys, g_strdup (entry->raw_key));
  g_ptr_array_sort (keys, compare_strings);
  g_ptr_array_add (keys, NULL);

  return (char **) g_ptr_array_free (keys, FALSE);
}

guint
juice_device_get_n_quotas (JuiceDevice *self)
{
  g_return_val_if_fail (JUICE_IS_DEVICE (self), 0);

  return g_hash_table_size (self->quotas);
}

guint
juice_device_get_n_rejected (JuiceDevice *self)
{
  g_return_val_if_fail (JUICE_IS_DEVICE (self), 0);

  return self->n_rejected;
}
