/* juice-sim-device.c
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
#define PACK_WATT_HOURS     3600.0    /* one DELTA Pro battery */
#define INVERTER_LOAD_W     185.0     /* what the demo's AC outlets power: a fridge, a laptop */
#define CAR_LOAD_W          36.0
#define SOLAR_PEAK_W        1150.0
#define REPLY_TIMEOUT_MS    15000

/* What the firmware accepts, written down independently of the profile so
 * that tests of the profile against the device can disagree. */
typedef struct
{
  int         id;
  const char *param;
  const char *key;          /* the device's own spelling */
  gint64      min;
  gint64      max;
  const gint64 *allowed;    /* zero-terminated list of extra values (0 is given by min) */
  gint64      ignored;      /* a value that leaves the setting as it is; 0 for none */
} SimParam;

static const gint64 car_currents[] = { 4000, 6000, 8000, 0 };
static const gint64 brightness_auto[] = { 128, 0 };
static const gint64 screen_times[] = { 10, 30, 60, 300, 1800, 0 };
static const gint64 unit_times[] = { 30, 60, 120, 360, 720, 0 };
static const gint64 standby_times[] = { 30, 60, 120, 240, 360, 720, 1440, 0 };

static const SimParam sim_params[] = {
  { 66, "enabled", "inv.cfgAcEnabled", 0, 1, NULL },
  /* API page: inv.cfgAcXboost "0xff: ignored" */
  { 66, "xboost", "inv.cfgAcXboost", 0, 1, NULL, 0xff },
  { 81, "enabled", "mppt.carState", 0, 1, NULL },
  { 49, "maxChgSoc", "ems.maxChargeSoc", 50, 100, NULL },
  { 51, "minDsgSoc", "ems.minDsgSoc", 0, 30, NULL },
  { 71, "currMa", "mppt.cfgDcChgCurrent", -1, -1, car_currents },
  { 38, "enabled", "pd.beepState", 0, 1, NULL },
  { 39, "lcdBrightness", "pd.lcdBrightness", 0, 100, brightness_auto },
  { 39, "lcdTime", "pd.lcdOffSec", 0, 0, screen_times },
  { 33, "standByMode", "pd.standByMode", 0, 0, unit_times },
  { 153, "standByMins", "inv.cfgStandbyMin", 0, 0, standby_times },
  { 69, "slowChgPower", "inv.cfgSlowChgWatts", 200, 2900, NULL },
  { 82, "chgType", "mppt.cfgChgType", 0, 2, NULL },
  { 84, "enabled", "inv.acPassByAutoEn", 0, 1, NULL },
  { 52, "openOilSoc", "ems.minOpenOilEbSoc", 0, 30, NULL },
  { 53, "closeOilSoc", "ems.maxCloseOilEbSoc", 50, 100, NULL },
};

typedef struct
{
  char     *key;     /* device spelling */
  JsonNode *value;
} SimValue;

struct _JuiceSimDevice
{
  GObject     parent_instance;

  /* owned */
  char       *serial_number;
  char       *name;
  GHashTable *state;         /* key (case-insensitive) -> SimValue */
  GHashTable *dirty;         /* SimValue set: reported with the next report */
  GHashTable *timers;        /* GSource set: acks and applies on their way */
  GHashTable *waiting;       /* command id -> GTask (transport side) */
  GRand      *rand;
  GMainContext *context;     /* where the sim was made: its timers run there */
  GSource    *tick;
  const JuiceDeviceProfile *profile;  /* NULL: the DELTA Pro below */

  /* state */
  double      soc;           /* exact state of charge, percent */
  double      hour_override; /* < 0: wall clock */
  JuiceSimClock clock;       /* NULL: wall clock (issue 10: tests move time) */
  gpointer    clock_data;
  double      elapsed;       /* simulated seconds since start */
  double      solar_wh;      /* lifetime counters, fractions kept */
  double      ac_out_wh;
  guint       report_interval_ms;
  guint       ack_delay_ms;
  guint       apply_delay_ms;
  guint       next_command;
  guint       online : 1;
  guint       refuse : 1;
  guint       drop_replies : 1;
};

