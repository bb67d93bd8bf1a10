/* juice-cloud-private.h: what the parts of JuiceCloud share; its answer reader, for tests and fuzzers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "juice-cloud.h"

G_BEGIN_DECLS

/* The answers whose bodies JuiceCloud reads. */
typedef enum
{
  JUICE_CLOUD_ANSWER_CERTIFICATION,  /* JuiceCloudCertification */
  JUICE_CLOUD_ANSWER_DEVICE_LIST,    /* GPtrArray of JuiceCloudDeviceInfo */
  JUICE_CLOUD_ANSWER_QUOTAS,         /* JsonObject */
  JUICE_CLOUD_ANSWER_SET,            /* TRUE */
  JUICE_CLOUD_N_ANSWERS
} JuiceCloudAnswer;

/* Reads @body as the answer to a request of kind @answer, exactly as a
 * response from the network is read: the result (free it with
 * _juice_cloud_answer_free()), or NULL with @error set. */
gpointer _juice_cloud_read_answer  (JuiceCloud        *self,
                                    JuiceCloudAnswer   answer,
                                    const char        *body,
                                    gsize              length,
                                    GError           **error);
void     _juice_cloud_answer_free  (JuiceCloudAnswer   answer,
                                    gpointer           result);

/* What juice-cloud.c, juice-cloud-request.c and juice-cloud-api.c share. */

#define JUICE_CLOUD_MAX_RETRY_DELAY_MS 8000

struct _JuiceCloud
{
  GObject       parent_instance;

  /* owned references */
  SoupSession  *session;
  GTlsDatabase *tls_database;

  /* configuration */
  char         *base_url;      /* normalized: no trailing slash */
  char         *host;
  char         *ca_file;
  char         *access_key;
  char         *secret_key;    /* never logged; wiped when replaced */
  guint         timeout_ms;
  guint         max_attempts;
  guint         retry_delay_ms;
};

/* Reads a request's "data" into its result, or fails with @error. */
typedef gpointer (*JuiceCloudParseFunc) (JuiceCloud  *self,
                                         JsonNode    *data,
                                         GError     **error);

/* Sends a signed request, tried again as juice-cloud-request.c explains;
 * the task's result is what @parse made of the answer's data. */
void     _juice_cloud_call          (JuiceCloud          *self,
                                     const char          *method,
                                     const char          *path,
                                     GHashTable          *query,
                                     JsonNode            *body,
                                     gboolean             may_repeat,
                                     JuiceCloudParseFunc  parse,
                                     GDestroyNotify       result_free,
                                     gpointer             source_tag,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);

/* Reads an answer's envelope and its data with @parse (@what names the
 * request in debug messages). */
gpointer _juice_cloud_read_envelope (JuiceCloud          *self,
                                     const char          *what,
                                     const char          *body,
                                     gsize                length,
                                     JuiceCloudParseFunc  parse,
                                     GError             **error);

G_END_DECLS
