"""Problems that stay reported until they are fixed: in German, with file and line, never a traceback.

Adds to Sphinx:

* **No false all-clear.** Sphinx warns only about documents it reads or writes
  in this build, so a repeated ``make html`` after a failed one used to
  succeed. Every warning of a build is stored per document in
  ``<doctreedir>/kb-problems-<builder>.json`` at ``build-finished``, and the
  next build re-reads those documents (``env-get-outdated``): it fails with
  the same messages until the source is fixed. A file, not the domain data,
  because unresolved references are reported while writing, after Sphinx has
  pickled the environment. A healthy build stores nothing, so incremental
  builds stay as fast as before.
* **No stale links.** When a page is removed its output file is deleted and
  every page is read again (duplicate labels it shadowed come back, links to
  it are reported), and a
  label, glossary term or page that appears, disappears or moves has the
  pages referring to it written again (``env-get-updated``, domain ``kbproblems``).
* **German.** Known messages (Sphinx's, MyST's and ours) get a short German
  explanation with what to do in front of them; the original text stays
  beside it, so it can still be looked up.
* **No traceback.** An exception in an event handler or directive of a ``kb``
  extension becomes one warning naming the page; a source file that is not
  UTF-8 is read as Windows-1252 (Latin-1), so Sphinx does not stop with
  "Encoding error", and kb.metadata names the file and line of the first bad
  byte in one message.
* **Where contributors look.** Under GitHub Actions each problem is also
  printed as ``::error file=…,line=…::`` (an annotation on the changed line of
  a pull request); with ``kb_problem_notice`` (``make livehtml``) every page
  shows the current problems in a German notice box.
"""

from __future__ import annotations

import codecs
import encodings.utf_8_sig
import functools
import json
import logging as std_logging
import os
import re
import sys
from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.parsers.rst import DirectiveError
from docutils.parsers.rst import directives as rst_directives
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import docname_join, logging
from sphinx.util.logging import NAMESPACE, WarningStreamHandler

from kb.state import DocumentTables

logger = logging.getLogger(__name__)

# -- German explanations -------------------------------------------------------------

