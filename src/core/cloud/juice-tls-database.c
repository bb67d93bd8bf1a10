/* juice-tls-database.c: the system's trusted CAs plus one extra CA file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A chain is trusted when the system store trusts it, or when the extra CA
 * file does. Either verdict includes the host name check, so a certificate
 * issued by the extra CA for another host is still refused. The TLS backend
 * calls g_tls_database_verify_chain() on databases it does not know, so this
 * works with glib-networking's GnuTLS and OpenSSL backends alike.
 */

#define G_LOG_DOMAIN "juice-cloud"

#include "juice-tls-database.h"

struct _JuiceTlsDatabase
{
  GTlsDatabase  parent_instance;

  /* owned references */
  GTlsDatabase *base;    /* the system's store, or what a test gives */
  GTlsDatabase *extra;   /* the extra CA file; may be NULL */
};

G_DEFINE_FINAL_TYPE (JuiceTlsDatabase, juice_tls_database, G_TYPE_TLS_DATABASE)

static GTlsCertificateFlags
juice_tls_database_verify_chain (GTlsDatabase             *database,
                                 GTlsCertificate          *chain,
                                 const char               *purpose,
                                 GSocketConnectable       *identity,
                                 GTlsInteraction          *interaction,
                                 GTlsDatabaseVerifyFlags   flags,
                                 GCancellable             *cancellable,
                                 GError                  **error)
{
  JuiceTlsDatabase *self = JUICE_TLS_DATABASE (database);
  GTlsCertificateFlags base_flags = G_TLS_CERTIFICATE_UNKNOWN_CA;
  GTlsCertificateFlags extra_flags;
  g_autoptr(GError) base_error = NULL;

  if (self->base != NULL)
    {
      base_flags = g_tls_database_verify_chain (self->base, chain, purpose, identity,
                                                interaction, flags, cancellable, &base_error);
      if (base_flags == 0 && base_error == NULL)
        return 0;
      if (g_error_matches (base_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_propagate_error (error, g_steal_pointer (&base_error));
          return G_TLS_CERTIFICATE_GENERIC_ERROR;
        }
    }

  if (self->extra == NULL)
    {
      if (base_error != NULL)
        g_propagate_error (error, g_steal_pointer (&base_error));
      return base_flags;
    }

  extra_flags = g_tls_database_verify_chain (self->extra, chain, purpose, identity,
                                             interaction, flags, cancellable, error);

  /* Report the extra CA's verdict when it knew the issuer (a wrong host name
   * or an expired certificate is more useful than "unknown CA"). */
  if ((extra_flags & G_TLS_CERTIFICATE_UNKNOWN_CA) == 0)
    return extra_flags;

  return base_flags | extra_flags;
}

static GTlsCertificate *
juice_tls_database_lookup_certificate_issuer (GTlsDatabase             *database,
                                              GTlsCertificate          *certificate,
                                              GTlsInteraction          *interaction,
                                              GTlsDatabaseLookupFlags   flags,
                                              GCancellable             *cancellable,
                                              GError                  **error)
{
  JuiceTlsDatabase *self = JUICE_TLS_DATABASE (database);
  GTlsCertificate *issuer = NULL;

  if (self->extra != NULL)
    {
      issuer = g_tls_database_lookup_certificate_issuer (self->extra, certificate, interaction,
                                                         flags, cancellable, error);
      if (issuer != NULL || (error != NULL && *error != NULL))
        return issuer;
    }

  if (self->base != NULL)
    issuer = g_tls_database_lookup_certificate_issuer (self->base, certificate, interaction,
                                                       flags, cancellable, error);

  return issuer;
}

static GList *
juice_tls_database_lookup_certificates_issued_by (GTlsDatabase             *database,
                                                  GByteArray               *issuer_raw_dn,
                                                  GTlsInteraction          *interaction,
                                                  GTlsDatabaseLookupFlags   flags,
                                                  GCancellable             *cancellable,
                                                  GError                  **error)
{
  JuiceTlsDatabase *self = JUICE_TLS_DATABASE (database);
  GList *list = NULL;

  if (self->extra != NULL)
    {
      list = g_tls_database_lookup_certificates_issued_by (self->extra, issuer_raw_dn,
                                                           interaction, flags, cancellable,
                                                           error);
      if (error != NULL && *error != NULL)
        return list;
    }

  if (self->base != NULL)
    list = g_list_concat (list,
                          g_tls_database_lookup_certificates_issued_by (self->base, issuer_raw_dn,
                                                                        interaction, flags,
                                                                        cancellable, error));

  return list;
}

static char *
juice_tls_database_create_certificate_handle (GTlsDatabase    *database,
                                              GTlsCertificate *certificate)
{
  /* Handles are for PKCS#11 stores; these certificates have none. */
  return NULL;
}

static GTlsCertificate *
juice_tls_database_lookup_certificate_for_handle (GTlsDatabase             *database,
                                                  const char               *handle,
                                                  GTlsInteraction          *interaction,
                                                  GTlsDatabaseLookupFlags   flags,
                                                  GCancellable             *cancellable,
                                                  GError                  **error)
{
  return NULL;
}

static void
juice_tls_database_finalize (GObject *object)
{
  JuiceTlsDatabase *self = (JuiceTlsDatabase *) object;

  g_clear_object (&self->base);
  g_clear_object (&self->extra);

  G_OBJECT_CLASS (juice_tls_database_parent_class)->finalize (object);
}

static void
juice_tls_database_class_init (JuiceTlsDatabaseClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GTlsDatabaseClass *database_class = G_TLS_DATABASE_CLASS (klass);

  object_class->finalize = juice_tls_database_finalize;

  database_class->verify_chain = juice_tls_database_verify_chain;
  database_class->lookup_certificate_issuer = juice_tls_database_lookup_certificate_issuer;
  database_class->lookup_certificates_issued_by = juice_tls_database_lookup_certificates_issued_by;
  database_class->create_certificate_handle = juice_tls_database_create_certificate_handle;
  database_class->lookup_certificate_for_handle = juice_tls_database_lookup_certificate_for_handle;
}

static void
juice_tls_database_init (JuiceTlsDatabase *self)
{
}

/**
 * juice_tls_database_new_full:
 * @base: (nullable): the store trusted in any case (the system's)
 * @ca_file: (nullable): a PEM file of extra trusted CAs
 *
 * Returns: (transfer full): a database trusting @base and @ca_file, or
 *   %NULL with @error set when @ca_file cannot be read or holds no
 *   certificate.
 */
GTlsDatabase *
juice_tls_database_new_full (GTlsDatabase  *base,
                             const char    *ca_file,
                             GError       **error)
{
  g_autoptr(JuiceTlsDatabase) self = NULL;

  g_return_val_if_fail (base == NULL || G_IS_TLS_DATABASE (base), NULL);

  self = g_object_new (JUICE_TYPE_TLS_DATABASE, NULL);
  g_set_object (&self->base, base);

  if (ca_file != NULL)
    {
      g_autolist(GTlsCertificate) list = NULL;

      /* g_tls_file_database_new() accepts an empty file; an empty CA file is
       * a mistake worth telling about. */
      list = g_tls_certificate_list_new_from_file (ca_file, error);
      if (list == NULL)
        {
          if (error != NULL && *error == NULL)
            g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                         "No certificate found in %s", ca_file);
          return NULL;
        }

      self->extra = g_tls_file_database_new (ca_file, error);
      if (self->extra == NULL)
        return NULL;
    }

  return (GTlsDatabase *) g_steal_pointer (&self);
}

/**
 * juice_tls_database_new:
 * @ca_file: (nullable): a PEM file of extra trusted CAs
 *
 * Returns: (transfer full): a database trusting the system's CAs and
 *   @ca_file, or %NULL with @error set.
 */
GTlsDatabase *
juice_tls_database_new (const char  *ca_file,
                        GError     **error)
{
  GTlsBackend *backend = g_tls_backend_get_default ();
  g_autoptr(GTlsDatabase) system = g_tls_backend_get_default_database (backend);

  return juice_tls_database_new_full (system, ca_file, error);
}
