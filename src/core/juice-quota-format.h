/* juice-quota-format.h: a quota value as a person reads it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "juice-device-profile.h"

G_BEGIN_DECLS

/* "50.06 V", "Quiet", "3.337 V, 3.338 V, …" for arrays of numbers; values of
 * keys no profile knows (@info NULL) and values of the wrong type come out as
 * the device sent them. */
char *juice_quota_format_node (const JuiceQuotaInfo *info,
                               JsonNode             *node);

G_END_DECLS
