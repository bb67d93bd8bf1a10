/* mosquitto-fixture.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "mosquitto-fixture"

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>

#include <glib/gstdio.h>

#include "mosquitto-fixture.h"
#include "time-util.h"

static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

/* A broker starts in well under a second; a machine that cannot resolve
 * "localhost" may take the resolver's full timeout to say so. Each is
 * stretched by JUICE_TEST_TIME_SCALE (time-util.h). */
#define START_TIMEOUT_S   20
#define RESOLVE_TIMEOUT_S 5
#define STOP_TIMEOUT_S    10

struct _MosquittoFixture
{
  char        *dir;
  char        *host;            /* what clients connect to */
  char        *mosquitto;       /* the binaries */
  char        *mosquitto_passwd;
  char        *openssl;
  char        *config_path;
  char        *log_path;
  char        *stderr_path;
  char        *ca_file;
  char        *wrong_ca_file;
  char        *account;
  char        *password;
  char        *other_account;
  char        *other_password;
  GSubprocess *process;
  guint        port;
  guint        plain_port;
};

/* Runs @argv to completion in the fixture's folder; its output goes into
 * the error when it fails. */
static gboolean
run (MosquittoFixture    *self,
     const char * const  *argv,
     GError             **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autofree char *output = NULL;

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_subprocess_launcher_set_cwd (launcher, self->dir);

  if (!(process = g_subprocess_launcher_spawnv (launcher, argv, error)))
    return FALSE;

  if (!g_subprocess_communicate_utf8 (process, NULL, NULL, &output, NULL, error))
    return FALSE;

  if (!g_subprocess_get_successful (process))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s failed: %s", argv[0],
                   output ? output : "");
      return FALSE;
    }

  return TRUE;
}

static gboolean
make_ca (MosquittoFixture  *self,
         const char        *name,
         const char        *common_name,
         GError           **error)
{
  g_autofree char *key = g_strdup_printf ("%s.key", name);
  g_autofree char *crt = g_strdup_printf ("%s.crt", name);
  g_autofree char *subject = g_strdup_printf ("/CN=%s", common_name);
  const char *argv[] = {
    self->openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
    "-nodes", "-keyout", key, "-out", crt, "-days", "2", "-subj", subject,
    "-addext", "basicConstraints=critical,CA:TRUE",
    "-addext", "keyUsage=critical,keyCertSign,cRLSign",
    NULL
  };

  return run (self, argv, error);
}

static gboolean
make_certificates (MosquittoFixture  *self,
                   GError           **error)
{
  const char *request[] = {
    self->openssl, "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
    "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost", NULL
  };
  const char *sign[] = {
    self->openssl, "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
    "-CAcreateserial", "-out", "server.crt", "-days", "2", "-extfile", "server.ext", NULL
  };
  g_autofree char *ext_path = g_build_filename (self->dir, "server.ext", NULL);
  const char *ext =
    "basicConstraints=critical,CA:FALSE\n"
    "keyUsage=critical,digitalSignature,keyEncipherment\n"
    "extendedKeyUsage=serverAuth\n"
    "subjectAltName=DNS:localhost,IP:127.0.0.1\n";

  if (!make_ca (self, "ca", "Juice Test CA", error) ||
      !make_ca (self, "wrong-ca", "Juice Wrong CA", error))
    return FALSE;

  if (!g_file_set_contents (ext_path, ext, -1, error))
    return FALSE;

  return run (self, request, error) && run (self, sign, error);
}

static gboolean
make_passwords (MosquittoFixture  *self,
                GError           **error)
{
  g_autofree char *path = g_build_filename (self->dir, "passwd", NULL);
  const char *first[] = {
    self->mosquitto_passwd, "-b", "passwd", self->account, self->password, NULL
  };
  const char *second[] = {
    self->mosquitto_passwd, "-b", "passwd", self->other_account, self->other_password, NULL
  };

  /* -b needs the file to exist. */
  if (!g_file_set_contents_full (path, "", 0, G_FILE_SET_CONTENTS_NONE, 0600, error))
    return FALSE;

  return run (self, first, error) && run (self, second, error);
}

static guint
pick_free_port (GError **error)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, error);
  if (socket == NULL || !g_socket_bind (socket, any, FALSE, error) ||
      !(bound = g_socket_get_local_address (socket, error)))
    return 0;

  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

