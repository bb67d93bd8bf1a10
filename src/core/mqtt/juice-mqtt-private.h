/* juice-mqtt-private.h: what the parts of JuiceMqtt share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * juice-mqtt.c             the object, its properties, signals and API
 * juice-mqtt-connection.c  connect attempts, backoff, what Paho reported
 * juice-mqtt-link.c        Paho's threads: copy, queue, hand to the main context
 * juice-mqtt-subscriptions.c  topic filters and the broker's SUBACKs
 * juice-mqtt-commands.c    commands on /set, correlated with set_reply
 * juice-mqtt-trust.c       the system's trust plus the ca-file, as Paho takes it
 * juice-mqtt-client-id.c   the installation's pool of client ids
 * juice-mqtt-nodelay.c     commands sent at once (Nagle's algorithm off)
 */

#pragma once

#include <MQTTAsync.h>

#include "juice-mqtt.h"

G_BEGIN_DECLS

#define JUICE_MQTT_QOS 1

/* What a Paho callback copied, on its way to the main context. */
typedef enum
{
  JUICE_MQTT_EVENT_CONNECTED,
  JUICE_MQTT_EVENT_CONNECT_FAILED,
  JUICE_MQTT_EVENT_CONNECTION_LOST,
  JUICE_MQTT_EVENT_MESSAGE,
  JUICE_MQTT_EVENT_DROPPED,
  JUICE_MQTT_EVENT_SUBSCRIBED,
} JuiceMqttEventKind;

typedef struct
{
  JuiceMqttEventKind  kind;
  guint               tag;         /* the connect attempt or connection it belongs to */
  int                 code;        /* Paho's code; for a refused connect, MQTT's */
  char               *text;        /* Paho's message */
  char               *tls_error;   /* what OpenSSL said during the attempt */
  char               *topic;
  GBytes             *payload;
  gsize               size;        /* of a dropped payload */
  guint               request;     /* the subscribe request it answers */
  int                *granted;     /* the SUBACK's results, one per filter; 0x80: refused */
  guint               n_granted;
} JuiceMqttEvent;

/* How the broker answered a subscription on the current connection. */
typedef enum
{
  JUICE_MQTT_FILTER_PENDING = 1,   /* sent, not answered yet */
  JUICE_MQTT_FILTER_GRANTED,
  JUICE_MQTT_FILTER_REFUSED,       /* SUBACK 0x80: outside the ACL */
  JUICE_MQTT_FILTER_FAILED,        /* not answered: Paho gave up on it */
} JuiceMqttFilterStatus;

typedef struct _JuiceMqttLink JuiceMqttLink;

struct _JuiceMqtt
{
  GObject         parent_instance;

  /* configuration */
  char           *host;
  char           *client_id;
  char           *ca_file;
  char           *user;
  char           *password;        /* a secret: wiped when replaced */
  guint           port;
  gboolean        tls;

  /* owned references */
  GMainContext   *context;
  MQTTAsync       client;
  JuiceMqttLink  *link;
  GPtrArray      *subscriptions;   /* topic filters */
  GHashTable     *pending;         /* command id -> Pending */
  GHashTable     *filter_status;   /* topic filter -> JuiceMqttFilterStatus, this connection */
  GHashTable     *requests;        /* subscribe request -> GStrv of its filters */
  GError         *error;
  char           *trust_bundle;    /* the system's CA file and ca-file, for Paho */
  char           *trust_dir;       /* the system's CA folder, with trust_bundle */
  char           *failure_reason;  /* for "Failed: %s" */
  char           *state_text;

  /* state */
  JuiceMqttState  state;
  guint           retry_seconds;
  guint           backoff_step;    /* failed attempts since the last connect */
  guint           attempt;         /* numbers connect attempts */
  guint           connection;      /* numbers connections */
  GSource        *retry_source;
  GSource        *countdown_source;
  gint64          retry_at;        /* monotonic time of the next attempt */
  guint           n_dropped;
  guint           n_unmatched_replies;
  guint           next_command_id;
  guint           next_request;
  guint           resubscribe_request;   /* the one sent after connecting */
};

/* juice-mqtt.c */
void           _juice_mqtt_set_state              (JuiceMqtt                 *self,
                                                   JuiceMqttState             state,
                                                   guint                      retry_seconds);
void           _juice_mqtt_emit_message           (JuiceMqtt                 *self,
                                                   const char                *topic,
                                                   GBytes                    *payload);
void           _juice_mqtt_emit_connected         (JuiceMqtt                 *self);
void           _juice_mqtt_emit_auth_failed       (JuiceMqtt                 *self);
void           _juice_mqtt_emit_subscription_failed (JuiceMqtt               *self,
                                                   const char                *topic_filter,
                                                   const GError              *error);
void           _juice_mqtt_update_state_text      (JuiceMqtt                 *self);

