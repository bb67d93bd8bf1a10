/* juice-sign.h: signing requests to the EcoFlow IoT Open API
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Parameters that nest deeper than this are refused (NULL). */
#define JUICE_SIGN_MAX_DEPTH 32

char *juice_sign_flatten      (JsonNode    *params,
                               GHashTable  *query);
char *juice_sign_build_string (JsonNode    *params,
                               GHashTable  *query,
                               const char  *access_key,
                               const char  *nonce,
                               const char  *timestamp);
char *juice_sign_compute      (const char  *secret_key,
                               const char  *string);
char *juice_sign_new_nonce    (void);
char *juice_sign_new_timestamp (void);

G_END_DECLS
