/* juice-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "juice-application"

#include "config.h"

#include <glib/gi18n.h>

#include "juice-account.h"
#include "juice-application-private.h"
#include "juice-credentials.h"
#include "juice-history.h"
#include "juice-preferences-window.h"
#include "juice-sign-in-dialog.h"
#include "juice-sim-device.h"
#include "juice-window.h"

#define DEMO_SERIAL_NUMBER "DCABZ8A1B2C3D4E5"
/* Demo of a second product (DELTA 2) */
#define DEMO_DELTA_2_SERIAL_NUMBER "R331ZEB4ZE8A0123"


G_DEFINE_FINAL_TYPE (JuiceApplication, juice_application, ADW_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "demo", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Show a simulated DELTA Pro instead of your account"), NULL },
  { "api-host", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("EcoFlow API base URL (Europe, Americas or your own)"), N_("URL") },
  { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Also trust the certificate authorities in FILE"), N_("FILE") },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print the version and exit"), NULL },
  /* Tray, notifications, background (issue 11) */
  { "background", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Start without a window and keep watching the devices"), NULL },
  { NULL }
};

static JuiceWindow *
get_window (JuiceApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    {
      window = GTK_WINDOW (juice_window_new (self, NULL));
      /* The charts and Export History… read the recorded history (issue 10). */
      juice_window_set_history (JUICE_WINDOW (window), self->history);
      _juice_application_background_window_added (self, JUICE_WINDOW (window));
    }

  return JUICE_WINDOW (window);
}

static void
sync_actions (JuiceApplication *self)
{
  GAction *sign_out = g_action_map_lookup_action (G_ACTION_MAP (self), "sign-out");

  g_simple_action_set_enabled (G_SIMPLE_ACTION (sign_out), self->account != NULL);
}

/* History (issue 10) ---------------------------------------------------- */

static void
history_open (JuiceApplication *self)
{
  g_autoptr(GError) error = NULL;

  self->history = juice_history_new (NULL, &error);
  if (self->history == NULL)
    g_message ("Not recording history: %s", error->message);
}

static void
history_show_notice (JuiceApplication *self)
{
  const char *notice = self->history != NULL ? juice_history_get_notice (self->history) : NULL;

  if (notice != NULL)
    juice_window_add_toast (get_window (self), notice);
}

static void
history_items_changed (GListModel       *model,
                       guint             position,
                       guint             removed,
                       guint             added,
                       JuiceApplication *self)
{
  for (guint i = position; self->history != NULL && i < position + added; i++)
    {
      g_autoptr(JuiceDevice) device = g_list_model_get_item (model, i);

      juice_history_watch_device (self->history, device);
    }
}

static void
history_watch_model (JuiceApplication *self,
                     GListModel       *model)
{
  history_items_changed (model, 0, 0, g_list_model_get_n_items (model), self);
  g_signal_connect_object (model, "items-changed", G_CALLBACK (history_items_changed), self, 0);
}

/* Demo ------------------------------------------------------------------ */

static void
ensure_demo (JuiceApplication *self)
{
  if (self->demo_device != NULL)
    return;

  self->sim = juice_sim_device_new (DEMO_SERIAL_NUMBER);
  juice_sim_device_set_name (self->sim, _("Demo DELTA Pro"));
  self->demo_device = juice_device_new (DEMO_SERIAL_NUMBER, juice_device_profile_delta_pro ());
  juice_device_set_product (self->demo_device, "DELTA Pro");
  juice_sim_device_attach (self->sim, self->demo_device);

  /* Something is plugged into the demo's AC outlets, so that it is alive at night too. */
  juice_sim_device_set_quota_int (self->sim, "inv.cfgAcEnabled", 1);
  juice_sim_device_step (self->sim, 1);

  self->demo_devices = g_list_store_new (JUICE_TYPE_DEVICE);
  g_list_store_append (self->demo_devices, self->demo_device);
  /* Recorded whether or not a window is shown; the DELTA 2 added later is
   * picked up through items-changed. */
  history_watch_model (self, G_LIST_MODEL (self->demo_devices));
}

