/* juice-application-private.h: what the application's files share
 *
 * juice-application.c is the application: start-up, the demo, the account,
 * the actions; juice-application-background.c is how it lives beside the
 * desktop: the tray, notifications, running in the background and at login.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "juice-account.h"
#include "juice-application.h"
#include "juice-history.h"
#include "juice-notifier.h"
#include "juice-sim-device.h"
#include "juice-tray.h"
#include "juice-window.h"

G_BEGIN_DECLS

struct _JuiceApplication
{
  AdwApplication  parent_instance;

  /* owned references */
  GSettings      *settings;
  JuiceSimDevice *sim;
  JuiceDevice    *demo_device;
  GListStore     *demo_devices;
  /* Demo of a second product (DELTA 2) */
  JuiceSimDevice *sim_delta_2;
  JuiceDevice    *demo_delta_2;
  JuiceAccount   *account;
  GCancellable   *cancellable;
  char           *api_host;     /* --api-host, else the setting */
  char           *ca_file;      /* --ca-file, else the setting */
  JuiceHistory   *history;      /* records every device seen, window or not */

  /* state */
  gboolean        demo;

  /* Tray, notifications, background (issue 11) */
  JuiceTray      *tray;
  JuiceNotifier  *notifier;
  gboolean        start_in_background;  /* --background: no window at the first activation */
  gboolean        held;                 /* "run-in-background" holds the application */
};

void _juice_application_background_startup      (JuiceApplication *self);
void _juice_application_background_window_added (JuiceApplication *self,
                                                  JuiceWindow      *window);

G_END_DECLS
