/* juice-preferences-window.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define JUICE_TYPE_PREFERENCES_WINDOW (juice_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (JuicePreferencesWindow, juice_preferences_window, JUICE, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

GtkWidget *juice_preferences_window_new (GtkWindow *parent);

G_END_DECLS
