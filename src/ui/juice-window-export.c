/* juice-window-export.c: "Export History…", the window's CSV export
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "juice-window"

#include "config.h"

#include <glib/gi18n.h>

#include "juice-window-private.h"

#define DAY (24 * 60 * 60)

/* The chooser's range choice: its id, and how far back it reaches (0: all). */
static const struct {
  const char *id;
  const char *label;
  gint64      seconds;
} ranges[] = {
  { "day", N_("Last 24 hours"), DAY },
  { "week", N_("Last 7 days"), 7 * DAY },
  { "month", N_("Last 30 days"), 30 * DAY },
  { "all", N_("Everything recorded"), 0 },
};

typedef struct
{
  JuiceWindow *window;
  AdwToast    *progress;
  char        *name;
} Export;

static void
export_free (Export *export)
{
  g_clear_object (&export->window);
  g_clear_object (&export->progress);
  g_free (export->name);
  g_free (export);
}

static void
export_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Export *export = user_data;
  JuiceWindow *self = export->window;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;

  if (juice_history_export_csv_finish (JUICE_HISTORY (source), result, &error))
    /* Translators: a toast, "History saved to juice-history.csv" */
    message = g_strdup_printf (_("History saved to %s"), export->name);
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    /* Translators: a toast, "Could not save the history: Permission denied" */
    message = g_strdup_printf (_("Could not save the history: %s"), error->message);

  adw_toast_dismiss (export->progress);
  if (message != NULL)
    juice_window_add_toast (self, message);

  g_clear_object (&self->export_cancellable);
  g_object_notify (G_OBJECT (self), "exporting");
  export_free (export);
}

void
juice_window_export_history (JuiceWindow *self,
                             GFile       *file,
                             gint64       seconds)
{
  Export *export;
  gint64 to, from;

  g_return_if_fail (JUICE_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  if (self->history == NULL)
    {
      juice_window_add_toast (self, _("No history is being recorded"));
      return;
    }
  if (self->export_cancellable != NULL)
    {
      juice_window_add_toast (self, _("History is already being exported"));
      return;
    }

  to = juice_history_now (self->history);
  from = seconds > 0 ? to - seconds : 0;

  export = g_new0 (Export, 1);
  export->window = g_object_ref (self);
  export->name = g_file_get_basename (file);
  /* Writing can take a while for months of samples: say so until done. */
  export->progress = g_object_ref (adw_toast_new (_("Saving history…")));
  adw_toast_set_timeout (export->progress, 0);
  adw_toast_overlay_add_toast (self->window_toast_overlay, g_object_ref (export->progress));

  self->export_cancellable = g_cancellable_new ();
  g_object_notify (G_OBJECT (self), "exporting");
  juice_history_export_csv_async (self->history,
                                  self->device != NULL
                                  ? juice_device_get_serial_number (self->device) : NULL,
                                  from, to, file, self->export_cancellable, export_done, export);
}

static void
chooser_response (GtkNativeDialog *dialog,
                  int              response,
                  JuiceWindow     *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      const char *choice = gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (dialog), "range");
      gint64 seconds = DAY;

      for (guint i = 0; i < G_N_ELEMENTS (ranges); i++)
        if (g_strcmp0 (choice, ranges[i].id) == 0)
          seconds = ranges[i].seconds;

      if (file != NULL)
        juice_window_export_history (self, file, seconds);
    }

  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
}

void
_juice_window_export_history_action (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *parameter)
{
  JuiceWindow *self = JUICE_WINDOW (widget);
  const char *ids[G_N_ELEMENTS (ranges) + 1] = { NULL };
  const char *labels[G_N_ELEMENTS (ranges) + 1] = { NULL };
  g_autoptr(GDateTime) today = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format (today, "%Y-%m-%d");
  g_autofree char *name = NULL;
  GtkFileChooserNative *chooser;

  for (guint i = 0; i < G_N_ELEMENTS (ranges); i++)
    {
      ids[i] = ranges[i].id;
      labels[i] = _(ranges[i].label);
    }

  chooser = gtk_file_chooser_native_new (_("Export History"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), NULL);
  gtk_file_chooser_add_choice (GTK_FILE_CHOOSER (chooser), "range", _("Range"), ids, labels);
  gtk_file_chooser_set_choice (GTK_FILE_CHOOSER (chooser), "range", "month");
  name = g_strdup_printf ("juice-history-%s-%s.csv",
                          self->device != NULL ? juice_device_get_serial_number (self->device)
                                               : "all",
                          date);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (chooser_response), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}
