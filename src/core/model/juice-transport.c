/* juice-transport.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "juice-transport"

#include "juice-transport.h"

G_DEFINE_INTERFACE (JuiceTransport, juice_transport, G_TYPE_OBJECT)

static void
juice_transport_default_init (JuiceTransportInterface *iface)
{
}

void
juice_transport_send_command_async (JuiceTransport      *self,
                                    const char          *serial_number,
                                    JsonObject          *params,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_return_if_fail (JUICE_IS_TRANSPORT (self));
  g_return_if_fail (serial_number != NULL);
  g_return_if_fail (params != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  JUICE_TRANSPORT_GET_IFACE (self)->send_command_async (self, serial_number, params,
                                                        cancellable, callback, user_data);
}

gboolean
juice_transport_send_command_finish (JuiceTransport  *self,
                                     GAsyncResult    *result,
                                     GError         **error)
{
  g_return_val_if_fail (JUICE_IS_TRANSPORT (self), FALSE);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), FALSE);

  return JUICE_TRANSPORT_GET_IFACE (self)->send_command_finish (self, result, error);
}

void
juice_transport_request_quotas (JuiceTransport     *self,
                                const char         *serial_number,
                                const char * const *keys)
{
  JuiceTransportInterface *iface;

  g_return_if_fail (JUICE_IS_TRANSPORT (self));
  g_return_if_fail (serial_number != NULL);

  iface = JUICE_TRANSPORT_GET_IFACE (self);
  if (iface->request_quotas != NULL)
    iface->request_quotas (self, serial_number, keys);
}
