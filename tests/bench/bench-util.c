/* bench-util.c: what the benchmarks share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <errno.h>
#include <string.h>
#include <time.h>

#include "bench-util.h"

static guint64
clock_ns (clockid_t clock)
{
  struct timespec ts;

  if (clock_gettime (clock, &ts) != 0)
    g_error ("clock_gettime: %s", g_strerror (errno));
  return (guint64) ts.tv_sec * G_GUINT64_CONSTANT (1000000000) + (guint64) ts.tv_nsec;
}

guint64
bench_thread_cpu_ns (void)
{
  return clock_ns (CLOCK_THREAD_CPUTIME_ID);
}

guint64
bench_process_cpu_ns (void)
{
  return clock_ns (CLOCK_PROCESS_CPUTIME_ID);
}

guint64
bench_rss_kb (pid_t pid)
{
  g_autofree char *path = pid ? g_strdup_printf ("/proc/%d/status", (int) pid)
                              : g_strdup ("/proc/self/status");
  g_autofree char *text = NULL;
  const char *line;

  if (!g_file_get_contents (path, &text, NULL, NULL) || !(line = strstr (text, "VmRSS:")))
    return 0;

  return g_ascii_strtoull (line + strlen ("VmRSS:"), NULL, 10);
}

static gboolean
set_true (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
bench_wait_until (gboolean  (*done) (gpointer data),
                  gpointer    data,
                  guint       timeout_s,
                  const char *what)
{
  gboolean expired = FALSE;
  guint deadline;

  if (done (data))
    return TRUE;

  /* The deadline's own source wakes the loop when nothing else does. */
  deadline = g_timeout_add_seconds (timeout_s, set_true, &expired);
  while (!done (data) && !expired)
    g_main_context_iteration (NULL, TRUE);
  if (!expired)
    g_source_remove (deadline);

  if (!done (data))
    {
      g_printerr ("gave up waiting for %s after %u s\n", what, timeout_s);
      return FALSE;
    }
  return TRUE;
}

void
bench_run_for_ms (guint ms)
{
  gboolean over = FALSE;

  g_timeout_add (ms, set_true, &over);
  while (!over)
    g_main_context_iteration (NULL, TRUE);
}

void
bench_min_max (const double *values,
               guint         n,
               double       *min,
               double       *max)
{
  *min = G_MAXDOUBLE;
  *max = -G_MAXDOUBLE;
  for (guint i = 0; i < n; i++)
    {
      *min = MIN (*min, values[i]);
      *max = MAX (*max, values[i]);
    }
}

static void
connect_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!juice_account_connect_finish (JUICE_ACCOUNT (object), result, &error))
    g_error ("the account did not connect: %s", error->message);
  *(gboolean *) user_data = TRUE;
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

gboolean
bench_connect_account (JuiceAccount *account,
                       guint         timeout_s)
{
  gboolean connected = FALSE;

  juice_account_connect_async (account, NULL, connect_cb, &connected);
  return bench_wait_until (flag_set, &connected, timeout_s, "the account to connect");
}
