/* juice-value-label.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define JUICE_TYPE_VALUE_LABEL (juice_value_label_get_type ())

G_DECLARE_FINAL_TYPE (JuiceValueLabel, juice_value_label, JUICE, VALUE_LABEL, GtkWidget)

/* One line of text that changes often: a charge, a power, a reading.
 *
 * A GtkLabel queues a resize on every new text, so each report would lay out
 * the whole window again. This widget asks for the width of the widest text
 * it has shown (figures are tabular) and, while a new text fits that width
 * and the line's height, only redraws. It grows at once when a text needs
 * more room and never shrinks back on its own, so numbers do not jump
 * about; a font change (a style class, :disabled) measures afresh.
 *
 * The text is its accessible name (role "label"). Style classes, colours
 * and the :disabled look come from CSS as for a GtkLabel. "ellipsize" with
 * "max-width-chars" caps the width asked for and ends a longer text with an
 * ellipsis. */
GtkWidget  *juice_value_label_new                 (const char      *label);
const char *juice_value_label_get_label           (JuiceValueLabel *self);
void        juice_value_label_set_label           (JuiceValueLabel *self,
                                                   const char      *label);
float       juice_value_label_get_xalign          (JuiceValueLabel *self);
void        juice_value_label_set_xalign          (JuiceValueLabel *self,
                                                   float            xalign);
gboolean    juice_value_label_get_ellipsize       (JuiceValueLabel *self);
void        juice_value_label_set_ellipsize       (JuiceValueLabel *self,
                                                   gboolean         ellipsize);
int         juice_value_label_get_max_width_chars (JuiceValueLabel *self);
void        juice_value_label_set_max_width_chars (JuiceValueLabel *self,
                                                   int              n_chars);
/* The layout drawn, and how many times a new text asked for a new layout
 * of the window (for tests). */
PangoLayout *juice_value_label_get_layout         (JuiceValueLabel *self);
guint        juice_value_label_get_n_resizes      (JuiceValueLabel *self);

G_END_DECLS