static gboolean
write_config (MosquittoFixture  *self,
              GError           **error)
{
  g_autofree char *acl_path = g_build_filename (self->dir, "acl", NULL);
  g_autofree char *acl = NULL;
  g_autofree char *config = NULL;

  acl = g_strdup_printf ("user %s\ntopic readwrite /open/%s/#\n\n"
                         "user %s\ntopic readwrite /open/%s/#\n",
                         self->account, self->account,
                         self->other_account, self->other_account);
  if (!g_file_set_contents (acl_path, acl, -1, error))
    return FALSE;

  /* set_tcp_nodelay: the broker sends each message at once, as brokers
   * made for small messages commonly do; mosquitto's default keeps Nagle's
   * algorithm, which holds a message up to 40 ms behind an unacknowledged
   * one (Juice turns it off on its own side: juice-mqtt-nodelay.c).
   *
   * Started as root, mosquitto 2.0 switches to the user "mosquitto", who
   * cannot read a private temporary folder: "user" keeps whoever we are (it
   * does nothing when we are not root). */
  config = g_strdup_printf ("user %s\n"
                            "per_listener_settings false\n"
                            "allow_anonymous false\n"
                            "password_file %s/passwd\n"
                            "acl_file %s\n"
                            "persistence false\n"
                            "max_packet_size 16777216\n"
                            "set_tcp_nodelay true\n"
                            "log_dest file %s\n"
                            "log_type all\n"
                            "log_timestamp_format %%H:%%M:%%S\n"
                            "\n"
                            "listener %u 127.0.0.1\n"
                            "cafile %s\n"
                            "certfile %s/server.crt\n"
                            "keyfile %s/server.key\n"
                            "\n"
                            "listener %u 127.0.0.1\n",
                            g_get_user_name (),
                            self->dir, acl_path, self->log_path,
                            self->port, self->ca_file, self->dir, self->dir,
                            self->plain_port);

  return g_file_set_contents (self->config_path, config, -1, error);
}

static char *
random_secret (const char *prefix)
{
  return g_strdup_printf ("%s%08x%08x", prefix, g_random_int (), g_random_int ());
}

/* @name's path: $@env_var if set (tests of the fixture point it at what
 * is not there), else from PATH or @fallback_dir. */
static char *
find_program (const char  *name,
              const char  *env_var,
              const char  *fallback_dir,
              GError     **error)
{
  const char *override = g_getenv (env_var);
  g_autofree char *fallback = g_build_filename (fallback_dir, name, NULL);
  char *path;

  if (override != NULL)
    {
      if (!g_file_test (override, G_FILE_TEST_IS_EXECUTABLE))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                       "%s=%s is not an executable file", env_var, override);
          return NULL;
        }
      return g_strdup (override);
    }

  if ((path = g_find_program_in_path (name)) != NULL)
    return path;
  if (g_file_test (fallback, G_FILE_TEST_IS_EXECUTABLE))
    return g_steal_pointer (&fallback);

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
               "%s is not installed (build-aux/dev.sh test installs it)", name);
  return NULL;
}

typedef struct
{
  gboolean  done;
  gboolean  loopback;
  GError   *error;
} Lookup;

/* In a thread: getaddrinfo, as Paho resolves the broker's host. (GResolver
 * would not do: it answers "localhost" itself, without the system.) */
static void
lookup_in_thread (GTask        *task,
                  gpointer      source,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  const char *host = task_data;
  struct addrinfo hints = { .ai_family = AF_INET, .ai_socktype = SOCK_STREAM };
  struct addrinfo *result = NULL;
  gboolean loopback = FALSE;
  int rc;

  rc = getaddrinfo (host, NULL, &hints, &result);
  if (rc != 0)
    {
      g_task_return_new_error (task, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND, "%s",
                               gai_strerror (rc));
      return;
    }

  for (struct addrinfo *ai = result; ai != NULL; ai = ai->ai_next)
    if (ai->ai_family == AF_INET &&
        (ntohl (((struct sockaddr_in *) ai->ai_addr)->sin_addr.s_addr) >> 24) == 127)
      loopback = TRUE;
  freeaddrinfo (result);

  g_task_return_boolean (task, loopback);
}

