/* juice-autostart.h: the XDG autostart entry that starts Juice at login
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* $XDG_CONFIG_HOME/autostart/io.github.juicepower.Juice.desktop */
char     *juice_autostart_get_path    (void);
/* Writes the entry (Exec=@command --background) or removes it; removing an
 * entry that is not there is not an error. */
gboolean  juice_autostart_set_enabled (gboolean     enabled,
                                       const char  *command,
                                       GError     **error);
gboolean  juice_autostart_is_enabled  (void);

G_END_DECLS
