/* juice-quota-format.h: a quota value as a person reads it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "juice-device-profile.h"

G_BEGIN_DECLS

/* A value the way the profile says to read it:
 *  - numbers scaled to their unit ("50.13 V"), energy and charge in the unit
 *    that reads best ("130 kWh", "42.2 Ah"),
 *  - durations in days, hours and minutes ("31 d 20 h", "11 h to full"),
 *  - enums and switches by name ("Quiet", "On"), special values by meaning
 *    ("Never", "Automatic", "Not set"),
 *  - bit fields as the names of their set bits or "None", error codes as
 *    "None" or the code in decimal and hex, versions as "1.2.2.148",
 *  - arrays of numbers element by element, arrays of character codes as text.
 * Values of keys no profile knows (@info NULL) and values of the wrong type
 * come out as the device sent them; numbers the profile has no name for come
 * out as "Unknown (7)". */
char *juice_quota_format_node     (const JuiceQuotaInfo *info,
                                   JsonNode             *node);
/* One number of @info, raw as the device sends it. */
char *juice_quota_format_value    (const JuiceQuotaInfo *info,
                                   double                raw);

/* "31 d 20 h", "2 h 5 min", "45 s": the two largest units; with @precise,
 * every unit that is not zero ("4 d 3 h 59 min"). Negative spans get a "-". */
char *juice_format_duration       (gint64                seconds,
                                   gboolean              precise);

G_END_DECLS
