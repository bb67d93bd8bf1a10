/* ui-util.h: what the UI tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* How long a wait for a condition may take before the test fails: long
 * enough for a loaded machine, short enough to fail well inside meson's
 * timeout. */
#define UI_WAIT_TIMEOUT_S 30

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

/* The text a GtkLabel or a JuiceValueLabel shows (NULL for other widgets). */
const char *ui_label_text       (GtkWidget  *widget);

/* Turns the main loop once, blocking until a source is ready (at most a
 * tenth of a second, so that conditions outside the main loop are looked
 * at again). Use it through UI_WAIT_UNTIL, not as a delay. */
void       ui_iterate           (void);
/* Fails the test: @what did not happen within UI_WAIT_TIMEOUT_S. */
void       ui_wait_failed       (const char *file,
                                 int         line,
                                 const char *func,
                                 const char *what);

/* Turns the main loop until @condition holds; fails the test, naming the
 * condition, if it does not within UI_WAIT_TIMEOUT_S seconds. */
#define UI_WAIT_UNTIL(condition)                                                  \
  G_STMT_START {                                                                  \
    gint64 ui_wait_end_ = g_get_monotonic_time () + UI_WAIT_TIMEOUT_S * G_USEC_PER_SEC; \
    while (!(condition))                                                          \
      {                                                                           \
        if (g_get_monotonic_time () > ui_wait_end_)                               \
          {                                                                       \
            ui_wait_failed (__FILE__, __LINE__, G_STRFUNC, #condition);           \
            break;                                                                \
          }                                                                       \
        ui_iterate ();                                                            \
      }                                                                           \
  } G_STMT_END

/* Waits until @widget is mapped, has a size, and its window has painted a
 * frame begun after this call: what the test set up before is on screen. */
void       ui_wait_drawn        (GtkWidget  *widget);
/* Waits for a frame painted after now, without asking for one: what a
 * change made the widget do, not a redraw the test queued. */
void       ui_wait_painted      (GtkWidget  *widget);
/* Presents @window and waits until it is drawn. */
void       ui_present           (GtkWindow  *window);
/* Waits until the caller holds the only reference to @object (the widgets
 * that showed it are gone), so that g_assert_finalize_object can follow. */
void       ui_wait_sole_owner   (gpointer    object);
/* Waits until @widget is drawn, then renders it as on screen into
 * $JUICE_ARTIFACTS_DIR/@name (nothing is saved without that folder). */
void       ui_save_screenshot   (GtkWidget  *widget,
                                 const char *name);
/* What AdwApplication loads for the app from its resource base path:
 * style.css, and style-dark.css while the style manager is dark. Call it
 * once, after adw_init (). */
void       ui_load_app_style    (void);

G_END_DECLS
