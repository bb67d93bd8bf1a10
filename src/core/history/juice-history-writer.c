/* juice-history-writer.c: the thread that writes samples in batches
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The main loop only appends to a locked queue (and wakes the thread when
 * the queue was empty). The thread waits up to BATCH_DELAY_US after the
 * first queued record, then writes the whole queue in one transaction.
 * Retention runs here too, one small step (one series of one device, a few
 * hours) per transaction.
 *
 * Each series' open 10 s slot (and each counter's reading, per 10 s) is
 * kept here, the last value winning, and written once when the slot closes: when a later slot begins, when the
 * series has been silent for SLOT_HOLD_US, on flush and on shutdown. A
 * 5-minute aggregate is made once its bucket closes (or on flush), not on
 * every batch. A kill -9 loses at most the open slot: SLOT_HOLD_US plus a
 * batch. The aggregate of the bucket open at such a kill is made again
 * when the history is next opened (repair_open_buckets()).
 */

#define G_LOG_DOMAIN "juice-history"

#include "juice-history-private.h"

#define BATCH_DELAY_US   (2 * G_USEC_PER_SEC)
#define BATCH_MAX        8192
#define PRUNE_RAW_STEP_S (6 * 3600)
#define PRUNE_OLD_STEP_S (7 * 86400)
/* A silent series' open slot is written this long after its last value. */
#define SLOT_HOLD_US     ((JUICE_HISTORY_SLOT_S + 2) * G_USEC_PER_SEC)

struct _JuiceHistoryWriter
{
  /* owned */
  GThread      *thread;
  sqlite3      *db;
  GArray       *queue;        /* JuiceHistoryRecord */
  GWeakRef      history;
  GMainContext *context;
  GHashTable   *device_ids;   /* interned serial number -> id */
  sqlite3_stmt *insert_device;
  sqlite3_stmt *select_device;
  sqlite3_stmt *update_name;
  sqlite3_stmt *insert_sample;
  sqlite3_stmt *update_aggregate;
  sqlite3_stmt *insert_counter;

  /* state, under lock */
  GMutex        lock;
  GCond         cond;
  guint64       pushed;
  guint64       written;
  gint64        prune_now;    /* 0: no retention under way */
  guint64       flush_asked;  /* flushes asked for ... */
  guint64       flush_done;   /* ... and done: open slots and buckets written */
  gboolean      quit;

  /* state, writer thread only */
  gboolean      failing;      /* the last batch failed: said once, not every batch */
  GHashTable   *open_slots;   /* OpenSlot (by device and series) */
  GHashTable   *stale;        /* Bucket whose aggregate is to be made again */
  gint64        next_expiry;  /* monotonic µs when an open slot falls silent, or 0 */
};

/* The newest slot of one series (or counter) of one device, not written yet. */
typedef struct
{
  gint64  device;
  guint   series;       /* a series, or COUNTER_SLOT (counter) */
  gint64  slot;
  double  value;
  gint64  touched_us;   /* monotonic time of its last value */
  const char *serial_number;  /* interned */
} OpenSlot;

typedef struct
{
  GWeakRef   history;
  GPtrArray *serial_numbers;  /* interned */
} Changed;

static void
record_clear (gpointer data)
{
  JuiceHistoryRecord *record = data;

  g_clear_pointer (&record->text, g_free);
}

static gboolean
emit_changed (gpointer user_data)
{
  Changed *changed = user_data;
  g_autoptr(JuiceHistory) history = g_weak_ref_get (&changed->history);

  if (history != NULL)
    for (guint i = 0; i < changed->serial_numbers->len; i++)
      g_signal_emit_by_name (history, "changed", g_ptr_array_index (changed->serial_numbers, i));

  return G_SOURCE_REMOVE;
}

static void
changed_free (gpointer data)
{
  Changed *changed = data;

  g_weak_ref_clear (&changed->history);
  g_ptr_array_unref (changed->serial_numbers);
  g_free (changed);
}

