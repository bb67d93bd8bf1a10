/* juice-values-page.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "juice-values-page"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "juice-a11y.h"
#include "juice-quota-row.h"
#include "juice-values-page.h"

struct _JuiceValuesPage
{
  AdwBin           parent_instance;

  /* template widgets */
  GtkSearchEntry  *search_entry;
  GtkToggleButton *keys_button;
  GtkListBox      *list_box;
  GtkStack        *stack;
  AdwStatusPage   *empty_page;

  /* owned references */
  JuiceDevice     *device;
  GHashTable      *rows;       /* key -> JuiceQuotaRow (borrowed from the list) */
  char            *needle;     /* casefolded search text */

  /* state */
  gulong           report_id;
  guint            n_shown;
};

G_DEFINE_FINAL_TYPE (JuiceValuesPage, juice_values_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_DEVICE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static gboolean
filter_row (GtkListBoxRow *row,
            gpointer       user_data)
{
  JuiceValuesPage *self = user_data;
  g_autofree char *haystack = NULL;
  gboolean shown;

  if (self->needle == NULL || *self->needle == '\0')
    shown = TRUE;
  else
    {
      haystack = g_utf8_casefold (juice_quota_row_get_search_text (JUICE_QUOTA_ROW (row)), -1);
      shown = strstr (haystack, self->needle) != NULL;
    }

  if (shown)
    self->n_shown++;

  return shown;
}

static int
sort_rows (GtkListBoxRow *a,
           GtkListBoxRow *b,
           gpointer       user_data)
{
  return g_utf8_collate (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (a)),
                         adw_preferences_row_get_title (ADW_PREFERENCES_ROW (b)));
}

static void
refilter (JuiceValuesPage *self)
{
  self->n_shown = 0;
  gtk_list_box_invalidate_filter (self->list_box);
  gtk_stack_set_visible_child_name (self->stack, self->n_shown > 0 ? "list" : "empty");
}

static void
on_search_changed (JuiceValuesPage *self)
{
  g_free (self->needle);
  self->needle = g_utf8_casefold (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)), -1);
  refilter (self);
}

/* Adds rows for keys the device sent since the last look. */
static void
add_new_rows (JuiceValuesPage *self)
{
  g_auto(GStrv) keys = NULL;
  gboolean added = FALSE;

  if (g_hash_table_size (self->rows) == juice_device_get_n_quotas (self->device))
    return;

  keys = juice_device_dup_quota_keys (self->device);
  for (guint i = 0; keys[i] != NULL; i++)
    {
      GtkWidget *row;

      if (g_hash_table_contains (self->rows, keys[i]))
        continue;

      row = juice_quota_row_new (self->device, keys[i]);
      g_object_bind_property (self->keys_button, "active", row, "show-key", G_BINDING_SYNC_CREATE);
      g_hash_table_insert (self->rows, g_strdup (keys[i]), row);
      gtk_list_box_append (self->list_box, row);
      added = TRUE;
    }

  if (added)
    refilter (self);
}

static void
on_report_applied (JuiceDevice     *device,
                   guint            n_changed,
                   JuiceValuesPage *self)
{
  add_new_rows (self);
}

/* The rows are made when the page is first shown, and new keys join only
 * while it is: a page nobody looks at costs nothing per report. */
static void
rebuild (JuiceValuesPage *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box))))
    gtk_list_box_remove (self->list_box, child);
  g_hash_table_remove_all (self->rows);

}

static void
connect_device (JuiceValuesPage *self)
{
  if (self->device == NULL || self->report_id != 0 || !gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;

  self->report_id = g_signal_connect (self->device, "report-applied",
                                      G_CALLBACK (on_report_applied), self);
  add_new_rows (self);
}

static void
juice_values_page_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (juice_values_page_parent_class)->map (widget);

  connect_device (JUICE_VALUES_PAGE (widget));
}

static void
juice_values_page_unmap (GtkWidget *widget)
{
  JuiceValuesPage *self = JUICE_VALUES_PAGE (widget);

  if (self->device != NULL)
    g_clear_signal_handler (&self->report_id, self->device);

  GTK_WIDGET_CLASS (juice_values_page_parent_class)->unmap (widget);
}

static void
juice_values_page_dispose (GObject *object)
{
  JuiceValuesPage *self = (JuiceValuesPage *)object;

  if (self->device != NULL)
    g_clear_signal_handler (&self->report_id, self->device);

  gtk_widget_dispose_template (GTK_WIDGET (self), JUICE_TYPE_VALUES_PAGE);
  g_clear_object (&self->device);
  g_clear_pointer (&self->rows, g_hash_table_unref);
  g_clear_pointer (&self->needle, g_free);

  G_OBJECT_CLASS (juice_values_page_parent_class)->dispose (object);
}

static void
juice_values_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  JuiceValuesPage *self = JUICE_VALUES_PAGE (object);

  switch (prop_id)
    {
    case PROP_DEVICE:
      g_value_set_object (value, self->device);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
juice_values_page_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  JuiceValuesPage *self = JUICE_VALUES_PAGE (object);

  switch (prop_id)
    {
    case PROP_DEVICE:
      juice_values_page_set_device (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
juice_values_page_class_init (JuiceValuesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = juice_values_page_dispose;
  object_class->get_property = juice_values_page_get_property;
  object_class->set_property = juice_values_page_set_property;
  widget_class->map = juice_values_page_map;
  widget_class->unmap = juice_values_page_unmap;

  properties[PROP_DEVICE] =
    g_param_spec_object ("device", NULL, NULL, JUICE_TYPE_DEVICE,
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/juice-values-page.ui");
  gtk_widget_class_bind_template_child (widget_class, JuiceValuesPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, JuiceValuesPage, keys_button);
  gtk_widget_class_bind_template_child (widget_class, JuiceValuesPage, list_box);
  gtk_widget_class_bind_template_child (widget_class, JuiceValuesPage, stack);
  gtk_widget_class_bind_template_child (widget_class, JuiceValuesPage, empty_page);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
}

static void
juice_values_page_init (JuiceValuesPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  juice_a11y_name_status_page (self->empty_page);

  self->rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gtk_list_box_set_filter_func (self->list_box, filter_row, self, NULL);
  gtk_list_box_set_sort_func (self->list_box, sort_rows, NULL, NULL);
}

JuiceDevice *
juice_values_page_get_device (JuiceValuesPage *self)
{
  g_return_val_if_fail (JUICE_IS_VALUES_PAGE (self), NULL);

  return self->device;
}

void
juice_values_page_set_device (JuiceValuesPage *self,
                              JuiceDevice     *device)
{
  g_return_if_fail (JUICE_IS_VALUES_PAGE (self));
  g_return_if_fail (!device || JUICE_IS_DEVICE (device));

  if (self->device == device)
    return;

  if (self->device != NULL)
    g_clear_signal_handler (&self->report_id, self->device);

  g_set_object (&self->device, device);

  rebuild (self);
  connect_device (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEVICE]);
}

void
juice_values_page_focus_search (JuiceValuesPage *self)
{
  g_return_if_fail (JUICE_IS_VALUES_PAGE (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

guint
juice_values_page_get_n_shown (JuiceValuesPage *self)
{
  g_return_val_if_fail (JUICE_IS_VALUES_PAGE (self), 0);

  return self->n_shown;
}
