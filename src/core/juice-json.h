/* juice-json.h: reading values the way devices send them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Devices send numbers as integers, floats or numeric strings ("87"). */
gboolean  juice_json_node_get_int     (JsonNode    *node,
                                       gint64      *value);
gboolean  juice_json_node_get_double  (JsonNode    *node,
                                       double      *value);
/* The value as juice-ctl prints it: numbers as JSON writes them, strings as
 * they are, arrays and objects as compact JSON. */
char     *juice_json_node_to_text     (JsonNode    *node);
/* How deep objects and arrays nest in @node (a scalar is 0). Stops counting
 * at @limit + 1. */
guint     juice_json_node_depth       (JsonNode    *node,
                                       guint        limit);
/* Parses @data into a node; refuses more than @max_length bytes and nesting
 * deeper than @max_depth. */
JsonNode *juice_json_parse            (const char  *data,
                                       gssize       length,
                                       gsize        max_length,
                                       guint        max_depth,
                                       GError     **error);

G_END_DECLS