static gint64
device_id (JuiceHistoryWriter *self,
           const char         *serial_number)
{
  gpointer id;

  if (g_hash_table_lookup_extended (self->device_ids, serial_number, NULL, &id))
    return GPOINTER_TO_SIZE (id);

  sqlite3_bind_text (self->insert_device, 1, serial_number, -1, SQLITE_STATIC);
  sqlite3_step (self->insert_device);
  sqlite3_reset (self->insert_device);

  sqlite3_bind_text (self->select_device, 1, serial_number, -1, SQLITE_STATIC);
  if (sqlite3_step (self->select_device) != SQLITE_ROW)
    {
      sqlite3_reset (self->select_device);
      return -1;
    }
  id = GSIZE_TO_POINTER ((gsize) sqlite3_column_int64 (self->select_device, 0));
  sqlite3_reset (self->select_device);

  /* Only after the transaction commits is the id certain: see write_batch(). */
  g_hash_table_insert (self->device_ids, (gpointer) serial_number, id);

  return GPOINTER_TO_SIZE (id);
}

static gboolean
step_done (sqlite3_stmt *stmt)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);

  return rc == SQLITE_DONE;
}

typedef struct
{
  gint64 device;
  guint  series;
  gint64 time;
} Bucket;

static guint
bucket_hash (gconstpointer data)
{
  const Bucket *b = data;

  return (guint) (b->device * 31 + b->series) ^ (guint) (b->time / JUICE_HISTORY_AGGREGATE_S);
}

static gboolean
bucket_equal (gconstpointer a,
              gconstpointer b)
{
  const Bucket *x = a, *y = b;

  return x->device == y->device && x->series == y->series && x->time == y->time;
}

static guint
open_slot_hash (gconstpointer data)
{
  const OpenSlot *o = data;

  return (guint) (o->device * 31 + o->series);
}

static gboolean
open_slot_equal (gconstpointer a,
                 gconstpointer b)
{
  const OpenSlot *x = a, *y = b;

  return x->device == y->device && x->series == y->series;
}

static void
add_changed (GPtrArray  *changed,
             const char *serial_number)
{
  if (!g_ptr_array_find (changed, serial_number, NULL))
    g_ptr_array_add (changed, (gpointer) serial_number);
}

/* Open counters share the table of open slots, after the series. */
#define COUNTER_SLOT(counter) (JUICE_HISTORY_N_SERIES + (counter))

/* Writes @open's sample (its bucket's aggregate is now to be made again),
 * or its counter reading. */
static gboolean
write_slot (JuiceHistoryWriter *self,
            const OpenSlot     *open,
            GPtrArray          *changed)
{
  sqlite3_stmt *stmt;
  Bucket *bucket;

  add_changed (changed, open->serial_number);

  if (open->series >= JUICE_HISTORY_N_SERIES)
    {
      stmt = self->insert_counter;
      sqlite3_bind_int64 (stmt, 1, open->device);
      sqlite3_bind_int (stmt, 2, open->series - JUICE_HISTORY_N_SERIES);
      sqlite3_bind_int64 (stmt, 3, open->slot - open->slot % JUICE_HISTORY_AGGREGATE_S);
      sqlite3_bind_double (stmt, 4, open->value);
      return step_done (stmt);
    }

  stmt = self->insert_sample;
  sqlite3_bind_int64 (stmt, 1, open->device);
  sqlite3_bind_int (stmt, 2, open->series);
  sqlite3_bind_int64 (stmt, 3, open->slot);
  sqlite3_bind_double (stmt, 4, open->value);

  bucket = g_new (Bucket, 1);
  bucket->device = open->device;
  bucket->series = open->series;
  bucket->time = open->slot - open->slot % JUICE_HISTORY_AGGREGATE_S;
  g_hash_table_add (self->stale, bucket);

  return step_done (stmt);
}

/* A sample joins its series' open slot (the last value wins), or closes it
 * and opens the next: only then is the closed one written. A counter's
 * reading is kept the same way, per 10 s. */
static gboolean
take_sample (JuiceHistoryWriter *self,
             gint64              id,
             JuiceHistoryRecord *record,
             GPtrArray          *changed)
{
  guint series = record->kind == RECORD_COUNTER ? COUNTER_SLOT (record->id) : record->id;
  OpenSlot key = { id, series, };
  gint64 slot = record->time - record->time % JUICE_HISTORY_SLOT_S;
  OpenSlot *open = g_hash_table_lookup (self->open_slots, &key);
  gboolean ok = TRUE;

  if (open == NULL)
    {
      open = g_new0 (OpenSlot, 1);
      open->device = id;
      open->series = series;
      open->serial_number = record->serial_number;
      g_hash_table_add (self->open_slots, open);
    }
  else if (open->slot != slot)
    ok = write_slot (self, open, changed);

  open->slot = slot;
  open->value = record->value;
  open->touched_us = g_get_monotonic_time ();

  return ok;
}

