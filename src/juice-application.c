/* juice-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "juice-application"

#include "config.h"

#include <glib/gi18n.h>

#include "juice-application.h"
#include "juice-preferences-window.h"
#include "juice-sim-device.h"
#include "juice-window.h"

#define DEMO_SERIAL_NUMBER "DCABZ8A1B2C3D4E5"

struct _JuiceApplication
{
  AdwApplication  parent_instance;

  /* owned references */
  JuiceSimDevice *sim;
  JuiceDevice    *demo_device;
  GListStore     *devices;
};

G_DEFINE_FINAL_TYPE (JuiceApplication, juice_application, ADW_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "demo", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Show a simulated DELTA Pro instead of your account"), NULL },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Print the version and exit"), NULL },
  { NULL }
};

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

  g_list_store_append (self->devices, self->demo_device);
}

static int
juice_application_handle_local_options (GApplication *app,
                                        GVariantDict *options)
{
  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("juice %s\n", PACKAGE_VERSION);
      return 0;
    }

  return -1;
}

static void
juice_application_activate (GApplication *app)
{
  JuiceApplication *self = JUICE_APPLICATION (app);
  GtkWindow *window;

  /* Until an account is signed in, the simulated device is what Juice shows:
   * with --demo, and on a first start alike. */
  ensure_demo (self);

  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  if (window == NULL)
    window = GTK_WINDOW (juice_window_new (self, G_LIST_MODEL (self->devices)));

  gtk_window_present (window);
}

static void
juice_application_startup (GApplication *app)
{
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };

  G_APPLICATION_CLASS (juice_application_parent_class)->startup (app);

  gtk_window_set_default_icon_name (APP_ID);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.preferences",
                                         preferences_accels);
}

static void
juice_application_dispose (GObject *object)
{
  JuiceApplication *self = (JuiceApplication *)object;

  g_clear_object (&self->devices);
  g_clear_object (&self->demo_device);
  g_clear_object (&self->sim);

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
  app_class->handle_local_options = juice_application_handle_local_options;
}

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
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static const GActionEntry app_actions[] = {
  { "about", about_action },
  { "preferences", preferences_action },
  { "quit", quit_action },
};

static void
juice_application_init (JuiceApplication *self)
{
  self->devices = g_list_store_new (JUICE_TYPE_DEVICE);
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
