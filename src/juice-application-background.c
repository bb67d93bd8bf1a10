/* juice-application-background.c: Juice beside the desktop
 *
 * The tray icon and its menu, notifications, running on with the window
 * closed (the Background portal inside Flatpak) and starting at login.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "juice-application"

#include "config.h"

#include <glib/gi18n.h>

#include "juice-application-private.h"
#include "juice-autostart.h"
#include "juice-background.h"

/* Tray, notifications, background (issue 11) --------------------------- */

/* Nothing is on screen: a command's failure is told by a notification. */
static void
on_tray_command_failed (JuiceTray        *tray,
                        JuiceDevice      *device,
                        const char       *message,
                        JuiceApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window != NULL && gtk_widget_get_visible (GTK_WIDGET (window)))
    {
      juice_window_add_toast (JUICE_WINDOW (window), message);
      return;
    }

  if (self->notifier != NULL)
    juice_notifier_command_failed (self->notifier, device, message);
}

static void
on_window_devices (JuiceWindow      *window,
                   GParamSpec       *pspec,
                   JuiceApplication *self)
{
  GListModel *devices = juice_window_get_devices (window);

  if (self->tray != NULL)
    juice_tray_set_devices (self->tray, devices);
  if (self->notifier != NULL)
    juice_notifier_set_devices (self->notifier, devices);
}

void
_juice_application_background_window_added (JuiceApplication *self,
                                            JuiceWindow      *window)
{
  /* Closing only hides the window while Juice runs in the background: the
   * devices, the recording and the window's state stay. */
  if (self->settings != NULL)
    g_settings_bind (self->settings, "run-in-background", window, "hide-on-close",
                     G_SETTINGS_BIND_GET);
  g_signal_connect_object (window, "notify::devices", G_CALLBACK (on_window_devices), self, 0);
}

static void
say (JuiceApplication *self,
     const char       *message)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window != NULL)
    juice_window_add_toast (JUICE_WINDOW (window), message);
  else
    g_warning ("%s", message);
}

static void
hold (JuiceApplication *self,
      gboolean          wanted)
{
  if (wanted == self->held)
    return;

  self->held = wanted;
  if (wanted)
    g_application_hold (G_APPLICATION (self));
  else
    g_application_release (G_APPLICATION (self));
}

static void
background_allowed_cb (GObject      *object,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(JuiceApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  if (juice_background_request_finish (result, &error))
    {
      hold (self, g_settings_get_boolean (self->settings, "run-in-background"));
      return;
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* A refusal is honoured: the switches go back off and say why. */
  g_settings_set_boolean (self->settings, "run-in-background", FALSE);
  g_settings_set_boolean (self->settings, "start-at-login", FALSE);
  hold (self, FALSE);
  say (self, error->message);
}

static void
sync_background (JuiceApplication *self)
{
  gboolean wanted = g_settings_get_boolean (self->settings, "run-in-background");
  const char *argv[] = { "juice", "--background", NULL };

  if (!wanted || !juice_background_is_sandboxed ())
    {
      hold (self, wanted);
      return;
    }

  /* In Flatpak the Background portal decides, and also writes the autostart entry. */
  juice_background_request_async (g_settings_get_boolean (self->settings, "start-at-login"),
                                  argv, self->cancellable, background_allowed_cb,
                                  g_object_ref (self));
}

static char *
own_command (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *in_path = g_find_program_in_path ("juice");

  /* The installed juice by name, so that an update keeps the entry right. */
  if (exe == NULL || (in_path != NULL && g_strcmp0 (in_path, exe) == 0))
    return g_strdup ("juice");

  return g_steal_pointer (&exe);
}

static void
sync_autostart (JuiceApplication *self)
{
  gboolean wanted = g_settings_get_boolean (self->settings, "start-at-login");
  g_autofree char *command = NULL;
  g_autoptr(GError) error = NULL;

  if (juice_background_is_sandboxed ())
    {
      const char *argv[] = { "juice", "--background", NULL };

      /* The sandbox cannot write the host's autostart folder: the portal does. */
      juice_background_request_async (wanted, argv, self->cancellable, background_allowed_cb,
                                      g_object_ref (self));
      return;
    }

  if (wanted == juice_autostart_is_enabled ())
    return;

  command = own_command ();
  if (!juice_autostart_set_enabled (wanted, command, &error))
    say (self, error->message);
}

static void
on_background_setting (GSettings        *settings,
                       const char       *key,
                       JuiceApplication *self)
{
  if (g_str_equal (key, "run-in-background"))
    sync_background (self);
  else if (g_str_equal (key, "start-at-login"))
    sync_autostart (self);
}

void
_juice_application_background_startup (JuiceApplication *self)
{
  const char *icon_path = g_getenv ("JUICE_ICON_THEME_PATH");

  self->notifier = juice_notifier_new (G_APPLICATION (self), self->settings);
  self->tray = juice_tray_new (G_APPLICATION (self), icon_path);
  if (self->tray != NULL)
    g_signal_connect_object (self->tray, "command-failed", G_CALLBACK (on_tray_command_failed),
                             self, 0);

  g_signal_connect_object (self->settings, "changed::run-in-background",
                           G_CALLBACK (on_background_setting), self, 0);
  g_signal_connect_object (self->settings, "changed::start-at-login",
                           G_CALLBACK (on_background_setting), self, 0);
  sync_background (self);
  /* In Flatpak the portal keeps the entry: nothing to put right at each start. */
  if (!juice_background_is_sandboxed ())
    sync_autostart (self);
}
