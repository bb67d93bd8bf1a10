/* fuzz-status.c: a message on a device's /status, as JuiceAccount reads it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "juice-account-private.h"

#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  gint64 status = G_MININT64, again = G_MAXINT64;
  gboolean ok;

  fuzz_init_once ();

  ok = _juice_account_parse_status ((const char *) data, size, &status);
  /* The same bytes read the same way. */
  g_assert_true (ok == _juice_account_parse_status ((const char *) data, size, &again));
  if (ok)
    g_assert_cmpint (status, ==, again);

  return 0;
}
