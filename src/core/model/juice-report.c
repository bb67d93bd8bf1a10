/* juice-report.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "juice-report"

#include "config.h"

#include <string.h>

#include "juice-error.h"
#include "juice-report.h"
#include "juice-report-decoder.h"

#define MAX_TYPE_CODE_LENGTH 64

struct _JuiceReport
{
  char       *data;      /* a copy: the members point into it */
  gsize       length;
  GArray     *members;   /* JuiceJsonMember: only those to apply */
  char       *prefix;
};

/* The last member of the root named @name (json-glib keeps the last too). */
static gint32
find_root_member (GArray     *members,
                  const char *name)
{
  char buffer[MAX_TYPE_CODE_LENGTH + 2];
  gint32 found = -1;

  for (guint i = 0; i < members->len; i++)
    {
      const JuiceJsonMember *m = &g_array_index (members, JuiceJsonMember, i);
      const char *key;

      if (m->parent != -1)
        continue;
      key = juice_json_member_key (m, buffer, sizeof buffer);
      if (key != NULL && strcmp (key, name) == 0)
        found = (gint32) i;
    }

  return found;
}

/* Keeps only the members of the root's member @parent (-1: the root's own)
 * and renumbers nothing: a report's members are never nested further. */
static void
keep_children_of (GArray *members,
                  gint32  parent)
{
  guint kept = 0;

  for (guint i = 0; i < members->len; i++)
    {
      JuiceJsonMember *m = &g_array_index (members, JuiceJsonMember, i);

      if (m->parent == parent)
        g_array_index (members, JuiceJsonMember, kept++) = *m;
    }

  g_array_set_size (members, kept);
}

JuiceReport *
juice_report_new (const JuiceDeviceProfile  *profile,
                  const char                *data,
                  gsize                      length,
                  gsize                      max_length,
                  guint                      max_depth,
                  GError                   **error)
{
  g_autoptr(JuiceReport) self = NULL;
  JuiceJsonKind root_kind;
  gint32 params, type_code;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  /* Refused before anything is copied. */
  if (length > max_length)
    {
      g_set_error (error, JUICE_DEVICE_ERROR, JUICE_DEVICE_ERROR_MALFORMED,
                   "Message of %" G_GSIZE_FORMAT " bytes is larger than the %" G_GSIZE_FORMAT
                   " allowed", length, max_length);
      return NULL;
    }

  self = g_new0 (JuiceReport, 1);
  /* NUL-terminated for whoever reads a span as text; @data need not be. */
  self->data = g_malloc (length + 1);
  if (length > 0)
    memcpy (self->data, data, length);
  self->data[length] = '\0';
  self->length = length;
  self->members = g_array_sized_new (FALSE, FALSE, sizeof (JuiceJsonMember), 64);

  if (!juice_json_scan (self->data, length, max_length, max_depth, self->members,
                        &root_kind, error))
    return NULL;

  if (root_kind != JUICE_JSON_OBJECT)
    {
      g_set_error_literal (error, JUICE_DEVICE_ERROR, JUICE_DEVICE_ERROR_MALFORMED,
                           "Report is not a JSON object");
      return NULL;
    }

  /* Flat keys, or {"params": {...}}, or {"typeCode": "...", "params": {...}}. */
  params = find_root_member (self->members, "params");
  if (params < 0)
    {
      keep_children_of (self->members, -1);
      self->prefix = g_strdup ("");
      return g_steal_pointer (&self);
    }

  if (g_array_index (self->members, JuiceJsonMember, params).kind != JUICE_JSON_OBJECT)
    {
      g_set_error_literal (error, JUICE_DEVICE_ERROR, JUICE_DEVICE_ERROR_MALFORMED,
                           "Report is not a JSON object");
      return NULL;
    }

  type_code = find_root_member (self->members, "typeCode");
  if (type_code >= 0)
    {
      const JuiceJsonMember *m = &g_array_index (self->members, JuiceJsonMember, type_code);
      JuiceJsonMember text = *m;
      char code[MAX_TYPE_CODE_LENGTH + 1];

      /* The value is a string: its text between the quotes, unescaped. */
      text.key = m->value + 1;
      text.key_length = m->value_length >= 2 ? m->value_length - 2 : 0;
      text.key_escaped = TRUE;
      if (m->kind != JUICE_JSON_STRING ||
          juice_json_member_key (&text, code, sizeof code) == NULL ||
          code[0] == '\0')
        {
          g_set_error_literal (error, JUICE_DEVICE_ERROR, JUICE_DEVICE_ERROR_MALFORMED,
                               "Report has a malformed typeCode");
          return NULL;
        }
      self->prefix = juice_report_group_prefix (profile, code);
    }
  else
    self->prefix = g_strdup ("");

  keep_children_of (self->members, params);
  return g_steal_pointer (&self);
}

void
juice_report_free (JuiceReport *self)
{
  if (self == NULL)
    return;

  g_free (self->data);
  g_array_unref (self->members);
  g_free (self->prefix);
  g_free (self);
}

gsize
juice_report_get_size (JuiceReport *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->length + self->members->len * sizeof (JuiceJsonMember);
}

guint
juice_report_get_n_members (JuiceReport *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->members->len;
}

const JuiceJsonMember *
juice_report_get_member (JuiceReport *self,
                         guint        index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->members->len, NULL);

  return &g_array_index (self->members, JuiceJsonMember, index);
}

const char *
juice_report_get_prefix (JuiceReport *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->prefix;
}
