/* juice-report-coalescer.h: live reports applied at most so often
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "juice-device.h"

G_BEGIN_DECLS

/* A device reports about once a second, and each report is applied at
 * once. When reports come faster than @interval_ms apart, the ones in
 * between are merged (the newest value of each key wins) and applied
 * together when the interval is over: a burst costs one update of the
 * model and of everything that shows it per interval, not one per
 * message, and no value is lost. */
typedef struct _JuiceReportCoalescer JuiceReportCoalescer;

JuiceReportCoalescer *juice_report_coalescer_new   (JuiceDevice          *device,
                                                    GMainContext         *context,
                                                    guint                 interval_ms);
void                  juice_report_coalescer_free  (JuiceReportCoalescer *self);
/* Takes a /quota payload: FALSE with @error when it is malformed (nothing
 * is kept of it then). */
gboolean              juice_report_coalescer_push  (JuiceReportCoalescer *self,
                                                    const char           *data,
                                                    gsize                 length,
                                                    GError              **error);
/* Applies what is waiting now (before a value from another source). */
void                  juice_report_coalescer_flush (JuiceReportCoalescer *self);
/* Drops what is waiting (the link went away). */
void                  juice_report_coalescer_clear (JuiceReportCoalescer *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JuiceReportCoalescer, juice_report_coalescer_free)

G_END_DECLS
