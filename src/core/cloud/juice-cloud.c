/* juice-cloud.c: signed HTTP calls to EcoFlow's IoT Open API
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The parts of JuiceCloud (they share juice-cloud-private.h):
 * juice-cloud.c          the object, its properties, its result types, base URLs
 * juice-cloud-request.c  the request engine: signing, attempts, retries, reading
 * juice-cloud-api.c      the API's calls and how each answer is read
 */

#define G_LOG_DOMAIN "juice-cloud"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "juice-cloud.h"
#include "juice-cloud-private.h"
#include "juice-command-builder.h"
#include "juice-json.h"
#include "juice-secure-util.h"
#include "juice-sign.h"
#include "juice-tls-database.h"

#define DEFAULT_TIMEOUT_MS      15000
#define DEFAULT_MAX_ATTEMPTS    3
#define DEFAULT_RETRY_DELAY_MS  500

static void juice_cloud_initable_iface_init (GInitableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (JuiceCloud, juice_cloud, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE,
                                                      juice_cloud_initable_iface_init))

enum {
  PROP_0,
  PROP_BASE_URL,
  PROP_CA_FILE,
  PROP_TIMEOUT_MS,
  PROP_MAX_ATTEMPTS,
  PROP_RETRY_DELAY_MS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Results */

JuiceCloudCertification *
juice_cloud_certification_copy (const JuiceCloudCertification *self)
{
  JuiceCloudCertification *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (JuiceCloudCertification, 1);
  copy->account = g_strdup (self->account);
  copy->password = g_strdup (self->password);
  copy->host = g_strdup (self->host);
  copy->port = self->port;
  copy->protocol = g_strdup (self->protocol);

  return copy;
}

void
juice_cloud_certification_free (JuiceCloudCertification *self)
{
  if (self == NULL)
    return;

  g_free (self->account);
  juice_wipe_string (&self->password);
  g_free (self->host);
  g_free (self->protocol);
  g_free (self);
}

G_DEFINE_BOXED_TYPE (JuiceCloudCertification, juice_cloud_certification,
                     juice_cloud_certification_copy, juice_cloud_certification_free)

JuiceCloudDeviceInfo *
juice_cloud_device_info_copy (const JuiceCloudDeviceInfo *self)
{
  JuiceCloudDeviceInfo *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (JuiceCloudDeviceInfo, 1);
  copy->serial_number = g_strdup (self->serial_number);
  copy->name = g_strdup (self->name);
  copy->product = g_strdup (self->product);
  copy->online = self->online;

  return copy;
}

void
juice_cloud_device_info_free (JuiceCloudDeviceInfo *self)
{
  if (self == NULL)
    return;

  g_free (self->serial_number);
  g_free (self->name);
  g_free (self->product);
  g_free (self);
}

G_DEFINE_BOXED_TYPE (JuiceCloudDeviceInfo, juice_cloud_device_info,
                     juice_cloud_device_info_copy, juice_cloud_device_info_free)

/* Base URL */

const char *
juice_cloud_region_get_base_url (JuiceCloudRegion region)
{
  switch (region)
    {
    case JUICE_CLOUD_REGION_AMERICAS:
      return JUICE_CLOUD_BASE_URL_AMERICAS;

    case JUICE_CLOUD_REGION_EUROPE:
    default:
      return JUICE_CLOUD_BASE_URL_EUROPE;
    }
}

/**
 * juice_cloud_check_base_url:
 * @base_url: what the user gave
 * @normalized: (out) (optional): the URL without a trailing slash
 *
 * Accepts https:// URLs, and http:// only to a loopback address (a test
 * server or a local proxy): keys and commands never travel in clear text.
 */
gboolean
juice_cloud_check_base_url (const char  *base_url,
                            char       **normalized,
                            GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *text = NULL;
  const char *scheme;
  const char *host;
  gsize len;

  g_return_val_if_fail (base_url != NULL, FALSE);

  uri = g_uri_parse (base_url, G_URI_FLAGS_NONE, &local_error);
  if (uri == NULL)
    {
      g_set_error (error, JUICE_CLOUD_ERROR, JUICE_CLOUD_ERROR_INVALID_URL,
                   _("“%s” is not a valid API address: %s"), base_url, local_error->message);
      return FALSE;
    }

  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);

  if (host == NULL || host[0] == '\0' ||
      (g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0))
    {
      g_set_error (error, JUICE_CLOUD_ERROR, JUICE_CLOUD_ERROR_INVALID_URL,
                   _("“%s” is not a valid API address: use https://host"), base_url);
      return FALSE;
    }

  if (g_uri_get_userinfo (uri) != NULL || g_uri_get_query (uri) != NULL ||
      g_uri_get_fragment (uri) != NULL)
    {
      g_set_error (error, JUICE_CLOUD_ERROR, JUICE_CLOUD_ERROR_INVALID_URL,
                   _("“%s” is not a valid API address: it must not carry a user, a query or "
                     "a fragment"), base_url);
      return FALSE;
    }