# (pattern of the original message, German explanation with what to do). {1}, {2}
# are the pattern's groups. First match wins. docs: CONTRIBUTING.md, "Meldungen".
GERMAN: list[tuple[str, str]] = [
    (
        r"term not in glossary: '(.+?)'",
        "Begriff „{1}“ steht nicht im Glossar: Schreibweise prüfen oder in glossary/index.md ergänzen.",
    ),
    (
        r"actor not in the Akteure list.*?: '(.+?)'",
        "„{1}“ fehlt in der Akteursliste: Schreibweise prüfen oder in actors/index.md ergänzen.",
    ),
    (
        r"the tag '(.+?)' has no page in tags/",
        "Schlagwort „{1}“ hat keine Seite: Schreibweise prüfen oder mit make new-tag anlegen.",
    ),
    (r"undefined label: '(.+?)'", "Label „{1}“ gibt es nicht: Schreibweise prüfen; make labels zeigt alle Labels."),
    (
        r"cross-reference target not found: '(.+?)'",
        "Verweisziel „{1}“ nicht gefunden: Dateinamen oder Label prüfen (make labels).",
    ),
    (r"unknown document: '(.+?)'", "Seite „{1}“ gibt es nicht: Pfad prüfen."),
    (r"Unknown directive type: '(.+?)'", "Unbekannter Block „{1}“: Namen prüfen (z. B. note, card, grid)."),
    (
        r"Unknown interpreted text role \"?'?([^\"']+)",
        "Unbekannte Rolle „{1}“: z. B. {{term}}, {{ref}} oder {{akteur}} verwenden.",
    ),
    (r"duplicate label ([^,\s]+)", "Label „{1}“ gibt es zweimal: eines davon umbenennen."),
    (r"duplicate term description of (.+?),", "Begriff „{1}“ steht zweimal im Glossar: einen Eintrag entfernen."),
    (
        r"Content block expected for the \"(.+?)\" directive",
        "Der Block „{1}“ ist leer: Inhalt vor die Schlusszeile schreiben.",
    ),
    (r"Error in \"(.+?)\" directive", "Fehler im Block „{1}“: Optionen (:name: wert) und Leerzeilen prüfen."),
    (
        r"document isn't included in any toctree",
        "Die Seite steht in keinem Inhaltsverzeichnis: in den toctree einer Übersichtsseite aufnehmen.",
    ),
    (
        r"toctree contains reference to nonexisting document '(.+?)'",
        "Das Inhaltsverzeichnis nennt „{1}“, die Seite gibt es nicht: Eintrag prüfen.",
    ),
    (r"image file not readable: (\S+)", "Bilddatei {1} fehlt: Pfad und Dateinamen prüfen."),
    (
        r"Non-consecutive header level increase",
        "Überschriftenebene übersprungen (z. B. ## auf ####): Ebenen der Reihe nach verwenden.",
    ),
    (r"Document headings start at", "Die Seite beginnt nicht mit einer #-Überschrift: Titel mit einem # schreiben."),
    (
        r"front matter: required field '(.+?)' is missing",
        "Pflichtfeld „{1}“ fehlt im Kopf der Seite: aus der Vorlage übernehmen und ausfüllen.",
    ),
    (
        r"front matter: unknown field '(.+?)'",
        "Unbekanntes Feld „{1}“ im Kopf: Tippfehler? Mit der Vorlage vergleichen.",
    ),
    (
        r"front matter: field '(.+?)' still holds the template placeholder",
        'Feld „{1}“ enthält noch AUSFÜLLEN: ausfüllen oder leer lassen ("").',
    ),
    (
        r"front matter: field '(.+?)' must be a date",
        "Feld „{1}“ braucht ein Datum, das es gibt, geschrieben JJJJ-MM-TT (z. B. 2024-11-19).",
    ),
    (r"front matter: field '(.+?)' must be one of", "Feld „{1}“ erlaubt nur die genannten Werte."),
    (
        r"front matter: field '(.+?)' must be of type",
        "Feld „{1}“ hat die falsche Form (Text, Zahl oder Liste): wie in der Vorlage schreiben.",
    ),
    (r"front matter: field '(.+?)' (needs at least|must not be empty)", "Feld „{1}“ ist leer oder zu kurz."),
    (
        r"front matter: field '(.+?)' must be a label",
        "Feld „{1}“ muss ein Label sein (Kleinbuchstaben, Ziffern, Bindestriche).",
    ),
    (
        r"front matter: field 'sources' is missing",
        "Feld „sources“ fehlt: die Abschnitte des Berichts nennen, auf denen die Seite beruht (Namen: quelle/index.md).",
    ),
    (
        r"front matter: field 'sources' names the section '(.+?)'",
        "Feld „sources“ nennt den Abschnitt „{1}“, den es nicht gibt: mit den Namen auf quelle/index.md vergleichen.",
    ),
    (
        r"front matter: field '(.+?)' names the label '(.+?)', which",
        "Feld „{1}“ nennt das Label „{2}“, das keine Seite hat: make labels zeigt alle Labels.",
    ),
    (
        r"front matter is not valid YAML",
        "Der Kopf der Seite (zwischen den ---) ist fehlerhaft: Doppelpunkte, Einrückung, Anführungszeichen prüfen.",
    ),
    (r"front matter must consist of", "Der Kopf der Seite besteht aus Zeilen „feld: wert“."),
    (r"closing '---' line is missing", "Die Schlusszeile --- des Kopfs fehlt."),
    (r"template placeholder 'AUSFÜLLEN' is still in the text", "Hier steht noch AUSFÜLLEN: durch Text ersetzen."),
    (r"image without alt text", "Bild ohne Alternativtext: ![Was das Bild zeigt](datei.png) schreiben."),
    (r"raw HTML '(.+?)' is not allowed", "HTML „{1}“ ist nicht erlaubt: entfernen, nur Markdown und Blöcke verwenden."),
    (r"directive '(.+?)' was not rendered", "Block {1} erscheint als Text: Einrückung und Schlusszeile prüfen."),
    (
        r"code block with language .* looks like a directive",
        "Block erscheint als Code: Blocknamen und Zaun (```{name}) prüfen.",
    ),
    (r"tag page '(.+?)' repeats the tag", "Zwei Schlagwortseiten heißen „{1}“: eine umbenennen."),
    (
        r"akteur: the name '(.+?)' is already used",
        "Name „{1}“ steht zweimal in der Akteursliste: einen Eintrag zusammenführen.",
    ),
    (r"akteur: '(.+?)' needs its role", "Akteur „{1}“ braucht seine Rolle laut Bericht als Text."),
]
_GERMAN = [(re.compile(pattern), text) for pattern, text in GERMAN]


