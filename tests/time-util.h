/* time-util.h: the tests' deadlines, stretched for slow runs
 *
 * JUICE_TEST_TIME_SCALE (1 by default, never less) says how many times
 * slower than a plain build this run may be: build-aux/test-stage2.sh sets
 * it for the sanitizer build (ASan and UBSan make Juice, GLib and OpenSSL
 * a few times slower) and higher under valgrind. Every condition wait of
 * the tests and every deadline of their fixtures (the broker, the fake
 * cloud, child processes) goes through test_time_scale_ms(); the product's
 * own timers do not, unless a test sets them.
 *
 * A deadline is how long a test waits for something before it gives up: it
 * never makes a passing test slower, only a failing one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

/* The factor from JUICE_TEST_TIME_SCALE, read once: 1.0 or more. */
static inline double
test_time_scale (void)
{
  static double scale = 0;

  if (scale == 0)
    {
      const char *env = g_getenv ("JUICE_TEST_TIME_SCALE");
      double value = env != NULL ? g_ascii_strtod (env, NULL) : 1.0;

      scale = value >= 1.0 && value <= 1000.0 ? value : 1.0;
    }
  return scale;
}

/* @ms stretched by the time scale. */
static inline guint
test_time_scale_ms (guint ms)
{
  return (guint) MIN (ms * test_time_scale (), (double) G_MAXUINT);
}

/* @seconds stretched by the time scale. */
static inline guint
test_time_scale_s (guint seconds)
{
  return (guint) MIN (seconds * test_time_scale (), (double) (G_MAXUINT / 1000));
}

/* @usec (a span of monotonic time) stretched by the time scale. */
static inline gint64
test_time_scale_us (gint64 usec)
{
  return (gint64) (usec * test_time_scale ());
}
