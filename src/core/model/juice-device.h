/* juice-device.h: the model of one power station
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * src/core/model: the objects the UI and juice-ctl bind to. JuiceDevice
 * keeps what one power station reported (through its profile from profiles/)
 * and sends settings through a JuiceTransport (juice-transport.h);
 * JuiceAccount is that transport for real devices, over cloud/ and mqtt/;
 * juice-quota-format.c says how a value reads; juice-report-coalescer.c
 * applies bursts of reports at most so often. history/ records devices;
 * sim/ plays them. The parts of JuiceDevice and of JuiceAccount are listed
 * in juice-device-private.h and juice-account.c.
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "juice-device-profile.h"
#include "juice-report.h"
#include "juice-transport.h"

G_BEGIN_DECLS

#define JUICE_TYPE_DEVICE (juice_device_get_type ())

G_DECLARE_FINAL_TYPE (JuiceDevice, juice_device, JUICE, DEVICE, GObject)

/* One JuiceDevice per serial number. Every quota key the device ever sent is
 * kept (unknown ones too); known keys are matched case-insensitively. The
 * headline values are properties: "soc", "watts-in", "watts-out",
 * "remain-minutes", "online", "stale", "name", "product". "problem" says, as
 * a sentence, why the device's values could not be loaded (NULL when
 * nothing is wrong); the transport sets and clears it.
 *
 * Timers run on the thread-default main context of the thread that made
 * the device.
 *
 * Signals:
 *  - "quota-changed::KEY" (const char *key): a key's value changed; the
 *    detail is the key as the profile spells it (the device's spelling for
 *    unknown keys).
 *  - "setting-changed::NAME" (const char *name): a setting's shown value or
 *    pending state changed (optimistic value, confirmation, rollback).
 *  - "report-applied" (guint n_changed): after each applied report.
 */

JuiceDevice              *juice_device_new                   (const char           *serial_number,
                                                              const JuiceDeviceProfile *profile);
const char               *juice_device_get_serial_number     (JuiceDevice          *self);
const JuiceDeviceProfile *juice_device_get_profile           (JuiceDevice          *self);
const char               *juice_device_get_name              (JuiceDevice          *self);
void                      juice_device_set_name              (JuiceDevice          *self,
                                                              const char           *name);
const char               *juice_device_get_product           (JuiceDevice          *self);
void                      juice_device_set_product           (JuiceDevice          *self,
                                                              const char           *product);
gboolean                  juice_device_get_online            (JuiceDevice          *self);
void                      juice_device_set_online            (JuiceDevice          *self,
                                                              gboolean              online);
gboolean                  juice_device_get_stale             (JuiceDevice          *self);
void                      juice_device_set_stale             (JuiceDevice          *self,
                                                              gboolean              stale);
double                    juice_device_get_soc               (JuiceDevice          *self);
int                       juice_device_get_watts_in          (JuiceDevice          *self);
int                       juice_device_get_watts_out         (JuiceDevice          *self);
int                       juice_device_get_remain_minutes    (JuiceDevice          *self);
gint64                    juice_device_get_last_report_time  (JuiceDevice          *self);

const char               *juice_device_get_problem           (JuiceDevice          *self);
void                      juice_device_set_problem           (JuiceDevice          *self,
                                                              const char           *problem);
/* Asks the transport for every value again (a retry after a problem). */
void                      juice_device_refresh               (JuiceDevice          *self);

JuiceTransport           *juice_device_get_transport         (JuiceDevice          *self);
void                      juice_device_set_transport         (JuiceDevice          *self,
                                                              JuiceTransport       *transport);

/* Applies a report: a JSON object of dotted keys to values. Returns the
 * number of keys whose value changed, or -1 with @error set when @params is
 * not an object (nothing is applied then). Values that are not scalars or
 * arrays of scalars, objects, arrays of objects are kept as they came. */
int                       juice_device_apply_report          (JuiceDevice          *self,
                                                              JsonNode             *params,
                                                              GError              **error);
/* Counts the live reports applied: note it before asking for a snapshot
 * of every value (quota/all). */
