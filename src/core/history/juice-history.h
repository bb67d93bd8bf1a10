/* juice-history.h: what each device reported, kept on disk
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * src/core/history: what devices of model/ reported, kept in SQLite: a
 * writer thread (juice-history-writer.c), the schema and its migrations,
 * queries, daily energy and CSV export. The parts share
 * juice-history-private.h.
 */

#pragma once

#include <gio/gio.h>

#include "juice-device.h"

G_BEGIN_DECLS

/* The series recorded for every device. The order is part of the on-disk
 * format: append new series at the end. */
typedef enum
{
  JUICE_HISTORY_SERIES_SOC,           /* state of charge, % */
  JUICE_HISTORY_SERIES_WATTS_IN,      /* total input power, W */
  JUICE_HISTORY_SERIES_WATTS_OUT,     /* total output power, W */
  JUICE_HISTORY_SERIES_SOLAR_IN,      /* solar input, W */
  JUICE_HISTORY_SERIES_AC_IN,         /* AC input, W */
  JUICE_HISTORY_SERIES_AC_OUT,        /* AC output, W */
  JUICE_HISTORY_SERIES_DC_OUT,        /* car and DC output, W */
  JUICE_HISTORY_SERIES_BATTERY_TEMP,  /* main battery temperature, °C */
  JUICE_HISTORY_N_SERIES
} JuiceHistorySeries;

/* "soc", "watts_in", …: the name used in CSV and by juice-ctl. */
const char *juice_history_series_get_name (JuiceHistorySeries series);
/* "%", "W" or "°C". */
const char *juice_history_series_get_unit (JuiceHistorySeries series);
gboolean    juice_history_series_from_name (const char         *name,
                                            JuiceHistorySeries *series);

/* One point of a queried range. For raw samples min == mean == max. Times
 * are Unix seconds (UTC). */
typedef struct
{
  gint64 time;
  double min;
  double mean;
  double max;
} JuiceHistoryPoint;

/* One day of energy, from local midnight to the next. Wh. */
typedef struct
{
  gint64 day_start;  /* Unix seconds of local midnight */
  double wh_in_solar;
  double wh_in_ac;
  double wh_in_car;
  double wh_out_ac;
  double wh_out_dc;
} JuiceHistoryDay;

typedef struct
{
  char   *serial_number;
  char   *name;
  gint64  first_time;
  gint64  last_time;
} JuiceHistoryDeviceInfo;

/* The device's lifetime energy counters (Wh), when it sends them: daily
 * energy comes from these, else from integrating the power series. The
 * order is part of the on-disk format: append at the end. */
typedef enum
{
  JUICE_HISTORY_COUNTER_SOLAR_IN,  /* pd.chgSunPower */
  JUICE_HISTORY_COUNTER_AC_IN,     /* pd.chgPowerAc */
  JUICE_HISTORY_COUNTER_CAR_IN,    /* pd.chgPowerDc (car and DC adapters) */
  JUICE_HISTORY_COUNTER_AC_OUT,    /* pd.dsgPowerAc */
  JUICE_HISTORY_COUNTER_DC_OUT,    /* pd.dsgPowerDc */
  JUICE_HISTORY_N_COUNTERS
} JuiceHistoryCounter;

void juice_history_device_info_free (JuiceHistoryDeviceInfo *info);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (JuiceHistoryDeviceInfo, juice_history_device_info_free)

/* Returns "now" in Unix seconds; tests inject one to move time. */
typedef gint64 (*JuiceHistoryClock) (gpointer user_data);

#define JUICE_TYPE_HISTORY (juice_history_get_type ())

G_DECLARE_FINAL_TYPE (JuiceHistory, juice_history, JUICE, HISTORY, GObject)

/* Opens (creating it and its folder when missing) the database at @path,
 * or at $XDG_DATA_HOME/juice/history.db when @path is NULL. A database that
 * cannot be read is moved aside (see juice_history_get_notice()) and a new
 * one is made; NULL with @error only when no database can be made at all.
 *
 * Signals:
 *  - "changed" (const char *serial_number): samples of that device were
 *    written to disk (after each batch).
 *
 * Storage: raw samples (one per series per 10 s slot, the last wins) are
 * kept 30 days; every write also keeps the 5-minute aggregate (min, mean,
 * max, count) of its slot up to date, and those are kept 2 years. Queries
 * over ranges whose buckets are 5 minutes or wider read the aggregates.
 * Pruning runs at open and once a day of the history's clock, in small
 * steps on the writer thread.
 */
