/* juice-error.h: error domains shared by the core objects
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define JUICE_DEVICE_ERROR (juice_device_error_quark ())

typedef enum
{
  JUICE_DEVICE_ERROR_UNKNOWN_SETTING,
  JUICE_DEVICE_ERROR_INVALID_VALUE,   /* outside the profile's range or options */
  JUICE_DEVICE_ERROR_REFUSED,         /* the device answered ack != 0 */
  JUICE_DEVICE_ERROR_TIMEOUT,         /* no confirmation by readback in time */
  JUICE_DEVICE_ERROR_OFFLINE,
  JUICE_DEVICE_ERROR_NO_TRANSPORT,
  JUICE_DEVICE_ERROR_SUPERSEDED,      /* a newer change of the same setting replaced it */
  JUICE_DEVICE_ERROR_MALFORMED,       /* a report that is not a JSON object of values */
} JuiceDeviceError;

GQuark juice_device_error_quark (void);

G_END_DECLS