def german(message: str) -> str:
    """The message with its German explanation in front, if one is known."""
    for pattern, text in _GERMAN:
        if match := pattern.search(message):
            return text.format("", *(group or "" for group in match.groups())) + " – " + message
    return message


# -- Source encoding ---------------------------------------------------------------------

CODEC = "kb-utf-8"


def _decode(data: bytes, final: bool, legacy: bool) -> tuple[str, int, bool]:
    """Decode UTF-8; once that fails, the rest as Windows-1252 (what editors save as "ANSI"/Latin-1)."""
    if not legacy:
        try:
            text, used = codecs.utf_8_decode(data, "strict", final)
            return text, used, False
        except UnicodeDecodeError:
            pass
    return bytes(data).decode("cp1252", "replace"), len(data), True


class _Decoder(codecs.BufferedIncrementalDecoder):
    """UTF-8 (a BOM skipped) that never fails: a Latin-1 file still reads with its umlauts.

    kb.frontmatter reports the BOM or the first byte that is not UTF-8 with its line.
    """

    def __init__(self, errors: str = "strict") -> None:
        super().__init__(errors)
        self.first, self.legacy = True, False

    def _buffer_decode(self, data, errors, final):
        skipped = 0
        if self.first:
            if not final and len(data) < 3 and codecs.BOM_UTF8.startswith(bytes(data)):
                return "", 0
            self.first = False
            if bytes(data[:3]) == codecs.BOM_UTF8:
                data, skipped = data[3:], 3
        text, used, self.legacy = _decode(data, final, self.legacy)
        return text, used + skipped

    def reset(self) -> None:
        super().reset()
        self.first, self.legacy = True, False


def _search(name: str) -> codecs.CodecInfo | None:
    if name.replace("_", "-") != CODEC:
        return None
    info = encodings.utf_8_sig.getregentry()
    return codecs.CodecInfo(
        name=CODEC,
        encode=info.encode,
        decode=lambda data, errors="strict": _decode(bytes(data).removeprefix(codecs.BOM_UTF8), True, False)[:2],
        incrementalencoder=info.incrementalencoder,
        incrementaldecoder=_Decoder,
        streamreader=info.streamreader,
        streamwriter=info.streamwriter,
    )


codecs.register(_search)


# -- Collecting the warnings of a build --------------------------------------------------


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


# -- Incremental builds ----------------------------------------------------------------------


class ProblemsDomain(DocumentTables):
    """``xrefs``: docname -> reference targets it names; ``targets``: what could be referenced last build."""

    name = "kbproblems"
    label = "Wissensbasis-Probleme"
    initial_data: dict[str, dict] = {"xrefs": {}, "targets": {}}
    data_version = 1
    per_document = ("xrefs",)  # "targets" is build-wide


def collect_xrefs(app: Sphinx, doctree: nodes.document) -> None:
    """Remember which labels, terms and pages a document refers to."""
    docname = app.env.current_document.docname
    names = set()
    for xref in doctree.findall(addnodes.pending_xref):
        target = str(xref.get("reftarget", "")).split("#")[0].removesuffix(".md")
        if target:
            names.add(target.lower())
            names.add(docname_join(docname, target.lstrip("/")) if not target.startswith("/") else target[1:])
    if names:
        app.env.domains["kbproblems"].data["xrefs"][docname] = sorted(names)


