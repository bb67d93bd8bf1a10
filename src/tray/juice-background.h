/* juice-background.h: may Juice run in the background (Flatpak's portal)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* TRUE inside a Flatpak sandbox (/.flatpak-info exists). */
gboolean juice_background_is_sandboxed  (void);

/* Asks for permission to keep running without a window and, with
 * @autostart, to be started at login with @commandline. Outside a sandbox
 * there is nobody to ask: it is granted at once. Inside, the Background
 * portal asks (libportal); the user's answer is the result, and a refusal
 * is an error of G_IO_ERROR_PERMISSION_DENIED whose message says so. */
void     juice_background_request_async  (gboolean              autostart,
                                          const char * const   *commandline,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
gboolean juice_background_request_finish (GAsyncResult         *result,
                                          GError              **error);

G_END_DECLS
