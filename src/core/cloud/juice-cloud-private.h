/* juice-cloud-private.h: JuiceCloud's answer reader, for tests and fuzzers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

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

G_END_DECLS