static void
lookup_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Lookup *lookup = user_data;

  lookup->loopback = g_task_propagate_boolean (G_TASK (result), &lookup->error);
  lookup->done = TRUE;
}

static gboolean
cancel_lookup (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

/* Clients reach the broker by @host, which must name 127.0.0.1 (the broker
 * listens there; Paho takes the IPv4 address). A machine without an
 * /etc/hosts entry for it fails here within seconds, not in the clients'
 * reconnect loops. */
static gboolean
check_host (const char  *host,
            GError     **error)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GSource) deadline = g_timeout_source_new_seconds (test_time_scale_s (RESOLVE_TIMEOUT_S));
  g_autoptr(GTask) task = NULL;
  Lookup lookup = { FALSE, FALSE, NULL };

  g_main_context_push_thread_default (context);
  g_source_set_callback (deadline, cancel_lookup, cancellable, NULL);
  g_source_attach (deadline, context);
  task = g_task_new (NULL, cancellable, lookup_done, &lookup);
  g_task_set_task_data (task, g_strdup (host), g_free);
  /* At the deadline the task ends; the thread finishes on its own. */
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, lookup_in_thread);
  g_clear_object (&task);
  while (!lookup.done)
    g_main_context_iteration (context, TRUE);
  g_source_destroy (deadline);
  g_main_context_pop_thread_default (context);

  if (lookup.error != NULL)
    {
      g_set_error (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND,
                   "“%s” does not resolve (%s%s): the broker's clients need it to name "
                   "127.0.0.1; is there an /etc/hosts?", host, lookup.error->message,
                   g_cancellable_is_cancelled (cancellable) ? ", gave up after a deadline" : "");
      g_clear_error (&lookup.error);
      return FALSE;
    }

  if (!lookup.loopback)
    {
      g_set_error (error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND,
                   "“%s” does not resolve to 127.0.0.1, where the broker listens", host);
      return FALSE;
    }

  return TRUE;
}

MosquittoFixture *
mosquitto_fixture_new (GError **error)
{
  g_autoptr(MosquittoFixture) self = g_new0 (MosquittoFixture, 1);
  const char *host = g_getenv ("JUICE_TEST_BROKER_HOST");

  /* Every part, before anything starts: a missing one fails at once. */
  self->host = g_strdup (host != NULL ? host : "localhost");
  if (!(self->mosquitto = find_program ("mosquitto", "JUICE_TEST_MOSQUITTO", "/usr/sbin", error)) ||
      !(self->mosquitto_passwd = find_program ("mosquitto_passwd", "JUICE_TEST_MOSQUITTO_PASSWD",
                                               "/usr/bin", error)) ||
      !(self->openssl = find_program ("openssl", "JUICE_TEST_OPENSSL", "/usr/bin", error)) ||
      !check_host (self->host, error))
    return NULL;

  if (!(self->dir = g_dir_make_tmp ("juice-mosquitto-XXXXXX", error)))
    return NULL;

  self->config_path = g_build_filename (self->dir, "mosquitto.conf", NULL);
  self->log_path = g_build_filename (self->dir, "mosquitto.log", NULL);
  self->stderr_path = g_build_filename (self->dir, "mosquitto.stderr", NULL);
  self->ca_file = g_build_filename (self->dir, "ca.crt", NULL);
  self->wrong_ca_file = g_build_filename (self->dir, "wrong-ca.crt", NULL);
  self->account = random_secret ("open-");
  self->password = random_secret ("pw");
  self->other_account = random_secret ("open-other-");
  self->other_password = random_secret ("pw");

  if (!make_certificates (self, error) || !make_passwords (self, error))
    return NULL;

  if (!(self->port = pick_free_port (error)) || !(self->plain_port = pick_free_port (error)))
    return NULL;

  if (!write_config (self, error) || !mosquitto_fixture_start (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

static void
remove_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;

  /* Flat: the fixture makes no subfolders. */
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      g_remove (child);
    }

  g_rmdir (path);
}

void
mosquitto_fixture_free (MosquittoFixture *self)
{
  if (self == NULL)
    return;

  mosquitto_fixture_stop (self);

  if (self->dir != NULL)
    remove_dir (self->dir);

  g_free (self->dir);
  g_free (self->host);
  g_free (self->mosquitto);
  g_free (self->mosquitto_passwd);
  g_free (self->openssl);
  g_free (self->config_path);
  g_free (self->log_path);
  g_free (self->stderr_path);
  g_free (self->ca_file);
  g_free (self->wrong_ca_file);
  g_free (self->account);
  g_free (self->password);
  g_free (self->other_account);
  g_free (self->other_password);
  g_free (self);
}

const char *
mosquitto_fixture_get_host (MosquittoFixture *self)
{
  return self->host;
}

guint
mosquitto_fixture_get_port (MosquittoFixture *self)
{
  return self->port;
}

guint
mosquitto_fixture_get_plain_port (MosquittoFixture *self)
{
  return self->plain_port;
}

const char *
mosquitto_fixture_get_ca_file (MosquittoFixture *self)
{
  return self->ca_file;
}

const char *
mosquitto_fixture_get_wrong_ca_file (MosquittoFixture *self)
{
  return self->wrong_ca_file;
}

const char *
mosquitto_fixture_get_account (MosquittoFixture *self)
{
  return self->account;
}

const char *
mosquitto_fixture_get_password (MosquittoFixture *self)
{
  return self->password;
}

const char *
mosquitto_fixture_get_other_account (MosquittoFixture *self)
{
  return self->other_account;
}

const char *
mosquitto_fixture_get_other_password (MosquittoFixture *self)
{
  return self->other_password;
}

gboolean
mosquitto_fixture_is_running (MosquittoFixture *self)
{
  /* GLib reaps the child in its worker thread: no identifier once it ended. */
  return self->process != NULL && g_subprocess_get_identifier (self->process) != NULL;
}

static gboolean
port_accepts (guint port)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;

  g_socket_client_set_timeout (client, 1);
  connection = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, NULL);
  if (connection == NULL)
    return FALSE;

  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  return TRUE;
}

