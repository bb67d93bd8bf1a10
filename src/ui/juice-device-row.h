/* juice-device-row.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "juice-device.h"

G_BEGIN_DECLS

#define JUICE_TYPE_DEVICE_ROW (juice_device_row_get_type ())

G_DECLARE_FINAL_TYPE (JuiceDeviceRow, juice_device_row, JUICE, DEVICE_ROW, GtkListBoxRow)

/* A device in the sidebar: name, product, state of charge, online state. */
GtkWidget   *juice_device_row_new        (JuiceDevice    *device);
JuiceDevice *juice_device_row_get_device (JuiceDeviceRow *self);

G_END_DECLS
