/* juice-notifier.h: desktop notifications about the devices
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "juice-device.h"

G_BEGIN_DECLS

#define JUICE_TYPE_NOTIFIER (juice_notifier_get_type ())

G_DECLARE_FINAL_TYPE (JuiceNotifier, juice_notifier, JUICE, NOTIFIER, GObject)

/* Sends GNotifications through @application for each of "devices":
 *  - low charge: the charge fell below "notify-low-charge" (GSettings, %;
 *    0 turns it off); withdrawn once the charge is 2 points above it again;
 *  - full: the charge reached the device's charge limit (100 % without
 *    one), "notify-full"; withdrawn 2 points below the limit;
 *  - offline: offline for "offline-delay-seconds" (300), "notify-offline";
 *    withdrawn when it comes back, which is a notification of its own
 *    (withdrawn when it goes offline again);
 *  - a failed command (juice_notifier_command_failed()).
 * The 2 points keep a charge that wobbles at the threshold from sending the
 * same news again and again. Each notification is sent once per event,
 * under an id of the event and the serial number ("low-charge-SN"), and
 * opens the device's page when clicked (app.show-device, its SN). */

JuiceNotifier *juice_notifier_new                       (GApplication  *application,
                                                         GSettings     *settings);
void           juice_notifier_set_devices               (JuiceNotifier *self,
                                                         GListModel    *devices);
GListModel    *juice_notifier_get_devices               (JuiceNotifier *self);
guint          juice_notifier_get_offline_delay_seconds (JuiceNotifier *self);
void           juice_notifier_set_offline_delay_seconds (JuiceNotifier *self,
                                                         guint          seconds);
void           juice_notifier_command_failed            (JuiceNotifier *self,
                                                         JuiceDevice   *device,
                                                         const char    *message);

G_END_DECLS
