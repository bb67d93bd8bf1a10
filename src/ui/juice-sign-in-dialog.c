/* juice-sign-in-dialog.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "juice-sign-in"

#include "config.h"

#include <glib/gi18n.h>

#include "juice-cloud-error.h"
#include "juice-credentials.h"
#include "juice-sign-in-dialog.h"

enum {
  REGION_EUROPE,
  REGION_AMERICAS,
  REGION_CUSTOM,
};

struct _JuiceSignInDialog
{
  AdwWindow     parent_instance;

  /* template widgets */
  AdwComboRow  *region_row;
  AdwEntryRow  *url_row;
  AdwEntryRow  *access_key_row;
  AdwEntryRow  *secret_key_row;
  GtkLabel     *error_label;
  GtkStack     *button_stack;

  /* owned references */
  GCancellable *cancellable;
  JuiceCloud   *cloud;        /* being checked */
  char         *ca_file;
  char         *error;

  /* state */
  gboolean      busy;
};

G_DEFINE_FINAL_TYPE (JuiceSignInDialog, juice_sign_in_dialog, ADW_TYPE_WINDOW)

enum {
  SIGNED_IN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static char *
dup_base_url (JuiceSignInDialog *self)
{
  switch (adw_combo_row_get_selected (self->region_row))
    {
    case REGION_EUROPE:
      return g_strdup (juice_cloud_region_get_base_url (JUICE_CLOUD_REGION_EUROPE));

    case REGION_AMERICAS:
      return g_strdup (juice_cloud_region_get_base_url (JUICE_CLOUD_REGION_AMERICAS));

    default:
      return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->url_row))));
    }
}

static gboolean
fields_complete (JuiceSignInDialog *self)
{
  g_autofree char *url = dup_base_url (self);

  return *url != '\0' &&
         *gtk_editable_get_text (GTK_EDITABLE (self->access_key_row)) != '\0' &&
         *gtk_editable_get_text (GTK_EDITABLE (self->secret_key_row)) != '\0';
}

static void
sync_actions (JuiceSignInDialog *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sign-in.submit",
                                 !self->busy && fields_complete (self));
  gtk_stack_set_visible_child_name (self->button_stack, self->busy ? "spinner" : "label");
  gtk_widget_set_sensitive (GTK_WIDGET (self->region_row), !self->busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->url_row), !self->busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->access_key_row), !self->busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->secret_key_row), !self->busy);
}

static void
show_error (JuiceSignInDialog *self,
            const char        *message)
{
  g_free (self->error);
  self->error = g_strdup (message);
  gtk_label_set_label (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
finish (JuiceSignInDialog *self,
        const char        *error_message)
{
  self->busy = FALSE;
  show_error (self, error_message);
  sync_actions (self);
}

static void
on_region_changed (JuiceSignInDialog *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->url_row),
                          adw_combo_row_get_selected (self->region_row) == REGION_CUSTOM);
  sync_actions (self);
}

static void
on_field_changed (JuiceSignInDialog *self)
{
  sync_actions (self);
}

static void
on_entry_activated (JuiceSignInDialog *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "sign-in.submit", NULL);
}

static void
store_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(JuiceSignInDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JuiceCloud) cloud = NULL;

  if (!juice_credentials_store_finish (result, &error))
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      message = g_strdup_printf (_("The keys work, but could not be saved in the keyring: %s"),
                                 error->message);
      finish (self, message);
      return;
    }

  cloud = g_steal_pointer (&self->cloud);
  finish (self, NULL);
  g_signal_emit (self, signals[SIGNED_IN], 0, cloud);
  gtk_window_close (GTK_WINDOW (self));
}

static void
list_devices_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(JuiceSignInDialog) self = user_data;
  g_autoptr(GPtrArray) devices = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JuiceCredentials) credentials = NULL;

  devices = juice_cloud_list_devices_finish (JUICE_CLOUD (object), result, &error);
  if (devices == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;

      g_clear_object (&self->cloud);
      finish (self, error->message);
      return;
    }

  /* The keys work: keep them, in the keyring only. */
  credentials = juice_credentials_new (gtk_editable_get_text (GTK_EDITABLE (self->access_key_row)),
                                       gtk_editable_get_text (GTK_EDITABLE (self->secret_key_row)));
  juice_credentials_store_async (juice_cloud_get_base_url (JUICE_CLOUD (object)), credentials,
                                 self->cancellable, store_cb, g_object_ref (self));
}

