/* juice-json-scan.h: one strict pass over a JSON document, without a tree
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Device reports are flat objects of a few hundred scalars that mostly repeat
 * what the last report said. juice_json_scan() checks a whole document
 * against RFC 8259 (UTF-8, escapes, numbers, one value, nesting at most
 * @max_depth, at most @max_length bytes) and lists the members of the root
 * object and of the objects directly inside it as spans of the input, so a
 * reader can compare a value's text with what it stored before and build a
 * JsonNode only for what changed. juice_json_check() checks the same way
 * without listing: juice_json_parse() lets json-glib see nothing it has not
 * accepted.
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum
{
  JUICE_JSON_NULL,
  JUICE_JSON_FALSE,
  JUICE_JSON_TRUE,
  JUICE_JSON_INTEGER,  /* no fraction, no exponent */
  JUICE_JSON_DOUBLE,
  JUICE_JSON_STRING,
  JUICE_JSON_ARRAY,
  JUICE_JSON_OBJECT,
} JuiceJsonKind;

typedef struct
{
  const char    *key;          /* between the quotes, escapes as written */
  const char    *value;        /* the whole value as written: quotes, brackets */
  guint32        key_length;
  guint32        value_length;
  gint32         parent;       /* index of the member holding this one, -1 at the root */
  JuiceJsonKind  kind : 8;
  guint          key_escaped : 1;
} JuiceJsonMember;

/* Fills @members (of JuiceJsonMember) with the root object's members and
 * the members of objects that are their values, in document order; sets
 * @root_kind. Returns FALSE with a JUICE_DEVICE_ERROR_MALFORMED error (and
 * @members emptied) when @data is not one valid JSON value within limits. */
gboolean  juice_json_scan              (const char            *data,
                                        gsize                  length,
                                        gsize                  max_length,
                                        guint                  max_depth,
                                        GArray                *members,
                                        JuiceJsonKind         *root_kind,
                                        GError               **error);
/* The member's key, unescaped and NUL-terminated, in @buffer of @size
 * bytes; NULL when it does not fit (or holds U+0000). */
/* Checks as juice_json_scan() does. Sets *@widened to a copy of @data with
 * ".0" after each integer int64 cannot hold (json-glib would wrap it), or to
 * NULL when there is none. */
gboolean  juice_json_check             (const char            *data,
                                        gsize                  length,
                                        gsize                  max_length,
                                        guint                  max_depth,
                                        GString              **widened,
                                        GError               **error);
const char *juice_json_member_key      (const JuiceJsonMember *member,
                                        char                  *buffer,
                                        gsize                  size);
/* A new node holding the member's value (arrays and objects through
 * json-glib, within @max_depth). An integer too large for int64 becomes a
 * double of its value, as juice_json_parse() reads it. */
JsonNode   *juice_json_member_to_node  (const JuiceJsonMember *member,
                                        guint                  max_depth);

G_END_DECLS
