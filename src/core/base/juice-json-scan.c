/* juice-json-scan.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "juice-json"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "juice-error.h"
#include "juice-json.h"
#include "juice-json-scan.h"

/* The recursion below is bounded by the depth limit; this bounds the limit. */
#define DEEPEST 256
#define NOT_RECORDED (-2)

typedef struct
{
  const char *p;
  const char *end;
  guint       max_depth;
  GArray     *members;
  const char *problem;  /* static text: what is wrong */
  gboolean    too_deep;
  gboolean    widen;    /* copy the input with ".0" after too large integers */
  const char *start;
  const char *copied;   /* the input up to here is in widened */
  GString    *widened;  /* made at the first too large integer */
} Scan;

static gboolean integer_overflows (const char *text,
                                   gsize       length);
static gboolean scan_value (Scan          *s,
                            guint          depth,
                            gint32         record_parent,
                            JuiceJsonKind *kind);

static inline void
skip_space (Scan *s)
{
  while (s->p < s->end && (*s->p == ' ' || *s->p == '\n' || *s->p == '\r' || *s->p == '\t'))
    s->p++;
}

static inline gboolean
fail (Scan       *s,
      const char *problem)
{
  if (s->problem == NULL)
    s->problem = problem;
  return FALSE;
}

static int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* Four hex digits at @p (the caller checked there are four bytes). */
static int
read_hex4 (const char *p)
{
  int v = 0;

  for (guint i = 0; i < 4; i++)
    {
      int d = hex_value (p[i]);

      if (d < 0)
        return -1;
      v = (v << 4) | d;
    }

  return v;
}

/* Bytes a string holds as they are: printable ASCII but the quote and
 * the backslash. */
static const gboolean plain_char[256] = {
  [0x20] = 1, [0x21] = 1, [0x23 ... 0x5B] = 1, [0x5D ... 0x7E] = 1,
};

/* At the opening quote; leaves s->p after the closing one. */
static gboolean
scan_string (Scan     *s,
             gboolean *escaped)
{
  const char *start = s->p + 1;
  const char *p = start;
  gboolean high = FALSE;

  *escaped = FALSE;

  while (p < s->end)
    {
      guchar c;

      /* Most of a string is plain ASCII: skip it a byte a step. */
      while (p < s->end && plain_char[(guchar) *p])
        p++;
      if (p >= s->end)
        break;
      c = (guchar) *p;

      if (c == '"')
        {
          if (high && !g_utf8_validate (start, p - start, NULL))
            return fail (s, "a string is not valid UTF-8");
          s->p = p + 1;
          return TRUE;
        }

      if (c < 0x20)
        return fail (s, "a control character in a string");

      if (c >= 0x80)
        {
          high = TRUE;
          p++;
          continue;
        }

      if (c != '\\')
        {
          p++;
          continue;
        }

      *escaped = TRUE;
      if (++p >= s->end)
        break;

      switch (*p)
        {
        case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
          p++;
          break;

        case 'u':
          {
            int unit;

            if (s->end - p < 5 || (unit = read_hex4 (p + 1)) < 0)
              return fail (s, "a \\u escape without four hex digits");
            p += 5;
            /* A surrogate comes in pairs: high, then low. */
            if (unit >= 0xDC00 && unit <= 0xDFFF)
              return fail (s, "a lone low surrogate");
            if (unit >= 0xD800 && unit <= 0xDBFF)
              {
                int low;

                if (s->end - p < 6 || p[0] != '\\' || p[1] != 'u' ||
                    (low = read_hex4 (p + 2)) < 0xDC00 || low > 0xDFFF)
                  return fail (s, "a lone high surrogate");
                p += 6;
              }
          }
          break;

        default:
          return fail (s, "an unknown escape in a string");
        }
    }

  return fail (s, "a string without its closing quote");
}

static gboolean
scan_number (Scan          *s,
             JuiceJsonKind *kind)
{
  const char *p = s->p;
  const char *end = s->end;

  *kind = JUICE_JSON_INTEGER;

  if (*p == '-')
    p++;

  if (p < end && *p == '0')
    p++;
  else if (p < end && *p >= '1' && *p <= '9')
    while (p < end && g_ascii_isdigit (*p))
      p++;
  else
    return fail (s, "a number without digits");

  if (p < end && *p == '.')
    {
      const char *digits = ++p;

      while (p < end && g_ascii_isdigit (*p))
        p++;
      if (p == digits)
        return fail (s, "a number without digits after its point");
      *kind = JUICE_JSON_DOUBLE;
    }

  if (p < end && (*p == 'e' || *p == 'E'))
    {
      const char *digits;

      p++;
      if (p < end && (*p == '+' || *p == '-'))
        p++;
      digits = p;
      while (p < end && g_ascii_isdigit (*p))
        p++;
      if (p == digits)
        return fail (s, "a number without digits in its exponent");
      *kind = JUICE_JSON_DOUBLE;
    }

  if (s->widen && *kind == JUICE_JSON_INTEGER && integer_overflows (s->p, p - s->p))
    {
      if (s->widened == NULL)
        s->widened = g_string_sized_new ((s->end - s->start) + 16);
      g_string_append_len (s->widened, s->copied, p - s->copied);
      g_string_append (s->widened, ".0");
      s->copied = p;
    }

  s->p = p;
  return TRUE;
}

