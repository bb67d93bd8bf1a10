/* juice-value-label.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "juice-value-label"

#include "config.h"

#include <math.h>

#include "juice-value-label.h"

struct _JuiceValueLabel
{
  GtkWidget             parent_instance;

  /* owned references */
  char                 *label;
  PangoLayout          *layout;        /* made lazily, dropped on a style change */
  PangoFontDescription *font;          /* the font reserved_width was measured in */

  /* state */
  float                 xalign;
  gboolean              ellipsize;
  int                   max_width_chars;
  int                   reserved_width; /* the widest text seen in this font */
  int                   line_height;
  int                   cap_width;      /* of max-width-chars in this layout's font, or -1 */
  gboolean              ellipsized;     /* the layout is cut to the allocation */
  gboolean              reserve_afresh; /* the next measure forgets the widest text */
  guint                 n_resizes;
};

G_DEFINE_FINAL_TYPE (JuiceValueLabel, juice_value_label, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_LABEL,
  PROP_XALIGN,
  PROP_ELLIPSIZE,
  PROP_MAX_WIDTH_CHARS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The CSS attributes (font features, letter spacing) plus tabular figures,
 * so that "45 W" and "46 W" are as wide. */
static PangoLayout *
ensure_layout (JuiceValueLabel *self)
{
  PangoAttrList *attrs;

  if (self->layout != NULL)
    return self->layout;

  self->layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), self->label);
  pango_layout_set_single_paragraph_mode (self->layout, TRUE);
  attrs = pango_layout_get_attributes (self->layout);
  attrs = attrs != NULL ? pango_attr_list_copy (attrs) : pango_attr_list_new ();
  pango_attr_list_insert (attrs, pango_attr_font_features_new ("tnum=1"));
  pango_layout_set_attributes (self->layout, attrs);
  pango_attr_list_unref (attrs);
  self->ellipsized = FALSE;
  self->cap_width = -1;

  return self->layout;
}

/* The widest a text may ask for with "max-width-chars", in pixels: the
 * font's metrics once per layout, not per text. */
static int
width_cap (JuiceValueLabel *self)
{
  PangoContext *context;
  PangoFontMetrics *metrics;
  int char_width;

  if (!self->ellipsize || self->max_width_chars < 0)
    return G_MAXINT;

  context = pango_layout_get_context (ensure_layout (self));
  if (self->cap_width < 0)
    {
      metrics = pango_context_get_metrics (context, NULL, NULL);
      char_width = MAX (pango_font_metrics_get_approximate_char_width (metrics),
                        pango_font_metrics_get_approximate_digit_width (metrics));
      pango_font_metrics_unref (metrics);
      self->cap_width = PANGO_PIXELS_CEIL (char_width * self->max_width_chars);
    }

  return self->cap_width;
}

/* The layout with the whole text, not cut to the allocation. */
static PangoLayout *
uncut_layout (JuiceValueLabel *self)
{
  PangoLayout *layout = ensure_layout (self);

  if (self->ellipsized)
    {
      pango_layout_set_width (layout, -1);
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_NONE);
      self->ellipsized = FALSE;
    }

  return layout;
}

/* The text's own size, uncut, with the width capped as asked. */
static void
text_size (JuiceValueLabel *self,
           int             *width,
           int             *height)
{
  PangoRectangle logical;

  pango_layout_get_pixel_extents (uncut_layout (self), NULL, &logical);
  *width = MIN (logical.width, width_cap (self));
  *height = logical.height;
}

static void
juice_value_label_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  JuiceValueLabel *self = JUICE_VALUE_LABEL (widget);
  int width, height;

  text_size (self, &width, &height);
  if (self->reserve_afresh)
    {
      self->reserve_afresh = FALSE;
      self->reserved_width = 0;
    }
  /* What was asked for stays asked for: set_label() compares with it. */
  self->reserved_width = MAX (self->reserved_width, width);
  self->line_height = height;

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *natural = self->reserved_width;
      *minimum = *natural;
      if (self->ellipsize)
        {
          /* Room for an ellipsis, as a GtkLabel asks. */
          PangoLayout *dots = gtk_widget_create_pango_layout (widget, "…");
          int dots_width;

          pango_layout_get_pixel_size (dots, &dots_width, NULL);
          g_object_unref (dots);
          *minimum = MIN (*natural, dots_width);
        }
    }
  else
    {
      *minimum = *natural = height;
      *minimum_baseline = *natural_baseline =
        PANGO_PIXELS (pango_layout_get_baseline (ensure_layout (self)));
    }
}

