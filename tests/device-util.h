/* device-util.h: what the device tests share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "juice-device.h"

G_BEGIN_DECLS

/* Where an async call's result lands while the test turns the main loop. */
typedef struct
{
  GError  *error;
  gboolean done;
  gboolean ok;
} SetResult;

/* A GAsyncReadyCallback for juice_device_set_async() into a SetResult. */
void     device_util_set_cb       (GObject                *object,
                                   GAsyncResult           *result,
                                   gpointer                user_data);
/* Sets @setting and turns the main loop until the device confirmed or not. */
gboolean device_util_set_and_wait (JuiceDevice            *device,
                                   const char             *setting,
                                   gint64                  value,
                                   GError                **error);
/* A valid value of @setting that differs from @current. */
gint64   device_util_other_value  (const JuiceSettingInfo *setting,
                                   gint64                  current);

G_END_DECLS