static gboolean
scan_literal (Scan       *s,
              const char *word,
              gsize       length)
{
  if ((gsize) (s->end - s->p) < length || memcmp (s->p, word, length) != 0)
    return fail (s, "an unknown word");
  s->p += length;
  return TRUE;
}

/* The members of an object at @depth (the root object is 1); each is
 * recorded in s->members with @record_parent unless that is NOT_RECORDED. */
static gboolean
scan_object (Scan   *s,
             guint   depth,
             gint32  record_parent)
{
  s->p++;  /* { */
  skip_space (s);
  if (s->p < s->end && *s->p == '}')
    {
      s->p++;
      return TRUE;
    }

  for (;;)
    {
      const char *key;
      gboolean escaped;
      JuiceJsonKind kind;
      gint32 index = NOT_RECORDED;

      if (s->p >= s->end || *s->p != '"')
        return fail (s, "an object member without a quoted name");
      key = s->p + 1;
      if (!scan_string (s, &escaped))
        return FALSE;

      if (record_parent != NOT_RECORDED)
        {
          JuiceJsonMember member = { 0 };

          if (s->p - 1 - key > G_MAXINT32)
            return fail (s, "a name too long");
          member.key = key;
          member.key_length = (guint32) (s->p - 1 - key);
          member.key_escaped = escaped;
          member.parent = record_parent;
          index = (gint32) s->members->len;
          g_array_append_val (s->members, member);
        }

      skip_space (s);
      if (s->p >= s->end || *s->p != ':')
        return fail (s, "an object member without a colon");
      s->p++;
      skip_space (s);

      {
        const char *value = s->p;
        /* Members of the root's member objects are recorded too. */
        gint32 child_parent = (index != NOT_RECORDED && depth == 1) ? index : NOT_RECORDED;

        if (!scan_value (s, depth, child_parent, &kind))
          return FALSE;

        if (index != NOT_RECORDED)
          {
            JuiceJsonMember *member = &g_array_index (s->members, JuiceJsonMember, index);

            member->value = value;
            member->value_length = (guint32) (s->p - value);
            member->kind = kind;
          }
      }

      skip_space (s);
      if (s->p < s->end && *s->p == ',')
        {
          s->p++;
          skip_space (s);
          continue;
        }
      if (s->p < s->end && *s->p == '}')
        {
          s->p++;
          return TRUE;
        }
      return fail (s, "an object member not followed by a comma or a closing brace");
    }
}

static gboolean
scan_array (Scan  *s,
            guint  depth)
{
  s->p++;  /* [ */
  skip_space (s);
  if (s->p < s->end && *s->p == ']')
    {
      s->p++;
      return TRUE;
    }

  for (;;)
    {
      JuiceJsonKind kind;

      if (!scan_value (s, depth, NOT_RECORDED, &kind))
        return FALSE;
      skip_space (s);
      if (s->p < s->end && *s->p == ',')
        {
          s->p++;
          skip_space (s);
          continue;
        }
      if (s->p < s->end && *s->p == ']')
        {
          s->p++;
          return TRUE;
        }
      return fail (s, "an array element not followed by a comma or a closing bracket");
    }
}

/* A value inside @depth levels of objects and arrays; @record_parent as
 * for scan_object() when the value is an object. */
static gboolean
scan_value (Scan          *s,
            guint          depth,
            gint32         record_parent,
            JuiceJsonKind *kind)
{
  gboolean escaped;

  if (s->p >= s->end)
    return fail (s, "a value missing");

  switch (*s->p)
    {
    case '{':
    case '[':
      if (depth + 1 > s->max_depth)
        {
          s->too_deep = TRUE;
          return FALSE;
        }
      if (*s->p == '{')
        {
          *kind = JUICE_JSON_OBJECT;
          return scan_object (s, depth + 1, record_parent);
        }
      *kind = JUICE_JSON_ARRAY;
      return scan_array (s, depth + 1);

    case '"':
      *kind = JUICE_JSON_STRING;
      return scan_string (s, &escaped);

    case 't':
      *kind = JUICE_JSON_TRUE;
      return scan_literal (s, "true", 4);

    case 'f':
      *kind = JUICE_JSON_FALSE;
      return scan_literal (s, "false", 5);

    case 'n':
      *kind = JUICE_JSON_NULL;
      return scan_literal (s, "null", 4);

    case '-':
    case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9':
      return scan_number (s, kind);

    default:
      return fail (s, "an unexpected character");
    }
}

