/* juice-mqtt-trust.c: what the MQTT link trusts, the same as HTTPS does
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Trust is the system's, as OpenSSL (under Paho) finds it by default, plus
 * the "ca-file" when one is given: never the file instead of the system.
 *
 * Paho 1.3.11 has no hook on the SSL_CTX. When MQTTAsync_SSLOptions has
 * neither trustStore nor CApath it calls SSL_CTX_set_default_verify_paths()
 * (the system trust: $SSL_CERT_FILE or OpenSSL's default file, $SSL_CERT_DIR
 * or its default folder); otherwise only SSL_CTX_load_verify_locations
 * (trustStore, CApath). So with a ca-file, the link hands Paho the same two
 * places the default would use: the default folder as CApath, and as
 * trustStore a private bundle of the default file followed by the ca-file
 * (CA certificates are public; the bundle is 0600 all the same, in
 * $XDG_RUNTIME_DIR, removed with the client).
 */

#define G_LOG_DOMAIN "juice-mqtt"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include <openssl/pem.h>
#include <openssl/x509.h>

#include "juice-mqtt-private.h"

#define MAX_CA_FILE_SIZE (16 * 1024 * 1024)

/* How OpenSSL reads a CA file (X509_load_cert_crl_file): the number of
 * certificates, or -1 when it cannot read the file at all. */
static int
count_certificates (const char *data,
                    gsize       length)
{
  STACK_OF (X509_INFO) *infos;
  BIO *bio;
  int n = 0;

  if (length > G_MAXINT)
    return -1;

  bio = BIO_new_mem_buf (data, (int) length);
  if (bio == NULL)
    return -1;

  infos = PEM_X509_INFO_read_bio (bio, NULL, NULL, (char *) "");
  BIO_free (bio);
  if (infos == NULL)
    return -1;

  for (int i = 0; i < sk_X509_INFO_num (infos); i++)
    if (sk_X509_INFO_value (infos, i)->x509 != NULL)
      n++;

  sk_X509_INFO_pop_free (infos, X509_INFO_free);

  return n;
}

static char *
read_ca_file (const char  *path,
              gsize       *length,
              GError     **error)
{
  g_autofree char *contents = NULL;
  GStatBuf st;

  if (g_stat (path, &st) != 0 || !S_ISREG (st.st_mode) || st.st_size > MAX_CA_FILE_SIZE ||
      !g_file_get_contents (path, &contents, length, NULL))
    {
      g_set_error (error, JUICE_MQTT_ERROR, JUICE_MQTT_ERROR_INVALID_CONFIG,
                   _("The CA file %s cannot be read or holds no PEM certificate"), path);
      return NULL;
    }

  return g_steal_pointer (&contents);
}

gboolean
_juice_mqtt_check_ca_file (const char  *path,
                           GError     **error)
{
  g_autofree char *contents = NULL;
  gsize length;

  if (!(contents = read_ca_file (path, &length, error)))
    return FALSE;

  if (count_certificates (contents, length) <= 0)
    {
      g_set_error (error, JUICE_MQTT_ERROR, JUICE_MQTT_ERROR_INVALID_CONFIG,
                   _("The CA file %s cannot be read or holds no PEM certificate"), path);
      return FALSE;
    }

  return TRUE;
}

/* Where OpenSSL looks by default, its environment overrides first. */
static const char *
default_location (const char *env_name,
                  const char *fallback)
{
  const char *value = g_getenv (env_name);

  if (value != NULL && *value != '\0')
    return value;

  return fallback != NULL && *fallback != '\0' ? fallback : NULL;
}

/* The system's default CA file, when OpenSSL would load it: the whole file
 * or nothing, as X509_load_cert_crl_file() does. */
static char *
read_system_file (gsize *length)
{
  const char *path = default_location (X509_get_default_cert_file_env (),
                                       X509_get_default_cert_file ());
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;

  if (path == NULL)
    return NULL;

  if (!(contents = read_ca_file (path, length, &error)))
    {
      g_debug ("No system CA file to add to: %s", error->message);
      return NULL;
    }

  if (count_certificates (contents, *length) < 0)
    {
      g_debug ("OpenSSL cannot read the system CA file %s: left out", path);
      return NULL;
    }

  return g_steal_pointer (&contents);
}

static gboolean
write_all (int          fd,
           const char  *data,
           gsize        length,
           GError     **error)
{
  while (length > 0)
    {
      gssize written = write (fd, data, length);

      if (written < 0)
        {
          int saved_errno = errno;

          if (saved_errno == EINTR)
            continue;
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno), "%s",
                       g_strerror (saved_errno));
          return FALSE;
        }
      data += written;
      length -= (gsize) written;
    }

  return TRUE;
}

void
_juice_mqtt_trust_clear (JuiceMqtt *self)
{
  if (self->trust_bundle != NULL)
    {
      g_unlink (self->trust_bundle);
      g_clear_pointer (&self->trust_bundle, g_free);
    }
  g_clear_pointer (&self->trust_dir, g_free);
}

gboolean
_juice_mqtt_trust_prepare (JuiceMqtt  *self,
                           GError    **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *system = NULL;
  g_autofree char *extra = NULL;
  g_autofree char *path = NULL;
  const char *runtime_dir = g_getenv ("XDG_RUNTIME_DIR");
  gsize system_length = 0;
  gsize extra_length = 0;
  gboolean ok;
  int fd;

  _juice_mqtt_trust_clear (self);

  /* Paho's default is the system trust alone. */
  if (!self->tls || self->ca_file == NULL)
    return TRUE;

  if (!(extra = read_ca_file (self->ca_file, &extra_length, error)))
    return FALSE;
  system = read_system_file (&system_length);

  if (runtime_dir == NULL || !g_path_is_absolute (runtime_dir) ||
      !g_file_test (runtime_dir, G_FILE_TEST_IS_DIR))
    runtime_dir = g_get_tmp_dir ();
  path = g_build_filename (runtime_dir, "juice-mqtt-trust-XXXXXX.pem", NULL);

  fd = g_mkstemp_full (path, O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, JUICE_MQTT_ERROR, JUICE_MQTT_ERROR_INVALID_CONFIG,
                   _("Cannot gather the trusted CA certificates in %s: %s"), runtime_dir,
                   g_strerror (saved_errno));
      return FALSE;
    }

  ok = (system == NULL || (write_all (fd, system, system_length, &local_error) &&
                           write_all (fd, "\n", 1, &local_error))) &&
       write_all (fd, extra, extra_length, &local_error);
  if (!g_close (fd, ok ? &local_error : NULL))
    ok = FALSE;

  if (!ok)
    {
      g_unlink (path);
      g_set_error (error, JUICE_MQTT_ERROR, JUICE_MQTT_ERROR_INVALID_CONFIG,
                   _("Cannot gather the trusted CA certificates in %s: %s"), runtime_dir,
                   local_error->message);
      return FALSE;
    }

  self->trust_bundle = g_steal_pointer (&path);
  self->trust_dir = g_strdup (default_location (X509_get_default_cert_dir_env (),
                                                X509_get_default_cert_dir ()));
  g_debug ("%s: trusting %s%s and %s", self->client_id,
           system != NULL ? "the system's CA file, " : "",
           self->trust_dir != NULL ? self->trust_dir : "no CA folder", self->ca_file);

  return TRUE;
}
