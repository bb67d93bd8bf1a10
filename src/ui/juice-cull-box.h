/* juice-cull-box.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define JUICE_TYPE_CULL_BOX (juice_cull_box_get_type ())

G_DECLARE_FINAL_TYPE (JuiceCullBox, juice_cull_box, JUICE, CULL_BOX, GtkBox)

/* A GtkBox inside a scrolled window that draws only the children near what
 * the scrolled window shows: GTK 4.8's renderers walk every node of a frame,
 * so rows scrolled far out of view would cost on every report. Children are
 * laid out as in a GtkBox; those more than a page away from the view are
 * left out of the frame until a scroll or a resize brings them near.
 * "draw-all" draws every child (a picture of the whole page). */
GtkWidget *juice_cull_box_new          (GtkOrientation  orientation,
                                        int             spacing);
gboolean   juice_cull_box_get_draw_all (JuiceCullBox   *self);
void       juice_cull_box_set_draw_all (JuiceCullBox   *self,
                                        gboolean        draw_all);
/* Children left out of the last frame drawn, and whether @child was in it
 * (for tests). */
guint      juice_cull_box_get_n_culled (JuiceCullBox   *self);
gboolean   juice_cull_box_is_child_drawn (JuiceCullBox *self,
                                          GtkWidget    *child);

G_END_DECLS