static void
set_flag (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
}

static void
process_ended (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  set_flag (user_data);
}

static gboolean
deadline_passed (gpointer user_data)
{
  set_flag (user_data);
  return G_SOURCE_REMOVE;
}

static void
log_changed (GFileMonitor      *monitor,
             GFile             *file,
             GFile             *other_file,
             GFileMonitorEvent  event,
             gpointer           user_data)
{
  /* Nothing: it woke the loop in mosquitto_fixture_start, which looks. */
}

/* mosquitto logs this once its listeners are open. */
#define RUNNING_LINE " running\n"

gboolean
mosquitto_fixture_start (MosquittoFixture  *self,
                         GError           **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GMainContext) context = NULL;
  g_autoptr(GFile) log_file = NULL;
  g_autoptr(GFileMonitor) monitor = NULL;
  g_autoptr(GCancellable) cancellable = NULL;
  g_autoptr(GSource) deadline = NULL;
  const char *argv[] = { self->mosquitto, "-c", self->config_path, NULL };
  guint runs_before = mosquitto_fixture_count_in_log (self, RUNNING_LINE);
  gboolean ended = FALSE, timed_out = FALSE, waited = FALSE;
  gboolean started;

  g_return_val_if_fail (!mosquitto_fixture_is_running (self), FALSE);
  g_clear_object (&self->process);

  /* Wait for the line in the log, or the process to end, or the deadline:
   * each wakes this private loop. */
  context = g_main_context_new ();
  g_main_context_push_thread_default (context);
  log_file = g_file_new_for_path (self->log_path);
  monitor = g_file_monitor_file (log_file, G_FILE_MONITOR_NONE, NULL, NULL);
  if (monitor != NULL)
    {
      g_file_monitor_set_rate_limit (monitor, 20);
      g_signal_connect (monitor, "changed", G_CALLBACK (log_changed), NULL);
    }
  deadline = g_timeout_source_new_seconds (test_time_scale_s (START_TIMEOUT_S));
  g_source_set_callback (deadline, deadline_passed, &timed_out, NULL);
  g_source_attach (deadline, context);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_subprocess_launcher_set_cwd (launcher, self->dir);
  /* A test that aborts never frees the fixture: the broker goes with it. */
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  g_subprocess_launcher_set_stdout_file_path (launcher, self->stderr_path);

  self->process = g_subprocess_launcher_spawnv (launcher, argv, error);
  if (self->process != NULL)
    {
      cancellable = g_cancellable_new ();
      g_subprocess_wait_async (self->process, cancellable, process_ended, &waited);

      while (!ended && !timed_out &&
             mosquitto_fixture_count_in_log (self, RUNNING_LINE) <= runs_before)
        {
          g_main_context_iteration (context, TRUE);
          ended = waited;
        }

      /* The wait ends on the context it began on. */
      g_cancellable_cancel (cancellable);
      while (!waited)
        g_main_context_iteration (context, TRUE);
    }

  g_source_destroy (deadline);
  g_clear_object (&monitor);
  g_main_context_pop_thread_default (context);

  if (self->process == NULL)
    return FALSE;

  started = !ended && !timed_out && port_accepts (self->port) && port_accepts (self->plain_port);
  if (!started)
    {
      g_autofree char *log = mosquitto_fixture_dup_log (self);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "mosquitto (%s) %s on ports %u and %u; its log: %s", self->mosquitto,
                   ended ? "ended instead of listening" :
                   timed_out ? "did not listen in time" :
                   "said it runs but does not accept connections",
                   self->port, self->plain_port, log);
      mosquitto_fixture_kill (self);
      return FALSE;
    }

  g_debug ("mosquitto %s listening on %u (TLS) and %u", g_subprocess_get_identifier (self->process),
           self->port, self->plain_port);

  return TRUE;
}

