/* juice-report-decoder.h: device reports in each product's shape
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A DELTA Pro's /quota message is {"params":{"pd.soc":46,...}}: flat dotted
 * keys as quota/all gives them. A DELTA 2's comes in groups,
 * {"typeCode":"pdStatus","params":{"soc":46,...}}, whose keys take the
 * prefix the profile maps the group to ("pd."). Both decode to flat keys.
 */

#pragma once

#include <json-glib/json-glib.h>

#include "juice-device-profile.h"

G_BEGIN_DECLS

/* The flat report @root carries (a parsed /quota message): its "params",
 * prefixed when it names a typeCode. A group the profile does not know
 * (or no profile) takes "<typeCode>." so that nothing is lost. Returns a new
 * reference (not always an object: callers check), or NULL when @root is not
 * an object or its typeCode is not a short string. */
JsonNode  *juice_report_decode        (const JuiceDeviceProfile *profile,
                                       JsonNode                 *root);

/* The prefix the keys of group @type_code take: the profile's ("pd."), or
 * "<typeCode>." for a group it does not know. Free with g_free(). */
char      *juice_report_group_prefix  (const JuiceDeviceProfile *profile,
                                       const char               *type_code);

/* The inverse, for the simulator: @flat's keys split into one message per
 * group of @profile ({"typeCode","params"}), or one {"params"} message of
 * flat keys for a profile without groups. Keys of no group go into a flat
 * message of their own. Returns an array of JsonObject. */
GPtrArray *juice_report_encode        (const JuiceDeviceProfile *profile,
                                       JsonObject               *flat);

G_END_DECLS