static gboolean
write_record (JuiceHistoryWriter *self,
              JuiceHistoryRecord *record,
              GPtrArray          *changed)
{
  gint64 id = device_id (self, record->serial_number);
  sqlite3_stmt *stmt;

  if (id < 0)
    return FALSE;

  switch (record->kind)
    {
    case RECORD_SAMPLE:
    case RECORD_COUNTER:
      return take_sample (self, id, record, changed);

    case RECORD_NAME:
      stmt = self->update_name;
      sqlite3_bind_text (stmt, 1, record->text, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, id);
      break;

    case RECORD_PRUNE:
    default:
      g_assert_not_reached ();
    }

  return step_done (stmt);
}

/* Writes the open slots that closed by silence (all of them when @all), then
 * makes again the aggregates of the buckets written to, but for the buckets
 * still open (unless @all). */
static gboolean
write_closed (JuiceHistoryWriter *self,
              gboolean            all,
              GPtrArray          *changed)
{
  gint64 now = g_get_monotonic_time ();
  GHashTableIter iter;
  OpenSlot *open;
  Bucket *bucket;
  gboolean ok = TRUE;

  g_hash_table_iter_init (&iter, self->open_slots);
  while (ok && g_hash_table_iter_next (&iter, (gpointer *) &open, NULL))
    if (all || now - open->touched_us >= SLOT_HOLD_US)
      {
        ok = write_slot (self, open, changed);
        g_hash_table_iter_remove (&iter);
      }

  /* Every written 5-minute aggregate is made again from its raw samples:
   * exact, whichever value won its slots. */
  g_hash_table_iter_init (&iter, self->stale);
  while (ok && g_hash_table_iter_next (&iter, (gpointer *) &bucket, NULL))
    {
      OpenSlot key = { bucket->device, bucket->series, };

      if (!all && (open = g_hash_table_lookup (self->open_slots, &key)) != NULL &&
          open->slot - open->slot % JUICE_HISTORY_AGGREGATE_S == bucket->time)
        continue;

      sqlite3_bind_int64 (self->update_aggregate, 1, bucket->device);
      sqlite3_bind_int (self->update_aggregate, 2, bucket->series);
      sqlite3_bind_int64 (self->update_aggregate, 3, bucket->time);
      ok = step_done (self->update_aggregate);
      g_hash_table_iter_remove (&iter);
    }

  return ok;
}

static void
update_next_expiry (JuiceHistoryWriter *self)
{
  GHashTableIter iter;
  OpenSlot *open;

  self->next_expiry = 0;
  g_hash_table_iter_init (&iter, self->open_slots);
  while (g_hash_table_iter_next (&iter, (gpointer *) &open, NULL))
    if (self->next_expiry == 0 || open->touched_us + SLOT_HOLD_US < self->next_expiry)
      self->next_expiry = open->touched_us + SLOT_HOLD_US;
}

static gboolean
has_expired (JuiceHistoryWriter *self)
{
  return self->next_expiry != 0 && g_get_monotonic_time () >= self->next_expiry;
}

/* Returns the "now" of a retention request in @batch, else 0. @all: a
 * flush or shutdown, every open slot and bucket is written. */