/* juice-mqtt-subscriptions.c */
gboolean       _juice_mqtt_has_subscription       (JuiceMqtt                 *self,
                                                   const char                *topic_filter,
                                                   guint                     *index);
/* The filters the broker refused on this connection, in subscription order. */
GPtrArray     *_juice_mqtt_collect_refused        (JuiceMqtt                 *self);
/* Sends SUBSCRIBE for @filters; returns FALSE when Paho did not take it. */
gboolean       _juice_mqtt_send_subscribe         (JuiceMqtt                 *self,
                                                   char * const              *filters,
                                                   guint                      n_filters,
                                                   guint                     *request);
void           _juice_mqtt_handle_suback          (JuiceMqtt                 *self,
                                                   JuiceMqttEvent            *event);
/* Whether a filter with @status covers @topic. */
gboolean       _juice_mqtt_is_covered             (JuiceMqtt                 *self,
                                                   const char                *topic,
                                                   JuiceMqttFilterStatus      status);
JuiceMqttFilterStatus
               _juice_mqtt_get_filter_status      (JuiceMqtt                 *self,
                                                   const char                *filter);
GSource       *_juice_mqtt_add_timeout            (JuiceMqtt                 *self,
                                                   guint                      interval_ms,
                                                   GSourceFunc                func,
                                                   gpointer                   data);
void           _juice_mqtt_clear_source           (GSource                  **source);

/* juice-mqtt-connection.c */
void           _juice_mqtt_connect_now            (JuiceMqtt                 *self);
void           _juice_mqtt_teardown_client        (JuiceMqtt                 *self);
void           _juice_mqtt_handle_event           (JuiceMqtt                 *self,
                                                   JuiceMqttEvent            *event);

/* juice-mqtt-trust.c */
gboolean       _juice_mqtt_check_ca_file          (const char                *path,
                                                   GError                   **error);
gboolean       _juice_mqtt_trust_prepare          (JuiceMqtt                 *self,
                                                   GError                   **error);
void           _juice_mqtt_trust_clear            (JuiceMqtt                 *self);

/* juice-mqtt-link.c */
JuiceMqttLink *_juice_mqtt_link_new               (JuiceMqtt                 *self,
                                                   GMainContext              *context);
void           _juice_mqtt_link_unref             (JuiceMqttLink             *link);
void           _juice_mqtt_link_detach            (JuiceMqttLink             *link);
int            _juice_mqtt_link_set_callbacks     (JuiceMqttLink             *link,
                                                   MQTTAsync                  client);
gpointer       _juice_mqtt_link_prepare_connect   (JuiceMqttLink             *link,
                                                   guint                      attempt,
                                                   MQTTAsync_connectOptions  *options,
                                                   MQTTAsync_SSLOptions      *ssl);
gpointer       _juice_mqtt_link_prepare_subscribe (JuiceMqttLink             *link,
                                                   guint                      connection,
                                                   guint                      request,
                                                   guint                      n_filters,
                                                   MQTTAsync_responseOptions *response);
void           _juice_mqtt_link_forget            (gpointer                   token);

/* juice-mqtt-commands.c */
void           _juice_mqtt_commands_init          (JuiceMqtt                 *self);
void           _juice_mqtt_handle_reply           (JuiceMqtt                 *self,
                                                   const char                *topic,
                                                   GBytes                    *payload);
/* Sends the commands that waited for their reply topic's subscription, or
 * fails them when it was refused. */
void           _juice_mqtt_commands_update        (JuiceMqtt                 *self);
void           _juice_mqtt_fail_all_pending       (JuiceMqtt                 *self,
                                                   GQuark                     domain,
                                                   int                        code,
                                                   const char                *message);

/* A set_reply as read from the broker: the id is the command's, as a string
 * (a number or a string in the JSON); "code" and "data.ack" when present,
 * -1 when present but not a number. FALSE (nothing to clear) when @bytes is
 * not a reply with an id. */
typedef struct
{
  char     *id;
  gboolean  has_code;
  gint64    code;
  gboolean  has_ack;
  gint64    ack;
} JuiceMqttReply;

gboolean       _juice_mqtt_parse_reply            (const char                *bytes,
                                                   gsize                      size,
                                                   JuiceMqttReply            *reply);
void           _juice_mqtt_reply_clear            (JuiceMqttReply            *reply);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (JuiceMqttReply, _juice_mqtt_reply_clear)

/* juice-mqtt-client-id.c: 1 to 64 letters, digits, '-' or '_'. */
gboolean       _juice_mqtt_is_valid_client_id     (const char                *id);

/* juice-mqtt-nodelay.c: TCP_NODELAY on this process's sockets to @port;
 * returns how many. */
guint          _juice_mqtt_disable_nagle          (guint                      port);

G_END_DECLS
