/* test-value-label.c: a value that changes redraws, and relays out the
 * window only when its text needs more room
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <adwaita.h>

#include "juice-value-label.h"
#include "ui-util.h"

/* A parent that counts how often it is measured: a resize queued below it
 * measures it again, a redraw does not. */
#define TEST_TYPE_COUNTING_BIN (test_counting_bin_get_type ())
G_DECLARE_FINAL_TYPE (TestCountingBin, test_counting_bin, TEST, COUNTING_BIN, GtkWidget)

struct _TestCountingBin
{
  GtkWidget  parent_instance;
  GtkWidget *child;
  guint      n_measures;
};

G_DEFINE_FINAL_TYPE (TestCountingBin, test_counting_bin, GTK_TYPE_WIDGET)

static void
test_counting_bin_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  TestCountingBin *self = TEST_COUNTING_BIN (widget);

  self->n_measures++;
  gtk_widget_measure (self->child, orientation, for_size, minimum, natural, NULL, NULL);
}

static void
test_counting_bin_size_allocate (GtkWidget *widget,
                                 int        width,
                                 int        height,
                                 int        baseline)
{
  TestCountingBin *self = TEST_COUNTING_BIN (widget);
  int child_width;

  /* The child at its natural width, at the start: its size is its own. */
  gtk_widget_measure (self->child, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &child_width, NULL, NULL);
  gtk_widget_allocate (self->child, MIN (child_width, width), height, -1, NULL);
}

static void
test_counting_bin_dispose (GObject *object)
{
  TestCountingBin *self = TEST_COUNTING_BIN (object);

  g_clear_pointer (&self->child, gtk_widget_unparent);

  G_OBJECT_CLASS (test_counting_bin_parent_class)->dispose (object);
}

static void
test_counting_bin_class_init (TestCountingBinClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = test_counting_bin_dispose;
  GTK_WIDGET_CLASS (klass)->measure = test_counting_bin_measure;
  GTK_WIDGET_CLASS (klass)->size_allocate = test_counting_bin_size_allocate;
}

static void
test_counting_bin_init (TestCountingBin *self)
{
}

static GtkWidget *
test_counting_bin_new (GtkWidget *child)
{
  TestCountingBin *self = g_object_new (TEST_TYPE_COUNTING_BIN, NULL);

  self->child = child;
  gtk_widget_set_parent (child, GTK_WIDGET (self));
  return GTK_WIDGET (self);
}

/* The glyphs the widget's snapshot draws, over all its text nodes. */
static guint
count_drawn_glyphs (GskRenderNode *node)
{
  guint n = 0;

  if (node == NULL)
    return 0;

  switch ((int) gsk_render_node_get_node_type (node))
    {
    case GSK_TEXT_NODE:
      return gsk_text_node_get_num_glyphs (node);

    case GSK_CONTAINER_NODE:
      for (guint i = 0; i < gsk_container_node_get_n_children (node); i++)
        n += count_drawn_glyphs (gsk_container_node_get_child (node, i));
      return n;

    case GSK_TRANSFORM_NODE:
      return count_drawn_glyphs (gsk_transform_node_get_child (node));

    case GSK_OPACITY_NODE:
      return count_drawn_glyphs (gsk_opacity_node_get_child (node));

    case GSK_COLOR_MATRIX_NODE:
      return count_drawn_glyphs (gsk_color_matrix_node_get_child (node));

    case GSK_SHADOW_NODE:
      return count_drawn_glyphs (gsk_shadow_node_get_child (node));

    case GSK_CLIP_NODE:
      return count_drawn_glyphs (gsk_clip_node_get_child (node));

    default:
      return 0;
    }
}

