/* juice-device.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "juice-device"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "juice-device.h"
#include "juice-error.h"
#include "juice-json.h"
#include "juice-report-decoder.h"

#define MAX_REPORT_BYTES     (1024 * 1024)
#define MAX_REPORT_DEPTH     32
#define MAX_KEY_LENGTH       128
#define MAX_STORED_KEYS      4096
#define DEFAULT_TIMEOUT_MS   10000

typedef struct
{
  char                   *raw_key;   /* the device's spelling; owns the hash key */
  const char             *key;       /* the profile's spelling, or raw_key */
  const JuiceQuotaInfo   *info;      /* NULL for keys no profile lists */
  const JuiceSettingInfo *setting;   /* the setting this key reads back, if any */
  JsonNode               *value;
  GQuark                  detail;    /* known keys: their quark, minted once */
  guint                   headline;  /* which property the key feeds, HEADLINE_* */
} QuotaEntry;

enum {
  HEADLINE_NONE,
  HEADLINE_SOC,
  HEADLINE_WATTS_IN,
  HEADLINE_WATTS_OUT,
  HEADLINE_REMAIN,
};

typedef struct
{
  JuiceDevice            *device;    /* weak: the task holds the device */
  const JuiceSettingInfo *setting;
  gint64                  value;
  GTask                  *task;
  GCancellable           *cancellable; /* stops the transport waiting for a reply */
  GSource                *timeout;     /* no confirmation in time: roll back */
  GSource                *cancelled;   /* the caller's cancellable fired */
  gboolean                accepted;
} PendingCommand;

struct _JuiceDevice
{
  GObject                   parent_instance;

  /* owned references */
  char                     *serial_number;
  char                     *name;
  char                     *product;
  GWeakRef                  transport;
  GHashTable               *quotas;      /* raw key (case-insensitive) -> QuotaEntry */
  GHashTable               *pending;     /* setting name -> PendingCommand */
  GMainContext             *context;     /* where the object was made: its sources run there */
  char                     *problem;

  /* state */
  const JuiceDeviceProfile *profile;
  double                    soc;
  int                       watts_in;
  int                       watts_out;
  int                       remain_minutes;
  gint64                    last_report_time;
  guint                     n_rejected;
  guint                     command_timeout_ms;
  guint                     online : 1;
  guint                     stale : 1;
  guint                     emit_all_quotas : 1;  /* someone listens without a detail */
};

G_DEFINE_FINAL_TYPE (JuiceDevice, juice_device, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SERIAL_NUMBER,
  PROP_NAME,
  PROP_PRODUCT,
  PROP_ONLINE,
  PROP_STALE,
  PROP_SOC,
  PROP_WATTS_IN,
  PROP_WATTS_OUT,
  PROP_REMAIN_MINUTES,
  PROP_TRANSPORT,
  PROP_COMMAND_TIMEOUT,
  PROP_PROBLEM,
  N_PROPS
};

