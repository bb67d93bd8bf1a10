/* juice-mqtt-client-id.c: the installation's small pool of MQTT client ids
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * EcoFlow allows an account only a few new client ids a day, and two
 * connections with one id take over each other's session. So the ids live
 * in a pool of JUICE_MQTT_CLIENT_ID_POOL_SIZE slots under
 * $XDG_DATA_HOME/juice/mqtt-client-ids/: slot N is "N.id" (the id, written
 * once, reused for ever while valid) and "N.lock" (flock()ed by the process
 * that holds the slot). A lock ends with its file descriptor: when the lease
 * is freed, or when the process ends, however it ends. The id file is only
 * written by the holder of its lock, and never renamed over while locked:
 * the lock lives on a file of its own.
 */

#define G_LOG_DOMAIN "juice-mqtt"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "juice-mqtt.h"
#include "juice-mqtt-private.h"

#define POOL_FOLDER "mqtt-client-ids"

struct _JuiceMqttClientIdLease
{
  char *id;
  int   lock_fd;
};

/* Before the pool, each tool kept one id: those ids are known to the
 * account already, so they seed the first slots instead of new ones. */
static const char * const legacy_files[] = {
  "juice-mqtt-client-id",
  "juice-ctl-mqtt-client-id",
};

G_LOCK_DEFINE_STATIC (process_lease);
static JuiceMqttClientIdLease *process_lease;

