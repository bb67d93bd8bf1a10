/* juice-quota-row.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "juice-device.h"

G_BEGIN_DECLS

#define JUICE_TYPE_QUOTA_ROW (juice_quota_row_get_type ())

G_DECLARE_FINAL_TYPE (JuiceQuotaRow, juice_quota_row, JUICE, QUOTA_ROW, AdwActionRow)

/* A row that shows one quota of a device, kept current: its label, value and
 * unit; the raw key as subtitle when show-key is set. */
GtkWidget  *juice_quota_row_new          (JuiceDevice   *device,
                                          const char    *key);
const char *juice_quota_row_get_key      (JuiceQuotaRow *self);
const char *juice_quota_row_get_value    (JuiceQuotaRow *self);
/* Text that search matches: label, key and value. */
const char *juice_quota_row_get_search_text (JuiceQuotaRow *self);

G_END_DECLS
