#!/usr/bin/python3
# po-tools.py: the translation checks, for the tests and for people
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
#   po-tools.py pot SRCDIR OUT.pot      juice.pot from POTFILES.in, as `meson compile juice-pot`
#   po-tools.py potfiles SRCDIR         files with translatable strings missing from POTFILES.in
#   po-tools.py status SRCDIR [LANG…]   untranslated and fuzzy entries of po/LANG.po against
#                                       a fresh juice.pot (without changing po/)
# Exit status 0 when nothing is missing.

import os
import re
import subprocess
import sys
import tempfile

DOMAIN = "juice"
# meson's i18n.gettext(preset: 'glib') arguments, so that the pot is the one
# `meson compile juice-pot` writes.
XGETTEXT_ARGS = [
    "--from-code=UTF-8", "--add-comments",
    "--keyword=_", "--keyword=N_", "--keyword=C_:1c,2", "--keyword=NC_:1c,2",
    "--keyword=g_dcgettext:2", "--keyword=g_dngettext:2,3", "--keyword=g_dpgettext2:2c,3",
    "--flag=N_:1:pass-c-format", "--flag=C_:2:pass-c-format", "--flag=NC_:2:pass-c-format",
    "--flag=g_dngettext:2:pass-c-format", "--flag=g_strdup_printf:1:c-format",
    "--flag=g_string_printf:2:c-format", "--flag=g_string_append_printf:2:c-format",
    "--flag=g_error_new:3:c-format", "--flag=g_set_error:4:c-format",
    "--flag=g_markup_printf_escaped:1:c-format", "--flag=g_log:3:c-format",
    "--flag=g_print:1:c-format", "--flag=g_printerr:1:c-format", "--flag=g_printf:1:c-format",
    "--flag=g_fprintf:2:c-format", "--flag=g_sprintf:2:c-format", "--flag=g_snprintf:3:c-format",
]

# What marks a string for translation, by kind of file.
C_MARK = re.compile(r'(?<![A-Za-z0-9_])(?:_|N_|C_|NC_|g_dgettext|g_dngettext|g_dpgettext2|ngettext)\s*\(\s*"')
# Comments (an N_("…") in a comment marks nothing); strings are kept whole.
C_COMMENT = re.compile(r'/\*.*?\*/|//[^\n]*', re.S)
UI_MARK = re.compile(r'translatable\s*=\s*["\']yes["\']')
SCHEMA_MARK = re.compile(r"<(?:summary|description)>")
# Folders whose files a user never sees.
SKIP_DIRS = {"tests", "_build", ".git", "debian", "po", "build-aux", "subprojects"}


def potfiles(srcdir):
    with open(os.path.join(srcdir, "po", "POTFILES.in"), encoding="utf-8") as f:
        return [line.strip() for line in f if line.strip() and not line.startswith("#")]


def translatable(path):
    """True when the file holds strings a user sees that are marked for translation."""
    name = os.path.basename(path)
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except (UnicodeDecodeError, OSError):
        return False
    if name.endswith((".c", ".h")):
        return bool(C_MARK.search(C_COMMENT.sub(" ", text)))
    if name.endswith(".ui"):
        return bool(UI_MARK.search(text))
    if name.endswith((".desktop.in", ".metainfo.xml.in", ".appdata.xml.in")):
        return True
    if name.endswith(".gschema.xml"):
        return bool(SCHEMA_MARK.search(text))
    return False


# xgettext cuts a string at a macro: G_GINT64_FORMAT inside _() leaves "%".
GLIB_FORMAT_IN_MSGID = re.compile(
    r'(?<![A-Za-z0-9_])(?:_|N_|C_|NC_)\s*\(\s*(?:"(?:[^"\\]|\\.)*"\s*)+G_G\w*_(?:FORMAT|MODIFIER)')


def glib_formats_in_msgids(srcdir):
    """Files whose translatable strings contain G_G*_FORMAT (use PRId64 & co.)."""
    bad = []
    for rel in potfiles(srcdir):
        if rel.endswith((".c", ".h")) and os.path.exists(os.path.join(srcdir, rel)):
            with open(os.path.join(srcdir, rel), encoding="utf-8") as f:
                # Comments become their line breaks, so that line numbers hold.
                text = C_COMMENT.sub(lambda m: " " + "\n" * m.group(0).count("\n"), f.read())
            for m in GLIB_FORMAT_IN_MSGID.finditer(text):
                bad.append("%s:%d" % (rel, text.count("\n", 0, m.start()) + 1))
    return bad