  if (g_ascii_strcasecmp (scheme, "http") == 0 && !juice_host_is_loopback (host))
    {
      g_set_error (error, JUICE_CLOUD_ERROR, JUICE_CLOUD_ERROR_INVALID_URL,
                   _("Refusing plain http:// to %s: the keys and commands would travel "
                     "unencrypted. Use https://, or http:// only to this computer "
                     "(localhost)."), host);
      return FALSE;
    }

  text = g_uri_to_string (uri);
  len = strlen (text);
  while (len > 0 && text[len - 1] == '/')
    text[--len] = '\0';

  if (normalized != NULL)
    *normalized = g_steal_pointer (&text);

  return TRUE;
}

/* Object */

static gboolean
juice_cloud_initable_init (GInitable     *initable,
                           GCancellable  *cancellable,
                           GError       **error)
{
  JuiceCloud *self = JUICE_CLOUD (initable);
  g_autoptr(GUri) uri = NULL;
  g_autofree char *normalized = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *user_agent = NULL;

  if (self->base_url == NULL)
    self->base_url = g_strdup (JUICE_CLOUD_BASE_URL_EUROPE);

  if (!juice_cloud_check_base_url (self->base_url, &normalized, error))
    return FALSE;

  g_free (self->base_url);
  self->base_url = g_steal_pointer (&normalized);

  uri = g_uri_parse (self->base_url, G_URI_FLAGS_NONE, NULL);
  g_assert (uri != NULL);
  self->host = g_strdup (g_uri_get_host (uri));

  self->tls_database = juice_tls_database_new (self->ca_file, &local_error);
  if (self->tls_database == NULL)
    {
      g_set_error (error, JUICE_CLOUD_ERROR, JUICE_CLOUD_ERROR_TLS,
                   _("Could not use the CA file %s: %s"), self->ca_file, local_error->message);
      return FALSE;
    }

  user_agent = g_strdup_printf ("Juice/%s ", PACKAGE_VERSION);
  self->session = soup_session_new_with_options ("tls-database", self->tls_database,
                                                 "user-agent", user_agent,
                                                 NULL);

  return TRUE;
}

static void
juice_cloud_initable_iface_init (GInitableIface *iface)
{
  iface->init = juice_cloud_initable_init;
}

static void
juice_cloud_dispose (GObject *object)
{
  JuiceCloud *self = (JuiceCloud *) object;

  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);
  g_clear_object (&self->tls_database);

  G_OBJECT_CLASS (juice_cloud_parent_class)->dispose (object);
}

static void
juice_cloud_finalize (GObject *object)
{
  JuiceCloud *self = (JuiceCloud *) object;

  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->host, g_free);
  g_clear_pointer (&self->ca_file, g_free);
  juice_wipe_string (&self->access_key);
  juice_wipe_string (&self->secret_key);

  G_OBJECT_CLASS (juice_cloud_parent_class)->finalize (object);
}