static void juice_sim_device_transport_iface_init (JuiceTransportInterface *iface);
static void waiting_free                          (gpointer                 data);
static void on_reply                              (JuiceSimDevice          *self,
                                                   const char              *command_id,
                                                   int                      ack,
                                                   gpointer                 user_data);

G_DEFINE_FINAL_TYPE_WITH_CODE (JuiceSimDevice, juice_sim_device, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (JUICE_TYPE_TRANSPORT,
                                                      juice_sim_device_transport_iface_init))

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

enum {
  REPORT,
  STATUS,
  REPLY,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

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

/* Physics --------------------------------------------------------------- */

static double
hour_of_day (JuiceSimDevice *self)
{
  double hour;

  if (self->hour_override >= 0)
    {
      hour = self->hour_override + self->elapsed / 3600.0;
    }
  else if (self->clock != NULL)
    {
      g_autoptr(GDateTime) now = g_date_time_new_from_unix_local (self->clock (self->clock_data));

      hour = g_date_time_get_hour (now) + g_date_time_get_minute (now) / 60.0
             + g_date_time_get_second (now) / 3600.0;
    }
  else
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();

      hour = g_date_time_get_hour (now) + g_date_time_get_minute (now) / 60.0
             + g_date_time_get_second (now) / 3600.0;
    }

  return fmod (hour, 24.0);
}

static double
noise (JuiceSimDevice *self,
       double          amplitude)
{
  return g_rand_double_range (self->rand, -amplitude, amplitude);
}

static double
capacity_wh (JuiceSimDevice *self)
{
  double wh = PACK_WATT_HOURS;

  if (get_int (self, "ems.bms1Online", 0) == 3)
    wh += PACK_WATT_HOURS;
  if (get_int (self, "ems.bms2Online", 0) == 3)
    wh += PACK_WATT_HOURS;

  return wh;
}

