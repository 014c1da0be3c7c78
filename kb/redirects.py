"""Moved and renamed pages: ``redirects.yml`` read and checked, vanished pages named.

``redirects.yml`` maps an old page (path without ``.md``) to its new one;
sphinx-reredirects writes a forwarding page at the old address. conf.py used
to read the file itself, so one YAML mistake became Sphinx's English
"Configuration error". Here it is read at ``config-inited`` and every mistake
is a German warning at its line in ``redirects.yml``: YAML that cannot be
read, a line that is not ``alt: neu``, a ``.md`` or ``/`` too many, a target
that is no page, an old address that is still a page.

A page that disappeared without a redirect is named with the line to add.
"Disappeared" is measured against git: every page file committed at HEAD or
deleted in HEAD's history (``git log --diff-filter=D``) that is no page now.
So an uncommitted ``git mv`` is caught as well as a committed one. A build
outside a git checkout (an exported archive, a test copy) has no history and
skips this one check. The published sitemap would be the other choice; it
needs the network and the published site, which a local build has not.

The check runs in every build (``env-get-outdated``), so it fails a repeated
build as well.
"""

from __future__ import annotations

import difflib
import os
import subprocess
from pathlib import Path

import yaml
from sphinx.application import Sphinx
from sphinx.config import Config
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx.util.matching import Matcher

from kb.frontmatter import load_yaml
from kb.wording import invalid_yaml, not_fields, settings_file

logger = logging.getLogger(__name__)

EXAMPLE_LINE = "case-studies/contall: case-studies/contall-gmbh"


def _file(name: str):
    return settings_file(name, f"dem Beispiel oben in {name} ({EXAMPLE_LINE})")


