/* juice-report.h: a device report checked and split, ready to apply
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A /quota message is checked once, when it arrives (size, depth, JSON,
 * shape: flat keys, "params", or "typeCode" groups the profile maps to key
 * prefixes), and kept as its bytes and the spans of its members, so that
 * applying it compares each value's text with what the device stored and
 * builds nodes only for values that changed.
 */

#pragma once

#include "juice-device-profile.h"
#include "juice-json-scan.h"

G_BEGIN_DECLS

typedef struct _JuiceReport JuiceReport;

/* NULL with a JUICE_DEVICE_ERROR_MALFORMED @error when @data is not a JSON
 * object within @max_length bytes and @max_depth levels, or its "params"
 * are not an object, or its "typeCode" is malformed. */
JuiceReport           *juice_report_new           (const JuiceDeviceProfile *profile,
                                                   const char               *data,
                                                   gsize                     length,
                                                   gsize                     max_length,
                                                   guint                     max_depth,
                                                   GError                  **error);
void                   juice_report_free          (JuiceReport              *self);
/* Bytes held: what a queue of reports weighs. */
gsize                  juice_report_get_size      (JuiceReport              *self);
guint                  juice_report_get_n_members (JuiceReport              *self);
const JuiceJsonMember *juice_report_get_member    (JuiceReport              *self,
                                                   guint                     index);
/* What the typeCode group puts before each member's name ("pd."), or "". */
const char            *juice_report_get_prefix    (JuiceReport              *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JuiceReport, juice_report_free)

G_END_DECLS
