/* juice-history-schema.c: opening the database, migrations, moving a bad one aside
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "juice-history"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "juice-history-private.h"

/* Each entry brings the schema from version i to i + 1. Never edit one that
 * shipped: add a new one. */
static const char * const migrations[] = {
  /* 0 → 1: devices and raw samples */
  "CREATE TABLE devices ("
  "  id INTEGER PRIMARY KEY,"
  "  serial_number TEXT NOT NULL UNIQUE,"
  "  name TEXT);"
  "CREATE TABLE samples ("
  "  device INTEGER NOT NULL,"
  "  series INTEGER NOT NULL,"
  "  time INTEGER NOT NULL,"
  "  value REAL NOT NULL,"
  "  PRIMARY KEY (device, series, time)) WITHOUT ROWID;",

  /* 1 → 2: 5-minute aggregates, filled from the samples already there */
  "CREATE TABLE aggregates ("
  "  device INTEGER NOT NULL,"
  "  series INTEGER NOT NULL,"
  "  time INTEGER NOT NULL,"
  "  min REAL NOT NULL,"
  "  sum REAL NOT NULL,"
  "  max REAL NOT NULL,"
  "  n INTEGER NOT NULL,"
  "  PRIMARY KEY (device, series, time)) WITHOUT ROWID;"
  "INSERT INTO aggregates (device, series, time, min, sum, max, n)"
  "  SELECT device, series, time - time % 300, min (value), sum (value), max (value), count (*)"
  "  FROM samples GROUP BY device, series, time - time % 300;",

  /* 2 → 3: lifetime energy counters, first and last reading per 5 minutes */
  "CREATE TABLE counters ("
  "  device INTEGER NOT NULL,"
  "  counter INTEGER NOT NULL,"
  "  time INTEGER NOT NULL,"
  "  first REAL NOT NULL,"
  "  last REAL NOT NULL,"
  "  PRIMARY KEY (device, counter, time)) WITHOUT ROWID;",
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == JUICE_HISTORY_SCHEMA_VERSION);

void
_juice_history_set_sqlite_error (GError     **error,
                                 sqlite3     *db,
                                 const char  *what)
{
  int code = db != NULL ? sqlite3_errcode (db) : SQLITE_ERROR;
  GIOErrorEnum io = G_IO_ERROR_FAILED;

  switch (code & 0xff)
    {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      io = G_IO_ERROR_INVALID_DATA;
      break;
    case SQLITE_FULL:
      io = G_IO_ERROR_NO_SPACE;
      break;
    case SQLITE_PERM:
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
      io = G_IO_ERROR_PERMISSION_DENIED;
      break;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      io = G_IO_ERROR_BUSY;
      break;
    default:
      break;
    }

  g_set_error (error, G_IO_ERROR, io, "%s: %s", what,
               db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (code));
}

gboolean
_juice_history_exec (sqlite3     *db,
                     const char  *sql,
                     GError     **error)
{
  if (sqlite3_exec (db, sql, NULL, NULL, NULL) != SQLITE_OK)
    {
      _juice_history_set_sqlite_error (error, db, _("History database"));
      return FALSE;
    }

  return TRUE;
}