JuiceHistory *juice_history_new              (const char        *path,
                                              GError           **error);
const char   *juice_history_get_path         (JuiceHistory      *self);
/* A sentence for the user when the database was moved aside at open
 * (names where it went), else NULL. */
const char   *juice_history_get_notice       (JuiceHistory      *self);
void          juice_history_set_clock        (JuiceHistory      *self,
                                              JuiceHistoryClock  clock,
                                              gpointer           user_data);
gint64        juice_history_now              (JuiceHistory      *self);

/* Records the device's headline series on every report until unwatched
 * or disposed. Cheap on the main loop: values are queued, written by a
 * worker in batches. */
void          juice_history_watch_device     (JuiceHistory      *self,
                                              JuiceDevice       *device);
void          juice_history_unwatch_device   (JuiceHistory      *self,
                                              JuiceDevice       *device);
/* Queues one sample (at most one per series per 10 s is kept: the last of
 * the interval wins). */
void          juice_history_record           (JuiceHistory      *self,
                                              const char        *serial_number,
                                              JuiceHistorySeries series,
                                              gint64             time,
                                              double             value);
/* Queues a reading of a lifetime counter (Wh); kept per 5 minutes (the
 * first and the last reading of each). */
void          juice_history_record_counter   (JuiceHistory      *self,
                                              const char        *serial_number,
                                              JuiceHistoryCounter counter,
                                              gint64             time,
                                              double             value);
/* Remembers the device's name for juice_history_list_devices(). */
void          juice_history_set_device_name  (JuiceHistory      *self,
                                              const char        *serial_number,
                                              const char        *name);
/* Queues retention now (by the history's clock): raw samples older than
 * 30 days and aggregates older than 2 years go, in small steps. */
void          juice_history_prune            (JuiceHistory      *self);
/* Writes everything queued now and waits for it (tests, quit). */
void          juice_history_flush            (JuiceHistory      *self);

/* Points of @series in [@from, @to], decimated to at most @max_points
 * buckets (each with its min, mean and max, so peaks survive). Returns a
 * GArray of JuiceHistoryPoint in time order. */
GArray       *juice_history_query            (JuiceHistory      *self,
                                              const char        *serial_number,
                                              JuiceHistorySeries series,
                                              gint64             from,
                                              gint64             to,
                                              guint              max_points,
                                              GError           **error);
/* Daily energy for the days that overlap [@from, @to] in @tz (NULL: local
 * time). Returns a GArray of JuiceHistoryDay, oldest first. Each kind
 * comes from the device's lifetime counter when the day has readings of
 * it (resets are skipped), else from its power series (each 5-minute mean
 * times the time its samples cover, at most 10 s a sample); car input is
 * then total input minus solar and AC. Days without any data are left out. */
GArray       *juice_history_query_daily      (JuiceHistory      *self,
                                              const char        *serial_number,
                                              GTimeZone         *tz,
                                              gint64             from,
                                              gint64             to,
                                              GError           **error);
/* Today's energy (local time, by the history's clock), for the overview's
 * "Today: 3.2 kWh in, 1.1 kWh out": zeros when nothing was recorded yet. */
gboolean      juice_history_query_today      (JuiceHistory      *self,
                                              const char        *serial_number,
                                              JuiceHistoryDay   *day,
                                              GError           **error);
/* Devices with recorded samples: a GPtrArray of JuiceHistoryDeviceInfo. */
GPtrArray    *juice_history_list_devices     (JuiceHistory      *self,
                                              GError           **error);
/* Writes CSV (`time,serial_number,series,value,unit`, ISO 8601 UTC) for
 * one device (or every device when @serial_number is NULL) in [@from, @to]. */
gboolean      juice_history_export_csv       (JuiceHistory      *self,
                                              const char        *serial_number,
                                              gint64             from,
                                              gint64             to,
                                              GOutputStream     *stream,
                                              GCancellable      *cancellable,
                                              GError           **error);
void          juice_history_export_csv_async (JuiceHistory      *self,
                                              const char        *serial_number,
                                              gint64             from,
                                              gint64             to,
                                              GFile             *file,
                                              GCancellable      *cancellable,
                                              GAsyncReadyCallback callback,
                                              gpointer           user_data);
gboolean      juice_history_export_csv_finish (JuiceHistory     *self,
                                              GAsyncResult      *result,
                                              GError           **error);

G_END_DECLS