static guint
drawn_glyphs (GtkWidget *widget)
{
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  GskRenderNode *node;
  guint n;

  GTK_WIDGET_GET_CLASS (widget)->snapshot (widget, snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  n = count_drawn_glyphs (node);
  g_clear_pointer (&node, gsk_render_node_unref);
  return n;
}

/* The glyphs the layout shapes for its text. */
static guint
layout_glyphs (PangoLayout *layout)
{
  PangoLayoutIter *iter = pango_layout_get_iter (layout);
  guint n = 0;

  do
    {
      PangoLayoutRun *run = pango_layout_iter_get_run_readonly (iter);

      if (run != NULL)
        n += run->glyphs->num_glyphs;
    }
  while (pango_layout_iter_next_run (iter));
  pango_layout_iter_free (iter);
  return n;
}

static void
test_text (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *label = juice_value_label_new ("45 W");

  gtk_widget_add_css_class (label, "numeric");
  gtk_window_set_child (GTK_WINDOW (window), label);
  ui_present (GTK_WINDOW (window));

  /* The text is what is read out and what is drawn. */
  g_assert_cmpstr (juice_value_label_get_label (JUICE_VALUE_LABEL (label)), ==, "45 W");
  gtk_test_accessible_assert_role (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_ROLE_LABEL);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "45 W");
  g_assert_cmpstr (pango_layout_get_text (juice_value_label_get_layout (JUICE_VALUE_LABEL (label))),
                   ==, "45 W");
  g_assert_cmpuint (drawn_glyphs (label), >, 0);
  g_assert_cmpuint (drawn_glyphs (label), ==,
                    layout_glyphs (juice_value_label_get_layout (JUICE_VALUE_LABEL (label))));

  juice_value_label_set_label (JUICE_VALUE_LABEL (label), "1,234.5 W");
  ui_wait_painted (window);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "1,234.5 W");
  g_assert_cmpstr (pango_layout_get_text (juice_value_label_get_layout (JUICE_VALUE_LABEL (label))),
                   ==, "1,234.5 W");
  g_assert_cmpuint (drawn_glyphs (label), ==,
                    layout_glyphs (juice_value_label_get_layout (JUICE_VALUE_LABEL (label))));
  g_assert_cmpuint (drawn_glyphs (label), >, 4);

  /* Nothing to draw for no text. */
  juice_value_label_set_label (JUICE_VALUE_LABEL (label), NULL);
  g_assert_cmpstr (juice_value_label_get_label (JUICE_VALUE_LABEL (label)), ==, "");
  g_assert_cmpuint (drawn_glyphs (label), ==, 0);

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_resize (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *label = juice_value_label_new ("45 W");
  GtkWidget *bin = test_counting_bin_new (label);
  TestCountingBin *counting = TEST_COUNTING_BIN (bin);
  guint n_measures, n_resizes;
  int width;

  gtk_window_set_child (GTK_WINDOW (window), bin);
  gtk_window_set_default_size (GTK_WINDOW (window), 400, 100);
  ui_present (GTK_WINDOW (window));
  width = gtk_widget_get_width (label);
  g_assert_cmpint (width, >, 0);

  /* Same width in tabular figures: a redraw, no new layout. */
  n_measures = counting->n_measures;
  n_resizes = juice_value_label_get_n_resizes (JUICE_VALUE_LABEL (label));
  juice_value_label_set_label (JUICE_VALUE_LABEL (label), "46 W");
  ui_wait_painted (window);
  g_assert_cmpuint (counting->n_measures, ==, n_measures);
  g_assert_cmpuint (juice_value_label_get_n_resizes (JUICE_VALUE_LABEL (label)), ==, n_resizes);
  g_assert_cmpint (gtk_widget_get_width (label), ==, width);

  /* Narrower: still drawn in the width reserved, so nothing jumps. */
  juice_value_label_set_label (JUICE_VALUE_LABEL (label), "5 W");
  ui_wait_painted (window);
  g_assert_cmpuint (counting->n_measures, ==, n_measures);
  g_assert_cmpint (gtk_widget_get_width (label), ==, width);

  /* Longer: the window is laid out again and the label is wider. */
  juice_value_label_set_label (JUICE_VALUE_LABEL (label), "1,234 W");
  ui_wait_painted (window);
  g_assert_cmpuint (counting->n_measures, >, n_measures);
  g_assert_cmpuint (juice_value_label_get_n_resizes (JUICE_VALUE_LABEL (label)), ==, n_resizes + 1);
  g_assert_cmpint (gtk_widget_get_width (label), >, width);

  /* Back to a short text: the width stays. */
  width = gtk_widget_get_width (label);
  n_measures = counting->n_measures;
  juice_value_label_set_label (JUICE_VALUE_LABEL (label), "47 W");
  ui_wait_painted (window);
  g_assert_cmpuint (counting->n_measures, ==, n_measures);
  g_assert_cmpint (gtk_widget_get_width (label), ==, width);

  /* An unknown value, dimmed: then known, it takes its own width again,
   * not that of "Unknown". */
  gtk_widget_set_sensitive (label, FALSE);
  juice_value_label_set_label (JUICE_VALUE_LABEL (label), "Unknown value");
  ui_wait_painted (window);
  width = gtk_widget_get_width (label);
  gtk_widget_set_sensitive (label, TRUE);
  juice_value_label_set_label (JUICE_VALUE_LABEL (label), "47 W");
  ui_wait_painted (window);
  g_assert_cmpint (gtk_widget_get_width (label), <, width);
  width = gtk_widget_get_width (label);
  n_measures = counting->n_measures;

  /* A style class with a larger font measures afresh. */
  gtk_widget_add_css_class (label, "title-1");
  ui_wait_painted (window);
  g_assert_cmpuint (counting->n_measures, >, n_measures);
  g_assert_cmpint (gtk_widget_get_width (label), >, width);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Cut to a narrow allocation with an ellipsis; whole again when it fits. */
static void
test_ellipsize (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *label = juice_value_label_new ("a value far too long for a narrow window, cut");
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  PangoLayout *layout;

  juice_value_label_set_ellipsize (JUICE_VALUE_LABEL (label), TRUE);
  juice_value_label_set_max_width_chars (JUICE_VALUE_LABEL (label), 10);
  gtk_widget_set_hexpand (label, FALSE);
  gtk_box_append (GTK_BOX (box), label);
  gtk_window_set_child (GTK_WINDOW (window), box);
  gtk_window_set_default_size (GTK_WINDOW (window), 600, 100);
  ui_present (GTK_WINDOW (window));

  /* Ten characters wide at most: the text is ellipsized when drawn. */
  g_assert_cmpint (gtk_widget_get_width (label), <, 300);
  drawn_glyphs (label);
  layout = juice_value_label_get_layout (JUICE_VALUE_LABEL (label));
  g_assert_true (pango_layout_is_ellipsized (layout));

  juice_value_label_set_label (JUICE_VALUE_LABEL (label), "short");
  ui_wait_painted (window);
  drawn_glyphs (label);
  g_assert_false (pango_layout_is_ellipsized (layout));

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  /* The test backend records accessible properties for the assertions. */
  g_setenv ("GTK_A11Y", "test", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/juice/ui/value-label/text", test_text);
  g_test_add_func ("/juice/ui/value-label/resize", test_resize);
  g_test_add_func ("/juice/ui/value-label/ellipsize", test_ellipsize);

  return g_test_run ();
}