static void
simulate (JuiceSimDevice *self,
          double          dt)
{
  double hour, sun, solar, ac_out, car_out, usb_out, out, in, net, cap, before;
  gint64 max_soc, min_soc, remain = 0;
  gboolean ac_on, car_on;

  self->elapsed += dt;
  if (self->profile != NULL)
    {
      /* Second products: juice-sim-delta-2.c */
      _juice_sim_delta_2_simulate (self, &self->soc, &self->solar_wh, &self->ac_out_wh, dt);
      return;
    }
  hour = hour_of_day (self);

  /* Solar follows a half sine between 6:00 and 18:00. */
  sun = sin (G_PI * (hour - 6.0) / 12.0);
  solar = sun > 0 ? MAX (0, SOLAR_PEAK_W * sun + noise (self, 25)) : 0;
  if (get_int (self, "mppt.cfgChgType", 0) == 2)
    solar = 0;  /* adapter mode: the XT60 input expects a DC adapter, none is plugged in */

  ac_on = get_int (self, "inv.cfgAcEnabled", 0) != 0;
  car_on = get_int (self, "mppt.carState", 0) != 0;
  max_soc = get_int (self, "ems.maxChargeSoc", 100);
  min_soc = get_int (self, "ems.minDsgSoc", 0);

  ac_out = ac_on ? INVERTER_LOAD_W + noise (self, 12) : 0;
  car_out = car_on ? CAR_LOAD_W + noise (self, 2) : 0;
  usb_out = 7;

  /* Limits: the battery stops discharging at the discharge limit and stops
   * taking charge at the charge limit. */
  if (self->soc <= min_soc)
    ac_out = car_out = usb_out = 0;

  out = ac_out + car_out + usb_out;
  if (self->soc >= max_soc)
    solar = MIN (solar, out);

  in = solar;
  net = in - out;
  cap = capacity_wh (self);

  before = self->soc;
  self->soc += net * dt / 3600.0 / cap * 100.0;
  /* A long step must not overshoot a limit. */
  if (net > 0)
    self->soc = MIN (self->soc, MAX (max_soc, before));
  else if (net < 0)
    self->soc = MAX (self->soc, MIN (min_soc, before));
  self->soc = CLAMP (self->soc, 0, 100);

  if (net > 1 && self->soc < max_soc)
    remain = (gint64) ceil ((max_soc - self->soc) / 100.0 * cap / net * 60.0);
  else if (net < -1 && self->soc > min_soc)
    remain = -(gint64) ceil ((self->soc - min_soc) / 100.0 * cap / -net * 60.0);
  remain = CLAMP (remain, -5999, 5999);

  self->solar_wh += solar * dt / 3600.0;
  self->ac_out_wh += ac_out * dt / 3600.0;

  set_int (self, "pd.soc", (gint64) floor (self->soc));
  set_int (self, "bmsMaster.soc", (gint64) floor (self->soc));
  set_int (self, "ems.lcdShowSoc", (gint64) floor (self->soc));
  set_double (self, "ems.f32LcdShowSoc", self->soc);
  set_double (self, "bmsMaster.f32ShowSoc", self->soc);
  set_int (self, "pd.wattsInSum", (gint64) round (in));
  set_int (self, "pd.wattsOutSum", (gint64) round (out));
  set_int (self, "pd.remainTime", remain);
  set_int (self, "mppt.inWatts", (gint64) round (solar * 10));   /* 0.1 W */
  set_int (self, "mppt.outWatts", (gint64) round (solar * 0.96 * 10));
  /* The solar charger reports 0.1 V and 0.01 A, whatever the API page says. */
  set_int (self, "mppt.inVol", solar > 0 ? 620 + (gint64) noise (self, 8) : 0);
  set_int (self, "mppt.inAmp", solar > 0 ? (gint64) round (solar / 62.0 * 100) : 0);
  set_int (self, "inv.outputWatts", (gint64) round (ac_out));
  set_int (self, "inv.inputWatts", 0);
  set_int (self, "mppt.carOutWatts", (gint64) round (car_out));
  set_int (self, "pd.carWatts", (gint64) round (car_out));
  set_int (self, "pd.usb1Watts", (gint64) usb_out);
  set_int (self, "bmsMaster.inputWatts", (gint64) round (MAX (net, 0)));
  set_int (self, "bmsMaster.outputWatts", (gint64) round (MAX (-net, 0)));
  set_int (self, "pd.chgSunPower", (gint64) floor (self->solar_wh));
  set_int (self, "pd.dsgPowerAc", (gint64) floor (self->ac_out_wh));
  set_int (self, "inv.invOutVol", ac_on ? 120000 + (gint64) noise (self, 400) : 0);
  set_int (self, "inv.invOutFreq", ac_on ? 60 : 0);
  set_int (self, "bmsMaster.temp", 26 + (gint64) round (MAX (fabs (net), 0) / 400.0));
}

static JsonObject *
take_report (JuiceSimDevice *self)
{
  JsonObject *params = json_object_new ();
  GHashTableIter iter;
  SimValue *value;

  g_hash_table_iter_init (&iter, self->dirty);
  while (g_hash_table_iter_next (&iter, (gpointer *)&value, NULL))
    json_object_set_member (params, value->key, json_node_ref (value->value));
  g_hash_table_remove_all (self->dirty);

  return params;
}

static void
emit_report (JuiceSimDevice *self)
{
  g_autoptr(JsonObject) params = NULL;

  if (!self->online || g_hash_table_size (self->dirty) == 0)
    return;

  params = take_report (self);
  g_signal_emit (self, signals[REPORT], 0, params);
}

static gboolean
tick_cb (gpointer user_data)
{
  JuiceSimDevice *self = user_data;

  juice_sim_device_step (self, self->report_interval_ms / 1000.0);

  return G_SOURCE_CONTINUE;
}

/* A timer on the sim's own context; the caller owns the returned source. */
static GSource *
add_timeout (JuiceSimDevice *self,
             guint           delay_ms,
             GSourceFunc     func,
             gpointer        data,
             const char     *name)
{
  GSource *source = g_timeout_source_new (delay_ms);

  g_source_set_callback (source, func, data, NULL);
  g_source_set_static_name (source, name);
  g_source_attach (source, self->context);

  return source;
}

static void
clear_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

