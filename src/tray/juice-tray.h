/* juice-tray.h: Juice's tray icon and its menu
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "juice-dbusmenu.h"
#include "juice-device.h"
#include "juice-status-notifier.h"

G_BEGIN_DECLS

#define JUICE_TYPE_TRAY (juice_tray_get_type ())

G_DECLARE_FINAL_TYPE (JuiceTray, juice_tray, JUICE, TRAY, GObject)

/* Shows "devices" in the tray of @application's session bus: the icon and
 * tooltip follow the first device (its charge in steps of 20 %, charging or
 * not), the menu lists each device with its charge and power, an "AC output"
 * check item per device that has that setting (checked as the device
 * confirms it, insensitive while a command is on its way), then "Show
 * Juice" (activates @application) and "Quit" (app.quit). A device's line
 * activates app.show-device with its serial number.
 *
 * Nothing goes over the bus while what the tray shows stays the same; the
 * power and time left in the tooltip and the menu, which change with nearly
 * every report, are sent at most every 5 s (charge, icon and checks at once).
 *
 * Signals:
 *  - "command-failed" (JuiceDevice *device, const char *message): a command
 *    sent from the menu failed (not when it was cancelled). */

JuiceTray           *juice_tray_new               (GApplication *application,
                                                   const char   *icon_theme_path);
GListModel          *juice_tray_get_devices       (JuiceTray    *self);
void                 juice_tray_set_devices       (JuiceTray    *self,
                                                   GListModel   *devices);
JuiceStatusNotifier *juice_tray_get_item          (JuiceTray    *self);
JuiceDbusmenu       *juice_tray_get_menu          (JuiceTray    *self);
/* The menu ids of the line and of the "AC output" item of @device (0 when
 * it has none), for tests. */
int                  juice_tray_get_line_id       (JuiceTray    *self,
                                                   JuiceDevice  *device);
int                  juice_tray_get_ac_output_id  (JuiceTray    *self,
                                                   JuiceDevice  *device);

/* The icon name for a charge, as data/icons names them. */
char                *juice_tray_icon_name         (double        soc,
                                                   gboolean      charging,
                                                   gboolean      online);

G_END_DECLS
