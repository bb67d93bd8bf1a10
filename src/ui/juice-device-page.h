/* juice-device-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "juice-device.h"

G_BEGIN_DECLS

#define JUICE_TYPE_DEVICE_PAGE (juice_device_page_get_type ())

G_DECLARE_FINAL_TYPE (JuiceDevicePage, juice_device_page, JUICE, DEVICE_PAGE, AdwBin)

JuiceDevice *juice_device_page_get_device (JuiceDevicePage *self);
void         juice_device_page_set_device (JuiceDevicePage *self,
                                           JuiceDevice     *device);
/* Draws the rows scrolled far out of view too, which the page otherwise
 * leaves out of its frames (JuiceCullBox): for a picture of the whole page. */
void         juice_device_page_set_draw_all (JuiceDevicePage *self,
                                             gboolean         draw_all);

/* Shared formatting, also for tests: "56 %", "1,234 W", "2 h 5 min to full". */
char        *juice_format_soc             (double           soc);
char        *juice_format_watts           (int              watts,
                                           gboolean         kilowatts);
char        *juice_format_remaining       (int              minutes);

G_END_DECLS
