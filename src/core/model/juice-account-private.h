/* juice-account-private.h: JuiceAccount's message readers, for tests and fuzzers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "juice-account.h"

G_BEGIN_DECLS

/* Reads a device's /status message ({"params":{"status":1}}) as JuiceAccount
 * does: TRUE with @status set, or FALSE when it is not a status message. */
gboolean _juice_account_parse_status (const char *data,
                                      gsize       length,
                                      gint64     *status);

G_END_DECLS
