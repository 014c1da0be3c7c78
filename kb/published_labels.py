"""Published labels: a label that readers' links use must not change by accident.

A label (``(name)=`` above a heading) is the anchor of a published address
(``…/page.html#name``) and the target of ``{ref}`` and the ``event``/``session``
fields. A typo in a label nobody refers to only changes the anchor: the build
was clean and old links broke without a word. So the labels that are
published are listed in a committed file, ``published-labels.txt`` (one label
per line, written by ``make labels-update``), like a lock file:

* a new label is free (``make new-*`` adds pages with labels);
* a listed label that no page defines any more is an error, reported at the
  line of the closest label that is new (the typo, the rename), else at its
  line in the list, with both ways out: restore the name, or rename on purpose
  by changing that line of the list;
* a ``{ref}`` to the vanished label names where the closest label stands.

The list is compared against the build's own labels (``env-updated``, every
build, so a repeated build fails as well), not against git: in CI the typo is
committed, and a fresh clone has no history to compare with; a copy of the
site without ``.git`` (the fuzz harness, an exported archive) works the same.
No list, no check (a test site without the file).
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

logger = logging.getLogger(__name__)

LINE = re.compile(r"^\s*([^\s#]+)\s*(?:#.*)?$")


def read_list(path: Path) -> dict[str, int] | None:
    """Label -> line in the list; None when there is no list (then nothing is checked)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    labels: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if match := LINE.match(line):
            labels.setdefault(match.group(1).lower(), number)
        elif line.strip() and not line.lstrip().startswith("#"):
            labels.setdefault(f"{BAD}{number}", number)  # reported by check(): not one label
    return labels


BAD = "\0line "  # key of a line that is not one label (no label contains a NUL)


def write_list(path: Path, labels: list[str]) -> None:
    """The list as ``make labels-update`` writes it: a comment, then the labels sorted."""
    head = (
        "# Veröffentlichte Labels: ihre Adressen (seite.html#label) stehen in Links von außen.\n"
        "# Der Bau meldet ein Label dieser Liste, das keine Seite mehr definiert (Tippfehler, Umbenennung).\n"
        "# Neue Labels brauchen keinen Eintrag; make labels-update nimmt alle Labels der Seiten auf.\n"
        "# Ein Label absichtlich umbenennen: hier die Zeile mit dem alten Namen durch den neuen ersetzen.\n"
    )
    path.write_text(head + "".join(f"{label}\n" for label in sorted(set(labels))), encoding="utf-8")


def _line_of(env: BuildEnvironment, docname: str, label: str) -> tuple[str, str]:
    """(location, as named in a message) of ``(label)=`` (or ``:name: label``) in the page's source."""
    path = env.doc2path(docname)
    shown = f"{docname}{Path(path).suffix}"
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return str(path), shown
    want = re.compile(rf"^\s*(?:\({re.escape(label)}\)=|:name:\s*{re.escape(label)})\s*$", re.I)
    number = next((n for n, line in enumerate(lines, 1) if want.match(line)), 0)
    return (f"{path}:{number}", f"{shown}:{number}") if number else (str(path), shown)


# A line meant as a label that defines none: "(name)" without "=", spaces, a space before "=".
LOOKS_LIKE_LABEL = re.compile(r"^\s*\(([^()]+)\)\s*=?\s*$")


def _written_wrong(env: BuildEnvironment, label: str) -> tuple[str, str] | None:
    """(file:line, text) of a line that looks like ``(label)=`` written wrong; only when a label vanished."""
    for docname in sorted(env.found_docs):
        path = Path(env.doc2path(docname))
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            continue
        for number, line in enumerate(lines, 1):
            match = LOOKS_LIKE_LABEL.match(line)
            if not match:
                continue
            name = re.sub(r"[\s_]+", "-", re.sub("[\u00a0\u00ad\u200b-\u200d\u2060\ufeff]", " ", match.group(1)))
            if difflib.SequenceMatcher(None, name.strip("-").lower(), label).ratio() >= 0.85:
                return f"{path}:{number}", line.strip()
    return None


