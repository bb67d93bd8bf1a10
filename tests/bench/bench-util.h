/* bench-util.h: what the benchmarks share
 *
 * Every benchmark prints one line per figure:
 *   name: value unit (min..max, N runs; reference …)
 * and exits non-zero when a figure is over its budget. Machines here are
 * shared and noisy: figures are minima over repeated runs or ratios to a
 * reference measured in the same run.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <sys/types.h>

#include <glib.h>

#include "juice-account.h"

G_BEGIN_DECLS

/* CPU time of the calling thread, in nanoseconds. */
guint64  bench_thread_cpu_ns  (void);
/* CPU time of the whole process (every thread), in nanoseconds. */
guint64  bench_process_cpu_ns (void);
/* Resident memory of this process (@pid 0) or of @pid, in kB. */
guint64  bench_rss_kb         (pid_t pid);

/* Turns the default main context until @done returns TRUE or @timeout_s
 * passed (FALSE then, and a line on stderr naming @what). Waits for a
 * condition; never a delay. */
gboolean bench_wait_until     (gboolean  (*done) (gpointer data),
                               gpointer    data,
                               guint       timeout_s,
                               const char *what);
/* Connects @account and waits for it (@timeout_s at most); a benchmark
 * whose account cannot connect ends there, with the reason. */
gboolean bench_connect_account (JuiceAccount *account,
                               guint         timeout_s);
/* Runs the default main context for @ms: a measuring window, not a wait. */
void     bench_run_for_ms     (guint       ms);

/* Min and max of @n values. */
void     bench_min_max        (const double *values,
                               guint         n,
                               double       *min,
                               double       *max);

G_END_DECLS
