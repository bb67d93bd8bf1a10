/* juice-history-private.h: what the juice-history-*.c files share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <sqlite3.h>

#include "juice-history.h"

G_BEGIN_DECLS

#define JUICE_HISTORY_SLOT_S          10            /* one raw sample per series per slot */
#define JUICE_HISTORY_AGGREGATE_S     300           /* 5-minute aggregates */
#define JUICE_HISTORY_RAW_KEEP_S      (30 * 86400)
#define JUICE_HISTORY_AGGREGATE_KEEP_S (731 * 86400)
#define JUICE_HISTORY_SCHEMA_VERSION  3

typedef enum
{
  RECORD_SAMPLE,
  RECORD_COUNTER,
  RECORD_NAME,
  RECORD_PRUNE,
} RecordKind;

/* One queued write. @serial_number is interned (g_intern_string). */
typedef struct
{
  RecordKind  kind;
  const char *serial_number;
  guint       id;          /* series or counter */
  gint64      time;        /* RECORD_PRUNE: "now" */
  double      value;
  char       *text;        /* RECORD_NAME: owned */
} JuiceHistoryRecord;

typedef struct _JuiceHistoryWriter JuiceHistoryWriter;

struct _JuiceHistory
{
  GObject             parent_instance;

  /* owned */
  char               *path;
  char               *notice;
  sqlite3            *read_db;     /* queries; guarded by read_lock */
  GHashTable         *statements;  /* SQL literal -> prepared statement on read_db */
  JuiceHistoryWriter *writer;
  GHashTable         *watched;     /* JuiceDevice -> Watch */
  GMainContext       *context;     /* where "changed" is emitted */

  /* state */
  GMutex              read_lock;
  JuiceHistoryClock   clock;
  gpointer            clock_data;
  gint64              next_prune;  /* by the history's clock */
};

/* Schema (juice-history-schema.c) */
sqlite3  *_juice_history_open_db          (const char   *path,
                                           gboolean      create,
                                           char        **notice,
                                           GError      **error);
/* Brings @db from its user_version up to @version (tests make older ones). */
gboolean  _juice_history_migrate          (sqlite3      *db,
                                           int           version,
                                           GError      **error);
gboolean  _juice_history_exec             (sqlite3      *db,
                                           const char   *sql,
                                           GError      **error);
void      _juice_history_set_sqlite_error (GError      **error,
                                           sqlite3      *db,
                                           const char   *what);
sqlite3_stmt *_juice_history_prepare      (sqlite3      *db,
                                           const char   *sql,
                                           GError      **error);

/* Writer thread (juice-history-writer.c) */
JuiceHistoryWriter *_juice_history_writer_new   (JuiceHistory       *history,
                                                 sqlite3            *db);
void                _juice_history_writer_push  (JuiceHistoryWriter *writer,
                                                 JuiceHistoryRecord *record);
void                _juice_history_writer_flush (JuiceHistoryWriter *writer);
void                _juice_history_writer_free  (JuiceHistoryWriter *writer);
/* One step of retention; FALSE when nothing was left to prune. */
gboolean            _juice_history_prune_step   (sqlite3            *db,
                                                 gint64              now,
                                                 GError            **error);

/* Watching devices (juice-history-watch.c) */
void      _juice_history_watch_free       (gpointer      data);

/* Queries (juice-history-query.c); callers hold read_lock. */
sqlite3_stmt *_juice_history_read_stmt    (JuiceHistory *self,
                                           const char   *sql,
                                           GError      **error);
gint64    _juice_history_device_id        (JuiceHistory *self,
                                           const char   *serial_number);
/* Raw samples are read from here on; older times come from aggregates. */
gint64    _juice_history_raw_cutoff       (gint64        now);

typedef struct
{
  gint64 time;
  double min;
  double mean;
  double max;
  guint  n;      /* samples behind the row: 1 for a raw sample */
} JuiceHistoryRow;

/* Rows of one series in [@from, @to] in time order: aggregates before the
 * raw cutoff (or everywhere when @aggregates_only), raw samples after. */
GArray   *_juice_history_read_rows        (JuiceHistory *self,
                                           gint64        device,
                                           JuiceHistorySeries series,
                                           gint64        from,
                                           gint64        to,
                                           gboolean      aggregates_only,
                                           GError      **error);
GArray   *_juice_history_decimate         (GArray       *rows,
                                           gint64        from,
                                           gint64        to,
                                           guint         max_points);

G_END_DECLS