static void
restart_ticking (JuiceSimDevice *self)
{
  clear_source (&self->tick);

  if (self->report_interval_ms > 0 && self->online)
    self->tick = add_timeout (self, self->report_interval_ms, tick_cb, self, "[juice-sim] tick");
}

/* Timers that belong to the sim and die with it. */
static void
schedule (JuiceSimDevice *self,
          guint           delay_ms,
          GSourceFunc     func,
          gpointer        data,
          GDestroyNotify  destroy)
{
  GSource *source = g_timeout_source_new (delay_ms);

  g_source_set_callback (source, func, data, destroy);
  g_source_set_static_name (source, "[juice-sim] command");
  g_source_attach (source, self->context);
  g_hash_table_add (self->timers, source);
}

typedef struct
{
  JuiceSimDevice *self;     /* not owned: the sim destroys its timers */
  GSource        *source;
  char           *command_id;
  JsonObject     *params;
  int             ack;
} SimCommand;

static void
sim_command_free (gpointer data)
{
  SimCommand *command = data;

  g_free (command->command_id);
  g_clear_pointer (&command->params, json_object_unref);
  g_free (command);
}

static gboolean
reply_cb (gpointer user_data)
{
  SimCommand *command = user_data;
  JuiceSimDevice *self = command->self;

  g_hash_table_steal (self->timers, g_main_current_source ());
  g_source_unref (g_main_current_source ());

  if (!self->drop_replies)
    g_signal_emit (self, signals[REPLY], 0, command->command_id, command->ack);

  return G_SOURCE_REMOVE;
}

static gboolean
apply_cb (gpointer user_data)
{
  SimCommand *command = user_data;
  JuiceSimDevice *self = command->self;
  gint64 id = json_object_get_int_member_with_default (command->params, "id", -1);

  g_hash_table_steal (self->timers, g_main_current_source ());
  g_source_unref (g_main_current_source ());

  if (self->profile != NULL)
    _juice_sim_delta_2_apply (self, command->params);

  for (guint i = 0; self->profile == NULL && i < G_N_ELEMENTS (sim_params); i++)
    {
      gint64 v;

      if (sim_params[i].id != id || !json_object_has_member (command->params, sim_params[i].param))
        continue;

      if (juice_json_node_get_int (json_object_get_member (command->params, sim_params[i].param), &v) &&
          (sim_params[i].ignored == 0 || v != sim_params[i].ignored))
        set_int (self, sim_params[i].key, v);
    }

  /* The real device reports a changed setting right away. */
  emit_report (self);

  return G_SOURCE_REMOVE;
}

static gboolean
param_accepts (const SimParam *param,
               gint64          v)
{
  if ((param->min <= v && v <= param->max) || (param->ignored != 0 && v == param->ignored))
    return TRUE;

  for (guint i = 0; param->allowed != NULL && param->allowed[i] != 0; i++)
    if (param->allowed[i] == v)
      return TRUE;

  return FALSE;
}

static int
check_command (JuiceSimDevice *self,
               JsonObject     *params)
{
  gint64 cmd_set, id;
  guint n_known = 0, n_given = 0;

  /* Each product takes its own dialect only. */
  if (self->profile != NULL)
    return _juice_sim_delta_2_check (params);

  if (!juice_json_node_get_int (json_object_get_member (params, "cmdSet"), &cmd_set) ||
      !juice_json_node_get_int (json_object_get_member (params, "id"), &id) ||
      cmd_set != 32)
    return 1;

  for (guint i = 0; i < G_N_ELEMENTS (sim_params); i++)
    {
      JsonNode *node;
      gint64 v;

      if (sim_params[i].id != id)
        continue;

      n_known++;
      if (!(node = json_object_get_member (params, sim_params[i].param)))
        continue;

      if (!juice_json_node_get_int (node, &v) || !param_accepts (&sim_params[i], v))
        return 1;
      n_given++;
    }

  /* Unknown command; or X-Boost and AC output without both parameters. */
  if (n_known == 0 || n_given == 0 || (id == 66 && n_given != 2))
    return 1;

  return 0;
}

/* GObject --------------------------------------------------------------- */