sqlite3_stmt *
_juice_history_prepare (sqlite3     *db,
                        const char  *sql,
                        GError     **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v3 (db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    {
      _juice_history_set_sqlite_error (error, db, _("History database"));
      return NULL;
    }

  return stmt;
}

static int
get_user_version (sqlite3  *db,
                  GError  **error)
{
  sqlite3_stmt *stmt = NULL;
  int version = -1;

  if (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL) == SQLITE_OK
      && sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  else
    _juice_history_set_sqlite_error (error, db, _("History database"));
  sqlite3_finalize (stmt);

  return version;
}

gboolean
_juice_history_migrate (sqlite3  *db,
                        int       version,
                        GError  **error)
{
  int current;

  g_return_val_if_fail (version <= JUICE_HISTORY_SCHEMA_VERSION, FALSE);

  current = get_user_version (db, error);
  if (current < 0)
    return FALSE;

  for (int v = current; v < version; v++)
    {
      g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %d", v + 1);

      g_debug ("Migrating the history from version %d to %d", v, v + 1);
      if (!_juice_history_exec (db, "BEGIN IMMEDIATE", error))
        return FALSE;
      if (!_juice_history_exec (db, migrations[v], error)
          || !_juice_history_exec (db, bump, error))
        {
          sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
          return FALSE;
        }
      if (!_juice_history_exec (db, "COMMIT", error))
        return FALSE;
    }

  return TRUE;
}

static gboolean
is_bad_file (int code)
{
  code &= 0xff;
  return code == SQLITE_CORRUPT || code == SQLITE_NOTADB;
}

/* Opens and checks; on a bad file returns NULL with *@bad set. */
static sqlite3 *
try_open (const char  *path,
          gboolean     create,
          gboolean    *bad,
          gboolean    *newer,
          GError     **error)
{
  sqlite3 *db = NULL;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
  int rc, version;

  *bad = *newer = FALSE;

  rc = sqlite3_open_v2 (path, &db, flags, NULL);
  if (rc != SQLITE_OK)
    {
      *bad = is_bad_file (rc);
      _juice_history_set_sqlite_error (error, db, _("Could not open the history database"));
      sqlite3_close (db);
      return NULL;
    }

  sqlite3_extended_result_codes (db, 1);
  sqlite3_busy_timeout (db, 10000);

  if (sqlite3_exec (db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL) != SQLITE_OK
      || sqlite3_exec (db, "PRAGMA synchronous = NORMAL", NULL, NULL, NULL) != SQLITE_OK
      /* 1 MiB of page cache per connection: memory stays flat as the file grows. */
      || sqlite3_exec (db, "PRAGMA cache_size = -1024", NULL, NULL, NULL) != SQLITE_OK
      || sqlite3_exec (db, "SELECT count (*) FROM sqlite_schema", NULL, NULL, NULL) != SQLITE_OK)
    goto failed;

  version = get_user_version (db, NULL);
  if (version < 0)
    goto failed;
  if (version > JUICE_HISTORY_SCHEMA_VERSION)
    {
      *newer = TRUE;
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("The history database was made by a newer version of Juice"));
      sqlite3_close (db);
      return NULL;
    }

  if (create && !_juice_history_migrate (db, JUICE_HISTORY_SCHEMA_VERSION, NULL))
    goto failed;

  return db;

failed:
  *bad = is_bad_file (sqlite3_errcode (db));
  _juice_history_set_sqlite_error (error, db, _("Could not read the history database"));
  sqlite3_close (db);
  return NULL;
}

static char *
move_aside (const char  *path,
            GError     **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *aside = NULL;

  for (guint i = 0; aside == NULL || g_file_test (aside, G_FILE_TEST_EXISTS); i++)
    {
      g_free (aside);
      aside = i == 0 ? g_strdup_printf ("%s.broken-%s", path, stamp)
                     : g_strdup_printf ("%s.broken-%s-%u", path, stamp, i);
    }

  if (g_rename (path, aside) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not move the unreadable history database aside: %s"),
                   g_strerror (saved));
      return NULL;
    }

  /* The journal files belong to the broken database: keep them with it. */
  for (guint i = 0; i < 2; i++)
    {
      const char *suffix = i == 0 ? "-wal" : "-shm";
      g_autofree char *from = g_strconcat (path, suffix, NULL);
      g_autofree char *to = g_strconcat (aside, suffix, NULL);

      if (g_file_test (from, G_FILE_TEST_EXISTS))
        g_rename (from, to);
    }

  return g_steal_pointer (&aside);
}

sqlite3 *
_juice_history_open_db (const char  *path,
                        gboolean     create,
                        char       **notice,
                        GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *aside = NULL;
  gboolean bad, newer;
  sqlite3 *db;

  if (create)
    {
      g_autofree char *dir = g_path_get_dirname (path);

      if (g_mkdir_with_parents (dir, 0700) != 0)
        {
          int saved = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                       _("Could not make the folder for the history database: %s"),
                       g_strerror (saved));
          return NULL;
        }
    }

  db = try_open (path, create, &bad, &newer, &local_error);
  if (db != NULL)
    return db;

  if (!create || !(bad || newer))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  g_message ("%s (%s): moving it aside", local_error->message, path);
  aside = move_aside (path, error);
  if (aside == NULL)
    return NULL;

  if (notice != NULL)
    {
      g_free (*notice);
      *notice = newer
        ? g_strdup_printf (_("The history was made by a newer version of Juice. It was moved "
                             "to %s and recording starts again."), aside)
        : g_strdup_printf (_("The history could not be read. It was moved to %s and "
                             "recording starts again."), aside);
    }

  g_clear_error (&local_error);
  db = try_open (path, create, &bad, &newer, error);

  return db;
}
