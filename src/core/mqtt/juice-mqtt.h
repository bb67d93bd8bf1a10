/* juice-mqtt.h: the MQTT link to EcoFlow's broker (Paho MQTTAsync over TLS)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * src/core/mqtt: the live link to EcoFlow's broker (Paho MQTTAsync over
 * TLS, with the login cloud/ fetched). It delivers raw payloads per topic and
 * correlates commands with their set_reply; it does not know products:
 * decoding reports is profiles/' job, routing them to devices is
 * model/juice-account.c's. The parts of JuiceMqtt are listed in
 * juice-mqtt-private.h.
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Payloads larger than this are dropped (and counted) without being parsed. */
#define JUICE_MQTT_MAX_PAYLOAD (8 * 1024 * 1024)
#define JUICE_MQTT_KEEPALIVE_SECONDS 15

#define JUICE_MQTT_ERROR (juice_mqtt_error_quark ())

typedef enum
{
  JUICE_MQTT_ERROR_INVALID_CONFIG,   /* bad host, plain MQTT to a host that is not loopback, ... */
  JUICE_MQTT_ERROR_NO_CREDENTIALS,
  JUICE_MQTT_ERROR_AUTH,             /* the broker refused the user name or password */
  JUICE_MQTT_ERROR_TLS,              /* the broker's certificate is not trusted */
  JUICE_MQTT_ERROR_REFUSED,          /* the broker refused the client for another reason */
  JUICE_MQTT_ERROR_CONNECT,          /* could not reach the broker (retried) */
  JUICE_MQTT_ERROR_SUBSCRIPTION_REFUSED, /* the broker refused a subscription (its ACL) */
} JuiceMqttError;

typedef enum
{
  JUICE_MQTT_STATE_DISCONNECTED,     /* not started, or stopped */
  JUICE_MQTT_STATE_CONNECTING,       /* an attempt is on its way */
  JUICE_MQTT_STATE_CONNECTED,
  JUICE_MQTT_STATE_RECONNECTING,     /* waiting "retry-seconds" before the next attempt */
  JUICE_MQTT_STATE_FAILED,           /* given up: see juice_mqtt_get_error() */
} JuiceMqttState;

#define JUICE_TYPE_MQTT_STATE (juice_mqtt_state_get_type ())
#define JUICE_TYPE_MQTT       (juice_mqtt_get_type ())

GType  juice_mqtt_state_get_type (void) G_GNUC_CONST;
GQuark juice_mqtt_error_quark    (void);

G_DECLARE_FINAL_TYPE (JuiceMqtt, juice_mqtt, JUICE, MQTT, GObject)

/* A connection to one MQTT broker, kept up until stopped: after a loss it
 * reconnects with exponential backoff (0.5 s doubling to 60 s, ±20 % jitter)
 * and subscribes again to every topic filter it was given. It gives up only
 * when retrying cannot help: the broker refused the credentials (then
 * "auth-failed" is emitted; set fresh ones and start again), or its TLS
 * certificate is not trusted.
 *
 * Paho calls back on its own threads; everything is handed to the main
 * context the object was created in, where every signal is emitted.
 *
 * Properties: "host", "port", "client-id", "ca-file", "tls", "user" (the
 * password is no property: it is held in memory only, never logged, wiped
 * when replaced), and read-only "state", "state-text" ("Connected",
 * "Reconnecting in 4 s", "Failed: …", "Connected, but the broker refused
 * the subscription to …") and "retry-seconds".
 *
 * Signals:
 *  - "message" (const char *topic, GBytes *payload): a message arrived on a
 *    subscribed topic. The payload is untrusted and at most
 *    JUICE_MQTT_MAX_PAYLOAD bytes.
 *  - "connected": after every (re)connect, once the broker acknowledged the
 *    subscriptions. Reports sent while away are not replayed: fetch them.
 *  - "auth-failed": the broker refused the credentials; the link stopped.
 *  - "subscription-failed" (const char *topic_filter, const GError *error):
 *    the broker refused a subscription (outside the account's ACL), so
 *    nothing arrives on it; after every (re)connect that it refuses it, before
 *    "connected". While connected, "state-text" then says "Connected, but the
 *    broker refused the subscription to …".
 */

JuiceMqtt      *juice_mqtt_new                   (const char           *host,
                                                  guint                 port,
                                                  const char           *client_id);

const char     *juice_mqtt_get_host              (JuiceMqtt            *self);
void            juice_mqtt_set_host              (JuiceMqtt            *self,
                                                  const char           *host);
guint           juice_mqtt_get_port              (JuiceMqtt            *self);
void            juice_mqtt_set_port              (JuiceMqtt            *self,
                                                  guint                 port);
const char     *juice_mqtt_get_client_id         (JuiceMqtt            *self);
/* A PEM file of CA certificates trusted in addition to the system's trust,
 * never instead of it: the broker's certificate is accepted when a CA of
 * either signed it. The system's trust is what OpenSSL finds by default,
 * honouring SSL_CERT_FILE and SSL_CERT_DIR; no path is built in. NULL for the
 * system's trust alone. Checked (and read) at start. */
const char     *juice_mqtt_get_ca_file           (JuiceMqtt            *self);
void            juice_mqtt_set_ca_file           (JuiceMqtt            *self,
                                                  const char           *ca_file);
