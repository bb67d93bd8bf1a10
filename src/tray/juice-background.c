/* juice-background.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "juice-background"

#include "config.h"

#include <glib/gi18n.h>

#ifdef HAVE_LIBPORTAL
#include <libportal/portal.h>
#endif

#include "juice-background.h"

gboolean
juice_background_is_sandboxed (void)
{
  return g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS);
}

#ifdef HAVE_LIBPORTAL
static void
portal_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (xdp_portal_request_background_finish (XDP_PORTAL (object), result, &error))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
      !g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    {
      /* The portal answers a refusal as a cancellation: say what it means. */
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED, "%s",
                               _("The system does not allow Juice to run in the background"));
      return;
    }

  g_debug ("Background portal: %s", error->message);
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                           _("Juice could not ask to run in the background: %s"), error->message);
}
#endif

void
juice_background_request_async (gboolean             autostart,
                                const char * const  *commandline,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, juice_background_request_async);

  if (!juice_background_is_sandboxed ())
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

#ifdef HAVE_LIBPORTAL
  {
    g_autoptr(XdpPortal) portal = xdp_portal_new ();
    g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);

    for (guint i = 0; commandline != NULL && commandline[i] != NULL; i++)
      g_ptr_array_add (argv, g_strdup (commandline[i]));

    xdp_portal_request_background (portal, NULL,
                                   _("Keep watching your power stations with the window closed"),
                                   argv->len > 0 ? argv : NULL,
                                   autostart ? XDP_BACKGROUND_FLAG_AUTOSTART : XDP_BACKGROUND_FLAG_NONE,
                                   cancellable, portal_cb, g_steal_pointer (&task));
  }
#else
  g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "%s",
                           _("This build of Juice cannot ask the sandbox to run in the background"));
#endif
}

gboolean
juice_background_request_finish (GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
