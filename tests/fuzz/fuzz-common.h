/* fuzz-common.h: what every fuzz target shares
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each target defines LLVMFuzzerTestOneInput(). Built with -Dfuzzing=true
 * (clang, -fsanitize=fuzzer) it is a libFuzzer binary; in every other build
 * it is linked with fuzz-replay.c, which runs the files of its corpus and
 * regressions folders through the same function (a test in the suite).
 */

#pragma once

#include <stddef.h>
#include <stdint.h>

#include <glib.h>

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

/* Once per process: a warning or critical about untrusted input is a bug,
 * so both abort, as in the test suite (G_DEBUG=fatal-warnings). */
static inline void
fuzz_init_once (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      g_log_set_always_fatal (G_LOG_LEVEL_WARNING | G_LOG_LEVEL_CRITICAL | G_LOG_FATAL_MASK);
      g_once_init_leave (&done, 1);
    }
}