def _targets(env: BuildEnvironment) -> dict[str, str]:
    std = env.domains.standard_domain
    found = {f"label:{name}": f"{doc}#{anchor}" for name, (doc, anchor, _title) in std.labels.items()}
    found |= {
        f"label:{name}": f"{doc}#{anchor}"
        for name, (doc, anchor) in std.anonlabels.items()
        if f"label:{name}" not in found
    }
    found |= {f"term:{name}": f"{doc}#{anchor}" for name, (doc, anchor) in getattr(std, "_terms", {}).items()}
    found |= {f"object:{typ}:{name}": f"{doc}#{anchor}" for (typ, name), (doc, anchor) in std.objects.items()}
    found |= {f"doc:{doc}": doc for doc in env.found_docs}
    return found


def outdated(app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]) -> list[str]:
    """Re-read every document that had a problem in the last build; all of them after a removal."""
    failed = set(env.found_docs) if removed else set()
    suffix = getattr(app.builder, "out_suffix", None)
    for docname in removed if suffix else ():
        Path(app.outdir, docname + suffix).unlink(missing_ok=True)  # no page left behind for a removed file
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


def updated(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Write again the pages that refer to a label, term or page that appeared, vanished or moved."""
    data = env.domains["kbproblems"].data
    new = _targets(env)
    old = data["targets"]
    data["targets"] = new
    if not old:
        return []
    changed = {key for key in old.keys() | new.keys() if old.get(key) != new.get(key)}
    names = {key.rsplit(":", 1)[-1].lower() for key in changed} | {key.rsplit(":", 1)[-1] for key in changed}
    return sorted(doc for doc, refs in data["xrefs"].items() if names.intersection(refs) and doc in env.found_docs)


# -- No traceback from our own extensions ------------------------------------------------


def _location(app: Sphinx, event: str, args: tuple) -> tuple[str, int] | None:
    if event == "doctree-resolved" and len(args) > 1:
        return str(args[1]), 1
    current = getattr(getattr(app, "env", None), "current_document", None)
    docname = getattr(current, "docname", "")
    return (docname, 1) if docname else None


def _safe_handler(handler, event: str):
    @functools.wraps(handler)
    def wrapper(app, *args):
        try:
            return handler(app, *args)
        except Exception as exc:  # noqa: BLE001 – any bug must become a message, not a traceback
            logger.warning(
                "Interner Fehler in %s (%s: %s): die Seite bitte so melden; "
                "bis dahin die zuletzt geänderte Stelle dieser Seite prüfen",
                handler.__module__,
                type(exc).__name__,
                exc,
                location=_location(app, event, args),
                type="kb",
                subtype="internal",
            )
            return [] if event.startswith("env-get-") else None

    return wrapper


def _safe_directive(cls: type) -> type:
    class Safe(cls):
        def run(self):
            try:
                return super().run()
            except DirectiveError:
                raise
            except Exception as exc:  # noqa: BLE001 – any bug must become a message, not a traceback
                raise self.error(
                    f"Interner Fehler im Block {self.name!r} ({type(exc).__name__}: {exc}): "
                    "Optionen und Inhalt des Blocks prüfen und die Seite melden"
                ) from exc

    Safe.__name__ = Safe.__qualname__ = cls.__name__
    return Safe


def guard(app: Sphinx, config) -> None:
    """Once every extension is set up: wrap the kb handlers and directives."""
    for event, listeners in app.events.listeners.items():
        for index, listener in enumerate(listeners):
            module = getattr(listener.handler, "__module__", "") or ""
            if module.startswith("kb.") and module != __name__ and not hasattr(listener.handler, "__wrapped__"):
                listeners[index] = listener._replace(handler=_safe_handler(listener.handler, event))
    for name, cls in list(rst_directives._directives.items()):
        if isinstance(cls, type) and cls.__module__.startswith("kb.") and cls.__module__ != __name__:
            app.add_directive(name, _safe_directive(cls), override=True)  # (its Safe class is kb.problems')


def use_codec(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    """Read sources with the forgiving codec (not via source_encoding: Sphinx deprecates other values)."""
    if env.settings.get("input_encoding", "").lower().replace("_", "-") in ("utf-8", "utf-8-sig"):
        env.settings["input_encoding"] = CODEC


# -- Reporting ---------------------------------------------------------------------------------


def _relative(app: Sphinx, path: str) -> str:
    try:
        return Path(path).resolve().relative_to(Path(app.srcdir).resolve()).as_posix()
    except ValueError:
        return path


NOTICE_JS = """// Written by kb.problems for `make livehtml`: the problems of the last build.
(function () {
  var problems = %s;
  if (!problems.length) return;
  function show() {
    var box = document.createElement("div");
    box.className = "kb-problems";
    box.setAttribute("role", "alert");
    box.style.cssText = "position:sticky;top:0;z-index:100;background:#fff4e5;color:#5f2b00;" +
      "border:3px solid #b54708;padding:0.75rem 1rem;font:1rem/1.4 sans-serif;max-height:40vh;overflow:auto";
    var title = document.createElement("strong");
    title.textContent = problems.length === 1 ? "Der letzte Build meldet 1 Problem:" :
      "Der letzte Build meldet " + problems.length + " Probleme:";
    box.appendChild(title);
    var list = document.createElement("ul");
    problems.forEach(function (p) {
      var item = document.createElement("li");
      item.textContent = p;
      list.appendChild(item);
    });
    box.appendChild(list);
    var hint = document.createElement("p");
    hint.textContent = "Bitte beheben und speichern; die Seite lädt dann neu. Solange ein Problem bleibt, schlägt die Prüfung fehl.";
    box.appendChild(hint);
    document.body.insertBefore(box, document.body.firstChild);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", show);
  else show();
})();
"""


def _notice(app: Sphinx) -> bool:
    """Whether this build shows the problems in its pages (make livehtml)."""
    return app.config.kb_problem_notice and app.builder.format == "html"


def add_notice_script(app: Sphinx) -> None:
    if _notice(app):
        app.add_js_file("kb-problems.js")


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
    if _notice(app):
        lines = [
            f"{_relative(app, p['path'])}:{p['line']}: {p['message']}" if p["path"] else p["message"] for p in problems
        ]
        static = Path(app.outdir) / "_static"
        static.mkdir(parents=True, exist_ok=True)
        (static / "kb-problems.js").write_text(NOTICE_JS % json.dumps(lines, ensure_ascii=False), encoding="utf-8")
    if os.environ.get("GITHUB_ACTIONS") == "true":
        for p in problems:
            text = p["message"].replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
            where = f"file={_relative(app, p['path'])},line={p['line'] or 1}" if p["path"] else ""
            sys.stdout.write(f"::error {where}::{text}\n")
        sys.stdout.flush()


def setup(app: Sphinx) -> dict:
    app.require_sphinx("9.0")
    sphinx_logger = std_logging.getLogger(NAMESPACE)
    recorder = _Recorder(app)
    app.kb_problem_recorder = recorder
    for handler in sphinx_logger.handlers:
        if isinstance(handler, WarningStreamHandler):
            handler.addFilter(recorder)  # after Sphinx's suppression and location filters
    sphinx_logger.addHandler(_Tagger(app))
    app.add_config_value("kb_problem_notice", False, "html", types=[bool])
    app.add_domain(ProblemsDomain)
    app.connect("env-before-read-docs", use_codec)
    app.connect("config-inited", guard, priority=900)
    app.connect("builder-inited", add_notice_script)
    app.connect("doctree-read", collect_xrefs)
    app.connect("env-get-outdated", outdated)
    app.connect("env-get-updated", updated)
    app.connect("build-finished", report)
    return {"version": "1.0", "env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}
