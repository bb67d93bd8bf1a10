/* ui-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "juice-tests"

#include <adwaita.h>

#include "juice-value-label.h"
#include "ui-util.h"

const char *
ui_label_text (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget))
    return gtk_label_get_label (GTK_LABEL (widget));
  if (JUICE_IS_VALUE_LABEL (widget))
    return juice_value_label_get_label (JUICE_VALUE_LABEL (widget));
  return NULL;
}

GtkWidget *
ui_find (GtkWidget   *widget,
         UiPredicate  predicate,
         gconstpointer data)
{
  if (predicate (widget, data))
    return widget;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = ui_find (child, predicate, data);

      if (found != NULL)
        return found;
    }

  return NULL;
}

guint
ui_count (GtkWidget     *widget,
          UiPredicate    predicate,
          gconstpointer  data)
{
  guint n = predicate (widget, data) ? 1 : 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += ui_count (child, predicate, data);

  return n;
}

static gboolean
has_css_class (GtkWidget     *widget,
               gconstpointer  css_class)
{
  return gtk_widget_has_css_class (widget, css_class);
}

static gboolean
is_of_type (GtkWidget     *widget,
            gconstpointer  type)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, GPOINTER_TO_SIZE (type));
}

GtkWidget *
ui_find_by_css_class (GtkWidget  *widget,
                      const char *css_class)
{
  return ui_find (widget, has_css_class, css_class);
}

GtkWidget *
ui_find_by_type (GtkWidget *widget,
                 GType      type)
{
  return ui_find (widget, is_of_type, GSIZE_TO_POINTER (type));
}

static gboolean
keep_source (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

void
ui_iterate (void)
{
  GSource *wakeup = g_timeout_source_new (100);

  g_source_set_callback (wakeup, keep_source, NULL, NULL);
  g_source_attach (wakeup, NULL);
  g_main_context_iteration (NULL, TRUE);
  g_source_destroy (wakeup);
  g_source_unref (wakeup);
}

void
ui_wait_failed (const char *file,
                int         line,
                const char *func,
                const char *what)
{
  g_autofree char *message = g_strdup_printf ("waited %d s in vain for: %s",
                                              UI_WAIT_TIMEOUT_S, what);

  g_assertion_message (G_LOG_DOMAIN, file, line, func, message);
}

static void
set_flag (GdkFrameClock *clock,
          gboolean      *flag)
{
  *flag = TRUE;
}

void
ui_wait_drawn (GtkWidget *widget)
{
  UI_WAIT_UNTIL (gtk_widget_get_mapped (widget) &&
                 gtk_widget_get_width (widget) > 0 && gtk_widget_get_height (widget) > 0);

  /* A frame begun after now lays out and paints what the test set up (the
   * frame asked for here comes in a later iteration of the loop). */
  gtk_widget_queue_draw (widget);
  ui_wait_painted (widget);
}

void
ui_wait_painted (GtkWidget *widget)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (widget);
  gboolean painted = FALSE;
  gulong handler;

  g_assert_nonnull (clock);
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (set_flag), &painted);
  UI_WAIT_UNTIL (painted);
  g_signal_handler_disconnect (clock, handler);
}

void
ui_present (GtkWindow *window)
{
  gtk_window_present (window);
  ui_wait_drawn (GTK_WIDGET (window));
}

void
ui_wait_sole_owner (gpointer object)
{
  g_assert_true (G_IS_OBJECT (object));
  UI_WAIT_UNTIL (g_atomic_int_get (&G_OBJECT (object)->ref_count) == 1);
}

typedef struct
{
  GtkWidget     *widget;
  GskRenderNode *node;
  int            width;
  int            height;
} Shot;

/* Right after a frame painted, the widget's render node is the one on
 * screen; later, any queued redraw drops it. */
static void
take_shot (GdkFrameClock *clock,
           Shot          *shot)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  GtkSnapshot *snapshot;

  if (shot->node != NULL)
    return;

  shot->width = gtk_widget_get_width (shot->widget);
  shot->height = gtk_widget_get_height (shot->widget);
  paintable = gtk_widget_paintable_new (shot->widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, shot->width, shot->height);
  shot->node = gtk_snapshot_free_to_node (snapshot);

  /* Not drawn in this frame after all: the next one. */
  if (shot->node == NULL)
    gtk_widget_queue_draw (shot->widget);
}

void
ui_save_screenshot (GtkWidget  *widget,
                    const char *name)
{
  const char *dir = g_getenv ("JUICE_ARTIFACTS_DIR");
  g_autofree char *path = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  Shot shot = { widget, NULL, 0, 0 };
  GdkFrameClock *clock;
  gulong handler;

  /* Waited for whether or not the picture is saved: the same test runs. */
  ui_wait_drawn (widget);
  if (dir == NULL)
    return;

  clock = gtk_widget_get_frame_clock (widget);
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (take_shot), &shot);
  gtk_widget_queue_draw (widget);
  UI_WAIT_UNTIL (shot.node != NULL);
  g_signal_handler_disconnect (clock, handler);

  g_mkdir_with_parents (dir, 0755);
  path = g_build_filename (dir, name, NULL);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)),
                                         shot.node,
                                         &GRAPHENE_RECT_INIT (0, 0, shot.width, shot.height));
  gsk_render_node_unref (shot.node);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}

static void
update_dark_style (AdwStyleManager *manager,
                   GParamSpec      *pspec,
                   GtkCssProvider  *dark)
{
  GdkDisplay *display = gdk_display_get_default ();

  if (adw_style_manager_get_dark (manager))
    gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (dark),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  else
    gtk_style_context_remove_provider_for_display (display, GTK_STYLE_PROVIDER (dark));
}

void
ui_load_app_style (void)
{
  AdwStyleManager *manager = adw_style_manager_get_default ();
  GtkCssProvider *css = gtk_css_provider_new ();
  GtkCssProvider *dark = gtk_css_provider_new ();

  /* Both stay for the process, as the application's do. */
  gtk_css_provider_load_from_resource (css, "/io/github/juicepower/Juice/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  gtk_css_provider_load_from_resource (dark, "/io/github/juicepower/Juice/style-dark.css");
  g_signal_connect_object (manager, "notify::dark", G_CALLBACK (update_dark_style), dark, 0);
  update_dark_style (manager, NULL, dark);
  g_object_set_data_full (G_OBJECT (manager), "ui-util-dark-style", dark, g_object_unref);
  g_object_set_data_full (G_OBJECT (manager), "ui-util-style", css, g_object_unref);
}
