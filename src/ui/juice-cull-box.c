/* juice-cull-box.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "juice-cull-box"

#include "config.h"

#include "juice-cull-box.h"

struct _JuiceCullBox
{
  GtkBox             parent_instance;

  /* owned references */
  GtkScrolledWindow *scrolled;
  GtkAdjustment     *vadjustment;

  /* state */
  gulong             value_changed_id;
  gulong             changed_id;
  gboolean           draw_all;
  guint              n_culled;
};

G_DEFINE_FINAL_TYPE (JuiceCullBox, juice_cull_box, GTK_TYPE_BOX)

enum {
  PROP_0,
  PROP_DRAW_ALL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Set on a child left out of the last frame. */
static GQuark
culled_quark (void)
{
  static GQuark quark;

  if (quark == 0)
    quark = g_quark_from_static_string ("juice-cull-box-culled");
  return quark;
}

static void
disconnect_scrolled (JuiceCullBox *self)
{
  if (self->vadjustment != NULL)
    {
      g_clear_signal_handler (&self->value_changed_id, self->vadjustment);
      g_clear_signal_handler (&self->changed_id, self->vadjustment);
    }
  g_clear_object (&self->vadjustment);
  g_clear_object (&self->scrolled);
}

/* A scroll or a new page size moves the view: what is near it changes. */
static void
on_view_moved (GtkAdjustment *adjustment,
               JuiceCullBox  *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
juice_cull_box_map (GtkWidget *widget)
{
  JuiceCullBox *self = JUICE_CULL_BOX (widget);
  GtkWidget *scrolled;

  GTK_WIDGET_CLASS (juice_cull_box_parent_class)->map (widget);

  disconnect_scrolled (self);
  scrolled = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  if (scrolled == NULL)
    return;

  self->scrolled = g_object_ref (GTK_SCROLLED_WINDOW (scrolled));
  self->vadjustment = g_object_ref (gtk_scrolled_window_get_vadjustment (self->scrolled));
  self->value_changed_id = g_signal_connect (self->vadjustment, "value-changed",
                                             G_CALLBACK (on_view_moved), self);
  self->changed_id = g_signal_connect (self->vadjustment, "changed",
                                       G_CALLBACK (on_view_moved), self);
}

static void
juice_cull_box_unmap (GtkWidget *widget)
{
  disconnect_scrolled (JUICE_CULL_BOX (widget));

  GTK_WIDGET_CLASS (juice_cull_box_parent_class)->unmap (widget);
}

/* Near the view: within a page's height above or below what the scrolled
 * window shows, so that a short scroll or a row above growing never
 * uncovers a child left out. */
static gboolean
is_near_view (JuiceCullBox *self,
              GtkWidget    *child)
{
  GtkWidget *scrolled = GTK_WIDGET (self->scrolled);
  graphene_rect_t bounds, view;
  float height = gtk_widget_get_height (scrolled);

  if (!gtk_widget_compute_bounds (child, scrolled, &bounds))
    return TRUE;

  graphene_rect_init (&view, 0, -height, gtk_widget_get_width (scrolled), 3 * height);
  return graphene_rect_intersection (&bounds, &view, NULL);
}

static void
juice_cull_box_snapshot (GtkWidget   *widget,
                         GtkSnapshot *snapshot)
{
  JuiceCullBox *self = JUICE_CULL_BOX (widget);
  guint n_culled = 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      gboolean drawn = self->draw_all || self->scrolled == NULL || is_near_view (self, child);

      if (drawn)
        gtk_widget_snapshot_child (widget, child, snapshot);
      else
        n_culled++;
      g_object_set_qdata (G_OBJECT (child), culled_quark (), GINT_TO_POINTER (!drawn));
    }

  self->n_culled = n_culled;
}

static void
juice_cull_box_dispose (GObject *object)
{
  disconnect_scrolled (JUICE_CULL_BOX (object));

  G_OBJECT_CLASS (juice_cull_box_parent_class)->dispose (object);
}

static void
juice_cull_box_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  JuiceCullBox *self = JUICE_CULL_BOX (object);

  switch (prop_id)
    {
    case PROP_DRAW_ALL:
      g_value_set_boolean (value, self->draw_all);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
juice_cull_box_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  JuiceCullBox *self = JUICE_CULL_BOX (object);

  switch (prop_id)
    {
    case PROP_DRAW_ALL:
      juice_cull_box_set_draw_all (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
juice_cull_box_class_init (JuiceCullBoxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = juice_cull_box_dispose;
  object_class->get_property = juice_cull_box_get_property;
  object_class->set_property = juice_cull_box_set_property;
  widget_class->map = juice_cull_box_map;
  widget_class->unmap = juice_cull_box_unmap;
  widget_class->snapshot = juice_cull_box_snapshot;

  properties[PROP_DRAW_ALL] =
    g_param_spec_boolean ("draw-all", NULL, NULL, FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
juice_cull_box_init (JuiceCullBox *self)
{
}

GtkWidget *
juice_cull_box_new (GtkOrientation orientation,
                    int            spacing)
{
  return g_object_new (JUICE_TYPE_CULL_BOX, "orientation", orientation, "spacing", spacing, NULL);
}

gboolean
juice_cull_box_get_draw_all (JuiceCullBox *self)
{
  g_return_val_if_fail (JUICE_IS_CULL_BOX (self), FALSE);

  return self->draw_all;
}

void
juice_cull_box_set_draw_all (JuiceCullBox *self,
                             gboolean      draw_all)
{
  g_return_if_fail (JUICE_IS_CULL_BOX (self));

  draw_all = !!draw_all;
  if (self->draw_all == draw_all)
    return;

  self->draw_all = draw_all;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DRAW_ALL]);
}

guint
juice_cull_box_get_n_culled (JuiceCullBox *self)
{
  g_return_val_if_fail (JUICE_IS_CULL_BOX (self), 0);

  return self->n_culled;
}

gboolean
juice_cull_box_is_child_drawn (JuiceCullBox *self,
                               GtkWidget    *child)
{
  g_return_val_if_fail (JUICE_IS_CULL_BOX (self), FALSE);
  g_return_val_if_fail (gtk_widget_get_parent (child) == GTK_WIDGET (self), FALSE);

  return !GPOINTER_TO_INT (g_object_get_qdata (G_OBJECT (child), culled_quark ()));
}
