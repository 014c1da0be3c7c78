"""Every warning of a build recorded, stored, and reported again until it is fixed.

Sphinx warns only about documents it reads or writes in this build, so a
repeated ``make html`` after a failed one used to succeed. Every warning is
recorded per document (Sphinx's and MyST's with a German explanation, kb.messages),
stored in ``<doctreedir>/kb-problems-<builder>.json`` at ``build-finished``, and the next
build reads those documents again (``env-get-outdated``): it fails with the
same messages until the source is fixed. A file, not domain data, because
unresolved references are reported while writing, after the environment is
pickled. Under GitHub Actions each problem is also printed as an annotation.
"""

from __future__ import annotations

import json
import logging as std_logging
import os
import re
import sys
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util.logging import NAMESPACE, WarningStreamHandler

from kb.live_notice import write_notice
from kb.messages import german


class _Tagger(std_logging.Handler):
    """Marks each warning with the document being read when it was emitted (serial reads)."""

    def __init__(self, app: Sphinx) -> None:
        super().__init__(std_logging.WARNING)
        self.app = app

    def emit(self, record: std_logging.LogRecord) -> None:
        if not hasattr(record, "kb_docname"):
            env = getattr(self.app, "env", None)
            current = getattr(env, "current_document", None) if env is not None else None
            record.kb_docname = getattr(current, "docname", "") or ""


class _Recorder(std_logging.Filter):
    """Last filter of Sphinx's warning handler: adds German, remembers every warning shown."""

    def __init__(self, app: Sphinx) -> None:
        super().__init__()
        self.app = app
        self.problems: list[dict[str, Any]] = []

    def filter(self, record: std_logging.LogRecord) -> bool:
        text = german(std_logging.LogRecord.getMessage(record))
        record.msg, record.args = text, ()
        location = getattr(record, "location", None) or ""
        path, line = str(location), 0
        if match := re.fullmatch(r"(.*?):(\d+)", path):
            path, line = match.group(1), int(match.group(2))
        docname = ""
        env = getattr(self.app, "env", None)
        if path and env is not None:
            docname = env.path2doc(path) or ""
        self.problems.append(
            {"docname": docname or getattr(record, "kb_docname", ""), "path": path, "line": line, "message": text}
        )
        return True


def _recorder(app: Sphinx) -> _Recorder | None:
    return getattr(app, "kb_problem_recorder", None)


def _store(app: Sphinx) -> Path:
    return Path(app.doctreedir) / f"kb-problems-{app.builder.name}.json"


def _stored(app: Sphinx) -> list[dict[str, Any]]:
    try:
        return json.loads(_store(app).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []


def outdated(app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]) -> list[str]:
    """Re-read every document that had a problem in the last build."""
    failed = set()
    for problem in _stored(app):
        failed.add(problem["docname"])
        # "duplicate label x, other instance in …/contall.md": read both again, in the same order.
        for token in re.findall(r"[\w./-]+", problem["message"]):
            failed.add(env.path2doc(token) if token.endswith(".md") else token)
    reread = sorted((failed & env.found_docs) - added - changed)
    # A serial read purges each document just before reading it, so a duplicate label
    # would be reported from both sides; purged together first, they are read as in a clean build.
    for docname in reread:
        env.clear_doc(docname)
    return reread


def _relative(app: Sphinx, path: str) -> str:
    try:
        return Path(path).resolve().relative_to(Path(app.srcdir).resolve()).as_posix()
    except ValueError:
        return path


def report(app: Sphinx, exception: Exception | None) -> None:
    """Store the problems for the next build; show them where contributors look."""
    recorder = _recorder(app)
    if recorder is None or app.builder is None:
        return
    problems = recorder.problems
    store = _store(app)
    try:
        store.parent.mkdir(parents=True, exist_ok=True)
        store.write_text(json.dumps(problems, ensure_ascii=False, indent=1), encoding="utf-8")
    except OSError:
        pass
    write_notice(app, problems, _relative)
    if os.environ.get("GITHUB_ACTIONS") == "true":
        for p in problems:
            text = p["message"].replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
            where = f"file={_relative(app, p['path'])},line={p['line'] or 1}" if p["path"] else ""
            sys.stdout.write(f"::error {where}::{text}\n")
        sys.stdout.flush()


def setup_problem_log(app: Sphinx) -> None:
    sphinx_logger = std_logging.getLogger(NAMESPACE)
    recorder = _Recorder(app)
    app.kb_problem_recorder = recorder
    for handler in sphinx_logger.handlers:
        if isinstance(handler, WarningStreamHandler):
            handler.addFilter(recorder)  # after Sphinx's suppression and location filters
    sphinx_logger.addHandler(_Tagger(app))
    app.connect("env-get-outdated", outdated)
    app.connect("build-finished", report)
