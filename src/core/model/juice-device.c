/* juice-device.c
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
#include "juice-report-decoder.h"

G_DEFINE_FINAL_TYPE (JuiceDevice, juice_device, G_TYPE_OBJECT)

GParamSpec *_juice_device_properties[N_PROPS];
guint _juice_device_signals[N_SIGNALS];

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

static void
juice_device_finalize (GObject *object)
{
  JuiceDevice *self = (JuiceDevice *)object;

  g_clear_pointer (&self->serial_number, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->product, g_free);
  g_clear_pointer (&self->report_shape, g_ptr_array_unref);
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

  _juice_device_properties[PROP_SERIAL_NUMBER] =
    g_param_spec_string ("serial-number", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  _juice_device_properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  _juice_device_properties[PROP_PRODUCT] =
    g_param_spec_string ("product", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  _juice_device_properties[PROP_ONLINE] =
    g_param_spec_boolean ("online", NULL, NULL, FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  /* Values stay when a device goes quiet; "stale" says they may be old. */
  _juice_device_properties[PROP_STALE] =
    g_param_spec_boolean ("stale", NULL, NULL, FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  _juice_device_properties[PROP_SOC] =
    g_param_spec_double ("soc", NULL, NULL, 0, 100, 0,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  _juice_device_properties[PROP_WATTS_IN] =
    g_param_spec_int ("watts-in", NULL, NULL, 0, G_MAXINT, 0,
                      (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  _juice_device_properties[PROP_WATTS_OUT] =
    g_param_spec_int ("watts-out", NULL, NULL, 0, G_MAXINT, 0,
                      (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  /* Positive: minutes to full; negative: minutes to empty; 0 unknown. */
  _juice_device_properties[PROP_REMAIN_MINUTES] =
    g_param_spec_int ("remain-minutes", NULL, NULL, G_MININT, G_MAXINT, 0,
                      (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  _juice_device_properties[PROP_TRANSPORT] =
    g_param_spec_object ("transport", NULL, NULL, JUICE_TYPE_TRANSPORT,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  _juice_device_properties[PROP_COMMAND_TIMEOUT] =
    g_param_spec_uint ("command-timeout", NULL, NULL, 1, G_MAXUINT, DEFAULT_TIMEOUT_MS,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  /* Why the device's values could not be loaded, as a sentence; NULL when
   * nothing is wrong. */
  _juice_device_properties[PROP_PROBLEM] =
    g_param_spec_string ("problem", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, _juice_device_properties);

  /**
   * JuiceDevice::quota-changed:
   * @key: the key as the profile spells it
   *
   * A quota's value changed; the signal detail is the key.
   */
  _juice_device_signals[QUOTA_CHANGED] =
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
  _juice_device_signals[SETTING_CHANGED] =
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
  _juice_device_signals[REPORT_APPLIED] =
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
                                        NULL, _juice_device_quota_entry_free);
  self->report_shape = g_ptr_array_new ();
  self->pending = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, _juice_device_pending_command_free);
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
    g_object_notify_by_pspec (G_OBJECT (self), _juice_device_properties[PROP_NAME]);
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
    g_object_notify_by_pspec (G_OBJECT (self), _juice_device_properties[PROP_PRODUCT]);
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
  g_object_notify_by_pspec (G_OBJECT (self), _juice_device_properties[PROP_ONLINE]);
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
  g_object_notify_by_pspec (G_OBJECT (self), _juice_device_properties[PROP_STALE]);
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
  g_object_notify_by_pspec (G_OBJECT (self), _juice_device_properties[PROP_TRANSPORT]);
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
  g_object_notify_by_pspec (G_OBJECT (self), _juice_device_properties[PROP_COMMAND_TIMEOUT]);
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
    g_object_notify_by_pspec (G_OBJECT (self), _juice_device_properties[PROP_PROBLEM]);
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
