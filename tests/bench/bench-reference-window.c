/* bench-reference-window.c: the least a window like Juice's can cost
 *
 * A libadwaita window of Juice's size with a header bar, a large label and
 * a boxed list of N rows; every tick changes the large label and every
 * row's value label, as a device report would. bench-ui measures it next
 * to Juice in the same run. Prints "window mapped" on stderr when its window
 * is mapped and "first frame drawn" after its first frame, as Juice does
 * with G_MESSAGES_DEBUG=juice-window.
 *
 *   bench-reference-window [--interval-ms N] [--labels N]
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <adwaita.h>

static int interval_ms = 0;
static int n_labels = 20;
static GtkLabel *big_label;
static GPtrArray *value_labels;
static guint64 ticks;

static gboolean
tick_cb (gpointer user_data)
{
  char text[64];

  ticks++;
  g_snprintf (text, sizeof text, "%u %%", (guint) (ticks % 101));
  gtk_label_set_label (big_label, text);

  for (guint i = 0; i < value_labels->len; i++)
    {
      g_snprintf (text, sizeof text, "%'u W", (guint) ((ticks * 7 + i * 13) % 3000));
      gtk_label_set_label (g_ptr_array_index (value_labels, i), text);
    }

  return G_SOURCE_CONTINUE;
}

static void
first_frame_cb (GdkFrameClock *clock,
                gpointer       user_data)
{
  g_signal_handlers_disconnect_by_func (clock, first_frame_cb, user_data);
  g_printerr ("first frame drawn\n");
}

static void
count_frame_cb (GdkFrameClock *clock,
                gpointer       user_data)
{
  static guint n_frames;

  g_printerr ("frame %u at %.3f\n", ++n_frames, g_get_monotonic_time () / 1e6);
}

static void
map_cb (GtkWidget *window,
        gpointer   user_data)
{
  /* JUICE_COUNT_FRAMES=1: a line per frame drawn, to compare with Juice's. */
  g_printerr ("window mapped\n");
  if (g_getenv ("JUICE_COUNT_FRAMES") != NULL)
    g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint",
                      G_CALLBACK (count_frame_cb), NULL);
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint",
                    G_CALLBACK (first_frame_cb), NULL);
}

static void
activate_cb (GApplication *app,
             gpointer      user_data)
{
  GtkWidget *window = adw_application_window_new (GTK_APPLICATION (app));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *list = gtk_list_box_new ();

  gtk_window_set_default_size (GTK_WINDOW (window), 880, 640);
  gtk_window_set_title (GTK_WINDOW (window), "Reference");
  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());

  big_label = GTK_LABEL (gtk_label_new ("0 %"));
  gtk_widget_add_css_class (GTK_WIDGET (big_label), "title-1");
  gtk_box_append (GTK_BOX (content), GTK_WIDGET (big_label));

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  value_labels = g_ptr_array_new ();
  for (int i = 0; i < n_labels; i++)
    {
      g_autofree char *title = g_strdup_printf ("Value %d", i + 1);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *value = gtk_label_new ("0 W");

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      gtk_widget_add_css_class (value, "numeric");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), value);
      gtk_list_box_append (GTK_LIST_BOX (list), row);
      g_ptr_array_add (value_labels, value);
    }
  gtk_box_append (GTK_BOX (content), list);
  gtk_widget_set_margin_start (content, 24);
  gtk_widget_set_margin_end (content, 24);
  gtk_widget_set_margin_top (content, 24);
  gtk_widget_set_margin_bottom (content, 24);

  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), content);
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_box_append (GTK_BOX (box), scrolled);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);

  g_signal_connect (window, "map", G_CALLBACK (map_cb), NULL);
  gtk_window_present (GTK_WINDOW (window));

  if (interval_ms > 0)
    g_timeout_add (interval_ms, tick_cb, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AdwApplication) app = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  const GOptionEntry entries[] = {
    { "interval-ms", 0, 0, G_OPTION_ARG_INT, &interval_ms, "Change the labels every N ms", "N" },
    { "labels", 0, 0, G_OPTION_ARG_INT, &n_labels, "Rows of values", "N" },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  app = adw_application_new ("io.github.juicepower.Juice.BenchReference", G_APPLICATION_NON_UNIQUE);
  g_signal_connect (app, "activate", G_CALLBACK (activate_cb), NULL);

  return g_application_run (G_APPLICATION (app), 1, argv);
}
