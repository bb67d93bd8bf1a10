/* test-cull-box.c: rows scrolled far out of view stay out of the frame,
 * and come back when a scroll or a taller view brings them near
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <adwaita.h>

#include "juice-cull-box.h"
#include "ui-util.h"

#define N_CHILDREN 30
#define CHILD_HEIGHT 200
#define VIEW_HEIGHT 300

static void
test_scroll (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *box = juice_cull_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *children[N_CHILDREN];
  GtkAdjustment *vadjustment;

  for (guint i = 0; i < N_CHILDREN; i++)
    {
      g_autofree char *text = g_strdup_printf ("Row %u", i);

      children[i] = gtk_label_new (text);
      gtk_widget_set_size_request (children[i], -1, CHILD_HEIGHT);
      gtk_box_append (GTK_BOX (box), children[i]);
    }
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), box);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_window_set_child (GTK_WINDOW (window), scrolled);
  gtk_window_set_default_size (GTK_WINDOW (window), 400, VIEW_HEIGHT);
  ui_present (GTK_WINDOW (window));

  /* At the top: the first rows are drawn, those pages below are not. */
  g_assert_true (juice_cull_box_is_child_drawn (JUICE_CULL_BOX (box), children[0]));
  g_assert_true (juice_cull_box_is_child_drawn (JUICE_CULL_BOX (box), children[1]));
  g_assert_false (juice_cull_box_is_child_drawn (JUICE_CULL_BOX (box), children[N_CHILDREN - 1]));
  g_assert_cmpuint (juice_cull_box_get_n_culled (JUICE_CULL_BOX (box)), >, N_CHILDREN / 2);

  /* A scroll to the end: the last rows come in, the first ones go. */
  vadjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  gtk_adjustment_set_value (vadjustment, gtk_adjustment_get_upper (vadjustment));
  ui_wait_painted (window);
  g_assert_true (juice_cull_box_is_child_drawn (JUICE_CULL_BOX (box), children[N_CHILDREN - 1]));
  g_assert_false (juice_cull_box_is_child_drawn (JUICE_CULL_BOX (box), children[0]));

  /* A picture of the whole box draws every row. */
  juice_cull_box_set_draw_all (JUICE_CULL_BOX (box), TRUE);
  ui_wait_painted (window);
  g_assert_cmpuint (juice_cull_box_get_n_culled (JUICE_CULL_BOX (box)), ==, 0);
  g_assert_true (juice_cull_box_is_child_drawn (JUICE_CULL_BOX (box), children[0]));

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/juice/ui/cull-box/scroll", test_scroll);

  return g_test_run ();
}
