/* ui-util.h: what the UI tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The first widget at or below @widget with @css_class or of @type. */
GtkWidget *ui_find_by_css_class (GtkWidget  *widget,
                                 const char *css_class);
GtkWidget *ui_find_by_type      (GtkWidget  *widget,
                                 GType       type);
/* Turns the main loop for @ms milliseconds. */
void       ui_wait_ms           (guint       ms);
/* Renders @widget as on screen into $JUICE_ARTIFACTS_DIR/@name. */
void       ui_save_screenshot   (GtkWidget  *widget,
                                 const char *name);

G_END_DECLS
