/* juice-sim-private.h: what the parts of JuiceSimDevice share; the seam for second products
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "juice-sim-device.h"
#include "juice-transport.h"

G_BEGIN_DECLS

gint64 _juice_sim_device_get_int    (JuiceSimDevice *self,
                                     const char     *key,
                                     gint64          fallback);
void   _juice_sim_device_set_int    (JuiceSimDevice *self,
                                     const char     *key,
                                     gint64          v);
void   _juice_sim_device_set_double (JuiceSimDevice *self,
                                     const char     *key,
                                     double          v);
double _juice_sim_device_hour       (JuiceSimDevice *self);
double _juice_sim_device_noise      (JuiceSimDevice *self,
                                     double          amplitude);

/* The DELTA 2 (juice-sim-delta-2.c): what its firmware accepts, what a
 * command changes, how its state evolves. */
int    _juice_sim_delta_2_check     (JsonObject     *command);
void   _juice_sim_delta_2_apply     (JuiceSimDevice *self,
                                     JsonObject     *command);
void   _juice_sim_delta_2_simulate  (JuiceSimDevice *self,
                                     double         *soc,
                                     double         *solar_wh,
                                     double         *ac_out_wh,
                                     double          dt);

/* What juice-sim-device.c, juice-sim-physics.c and juice-sim-commands.c
 * share. */

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
  double      dc_out_wh;     /* car and USB: pd.dsgPowerDc (issue 10's daily energy) */
  guint       report_interval_ms;
  guint       ack_delay_ms;
  guint       apply_delay_ms;
  guint       next_command;
  guint       online : 1;
  guint       refuse : 1;
  guint       drop_replies : 1;
};

enum {
  REPORT,
  STATUS,
  REPLY,
  N_SIGNALS
};

extern guint _juice_sim_device_signals[N_SIGNALS];

/* juice-sim-physics.c */
void     _juice_sim_emit_report     (JuiceSimDevice *self);
GSource *_juice_sim_add_timeout     (JuiceSimDevice *self,
                                     guint           delay_ms,
                                     GSourceFunc     func,
                                     gpointer        data,
                                     const char     *name);
void     _juice_sim_clear_source    (GSource       **source);
void     _juice_sim_restart_ticking (JuiceSimDevice *self);
void     _juice_sim_schedule        (JuiceSimDevice *self,
                                     guint           delay_ms,
                                     GSourceFunc     func,
                                     gpointer        data,
                                     GDestroyNotify  destroy);

/* juice-sim-commands.c */
void     _juice_sim_waiting_free    (gpointer        data);
void     _juice_sim_on_reply        (JuiceSimDevice *self,
                                     const char     *command_id,
                                     int             ack,
                                     gpointer        user_data);
void     _juice_sim_device_transport_iface_init (JuiceTransportInterface *iface);

G_END_DECLS
