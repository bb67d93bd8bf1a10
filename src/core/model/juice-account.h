/* juice-account.h: the EcoFlow account that owns the devices
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "juice-cloud.h"
#include "juice-device.h"
#include "juice-mqtt.h"

G_BEGIN_DECLS

#define JUICE_TYPE_ACCOUNT (juice_account_get_type ())

G_DECLARE_FINAL_TYPE (JuiceAccount, juice_account, JUICE, ACCOUNT, GObject)

/* Owns one JuiceCloud and one JuiceMqtt. Loads the device list, keeps a
 * JuiceDevice per serial number (a GListModel), routes every MQTT message by
 * serial number, and is the cloud JuiceTransport of its devices: commands go
 * over MQTT when connected and over HTTP PUT otherwise.
 *
 * It fetches quota/all for each device once per (re)connect of the live
 * link (at start, as part of connecting), since the broker does not replay
 * what was missed. When that fetch fails, the device's "problem" says why
 * until a fetch succeeds (juice_device_refresh() asks again). A device that
 * stays silent for
 * "silence-seconds" (300) or reports status 0 is shown offline; its values
 * stay, marked stale.
 *
 * Properties: "devices" (GListModel of JuiceDevice), "mqtt", "link-state"
 * (a sentence for the UI: "Connected", "Reconnecting in 4 s", "Failed: …"),
 * "silence-seconds".
 *
 * Its timers run on the thread-default main context of the thread that
 * made it. */

JuiceAccount *juice_account_new                  (JuiceCloud          *cloud,
                                                  const char          *mqtt_client_id);
JuiceCloud   *juice_account_get_cloud            (JuiceAccount        *self);
JuiceMqtt    *juice_account_get_mqtt             (JuiceAccount        *self);
GListModel   *juice_account_get_devices          (JuiceAccount        *self);
JuiceDevice  *juice_account_lookup_device        (JuiceAccount        *self,
                                                  const char          *serial_number);
const char   *juice_account_get_link_state       (JuiceAccount        *self);
/* A PEM file of CAs the broker's certificate may also be signed by (a private
 * CA, tests): trusted in addition to the system's CAs, never instead, as
 * for HTTPS. Takes effect at the next connect. */
void          juice_account_set_mqtt_ca_file     (JuiceAccount        *self,
                                                  const char          *ca_file);
/* Keeps only the device @serial_number of the account (NULL: all): the
 * others get no JuiceDevice, no fetch and no subscription. Call before
 * connecting (juice-ctl watch SN). */
void          juice_account_set_only_device      (JuiceAccount        *self,
                                                  const char          *serial_number);
guint         juice_account_get_silence_seconds  (JuiceAccount        *self);
void          juice_account_set_silence_seconds  (JuiceAccount        *self,
                                                  guint                seconds);
/* MQTT messages that were not understood: unknown topics or devices,
 * malformed JSON. Counted, logged at debug level, otherwise ignored. */
guint         juice_account_get_n_ignored        (JuiceAccount        *self);

/* Loads the device list and every device's quotas, then starts the live
 * link. Completes once the devices are known; the link keeps going. */
void          juice_account_connect_async        (JuiceAccount        *self,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean      juice_account_connect_finish       (JuiceAccount        *self,
                                                  GAsyncResult        *result,
                                                  GError             **error);
/* Stops everything on its way: a connect (which completes with
 * G_IO_ERROR_CANCELLED), quota fetches, read-backs, pending commands (each
 * ends with G_IO_ERROR_CANCELLED and rolls back) and the live link. A
 * cancellation is not an error: no link state or problem shows it. */
void          juice_account_disconnect           (JuiceAccount        *self);

/* Fetches quota/all for every device again. */
void          juice_account_refresh              (JuiceAccount        *self);

G_END_DECLS