def check(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Every listed label that no page defines: an error at the closest new label (or the list's line)."""
    name = app.config.kb_published_labels_file
    path = Path(app.confdir) / name
    listed = read_list(path)
    app.kb_vanished_labels = {}
    if not listed:
        return []
    for key, line in listed.items():
        if key.startswith(BAD):
            logger.warning(
                f"Zeile {line} in {name} ist kein einzelnes Label: ein Label pro Zeile, ohne Leerzeichen "
                "(Kommentare beginnen mit #)",
                location=f"{path}:{line}",
                type="kb",
                subtype="published-label",
            )
    listed = {key: line for key, line in listed.items() if not key.startswith(BAD)}
    current = env.domaindata.get("std", {}).get("anonlabels", {})
    vanished = sorted(label for label in listed if label not in current)
    new = sorted(label for label in current if label not in listed)
    for label in vanished:
        close = difflib.get_close_matches(label, new, n=1, cutoff=0.6)
        line = listed[label]
        if close:
            where, shown = _line_of(env, current[close[0]][0], close[0])
            app.kb_vanished_labels[label] = (close[0], shown)
            logger.warning(
                f"Das Label „{close[0]}“ ist neu, und das veröffentlichte Label „{label}“ ({name}, Zeile {line}) "
                f"definiert keine Seite mehr: Links auf …#{label} würden ins Leere führen. "
                f"Tippfehler? Dann „({label})=“ schreiben. Absichtlich umbenannt? Dann in {name} Zeile {line} "
                f"„{label}“ durch „{close[0]}“ ersetzen.",
                location=where,
                type="kb",
                subtype="published-label",
            )
        elif written := _written_wrong(env, label):
            where, text = written
            logger.warning(
                f"Die Zeile „{text}“ sieht aus wie das veröffentlichte Label „{label}“ ({name}, Zeile {line}), "
                f"definiert aber keins: „({label})=“ schreiben (ohne Leerzeichen, mit = am Ende)",
                location=where,
                type="kb",
                subtype="published-label",
            )
        else:
            logger.warning(
                f"Das veröffentlichte Label „{label}“ definiert keine Seite mehr: Links auf …#{label} würden ins "
                f"Leere führen. Das Label wieder über seine Überschrift schreiben (make labels zeigt alle) oder, "
                f"wenn es absichtlich entfernt wurde, diese Zeile aus {name} löschen.",
                location=f"{path}:{line}",
                type="kb",
                subtype="published-label",
            )
    return []


def missing_reference(app: Sphinx, env: BuildEnvironment, node: nodes.Element, contnode: nodes.Node):
    """A {ref} to a vanished published label: name where its closest label now stands, in German.

    ``missing-reference``, not ``warn-missing-reference``: Sphinx runs every listener of the
    latter, so the std domain's "undefined label" would follow as a second message. Resolved
    here to its plain text (the build fails anyway), no other message comes.
    """
    target = node.get("reftarget", "")
    moved = getattr(app, "kb_vanished_labels", {}).get(target.lower())
    if node.get("reftype") != "ref" or not moved:
        return None
    close, where = moved
    logger.warning(
        f"Label „{target}“ gibt es nicht mehr; das ähnlichste Label ist „{close}“ in {where}: dort den Namen prüfen "
        f"oder hier „{close}“ schreiben. – undefined label: '{target}'",
        location=node,
        type="ref",
        subtype="ref",
    )
    return contnode


def setup_published_labels(app: Sphinx) -> None:
    app.add_config_value("kb_published_labels_file", "published-labels.txt", "env", str)
    app.connect("env-updated", check)
    app.connect("missing-reference", missing_reference)


def setup(app: Sphinx) -> dict:
    """Loadable on its own (the fast tests' testroot); the site loads it through kb.authoring."""
    setup_published_labels(app)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
