/* fake-cloud.h: an in-process EcoFlow IoT Open API for tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

/* juice-sim-device.h names struct _JuiceDevice in a prototype. */
#include "juice-device.h"
#include "juice-sim-device.h"

G_BEGIN_DECLS

#define FAKE_CLOUD_ACCESS_KEY "AKfake4Rt7Yu1Io9Pa3Sd6Fg"
#define FAKE_CLOUD_SECRET_KEY "SKfake8Hj2Kl5Zx0Cv3Bn6Mq9Wq2Er"
#define FAKE_CLOUD_MQTT_ACCOUNT "open-fake-account-1"
#define FAKE_CLOUD_MQTT_PASSWORD "mqtt-fake-password-7"

/* A CA and certificates made with openssl in a temporary folder. */
typedef struct
{
  char *dir;
  char *ca_file;           /* trusts server_cert and wrong_host_cert */
  char *server_cert;       /* subjectAltName DNS:localhost, IP:127.0.0.1 */
  char *server_key;
  char *wrong_host_cert;   /* same CA, issued for wrong-host.example */
  char *wrong_host_key;
  char *other_ca_file;     /* a CA that signed none of them */
} FakeCloudCerts;

FakeCloudCerts *fake_cloud_certs_new  (GError        **error);
void            fake_cloud_certs_free (FakeCloudCerts *certs);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FakeCloudCerts, fake_cloud_certs_free)

typedef enum
{
  FAKE_CLOUD_FAIL_NONE,
  FAKE_CLOUD_FAIL_HTTP_500,
  FAKE_CLOUD_FAIL_INVALID_JSON,
  FAKE_CLOUD_FAIL_DATA_NULL,
  FAKE_CLOUD_FAIL_WRONG_TYPE,     /* data is a string */
  FAKE_CLOUD_FAIL_CODE_1000,
  FAKE_CLOUD_FAIL_CODE_1006,
  FAKE_CLOUD_FAIL_CODE_8512,
  FAKE_CLOUD_FAIL_CODE_UNKNOWN,   /* 4711, a code no document lists */
  FAKE_CLOUD_FAIL_HUGE,           /* 17 MiB with a Content-Length */
  FAKE_CLOUD_FAIL_HUGE_CHUNKED,   /* 17 MiB chunked, no Content-Length */
  FAKE_CLOUD_FAIL_DEEP,           /* nested 100,000 levels deep */
  FAKE_CLOUD_FAIL_NO_CODE,        /* an object without "code" */
  FAKE_CLOUD_FAIL_CLOSE,          /* drop the connection without answering */
} FakeCloudFailure;

/* One request as the fake cloud saw it. */
typedef struct
{
  char *method;
  char *path;
  char *access_key;
  char *nonce;
  char *timestamp;
  char *body;       /* NULL for GET */
  char *code;       /* what the fake answered: "0", "8521", ..., "HTTP 500" */
} FakeCloudRequest;

typedef struct _FakeCloud FakeCloud;

FakeCloud      *fake_cloud_new             (const FakeCloudCerts *certs,
                                            gboolean              tls);
FakeCloud      *fake_cloud_new_with_cert   (const char           *cert_file,
                                            const char           *key_file);
void            fake_cloud_free            (FakeCloud            *self);
const char     *fake_cloud_get_base_url    (FakeCloud            *self);
guint16         fake_cloud_get_port        (FakeCloud            *self);

JuiceSimDevice *fake_cloud_add_device      (FakeCloud            *self,
                                            const char           *serial_number,
                                            const char           *name,
                                            const char           *product);
/* An entry served as is in the device list (to test malformed entries). */
void            fake_cloud_add_raw_device  (FakeCloud            *self,
                                            const char           *json);

/* Fails the next @count requests (-1: all) whose method is @method (NULL:
 * any), after their signature was checked. */
void            fake_cloud_fail            (FakeCloud            *self,
                                            const char           *method,
                                            FakeCloudFailure      failure,
                                            int                   count);
/* While @hold, answers each request as it arrives (a quota/all snapshot is
 * of that moment) but sends no answer before it is released. */
void            fake_cloud_hold_answers    (FakeCloud            *self,
                                            gboolean              hold);
/* Answers every request @delay_ms late. */
void            fake_cloud_set_delay_ms    (FakeCloud            *self,
                                            guint                 delay_ms);
/* Moves the fake cloud's clock: the timestamps it accepts are its own time
 * ±15 min, so a skew of 20 min makes every request stale. */
void            fake_cloud_set_skew_ms     (FakeCloud            *self,
                                            gint64                skew_ms);

GPtrArray      *fake_cloud_get_requests    (FakeCloud            *self);
guint           fake_cloud_count_requests  (FakeCloud            *self,
                                            const char           *method,
                                            const char           *path);
void            fake_cloud_clear_requests  (FakeCloud            *self);
/* quota/all requests for @serial_number since the start (clear_requests
 * leaves them). */
guint           fake_cloud_count_quota_all (FakeCloud            *self,
                                            const char           *serial_number);
/* Serves @json (a JSON literal, "true", "1e2") as @key's value in quota/all
 * and quota answers of every device that reports @key. */
void            fake_cloud_set_raw_quota   (FakeCloud            *self,
                                            const char           *key,
                                            const char           *json);
/* Requests received so far, including delayed ones not answered yet. */
guint           fake_cloud_get_n_arrived   (FakeCloud            *self);

/* What the certification endpoint answers: the broker to use. */
void            fake_cloud_set_certification (FakeCloud          *self,
                                              const char         *host,
                                              guint16             port,
                                              const char         *account,
                                              const char         *password);

/* The soak (issue 14): fails each request with probability @rate (0 to
 * stop), after its signature was checked and after the failures asked for
 * with fake_cloud_fail(): with @failure, or with FAKE_CLOUD_FAIL_NONE HTTP
 * 500 and code 1000 in turn. @seed makes a run repeatable. */
void            fake_cloud_set_failure_rate      (FakeCloud        *self,
                                                  double            rate,
                                                  FakeCloudFailure  failure,
                                                  guint32           seed);
guint           fake_cloud_get_n_random_failures (FakeCloud        *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FakeCloud, fake_cloud_free)

G_END_DECLS
