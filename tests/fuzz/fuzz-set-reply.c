/* fuzz-set-reply.c: a message on /set_reply, as JuiceMqtt reads it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <string.h>

#include "juice-mqtt-private.h"

#include "fuzz-common.h"

#define REPLY_TOPIC "/open/fuzz/DCABZ8ZE9999999/set_reply"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static JuiceMqtt *mqtt = NULL;
  g_auto(JuiceMqttReply) reply = { NULL, };
  g_autoptr(GBytes) payload = NULL;
  guint unmatched;

  fuzz_init_once ();
  if (mqtt == NULL)
    mqtt = juice_mqtt_new ("localhost", 8883, "fuzz");

  if (_juice_mqtt_parse_reply ((const char *) data, size, &reply))
    {
      g_assert_nonnull (reply.id);
      g_assert_cmpuint (strlen (reply.id), >, 0);
      g_assert_cmpuint (strlen (reply.id), <=, 64);
      g_assert_true (g_utf8_validate (reply.id, -1, NULL));
      if (!reply.has_code)
        g_assert_cmpint (reply.code, ==, 0);
      if (!reply.has_ack)
        g_assert_cmpint (reply.ack, ==, 0);
    }
  else
    g_assert_null (reply.id);

  /* No command is pending: whatever came is counted as unmatched. */
  payload = g_bytes_new (data, size);
  unmatched = mqtt->n_unmatched_replies;
  _juice_mqtt_handle_reply (mqtt, REPLY_TOPIC, payload);
  g_assert_cmpuint (mqtt->n_unmatched_replies, ==, unmatched + 1);

  return 0;
}
