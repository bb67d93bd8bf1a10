/* bench-views.c: everything a window binds to a device, for the benchmarks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include <glib/gstdio.h>

#include <adwaita.h>

#include "bench-util.h"
#include "bench-views.h"
#include "juice-device-page.h"
#include "juice-device-row.h"
#include "juice-history.h"
#include "juice-tray.h"

/* A view binds itself to @device inside @window_box and returns what keeps
 * it alive (NULL for a widget: the box owns it). */
typedef GObject *(*BindView) (JuiceDevice *device,
                              GtkBox      *window_box);

static GObject *
bind_sidebar_row (JuiceDevice *device,
                  GtkBox      *window_box)
{
  GtkWidget *list = gtk_list_box_new ();

  gtk_widget_add_css_class (list, "navigation-sidebar");
  gtk_widget_set_size_request (list, 240, -1);
  gtk_list_box_append (GTK_LIST_BOX (list), juice_device_row_new (device));
  gtk_box_append (window_box, list);
  return NULL;
}

static GObject *
bind_device_page (JuiceDevice *device,
                  GtkBox      *window_box)
{
  GtkWidget *page = g_object_new (JUICE_TYPE_DEVICE_PAGE, "device", device, NULL);

  gtk_widget_set_hexpand (page, TRUE);
  gtk_box_append (window_box, page);
  return NULL;
}

static void
remove_folder (gpointer data)
{
  g_autofree char *dir = data;
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;

  while (listing != NULL && (name = g_dir_read_name (listing)))
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_remove (path);
    }
  g_rmdir (dir);
}

/* The history recorder, on a database of its own in a temporary folder
 * (removed with it). */
static GObject *
bind_history_recorder (JuiceDevice *device,
                       GtkBox      *window_box)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("juice-bench-history-XXXXXX", &error);
  g_autofree char *path = NULL;
  JuiceHistory *history;

  g_assert_no_error (error);
  path = g_build_filename (dir, "history.db", NULL);
  history = juice_history_new (path, &error);
  g_assert_no_error (error);
  juice_history_watch_device (history, device);
  g_object_set_data_full (G_OBJECT (history), "bench-folder", g_steal_pointer (&dir), remove_folder);
  return G_OBJECT (history);
}

/* The tray icon and its menu, for an application registered on the session
 * bus (dev.sh bench runs the benchmarks in one). */
static GObject *
bind_tray (JuiceDevice *device,
           GtkBox      *window_box)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GApplication) app = g_application_new ("io.github.juicepower.Juice.Bench",
                                                   G_APPLICATION_NON_UNIQUE);
  g_autoptr(GListStore) devices = g_list_store_new (JUICE_TYPE_DEVICE);
  JuiceTray *tray;

  if (!g_application_register (app, NULL, &error))
    g_error ("bench: cannot register an application for the tray: %s", error->message);
  tray = juice_tray_new (app, NULL);
  g_list_store_append (devices, device);
  juice_tray_set_devices (tray, G_LIST_MODEL (devices));
  g_object_set_data_full (G_OBJECT (tray), "bench-application", g_steal_pointer (&app), g_object_unref);
  return G_OBJECT (tray);
}

/* Everything a window binds to a device. A view that joins the window is
 * one more line here. */
static const struct
{
  const char *name;
  BindView    bind;
} views[] = {
  { "sidebar row", bind_sidebar_row },
  { "device page", bind_device_page },
  { "history recorder", bind_history_recorder },
  { "tray", bind_tray },
};

GPtrArray *
bench_views_bind (JuiceDevice *device,
                  GtkBox      *window_box,
                  GString     *names)
{
  GPtrArray *kept = g_ptr_array_new_with_free_func (g_object_unref);
  const char *only = g_getenv ("BENCH_VIEWS");

  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    {
      GObject *view;

      if (only != NULL && strstr (only, views[i].name) == NULL)
        continue;
      view = views[i].bind (device, window_box);
      if (view != NULL)
        g_ptr_array_add (kept, view);
      if (names != NULL)
        g_string_append_printf (names, "%s%s", names->len ? ", " : "", views[i].name);
    }

  return kept;
}

static gboolean
window_mapped (gpointer data)
{
  GtkWidget *window = data;

  return gtk_widget_get_mapped (window) && gtk_widget_get_width (window) > 0;
}

static guint
count_groups (GtkWidget *widget)
{
  guint n = ADW_IS_PREFERENCES_GROUP (widget) ? 1 : 0;

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n += count_groups (child);
  return n;
}

static GtkWidget *
find_page (GtkWidget *widget)
{
  if (JUICE_IS_DEVICE_PAGE (widget))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *page = find_page (child);

      if (page != NULL)
        return page;
    }
  return NULL;
}

/* The page builds its power flows and settings after its first frame. */
static gboolean
details_built (gpointer data)
{
  GtkWidget *page = find_page (data);

  return page == NULL || count_groups (page) >= 2;
}

gboolean
bench_views_wait_ready (GtkWidget *window)
{
  return bench_wait_until (window_mapped, window, 60, "the window to map") &&
         bench_wait_until (details_built, window, 60, "the device page's details");
}