static void
juice_value_label_snapshot (GtkWidget   *widget,
                            GtkSnapshot *snapshot)
{
  JuiceValueLabel *self = JUICE_VALUE_LABEL (widget);
  PangoLayout *layout;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  PangoRectangle logical;
  float xalign = self->xalign;

  if (self->label == NULL || *self->label == '\0')
    return;

  /* Uncut first; cut to the allocation only when it does not fit. */
  layout = uncut_layout (self);
  pango_layout_get_pixel_extents (layout, NULL, &logical);
  if (self->ellipsize && logical.width > width)
    {
      pango_layout_set_width (layout, width * PANGO_SCALE);
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
      self->ellipsized = TRUE;
      pango_layout_get_pixel_extents (layout, NULL, &logical);
    }

  if (gtk_widget_get_direction (widget) == GTK_TEXT_DIR_RTL)
    xalign = 1.0f - xalign;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_snapshot_render_layout (snapshot, gtk_widget_get_style_context (widget),
                              floorf (xalign * (width - logical.width)) - logical.x,
                              floorf ((height - logical.height) / 2.0f) - logical.y,
                              layout);
  G_GNUC_END_IGNORE_DEPRECATIONS
}

/* A new font (a style class, :disabled, the text scale) measures afresh;
 * other style changes (colours, backdrop) keep the width reserved. */
static void
juice_value_label_css_changed (GtkWidget         *widget,
                               GtkCssStyleChange *change)
{
  JuiceValueLabel *self = JUICE_VALUE_LABEL (widget);
  const PangoFontDescription *font;
  int width, height;

  GTK_WIDGET_CLASS (juice_value_label_parent_class)->css_changed (widget, change);

  g_clear_object (&self->layout);
  font = pango_context_get_font_description (gtk_widget_get_pango_context (widget));
  if (self->font != NULL && font != NULL && pango_font_description_equal (self->font, font))
    return;

  g_clear_pointer (&self->font, pango_font_description_free);
  self->font = font != NULL ? pango_font_description_copy (font) : NULL;
  text_size (self, &width, &height);
  self->reserved_width = width;
  self->line_height = height;
  gtk_widget_queue_resize (widget);
}

/* A value that becomes known ("Unknown", dimmed, then "56 %") or unknown
 * again starts a new reservation: the width of the other state is not kept. */
static void
juice_value_label_state_flags_changed (GtkWidget     *widget,
                                       GtkStateFlags  previous)
{
  JuiceValueLabel *self = JUICE_VALUE_LABEL (widget);
  GtkStateFlags now = gtk_widget_get_state_flags (widget);

  GTK_WIDGET_CLASS (juice_value_label_parent_class)->state_flags_changed (widget, previous);

  if (((now ^ previous) & GTK_STATE_FLAG_INSENSITIVE) == 0)
    return;

  /* The text may change in the same frame: measure whichever it ends as. */
  self->reserve_afresh = TRUE;
  gtk_widget_queue_resize (widget);
}

static void
juice_value_label_direction_changed (GtkWidget        *widget,
                                     GtkTextDirection  previous)
{
  JuiceValueLabel *self = JUICE_VALUE_LABEL (widget);

  g_clear_object (&self->layout);

  GTK_WIDGET_CLASS (juice_value_label_parent_class)->direction_changed (widget, previous);
}

static void
juice_value_label_finalize (GObject *object)
{
  JuiceValueLabel *self = (JuiceValueLabel *)object;

  g_clear_pointer (&self->label, g_free);
  g_clear_object (&self->layout);
  g_clear_pointer (&self->font, pango_font_description_free);

  G_OBJECT_CLASS (juice_value_label_parent_class)->finalize (object);
}