/* The whole document: @s holds what to record (members, widened). */
static gboolean
scan_document (Scan           *s,
               const char     *data,
               gsize           length,
               gsize           max_length,
               guint           max_depth,
               JuiceJsonKind  *root_kind,
               GError        **error)
{
  GArray *members = s->members;
  JuiceJsonKind kind = JUICE_JSON_NULL;

  if (members != NULL)
    g_array_set_size (members, 0);

  if (length > max_length)
    {
      g_set_error (error, JUICE_DEVICE_ERROR, JUICE_DEVICE_ERROR_MALFORMED,
                   "Message of %" G_GSIZE_FORMAT " bytes is larger than the %" G_GSIZE_FORMAT
                   " allowed", length, max_length);
      return FALSE;
    }

  s->p = s->start = s->copied = data;
  s->end = data + length;
  s->max_depth = MIN (max_depth, DEEPEST);

  skip_space (s);
  if (s->p == s->end)
    {
      g_set_error_literal (error, JUICE_DEVICE_ERROR, JUICE_DEVICE_ERROR_MALFORMED,
                           "Message is empty");
      return FALSE;
    }

  if (scan_value (s, 0, members != NULL ? -1 : NOT_RECORDED, &kind))
    {
      skip_space (s);
      if (s->p != s->end)
        fail (s, "more than one value");
    }
  else if (s->problem == NULL && !s->too_deep)
    fail (s, "a value missing");

  if (s->too_deep)
    {
      if (members != NULL)
        g_array_set_size (members, 0);
      g_set_error (error, JUICE_DEVICE_ERROR, JUICE_DEVICE_ERROR_MALFORMED,
                   "Message nests deeper than %u levels", max_depth);
      return FALSE;
    }

  if (s->problem != NULL)
    {
      if (members != NULL)
        g_array_set_size (members, 0);
      g_set_error (error, JUICE_DEVICE_ERROR, JUICE_DEVICE_ERROR_MALFORMED,
                   "Message is not valid JSON: %s at byte %" G_GSIZE_FORMAT,
                   s->problem, (gsize) (s->p - data));
      return FALSE;
    }

  if (root_kind != NULL)
    *root_kind = kind;
  return TRUE;
}

gboolean
juice_json_scan (const char     *data,
                 gsize           length,
                 gsize           max_length,
                 guint           max_depth,
                 GArray         *members,
                 JuiceJsonKind  *root_kind,
                 GError        **error)
{
  Scan s = { 0 };

  g_return_val_if_fail (data != NULL || length == 0, FALSE);
  g_return_val_if_fail (members != NULL, FALSE);
  g_return_val_if_fail (g_array_get_element_size (members) == sizeof (JuiceJsonMember), FALSE);

  s.members = members;
  return scan_document (&s, data, length, max_length, max_depth, root_kind, error);
}

gboolean
juice_json_check (const char  *data,
                  gsize        length,
                  gsize        max_length,
                  guint        max_depth,
                  GString    **widened,
                  GError     **error)
{
  Scan s = { 0 };

  g_return_val_if_fail (data != NULL || length == 0, FALSE);
  g_return_val_if_fail (widened != NULL && *widened == NULL, FALSE);

  s.widen = TRUE;
  if (!scan_document (&s, data, length, max_length, max_depth, NULL, error))
    {
      if (s.widened != NULL)
        g_string_free (s.widened, TRUE);
      return FALSE;
    }

  if (s.widened != NULL)
    g_string_append_len (s.widened, s.copied, s.end - s.copied);
  *widened = s.widened;
  return TRUE;
}

/* Appends the code point @c as UTF-8. */
static gboolean
append_unichar (char     **out,
                char      *limit,
                gunichar   c)
{
  char utf8[6];
  int n = g_unichar_to_utf8 (c, utf8);

  if (*out + n > limit)
    return FALSE;
  memcpy (*out, utf8, n);
  *out += n;
  return TRUE;
}

/* Unescapes a string the scan accepted into @buffer (@size bytes, NUL
 * included); returns the length written, or -1 when it does not fit. */
