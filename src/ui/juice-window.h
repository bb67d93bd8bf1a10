/* juice-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "juice-device.h"

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

G_END_DECLS
