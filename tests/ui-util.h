/* ui-util.h: what the UI tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef gboolean (*UiPredicate) (GtkWidget     *widget,
                                 gconstpointer  data);

/* Depth first from @widget: the first widget @predicate accepts, or how
 * many it accepts. */
GtkWidget *ui_find              (GtkWidget     *widget,
                                 UiPredicate    predicate,
                                 gconstpointer  data);
guint      ui_count             (GtkWidget     *widget,
                                 UiPredicate    predicate,
                                 gconstpointer  data);
/* The first widget at or below @widget with @css_class or of @type. */
GtkWidget *ui_find_by_css_class (GtkWidget  *widget,
                                 const char *css_class);
GtkWidget *ui_find_by_type      (GtkWidget  *widget,
                                 GType       type);
/* Presents @window and turns the main loop until it is mapped. */
void       ui_present           (GtkWindow  *window);
/* Turns the main loop for @ms milliseconds. */
void       ui_wait_ms           (guint       ms);
/* Renders @widget as on screen into $JUICE_ARTIFACTS_DIR/@name. */
void       ui_save_screenshot   (GtkWidget  *widget,
                                 const char *name);

G_END_DECLS
