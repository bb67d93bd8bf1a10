/* juice-sim-commands.c: what the simulated firmware accepts; the sim as a JuiceTransport
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
    g_signal_emit (self, _juice_sim_device_signals[REPLY], 0, command->command_id, command->ack);

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
        _juice_sim_device_set_int (self, sim_params[i].key, v);
    }

  /* The real device reports a changed setting right away. */
  _juice_sim_emit_report (self);

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
  _juice_sim_schedule (self, self->ack_delay_ms, reply_cb, command, sim_command_free);

  if (ack == 0)
    {
      command = g_new0 (SimCommand, 1);
      command->self = self;
      command->params = json_object_ref (params);
      _juice_sim_schedule (self, self->apply_delay_ms, apply_cb, command, sim_command_free);
    }

  return ack;
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

void
_juice_sim_waiting_free (gpointer data)
{
  Waiting *waiting = data;

  if (waiting->cancelled_id != 0)
    g_cancellable_disconnect (waiting->cancellable, waiting->cancelled_id);
  _juice_sim_clear_source (&waiting->timeout);
  _juice_sim_clear_source (&waiting->idle);
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

void
_juice_sim_on_reply (JuiceSimDevice *self,
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
  waiting->timeout = _juice_sim_add_timeout (self, REPLY_TIMEOUT_MS, reply_timeout_cb, waiting,
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

  _juice_sim_emit_report (self);
}

void
_juice_sim_device_transport_iface_init (JuiceTransportInterface *iface)
{
  iface->send_command_async = juice_sim_device_send_command_async;
  iface->send_command_finish = juice_sim_device_send_command_finish;
  iface->request_quotas = juice_sim_device_request_quotas;
}
