/* juice-secure-util.h: two rules that keep secrets safe, kept in one place
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The cloud client (cloud/), the MQTT link (mqtt/) and the keyring code
 * (cloud/juice-credentials.c) all hold keys and passwords and all refuse to
 * send them in clear text except to this computer: they share these two
 * helpers instead of each keeping a copy.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Overwrites *@str with zeros, frees it and sets it to NULL (NULL is fine). */
void     juice_wipe_string       (char       **str);

/* TRUE when @host names this computer: "localhost" (any case), an IPv4
 * address in 127.0.0.0/8 or the IPv6 address ::1. Names that only look
 * like one ("127.example.com", "localhost.example.com") are not. */
gboolean juice_host_is_loopback  (const char  *host);

G_END_DECLS
