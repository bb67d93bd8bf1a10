/* juice-sim-private.h: the simulator's seam for second products
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "juice-sim-device.h"

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

G_END_DECLS
