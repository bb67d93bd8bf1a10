/* juice-transport.h: the seam between a JuiceDevice and the outside world
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define JUICE_TYPE_TRANSPORT (juice_transport_get_type ())

G_DECLARE_INTERFACE (JuiceTransport, juice_transport, JUICE, TRANSPORT, GObject)

struct _JuiceTransportInterface
{
  GTypeInterface parent_iface;

  /* Sends one command ({"cmdSet":32,"id":N,...}, or the operateType dialect
   * of juice-command-builder.h) to the device with
   * @serial_number. Completes when the device (or the cloud) accepted it:
   * TRUE for ack 0 / code "0", a JUICE_DEVICE_ERROR otherwise. Acceptance is
   * not confirmation: the device confirms by reporting the readback key. */
  void     (*send_command_async)  (JuiceTransport      *self,
                                   const char          *serial_number,
                                   JsonObject          *params,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data);
  gboolean (*send_command_finish) (JuiceTransport      *self,
                                   GAsyncResult        *result,
                                   GError             **error);

  /* Asks for a fresh value of @keys; the answer arrives as a report to the
   * device. @keys NULL asks for every value (quota/all; the simulator
   * publishes its whole state). Optional: transports whose devices report
   * on their own may leave it NULL. */
  void     (*request_quotas)      (JuiceTransport      *self,
                                   const char          *serial_number,
                                   const char * const  *keys);
};

void     juice_transport_send_command_async  (JuiceTransport      *self,
                                              const char          *serial_number,
                                              JsonObject          *params,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
gboolean juice_transport_send_command_finish (JuiceTransport      *self,
                                              GAsyncResult        *result,
                                              GError             **error);
void     juice_transport_request_quotas      (JuiceTransport      *self,
                                              const char          *serial_number,
                                              const char * const  *keys);

G_END_DECLS
