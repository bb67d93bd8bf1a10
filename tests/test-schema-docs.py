#!/usr/bin/python3
# test-schema-docs.py: every GSettings key has a summary and a description
# (dconf-editor and GNOME's settings tools show them). Prints TAP.
#
# SPDX-License-Identifier: GPL-3.0-or-later

import glob
import os
import sys
import xml.etree.ElementTree as ET

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tap import Tap  # noqa: E402


def main():
    t = Tap()
    data = os.path.join(os.environ["JUICE_SOURCE_DIR"], "data")
    schemas = sorted(glob.glob(os.path.join(data, "*.gschema.xml")))
    t.check(schemas, "there is a GSettings schema in data/")
    for path in schemas:
        root = ET.parse(path).getroot()
        t.check(root.get("gettext-domain") == "juice",
                "%s: its strings are in the juice text domain" % os.path.basename(path))
        for schema in root.iter("schema"):
            for key in schema.iter("key"):
                name = "%s %s" % (schema.get("id"), key.get("name"))
                summary = (key.findtext("summary") or "").strip()
                description = (key.findtext("description") or "").strip()
                t.check(summary and description, "%s has a summary and a description" % name)
    return t.exit()


if __name__ == "__main__":
    sys.exit(main())
