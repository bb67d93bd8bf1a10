# tap.py: the few TAP helpers the Python tests share
#
# SPDX-License-Identifier: GPL-3.0-or-later

import sys


class Tap:
    """Collects results and prints them as TAP; exit() returns the status."""

    def __init__(self):
        self.results = []

    def check(self, ok, what, detail=None):
        self.results.append((bool(ok), what, detail))
        return bool(ok)

    def exit(self):
        print("1..%d" % len(self.results))
        failed = 0
        for i, (ok, what, detail) in enumerate(self.results, 1):
            print("%s %d - %s" % ("ok" if ok else "not ok", i, what))
            if not ok:
                failed += 1
                if detail:
                    for line in str(detail).splitlines():
                        print("# " + line)
        sys.stdout.flush()
        return 1 if failed else 0
