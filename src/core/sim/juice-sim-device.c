/* juice-sim-device.c: an in-process DELTA Pro (or DELTA 2): the object
 *
 * The parts of JuiceSimDevice (they share juice-sim-private.h):
 * juice-sim-device.c    the object, its state, its API, the demo's wiring
 * juice-sim-physics.c   the DELTA Pro's physics, reports, the sim's timers
 * juice-sim-commands.c  what the firmware accepts, commands and replies, and
 *                       the sim as the demo's JuiceTransport
 * juice-sim-delta-2.c   what is specific to the DELTA 2
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

#define FIXTURE_RESOURCE    "/io/github/juicepower/Juice/core/delta-pro-quota-all.json"

G_DEFINE_FINAL_TYPE_WITH_CODE (JuiceSimDevice, juice_sim_device, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (JUICE_TYPE_TRANSPORT,
                                                      _juice_sim_device_transport_iface_init))

enum {
  PROP_0,
  PROP_SERIAL_NUMBER,
  PROP_NAME,
  PROP_ONLINE,
  PROP_REPORT_INTERVAL_MS,
  PROP_ACK_DELAY_MS,
  PROP_APPLY_DELAY_MS,
  PROP_TIME_OF_DAY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];
guint _juice_sim_device_signals[N_SIGNALS];

static void
sim_value_free (gpointer data)
{
  SimValue *value = data;

  json_node_unref (value->value);
  g_free (value->key);
  g_free (value);
}

static void
destroy_source (gpointer data)
{
  g_source_destroy (data);
  g_source_unref (data);
}

/* State ----------------------------------------------------------------- */

static void
set_node (JuiceSimDevice *self,
          const char     *key,
          JsonNode       *node)
{
  SimValue *value = g_hash_table_lookup (self->state, key);

  if (value == NULL)
    {
      value = g_new0 (SimValue, 1);
      value->key = g_strdup (key);
      value->value = node;
      g_hash_table_insert (self->state, value->key, value);
    }
  else if (json_node_equal (value->value, node))
    {
      json_node_unref (node);
      return;
    }
  else
    {
      json_node_unref (value->value);
      value->value = node;
    }

  g_hash_table_add (self->dirty, value);
}

static void
set_int (JuiceSimDevice *self,
         const char     *key,
         gint64          v)
{
  JsonNode *node = json_node_init_int (json_node_alloc (), v);

  json_node_seal (node);
  set_node (self, key, node);
}

static void
set_double (JuiceSimDevice *self,
            const char     *key,
            double          v)
{
  JsonNode *node = json_node_init_double (json_node_alloc (), round (v * 100) / 100);

  json_node_seal (node);
  set_node (self, key, node);
}

static gint64
get_int (JuiceSimDevice *self,
         const char     *key,
         gint64          fallback)
{
  SimValue *value = g_hash_table_lookup (self->state, key);
  gint64 v;

  if (value != NULL && juice_json_node_get_int (value->value, &v))
    return v;

  return fallback;
}

static void
load_fixture (JuiceSimDevice *self)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonObjectIter iter;
  const char *key;
  JsonNode *member;
  JsonNode *data;
  gsize len;
  const char *text;

  bytes = g_resource_lookup_data (juice_core_get_resource (),
                                  self->profile && self->profile->physics
                                    ? self->profile->physics->fixture : FIXTURE_RESOURCE,
                                  0, &error);
  g_assert_no_error (error);

  text = g_bytes_get_data (bytes, &len);
  root = juice_json_parse (text, len, G_MAXSIZE, 64, &error);
  g_assert_no_error (error);

  data = json_object_get_member (json_node_get_object (root), "data");
  g_assert (data != NULL && JSON_NODE_HOLDS_OBJECT (data));

  json_object_iter_init (&iter, json_node_get_object (data));
  while (json_object_iter_next (&iter, &key, &member))
    set_node (self, key, json_node_ref (member));
}
/* GObject --------------------------------------------------------------- */

static void
juice_sim_device_dispose (GObject *object)
{
  JuiceSimDevice *self = (JuiceSimDevice *)object;

  _juice_sim_clear_source (&self->tick);
  g_hash_table_remove_all (self->timers);

  /* Tasks on their way hold the sim: none can be left here. */
  g_assert (g_hash_table_size (self->waiting) == 0);

  G_OBJECT_CLASS (juice_sim_device_parent_class)->dispose (object);
}