static gint64
write_batch (JuiceHistoryWriter *self,
             GArray             *batch,
             gboolean            all)
{
  g_autoptr(GPtrArray) changed = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  gboolean ok = TRUE;
  guint n_written = 0;
  gint64 prune_now = 0;
  gboolean any_record = FALSE;

  for (guint i = 0; i < batch->len; i++)
    {
      const JuiceHistoryRecord *record = &g_array_index (batch, JuiceHistoryRecord, i);

      if (record->kind == RECORD_PRUNE)
        prune_now = MAX (prune_now, record->time);
      else
        any_record = TRUE;
    }

  /* Nothing to write: no transaction, nothing in the write-ahead log. */
  if (!any_record && !has_expired (self) &&
      !(all && (g_hash_table_size (self->open_slots) > 0 || g_hash_table_size (self->stale) > 0)))
    return prune_now;

  if (!_juice_history_exec (self->db, "BEGIN IMMEDIATE", &error))
    goto failed;

  for (guint i = 0; ok && i < batch->len; i++)
    {
      JuiceHistoryRecord *record = &g_array_index (batch, JuiceHistoryRecord, i);

      if (record->kind == RECORD_PRUNE)
        continue;

      ok = write_record (self, record, changed);
      n_written++;
    }

  ok = ok && write_closed (self, all, changed);

  if (!ok)
    {
      _juice_history_set_sqlite_error (&error, self->db, "Writing samples");
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      goto rolled_back;
    }

  if (!_juice_history_exec (self->db, "COMMIT", &error))
    {
      sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
      goto rolled_back;
    }

  g_debug ("Wrote %u records", n_written);
  if (self->failing)
    g_message ("Writing the history works again");
  self->failing = FALSE;
  update_next_expiry (self);

  if (changed->len > 0)
    {
      Changed *data = g_new0 (Changed, 1);
      g_autoptr(JuiceHistory) history = g_weak_ref_get (&self->history);

      g_weak_ref_init (&data->history, history);
      data->serial_numbers = g_steal_pointer (&changed);
      g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, emit_changed, data,
                                  changed_free);
    }
  return prune_now;

rolled_back:
  /* The ids and the slots may name rows that are not there. */
  g_hash_table_remove_all (self->device_ids);
  g_hash_table_remove_all (self->open_slots);
  g_hash_table_remove_all (self->stale);
failed:
  /* A full disk or a file gone bad: these samples are lost, the next batch
   * tries again. Said once until a batch gets through. */
  if (!self->failing)
    g_warning ("Could not write %u history records: %s", batch->len, error->message);
  self->failing = TRUE;
  update_next_expiry (self);
  return prune_now;
}

/* The bucket open when the app last ended, killed maybe: its aggregate is
 * made again from the samples written, once per series at start. */
static void
repair_open_buckets (JuiceHistoryWriter *self)
{
  sqlite3_stmt *devices = _juice_history_prepare (self->db, "SELECT id FROM devices", NULL);
  sqlite3_stmt *newest = _juice_history_prepare (self->db,
    "SELECT max (time) FROM samples WHERE device = ?1 AND series = ?2", NULL);

  if (devices == NULL || newest == NULL ||
      !_juice_history_exec (self->db, "BEGIN IMMEDIATE", NULL))
    goto out;

  while (sqlite3_step (devices) == SQLITE_ROW)
    for (guint s = 0; s < JUICE_HISTORY_N_SERIES; s++)
      {
        gint64 device = sqlite3_column_int64 (devices, 0);

        sqlite3_bind_int64 (newest, 1, device);
        sqlite3_bind_int (newest, 2, s);
        if (sqlite3_step (newest) == SQLITE_ROW && sqlite3_column_type (newest, 0) != SQLITE_NULL)
          {
            gint64 time = sqlite3_column_int64 (newest, 0);

            sqlite3_bind_int64 (self->update_aggregate, 1, device);
            sqlite3_bind_int (self->update_aggregate, 2, s);
            sqlite3_bind_int64 (self->update_aggregate, 3, time - time % JUICE_HISTORY_AGGREGATE_S);
            step_done (self->update_aggregate);
          }
        sqlite3_reset (newest);
      }

  if (!_juice_history_exec (self->db, "COMMIT", NULL))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);

out:
  g_clear_pointer (&devices, sqlite3_finalize);
  g_clear_pointer (&newest, sqlite3_finalize);
}