def read_moves(path: Path) -> tuple[dict[str, str] | None, dict[str, int], list[tuple[str, int]]]:
    """(old -> new, old -> line, problems as (message, line)) of a redirects file; never raises.

    The moves are None when the file cannot be read at all (then no page counts as vanished).
    """
    moves: dict[str, str] = {}
    lines: dict[str, int] = {}
    problems: list[tuple[str, int]] = []
    try:
        raw = path.read_bytes()
    except OSError:
        return moves, lines, problems
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff").replace("\r\n", "\n")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return (
            None,
            lines,
            [(f"Die Datei {path.name} ist nicht in UTF-8 gespeichert: im Editor als „UTF-8“ speichern", line)],
        )
    try:
        data, where = load_yaml(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        hint = ""
        if "\t" in text:
            hint = "Tabulatorzeichen durch Leerzeichen ersetzen (YAML erlaubt keine Tabs)"
        line = mark.line + 1 if mark else 1
        if not mark or mark.index >= len(text.rstrip()):  # "found <stream end>": the last line written
            line = len(text.rstrip().splitlines()) or 1
        return None, lines, [(invalid_yaml(_file(path.name), problem, hint), line)]
    if data is None:
        return moves, lines, problems
    if not isinstance(data, dict):
        return moves, lines, [(not_fields(_file(path.name)) + f": {EXAMPLE_LINE}", where.get((), 1))]
    for old, new in data.items():
        line = where.get((old,), 1)
        if not isinstance(old, str) or not isinstance(new, str) or not old.strip() or not new.strip():
            problems.append(
                (
                    f"Die Zeile in {path.name} braucht die alte und die neue Seite, getrennt durch "
                    f"„: “ (z. B. {EXAMPLE_LINE}), gefunden: {old!r}: {new!r}",
                    line,
                )
            )
            continue
        fixed_old, fixed_new = _plain(old), _plain(new)
        if (fixed_old, fixed_new) != (old, new):
            problems.append(
                (
                    f"Die Seiten in {path.name} stehen ohne „.md“, ohne „/“ am Anfang und ohne Leerzeichen: "
                    f"„{fixed_old}: {fixed_new}“ schreiben",
                    line,
                )
            )
            continue
        moves[old], lines[old] = new, line
    return moves, lines, problems


def _plain(page: str) -> str:
    page = page.strip().lstrip("/")
    for suffix in (".md", ".html"):
        page = page.removesuffix(suffix)
    return page


def _where(app: Sphinx, line: int) -> str:
    return f"{Path(app.confdir) / app.config.kb_redirects_file}:{line}"


def configure(app: Sphinx, config: Config) -> None:
    """Read the redirects file into sphinx-reredirects' ``redirects``; report its mistakes."""
    path = Path(app.confdir) / config.kb_redirects_file
    moves, lines, problems = read_moves(path)
    for message, line in problems:
        logger.warning(message, location=_where(app, line), type="kb", subtype="redirects")
    app.kb_moves = (moves, lines)
    if moves:  # None (unreadable) or empty: nothing to forward
        config.redirects = {
            **config.redirects,
            **{old: os.path.relpath(f"{new}.html", os.path.dirname(old) or ".") for old, new in moves.items()},
        }


def _git(app: Sphinx, *args: str) -> list[str] | None:
    try:
        proc = subprocess.run(
            ["git", *args], cwd=app.srcdir, capture_output=True, text=True, encoding="utf-8", timeout=30
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return proc.stdout.splitlines() if proc.returncode == 0 else None


def known_pages(app: Sphinx) -> set[str] | None:
    """Docnames of the page files git knows (at HEAD or deleted in its history); None outside git."""
    prefix = _git(app, "rev-parse", "--show-prefix")
    if prefix is None or _git(app, "rev-parse", "--verify", "-q", "HEAD") is None:
        return None
    prefix_text = prefix[0] if prefix else ""
    files = set(_git(app, "ls-tree", "-r", "--name-only", "--full-tree", "HEAD") or [])
    files |= set(_git(app, "log", "--no-renames", "--diff-filter=D", "--name-only", "--format=", "HEAD") or [])
    include = Matcher(list(app.config.include_patterns))
    exclude = Matcher(list(app.config.exclude_patterns))
    pages = set()
    for name in files:
        if not name.endswith(".md") or not name.startswith(prefix_text):
            continue
        relative = name[len(prefix_text) :]
        if include(relative) and not exclude(relative):
            pages.add(relative[:-3])
    return pages


def check_moves(app: Sphinx, env: BuildEnvironment, added, changed, removed) -> list[str]:
    """Targets that are pages, old addresses that are not; vanished pages with their redirect line."""
    moves, lines = getattr(app, "kb_moves", ({}, {}))
    if moves is None:  # unreadable: its warning says so; which pages it forwards is unknown
        return []
    name = app.config.kb_redirects_file
    docs = env.found_docs
    for old, new in moves.items():
        if old in docs:
            logger.warning(
                f"Die Seite „{old}“ gibt es noch: eine Weiterleitung in {name} würde sie überschreiben; "
                "die Zeile entfernen oder die Seite umbenennen",
                location=_where(app, lines[old]),
                type="kb",
                subtype="redirects",
            )
        elif new not in docs and new not in moves:
            close = difflib.get_close_matches(new, sorted(docs), n=1, cutoff=0.5)
            hint = f" Meinten Sie „{close[0]}“?" if close else ""
            logger.warning(
                f"Die Weiterleitung von „{old}“ führt zu „{new}“, diese Seite gibt es nicht: "
                f"Pfad der neuen Datei ohne .md eintragen.{hint}",
                location=_where(app, lines[old]),
                type="kb",
                subtype="redirects",
            )
    known = known_pages(app)
    if known is None:
        return []
    path = Path(app.confdir) / name
    try:
        end = len(path.read_text(encoding="utf-8").splitlines()) + 1
    except (OSError, UnicodeDecodeError):
        end = 1
    new_pages = sorted(docs - known) or sorted(docs)
    for old in sorted(known - set(docs) - set(moves)):
        close = difflib.get_close_matches(old, new_pages, n=1, cutoff=0.3)
        target = close[0] if close else "NEUER-PFAD"
        logger.warning(
            f"Die Seite „{old}“ gibt es nicht mehr (umbenannt oder gelöscht), aber {name} leitet ihre "
            f"Adresse nicht weiter: am Ende von {name} die Zeile „{old}: {target}“ ergänzen "
            "(die neue Seite ohne .md)",
            location=_where(app, end),
            type="kb",
            subtype="redirects",
        )
    return []


def setup_redirects(app: Sphinx) -> None:
    app.add_config_value("kb_redirects_file", "redirects.yml", "env", str)
    app.connect("config-inited", configure, priority=400)
    app.connect("env-get-outdated", check_moves)
