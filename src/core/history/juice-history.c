/* juice-history.c: what each device reported, kept on disk
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "juice-history"

#include <math.h>

#include <glib/gi18n.h>

#include "juice-history-private.h"

G_DEFINE_FINAL_TYPE (JuiceHistory, juice_history, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const struct {
  const char *name;
  const char *unit;
} series_info[JUICE_HISTORY_N_SERIES] = {
  [JUICE_HISTORY_SERIES_SOC] = { "soc", "%" },
  [JUICE_HISTORY_SERIES_WATTS_IN] = { "watts_in", "W" },
  [JUICE_HISTORY_SERIES_WATTS_OUT] = { "watts_out", "W" },
  [JUICE_HISTORY_SERIES_SOLAR_IN] = { "solar_in", "W" },
  [JUICE_HISTORY_SERIES_AC_IN] = { "ac_in", "W" },
  [JUICE_HISTORY_SERIES_AC_OUT] = { "ac_out", "W" },
  [JUICE_HISTORY_SERIES_DC_OUT] = { "dc_out", "W" },
  [JUICE_HISTORY_SERIES_BATTERY_TEMP] = { "battery_temp", "°C" },
};

const char *
juice_history_series_get_name (JuiceHistorySeries series)
{
  g_return_val_if_fail (series < JUICE_HISTORY_N_SERIES, NULL);

  return series_info[series].name;
}

const char *
juice_history_series_get_unit (JuiceHistorySeries series)
{
  g_return_val_if_fail (series < JUICE_HISTORY_N_SERIES, NULL);

  return series_info[series].unit;
}

gboolean
juice_history_series_from_name (const char         *name,
                                JuiceHistorySeries *series)
{
  g_return_val_if_fail (name != NULL, FALSE);

  for (guint i = 0; i < JUICE_HISTORY_N_SERIES; i++)
    if (g_str_equal (name, series_info[i].name))
      {
        if (series != NULL)
          *series = i;
        return TRUE;
      }

  return FALSE;
}

void
juice_history_device_info_free (JuiceHistoryDeviceInfo *info)
{
  if (info == NULL)
    return;

  g_free (info->serial_number);
  g_free (info->name);
  g_free (info);
}

static void
juice_history_dispose (GObject *object)
{
  JuiceHistory *self = JUICE_HISTORY (object);

  /* Unwatching disconnects from the devices while they still hold us. */
  g_clear_pointer (&self->watched, g_hash_table_unref);

  G_OBJECT_CLASS (juice_history_parent_class)->dispose (object);
}

static void
juice_history_finalize (GObject *object)
{
  JuiceHistory *self = JUICE_HISTORY (object);

  /* Joins the thread after it wrote what was queued. */
  g_clear_pointer (&self->writer, _juice_history_writer_free);
  g_clear_pointer (&self->statements, g_hash_table_unref);
  g_clear_pointer (&self->read_db, sqlite3_close);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->notice, g_free);
  g_mutex_clear (&self->read_lock);

  G_OBJECT_CLASS (juice_history_parent_class)->finalize (object);
}

