/* juice-tls-database.h: the system's trusted CAs plus one extra CA file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define JUICE_TYPE_TLS_DATABASE (juice_tls_database_get_type ())

G_DECLARE_FINAL_TYPE (JuiceTlsDatabase, juice_tls_database, JUICE, TLS_DATABASE, GTlsDatabase)

GTlsDatabase *juice_tls_database_new      (const char    *ca_file,
                                           GError       **error);
GTlsDatabase *juice_tls_database_new_full (GTlsDatabase  *base,
                                           const char    *ca_file,
                                           GError       **error);

G_END_DECLS
