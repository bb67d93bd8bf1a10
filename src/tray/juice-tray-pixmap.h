/* juice-tray-pixmap.h: a tray icon as StatusNotifierItem pixmaps
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Renders @icon_name (a symbolic SVG under @theme_path's
 * hicolor/symbolic/apps, else the installed icon folder) at 22 and 44
 * pixels as the a(iiay) of IconPixmap: ARGB32 in network byte order, in a
 * grey that reads on light and dark panels. For hosts that cannot look the
 * name up. NULL when the file is not found or not readable. */
GVariant *juice_tray_pixmap_render (const char *theme_path,
                                    const char *icon_name);

G_END_DECLS