static gssize
unescape (const char *text,
          gsize       length,
          char       *buffer,
          gsize       size)
{
  const char *p = text;
  const char *end = text + length;
  char *out = buffer;
  char *limit = buffer + size - 1;

  if (size == 0)
    return -1;

  while (p < end)
    {
      if (*p != '\\')
        {
          if (out >= limit)
            return -1;
          *out++ = *p++;
          continue;
        }

      p++;
      switch (*p)
        {
        case 'b': case 'f': case 'n': case 'r': case 't':
          {
            static const char from[] = "bfnrt";
            static const char to[] = "\b\f\n\r\t";

            if (out >= limit)
              return -1;
            *out++ = to[strchr (from, *p) - from];
            p++;
          }
          break;

        case 'u':
          {
            gunichar c = (gunichar) read_hex4 (p + 1);

            p += 5;
            if (c >= 0xD800 && c <= 0xDBFF)
              {
                gunichar low = (gunichar) read_hex4 (p + 2);

                c = 0x10000 + ((c - 0xD800) << 10) + (low - 0xDC00);
                p += 6;
              }
            if (!append_unichar (&out, limit, c))
              return -1;
          }
          break;

        default:  /* " \ / */
          if (out >= limit)
            return -1;
          *out++ = *p++;
          break;
        }
    }

  *out = '\0';
  return out - buffer;
}

const char *
juice_json_member_key (const JuiceJsonMember *member,
                       char                  *buffer,
                       gsize                  size)
{
  gssize n;

  g_return_val_if_fail (member != NULL, NULL);
  g_return_val_if_fail (buffer != NULL, NULL);

  if (!member->key_escaped)
    {
      if (member->key_length >= size)
        return NULL;
      memcpy (buffer, member->key, member->key_length);
      buffer[member->key_length] = '\0';
      return buffer;
    }

  n = unescape (member->key, member->key_length, buffer, size);
  if (n < 0 || strlen (buffer) != (gsize) n)
    return NULL;
  return buffer;
}

/* An integer literal int64 cannot hold (json-glib would wrap it). */
static gboolean
integer_overflows (const char *text,
                   gsize       length)
{
  gboolean negative = text[0] == '-';
  const char *digits = negative ? text + 1 : text;
  gsize n = length - (negative ? 1 : 0);

  if (n != 19)
    return n > 19;
  return memcmp (digits, negative ? "9223372036854775808" : "9223372036854775807", 19) > 0;
}

static double
read_double (const char *text,
             gsize       length)
{
  char small[64];
  g_autofree char *large = NULL;
  const char *copy;

  if (length < sizeof small)
    {
      memcpy (small, text, length);
      small[length] = '\0';
      copy = small;
    }
  else
    copy = large = g_strndup (text, length);

  return g_ascii_strtod (copy, NULL);
}

static gint64
read_integer (const char *text,
              gsize       length)
{
  gboolean negative = text[0] == '-';
  guint64 v = 0;

  /* At most 19 digits that fit: no overflow on the way. */
  for (gsize i = negative ? 1 : 0; i < length; i++)
    v = v * 10 + (guint64) (text[i] - '0');

  return negative ? (gint64) (0 - v) : (gint64) v;
}

JsonNode *
juice_json_member_to_node (const JuiceJsonMember *member,
                           guint                  max_depth)
{
  JsonNode *node;

  g_return_val_if_fail (member != NULL, NULL);

  switch (member->kind)
    {
    case JUICE_JSON_NULL:
      return json_node_init_null (json_node_alloc ());

    case JUICE_JSON_FALSE:
    case JUICE_JSON_TRUE:
      return json_node_init_boolean (json_node_alloc (), member->kind == JUICE_JSON_TRUE);

    case JUICE_JSON_INTEGER:
      if (!integer_overflows (member->value, member->value_length))
        return json_node_init_int (json_node_alloc (),
                                   read_integer (member->value, member->value_length));
      G_GNUC_FALLTHROUGH;

    case JUICE_JSON_DOUBLE:
      return json_node_init_double (json_node_alloc (),
                                    read_double (member->value, member->value_length));

    case JUICE_JSON_STRING:
      {
        /* Unescaping never makes a string longer. */
        gsize size = member->value_length - 1;
        g_autofree char *text = g_malloc (size);

        unescape (member->value + 1, member->value_length - 2, text, size);
        node = json_node_alloc ();
        json_node_init_string (node, text);
        return node;
      }

    case JUICE_JSON_ARRAY:
    case JUICE_JSON_OBJECT:
    default:
      return juice_json_parse (member->value, member->value_length, G_MAXSIZE, max_depth, NULL);
    }
}
