/* juice-application.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "juice-account.h"
#include "juice-device.h"
#include "juice-history.h"

G_BEGIN_DECLS

#define JUICE_TYPE_APPLICATION (juice_application_get_type ())

G_DECLARE_FINAL_TYPE (JuiceApplication, juice_application, JUICE, APPLICATION, AdwApplication)

JuiceApplication *juice_application_new              (void);
JuiceDevice      *juice_application_get_demo_device  (JuiceApplication *self);
JuiceAccount     *juice_application_get_account      (JuiceApplication *self);
/* History (issue 10): the store that records every device seen, or NULL
 * when none could be opened. */
JuiceHistory     *juice_application_get_history      (JuiceApplication *self);

G_END_DECLS