guint64                   juice_device_get_report_serial     (JuiceDevice          *self);
/* Applies a snapshot of values read after juice_device_get_report_serial()
 * returned @since, like juice_device_apply_report(), except that a key a
 * live report sent since then keeps that newer value. */
int                       juice_device_apply_snapshot        (JuiceDevice          *self,
                                                              JsonNode             *params,
                                                              guint64               since,
                                                              GError              **error);
/* Checks @data (a /quota message or a quota/all envelope's "data"), then
 * applies it; -1 with @error when juice_device_check_report() refuses it. */
int                       juice_device_apply_report_bytes    (JuiceDevice          *self,
                                                              const char           *data,
                                                              gssize                length,
                                                              GError              **error);

/* Checks @data (a /quota message or a quota/all envelope's "data") and
 * splits it into the members to apply, without applying them; NULL with
 * @error when it is not a JSON object, over 1 MiB, nested deeper than 32,
 * or its "params" or "typeCode" are malformed (counted as rejected). */
JuiceReport              *juice_device_check_report          (JuiceDevice          *self,
                                                              const char           *data,
                                                              gssize                length,
                                                              GError              **error);
/* Applies checked reports in order as one: one notification per changed
 * property and one ::report-applied. Returns the number of changes. */
int                       juice_device_apply_reports         (JuiceDevice          *self,
                                                              JuiceReport         **reports,
                                                              guint                 n_reports);

/* The value the device last sent for @key (borrowed), or NULL. */
JsonNode                 *juice_device_get_quota             (JuiceDevice          *self,
                                                              const char           *key);
/* The key as the device spelled it, or NULL. */
const char               *juice_device_get_quota_raw_key     (JuiceDevice          *self,
                                                              const char           *key);
gboolean                  juice_device_get_quota_int         (JuiceDevice          *self,
                                                              const char           *key,
                                                              gint64               *value);
gboolean                  juice_device_get_quota_double      (JuiceDevice          *self,
                                                              const char           *key,
                                                              double               *value);
/* Every key the device sent, sorted by strcmp; free with g_strfreev(). */
char                    **juice_device_dup_quota_keys        (JuiceDevice          *self);
guint                     juice_device_get_n_quotas          (JuiceDevice          *self);
guint                     juice_device_get_n_rejected        (JuiceDevice          *self);

/* Settings. The shown value is the pending (optimistic) one while a command
 * is on its way, else the readback key's value. */
gboolean                  juice_device_get_setting_value     (JuiceDevice          *self,
                                                              const char           *setting,
                                                              gint64               *value);
gboolean                  juice_device_is_setting_pending    (JuiceDevice          *self,
                                                              const char           *setting);
/* A command waits for its readback: reports are worth applying at once. */
gboolean                  juice_device_has_pending_commands  (JuiceDevice          *self);
/* Builds the command parameters for @setting = @value, companion included. */
JsonObject               *juice_device_build_command         (JuiceDevice          *self,
                                                              const JuiceSettingInfo *setting,
                                                              gint64                value,
                                                              GError              **error);
/* Sets @setting to @value: shown at once (pending), confirmed by the
 * device's readback, rolled back on failure or timeout. Cancelling
 * @cancellable ends it with G_IO_ERROR_CANCELLED and rolls back too. */
void                      juice_device_set_async             (JuiceDevice          *self,
                                                              const char           *setting,
                                                              gint64                value,
                                                              GCancellable         *cancellable,
                                                              GAsyncReadyCallback   callback,
                                                              gpointer              user_data);
gboolean                  juice_device_set_finish            (JuiceDevice          *self,
                                                              GAsyncResult         *result,
                                                              GError              **error);
/* Ends every pending command with G_IO_ERROR_CANCELLED (on disconnect). */
void                      juice_device_cancel_commands       (JuiceDevice          *self);
guint                     juice_device_get_command_timeout   (JuiceDevice          *self);
void                      juice_device_set_command_timeout   (JuiceDevice          *self,
                                                              guint                 timeout_ms);

G_END_DECLS
