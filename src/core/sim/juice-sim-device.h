/* juice-sim-device.h: an in-process DELTA Pro (or DELTA 2: juice-sim-delta-2.c)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * src/core/sim: in-process simulated devices for `juice --demo`, the tests
 * and the benchmarks. A JuiceSimDevice plays the product its profile
 * (profiles/) describes, starting from the fixture in the core's GResource,
 * and is a JuiceTransport of model/ (or answers like the cloud and the broker
 * do, in the tests). juice-sim-delta-2.c holds what is specific to the
 * DELTA 2; the parts share juice-sim-private.h.
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "juice-device-profile.h"

G_BEGIN_DECLS

typedef struct _JuiceDevice JuiceDevice;

#define JUICE_TYPE_SIM_DEVICE (juice_sim_device_get_type ())

G_DECLARE_FINAL_TYPE (JuiceSimDevice, juice_sim_device, JUICE, SIM_DEVICE, GObject)

/* A simulated DELTA Pro. Its state starts from a real quota/all body and
 * evolves: state of charge follows input minus output, solar input follows
 * the time of day, the AC outlets draw a load while on. Commands are checked
 * like the real device checks them, acknowledged after ack-delay-ms and take
 * effect after apply-delay-ms.
 *
 * Signals:
 *  - "report" (JsonObject *params): a partial report of the keys that changed
 *    (about once a second while report-interval-ms > 0), dotted flat keys as
 *    the /quota topic carries them.
 *  - "status" (gboolean online)
 *  - "reply" (const char *command_id, int ack): emitted when the device
 *    acknowledges a command received with juice_sim_device_handle_command().
 *
 * The sim is also a JuiceTransport for the one device it is (demo mode).
 */

JuiceSimDevice *juice_sim_device_new                (const char          *serial_number);
/* A simulated @profile product: the DELTA Pro, or one whose profile has
 * physics (DELTA 2: its fixture, its operateType commands). Its "report"
 * signal carries flat keys too; juice_report_encode() groups them. */
JuiceSimDevice *juice_sim_device_new_for_profile    (const char               *serial_number,
                                                     const JuiceDeviceProfile *profile);
const JuiceDeviceProfile *juice_sim_device_get_profile (JuiceSimDevice    *self);
const char     *juice_sim_device_get_serial_number  (JuiceSimDevice      *self);
const char     *juice_sim_device_get_name           (JuiceSimDevice      *self);
void            juice_sim_device_set_name           (JuiceSimDevice      *self,
                                                     const char          *name);
gboolean        juice_sim_device_get_online         (JuiceSimDevice      *self);
void            juice_sim_device_set_online         (JuiceSimDevice      *self,
                                                     gboolean             online);

/* Every quota key with its current value, as quota/all answers. Caller owns. */
JsonObject     *juice_sim_device_dup_all_quotas     (JuiceSimDevice      *self);
/* Only @keys (unknown keys are left out), as POST quota answers. */
JsonObject     *juice_sim_device_dup_quotas         (JuiceSimDevice      *self,
                                                     const char * const  *keys);
gboolean        juice_sim_device_get_quota_int      (JuiceSimDevice      *self,
                                                     const char          *key,
                                                     gint64              *value);
/* Sets a key as if the hardware changed it; reported with the next report. */
void            juice_sim_device_set_quota_int      (JuiceSimDevice      *self,
                                                     const char          *key,
                                                     gint64               value);

/* Checks and queues a command ({"cmdSet":32,"id":N,...}; a DELTA 2 sim takes
 * {"moduleType","operateType","params"} only). Returns the ack the
 * device will send: 0 accepted, 1 refused (unknown id, missing parameter, out
 * of range). The "reply" signal carries it after ack-delay-ms; an accepted
 * command changes the state and is reported after apply-delay-ms.
 * @command_id may be NULL. */
int             juice_sim_device_handle_command     (JuiceSimDevice      *self,
                                                     const char          *command_id,
                                                     JsonObject          *params);

/* Advances the simulation by @seconds of device time and emits a report of
 * what changed. Tests use it with report-interval-ms = 0. */
void            juice_sim_device_step               (JuiceSimDevice      *self,
                                                     double               seconds);
/* Emits a report of every key (what a device sends after a reconnect). */
void            juice_sim_device_report_all         (JuiceSimDevice      *self);

/* Makes @device the model of this sim: applies every quota, then follows
 * its reports and online state, and sends @device's commands to the sim. */
void            juice_sim_device_attach             (JuiceSimDevice      *self,
                                                     JuiceDevice         *device);

/* Returns "now" in Unix seconds (the same shape as JuiceHistoryClock). */
typedef gint64 (*JuiceSimClock) (gpointer user_data);

/* Makes the sim's time of day (the sun) follow @clock in local time instead
 * of the wall clock, unless "time-of-day" is set. Tests step the sim and
 * move the clock together to make a month of history in seconds. */
void            juice_sim_device_set_clock          (JuiceSimDevice      *self,
                                                     JuiceSimClock        clock,
                                                     gpointer             user_data);

/* Test hooks: make the next commands fail or go unanswered. */
void            juice_sim_device_set_refuse_commands (JuiceSimDevice     *self,
                                                      gboolean            refuse);
void            juice_sim_device_set_drop_replies    (JuiceSimDevice     *self,
                                                      gboolean            drop);

G_END_DECLS