static void
juice_value_label_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  JuiceValueLabel *self = JUICE_VALUE_LABEL (object);

  switch (prop_id)
    {
    case PROP_LABEL:
      g_value_set_string (value, self->label);
      break;

    case PROP_XALIGN:
      g_value_set_float (value, self->xalign);
      break;

    case PROP_ELLIPSIZE:
      g_value_set_boolean (value, self->ellipsize);
      break;

    case PROP_MAX_WIDTH_CHARS:
      g_value_set_int (value, self->max_width_chars);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
juice_value_label_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  JuiceValueLabel *self = JUICE_VALUE_LABEL (object);

  switch (prop_id)
    {
    case PROP_LABEL:
      juice_value_label_set_label (self, g_value_get_string (value));
      break;

    case PROP_XALIGN:
      juice_value_label_set_xalign (self, g_value_get_float (value));
      break;

    case PROP_ELLIPSIZE:
      juice_value_label_set_ellipsize (self, g_value_get_boolean (value));
      break;

    case PROP_MAX_WIDTH_CHARS:
      juice_value_label_set_max_width_chars (self, g_value_get_int (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
juice_value_label_class_init (JuiceValueLabelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = juice_value_label_finalize;
  object_class->get_property = juice_value_label_get_property;
  object_class->set_property = juice_value_label_set_property;
  widget_class->measure = juice_value_label_measure;
  widget_class->snapshot = juice_value_label_snapshot;
  widget_class->css_changed = juice_value_label_css_changed;
  widget_class->direction_changed = juice_value_label_direction_changed;
  widget_class->state_flags_changed = juice_value_label_state_flags_changed;

  /* The text shown, and the accessible name. */
  properties[PROP_LABEL] =
    g_param_spec_string ("label", NULL, NULL, "",
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /* Where the text sits in a wider allocation: 0 start, 1 end. */
  properties[PROP_XALIGN] =
    g_param_spec_float ("xalign", NULL, NULL, 0.0, 1.0, 0.0,
                        (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /* A narrower allocation ends the text with an ellipsis. */
  properties[PROP_ELLIPSIZE] =
    g_param_spec_boolean ("ellipsize", NULL, NULL, FALSE,
                          (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /* With "ellipsize": the widest width asked for, in characters (-1: the text's). */
  properties[PROP_MAX_WIDTH_CHARS] =
    g_param_spec_int ("max-width-chars", NULL, NULL, -1, G_MAXINT, -1,
                      (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Styled as a label: title-1, numeric, dim-label and "label" selectors apply. */
  gtk_widget_class_set_css_name (widget_class, "label");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_LABEL);
}

static void
juice_value_label_init (JuiceValueLabel *self)
{
  self->label = g_strdup ("");
  self->max_width_chars = -1;
  self->cap_width = -1;
}

GtkWidget *
juice_value_label_new (const char *label)
{
  return g_object_new (JUICE_TYPE_VALUE_LABEL, "label", label, NULL);
}

const char *
juice_value_label_get_label (JuiceValueLabel *self)
{
  g_return_val_if_fail (JUICE_IS_VALUE_LABEL (self), NULL);

  return self->label;
}

/* A text that fits the width and height already asked for only redraws. */
void
juice_value_label_set_label (JuiceValueLabel *self,
                             const char      *label)
{
  int width, height;

  g_return_if_fail (JUICE_IS_VALUE_LABEL (self));

  if (label == NULL)
    label = "";
  if (g_strcmp0 (self->label, label) == 0)
    return;

  g_free (self->label);
  self->label = g_strdup (label);
  if (self->layout != NULL)
    pango_layout_set_text (self->layout, self->label, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  self->label, -1);

  /* Not in a window yet (a template being built): measured once there, in
   * its own font, rather than now in the default one. */
  if (gtk_widget_get_root (GTK_WIDGET (self)) == NULL)
    {
      gtk_widget_queue_resize (GTK_WIDGET (self));
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LABEL]);
      return;
    }

  text_size (self, &width, &height);
  if (width <= self->reserved_width && height == self->line_height)
    gtk_widget_queue_draw (GTK_WIDGET (self));
  else
    {
      self->reserved_width = MAX (self->reserved_width, width);
      self->line_height = height;
      self->n_resizes++;
      gtk_widget_queue_resize (GTK_WIDGET (self));
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LABEL]);
}

float
juice_value_label_get_xalign (JuiceValueLabel *self)
{
  g_return_val_if_fail (JUICE_IS_VALUE_LABEL (self), 0.0f);

  return self->xalign;
}

void
juice_value_label_set_xalign (JuiceValueLabel *self,
                              float            xalign)
{
  g_return_if_fail (JUICE_IS_VALUE_LABEL (self));

  xalign = CLAMP (xalign, 0.0f, 1.0f);
  if (self->xalign == xalign)
    return;

  self->xalign = xalign;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_XALIGN]);
}

gboolean
juice_value_label_get_ellipsize (JuiceValueLabel *self)
{
  g_return_val_if_fail (JUICE_IS_VALUE_LABEL (self), FALSE);

  return self->ellipsize;
}

void
juice_value_label_set_ellipsize (JuiceValueLabel *self,
                                 gboolean         ellipsize)
{
  g_return_if_fail (JUICE_IS_VALUE_LABEL (self));

  ellipsize = !!ellipsize;
  if (self->ellipsize == ellipsize)
    return;

  self->ellipsize = ellipsize;
  self->reserved_width = 0;
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ELLIPSIZE]);
}

int
juice_value_label_get_max_width_chars (JuiceValueLabel *self)
{
  g_return_val_if_fail (JUICE_IS_VALUE_LABEL (self), -1);

  return self->max_width_chars;
}

void
juice_value_label_set_max_width_chars (JuiceValueLabel *self,
                                       int              n_chars)
{
  g_return_if_fail (JUICE_IS_VALUE_LABEL (self));

  n_chars = MAX (n_chars, -1);
  if (self->max_width_chars == n_chars)
    return;

  self->max_width_chars = n_chars;
  self->cap_width = -1;
  self->reserved_width = 0;
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_WIDTH_CHARS]);
}

PangoLayout *
juice_value_label_get_layout (JuiceValueLabel *self)
{
  g_return_val_if_fail (JUICE_IS_VALUE_LABEL (self), NULL);

  return ensure_layout (self);
}

guint
juice_value_label_get_n_resizes (JuiceValueLabel *self)
{
  g_return_val_if_fail (JUICE_IS_VALUE_LABEL (self), 0);

  return self->n_resizes;
}
