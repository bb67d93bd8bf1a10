/* juice-history-view.h: a device's recorded history on its page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "juice-device.h"
#include "juice-history.h"

G_BEGIN_DECLS

#define JUICE_TYPE_HISTORY_VIEW (juice_history_view_get_type ())

G_DECLARE_FINAL_TYPE (JuiceHistoryView, juice_history_view, JUICE, HISTORY_VIEW, GtkWidget)

/* The power chart with its range buttons and the daily energy chart of
 * @device. Recorded points come from @history (queried again when it
 * writes a batch of the device's), the newest from the device's reports.
 * Nothing is queried or drawn while the view is not mapped.
 *
 * "today" is "Today: 3.2 kWh in, 1.1 kWh out", or NULL without history. */
GtkWidget  *juice_history_view_new       (JuiceDevice      *device,
                                          JuiceHistory     *history);
JuiceDevice *juice_history_view_get_device (JuiceHistoryView *self);
const char *juice_history_view_get_today (JuiceHistoryView *self);
/* Queries the history now (tests; the view does it by itself). */
void        juice_history_view_reload    (JuiceHistoryView *self);

G_END_DECLS
