/* juice-account-private.h: JuiceAccount's message readers, for tests and fuzzers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "juice-account.h"
#include "juice-report-coalescer.h"

G_BEGIN_DECLS

/* Reads a device's /status message ({"params":{"status":1}}) as JuiceAccount
 * does: TRUE with @status set, or FALSE when it is not a status message. */
gboolean _juice_account_parse_status (const char *data,
                                      gsize       length,
                                      gint64     *status);

/* What juice-account.c, juice-account-link.c and juice-account-transport.c
 * share. */

typedef struct
{
  JuiceDevice          *device;
  GSource              *silence;   /* fires when the device has been quiet too long */
  JuiceReportCoalescer *reports;
} Slot;

struct _JuiceAccount
{
  GObject       parent_instance;

  /* owned references */
  JuiceCloud   *cloud;
  JuiceMqtt    *mqtt;
  GListStore   *devices;
  GHashTable   *slots;           /* serial number -> Slot */
  GCancellable *cancellable;     /* the account's own fetches; replaced at disconnect */
  GMainContext *context;         /* where the account was made: its sources run there */
  GPtrArray    *readbacks;       /* Readback: HTTP read-backs waiting or on their way */
  char         *mqtt_client_id;
  char         *mqtt_ca_file;
  char         *mqtt_account;    /* certificateAccount: the topic prefix */
  char         *topic_prefix;    /* "/open/<account>/" */
  char         *link_state;
  char         *only_serial_number; /* NULL: every device of the account */

  /* state */
  guint         silence_seconds;
  guint         n_ignored;
  guint         n_renewals;
  guint         renewing : 1;
  guint         connect_fetched : 1;  /* the first "connected" needs no fetch of its own */
};

enum {
  PROP_0,
  PROP_DEVICES,
  PROP_MQTT,
  PROP_LINK_STATE,
  PROP_SILENCE_SECONDS,
  N_PROPS
};

extern GParamSpec *_juice_account_properties[N_PROPS];

/* juice-account.c */
void  _juice_account_slot_heard          (JuiceAccount            *self,
                                          Slot                    *slot);
Slot *_juice_account_ensure_slot         (JuiceAccount            *self,
                                          const char              *serial_number,
                                          const char              *product);
/* Flushes the device's queued reports and returns its report serial: note
 * it as a request for a snapshot of values leaves. */
guint64 _juice_account_snapshot_serial   (JuiceAccount            *self,
                                          const char              *serial_number);
/* Applies a snapshot asked for at report serial @since. */
void  _juice_account_apply_quotas        (JuiceAccount            *self,
                                          const char              *serial_number,
                                          JsonObject              *quotas,
                                          guint64                  since);
void  _juice_account_fetch_all_quotas    (JuiceAccount            *self,
                                          const char              *serial_number,
                                          GAsyncReadyCallback      callback,
                                          gpointer                 user_data);

/* juice-account-transport.c */
void  _juice_account_stop_readbacks      (JuiceAccount            *self);
void  _juice_account_transport_iface_init (JuiceTransportInterface *iface);

G_END_DECLS
