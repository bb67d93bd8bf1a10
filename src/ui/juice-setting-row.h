/* juice-setting-row.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "juice-device.h"

G_BEGIN_DECLS

#define JUICE_TYPE_SETTING_ROW (juice_setting_row_get_type ())

G_DECLARE_FINAL_TYPE (JuiceSettingRow, juice_setting_row, JUICE, SETTING_ROW, AdwActionRow)

/* One setting of a device as a control made from its profile entry: a switch
 * for on/off, a scale or spin button for a range. A choice of options is a
 * JuiceChoiceRow (an AdwComboRow): juice_setting_row_new() returns one for
 * JUICE_SETTING_CHOICE. A change is shown at once as pending, then confirmed
 * by the device or rolled back; a failure is announced through the
 * "win.show-toast" action. */
GtkWidget              *juice_setting_row_new          (JuiceDevice            *device,
                                                        const JuiceSettingInfo *setting);
/* The setting of a JuiceSettingRow or a JuiceChoiceRow, else NULL. */
const JuiceSettingInfo *juice_setting_widget_get_setting (GtkWidget            *row);
/* Sends @value unless the device already has it; a failure other than a
 * newer change or a cancellation becomes a toast naming the setting. */
void                    juice_setting_send             (GtkWidget              *row,
                                                        JuiceDevice            *device,
                                                        const JuiceSettingInfo *setting,
                                                        gint64                  value);
const JuiceSettingInfo *juice_setting_row_get_setting  (JuiceSettingRow        *self);
GtkWidget              *juice_setting_row_get_control  (JuiceSettingRow        *self);
gboolean                juice_setting_row_get_pending  (JuiceSettingRow        *self);

G_END_DECLS