static void
juice_sim_device_finalize (GObject *object)
{
  JuiceSimDevice *self = (JuiceSimDevice *)object;

  g_clear_pointer (&self->serial_number, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->dirty, g_hash_table_unref);
  g_clear_pointer (&self->state, g_hash_table_unref);
  g_clear_pointer (&self->timers, g_hash_table_unref);
  g_clear_pointer (&self->waiting, g_hash_table_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->rand, g_rand_free);

  G_OBJECT_CLASS (juice_sim_device_parent_class)->finalize (object);
}

static void
juice_sim_device_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  JuiceSimDevice *self = JUICE_SIM_DEVICE (object);

  switch (prop_id)
    {
    case PROP_SERIAL_NUMBER:
      g_value_set_string (value, self->serial_number);
      break;

    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_ONLINE:
      g_value_set_boolean (value, self->online);
      break;

    case PROP_REPORT_INTERVAL_MS:
      g_value_set_uint (value, self->report_interval_ms);
      break;

    case PROP_ACK_DELAY_MS:
      g_value_set_uint (value, self->ack_delay_ms);
      break;

    case PROP_APPLY_DELAY_MS:
      g_value_set_uint (value, self->apply_delay_ms);
      break;

    case PROP_TIME_OF_DAY:
      g_value_set_double (value, self->hour_override);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
juice_sim_device_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  JuiceSimDevice *self = JUICE_SIM_DEVICE (object);

  switch (prop_id)
    {
    case PROP_SERIAL_NUMBER:
      self->serial_number = g_value_dup_string (value);
      break;

    case PROP_NAME:
      juice_sim_device_set_name (self, g_value_get_string (value));
      break;

    case PROP_ONLINE:
      juice_sim_device_set_online (self, g_value_get_boolean (value));
      break;

    case PROP_REPORT_INTERVAL_MS:
      if (self->report_interval_ms != g_value_get_uint (value))
        {
          self->report_interval_ms = g_value_get_uint (value);
          _juice_sim_restart_ticking (self);
          g_object_notify_by_pspec (object, pspec);
        }
      break;

    case PROP_ACK_DELAY_MS:
      self->ack_delay_ms = g_value_get_uint (value);
      break;

    case PROP_APPLY_DELAY_MS:
      self->apply_delay_ms = g_value_get_uint (value);
      break;

    case PROP_TIME_OF_DAY:
      self->hour_override = g_value_get_double (value);
      self->elapsed = 0;
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
juice_sim_device_class_init (JuiceSimDeviceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = juice_sim_device_dispose;
  object_class->finalize = juice_sim_device_finalize;
  object_class->get_property = juice_sim_device_get_property;
  object_class->set_property = juice_sim_device_set_property;

  properties[PROP_SERIAL_NUMBER] =
    g_param_spec_string ("serial-number", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_ONLINE] =
    g_param_spec_boolean ("online", NULL, NULL, TRUE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_REPORT_INTERVAL_MS] =
    g_param_spec_uint ("report-interval-ms", NULL, NULL, 0, 3600000, 1000,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_ACK_DELAY_MS] =
    g_param_spec_uint ("ack-delay-ms", NULL, NULL, 0, 60000, 300,
                       (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  properties[PROP_APPLY_DELAY_MS] =
    g_param_spec_uint ("apply-delay-ms", NULL, NULL, 0, 60000, 800,
                       (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));
  /* Hours since midnight that the simulation starts at; -1 for the wall clock. */
  properties[PROP_TIME_OF_DAY] =
    g_param_spec_double ("time-of-day", NULL, NULL, -1, 24, -1,
                         (G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * JuiceSimDevice::report:
   * @params: the changed keys and their values
   */
  _juice_sim_device_signals[REPORT] =
    g_signal_new ("report", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, JSON_TYPE_OBJECT);

  /**
   * JuiceSimDevice::status:
   * @online: whether the device is online now
   */
  _juice_sim_device_signals[STATUS] =
    g_signal_new ("status", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);

  /**
   * JuiceSimDevice::reply:
   * @command_id: the id the command came with
   * @ack: 0 accepted, anything else refused
   */
  _juice_sim_device_signals[REPLY] =
    g_signal_new ("reply", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_INT);
}

static void
juice_sim_device_init (JuiceSimDevice *self)
{
  self->state = g_hash_table_new_full (juice_str_case_hash, juice_str_case_equal,
                                       NULL, sim_value_free);
  self->dirty = g_hash_table_new (NULL, NULL);
  self->timers = g_hash_table_new_full (NULL, NULL, destroy_source, NULL);
  self->waiting = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, _juice_sim_waiting_free);
  self->rand = g_rand_new_with_seed (20261126);
  self->context = g_main_context_ref_thread_default ();
  self->online = TRUE;
  self->hour_override = -1;
  self->ack_delay_ms = 300;
  self->apply_delay_ms = 800;
  self->report_interval_ms = 1000;

  load_fixture (self);
  self->soc = get_int (self, "pd.soc", 50) + 0.5;
  self->solar_wh = get_int (self, "pd.chgSunPower", 0);
  self->ac_out_wh = get_int (self, "pd.dsgPowerAc", 0);
  self->dc_out_wh = get_int (self, "pd.dsgPowerDc", 0);
  g_hash_table_remove_all (self->dirty);

  g_signal_connect (self, "reply", G_CALLBACK (_juice_sim_on_reply), NULL);
  _juice_sim_restart_ticking (self);
}

JuiceSimDevice *
juice_sim_device_new (const char *serial_number)
{
  JuiceSimDevice *self;

  g_return_val_if_fail (serial_number != NULL, NULL);

  self = g_object_new (JUICE_TYPE_SIM_DEVICE,
                       "serial-number", serial_number,
                       "name", "DELTA Pro",
                       NULL);

  return self;
}

const char *
juice_sim_device_get_serial_number (JuiceSimDevice *self)
{
  g_return_val_if_fail (JUICE_IS_SIM_DEVICE (self), NULL);

  return self->serial_number;
}

const char *
juice_sim_device_get_name (JuiceSimDevice *self)
{
  g_return_val_if_fail (JUICE_IS_SIM_DEVICE (self), NULL);

  return self->name;
}

void
juice_sim_device_set_name (JuiceSimDevice *self,
                           const char     *name)
{
  g_return_if_fail (JUICE_IS_SIM_DEVICE (self));

  if (g_strcmp0 (self->name, name) == 0)
    return;

  g_free (self->name);
  self->name = g_strdup (name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NAME]);
}

gboolean
juice_sim_device_get_online (JuiceSimDevice *self)
{
  g_return_val_if_fail (JUICE_IS_SIM_DEVICE (self), FALSE);

  return self->online;
}

void
juice_sim_device_set_online (JuiceSimDevice *self,
                             gboolean        online)
{
  g_return_if_fail (JUICE_IS_SIM_DEVICE (self));

  online = !!online;
  if (self->online == online)
    return;

  self->online = online;
  _juice_sim_restart_ticking (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ONLINE]);
  g_signal_emit (self, _juice_sim_device_signals[STATUS], 0, online);
}

JsonObject *
juice_sim_device_dup_all_quotas (JuiceSimDevice *self)
{
  JsonObject *all;
  GHashTableIter iter;
  SimValue *value;

  g_return_val_if_fail (JUICE_IS_SIM_DEVICE (self), NULL);

  all = json_object_new ();
  g_hash_table_iter_init (&iter, self->state);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&value))
    json_object_set_member (all, value->key, json_node_ref (value->value));

  return all;
}

JsonObject *
juice_sim_device_dup_quotas (JuiceSimDevice     *self,
                             const char * const *keys)
{
  JsonObject *some;

  g_return_val_if_fail (JUICE_IS_SIM_DEVICE (self), NULL);

  some = json_object_new ();
  for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
    {
      SimValue *value = g_hash_table_lookup (self->state, keys[i]);

      if (value != NULL)
        json_object_set_member (some, value->key, json_node_ref (value->value));
    }

  return some;
}

gboolean
juice_sim_device_get_quota_int (JuiceSimDevice *self,
                                const char     *key,
                                gint64         *value)
{
  SimValue *entry;

  g_return_val_if_fail (JUICE_IS_SIM_DEVICE (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  entry = g_hash_table_lookup (self->state, key);
  return entry != NULL && juice_json_node_get_int (entry->value, value);
}

void
juice_sim_device_set_quota_int (JuiceSimDevice *self,
                                const char     *key,
                                gint64          value)
{
  g_return_if_fail (JUICE_IS_SIM_DEVICE (self));
  g_return_if_fail (key != NULL);

  if (g_ascii_strcasecmp (key, "pd.soc") == 0)
    self->soc = value;

  set_int (self, key, value);
}

JuiceSimDevice *
juice_sim_device_new_for_profile (const char               *serial_number,
                                  const JuiceDeviceProfile *profile)
{
  JuiceSimDevice *self;

  g_return_val_if_fail (serial_number != NULL, NULL);
  g_return_val_if_fail (profile != NULL, NULL);

  if (profile == juice_device_profile_delta_pro ())
    return juice_sim_device_new (serial_number);

  g_return_val_if_fail (profile->physics != NULL, NULL);

  self = g_object_new (JUICE_TYPE_SIM_DEVICE,
                       "serial-number", serial_number,
                       "name", profile->product,
                       NULL);

  /* Start again from the product's own state. */
  self->profile = profile;
  g_hash_table_remove_all (self->dirty);
  g_hash_table_remove_all (self->state);
  load_fixture (self);
  self->soc = get_int (self, "pd.soc", 50) + 0.5;
  self->solar_wh = get_int (self, "pd.chgSunPower", 0);
  self->ac_out_wh = get_int (self, "pd.dsgPowerAC", 0);
  g_hash_table_remove_all (self->dirty);

  return self;
}

const JuiceDeviceProfile *
juice_sim_device_get_profile (JuiceSimDevice *self)
{
  g_return_val_if_fail (JUICE_IS_SIM_DEVICE (self), NULL);

  return self->profile != NULL ? self->profile : juice_device_profile_delta_pro ();
}

/* For the second products' files (juice-sim-private.h). */
gint64
_juice_sim_device_get_int (JuiceSimDevice *self,
                           const char     *key,
                           gint64          fallback)
{
  return get_int (self, key, fallback);
}

void
_juice_sim_device_set_int (JuiceSimDevice *self,
                           const char     *key,
                           gint64          v)
{
  set_int (self, key, v);
}

void
_juice_sim_device_set_double (JuiceSimDevice *self,
                              const char     *key,
                              double          v)
{
  set_double (self, key, v);
}
void
juice_sim_device_report_all (JuiceSimDevice *self)
{
  GHashTableIter iter;
  SimValue *value;

  g_return_if_fail (JUICE_IS_SIM_DEVICE (self));

  g_hash_table_iter_init (&iter, self->state);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&value))
    g_hash_table_add (self->dirty, value);

  _juice_sim_emit_report (self);
}

void
juice_sim_device_set_refuse_commands (JuiceSimDevice *self,
                                      gboolean        refuse)
{
  g_return_if_fail (JUICE_IS_SIM_DEVICE (self));

  self->refuse = !!refuse;
}

void
juice_sim_device_set_drop_replies (JuiceSimDevice *self,
                                   gboolean        drop)
{
  g_return_if_fail (JUICE_IS_SIM_DEVICE (self));

  self->drop_replies = !!drop;
}

/* Demo wiring ---------------------------------------------------------- */

static void
attached_report_cb (JuiceSimDevice *self,
                    JsonObject     *params,
                    JuiceDevice    *device)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), params);

  juice_device_apply_report (device, node, NULL);
}