def missing_from_potfiles(srcdir):
    listed = set(potfiles(srcdir))
    found = []
    for root, dirs, files in os.walk(srcdir):
        rel_root = os.path.relpath(root, srcdir)
        dirs[:] = sorted(d for d in dirs
                         if not (rel_root == "." and (d in SKIP_DIRS or d.startswith("_build"))))
        for name in sorted(files):
            rel = os.path.normpath(os.path.join(rel_root, name))
            if translatable(os.path.join(root, name)):
                found.append(rel)
    missing = [f for f in found if f not in listed]
    stale = [f for f in listed if not os.path.exists(os.path.join(srcdir, f))]
    return missing, stale


def make_pot(srcdir, out):
    cmd = ["xgettext", "--package-name=" + DOMAIN, "-D", srcdir, "-o", out,
           "--add-location"]
    cmd += XGETTEXT_ARGS + potfiles(srcdir)
    run = subprocess.run(cmd, capture_output=True, text=True)
    if run.returncode != 0:
        sys.stderr.write(run.stderr)
        raise SystemExit("xgettext failed")


def entries(po, *flags):
    """msgids that msgattrib selects with flags (e.g. --untranslated)."""
    run = subprocess.run(["msgattrib", "--no-wrap", "--no-obsolete", *flags, po],
                         check=True, capture_output=True, text=True)
    ids = []
    for block in run.stdout.split("\n\n"):
        m = re.search(r'^msgid "(.*)"$', block, re.M)
        ctxt = re.search(r'^msgctxt "(.*)"$', block, re.M)
        if m and m.group(1):
            ids.append((ctxt.group(1) + "|" if ctxt else "") + m.group(1))
        elif m:
            # A multi-line msgid starts with "" and goes on below.
            rest = re.findall(r'^"(.*)"$', block.split("msgstr")[0], re.M)
            if rest:
                ids.append("".join(rest))
    return ids


def status(srcdir, languages):
    """Returns {lang: (untranslated, fuzzy, msgfmt_errors)} against a fresh pot."""
    result = {}
    with tempfile.TemporaryDirectory() as tmp:
        pot = os.path.join(tmp, DOMAIN + ".pot")
        make_pot(srcdir, pot)
        for lang in languages:
            po = os.path.join(srcdir, "po", lang + ".po")
            merged = os.path.join(tmp, lang + ".po")
            if not os.path.exists(po):
                result[lang] = (["(no po/%s.po)" % lang], [], "")
                continue
            subprocess.run(["msgmerge", "--quiet", "--no-wrap", "-o", merged, po, pot], check=True)
            check = subprocess.run(["msgfmt", "--check", "-o", os.devnull, po],
                                   capture_output=True, text=True)
            errors = check.stderr if check.returncode != 0 else ""
            result[lang] = (entries(merged, "--untranslated"), entries(merged, "--only-fuzzy"), errors)
    return result


def linguas(srcdir):
    with open(os.path.join(srcdir, "po", "LINGUAS"), encoding="utf-8") as f:
        return [w for line in f if not line.startswith("#") for w in line.split()]


def main(argv):
    if len(argv) < 3:
        print(__doc__ or "usage: po-tools.py pot|potfiles|status SRCDIR …", file=sys.stderr)
        return 2
    what, srcdir = argv[1], argv[2]
    if what == "pot":
        make_pot(srcdir, argv[3])
        return 0
    if what == "potfiles":
        missing, stale = missing_from_potfiles(srcdir)
        for f in missing:
            print("missing from po/POTFILES.in: " + f)
        for f in stale:
            print("listed in po/POTFILES.in but not there: " + f)
        cut = glib_formats_in_msgids(srcdir)
        for where in cut:
            print("%s: a G_G*_FORMAT macro in a translatable string (xgettext cuts it there; "
                  "use PRId64, PRIu64 or %%zu)" % where)
        return 1 if missing or stale or cut else 0
    if what == "status":
        bad = 0
        for lang, (untranslated, fuzzy, errors) in status(srcdir, argv[3:] or linguas(srcdir)).items():
            print("%s: %d untranslated, %d fuzzy%s" % (lang, len(untranslated), len(fuzzy),
                                                       ", msgfmt --check fails" if errors else ""))
            for msgid in untranslated:
                print("  untranslated: " + msgid)
            for msgid in fuzzy:
                print("  fuzzy: " + msgid)
            if errors:
                print(errors)
            bad += len(untranslated) + len(fuzzy) + (1 if errors else 0)
        return 1 if bad else 0
    print("unknown command " + what, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