static void
juice_sim_device_dispose (GObject *object)
{
  JuiceSimDevice *self = (JuiceSimDevice *)object;

  clear_source (&self->tick);
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
          restart_ticking (self);
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
  signals[REPORT] =
    g_signal_new ("report", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, JSON_TYPE_OBJECT);

  /**
   * JuiceSimDevice::status:
   * @online: whether the device is online now
   */
  signals[STATUS] =
    g_signal_new ("status", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);

  /**
   * JuiceSimDevice::reply:
   * @command_id: the id the command came with
   * @ack: 0 accepted, anything else refused
   */
  signals[REPLY] =
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
  self->waiting = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, waiting_free);
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
  g_hash_table_remove_all (self->dirty);

  g_signal_connect (self, "reply", G_CALLBACK (on_reply), NULL);
  restart_ticking (self);
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
  restart_ticking (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ONLINE]);
  g_signal_emit (self, signals[STATUS], 0, online);
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

double
_juice_sim_device_hour (JuiceSimDevice *self)
{
  return hour_of_day (self);
}

double
_juice_sim_device_noise (JuiceSimDevice *self,
                         double          amplitude)
{
  return noise (self, amplitude);
}

int
juice_sim_device_handle_command (JuiceSimDevice *self,
                                 const char     *command_id,
                                 JsonObject     *params)
{
  SimCommand *command;
  int ack;

  g_return_val_if_fail (JUICE_IS_SIM_DEVICE (self), 1);
  g_return_val_if_fail (params != NULL, 1);

  if (!self->online)
    return -1;

  ack = self->refuse ? 1 : check_command (self, params);
  g_debug ("%s: command %s ack %d", self->serial_number, command_id ? command_id : "-", ack);

  command = g_new0 (SimCommand, 1);
  command->self = self;
  command->command_id = g_strdup (command_id);
  command->ack = ack;
  schedule (self, self->ack_delay_ms, reply_cb, command, sim_command_free);

  if (ack == 0)
    {
      command = g_new0 (SimCommand, 1);
      command->self = self;
      command->params = json_object_ref (params);
      schedule (self, self->apply_delay_ms, apply_cb, command, sim_command_free);
    }

  return ack;
}

