/* juice-credentials.h: EcoFlow API keys in the keyring
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <libsecret/secret.h>

G_BEGIN_DECLS

#define JUICE_CREDENTIALS_SCHEMA_NAME "io.github.juicepower.Juice.Credentials"

/* A pair of keys. The secret key is wiped from memory when freed. */
typedef struct
{
  char *access_key;
  char *secret_key;
} JuiceCredentials;

JuiceCredentials   *juice_credentials_new           (const char          *access_key,
                                                     const char          *secret_key);
void                juice_credentials_free          (JuiceCredentials    *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JuiceCredentials, juice_credentials_free)

const SecretSchema *juice_credentials_get_schema    (void);

/* Stores the keys for @api_host, replacing the keys stored for it before.
 * The new item is stored before the older ones are removed: when storing
 * fails (or is cancelled), the keys stored before are still there. */
void                juice_credentials_store_async   (const char          *api_host,
                                                     const JuiceCredentials *credentials,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
gboolean            juice_credentials_store_finish  (GAsyncResult        *result,
                                                     GError             **error);
gboolean            juice_credentials_store_sync    (const char          *api_host,
                                                     const JuiceCredentials *credentials,
                                                     GCancellable        *cancellable,
                                                     GError             **error);

/* The keys stored for @api_host: NULL without an error when there are none. */
void                juice_credentials_lookup_async  (const char          *api_host,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
JuiceCredentials   *juice_credentials_lookup_finish (GAsyncResult        *result,
                                                     GError             **error);
JuiceCredentials   *juice_credentials_lookup_sync   (const char          *api_host,
                                                     GCancellable        *cancellable,
                                                     GError             **error);

/* Removes the keys stored for @api_host. FALSE without an error when there
 * were none. */
void                juice_credentials_clear_async   (const char          *api_host,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
gboolean            juice_credentials_clear_finish  (GAsyncResult        *result,
                                                     GError             **error);
gboolean            juice_credentials_clear_sync    (const char          *api_host,
                                                     GCancellable        *cancellable,
                                                     GError             **error);

G_END_DECLS
