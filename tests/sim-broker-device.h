/* sim-broker-device.h: a simulated DELTA Pro on the far side of a real broker
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "juice-device.h"   /* juice-sim-device.h needs it first */
#include "juice-mqtt.h"
#include "juice-sim-device.h"

G_BEGIN_DECLS

/* Puts a JuiceSimDevice on the broker as the real device would be, with a
 * JuiceMqtt of its own (so it reconnects after a broker restart too):
 *  - the sim's reports are published to /open/<account>/<sn>/quota, its
 *    online state to /open/<account>/<sn>/status;
 *  - commands arriving on /open/<account>/<sn>/set go to
 *    juice_sim_device_handle_command(), and the sim's acknowledgement is
 *    published to /open/<account>/<sn>/set_reply with the command's id (as
 *    a string, or as a number when asked), code "0" and data.ack.
 * Reports the sim makes while the link is down are lost, as they would be. */
typedef struct _SimBrokerDevice SimBrokerDevice;

SimBrokerDevice *sim_broker_device_new                  (JuiceSimDevice    *sim,
                                                         const char        *host,
                                                         guint              port,
                                                         const char        *ca_file,
                                                         const char        *account,
                                                         const char        *password);
void             sim_broker_device_free                 (SimBrokerDevice   *self);
gboolean         sim_broker_device_start                (SimBrokerDevice   *self,
                                                         GError           **error);

JuiceMqtt       *sim_broker_device_get_mqtt             (SimBrokerDevice   *self);
JuiceSimDevice  *sim_broker_device_get_sim              (SimBrokerDevice   *self);
/* "/open/<account>/<sn>/" */
const char      *sim_broker_device_get_topic_prefix     (SimBrokerDevice   *self);
/* How many times its link emitted "connected". */
guint            sim_broker_device_get_n_connected      (SimBrokerDevice   *self);

/* Answer with "id": 123456789 rather than "id": "123456789". */
void             sim_broker_device_set_reply_id_as_number (SimBrokerDevice *self,
                                                           gboolean         as_number);

/* Applies commands and reports the change but publishes no set_reply, as
 * some devices do; counts the replies left out. */
void             sim_broker_device_set_drop_replies     (SimBrokerDevice   *self,
                                                         gboolean           drop);
guint            sim_broker_device_get_n_dropped_replies (SimBrokerDevice  *self);

/* Commands received on /set (well-formed or not), and the last well-formed
 * one as it came (borrowed; NULL before the first). */
guint            sim_broker_device_get_n_commands       (SimBrokerDevice   *self);
JsonObject      *sim_broker_device_get_last_command     (SimBrokerDevice   *self);
/* Reports and replies that could not be published: the link was down. */
guint            sim_broker_device_get_n_lost           (SimBrokerDevice   *self);

/* Publishes @data as is to /open/<account>/<sn>/<suffix>. */
gboolean         sim_broker_device_publish_raw          (SimBrokerDevice   *self,
                                                         const char        *suffix,
                                                         gconstpointer      data,
                                                         gsize              length,
                                                         GError           **error);
/* Publishes a set_reply for @id_json (a JSON literal: "\"42\"" or "42")
 * with data.ack = @ack. */
gboolean         sim_broker_device_publish_reply        (SimBrokerDevice   *self,
                                                         const char        *id_json,
                                                         int                ack,
                                                         GError           **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SimBrokerDevice, sim_broker_device_free)

G_END_DECLS