void
juice_sim_device_step (JuiceSimDevice *self,
                       double          seconds)
{
  g_return_if_fail (JUICE_IS_SIM_DEVICE (self));
  g_return_if_fail (seconds >= 0);

  if (!self->online)
    return;

  simulate (self, seconds);
  emit_report (self);
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

  emit_report (self);
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

/* JuiceTransport: the demo talks to the sim directly ------------------- */

/* A command sent through the transport, waiting for the device's reply. */
typedef struct
{
  JuiceSimDevice *self;
  GTask          *task;
  GCancellable   *cancellable;
  gulong          cancelled_id;
  GSource        *timeout;
  GSource        *idle;
} Waiting;

static void
waiting_free (gpointer data)
{
  Waiting *waiting = data;

  if (waiting->cancelled_id != 0)
    g_cancellable_disconnect (waiting->cancellable, waiting->cancelled_id);
  clear_source (&waiting->timeout);
  clear_source (&waiting->idle);
  g_clear_object (&waiting->cancellable);
  g_clear_object (&waiting->task);
  g_free (waiting);
}

/* Ends the wait for @command_id: ack 0 succeeds, anything else fails with @error. */
static void
waiting_complete (JuiceSimDevice *self,
                  const char     *command_id,
                  GError         *error)
{
  g_autoptr(GTask) task = NULL;
  Waiting *waiting;

  if (command_id == NULL || !(waiting = g_hash_table_lookup (self->waiting, command_id)))
    {
      g_clear_error (&error);
      return;
    }

  task = g_steal_pointer (&waiting->task);
  g_hash_table_remove (self->waiting, command_id);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_reply (JuiceSimDevice *self,
          const char     *command_id,
          int             ack,
          gpointer        user_data)
{
  waiting_complete (self, command_id,
                    ack == 0 ? NULL
                             : g_error_new (JUICE_DEVICE_ERROR, JUICE_DEVICE_ERROR_REFUSED,
                                            _("%s refused the change"), self->name));
}

static gboolean
reply_timeout_cb (gpointer user_data)
{
  Waiting *waiting = user_data;
  JuiceSimDevice *self = waiting->self;

  g_clear_pointer (&waiting->timeout, g_source_unref);
  waiting_complete (self, g_task_get_task_data (waiting->task),
                    g_error_new (JUICE_DEVICE_ERROR, JUICE_DEVICE_ERROR_TIMEOUT,
                                 _("%s did not answer"), self->name));

  return G_SOURCE_REMOVE;
}

static gboolean
cancelled_idle_cb (gpointer user_data)
{
  Waiting *waiting = user_data;

  g_clear_pointer (&waiting->idle, g_source_unref);
  waiting_complete (waiting->self, g_task_get_task_data (waiting->task),
                    g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                         "The command was cancelled"));

  return G_SOURCE_REMOVE;
}

/* Runs where the cancellable was cancelled: finish from an idle, since the
 * handler cannot disconnect itself. */
static void
on_cancelled (GCancellable *cancellable,
              Waiting      *waiting)
{
  if (waiting->idle == NULL)
    {
      waiting->idle = g_idle_source_new ();
      g_source_set_callback (waiting->idle, cancelled_idle_cb, waiting, NULL);
      g_source_set_static_name (waiting->idle, "[juice-sim] cancelled");
      g_source_attach (waiting->idle, waiting->self->context);
    }
}

static void
juice_sim_device_send_command_async (JuiceTransport      *transport,
                                     const char          *serial_number,
                                     JsonObject          *params,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  JuiceSimDevice *self = JUICE_SIM_DEVICE (transport);
  g_autoptr(GTask) task = NULL;
  char *command_id;
  Waiting *waiting;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, juice_sim_device_send_command_async);

  if (g_strcmp0 (serial_number, self->serial_number) != 0)
    {
      g_task_return_new_error (task, JUICE_DEVICE_ERROR, JUICE_DEVICE_ERROR_OFFLINE,
                               _("No device with serial number %s"), serial_number);
      return;
    }

  command_id = g_strdup_printf ("%u", ++self->next_command);
  g_task_set_task_data (task, command_id, g_free);

  if (juice_sim_device_handle_command (self, command_id, params) < 0)
    {
      g_task_return_new_error (task, JUICE_DEVICE_ERROR, JUICE_DEVICE_ERROR_OFFLINE,
                               _("%s is offline"), self->name);
      return;
    }

  waiting = g_new0 (Waiting, 1);
  waiting->self = self;
  waiting->task = g_steal_pointer (&task);
  waiting->timeout = add_timeout (self, REPLY_TIMEOUT_MS, reply_timeout_cb, waiting,
                                  "[juice-sim] reply timeout");
  g_hash_table_insert (self->waiting, g_strdup (command_id), waiting);

  if (cancellable != NULL)
    {
      waiting->cancellable = g_object_ref (cancellable);
      waiting->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled),
                                                     waiting, NULL);
    }
}

static gboolean
juice_sim_device_send_command_finish (JuiceTransport  *transport,
                                      GAsyncResult    *result,
                                      GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, transport), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
juice_sim_device_request_quotas (JuiceTransport     *transport,
                                 const char         *serial_number,
                                 const char * const *keys)
{
  JuiceSimDevice *self = JUICE_SIM_DEVICE (transport);

  /* NULL: every value, as quota/all would answer */
  if (keys == NULL)
    {
      GHashTableIter iter;
      SimValue *value;

      g_hash_table_iter_init (&iter, self->state);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&value))
        g_hash_table_add (self->dirty, value);
    }

  for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
    {
      SimValue *value = g_hash_table_lookup (self->state, keys[i]);

      if (value != NULL)
        g_hash_table_add (self->dirty, value);
    }

  emit_report (self);
}

static void
juice_sim_device_transport_iface_init (JuiceTransportInterface *iface)
{
  iface->send_command_async = juice_sim_device_send_command_async;
  iface->send_command_finish = juice_sim_device_send_command_finish;
  iface->request_quotas = juice_sim_device_request_quotas;
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