static void
juice_cloud_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  JuiceCloud *self = JUICE_CLOUD (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      g_value_set_string (value, self->base_url);
      break;

    case PROP_CA_FILE:
      g_value_set_string (value, self->ca_file);
      break;

    case PROP_TIMEOUT_MS:
      g_value_set_uint (value, self->timeout_ms);
      break;

    case PROP_MAX_ATTEMPTS:
      g_value_set_uint (value, self->max_attempts);
      break;

    case PROP_RETRY_DELAY_MS:
      g_value_set_uint (value, self->retry_delay_ms);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
juice_cloud_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  JuiceCloud *self = JUICE_CLOUD (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      g_free (self->base_url);
      self->base_url = g_value_dup_string (value);
      break;

    case PROP_CA_FILE:
      g_free (self->ca_file);
      self->ca_file = g_value_dup_string (value);
      break;

    case PROP_TIMEOUT_MS:
      juice_cloud_set_timeout_ms (self, g_value_get_uint (value));
      break;

    case PROP_MAX_ATTEMPTS:
      juice_cloud_set_max_attempts (self, g_value_get_uint (value));
      break;

    case PROP_RETRY_DELAY_MS:
      juice_cloud_set_retry_delay_ms (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
juice_cloud_class_init (JuiceCloudClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = juice_cloud_dispose;
  object_class->finalize = juice_cloud_finalize;
  object_class->get_property = juice_cloud_get_property;
  object_class->set_property = juice_cloud_set_property;

  /**
   * JuiceCloud:base-url:
   *
   * The API address: a region's host or a custom one (https, or http to
   * loopback only).
   */
  properties[PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL,
                         JUICE_CLOUD_BASE_URL_EUROPE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * JuiceCloud:ca-file:
   *
   * A PEM file of certificate authorities trusted besides the system's.
   */
  properties[PROP_CA_FILE] =
    g_param_spec_string ("ca-file", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * JuiceCloud:timeout-ms:
   *
   * How long one attempt may take, from connecting to the last byte; 0 for
   * no limit.
   */
  properties[PROP_TIMEOUT_MS] =
    g_param_spec_uint ("timeout-ms", NULL, NULL,
                       0, G_MAXUINT, DEFAULT_TIMEOUT_MS,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * JuiceCloud:max-attempts:
   *
   * How many times a request is sent at most when it fails transiently.
   */
  properties[PROP_MAX_ATTEMPTS] =
    g_param_spec_uint ("max-attempts", NULL, NULL,
                       1, 10, DEFAULT_MAX_ATTEMPTS,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * JuiceCloud:retry-delay-ms:
   *
   * The wait before the first retry; it doubles for each further one (up to
   * 8 s), with jitter.
   */
  properties[PROP_RETRY_DELAY_MS] =
    g_param_spec_uint ("retry-delay-ms", NULL, NULL,
                       0, JUICE_CLOUD_MAX_RETRY_DELAY_MS, DEFAULT_RETRY_DELAY_MS,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
juice_cloud_init (JuiceCloud *self)
{
  self->timeout_ms = DEFAULT_TIMEOUT_MS;
  self->max_attempts = DEFAULT_MAX_ATTEMPTS;
  self->retry_delay_ms = DEFAULT_RETRY_DELAY_MS;
}

/**
 * juice_cloud_new:
 * @base_url: (nullable): the API address; Europe's when %NULL
 * @ca_file: (nullable): extra trusted CAs (PEM)
 *
 * Returns: (transfer full): a new #JuiceCloud, or %NULL with @error set when
 *   the address is refused or the CA file cannot be used.
 */
JuiceCloud *
juice_cloud_new (const char  *base_url,
                 const char  *ca_file,
                 GError     **error)
{
  return g_initable_new (JUICE_TYPE_CLOUD, NULL, error,
                         "base-url", base_url != NULL ? base_url : JUICE_CLOUD_BASE_URL_EUROPE,
                         "ca-file", ca_file,
                         NULL);
}

const char *
juice_cloud_get_base_url (JuiceCloud *self)
{
  g_return_val_if_fail (JUICE_IS_CLOUD (self), NULL);

  return self->base_url;
}

const char *
juice_cloud_get_host (JuiceCloud *self)
{
  g_return_val_if_fail (JUICE_IS_CLOUD (self), NULL);

  return self->host;
}

const char *
juice_cloud_get_ca_file (JuiceCloud *self)
{
  g_return_val_if_fail (JUICE_IS_CLOUD (self), NULL);

  return self->ca_file;
}

void
juice_cloud_set_credentials (JuiceCloud *self,
                             const char *access_key,
                             const char *secret_key)
{
  g_return_if_fail (JUICE_IS_CLOUD (self));

  juice_wipe_string (&self->access_key);
  juice_wipe_string (&self->secret_key);

  if (access_key != NULL && access_key[0] != '\0' && secret_key != NULL && secret_key[0] != '\0')
    {
      self->access_key = g_strdup (access_key);
      self->secret_key = g_strdup (secret_key);
    }
}

gboolean
juice_cloud_has_credentials (JuiceCloud *self)
{
  g_return_val_if_fail (JUICE_IS_CLOUD (self), FALSE);

  return self->access_key != NULL && self->secret_key != NULL;
}

guint
juice_cloud_get_timeout_ms (JuiceCloud *self)
{
  g_return_val_if_fail (JUICE_IS_CLOUD (self), 0);

  return self->timeout_ms;
}

void
juice_cloud_set_timeout_ms (JuiceCloud *self,
                            guint       timeout_ms)
{
  g_return_if_fail (JUICE_IS_CLOUD (self));

  if (self->timeout_ms != timeout_ms)
    {
      self->timeout_ms = timeout_ms;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT_MS]);
    }
}

guint
juice_cloud_get_max_attempts (JuiceCloud *self)
{
  g_return_val_if_fail (JUICE_IS_CLOUD (self), 0);

  return self->max_attempts;
}

void
juice_cloud_set_max_attempts (JuiceCloud *self,
                              guint       max_attempts)
{
  g_return_if_fail (JUICE_IS_CLOUD (self));
  g_return_if_fail (max_attempts >= 1 && max_attempts <= 10);

  if (self->max_attempts != max_attempts)
    {
      self->max_attempts = max_attempts;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_ATTEMPTS]);
    }
}

guint
juice_cloud_get_retry_delay_ms (JuiceCloud *self)
{
  g_return_val_if_fail (JUICE_IS_CLOUD (self), 0);

  return self->retry_delay_ms;
}

void
juice_cloud_set_retry_delay_ms (JuiceCloud *self,
                                guint       retry_delay_ms)
{
  g_return_if_fail (JUICE_IS_CLOUD (self));

  retry_delay_ms = MIN (retry_delay_ms, JUICE_CLOUD_MAX_RETRY_DELAY_MS);
  if (self->retry_delay_ms != retry_delay_ms)
    {
      self->retry_delay_ms = retry_delay_ms;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RETRY_DELAY_MS]);
    }
}