/* A DELTA 2 next to it: Juice is not a one-device app. It joins the list
 * once the window has drawn its first frame, which it does not delay. */
static void
add_demo_delta_2 (JuiceApplication *self)
{
  if (self->demo_delta_2 != NULL || self->demo_devices == NULL)
    return;

  self->sim_delta_2 = juice_sim_device_new_for_profile (DEMO_DELTA_2_SERIAL_NUMBER,
                                                        juice_device_profile_delta_2 ());
  juice_sim_device_set_name (self->sim_delta_2, _("Demo DELTA 2"));
  self->demo_delta_2 = juice_device_new (DEMO_DELTA_2_SERIAL_NUMBER, juice_device_profile_delta_2 ());
  juice_device_set_product (self->demo_delta_2, "DELTA 2");
  juice_sim_device_attach (self->sim_delta_2, self->demo_delta_2);
  juice_sim_device_set_quota_int (self->sim_delta_2, "mppt.cfgAcEnabled", 1);
  juice_sim_device_step (self->sim_delta_2, 1);
  g_list_store_append (self->demo_devices, self->demo_delta_2);
}

static void
demo_after_paint_cb (GdkFrameClock    *clock,
                     JuiceApplication *self)
{
  g_signal_handlers_disconnect_by_func (clock, demo_after_paint_cb, self);
  add_demo_delta_2 (self);
}

static void
demo_window_realize_cb (GtkWidget        *window,
                        JuiceApplication *self)
{
  g_signal_handlers_disconnect_by_func (window, demo_window_realize_cb, self);
  g_signal_connect_object (gtk_widget_get_frame_clock (window), "after-paint",
                           G_CALLBACK (demo_after_paint_cb), self, 0);
}

static void
show_demo (JuiceApplication *self)
{
  ensure_demo (self);
  self->demo = TRUE;
  g_object_set (get_window (self), "link-state", NULL, NULL);
  juice_window_set_devices (get_window (self), G_LIST_MODEL (self->demo_devices));

  if (self->demo_delta_2 == NULL)
    {
      GtkWidget *window = GTK_WIDGET (get_window (self));

      if (gtk_widget_get_realized (window))
        add_demo_delta_2 (self);
      else
        g_signal_connect_object (window, "realize", G_CALLBACK (demo_window_realize_cb), self, 0);
    }
}

/* Account --------------------------------------------------------------- */

static void
account_connect_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(JuiceApplication) self = user_data;
  JuiceAccount *account = JUICE_ACCOUNT (object);
  g_autoptr(GError) error = NULL;
  JuiceWindow *window = get_window (self);

  if (!juice_account_connect_finish (account, result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || account != self->account)
        return;

      juice_window_set_devices (window, NULL);
      juice_window_add_toast (window, error->message);
      return;
    }

  if (account != self->account)
    return;

  juice_window_set_devices (window, juice_account_get_devices (account));
}

static void
start_account (JuiceApplication *self,
               JuiceCloud       *cloud)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *client_id = NULL;

  /* One id of the installation's small pool, held while Juice runs. */
  client_id = juice_mqtt_claim_client_id (&error);
  if (client_id == NULL)
    {
      juice_window_set_devices (get_window (self), NULL);
      juice_window_add_toast (get_window (self), error->message);
      return;
    }

  if (self->account != NULL)
    juice_account_disconnect (self->account);
  g_set_object (&self->account, juice_account_new (cloud, client_id));
  g_object_bind_property (self->account, "link-state", get_window (self), "link-state",
                          G_BINDING_SYNC_CREATE);
  juice_account_set_mqtt_ca_file (self->account, self->ca_file);
  history_watch_model (self, juice_account_get_devices (self->account));
  self->demo = FALSE;
  sync_actions (self);

  juice_window_show_loading (get_window (self));
  juice_account_connect_async (self->account, self->cancellable, account_connect_cb,
                               g_object_ref (self));
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(JuiceApplication) self = user_data;
  g_autoptr(JuiceCredentials) credentials = NULL;
  g_autoptr(JuiceCloud) cloud = NULL;
  g_autoptr(GError) error = NULL;
  JuiceWindow *window = get_window (self);

  credentials = juice_credentials_lookup_finish (result, &error);
  if (credentials == NULL)
    {
      /* No keys yet, or no keyring: the welcome page offers both ways in. */
      if (error != NULL)
        juice_window_add_toast (window, error->message);
      juice_window_set_devices (window, NULL);
      return;
    }

  cloud = juice_cloud_new (self->api_host, self->ca_file, &error);
  if (cloud == NULL)
    {
      juice_window_add_toast (window, error->message);
      juice_window_set_devices (window, NULL);
      return;
    }

  juice_cloud_set_credentials (cloud, credentials->access_key, credentials->secret_key);
  start_account (self, cloud);
}

