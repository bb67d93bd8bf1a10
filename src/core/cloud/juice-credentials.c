/* juice-credentials.c: EcoFlow API keys in the keyring
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One keyring item per API host: attributes "api-host" (the normalized base
 * URL) and "access-key", the secret being the secret key. The keys live
 * nowhere else (DESIGN.md §7).
 */

#define G_LOG_DOMAIN "juice-credentials"

#include <string.h>

#include <glib/gi18n.h>

#include "juice-credentials.h"
#include "juice-secure-util.h"

JuiceCredentials *
juice_credentials_new (const char *access_key,
                       const char *secret_key)
{
  JuiceCredentials *self;

  g_return_val_if_fail (access_key != NULL, NULL);
  g_return_val_if_fail (secret_key != NULL, NULL);

  self = g_new0 (JuiceCredentials, 1);
  self->access_key = g_strdup (access_key);
  self->secret_key = g_strdup (secret_key);

  return self;
}

void
juice_credentials_free (JuiceCredentials *self)
{
  if (self == NULL)
    return;

  juice_wipe_string (&self->access_key);
  juice_wipe_string (&self->secret_key);
  g_free (self);
}

const SecretSchema *
juice_credentials_get_schema (void)
{
  static const SecretSchema schema = {
    JUICE_CREDENTIALS_SCHEMA_NAME,
    SECRET_SCHEMA_NONE,
    {
      { "api-host", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "access-key", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
  };

  return &schema;
}

static char *
make_label (const char *api_host)
{
  /* Shown in Seahorse; it names the host, never a key. */
  return g_strdup_printf (_("EcoFlow API keys for %s"), api_host);
}

/* The newest of the items found, or NULL. */
static SecretRetrievable *
pick_newest (GList *items)
{
  SecretRetrievable *newest = NULL;

  for (GList *l = items; l != NULL; l = l->next)
    {
      SecretRetrievable *item = l->data;

      if (newest == NULL ||
          secret_retrievable_get_modified (item) > secret_retrievable_get_modified (newest))
        newest = item;
    }

  return newest;
}

static JuiceCredentials *
credentials_from_item (SecretRetrievable  *item,
                       SecretValue        *value,
                       GError            **error)
{
  g_autoptr(GHashTable) attributes = secret_retrievable_get_attributes (item);
  const char *access_key = g_hash_table_lookup (attributes, "access-key");
  const char *secret_key = value != NULL ? secret_value_get_text (value) : NULL;

  if (access_key == NULL || access_key[0] == '\0' || secret_key == NULL || secret_key[0] == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("The keyring item for the EcoFlow keys is damaged; log in again."));
      return NULL;
    }

  return juice_credentials_new (access_key, secret_key);
}

/* Store
 *
 * The new item is stored first and the stale ones (older access keys for the
 * same host) are removed after: a store that fails leaves the working keys
 * where they were. */

typedef struct
{
  char             *api_host;
  JuiceCredentials *credentials;
  guint             pending;     /* stale items still being removed */
} StoreData;

static void
store_data_free (StoreData *data)
{
  g_free (data->api_host);
  juice_credentials_free (data->credentials);
  g_free (data);
}

/* The access keys of the items stored for @api_host other than @keep. */
static GPtrArray *
stale_access_keys (GList      *items,
                   const char *keep)
{
  GPtrArray *stale = g_ptr_array_new_with_free_func (g_free);

  for (GList *l = items; l != NULL; l = l->next)
    {
      g_autoptr(GHashTable) attributes = secret_retrievable_get_attributes (l->data);
      const char *access_key = g_hash_table_lookup (attributes, "access-key");

      /* an item without an access key cannot be told apart: lookups refuse it */
      if (access_key == NULL || g_str_equal (access_key, keep) ||
          g_ptr_array_find_with_equal_func (stale, access_key, g_str_equal, NULL))
        continue;

      g_ptr_array_add (stale, g_strdup (access_key));
    }

  return stale;
}

static void
store_stale_cleared_cb (GObject      *object,
                        GAsyncResult *result,
                        gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  StoreData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  /* The new keys are stored: an old item that stays is found again and
   * removed by the next store. */
  if (!secret_password_clear_finish (result, &error) && error != NULL)
    g_debug ("An older keyring item for %s could not be removed: %s",
             data->api_host, error->message);

  if (--data->pending == 0)
    g_task_return_boolean (task, TRUE);
}

static void
store_search_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  StoreData *data = g_task_get_task_data (task);
  g_autolist(GObject) items = NULL;
  g_autoptr(GPtrArray) stale = NULL;
  g_autoptr(GError) error = NULL;

  items = secret_password_search_finish (result, &error);
  if (error != NULL)
    {
      g_debug ("Could not look for older keyring items for %s: %s",
               data->api_host, error->message);
      g_task_return_boolean (task, TRUE);
      return;
    }

  stale = stale_access_keys (items, data->credentials->access_key);
  if (stale->len == 0)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  data->pending = stale->len;
  for (guint i = 0; i < stale->len; i++)
    secret_password_clear (juice_credentials_get_schema (), g_task_get_cancellable (task),
                           store_stale_cleared_cb, g_object_ref (task),
                           "api-host", data->api_host,
                           "access-key", g_ptr_array_index (stale, i),
                           NULL);
}

