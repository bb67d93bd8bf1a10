/* juice-window-private.h: what the window's files share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "juice-device-page.h"
#include "juice-history.h"
#include "juice-values-page.h"
#include "juice-window.h"

G_BEGIN_DECLS

struct _JuiceWindow
{
  AdwApplicationWindow  parent_instance;

  /* template widgets */
  AdwToastOverlay      *toast_overlay;
  JuiceDevicePage      *device_page;
  JuiceValuesPage      *values_page;
  AdwViewStack         *view_stack;
  AdwLeaflet           *leaflet;
  GtkListBox           *device_list;
  GtkWidget            *content;
  GtkStack             *main_stack;
  AdwToastOverlay      *window_toast_overlay;
  AdwStatusPage        *welcome_page;
  AdwStatusPage        *loading_page;
  GtkSpinner           *loading_spinner;

  /* owned references */
  JuiceDevice          *device;
  GListModel           *devices;
  GSettings            *settings;
  char                 *link_state;
  JuiceHistory         *history;             /* issue 10: charts and export */
  GCancellable         *export_cancellable;  /* while a CSV is being written */
};


void _juice_window_export_history_action (GtkWidget  *widget,
                                          const char *action_name,
                                          GVariant   *parameter);

G_END_DECLS
