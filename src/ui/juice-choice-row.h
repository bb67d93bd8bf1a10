/* juice-choice-row.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "juice-device.h"

G_BEGIN_DECLS

#define JUICE_TYPE_CHOICE_ROW (juice_choice_row_get_type ())

G_DECLARE_FINAL_TYPE (JuiceChoiceRow, juice_choice_row, JUICE, CHOICE_ROW, AdwComboRow)

/* A setting with a fixed set of options (JUICE_SETTING_CHOICE) as a combo
 * row. The row shows the device's value: one the options do not name (set
 * from the phone app, say 5999 min) is an extra item, "Custom (4 d 3 h 59
 * min)", selected, until the device reports an option again. Choosing an
 * option sends it; pending, confirmed and refused as in JuiceSettingRow. */
GtkWidget              *juice_choice_row_new          (JuiceDevice            *device,
                                                       const JuiceSettingInfo *setting);
const JuiceSettingInfo *juice_choice_row_get_setting  (JuiceChoiceRow         *self);
gboolean                juice_choice_row_get_pending  (JuiceChoiceRow         *self);
/* The value of the selected item (an option or the device's custom value). */
gboolean                juice_choice_row_get_value    (JuiceChoiceRow         *self,
                                                       gint64                 *value);

G_END_DECLS
