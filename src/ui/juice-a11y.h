/* juice-a11y.h: names a screen reader needs that GTK 4.8 does not give
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* The scrolled window inside an AdwStatusPage is focusable and nameless:
 * it gets the page's title. */
void juice_a11y_name_status_page (AdwStatusPage *page);

/* Names each list item of @row after its text (the default factory leaves
 * them nameless) and the row's list views after its title. Sets @row's
 * factory: for rows with a GtkStringList model. */
void juice_a11y_name_combo_row (AdwComboRow *row);

/* The search entry, the scrolled windows and the search results of an
 * AdwPreferencesWindow, which libadwaita 1.2 leaves nameless. */
void juice_a11y_name_preferences_window (AdwPreferencesWindow *window);

G_END_DECLS
