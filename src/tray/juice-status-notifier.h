/* juice-status-notifier.h: a StatusNotifierItem (the Linux desktop's tray icon)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define JUICE_TYPE_STATUS_NOTIFIER (juice_status_notifier_get_type ())

G_DECLARE_FINAL_TYPE (JuiceStatusNotifier, juice_status_notifier, JUICE, STATUS_NOTIFIER, GObject)

/* Owns org.kde.StatusNotifierItem-PID-N on @connection, exports
 * /StatusNotifierItem (org.kde.StatusNotifierItem) and registers it with
 * org.kde.StatusNotifierWatcher whenever that name gets an owner (a panel
 * that starts or restarts). Without a watcher nothing is shown and nothing
 * is logged beyond debug level.
 *
 * Setters emit NewIcon, NewTitle, NewToolTip or NewStatus only when the
 * value changed, at most once per main loop turn.
 *
 * Properties: "registered" (a watcher accepted the item), "bus-name".
 * Signals: "activate" (int x, int y), "secondary-activate" (int x, int y),
 * "scroll" (int delta, const char *orientation). */

JuiceStatusNotifier *juice_status_notifier_new              (GDBusConnection     *connection,
                                                             const char          *id,
                                                             const char          *menu_path);
gboolean             juice_status_notifier_get_registered   (JuiceStatusNotifier *self);
const char          *juice_status_notifier_get_bus_name     (JuiceStatusNotifier *self);
void                 juice_status_notifier_set_title        (JuiceStatusNotifier *self,
                                                             const char          *title);
/* A name from the icon theme, looked up by the host. */
void                 juice_status_notifier_set_icon         (JuiceStatusNotifier *self,
                                                             const char          *icon_name);
/* A folder the host also searches for icon names (an uninstalled build). */
void                 juice_status_notifier_set_icon_theme_path (JuiceStatusNotifier *self,
                                                                const char       *theme_path);
const char          *juice_status_notifier_get_icon         (JuiceStatusNotifier *self);
/* The icon as ARGB32 pixmaps, network byte order, for hosts without our
 * icon theme: a GVariant of type a(iiay) (floating or not), or NULL. */
void                 juice_status_notifier_set_icon_pixmap  (JuiceStatusNotifier *self,
                                                             GVariant            *pixmaps);
void                 juice_status_notifier_set_tooltip      (JuiceStatusNotifier *self,
                                                             const char          *title,
                                                             const char          *body);
/* "Passive", "Active" or "NeedsAttention". */
void                 juice_status_notifier_set_status       (JuiceStatusNotifier *self,
                                                             const char          *status);

G_END_DECLS