/* Sends @signum and waits until the process ended; one that is still there
 * after STOP_TIMEOUT_S gets SIGKILL, which it cannot refuse. */
static void
end_process (MosquittoFixture *self,
             int               signum)
{
  g_autoptr(GMainContext) context = NULL;
  g_autoptr(GCancellable) cancellable = NULL;
  g_autoptr(GSource) deadline = NULL;
  gboolean waited = FALSE, timed_out = FALSE;

  if (self->process == NULL)
    return;

  if (mosquitto_fixture_is_running (self))
    {
      context = g_main_context_new ();
      cancellable = g_cancellable_new ();
      deadline = g_timeout_source_new_seconds (test_time_scale_s (STOP_TIMEOUT_S));
      g_source_set_callback (deadline, deadline_passed, &timed_out, NULL);
      g_source_attach (deadline, context);

      g_main_context_push_thread_default (context);
      g_subprocess_send_signal (self->process, signum);
      g_subprocess_wait_async (self->process, cancellable, process_ended, &waited);
      while (!waited && !timed_out)
        g_main_context_iteration (context, TRUE);
      g_cancellable_cancel (cancellable);
      while (!waited)
        g_main_context_iteration (context, TRUE);
      g_main_context_pop_thread_default (context);
      g_source_destroy (deadline);

      if (timed_out && signum != SIGKILL)
        {
          g_test_message ("mosquitto did not end within %u s of signal %d: killing it",
                          test_time_scale_s (STOP_TIMEOUT_S), signum);
          g_subprocess_force_exit (self->process);
        }
    }

  g_subprocess_wait (self->process, NULL, NULL);
  g_clear_object (&self->process);
}

void
mosquitto_fixture_stop (MosquittoFixture *self)
{
  end_process (self, SIGTERM);
}

void
mosquitto_fixture_kill (MosquittoFixture *self)
{
  end_process (self, SIGKILL);
}

gboolean
mosquitto_fixture_restart (MosquittoFixture  *self,
                           GError           **error)
{
  mosquitto_fixture_stop (self);
  return mosquitto_fixture_start (self, error);
}

char *
mosquitto_fixture_dup_log (MosquittoFixture *self)
{
  g_autofree char *log = NULL;
  g_autofree char *err = NULL;

  g_file_get_contents (self->log_path, &log, NULL, NULL);
  g_file_get_contents (self->stderr_path, &err, NULL, NULL);

  return g_strconcat (log ? log : "", err ? err : "", NULL);
}

guint
mosquitto_fixture_count_in_log (MosquittoFixture *self,
                                const char       *needle)
{
  g_autofree char *log = mosquitto_fixture_dup_log (self);
  const char *p = log;
  guint n = 0;

  while ((p = strstr (p, needle)) != NULL)
    {
      n++;
      p += strlen (needle);
    }

  return n;
}