static void
on_signed_in (JuiceSignInDialog *dialog,
              JuiceCloud        *cloud,
              JuiceApplication  *self)
{
  g_free (self->api_host);
  self->api_host = g_strdup (juice_cloud_get_base_url (cloud));
  g_settings_set_string (self->settings, "api-host", self->api_host);
  start_account (self, cloud);
}

/* GApplication ---------------------------------------------------------- */

static int
juice_application_handle_local_options (GApplication *app,
                                        GVariantDict *options)
{
  JuiceApplication *self = JUICE_APPLICATION (app);
  const char *api_host = NULL;
  const char *ca_file = NULL;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("juice %s\n", PACKAGE_VERSION);
      return 0;
    }

  self->demo = g_variant_dict_contains (options, "demo");
  self->start_in_background = g_variant_dict_contains (options, "background");
  if (g_variant_dict_lookup (options, "api-host", "&s", &api_host))
    self->api_host = g_strdup (api_host);
  if (g_variant_dict_lookup (options, "ca-file", "^&ay", &ca_file))
    self->ca_file = g_strdup (ca_file);

  return -1;
}

static void
juice_application_activate (GApplication *app)
{
  JuiceApplication *self = JUICE_APPLICATION (app);
  JuiceWindow *window;
  gboolean first = gtk_application_get_active_window (GTK_APPLICATION (app)) == NULL;

  window = get_window (self);
  /* --background: the first activation starts everything but shows nothing;
   * the window, made but not shown, keeps the application running. */
  if (!(self->start_in_background && first))
    gtk_window_present (GTK_WINDOW (window));

  if (!first)
    return;

  history_show_notice (self);

  if (self->demo)
    {
      show_demo (self);
      return;
    }

  juice_window_show_loading (window);
  juice_credentials_lookup_async (self->api_host, self->cancellable, lookup_cb,
                                  g_object_ref (self));
}

static void
show_device_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  JuiceApplication *self = user_data;
  const char *serial_number = g_variant_get_string (parameter, NULL);
  JuiceWindow *window = get_window (self);
  GListModel *devices = juice_window_get_devices (window);

  gtk_window_present (GTK_WINDOW (window));
  if (devices == NULL)
    return;

  for (guint i = 0; i < g_list_model_get_n_items (devices); i++)
    {
      g_autoptr(JuiceDevice) device = g_list_model_get_item (devices, i);

      if (g_strcmp0 (juice_device_get_serial_number (device), serial_number) == 0)
        {
          juice_window_set_device (window, device);
          return;
        }
    }
}

static void
juice_application_startup (GApplication *app)
{
  JuiceApplication *self = JUICE_APPLICATION (app);
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };

  G_APPLICATION_CLASS (juice_application_parent_class)->startup (app);

  self->settings = g_settings_new (APP_ID);
  if (self->api_host == NULL)
    self->api_host = g_settings_get_string (self->settings, "api-host");
  if (self->ca_file == NULL)
    {
      self->ca_file = g_settings_get_string (self->settings, "ca-file");
      if (*self->ca_file == '\0')
        g_clear_pointer (&self->ca_file, g_free);
    }

  history_open (self);

  gtk_window_set_default_icon_name (APP_ID);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.preferences",
                                         preferences_accels);
  sync_actions (self);
  _juice_application_background_startup (self);
}