static void
submit_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  JuiceSignInDialog *self = JUICE_SIGN_IN_DIALOG (widget);
  g_autofree char *base_url = NULL;
  g_autoptr(GError) error = NULL;

  if (self->busy || !fields_complete (self))
    return;

  base_url = dup_base_url (self);
  self->cloud = juice_cloud_new (base_url, self->ca_file, &error);
  if (self->cloud == NULL)
    {
      finish (self, error->message);
      return;
    }

  juice_cloud_set_credentials (self->cloud,
                               gtk_editable_get_text (GTK_EDITABLE (self->access_key_row)),
                               gtk_editable_get_text (GTK_EDITABLE (self->secret_key_row)));

  self->busy = TRUE;
  show_error (self, NULL);
  sync_actions (self);

  /* Loading the device list is the check: it needs valid keys and region. */
  juice_cloud_list_devices_async (self->cloud, self->cancellable, list_devices_cb,
                                  g_object_ref (self));
}

static void
juice_sign_in_dialog_dispose (GObject *object)
{
  JuiceSignInDialog *self = (JuiceSignInDialog *)object;

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), JUICE_TYPE_SIGN_IN_DIALOG);

  G_OBJECT_CLASS (juice_sign_in_dialog_parent_class)->dispose (object);
}

static void
juice_sign_in_dialog_finalize (GObject *object)
{
  JuiceSignInDialog *self = (JuiceSignInDialog *)object;

  g_clear_object (&self->cancellable);
  g_clear_object (&self->cloud);
  g_clear_pointer (&self->ca_file, g_free);
  g_clear_pointer (&self->error, g_free);

  G_OBJECT_CLASS (juice_sign_in_dialog_parent_class)->finalize (object);
}

static void
juice_sign_in_dialog_class_init (JuiceSignInDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = juice_sign_in_dialog_dispose;
  object_class->finalize = juice_sign_in_dialog_finalize;

  /**
   * JuiceSignInDialog::signed-in:
   * @cloud: a JuiceCloud holding the checked keys
   */
  signals[SIGNED_IN] =
    g_signal_new ("signed-in", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, JUICE_TYPE_CLOUD);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/juice-sign-in-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, JuiceSignInDialog, region_row);
  gtk_widget_class_bind_template_child (widget_class, JuiceSignInDialog, url_row);
  gtk_widget_class_bind_template_child (widget_class, JuiceSignInDialog, access_key_row);
  gtk_widget_class_bind_template_child (widget_class, JuiceSignInDialog, secret_key_row);
  gtk_widget_class_bind_template_child (widget_class, JuiceSignInDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, JuiceSignInDialog, button_stack);
  gtk_widget_class_bind_template_callback (widget_class, on_region_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_field_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activated);

  gtk_widget_class_install_action (widget_class, "sign-in.submit", NULL, submit_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
juice_sign_in_dialog_init (JuiceSignInDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  sync_actions (self);
}

GtkWidget *
juice_sign_in_dialog_new (GtkWindow  *parent,
                          const char *api_host,
                          const char *ca_file)
{
  JuiceSignInDialog *self;

  self = g_object_new (JUICE_TYPE_SIGN_IN_DIALOG,
                       "transient-for", parent,
                       NULL);
  self->ca_file = g_strdup (ca_file && *ca_file ? ca_file : NULL);

  if (api_host != NULL && *api_host != '\0')
    juice_sign_in_dialog_fill (self, api_host, NULL, NULL);

  return GTK_WIDGET (self);
}

void
juice_sign_in_dialog_fill (JuiceSignInDialog *self,
                           const char        *base_url,
                           const char        *access_key,
                           const char        *secret_key)
{
  g_return_if_fail (JUICE_IS_SIGN_IN_DIALOG (self));

  if (base_url != NULL)
    {
      if (g_strcmp0 (base_url, juice_cloud_region_get_base_url (JUICE_CLOUD_REGION_EUROPE)) == 0)
        adw_combo_row_set_selected (self->region_row, REGION_EUROPE);
      else if (g_strcmp0 (base_url, juice_cloud_region_get_base_url (JUICE_CLOUD_REGION_AMERICAS)) == 0)
        adw_combo_row_set_selected (self->region_row, REGION_AMERICAS);
      else
        {
          adw_combo_row_set_selected (self->region_row, REGION_CUSTOM);
          gtk_editable_set_text (GTK_EDITABLE (self->url_row), base_url);
        }
    }

  if (access_key != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->access_key_row), access_key);
  if (secret_key != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->secret_key_row), secret_key);
}

gboolean
juice_sign_in_dialog_get_busy (JuiceSignInDialog *self)
{
  g_return_val_if_fail (JUICE_IS_SIGN_IN_DIALOG (self), FALSE);

  return self->busy;
}

const char *
juice_sign_in_dialog_get_error (JuiceSignInDialog *self)
{
  g_return_val_if_fail (JUICE_IS_SIGN_IN_DIALOG (self), NULL);

  return self->error;
}
