/* juice-json.h: reading values the way devices send them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * src/core/base: what every other folder of the core uses and that knows
 * nothing of EcoFlow's transports. juice-json.h reads values the way
 * devices send them, within limits (size, depth, ranges); juice-error.h holds
 * the device error domain that profiles/ and model/ share;
 * juice-secure-util.h wipes secrets and says which hosts are this computer
 * (plain text goes only there). Depends on GLib and json-glib only.
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Devices send numbers as integers, floats or numeric strings ("87"). */
gboolean  juice_json_node_get_int     (JsonNode    *node,
                                       gint64      *value);
gboolean  juice_json_node_get_double  (JsonNode    *node,
                                       double      *value);
/* Strict readings for values whose type is known: a number or a numeric
 * string, never a boolean. get_exact_int also refuses a fraction (12.5) and
 * anything outside int64; it accepts 100.0 and "87". */
gboolean  juice_json_node_get_number  (JsonNode    *node,
                                       double      *value);
gboolean  juice_json_node_get_exact_int (JsonNode  *node,
                                       gint64      *value);
/* The value as juice-ctl prints it: numbers as JSON writes them, strings as
 * they are, arrays and objects as compact JSON. */
char     *juice_json_node_to_text     (JsonNode    *node);
/* How deep objects and arrays nest in @node (a scalar is 0). Stops counting
 * at @limit + 1. */
guint     juice_json_node_depth       (JsonNode    *node,
                                       guint        limit);
/* Parses @data into a node; refuses what is not JSON (RFC 8259, as
 * juice_json_scan() reads it), more than @max_length bytes and nesting
 * deeper than @max_depth (at most 256), whatever the size. An integer too large for int64
 * becomes a double of its value (json-glib alone would wrap it). */
JsonNode *juice_json_parse            (const char  *data,
                                       gssize       length,
                                       gsize        max_length,
                                       guint        max_depth,
                                       GError     **error);

G_END_DECLS
