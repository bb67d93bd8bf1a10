/* bench-views.h: everything a window binds to a device, for the benchmarks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "juice-device.h"

G_BEGIN_DECLS

/* Binds every view of a window to @device: widgets go into @window_box,
 * other views (objects) are returned, owned by the array. @names, when
 * given, gets the views' names. BENCH_VIEWS="device page" binds only the
 * views it names. */
GPtrArray *bench_views_bind        (JuiceDevice *device,
                                    GtkBox      *window_box,
                                    GString     *names);
/* Waits until the bound views are mapped and built (the device page makes
 * its details after its first frame). */
gboolean   bench_views_wait_ready  (GtkWidget   *window);

G_END_DECLS
