/* juice-device-private.h: what the parts of JuiceDevice share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * juice-device.c           the object, its properties and signals, its API
 * juice-device-quota.c     the quota store: reports checked and applied,
 *                          headline values, quota getters
 * juice-device-commands.c  settings: commands sent, pending until the
 *                          readback confirms them or a timeout rolls back
 */

#pragma once

#include "juice-device.h"

G_BEGIN_DECLS

#define MAX_REPORT_BYTES     (1024 * 1024)
#define MAX_REPORT_DEPTH     32
#define MAX_KEY_LENGTH       128
#define MAX_RAW_LENGTH       4096   /* longer values are compared as nodes */
#define MAX_STORED_KEYS      4096
#define DEFAULT_TIMEOUT_MS   10000

typedef struct
{
  char                   *raw_key;   /* the device's spelling; owns the hash key */
  const char             *key;       /* the profile's spelling, or raw_key */
  const JuiceQuotaInfo   *info;      /* NULL for keys no profile lists */
  const JuiceSettingInfo *setting;   /* the setting this key reads back, if any */
  JsonNode               *value;
  GQuark                  detail;    /* known keys: their quark, minted once */
  guint                   headline;  /* which property the key feeds, HEADLINE_* */
  char                   *raw;       /* the value's text as last received, or NULL */
  guint32                 raw_length;
  guint32                 raw_size;  /* bytes allocated at raw */
  guint64                 serial;    /* the live report that last sent it */
} QuotaEntry;

enum {
  HEADLINE_NONE,
  HEADLINE_SOC,
  HEADLINE_WATTS_IN,
  HEADLINE_WATTS_OUT,
  HEADLINE_REMAIN,
};

typedef struct
{
  JuiceDevice            *device;    /* weak: the task holds the device */
  const JuiceSettingInfo *setting;
  gint64                  value;
  GTask                  *task;
  GCancellable           *cancellable; /* stops the transport waiting for a reply */
  GSource                *timeout;     /* no confirmation in time: roll back */
  GSource                *cancelled;   /* the caller's cancellable fired */
  gboolean                accepted;
} PendingCommand;

struct _JuiceDevice
{
  GObject                   parent_instance;

  /* owned references */
  char                     *serial_number;
  char                     *name;
  char                     *product;
  GWeakRef                  transport;
  GHashTable               *quotas;      /* raw key (case-insensitive) -> QuotaEntry */
  GPtrArray                *report_shape; /* QuotaEntry (not owned) by position in the last report */
  GHashTable               *pending;     /* setting name -> PendingCommand */
  GMainContext             *context;     /* where the object was made: its sources run there */
  char                     *problem;

  /* state */
  const JuiceDeviceProfile *profile;
  double                    soc;
  int                       watts_in;
  int                       watts_out;
  int                       remain_minutes;
  gint64                    last_report_time;
  guint64                   report_serial; /* live reports applied so far */
  guint                     n_rejected;
  guint                     command_timeout_ms;
  guint                     online : 1;
  guint                     stale : 1;
  guint                     emit_all_quotas : 1;  /* someone listens without a detail */
};

enum {
  PROP_0,
  PROP_SERIAL_NUMBER,
  PROP_NAME,
  PROP_PRODUCT,
  PROP_ONLINE,
  PROP_STALE,
  PROP_SOC,
  PROP_WATTS_IN,
  PROP_WATTS_OUT,
  PROP_REMAIN_MINUTES,
  PROP_TRANSPORT,
  PROP_COMMAND_TIMEOUT,
  PROP_PROBLEM,
  N_PROPS
};

enum {
  QUOTA_CHANGED,
  SETTING_CHANGED,
  REPORT_APPLIED,
  N_SIGNALS
};

extern GParamSpec *_juice_device_properties[N_PROPS];
extern guint _juice_device_signals[N_SIGNALS];

/* juice-device-quota.c */
void _juice_device_quota_entry_free    (gpointer     data);

/* juice-device-commands.c */
void _juice_device_pending_command_free (gpointer    data);
/* A readback arrived for @entry: confirms its pending command, if any. */
void _juice_device_check_pending        (JuiceDevice *self,
                                         QuotaEntry  *entry);

G_END_DECLS