static void
attached_status_cb (JuiceSimDevice *self,
                    gboolean        online,
                    JuiceDevice    *device)
{
  juice_device_set_online (device, online);
}

void
juice_sim_device_attach (JuiceSimDevice *self,
                         JuiceDevice    *device)
{
  g_autoptr(JsonObject) all = NULL;
  g_autoptr(JsonNode) node = NULL;

  g_return_if_fail (JUICE_IS_SIM_DEVICE (self));
  g_return_if_fail (JUICE_IS_DEVICE (device));

  all = juice_sim_device_dup_all_quotas (self);
  node = json_node_init_object (json_node_alloc (), all);

  juice_device_set_name (device, self->name);
  juice_device_set_transport (device, JUICE_TRANSPORT (self));
  juice_device_apply_report (device, node, NULL);
  juice_device_set_online (device, self->online);

  g_signal_connect_object (self, "report", G_CALLBACK (attached_report_cb), device, 0);
  g_signal_connect_object (self, "status", G_CALLBACK (attached_status_cb), device, 0);
}

/* Injected clock (issue 10) --------------------------------------------- */

void
juice_sim_device_set_clock (JuiceSimDevice *self,
                            JuiceSimClock   clock,
                            gpointer        user_data)
{
  g_return_if_fail (JUICE_IS_SIM_DEVICE (self));

  self->clock = clock;
  self->clock_data = user_data;
}