static void
juice_history_class_init (JuiceHistoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = juice_history_dispose;
  object_class->finalize = juice_history_finalize;

  /**
   * JuiceHistory::changed:
   * @serial_number: the device whose samples were written
   *
   * Emitted on the main context that made the history after each batch.
   */
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
juice_history_init (JuiceHistory *self)
{
  g_mutex_init (&self->read_lock);
  self->watched = g_hash_table_new_full (NULL, NULL, NULL, _juice_history_watch_free);
}

JuiceHistory *
juice_history_new (const char  *path,
                   GError     **error)
{
  g_autoptr(JuiceHistory) self = g_object_new (JUICE_TYPE_HISTORY, NULL);
  sqlite3 *db;

  self->path = path != NULL ? g_strdup (path)
                            : g_build_filename (g_get_user_data_dir (), "juice", "history.db", NULL);
  self->context = g_main_context_ref_thread_default ();

  db = _juice_history_open_db (self->path, TRUE, &self->notice, error);
  if (db == NULL)
    return NULL;

  self->read_db = _juice_history_open_db (self->path, FALSE, NULL, error);
  if (self->read_db == NULL)
    {
      sqlite3_close (db);
      return NULL;
    }

  self->writer = _juice_history_writer_new (self, db);

  /* Retention runs with the first record (by then a test's clock is set),
   * then once a day of the clock: see check_record(). */
  self->next_prune = G_MININT64;

  return g_steal_pointer (&self);
}

const char *
juice_history_get_path (JuiceHistory *self)
{
  g_return_val_if_fail (JUICE_IS_HISTORY (self), NULL);

  return self->path;
}

const char *
juice_history_get_notice (JuiceHistory *self)
{
  g_return_val_if_fail (JUICE_IS_HISTORY (self), NULL);

  return self->notice;
}

void
juice_history_set_clock (JuiceHistory      *self,
                         JuiceHistoryClock  clock,
                         gpointer           user_data)
{
  g_return_if_fail (JUICE_IS_HISTORY (self));

  self->clock = clock;
  self->clock_data = user_data;
}

gint64
juice_history_now (JuiceHistory *self)
{
  g_return_val_if_fail (JUICE_IS_HISTORY (self), 0);

  if (self->clock != NULL)
    return self->clock (self->clock_data);

  return g_get_real_time () / G_USEC_PER_SEC;
}

static gboolean
check_record (JuiceHistory *self,
              const char   *serial_number,
              gint64        time,
              double        value)
{
  g_return_val_if_fail (JUICE_IS_HISTORY (self), FALSE);
  g_return_val_if_fail (serial_number != NULL && *serial_number != '\0', FALSE);

  /* Values come from the network: a NaN or a time before 1970 is dropped. */
  if (!isfinite (value) || time < 0)
    return FALSE;

  if (time >= self->next_prune)
    {
      self->next_prune = time + 86400;
      juice_history_prune (self);
    }

  return TRUE;
}

void
juice_history_record (JuiceHistory       *self,
                      const char         *serial_number,
                      JuiceHistorySeries  series,
                      gint64              time,
                      double              value)
{
  JuiceHistoryRecord record = { RECORD_SAMPLE, };

  g_return_if_fail (series < JUICE_HISTORY_N_SERIES);
  if (!check_record (self, serial_number, time, value))
    return;

  record.serial_number = g_intern_string (serial_number);
  record.id = series;
  record.time = time;
  record.value = value;
  _juice_history_writer_push (self->writer, &record);
}

void
juice_history_record_counter (JuiceHistory        *self,
                              const char          *serial_number,
                              JuiceHistoryCounter  counter,
                              gint64               time,
                              double               value)
{
  JuiceHistoryRecord record = { RECORD_COUNTER, };

  g_return_if_fail (counter < JUICE_HISTORY_N_COUNTERS);
  if (!check_record (self, serial_number, time, value) || value < 0)
    return;

  record.serial_number = g_intern_string (serial_number);
  record.id = counter;
  record.time = time;
  record.value = value;
  _juice_history_writer_push (self->writer, &record);
}

void
juice_history_set_device_name (JuiceHistory *self,
                               const char   *serial_number,
                               const char   *name)
{
  JuiceHistoryRecord record = { RECORD_NAME, };

  g_return_if_fail (JUICE_IS_HISTORY (self));
  g_return_if_fail (serial_number != NULL && *serial_number != '\0');

  if (name == NULL || !g_utf8_validate (name, -1, NULL))
    return;

  record.serial_number = g_intern_string (serial_number);
  record.text = g_strdup (name);
  _juice_history_writer_push (self->writer, &record);
}

void
juice_history_prune (JuiceHistory *self)
{
  JuiceHistoryRecord record = { RECORD_PRUNE, };

  g_return_if_fail (JUICE_IS_HISTORY (self));

  record.serial_number = g_intern_static_string ("");
  record.time = juice_history_now (self);
  _juice_history_writer_push (self->writer, &record);
}

void
juice_history_flush (JuiceHistory *self)
{
  g_return_if_fail (JUICE_IS_HISTORY (self));

  _juice_history_writer_flush (self->writer);
}
