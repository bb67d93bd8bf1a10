/* juice-cloud.h: signed HTTP calls to EcoFlow's IoT Open API
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * src/core/cloud: EcoFlow's IoT Open API over HTTPS. juice-sign.c signs
 * requests, juice-tls-database.c adds a test CA to the system's trust,
 * juice-cloud.c makes the calls (device list, quota/all, the MQTT login,
 * commands by PUT) and maps failures to juice-cloud-error.h; juice-credentials.c
 * keeps the API keys in the keyring. It knows commands only as JSON (from
 * profiles/); model/juice-account.c owns the JuiceCloud.
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "juice-cloud-error.h"

G_BEGIN_DECLS

#define JUICE_CLOUD_BASE_URL_EUROPE   "https://api-e.ecoflow.com"
#define JUICE_CLOUD_BASE_URL_AMERICAS "https://api-a.ecoflow.com"

/* Responses larger than this are refused. A DELTA Pro's quota/all is 8 KB. */
#define JUICE_CLOUD_MAX_RESPONSE_SIZE (16 * 1024 * 1024)
#define JUICE_CLOUD_MAX_RESPONSE_DEPTH 64

typedef enum
{
  JUICE_CLOUD_REGION_EUROPE,
  JUICE_CLOUD_REGION_AMERICAS,
} JuiceCloudRegion;

/* What GET /certification answers: the MQTT broker and its login. */
typedef struct
{
  char    *account;     /* certificateAccount: user name and topic prefix */
  char    *password;    /* certificatePassword: a secret, wiped when freed */
  char    *host;        /* url */
  guint16  port;        /* port, sent as a string ("8883") */
  char    *protocol;    /* "mqtts" */
} JuiceCloudCertification;

/* One entry of GET /device/list. */
typedef struct
{
  char     *serial_number;   /* sn */
  char     *name;            /* deviceName; the serial number when absent */
  char     *product;         /* productName; NULL when absent */
  gboolean  online;
} JuiceCloudDeviceInfo;

#define JUICE_TYPE_CLOUD_CERTIFICATION (juice_cloud_certification_get_type ())
#define JUICE_TYPE_CLOUD_DEVICE_INFO   (juice_cloud_device_info_get_type ())

GType                    juice_cloud_certification_get_type (void) G_GNUC_CONST;
JuiceCloudCertification *juice_cloud_certification_copy     (const JuiceCloudCertification *self);
void                     juice_cloud_certification_free     (JuiceCloudCertification       *self);

GType                    juice_cloud_device_info_get_type   (void) G_GNUC_CONST;
JuiceCloudDeviceInfo    *juice_cloud_device_info_copy       (const JuiceCloudDeviceInfo    *self);
void                     juice_cloud_device_info_free       (JuiceCloudDeviceInfo          *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JuiceCloudCertification, juice_cloud_certification_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (JuiceCloudDeviceInfo, juice_cloud_device_info_free)

#define JUICE_TYPE_CLOUD (juice_cloud_get_type ())

G_DECLARE_FINAL_TYPE (JuiceCloud, juice_cloud, JUICE, CLOUD, GObject)

const char  *juice_cloud_region_get_base_url      (JuiceCloudRegion      region);
gboolean     juice_cloud_check_base_url           (const char           *base_url,
                                                   char                **normalized,
                                                   GError              **error);

JuiceCloud  *juice_cloud_new                      (const char           *base_url,
                                                   const char           *ca_file,
                                                   GError              **error);
const char  *juice_cloud_get_base_url             (JuiceCloud           *self);
const char  *juice_cloud_get_host                 (JuiceCloud           *self);
const char  *juice_cloud_get_ca_file              (JuiceCloud           *self);

/* The keys are held in memory only and wiped when replaced or finalized. */
void         juice_cloud_set_credentials          (JuiceCloud           *self,
                                                   const char           *access_key,
                                                   const char           *secret_key);
gboolean     juice_cloud_has_credentials          (JuiceCloud           *self);

guint        juice_cloud_get_timeout_ms           (JuiceCloud           *self);
void         juice_cloud_set_timeout_ms           (JuiceCloud           *self,
                                                   guint                 timeout_ms);
guint        juice_cloud_get_max_attempts         (JuiceCloud           *self);
void         juice_cloud_set_max_attempts         (JuiceCloud           *self,
                                                   guint                 max_attempts);
guint        juice_cloud_get_retry_delay_ms       (JuiceCloud           *self);
void         juice_cloud_set_retry_delay_ms       (JuiceCloud           *self,
                                                   guint                 retry_delay_ms);

void                     juice_cloud_get_certification_async  (JuiceCloud           *self,
                                                               GCancellable         *cancellable,
                                                               GAsyncReadyCallback   callback,
                                                               gpointer              user_data);
JuiceCloudCertification *juice_cloud_get_certification_finish (JuiceCloud           *self,
                                                               GAsyncResult         *result,
                                                               GError              **error);

/* Element type: JuiceCloudDeviceInfo. */
void                     juice_cloud_list_devices_async       (JuiceCloud           *self,
                                                               GCancellable         *cancellable,
                                                               GAsyncReadyCallback   callback,
                                                               gpointer              user_data);
GPtrArray               *juice_cloud_list_devices_finish      (JuiceCloud           *self,
                                                               GAsyncResult         *result,
                                                               GError              **error);

/* Every quota key of the device, in the device's spelling and types. */
void                     juice_cloud_get_all_quotas_async     (JuiceCloud           *self,
                                                               const char           *serial_number,
                                                               GCancellable         *cancellable,
                                                               GAsyncReadyCallback   callback,
                                                               gpointer              user_data);
JsonObject              *juice_cloud_get_all_quotas_finish    (JuiceCloud           *self,
                                                               GAsyncResult         *result,
                                                               GError              **error);

/* Only @keys; keys the device does not have are absent from the result. */
void                     juice_cloud_get_quotas_async         (JuiceCloud           *self,
                                                               const char           *serial_number,
                                                               const char * const   *keys,
                                                               GCancellable         *cancellable,
                                                               GAsyncReadyCallback   callback,
                                                               gpointer              user_data);
JsonObject              *juice_cloud_get_quotas_finish        (JuiceCloud           *self,
                                                               GAsyncResult         *result,
                                                               GError              **error);

/* Sends a command (juice-command-builder.h: {"cmdSet":..,"id":..,...}, or
 * {"moduleType","operateType","params"} for a DELTA 2). TRUE means EcoFlow queued the command, not
 * that the device applied it: confirm by reading the setting back. A set is
 * never sent twice unless the first attempt surely did not reach the server. */
void                     juice_cloud_set_quota_async          (JuiceCloud           *self,
                                                               const char           *serial_number,
                                                               JsonObject           *params,
                                                               GCancellable         *cancellable,
                                                               GAsyncReadyCallback   callback,
                                                               gpointer              user_data);
gboolean                 juice_cloud_set_quota_finish         (JuiceCloud           *self,
                                                               GAsyncResult         *result,
                                                               GError              **error);

G_END_DECLS