gboolean
_juice_history_prune_step (sqlite3  *db,
                           gint64    now,
                           GError  **error)
{
  static const struct {
    const char *min_sql;
    const char *delete_sql;
    gint64      keep;
    gint64      step;
    guint       n_ids;
  } tables[] = {
    { "SELECT min (time) FROM samples WHERE device = ?1 AND series = ?2",
      "DELETE FROM samples WHERE device = ?1 AND series = ?2 AND time < ?3",
      JUICE_HISTORY_RAW_KEEP_S, PRUNE_RAW_STEP_S, JUICE_HISTORY_N_SERIES },
    { "SELECT min (time) FROM aggregates WHERE device = ?1 AND series = ?2",
      "DELETE FROM aggregates WHERE device = ?1 AND series = ?2 AND time < ?3",
      JUICE_HISTORY_AGGREGATE_KEEP_S, PRUNE_OLD_STEP_S, JUICE_HISTORY_N_SERIES },
    { "SELECT min (time) FROM counters WHERE device = ?1 AND counter = ?2",
      "DELETE FROM counters WHERE device = ?1 AND counter = ?2 AND time < ?3",
      JUICE_HISTORY_AGGREGATE_KEEP_S, PRUNE_OLD_STEP_S, JUICE_HISTORY_N_COUNTERS },
  };
  g_autoptr(GArray) devices = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt;

  stmt = _juice_history_prepare (db, "SELECT id FROM devices", error);
  if (stmt == NULL)
    return FALSE;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (devices, id);
    }
  sqlite3_finalize (stmt);

  for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
    {
      gint64 cutoff = now - tables[t].keep;

      for (guint d = 0; d < devices->len; d++)
        for (guint s = 0; s < tables[t].n_ids; s++)
          {
            gint64 device = g_array_index (devices, gint64, d);
            gboolean old = FALSE;
            gint64 oldest = 0;

            stmt = _juice_history_prepare (db, tables[t].min_sql, error);
            if (stmt == NULL)
              return FALSE;
            sqlite3_bind_int64 (stmt, 1, device);
            sqlite3_bind_int (stmt, 2, s);
            if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
              {
                oldest = sqlite3_column_int64 (stmt, 0);
                old = oldest < cutoff;
              }
            sqlite3_finalize (stmt);

            if (!old)
              continue;

            stmt = _juice_history_prepare (db, tables[t].delete_sql, error);
            if (stmt == NULL)
              return FALSE;
            sqlite3_bind_int64 (stmt, 1, device);
            sqlite3_bind_int (stmt, 2, s);
            sqlite3_bind_int64 (stmt, 3, MIN (cutoff, oldest + tables[t].step));
            if (sqlite3_step (stmt) != SQLITE_DONE)
              {
                _juice_history_set_sqlite_error (error, db, "Pruning the history");
                sqlite3_finalize (stmt);
                return FALSE;
              }
            sqlite3_finalize (stmt);
            g_debug ("Pruned %d rows of table %u", sqlite3_changes (db), t);

            return TRUE;
          }
    }

  return FALSE;
}

static gboolean
has_work (JuiceHistoryWriter *self)
{
  return self->quit || self->queue->len > 0 || self->prune_now != 0 ||
         self->flush_asked != self->flush_done;
}

static gpointer
writer_thread (gpointer data)
{
  JuiceHistoryWriter *self = data;

  repair_open_buckets (self);

  g_mutex_lock (&self->lock);
  while (TRUE)
    {
      g_autoptr(GArray) batch = NULL;
      guint64 target, flush_target;
      gint64 prune_now;
      gboolean more = FALSE;
      gboolean all;

      /* Asleep until records come, or an open slot falls silent. */
      while (!has_work (self))
        {
          if (self->next_expiry == 0)
            g_cond_wait (&self->cond, &self->lock);
          else if (!g_cond_wait_until (&self->cond, &self->lock, self->next_expiry))
            break;
        }

      if (self->queue->len > 0 && self->prune_now == 0)
        {
          gint64 deadline = g_get_monotonic_time () + BATCH_DELAY_US;

          while (!self->quit && self->flush_asked == self->flush_done &&
                 self->queue->len < BATCH_MAX &&
                 g_cond_wait_until (&self->cond, &self->lock, deadline))
            ;
        }

      batch = self->queue;
      self->queue = g_array_new (FALSE, FALSE, sizeof (JuiceHistoryRecord));
      g_array_set_clear_func (self->queue, record_clear);
      target = self->pushed;
      flush_target = self->flush_asked;
      all = self->quit || flush_target != self->flush_done;
      g_mutex_unlock (&self->lock);

      prune_now = write_batch (self, batch, all);

      g_mutex_lock (&self->lock);
      self->prune_now = MAX (self->prune_now, prune_now);
      prune_now = self->prune_now;
      g_mutex_unlock (&self->lock);

      if (prune_now != 0)
        {
          g_autoptr(GError) error = NULL;

          more = _juice_history_prune_step (self->db, prune_now, &error);
          if (error != NULL)
            g_warning ("%s", error->message);
        }

      g_mutex_lock (&self->lock);
      self->written = target;
      self->flush_done = flush_target;
      if (!more)
        self->prune_now = 0;
      g_cond_broadcast (&self->cond);

      if (self->quit && self->queue->len == 0)
        break;
    }
  g_mutex_unlock (&self->lock);

  return NULL;
}

