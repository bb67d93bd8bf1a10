/* juice-values-page.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "juice-device.h"

G_BEGIN_DECLS

#define JUICE_TYPE_VALUES_PAGE (juice_values_page_get_type ())

G_DECLARE_FINAL_TYPE (JuiceValuesPage, juice_values_page, JUICE, VALUES_PAGE, AdwBin)

/* Every quota key of a device, known or not, with its label, value and unit;
 * searchable, raw keys on demand. */
JuiceDevice *juice_values_page_get_device  (JuiceValuesPage *self);
void         juice_values_page_set_device  (JuiceValuesPage *self,
                                            JuiceDevice     *device);
void         juice_values_page_focus_search (JuiceValuesPage *self);
guint        juice_values_page_get_n_shown (JuiceValuesPage *self);

G_END_DECLS