/* TRUE (the default) for ssl://; plain tcp:// is allowed to loopback only. */
gboolean        juice_mqtt_get_tls               (JuiceMqtt            *self);
void            juice_mqtt_set_tls               (JuiceMqtt            *self,
                                                  gboolean              tls);
const char     *juice_mqtt_get_user              (JuiceMqtt            *self);
/* certificateAccount and certificatePassword. Takes effect at the next start. */
void            juice_mqtt_set_credentials       (JuiceMqtt            *self,
                                                  const char           *user,
                                                  const char           *password);

/* Connects, then keeps connected. Fails at once (and the state does not
 * change) only when the configuration cannot work; connection problems show
 * in "state" and juice_mqtt_get_error(). Starting a started link restarts it
 * with the current configuration. */
gboolean        juice_mqtt_start                 (JuiceMqtt            *self,
                                                  GError              **error);
/* Disconnects; commands waiting for a reply fail with G_IO_ERROR_CANCELLED. */
void            juice_mqtt_stop                  (JuiceMqtt            *self);

JuiceMqttState  juice_mqtt_get_state             (JuiceMqtt            *self);
const char     *juice_mqtt_get_state_text        (JuiceMqtt            *self);
guint           juice_mqtt_get_retry_seconds     (JuiceMqtt            *self);
/* Why the link failed or last lost an attempt; NULL when connected. */
const GError   *juice_mqtt_get_error             (JuiceMqtt            *self);

/* Remembered and subscribed again after every reconnect. Filters may hold
 * MQTT wildcards (+ and #). */
void            juice_mqtt_subscribe             (JuiceMqtt            *self,
                                                  const char           *topic_filter);
void            juice_mqtt_unsubscribe           (JuiceMqtt            *self,
                                                  const char           *topic_filter);
/* Publishes with QoS 1. Fails with G_IO_ERROR_NOT_CONNECTED unless connected. */
gboolean        juice_mqtt_publish               (JuiceMqtt            *self,
                                                  const char           *topic,
                                                  gconstpointer         payload,
                                                  gsize                 length,
                                                  GError              **error);

/* Publishes @params to /open/<account>/<serial_number>/set with a fresh id
 * and waits for the set_reply carrying the same id (as a string or a
 * number). When no granted subscription covers the reply topic, it is
 * subscribed first and the command goes out only once the broker granted it;
 * a refusal ends the command at once, unsent, with
 * JUICE_MQTT_ERROR_SUBSCRIPTION_REFUSED (and "subscription-failed").
 * Completes with TRUE for ack 0, else JUICE_DEVICE_ERROR_REFUSED; with
 * JUICE_DEVICE_ERROR_TIMEOUT after @timeout_ms; G_IO_ERROR_CANCELLED when
 * cancelled or stopped; G_IO_ERROR_NOT_CONNECTED when not connected, and
 * G_IO_ERROR_CONNECTION_CLOSED when the connection is lost before the reply. */
void            juice_mqtt_send_command_async    (JuiceMqtt            *self,
                                                  const char           *account,
                                                  const char           *serial_number,
                                                  JsonObject           *params,
                                                  guint                 timeout_ms,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
gboolean        juice_mqtt_send_command_finish   (JuiceMqtt            *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);

/* Messages dropped before "message": too large, or a topic that is not
 * UTF-8. */
guint           juice_mqtt_get_n_dropped         (JuiceMqtt            *self);
/* set_reply messages that matched no command of ours: another client's,
 * an unknown or late id, or not a JSON object with an id. */
guint           juice_mqtt_get_n_unmatched_replies (JuiceMqtt          *self);

/* Client ids. EcoFlow allows an account only a few new client ids a day,
 * and two connections with one id take over each other's session. So an
 * installation keeps a pool of at most JUICE_MQTT_CLIENT_ID_POOL_SIZE ids
 * ("juice-" and 16 hex digits, one file each in
 * $XDG_DATA_HOME/juice/mqtt-client-ids/, never regenerated while valid),
 * and each running program holds one of them exclusively (a flock()ed lock
 * file per id, released when the lease is freed or the process ends,
 * however it ends). When every id is held, claiming fails with
 * G_IO_ERROR_BUSY ("4 Juice programs are connected already") rather than
 * making the pool grow. The ids kept before the pool, one per tool
 * (juice-mqtt-client-id, juice-ctl-mqtt-client-id), fill its first slots. */
#define JUICE_MQTT_CLIENT_ID_POOL_SIZE 4

typedef struct _JuiceMqttClientIdLease JuiceMqttClientIdLease;

/* A lease on the first free id of the pool. */
JuiceMqttClientIdLease *juice_mqtt_client_id_lease_new    (GError                 **error);
const char             *juice_mqtt_client_id_lease_get_id (JuiceMqttClientIdLease  *lease);
void                    juice_mqtt_client_id_lease_free   (JuiceMqttClientIdLease  *lease);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JuiceMqttClientIdLease, juice_mqtt_client_id_lease_free)

/* The id this process holds until it ends: the first call leases one, later
 * calls return the same. What `juice` and `juice-ctl` connect with. */
char           *juice_mqtt_claim_client_id       (GError              **error);

/* Whether @topic matches the MQTT topic filter @filter (+ and # wildcards). */
gboolean        juice_mqtt_topic_matches         (const char           *filter,
                                                  const char           *topic);

G_END_DECLS