JuiceHistoryWriter *
_juice_history_writer_new (JuiceHistory *history,
                           sqlite3      *db)
{
  JuiceHistoryWriter *self = g_new0 (JuiceHistoryWriter, 1);

  self->db = db;
  self->queue = g_array_new (FALSE, FALSE, sizeof (JuiceHistoryRecord));
  g_array_set_clear_func (self->queue, record_clear);
  g_weak_ref_init (&self->history, history);
  self->context = g_main_context_ref_thread_default ();
  self->device_ids = g_hash_table_new (NULL, NULL);
  self->open_slots = g_hash_table_new_full (open_slot_hash, open_slot_equal, g_free, NULL);
  self->stale = g_hash_table_new_full (bucket_hash, bucket_equal, g_free, NULL);
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);

  self->insert_device = _juice_history_prepare (db,
    "INSERT OR IGNORE INTO devices (serial_number) VALUES (?1)", NULL);
  self->select_device = _juice_history_prepare (db,
    "SELECT id FROM devices WHERE serial_number = ?1", NULL);
  self->update_name = _juice_history_prepare (db,
    "UPDATE devices SET name = ?1 WHERE id = ?2", NULL);
  self->insert_sample = _juice_history_prepare (db,
    "INSERT OR REPLACE INTO samples (device, series, time, value) VALUES (?1, ?2, ?3, ?4)", NULL);
  self->update_aggregate = _juice_history_prepare (db,
    "INSERT OR REPLACE INTO aggregates (device, series, time, min, sum, max, n)"
    " SELECT ?1, ?2, ?3, min (value), sum (value), max (value), count (*) FROM samples"
    " WHERE device = ?1 AND series = ?2 AND time >= ?3 AND time < ?3 + 300"
    " HAVING count (*) > 0", NULL);
  self->insert_counter = _juice_history_prepare (db,
    "INSERT INTO counters (device, counter, time, first, last) VALUES (?1, ?2, ?3, ?4, ?4)"
    " ON CONFLICT (device, counter, time) DO UPDATE SET last = excluded.last", NULL);
  /* The schema is ours and was just migrated: a statement that does not
   * prepare is a bug. */
  g_assert (self->insert_device && self->select_device && self->update_name
            && self->insert_sample && self->update_aggregate && self->insert_counter);

  self->thread = g_thread_new ("juice-history", writer_thread, self);

  return self;
}

void
_juice_history_writer_push (JuiceHistoryWriter *self,
                            JuiceHistoryRecord *record)
{
  g_mutex_lock (&self->lock);
  g_array_append_vals (self->queue, record, 1);
  self->pushed++;
  /* Wake the thread only to start a batch (or when one is full). */
  if (self->queue->len == 1 || self->queue->len == BATCH_MAX || record->kind == RECORD_PRUNE)
    g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
}

void
_juice_history_writer_flush (JuiceHistoryWriter *self)
{
  guint64 target, asked;

  g_mutex_lock (&self->lock);
  target = self->pushed;
  asked = ++self->flush_asked;
  g_cond_broadcast (&self->cond);
  while (self->written < target || self->flush_done < asked || self->prune_now != 0 ||
         self->queue->len > 0)
    g_cond_wait (&self->cond, &self->lock);
  g_mutex_unlock (&self->lock);
}

void
_juice_history_writer_free (JuiceHistoryWriter *self)
{
  g_mutex_lock (&self->lock);
  self->quit = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
  g_thread_join (self->thread);

  sqlite3_finalize (self->insert_device);
  sqlite3_finalize (self->select_device);
  sqlite3_finalize (self->update_name);
  sqlite3_finalize (self->insert_sample);
  sqlite3_finalize (self->update_aggregate);
  sqlite3_finalize (self->insert_counter);
  sqlite3_close (self->db);

  g_array_unref (self->queue);
  g_weak_ref_clear (&self->history);
  g_main_context_unref (self->context);
  g_hash_table_unref (self->device_ids);
  g_hash_table_unref (self->open_slots);
  g_hash_table_unref (self->stale);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);
  g_free (self);
}
