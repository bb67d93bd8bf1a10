/* juice-cloud-error.h: errors of the EcoFlow cloud and of the way to it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define JUICE_CLOUD_ERROR (juice_cloud_error_quark ())

/* The codes EcoFlow's service answers keep their numbers; failures on the
 * way to it have small numbers of their own. */
typedef enum
{
  JUICE_CLOUD_ERROR_API_UNKNOWN       = 1,     /* a code not listed here */
  JUICE_CLOUD_ERROR_TLS               = 2,     /* certificate not trusted, handshake failed */
  JUICE_CLOUD_ERROR_DNS               = 3,     /* host name not found */
  JUICE_CLOUD_ERROR_NETWORK           = 4,     /* connection refused, reset, unreachable */
  JUICE_CLOUD_ERROR_TIMEOUT           = 5,
  JUICE_CLOUD_ERROR_HTTP_STATUS       = 6,     /* a status other than 2xx */
  JUICE_CLOUD_ERROR_MALFORMED         = 7,     /* not JSON, wrong types, too large or deep */
  JUICE_CLOUD_ERROR_NO_DATA           = 8,     /* code "0" but no usable data */
  JUICE_CLOUD_ERROR_INVALID_URL       = 9,     /* not https, or http to a non-loopback host */
  JUICE_CLOUD_ERROR_NO_CREDENTIALS    = 10,

  JUICE_CLOUD_ERROR_SERVER            = 1000,  /* server error */
  JUICE_CLOUD_ERROR_DEVICE_NOT_ALLOWED = 1006,
  JUICE_CLOUD_ERROR_REQUEST_FAILED    = 1008,  /* bad parameters, or the device is offline */
  JUICE_CLOUD_ERROR_NO_PERMISSION     = 8512,
  JUICE_CLOUD_ERROR_ACCESS_KEY_INVALID = 8513, /* wrong key, or the wrong region's host */
  JUICE_CLOUD_ERROR_SIGNATURE         = 8521,  /* signature is wrong, often a stale clock */
} JuiceCloudError;

GQuark    juice_cloud_error_quark         (void);

GError   *juice_cloud_error_new_from_api  (const char   *code,
                                           const char   *message,
                                           const char   *host);
char     *juice_cloud_error_sanitize_text (const char   *text,
                                           gsize         max_chars);
gboolean  juice_cloud_error_is_auth       (const GError *error);

G_END_DECLS
