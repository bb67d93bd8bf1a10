/* juice-command-builder.h: commands in each product's dialect
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One builder serves the app, juice-ctl and the simulator. A "command" is
 * what juice_setting_info_build_command() makes and a JuiceTransport
 * carries:
 *  - cmdSet dialect (DELTA Pro): {"cmdSet":32,"id":66,"enabled":1,...},
 *    which goes out as the "params" of the message;
 *  - operateType dialect (DELTA 2): {"moduleType":5,"operateType":"acOutCfg",
 *    "params":{...}}, whose members go to the top of the message.
 * The wrappers below add what each way of sending needs (sn, id, version).
 */

#pragma once

#include <json-glib/json-glib.h>

#include "juice-device-profile.h"

G_BEGIN_DECLS

/* TRUE for an operateType command (moduleType, operateType, params). */
gboolean    juice_command_is_operate_type (JsonObject *command);

/* The body of PUT /iot-open/sign/device/quota for @command. @request_id is
 * the operateType dialect's "id" (ignored for cmdSet commands). */
JsonObject *juice_command_wrap_http       (JsonObject *command,
                                           const char *serial_number,
                                           gint64      request_id);

/* The payload of an MQTT /set message: @id is the request id that the
 * set_reply echoes (a number for the operateType dialect, a string for
 * cmdSet as the DELTA Pro page shows), @timestamp_ms the cmdSet dialect's
 * "timestamp". */
JsonObject *juice_command_wrap_mqtt       (JsonObject *command,
                                           const char *id,
                                           gint64      timestamp_ms);

/* The command a /set message or a PUT body carries, the inverse of the
 * wrappers; NULL when @message is neither shape. Untrusted input. */
JsonObject *juice_command_unwrap          (JsonObject *message);

/* The set_reply a device sends for a command received as @message: the
 * operateType dialect echoes id, version, moduleType and operateType with
 * data.ack false for success; the cmdSet dialect echoes id with data.ack
 * 0/1. */
JsonObject *juice_command_build_reply     (JsonObject *message,
                                           gboolean    accepted);

G_END_DECLS
