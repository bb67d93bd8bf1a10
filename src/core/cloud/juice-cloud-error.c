/* juice-cloud-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "juice-cloud"

#include <glib/gi18n.h>

#include "juice-cloud-error.h"

G_DEFINE_QUARK (juice-cloud-error-quark, juice_cloud_error)

/**
 * juice_cloud_error_sanitize_text:
 * @text: (nullable): text that came from the network
 * @max_chars: how many characters to keep
 *
 * Makes untrusted text safe to show in a terminal or a label: invalid UTF-8
 * and control characters (escape sequences included) become U+FFFD, and the
 * text is cut to @max_chars characters with an ellipsis.
 *
 * Returns: (transfer full): the cleaned text, "" for %NULL
 */
char *
juice_cloud_error_sanitize_text (const char *text,
                                 gsize       max_chars)
{
  g_autofree char *valid = NULL;
  GString *out;
  gsize n_chars = 0;

  if (text == NULL)
    return g_strdup ("");

  valid = g_utf8_make_valid (text, -1);
  out = g_string_new (NULL);

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (n_chars == max_chars)
        {
          g_string_append (out, "…");
          break;
        }

      if (g_unichar_iscntrl (c) || c == 0x2028 || c == 0x2029)
        c = 0xFFFD;
      g_string_append_unichar (out, c);
      n_chars++;
    }

  return g_string_free (out, FALSE);
}

/**
 * juice_cloud_error_new_from_api:
 * @code: the envelope's "code" (not "0")
 * @message: (nullable): the envelope's "message"
 * @host: (nullable): the API host asked, named in the 8513 message
 *
 * Returns: (transfer full): an error in the %JUICE_CLOUD_ERROR domain whose
 *   message names EcoFlow's code and text and says what to do.
 */
GError *
juice_cloud_error_new_from_api (const char *code,
                                const char *message,
                                const char *host)
{
  g_autofree char *safe_code = juice_cloud_error_sanitize_text (code, 16);
  g_autofree char *safe_message = juice_cloud_error_sanitize_text (message, 200);
  g_autofree char *quoted = NULL;
  gint64 number = -1;

  if (code != NULL && !g_ascii_string_to_signed (code, 10, 0, G_MAXINT, &number, NULL))
    number = -1;

  /* "(8513 “accessKey is invalid”)": EcoFlow's own words, for searching. */
  if (safe_message[0] != '\0')
    quoted = g_strdup_printf ("%s “%s”", safe_code, safe_message);
  else
    quoted = g_strdup (safe_code);

  switch (number)
    {
    case JUICE_CLOUD_ERROR_SIGNATURE:
      return g_error_new (JUICE_CLOUD_ERROR, JUICE_CLOUD_ERROR_SIGNATURE,
                          _("EcoFlow refused the request’s signature (%s). Check the secret "
                            "key, and that this computer’s clock is right."),
                          quoted);

    case JUICE_CLOUD_ERROR_ACCESS_KEY_INVALID:
      return g_error_new (JUICE_CLOUD_ERROR, JUICE_CLOUD_ERROR_ACCESS_KEY_INVALID,
                          _("EcoFlow does not accept this access key at %s (%s). Check the "
                            "key, and that the API host is the one of your account’s region: "
                            "Europe is api-e.ecoflow.com, the Americas api-a.ecoflow.com."),
                          host != NULL ? host : _("this API host"), quoted);

    case JUICE_CLOUD_ERROR_NO_PERMISSION:
      return g_error_new (JUICE_CLOUD_ERROR, JUICE_CLOUD_ERROR_NO_PERMISSION,
                          _("These keys have no permission for this request (%s). Check that "
                            "your EcoFlow developer account is approved for the IoT Open API."),
                          quoted);

    case JUICE_CLOUD_ERROR_DEVICE_NOT_ALLOWED:
      return g_error_new (JUICE_CLOUD_ERROR, JUICE_CLOUD_ERROR_DEVICE_NOT_ALLOWED,
                          _("EcoFlow does not allow this device for these keys (%s). Check the "
                            "serial number, and that the device is bound to your account."),
                          quoted);

    case JUICE_CLOUD_ERROR_REQUEST_FAILED:
      return g_error_new (JUICE_CLOUD_ERROR, JUICE_CLOUD_ERROR_REQUEST_FAILED,
                          _("EcoFlow could not carry out the request (%s). The device may be "
                            "offline, or it refused a parameter."),
                          quoted);

    case JUICE_CLOUD_ERROR_SERVER:
      return g_error_new (JUICE_CLOUD_ERROR, JUICE_CLOUD_ERROR_SERVER,
                          _("EcoFlow’s server had an error (%s). Try again later."),
                          quoted);

    default:
      return g_error_new (JUICE_CLOUD_ERROR, JUICE_CLOUD_ERROR_API_UNKNOWN,
                          _("EcoFlow answered with an error (%s)."),
                          quoted);
    }
}

/**
 * juice_cloud_error_is_auth:
 *
 * Returns: whether @error means the keys, the clock or the region must be
 *   fixed by a person: retrying cannot help.
 */
gboolean
juice_cloud_error_is_auth (const GError *error)
{
  return error != NULL &&
         error->domain == JUICE_CLOUD_ERROR &&
         (error->code == JUICE_CLOUD_ERROR_SIGNATURE ||
          error->code == JUICE_CLOUD_ERROR_ACCESS_KEY_INVALID ||
          error->code == JUICE_CLOUD_ERROR_NO_PERMISSION ||
          error->code == JUICE_CLOUD_ERROR_NO_CREDENTIALS);
}
