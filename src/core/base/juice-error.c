/* juice-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "juice-error.h"

G_DEFINE_QUARK (juice-device-error-quark, juice_device_error)