static void
juice_application_shutdown (GApplication *app)
{
  JuiceApplication *self = JUICE_APPLICATION (app);

  /* What the last seconds brought is on disk before Juice goes. */
  if (self->history != NULL)
    juice_history_flush (self->history);

  G_APPLICATION_CLASS (juice_application_parent_class)->shutdown (app);
}

static void
juice_application_dispose (GObject *object)
{
  JuiceApplication *self = (JuiceApplication *)object;

  /* Tray, notifications, background (issue 11) */
  g_clear_object (&self->tray);
  g_clear_object (&self->notifier);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->account);
  g_clear_object (&self->history);
  g_clear_object (&self->demo_devices);
  g_clear_object (&self->demo_device);
  g_clear_object (&self->sim);
  g_clear_object (&self->demo_delta_2);
  g_clear_object (&self->sim_delta_2);
  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->api_host, g_free);
  g_clear_pointer (&self->ca_file, g_free);

  G_OBJECT_CLASS (juice_application_parent_class)->dispose (object);
}

static void
juice_application_class_init (JuiceApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = juice_application_dispose;

  app_class->activate = juice_application_activate;
  app_class->startup = juice_application_startup;
  app_class->shutdown = juice_application_shutdown;
  app_class->handle_local_options = juice_application_handle_local_options;
}

/* Actions --------------------------------------------------------------- */

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  JuiceApplication *self = user_data;
  static const char *developers[] = { "The Juice developers", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (GTK_APPLICATION (self)),
                        "application-name", _("Juice"),
                        "application-icon", APP_ID,
                        "version", PACKAGE_VERSION,
                        "developers", developers,
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "comments", _("Monitor and control your EcoFlow power station"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  JuiceApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));

  gtk_window_present (GTK_WINDOW (juice_preferences_window_new (parent)));
}

static void
demo_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  show_demo (JUICE_APPLICATION (user_data));
}

static void
sign_in_action (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  JuiceApplication *self = user_data;
  GtkWidget *dialog;

  dialog = juice_sign_in_dialog_new (GTK_WINDOW (get_window (self)), self->api_host, self->ca_file);
  g_signal_connect_object (dialog, "signed-in", G_CALLBACK (on_signed_in), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
clear_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(JuiceApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!juice_credentials_clear_finish (result, &error) && error != NULL)
    juice_window_add_toast (get_window (self), error->message);
  else
    juice_window_add_toast (get_window (self), _("Signed out: your keys were removed"));
}

static void
sign_out_action (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  JuiceApplication *self = user_data;

  if (self->account != NULL)
    {
      juice_account_disconnect (self->account);
      g_clear_object (&self->account);
    }
  sync_actions (self);

  juice_window_set_devices (get_window (self), NULL);
  g_object_set (get_window (self), "link-state", NULL, NULL);
  juice_credentials_clear_async (self->api_host, NULL, clear_cb, g_object_ref (self));
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static const GActionEntry app_actions[] = {
  /* Tray, notifications, background (issue 11) */
  { "show-device", show_device_action, "s" },
  { "about", about_action },
  { "preferences", preferences_action },
  { "demo", demo_action },
  { "sign-in", sign_in_action },
  { "sign-out", sign_out_action },
  { "quit", quit_action },
};

static void
juice_application_init (JuiceApplication *self)
{
  self->cancellable = g_cancellable_new ();

  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions,
                                   G_N_ELEMENTS (app_actions), self);
}

JuiceApplication *
juice_application_new (void)
{
  return g_object_new (JUICE_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", RESOURCE_PREFIX,
                       NULL);
}

JuiceDevice *
juice_application_get_demo_device (JuiceApplication *self)
{
  g_return_val_if_fail (JUICE_IS_APPLICATION (self), NULL);

  ensure_demo (self);
  return self->demo_device;
}

JuiceAccount *
juice_application_get_account (JuiceApplication *self)
{
  g_return_val_if_fail (JUICE_IS_APPLICATION (self), NULL);

  return self->account;
}

JuiceHistory *
juice_application_get_history (JuiceApplication *self)
{
  g_return_val_if_fail (JUICE_IS_APPLICATION (self), NULL);

  return self->history;
}