enum {
  QUOTA_CHANGED,
  SETTING_CHANGED,
  REPORT_APPLIED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* g_set_str() is GLib 2.76. */
static gboolean
set_str (char       **field,
         const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;

  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static void
quota_entry_free (gpointer data)
{
  QuotaEntry *entry = data;

  g_clear_pointer (&entry->value, json_node_unref);
  g_free (entry->raw_key);
  g_free (entry);
}

static void
destroy_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

static void
pending_command_free (gpointer data)
{
  PendingCommand *pending = data;

  destroy_source (&pending->timeout);
  destroy_source (&pending->cancelled);
  g_cancellable_cancel (pending->cancellable);
  g_clear_object (&pending->cancellable);
  g_clear_object (&pending->task);
  g_free (pending);
}

static void
emit_setting_changed (JuiceDevice            *self,
                      const JuiceSettingInfo *setting)
{
  g_signal_emit (self, signals[SETTING_CHANGED],
                 g_quark_from_static_string (setting->name), setting->name);
}

/* Ends @pending: success, or the error that rolls the shown value back. */
static void
pending_command_finish (PendingCommand *pending,
                        GError         *error)
{
  JuiceDevice *self = pending->device;
  const JuiceSettingInfo *setting = pending->setting;
  g_autoptr(GTask) task = g_steal_pointer (&pending->task);

  g_hash_table_remove (self->pending, setting->name);

  if (error != NULL)
    g_debug ("%s: %s rolled back: %s", self->serial_number, setting->name, error->message);
  else
    g_debug ("%s: %s confirmed", self->serial_number, setting->name);

  emit_setting_changed (self, setting);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static gboolean
readback_matches (JuiceDevice    *self,
                  PendingCommand *pending)
{
  gint64 current;

  return juice_device_get_quota_int (self, pending->setting->readback_key, &current)
         && current == pending->value;
}

static void
juice_device_finalize (GObject *object)
{
  JuiceDevice *self = (JuiceDevice *)object;

  g_clear_pointer (&self->serial_number, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->product, g_free);
  g_clear_pointer (&self->quotas, g_hash_table_unref);
  g_clear_pointer (&self->pending, g_hash_table_unref);
  g_clear_pointer (&self->problem, g_free);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_weak_ref_clear (&self->transport);

  G_OBJECT_CLASS (juice_device_parent_class)->finalize (object);
}

static void
juice_device_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  JuiceDevice *self = JUICE_DEVICE (object);

  switch (prop_id)
    {
    case PROP_SERIAL_NUMBER:
      g_value_set_string (value, self->serial_number);
      break;

    case PROP_NAME:
      g_value_set_string (value, juice_device_get_name (self));
      break;

    case PROP_PRODUCT:
      g_value_set_string (value, juice_device_get_product (self));
      break;

    case PROP_ONLINE:
      g_value_set_boolean (value, self->online);
      break;

    case PROP_STALE:
      g_value_set_boolean (value, self->stale);
      break;

    case PROP_SOC:
      g_value_set_double (value, self->soc);
      break;

    case PROP_WATTS_IN:
      g_value_set_int (value, self->watts_in);
      break;

    case PROP_WATTS_OUT:
      g_value_set_int (value, self->watts_out);
      break;

    case PROP_REMAIN_MINUTES:
      g_value_set_int (value, self->remain_minutes);
      break;

    case PROP_TRANSPORT:
      g_value_take_object (value, g_weak_ref_get (&self->transport));
      break;

    case PROP_COMMAND_TIMEOUT:
      g_value_set_uint (value, self->command_timeout_ms);
      break;

    case PROP_PROBLEM:
      g_value_set_string (value, self->problem);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
juice_device_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  JuiceDevice *self = JUICE_DEVICE (object);

  switch (prop_id)
    {
    case PROP_SERIAL_NUMBER:
      self->serial_number = g_value_dup_string (value);
      break;

    case PROP_NAME:
      juice_device_set_name (self, g_value_get_string (value));
      break;

    case PROP_PRODUCT:
      juice_device_set_product (self, g_value_get_string (value));
      break;

    case PROP_ONLINE:
      juice_device_set_online (self, g_value_get_boolean (value));
      break;

    case PROP_STALE:
      juice_device_set_stale (self, g_value_get_boolean (value));
      break;

    case PROP_TRANSPORT:
      juice_device_set_transport (self, g_value_get_object (value));
      break;

    case PROP_COMMAND_TIMEOUT:
      juice_device_set_command_timeout (self, g_value_get_uint (value));
      break;

    case PROP_PROBLEM:
      juice_device_set_problem (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
juice_device_class_init (JuiceDeviceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = juice_device_finalize;
  object_class->get_property = juice_device_get_property;
  object_class->set_property = juice_device_set_property;

  properties[PROP_SERIAL_NUMBER] =
    g_param_spec_string ("serial-number", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_PRODUCT] =
    g_param_spec_string ("product", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_ONLINE] =
    g_param_spec_boolean ("online", NULL, NULL, FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  /* Values stay when a device goes quiet; "stale" says they may be old. */
  properties[PROP_STALE] =
    g_param_spec_boolean ("stale", NULL, NULL, FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_SOC] =
    g_param_spec_double ("soc", NULL, NULL, 0, 100, 0,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_WATTS_IN] =
    g_param_spec_int ("watts-in", NULL, NULL, 0, G_MAXINT, 0,
                      (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_WATTS_OUT] =
    g_param_spec_int ("watts-out", NULL, NULL, 0, G_MAXINT, 0,
                      (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  /* Positive: minutes to full; negative: minutes to empty; 0 unknown. */
  properties[PROP_REMAIN_MINUTES] =
    g_param_spec_int ("remain-minutes", NULL, NULL, G_MININT, G_MAXINT, 0,
                      (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_TRANSPORT] =
    g_param_spec_object ("transport", NULL, NULL, JUICE_TYPE_TRANSPORT,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_COMMAND_TIMEOUT] =
    g_param_spec_uint ("command-timeout", NULL, NULL, 1, G_MAXUINT, DEFAULT_TIMEOUT_MS,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  /* Why the device's values could not be loaded, as a sentence; NULL when
   * nothing is wrong. */
  properties[PROP_PROBLEM] =
    g_param_spec_string ("problem", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * JuiceDevice::quota-changed:
   * @key: the key as the profile spells it
   *
   * A quota's value changed; the signal detail is the key.
   */
  signals[QUOTA_CHANGED] =
    g_signal_new ("quota-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);

  /**
   * JuiceDevice::setting-changed:
   * @name: the setting's name ("ac-output")
   *
   * The shown value of a setting or its pending state changed.
   */
  signals[SETTING_CHANGED] =
    g_signal_new ("setting-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);

  /**
   * JuiceDevice::report-applied:
   * @n_changed: how many keys changed
   *
   * A report was applied and every notification for it was sent.
   */
  signals[REPORT_APPLIED] =
    g_signal_new ("report-applied",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void
juice_device_init (JuiceDevice *self)
{
  self->quotas = g_hash_table_new_full (juice_str_case_hash, juice_str_case_equal,
                                        NULL, quota_entry_free);
  self->pending = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, pending_command_free);
  self->command_timeout_ms = DEFAULT_TIMEOUT_MS;
  self->context = g_main_context_ref_thread_default ();
  g_weak_ref_init (&self->transport, NULL);
}

JuiceDevice *
juice_device_new (const char               *serial_number,
                  const JuiceDeviceProfile *profile)
{
  JuiceDevice *self;

  g_return_val_if_fail (serial_number != NULL, NULL);

  self = g_object_new (JUICE_TYPE_DEVICE,
                       "serial-number", serial_number,
                       NULL);
  self->profile = profile;

  return self;
}

const char *
juice_device_get_serial_number (JuiceDevice *self)
{
  g_return_val_if_fail (JUICE_IS_DEVICE (self), NULL);

  return self->serial_number;
}

const JuiceDeviceProfile *
juice_device_get_profile (JuiceDevice *self)
{
  g_return_val_if_fail (JUICE_IS_DEVICE (self), NULL);

  return self->profile;
}

const char *
juice_device_get_name (JuiceDevice *self)
{
  g_return_val_if_fail (JUICE_IS_DEVICE (self), NULL);

  if (self->name != NULL && *self->name != '\0')
    return self->name;

  return self->serial_number;
}

void
juice_device_set_name (JuiceDevice *self,
                       const char  *name)
{
  g_return_if_fail (JUICE_IS_DEVICE (self));

  if (set_str (&self->name, name))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

const char *
juice_device_get_product (JuiceDevice *self)
{
  g_return_val_if_fail (JUICE_IS_DEVICE (self), NULL);

  if (self->product != NULL && *self->product != '\0')
    return self->product;

  if (self->profile != NULL)
    return self->profile->product;

  return _("Unknown device");
}

void
juice_device_set_product (JuiceDevice *self,
                          const char  *product)
{
  g_return_if_fail (JUICE_IS_DEVICE (self));

  if (set_str (&self->product, product))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRODUCT]);
}

gboolean
juice_device_get_online (JuiceDevice *self)
{
  g_return_val_if_fail (JUICE_IS_DEVICE (self), FALSE);

  return self->online;
}

void
juice_device_set_online (JuiceDevice *self,
                         gboolean     online)
{
  g_return_if_fail (JUICE_IS_DEVICE (self));

  online = !!online;
  if (self->online == online)
    return;

  self->online = online;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ONLINE]);
  if (!online)
    juice_device_set_stale (self, TRUE);
}

gboolean
juice_device_get_stale (JuiceDevice *self)
{
  g_return_val_if_fail (JUICE_IS_DEVICE (self), FALSE);

  return self->stale;
}

void
juice_device_set_stale (JuiceDevice *self,
                        gboolean     stale)
{
  g_return_if_fail (JUICE_IS_DEVICE (self));

  stale = !!stale;
  if (self->stale == stale)
    return;

  self->stale = stale;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STALE]);
}

double
juice_device_get_soc (JuiceDevice *self)
{
  g_return_val_if_fail (JUICE_IS_DEVICE (self), 0);

  return self->soc;
}

int
juice_device_get_watts_in (JuiceDevice *self)
{
  g_return_val_if_fail (JUICE_IS_DEVICE (self), 0);

  return self->watts_in;
}

int
juice_device_get_watts_out (JuiceDevice *self)
{
  g_return_val_if_fail (JUICE_IS_DEVICE (self), 0);

  return self->watts_out;
}

int
juice_device_get_remain_minutes (JuiceDevice *self)
{
  g_return_val_if_fail (JUICE_IS_DEVICE (self), 0);

  return self->remain_minutes;
}

gint64
juice_device_get_last_report_time (JuiceDevice *self)
{
  g_return_val_if_fail (JUICE_IS_DEVICE (self), 0);

  return self->last_report_time;
}

JuiceTransport *
juice_device_get_transport (JuiceDevice *self)
{
  g_autoptr(JuiceTransport) transport = NULL;

  g_return_val_if_fail (JUICE_IS_DEVICE (self), NULL);

  /* Borrowed: whoever set the transport keeps it alive. */
  transport = g_weak_ref_get (&self->transport);
  return transport;
}

void
juice_device_set_transport (JuiceDevice    *self,
                            JuiceTransport *transport)
{
  g_autoptr(JuiceTransport) old = NULL;

  g_return_if_fail (JUICE_IS_DEVICE (self));
  g_return_if_fail (!transport || JUICE_IS_TRANSPORT (transport));

  old = g_weak_ref_get (&self->transport);
  if (old == transport)
    return;

  g_weak_ref_set (&self->transport, transport);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TRANSPORT]);
}

guint
juice_device_get_command_timeout (JuiceDevice *self)
{
  g_return_val_if_fail (JUICE_IS_DEVICE (self), 0);

  return self->command_timeout_ms;
}

void
juice_device_set_command_timeout (JuiceDevice *self,
                                  guint        timeout_ms)
{
  g_return_if_fail (JUICE_IS_DEVICE (self));
  g_return_if_fail (timeout_ms > 0);

  if (self->command_timeout_ms == timeout_ms)
    return;

  self->command_timeout_ms = timeout_ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMMAND_TIMEOUT]);
}

const char *
juice_device_get_problem (JuiceDevice *self)
{
  g_return_val_if_fail (JUICE_IS_DEVICE (self), NULL);

  return self->problem;
}

void
juice_device_set_problem (JuiceDevice *self,
                          const char  *problem)
{
  g_return_if_fail (JUICE_IS_DEVICE (self));

  if (problem != NULL && problem[0] == '\0')
    problem = NULL;

  if (set_str (&self->problem, problem))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROBLEM]);
}

void
juice_device_refresh (JuiceDevice *self)
{
  g_autoptr(JuiceTransport) transport = NULL;

  g_return_if_fail (JUICE_IS_DEVICE (self));

  transport = g_weak_ref_get (&self->transport);
  if (transport == NULL)
    {
      g_debug ("%s: no transport to ask for the values", self->serial_number);
      return;
    }

  juice_transport_request_quotas (transport, self->serial_number, NULL);
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
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SOC]);
        }
      break;

    case HEADLINE_WATTS_IN:
      if (v < 0 || v > G_MAXINT)
        return FALSE;
      update_int (self, &self->watts_in, v, properties[PROP_WATTS_IN]);
      break;

    case HEADLINE_WATTS_OUT:
      if (v < 0 || v > G_MAXINT)
        return FALSE;
      update_int (self, &self->watts_out, v, properties[PROP_WATTS_OUT]);
      break;

    case HEADLINE_REMAIN:
      if (v < G_MININT || v > G_MAXINT)
        return FALSE;
      update_int (self, &self->remain_minutes, v, properties[PROP_REMAIN_MINUTES]);
      break;

    default:
      g_assert_not_reached ();
    }

  return TRUE;
}

static void
check_pending (JuiceDevice *self,
               QuotaEntry  *entry)
{
  PendingCommand *pending;

  if (entry->setting == NULL)
    return;

  pending = g_hash_table_lookup (self->pending, entry->setting->name);
  if (pending != NULL && readback_matches (self, pending))
    pending_command_finish (pending, NULL);
  else
    emit_setting_changed (self, entry->setting);
}

/* Returns TRUE when the stored value changed. */
static gboolean
apply_member (JuiceDevice *self,
              const char  *raw_key,
              JsonNode    *value)
{
  QuotaEntry *entry;
  JsonNode *previous = NULL;
  GQuark detail;

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
        return FALSE;

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

  /* Nobody can listen to a detail that has no quark yet: don't mint quarks
   * for unknown keys from the network. */
  detail = entry->detail != 0 ? entry->detail : g_quark_try_string (entry->key);
  /* A full report changes hundreds of keys that nobody watches: emitting
   * costs more than looking whether anyone listens. */
  if (self->emit_all_quotas ||
      (detail != 0 && g_signal_has_handler_pending (self, signals[QUOTA_CHANGED], detail, FALSE)))
    g_signal_emit (self, signals[QUOTA_CHANGED], detail, entry->key);

  check_pending (self, entry);

  return TRUE;

reject:
  self->n_rejected++;
  g_debug ("%s: rejected value for key of %zu bytes", self->serial_number, strlen (raw_key));
  return FALSE;
}

int
juice_device_apply_report (JuiceDevice  *self,
                           JsonNode     *params,
                           GError      **error)
{
  g_autoptr(JuiceDevice) hold = NULL;
  JsonObjectIter iter;
  const char *member_name;
  JsonNode *member;
  guint n_changed = 0;

  g_return_val_if_fail (JUICE_IS_DEVICE (self), -1);

  if (params == NULL || !JSON_NODE_HOLDS_OBJECT (params))
    {
      self->n_rejected++;
      g_set_error_literal (error, JUICE_DEVICE_ERROR, JUICE_DEVICE_ERROR_MALFORMED,
                           "Report is not a JSON object");
      return -1;
    }

  hold = g_object_ref (self);
  g_object_freeze_notify (G_OBJECT (self));
  self->emit_all_quotas = g_signal_has_handler_pending (self, signals[QUOTA_CHANGED], 0, FALSE);

  json_object_iter_init (&iter, json_node_get_object (params));
  while (json_object_iter_next (&iter, &member_name, &member))
    {
      if (apply_member (self, member_name, member))
        n_changed++;
    }

  self->last_report_time = g_get_real_time ();
  juice_device_set_stale (self, FALSE);

  g_object_thaw_notify (G_OBJECT (self));

  g_signal_emit (self, signals[REPORT_APPLIED], 0, n_changed);

  return (int) n_changed;
}

JsonNode *
juice_device_parse_report (JuiceDevice  *self,
                           const char   *data,
                           gssize        length,
                           GError      **error)
{
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (JUICE_IS_DEVICE (self), NULL);

  root = juice_json_parse (data, length, MAX_REPORT_BYTES, MAX_REPORT_DEPTH, error);
  if (root == NULL)
    {
      self->n_rejected++;
      return NULL;
    }

  /* Flat params, or typeCode groups mapped to prefixes by the profile. */
  if (JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonNode *decoded = juice_report_decode (self->profile, root);

      if (decoded == NULL)
        {
          self->n_rejected++;
          g_set_error_literal (error, JUICE_DEVICE_ERROR, JUICE_DEVICE_ERROR_MALFORMED,
                               "Report has a malformed typeCode");
        }
      return decoded;
    }

  return g_steal_pointer (&root);
}

int
juice_device_apply_report_bytes (JuiceDevice  *self,
                                 const char   *data,
                                 gssize        length,
                                 GError      **error)
{
  g_autoptr(JsonNode) params = NULL;

  g_return_val_if_fail (JUICE_IS_DEVICE (self), -1);

  params = juice_device_parse_report (self, data, length, error);
  if (params == NULL)
    return -1;

  return juice_device_apply_report (self, params, error);
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

/* Settings and commands ------------------------------------------------- */

gboolean
juice_device_get_setting_value (JuiceDevice *self,
                                const char  *setting,
                                gint64      *value)
{
  const JuiceSettingInfo *info;
  PendingCommand *pending;

  g_return_val_if_fail (JUICE_IS_DEVICE (self), FALSE);
  g_return_val_if_fail (setting != NULL, FALSE);

  if ((pending = g_hash_table_lookup (self->pending, setting)))
    {
      *value = pending->value;
      return TRUE;
    }

  if (self->profile == NULL ||
      !(info = juice_device_profile_lookup_setting (self->profile, setting)))
    return FALSE;

  return juice_device_get_quota_int (self, info->readback_key, value);
}

gboolean
juice_device_is_setting_pending (JuiceDevice *self,
                                 const char  *setting)
{
  g_return_val_if_fail (JUICE_IS_DEVICE (self), FALSE);
  g_return_val_if_fail (setting != NULL, FALSE);

  return g_hash_table_contains (self->pending, setting);
}

JsonObject *
juice_device_build_command (JuiceDevice             *self,
                            const JuiceSettingInfo  *setting,
                            gint64                   value,
                            GError                 **error)
{
  gint64 companion = 0;
  gboolean known = FALSE;

  g_return_val_if_fail (JUICE_IS_DEVICE (self), NULL);
  g_return_val_if_fail (setting != NULL, NULL);

  /* The builder decides what an unknown or 0xff companion becomes. */
  if (setting->companion_key != NULL)
    known = juice_device_get_quota_int (self, setting->companion_key, &companion);

  return juice_setting_info_build_command (setting, value, known ? &companion : NULL, error);
}

static gboolean
pending_timeout_cb (gpointer user_data)
{
  PendingCommand *pending = user_data;
  JuiceDevice *self = pending->device;

  g_clear_pointer (&pending->timeout, g_source_unref);

  pending_command_finish (pending,
                          g_error_new (JUICE_DEVICE_ERROR, JUICE_DEVICE_ERROR_TIMEOUT,
                                       _("%s did not confirm the change in time"),
                                       juice_device_get_name (self)));

  return G_SOURCE_REMOVE;
}

static void
send_command_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  JuiceTransport *transport = JUICE_TRANSPORT (object);
  g_autoptr(GTask) task = user_data;
  JuiceDevice *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  PendingCommand *pending;
  const char *name = g_task_get_task_data (task);
  const char *keys[2] = { NULL, NULL };
  gboolean ok;

  ok = juice_transport_send_command_finish (transport, result, &error);

  /* Confirmed by readback already, superseded or timed out: nothing to do. */
  pending = g_hash_table_lookup (self->pending, name);
  if (pending == NULL || pending->task != task)
    return;

  if (!ok)
    {
      pending_command_finish (pending, g_steal_pointer (&error));
      return;
    }

  pending->accepted = TRUE;

  if (readback_matches (self, pending))
    {
      pending_command_finish (pending, NULL);
      return;
    }

  keys[0] = pending->setting->readback_key;
  juice_transport_request_quotas (transport, self->serial_number, keys);
}

/* The caller cancelled: end the command and show the device's real value
 * again. A cancellation is not a failure: callers do not show it. */
static gboolean
pending_cancelled_cb (GCancellable *cancellable,
                      gpointer      user_data)
{
  PendingCommand *pending = user_data;

  g_clear_pointer (&pending->cancelled, g_source_unref);
  pending_command_finish (pending,
                          g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                               _("The change was cancelled")));