static void
store_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  StoreData *data = g_task_get_task_data (task);
  GError *error = NULL;

  if (!secret_password_store_finish (result, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  secret_password_search (juice_credentials_get_schema (), SECRET_SEARCH_ALL,
                          g_task_get_cancellable (task), store_search_cb, g_object_ref (task),
                          "api-host", data->api_host,
                          NULL);
}

void
juice_credentials_store_async (const char             *api_host,
                               const JuiceCredentials *credentials,
                               GCancellable           *cancellable,
                               GAsyncReadyCallback     callback,
                               gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *label = NULL;
  StoreData *data;

  g_return_if_fail (api_host != NULL);
  g_return_if_fail (credentials != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, juice_credentials_store_async);

  data = g_new0 (StoreData, 1);
  data->api_host = g_strdup (api_host);
  data->credentials = juice_credentials_new (credentials->access_key, credentials->secret_key);
  g_task_set_task_data (task, data, (GDestroyNotify) store_data_free);

  label = make_label (api_host);
  secret_password_store (juice_credentials_get_schema (), SECRET_COLLECTION_DEFAULT, label,
                         data->credentials->secret_key, cancellable,
                         store_cb, g_object_ref (task),
                         "api-host", data->api_host,
                         "access-key", data->credentials->access_key,
                         NULL);
}

gboolean
juice_credentials_store_finish (GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
juice_credentials_store_sync (const char             *api_host,
                              const JuiceCredentials *credentials,
                              GCancellable           *cancellable,
                              GError                **error)
{
  g_autofree char *label = NULL;
  g_autolist(GObject) items = NULL;
  g_autoptr(GPtrArray) stale = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (api_host != NULL, FALSE);
  g_return_val_if_fail (credentials != NULL, FALSE);

  label = make_label (api_host);
  if (!secret_password_store_sync (juice_credentials_get_schema (), SECRET_COLLECTION_DEFAULT,
                                   label, credentials->secret_key, cancellable, error,
                                   "api-host", api_host,
                                   "access-key", credentials->access_key,
                                   NULL))
    return FALSE;

  items = secret_password_search_sync (juice_credentials_get_schema (), SECRET_SEARCH_ALL,
                                       cancellable, &local_error,
                                       "api-host", api_host,
                                       NULL);
  if (local_error != NULL)
    {
      g_debug ("Could not look for older keyring items for %s: %s", api_host,
               local_error->message);
      return TRUE;
    }

  stale = stale_access_keys (items, credentials->access_key);
  for (guint i = 0; i < stale->len; i++)
    {
      if (!secret_password_clear_sync (juice_credentials_get_schema (), cancellable, &local_error,
                                       "api-host", api_host,
                                       "access-key", g_ptr_array_index (stale, i),
                                       NULL) && local_error != NULL)
        {
          g_debug ("An older keyring item for %s could not be removed: %s", api_host,
                   local_error->message);
          g_clear_error (&local_error);
        }
    }

  return TRUE;
}

/* Lookup */

static void
lookup_retrieve_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SecretRetrievable *item = SECRET_RETRIEVABLE (object);
  g_autoptr(SecretValue) value = NULL;
  JuiceCredentials *credentials;
  GError *error = NULL;

  value = secret_retrievable_retrieve_secret_finish (item, result, &error);
  if (value == NULL && error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  credentials = credentials_from_item (item, value, &error);
  if (credentials == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, credentials, (GDestroyNotify) juice_credentials_free);
}

static void
lookup_search_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autolist(GObject) items = NULL;
  SecretRetrievable *newest;
  GError *error = NULL;

  items = secret_password_search_finish (result, &error);
  if (error != NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  newest = pick_newest (items);
  if (newest == NULL)
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }

  g_task_set_task_data (task, g_object_ref (newest), g_object_unref);
  secret_retrievable_retrieve_secret (newest, g_task_get_cancellable (task),
                                      lookup_retrieve_cb, g_object_ref (task));
}

void
juice_credentials_lookup_async (const char          *api_host,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (api_host != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, juice_credentials_lookup_async);

  secret_password_search (juice_credentials_get_schema (),
                          SECRET_SEARCH_ALL | SECRET_SEARCH_UNLOCK | SECRET_SEARCH_LOAD_SECRETS,
                          cancellable, lookup_search_cb, g_object_ref (task),
                          "api-host", api_host,
                          NULL);
}

JuiceCredentials *
juice_credentials_lookup_finish (GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

JuiceCredentials *
juice_credentials_lookup_sync (const char    *api_host,
                               GCancellable  *cancellable,
                               GError       **error)
{
  g_autolist(GObject) items = NULL;
  g_autoptr(SecretValue) value = NULL;
  g_autoptr(GError) local_error = NULL;
  SecretRetrievable *newest;

  g_return_val_if_fail (api_host != NULL, NULL);

  items = secret_password_search_sync (juice_credentials_get_schema (),
                                       SECRET_SEARCH_ALL | SECRET_SEARCH_UNLOCK |
                                       SECRET_SEARCH_LOAD_SECRETS,
                                       cancellable, &local_error,
                                       "api-host", api_host,
                                       NULL);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  newest = pick_newest (items);
  if (newest == NULL)
    return NULL;

  value = secret_retrievable_retrieve_secret_sync (newest, cancellable, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  return credentials_from_item (newest, value, error);
}

/* Clear */

static void
clear_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  gboolean removed;

  removed = secret_password_clear_finish (result, &error);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, removed);
}

void
juice_credentials_clear_async (const char          *api_host,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (api_host != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, juice_credentials_clear_async);

  secret_password_clear (juice_credentials_get_schema (), cancellable,
                         clear_cb, g_object_ref (task),
                         "api-host", api_host,
                         NULL);
}

gboolean
juice_credentials_clear_finish (GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
juice_credentials_clear_sync (const char    *api_host,
                              GCancellable  *cancellable,
                              GError       **error)
{
  g_return_val_if_fail (api_host != NULL, FALSE);

  return secret_password_clear_sync (juice_credentials_get_schema (), cancellable, error,
                                     "api-host", api_host,
                                     NULL);
}
