/* tray-util.h: what the tray and notification tests share: a GApplication
 * on the session bus and a simulated DELTA Pro in process
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "juice-device.h"
#include "juice-sim-device.h"

G_BEGIN_DECLS

#define TRAY_WAIT_TIMEOUT_S 30

/* Turns the default main context until @condition holds; fails the test,
 * naming it, after TRAY_WAIT_TIMEOUT_S. */
#define TRAY_WAIT_UNTIL(condition)                                                    \
  G_STMT_START {                                                                      \
    gint64 tray_wait_end_ = g_get_monotonic_time () + TRAY_WAIT_TIMEOUT_S * G_USEC_PER_SEC; \
    while (!(condition))                                                              \
      {                                                                               \
        if (g_get_monotonic_time () > tray_wait_end_)                                 \
          g_error ("%s:%d: timed out waiting for %s", __FILE__, __LINE__, #condition); \
        tray_util_iterate ();                                                         \
      }                                                                               \
  } G_STMT_END

typedef struct
{
  GApplication   *app;
  JuiceSimDevice *sim;
  JuiceDevice    *device;
  GListStore     *devices;
} TrayFixture;

/* Registers a GApplication of @app_id on the session bus (NULL when there is
 * no session bus: the test should skip), and a sim attached to a device
 * named "Cabin", reporting only when stepped. */
TrayFixture     *tray_fixture_new      (const char  *app_id);
void             tray_fixture_free     (TrayFixture *fixture);
/* Sets the sim's charge and lets the device see it. */
void             tray_fixture_set_soc  (TrayFixture *fixture,
                                        int          soc);
/* A second connection to the session bus, as another process has. */
GDBusConnection *tray_util_connect     (void);
/* One turn of the main loop; returns at the latest after 100 ms. */
void             tray_util_iterate     (void);
/* Calls synchronously (the caller's main loop still turns: the reply may
 * need this process to answer). */
GVariant        *tray_util_call        (GDBusConnection *connection,
                                        const char      *bus_name,
                                        const char      *path,
                                        const char      *interface,
                                        const char      *method,
                                        GVariant        *parameters,
                                        const char      *reply_type);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TrayFixture, tray_fixture_free)

G_END_DECLS