  return G_SOURCE_REMOVE;
}

void
juice_device_cancel_commands (JuiceDevice *self)
{
  GHashTableIter iter;
  PendingCommand *pending;

  g_return_if_fail (JUICE_IS_DEVICE (self));

  /* pending_command_finish() removes from the table: restart each time */
  for (;;)
    {
      g_hash_table_iter_init (&iter, self->pending);
      if (!g_hash_table_iter_next (&iter, NULL, (gpointer *)&pending))
        break;

      pending_command_finish (pending,
                              g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                   _("The change was cancelled")));
    }
}

void
juice_device_set_async (JuiceDevice         *self,
                        const char          *setting,
                        gint64               value,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JuiceTransport) transport = NULL;
  g_autoptr(JsonObject) params = NULL;
  g_autoptr(GError) error = NULL;
  const JuiceSettingInfo *info = NULL;
  PendingCommand *pending;

  g_return_if_fail (JUICE_IS_DEVICE (self));
  g_return_if_fail (setting != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, juice_device_set_async);

  if (g_task_return_error_if_cancelled (task))
    return;

  if (self->profile != NULL)
    info = juice_device_profile_lookup_setting (self->profile, setting);

  if (info == NULL)
    {
      g_task_return_new_error (task, JUICE_DEVICE_ERROR, JUICE_DEVICE_ERROR_UNKNOWN_SETTING,
                               _("%s has no setting called “%s”"),
                               juice_device_get_product (self), setting);
      return;
    }

  g_task_set_task_data (task, (gpointer) info->name, NULL);

  if (!(params = juice_device_build_command (self, info, value, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  transport = g_weak_ref_get (&self->transport);
  if (transport == NULL)
    {
      g_task_return_new_error (task, JUICE_DEVICE_ERROR, JUICE_DEVICE_ERROR_NO_TRANSPORT,
                               _("Not connected to %s"), juice_device_get_name (self));
      return;
    }

  if (!self->online)
    {
      g_task_return_new_error (task, JUICE_DEVICE_ERROR, JUICE_DEVICE_ERROR_OFFLINE,
                               _("%s is offline"), juice_device_get_name (self));
      return;
    }

  if ((pending = g_hash_table_lookup (self->pending, info->name)))
    {
      g_autoptr(GTask) previous = g_steal_pointer (&pending->task);

      g_hash_table_remove (self->pending, info->name);
      g_task_return_new_error (previous, JUICE_DEVICE_ERROR, JUICE_DEVICE_ERROR_SUPERSEDED,
                               _("A newer change replaced this one"));
    }

  pending = g_new0 (PendingCommand, 1);
  pending->device = self;
  pending->setting = info;
  pending->value = value;
  pending->task = g_object_ref (task);
  pending->cancellable = g_cancellable_new ();
  pending->timeout = g_timeout_source_new (self->command_timeout_ms);
  g_source_set_static_name (pending->timeout, "[juice-device] command timeout");
  g_source_set_callback (pending->timeout, pending_timeout_cb, pending, NULL);
  g_source_attach (pending->timeout, self->context);
  if (cancellable != NULL)
    {
      pending->cancelled = g_cancellable_source_new (cancellable);
      g_source_set_static_name (pending->cancelled, "[juice-device] command cancelled");
      g_source_set_callback (pending->cancelled, G_SOURCE_FUNC (pending_cancelled_cb),
                             pending, NULL);
      g_source_attach (pending->cancelled, self->context);
    }
  g_hash_table_insert (self->pending, (gpointer) info->name, pending);

  g_debug ("%s: sending %s = %" G_GINT64_FORMAT, self->serial_number, info->name, value);
  emit_setting_changed (self, info);

  juice_transport_send_command_async (transport, self->serial_number, params,
                                      pending->cancellable,
                                      send_command_cb, g_steal_pointer (&task));
}

gboolean
juice_device_set_finish (JuiceDevice   *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (JUICE_IS_DEVICE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
