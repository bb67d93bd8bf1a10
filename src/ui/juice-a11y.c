/* juice-a11y.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "juice-a11y"

#include <glib/gi18n.h>

#include "juice-a11y.h"

void
juice_a11y_name_status_page (AdwStatusPage *page)
{
  g_return_if_fail (ADW_IS_STATUS_PAGE (page));

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (page));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_SCROLLED_WINDOW (child))
        gtk_accessible_update_property (GTK_ACCESSIBLE (child),
                                        GTK_ACCESSIBLE_PROPERTY_LABEL,
                                        adw_status_page_get_title (page),
                                        -1);
    }
}

/* The item factory: AdwComboRow's own, plus a name for each list item,
 * which a screen reader otherwise meets as a nameless "list item". */

static void
sync_check (AdwComboRow    *self,
            GParamSpec     *pspec,
            GtkListItem    *item)
{
  GtkWidget *check = gtk_widget_get_last_child (gtk_list_item_get_child (item));

  gtk_widget_set_opacity (check, adw_combo_row_get_selected_item (self) ==
                                 gtk_list_item_get_item (item) ? 1.0 : 0.0);
}

static void
setup_item (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            AdwComboRow              *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *label = gtk_label_new (NULL);
  GtkWidget *check = gtk_image_new_from_icon_name ("object-select-symbolic");

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 28);
  gtk_widget_set_valign (label, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (check),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Selected"),
                                  -1);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), check);
  gtk_list_item_set_child (item, box);
}

static void
bind_item (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           AdwComboRow              *self)
{
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *check = gtk_widget_get_last_child (box);
  GtkWidget *item_widget = gtk_widget_get_parent (box);
  const char *text = gtk_string_object_get_string (gtk_list_item_get_item (item));

  gtk_label_set_label (GTK_LABEL (gtk_widget_get_first_child (box)), text);
  if (item_widget != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (item_widget),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, text,
                                    -1);

  /* The check mark is for the list in the popover, not the row itself. */
  gtk_widget_set_visible (check, gtk_widget_get_ancestor (box, GTK_TYPE_POPOVER) != NULL);
  if (gtk_widget_get_visible (check))
    {
      g_signal_connect (self, "notify::selected-item", G_CALLBACK (sync_check), item);
      sync_check (self, NULL, item);
    }
}

static void
unbind_item (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             AdwComboRow              *self)
{
  g_signal_handlers_disconnect_by_func (self, sync_check, item);
}

/* Every list view inside the row (the current value, the popover's list)
 * is named after the row. */
static void
name_list_views (GtkWidget  *widget,
                 const char *name)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_LIST_VIEW (child))
        gtk_accessible_update_property (GTK_ACCESSIBLE (child),
                                        GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                        -1);
      name_list_views (child, name);
    }
}

static void
sync_list_view_names (AdwComboRow *self)
{
  const char *title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (self));
  g_autofree char *name = NULL;

  /* "_Power" is read "Power". */
  if (adw_preferences_row_get_use_underline (ADW_PREFERENCES_ROW (self)))
    {
      g_autoptr(GString) plain = g_string_new (title);

      g_string_replace (plain, "_", "", 1);
      name = g_string_free (g_steal_pointer (&plain), FALSE);
    }
  else
    name = g_strdup (title);

  name_list_views (GTK_WIDGET (self), name);
}

void
juice_a11y_name_combo_row (AdwComboRow *row)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  g_return_if_fail (ADW_IS_COMBO_ROW (row));

  g_signal_connect (factory, "setup", G_CALLBACK (setup_item), row);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_item), row);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_item), row);
  adw_combo_row_set_factory (row, factory);

  g_signal_connect (row, "notify::title", G_CALLBACK (sync_list_view_names), NULL);
  sync_list_view_names (row);
}

/* @context: the title of the nearest page; @search_page: within the page
 * of search results, which has no title. */
static void
name_preferences_parts (GtkWidget  *widget,
                        const char *context,
                        gboolean    search_page)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      const char *inner = context;
      gboolean inner_search = search_page;
      const char *title = NULL;

      if (ADW_IS_STATUS_PAGE (child))
        title = adw_status_page_get_title (ADW_STATUS_PAGE (child));
      else if (ADW_IS_PREFERENCES_PAGE (child))
        {
          title = adw_preferences_page_get_title (ADW_PREFERENCES_PAGE (child));
          if (title == NULL || *title == '\0')
            {
              inner_search = TRUE;
              title = _("Search results");
            }
        }
      if (title != NULL && *title != '\0')
        inner = title;

      if (GTK_IS_SEARCH_ENTRY (child))
        gtk_accessible_update_property (GTK_ACCESSIBLE (child),
                                        GTK_ACCESSIBLE_PROPERTY_LABEL, _("Search preferences"),
                                        -1);
      else if (GTK_IS_SCROLLED_WINDOW (child))
        gtk_accessible_update_property (GTK_ACCESSIBLE (child),
                                        GTK_ACCESSIBLE_PROPERTY_LABEL, inner,
                                        -1);
      else if (GTK_IS_LIST_BOX (child) && inner_search)
        gtk_accessible_update_property (GTK_ACCESSIBLE (child),
                                        GTK_ACCESSIBLE_PROPERTY_LABEL, _("Search results"),
                                        -1);

      name_preferences_parts (child, inner, inner_search);
    }
}

void
juice_a11y_name_preferences_window (AdwPreferencesWindow *window)
{
  g_return_if_fail (ADW_IS_PREFERENCES_WINDOW (window));

  name_preferences_parts (GTK_WIDGET (window), gtk_window_get_title (GTK_WINDOW (window)), FALSE);
}
