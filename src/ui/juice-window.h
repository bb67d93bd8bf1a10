/* juice-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "juice-device.h"
#include "juice-history.h"

G_BEGIN_DECLS

#define JUICE_TYPE_WINDOW (juice_window_get_type ())

G_DECLARE_FINAL_TYPE (JuiceWindow, juice_window, JUICE, WINDOW, AdwApplicationWindow)

JuiceWindow *juice_window_new         (gpointer     application,
                                       GListModel  *devices);
GListModel  *juice_window_get_devices (JuiceWindow *self);
void         juice_window_set_devices (JuiceWindow *self,
                                       GListModel  *devices);
JuiceDevice *juice_window_get_device  (JuiceWindow *self);
void         juice_window_set_device  (JuiceWindow *self,
                                       JuiceDevice *device);
/* Between signing in and the device list: a spinner. Setting the devices
 * shows them; no devices (NULL) shows the welcome page. */
void         juice_window_show_loading (JuiceWindow *self);
void         juice_window_add_toast   (JuiceWindow *self,
                                       const char  *message);

/* The recorded history (issue 10): the device page's charts read it and
 * win.export-history writes it. */
JuiceHistory *juice_window_get_history    (JuiceWindow  *self);
void          juice_window_set_history    (JuiceWindow  *self,
                                           JuiceHistory *history);
/* Writes the shown device's history of the last @seconds (0: all) to
 * @file as CSV, with a toast while it runs and one that says how it
 * went; "exporting" is TRUE meanwhile. What win.export-history does once
 * the chooser has its answer. */
void          juice_window_export_history (JuiceWindow  *self,
                                           GFile        *file,
                                           gint64        seconds);

G_END_DECLS