gboolean
_juice_mqtt_is_valid_client_id (const char *id)
{
  gsize len = id ? strlen (id) : 0;

  if (len == 0 || len > 64)
    return FALSE;

  for (const char *p = id; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
      return FALSE;

  return TRUE;
}

/* The valid id in @path, or NULL (missing, damaged, unreadable). */
static char *
read_id (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length;

  if (!g_file_get_contents (path, &contents, &length, NULL) || length > 256)
    return NULL;

  g_strstrip (contents);
  return _juice_mqtt_is_valid_client_id (contents) ? g_steal_pointer (&contents) : NULL;
}

static char *
slot_path (const char *dir,
           guint       slot,
           const char *suffix)
{
  g_autofree char *name = g_strdup_printf ("%u.%s", slot, suffix);

  return g_build_filename (dir, name, NULL);
}

/* Whether another slot of the pool holds @id already. */
static gboolean
is_in_other_slot (const char *dir,
                  guint       slot,
                  const char *id)
{
  for (guint i = 0; i < JUICE_MQTT_CLIENT_ID_POOL_SIZE; i++)
    {
      g_autofree char *path = NULL;
      g_autofree char *other = NULL;

      if (i == slot)
        continue;
      path = slot_path (dir, i, "id");
      other = read_id (path);
      if (g_strcmp0 (other, id) == 0)
        return TRUE;
    }

  return FALSE;
}

/* The id for a slot that has none yet: a legacy one when there is, else new. */
static char *
make_id (const char *dir,
         guint       slot)
{
  if (slot < G_N_ELEMENTS (legacy_files))
    {
      g_autofree char *legacy_path = g_build_filename (g_get_user_data_dir (), "juice",
                                                       legacy_files[slot], NULL);
      g_autofree char *legacy = read_id (legacy_path);

      if (legacy != NULL && !is_in_other_slot (dir, slot, legacy))
        {
          g_debug ("MQTT client id slot %u takes over the id of %s", slot, legacy_files[slot]);
          return g_steal_pointer (&legacy);
        }
    }

  return g_strdup_printf ("juice-%08x%08x", g_random_int (), g_random_int ());
}

/* Takes slot @slot if no other lease holds it: TRUE with @lease filled, or
 * FALSE with @error unset when it is held, FALSE with @error set on failure. */
static gboolean
try_slot (const char              *dir,
          guint                    slot,
          JuiceMqttClientIdLease  *lease,
          GError                 **error)
{
  g_autofree char *lock_path = slot_path (dir, slot, "lock");
  g_autofree char *id_path = slot_path (dir, slot, "id");
  g_autofree char *id = NULL;
  int fd;
  int rc;

  /* O_CLOEXEC: a child we spawn must not inherit, and so keep, the lock. */
  fd = g_open (lock_path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot open %s: %s"), lock_path, g_strerror (saved_errno));
      return FALSE;
    }

  do
    rc = flock (fd, LOCK_EX | LOCK_NB);
  while (rc != 0 && errno == EINTR);

  if (rc != 0)
    {
      int saved_errno = errno;

      g_close (fd, NULL);
      if (saved_errno == EWOULDBLOCK)
        return FALSE;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot lock %s: %s"), lock_path, g_strerror (saved_errno));
      return FALSE;
    }

  id = read_id (id_path);
  if (id == NULL)
    {
      g_autofree char *line = NULL;

      id = make_id (dir, slot);
      line = g_strconcat (id, "\n", NULL);
      if (!g_file_set_contents_full (id_path, line, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600,
                                     error))
        {
          g_close (fd, NULL);
          return FALSE;
        }
      g_debug ("MQTT client id slot %u: stored a new id", slot);
    }

  lease->id = g_steal_pointer (&id);
  lease->lock_fd = fd;

  return TRUE;
}

/**
 * juice_mqtt_client_id_lease_new:
 *
 * Returns: (transfer full): a lease on one client id of the pool, held
 *   exclusively until freed, or %NULL with @error set (%G_IO_ERROR_BUSY when
 *   every id of the pool is held).
 */
JuiceMqttClientIdLease *
juice_mqtt_client_id_lease_new (GError **error)
{
  g_autofree char *dir = NULL;
  g_autofree JuiceMqttClientIdLease *lease = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  dir = g_build_filename (g_get_user_data_dir (), "juice", POOL_FOLDER, NULL);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot create %s: %s"), dir, g_strerror (saved_errno));
      return NULL;
    }

  lease = g_new0 (JuiceMqttClientIdLease, 1);
  lease->lock_fd = -1;

  for (guint slot = 0; slot < JUICE_MQTT_CLIENT_ID_POOL_SIZE; slot++)
    {
      if (try_slot (dir, slot, lease, error))
        {
          g_debug ("Holding MQTT client id slot %u", slot);
          return g_steal_pointer (&lease);
        }
      if (error != NULL && *error != NULL)
        return NULL;
    }

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_BUSY,
               g_dngettext (GETTEXT_PACKAGE,
                            "%u Juice program is connected already: close it and try again",
                            "%u Juice programs are connected already: close one and try again",
                            JUICE_MQTT_CLIENT_ID_POOL_SIZE),
               JUICE_MQTT_CLIENT_ID_POOL_SIZE);
  return NULL;
}

const char *
juice_mqtt_client_id_lease_get_id (JuiceMqttClientIdLease *lease)
{
  g_return_val_if_fail (lease != NULL, NULL);

  return lease->id;
}

void
juice_mqtt_client_id_lease_free (JuiceMqttClientIdLease *lease)
{
  if (lease == NULL)
    return;

  /* Closing the last descriptor of the lock file releases the lock. */
  if (lease->lock_fd >= 0)
    g_close (lease->lock_fd, NULL);
  g_free (lease->id);
  g_free (lease);
}

/**
 * juice_mqtt_claim_client_id:
 *
 * Returns: (transfer full): this process's client id, the same on every
 *   call, held until the process ends; or %NULL with @error set.
 */
char *
juice_mqtt_claim_client_id (GError **error)
{
  char *id = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  G_LOCK (process_lease);
  if (process_lease == NULL)
    process_lease = juice_mqtt_client_id_lease_new (error);
  if (process_lease != NULL)
    id = g_strdup (process_lease->id);
  G_UNLOCK (process_lease);

  return id;
}
