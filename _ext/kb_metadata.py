"""Page metadata: schema-checked front matter and listings generated from it.

Adds to Sphinx:

* a check of every page's YAML front matter against the JSON Schema of its
  page type (``schemas/<type>.schema.yaml``; the type follows from the folder,
  see ``kb_page_types`` in conf.py). A missing or malformed field is a warning
  naming the file, the line and what is expected, so the strict build fails;
* a check that the labels named in ``event`` and ``session`` exist;
* the directive ``kb-steckbrief``, which renders a page's key facts as a
  card from its own front matter (one source for facts used twice);
* the directive ``kb-listing`` (``:::{kb-listing} case-study``), which renders
  a sphinx-design grid with one card per page of that type, built from the
  pages' front matter and ``#`` titles. Adding a page file lists it; editing
  a page's title or metadata updates every listing.

Front matter is read from the source files, so a listing never depends on
the order in which pages are read: the extension is safe for parallel reads.
For incremental builds every listed file is a dependency of the page with the
listing, and ``env-get-outdated`` re-reads listing pages when a page of a
listed type is added or removed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from docutils import nodes
from docutils.parsers.rst import directives
from docutils.statemachine import StringList
from jsonschema import Draft202012Validator, FormatChecker
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

logger = logging.getLogger(__name__)

# The marker the page templates use for what a contributor still has to fill in.
PLACEHOLDER = "AUSFÜLLEN"
NOT_STATED = "im Bericht nicht genannt"
FORMATS = {"vor-ort": "vor Ort", "online": "online", "hybrid": "vor Ort, mit digitaler Zuschaltung"}
MONTHS = [
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
]


# -- Reading front matter ------------------------------------------------------


class _Loader(yaml.SafeLoader):
    """SafeLoader that keeps dates as text, so the schema can check their format."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class FrontMatterError(Exception):
    def __init__(self, message: str, line: int):
        super().__init__(message)
        self.line = line


@dataclass
class Page:
    """What checks and listings need of a page: metadata, title, field lines."""

    docname: str
    path: Path
    data: dict[str, Any] = field(default_factory=dict)
    lines: dict[tuple, int] = field(default_factory=dict)  # field path -> line in the file
    title: str = ""


def _line_map(node: yaml.Node, offset: int, path: tuple = ()) -> dict[tuple, int]:
    """Map each field path in a composed YAML node to its line in the file."""
    lines = {path: node.start_mark.line + offset}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            child = path + (key.value,)
            lines.update(_line_map(value, offset, child))
            lines[child] = key.start_mark.line + offset
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            lines.update(_line_map(item, offset, path + (index,)))
    return lines


# Parsed pages by (path, mtime, size): a listing page reads every listed page's
# front matter, which the page itself and its key-facts card read as well. The
# key changes whenever the file does, so an edit is never served stale; each
# parallel reader process has its own copy.
_pages: dict[tuple[str, int, int], Page] = {}


def read_page(path: Path, docname: str) -> Page:
    """The front matter and first ``#`` title of a Markdown file, parsed once per file version."""
    stat = path.stat()
    key = (str(path), stat.st_mtime_ns, stat.st_size)
    if key not in _pages:
        _pages[key] = _parse_page(path, docname)
    return _pages[key]


def _parse_page(path: Path, docname: str) -> Page:
    """Parse the front matter and the first ``#`` title of a Markdown file."""
    text = path.read_text(encoding="utf-8")
    page = Page(docname, path)
    body = text
    if text.startswith("---\n"):
        end = text.find("\n---", 4)
        if end == -1:
            raise FrontMatterError("front matter: the closing '---' line is missing", 1)
        raw = text[4 : end + 1]
        body = text[end + 4 :]
        try:
            loader = _Loader(raw)  # compose once, build the data from the same node tree
            try:
                node = loader.get_single_node()
                data = loader.construct_document(node) if node is not None else None
            finally:
                loader.dispose()
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 2 if mark else 1
            problem = getattr(exc, "problem", None) or str(exc)
            raise FrontMatterError(
                f"front matter is not valid YAML: {problem} (check indentation, colons and quotes)", line
            ) from exc
        if data is not None and not isinstance(data, dict):
            raise FrontMatterError("front matter must consist of 'field: value' lines", 2)
        page.data = data or {}
        page.lines = _line_map(node, 2) if node is not None else {}
    match = re.search(r"^# (.+)$", body, re.M)
    page.title = match.group(1).strip() if match else docname
    return page


@cache
def _validator(schema_path: Path, mtime: float) -> Draft202012Validator:
    schema = yaml.load(schema_path.read_text(encoding="utf-8"), Loader=_Loader)
    return Draft202012Validator(schema, format_checker=FormatChecker())


def _describe(error) -> tuple[str, tuple]:
    """A contributor-friendly message and the field path of a schema error."""
    path = tuple(error.absolute_path)
    name = ".".join(str(p) for p in path) or "front matter"
    hint = error.schema.get("description", "") if isinstance(error.schema, dict) else ""
    validator = error.validator
    if validator == "required":
        missing = re.match(r"'([^']+)'", error.message).group(1)
        sub = error.schema.get("properties", {}).get(missing, {})
        hint = sub.get("description", "")
        where = f" in {name}" if path else ""
        return f"required field '{missing}' is missing{where}" + (f" ({hint})" if hint else ""), path
    if validator == "additionalProperties":
        extra = re.findall(r"'([^']+)'", error.message)
        fields = ", ".join(repr(e) for e in extra)
        where = f" in {name}" if path else ""
        return f"unknown field {fields}{where} (a typo? compare with the page template)", path + tuple(extra[:1])
    value = error.validator_value
    if validator == "type":
        expected = f"must be of type {value}"
    elif validator == "const":
        expected = f"must be {value!r}"
    elif validator == "enum":
        expected = "must be one of " + ", ".join(repr(v) for v in value)
    elif validator == "format":
        expected = f"must be a {value} written JJJJ-MM-TT"
    elif validator == "minLength":
        expected = "must not be empty" if value == 1 else f"needs at least {value} characters"
    elif validator == "minItems":
        expected = f"needs at least {value} entry"
    elif validator == "pattern":
        expected = "must be a label in lowercase letters, digits and hyphens (e.g. jahrestagung-2024)"
    else:
        expected = error.message
    message = f"field '{name}' {expected}, got {error.instance!r}"
    return message + (f" ({hint})" if hint else ""), path


def _filled(value: Any) -> str:
    """A text value, or "" where it is missing or still the template placeholder."""
    return value if isinstance(value, str) and PLACEHOLDER not in value else ""


def _get(data: Any, path: tuple) -> Any:
    for key in path:
        try:
            data = data[key]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def page_type(config, docname: str) -> str | None:
    """The page type of a document, from its folder; None for overviews and others."""
    folder, _, name = docname.rpartition("/")
    if name == "index":
        return None
    return config.kb_page_types.get(folder)


def validate(confdir: str, page: Page, ptype: str | None) -> list[tuple[str, int]]:
    """Check a page's front matter; return (message, line) pairs."""
    schema_path = Path(confdir) / "schemas" / f"{ptype or 'common'}.schema.yaml"
    validator = _validator(schema_path, schema_path.stat().st_mtime)
    problems = []
    for path, line in sorted(page.lines.items(), key=lambda item: item[1]):
        value = _get(page.data, path)
        if path and isinstance(value, str) and PLACEHOLDER in value:
            name = ".".join(str(p) for p in path)
            problems.append(
                (
                    f"front matter: field '{name}' still holds the template placeholder "
                    f'{PLACEHOLDER!r}: fill it in, or leave it empty ("") if the source does not say',
                    line,
                )
            )
    for error in sorted(validator.iter_errors(page.data), key=lambda e: [str(p) for p in e.absolute_path]):
        if isinstance(error.instance, str) and PLACEHOLDER in error.instance:
            continue  # already reported as a placeholder above
        message, path = _describe(error)
        line = page.lines.get(path) or page.lines.get(path[:1]) or 1
        problems.append((f"front matter: {message}", line))
    return problems


# -- Build hooks -----------------------------------------------------------------


def check_page(app: Sphinx, doctree: nodes.document) -> None:
    """After a page is read: validate its front matter against its schema."""
    env = app.env
    docname = env.current_document.docname
    path = Path(env.doc2path(docname))
    if path.suffix != ".md":
        return
    try:
        page = read_page(path, docname)
    except FrontMatterError as exc:
        logger.warning(str(exc), location=(docname, exc.line), type="kb", subtype="frontmatter")
        return
    for message, line in validate(app.confdir, page, page_type(app.config, docname)):
        logger.warning(message, location=(docname, line), type="kb", subtype="frontmatter")
    refs = {
        key: (page.data[key], page.lines.get((key,), 1)) for key in ("event", "session") if _filled(page.data.get(key))
    }
    if refs:
        _store(env, "kb_label_refs")[docname] = refs


def check_labels(app: Sphinx, env: BuildEnvironment) -> None:
    """Once all pages are read: labels named in front matter must exist."""
    labels = env.domains.standard_domain.labels
    for docname, refs in sorted(_store(env, "kb_label_refs").items()):
        for key, (label, line) in refs.items():
            if label not in labels:
                logger.warning(
                    "front matter: field '%s' names the label %r, which no page defines",
                    key,
                    label,
                    location=(docname, line),
                    type="kb",
                    subtype="frontmatter",
                )


def _store(env: BuildEnvironment, attr: str) -> dict:
    if not hasattr(env, attr):
        setattr(env, attr, {})
    return getattr(env, attr)


def purge(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    for attr in ("kb_label_refs", "kb_listings"):
        _store(env, attr).pop(docname, None)


def merge(app: Sphinx, env: BuildEnvironment, docnames: set[str], other: BuildEnvironment) -> None:
    for attr in ("kb_label_refs", "kb_listings"):
        theirs = _store(other, attr)
        _store(env, attr).update({doc: theirs[doc] for doc in docnames if doc in theirs})


def outdated(app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]) -> list[str]:
    """Re-read listing pages when a page of a listed type comes or goes."""
    touched = {page_type(app.config, doc) for doc in added | removed} - {None}
    if not touched:
        return []
    return sorted(doc for doc, types in _store(env, "kb_listings").items() if types & touched and doc not in removed)


# -- The listing directive ---------------------------------------------------------


def german_date(value: str) -> str:
    """2024-11-19 -> 19. November 2024."""
    year, month, day = (int(part) for part in value.split("-"))
    return f"{day}. {MONTHS[month - 1]} {year}"


_UMLAUTS = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss"})


def german_key(text: str) -> str:
    """German (DIN 5007-1) order: umlauts sort with their base letter."""
    return text.casefold().translate(_UMLAUTS)


def _card_lines(page: Page, ptype: str) -> list[str]:
    data = page.data
    facts: list[str] = []
    if ptype == "event":
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(data.get("date", ""))):
            facts.append(german_date(data["date"]))
        facts.append(", ".join(v for v in (_filled(data.get("place")), _filled(data.get("city"))) if v))
    elif ptype == "case-study":
        facts = [_filled(data.get(key)) for key in ("sector", "location", "size")]
    summary = " ".join(_filled(data.get("summary")).split())
    lines = [f":::{{grid-item-card}} {page.title}", f":link: /{page.docname}", ":link-type: doc", ""]
    if any(facts):
        # Escape "19. November" so Markdown does not read it as a numbered list.
        lines += [re.sub(r"^(\d+)\.", r"\1\\.", " · ".join(f for f in facts if f)), ""]
    if summary:
        lines += [summary, ""]
    return lines + [":::", ""]


class ListingDirective(SphinxDirective):
    """``:::{kb-listing} case-study`` – one card for every page of a type."""

    required_arguments = 1
    option_spec = {"columns": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        ptype = self.arguments[0]
        known = set(self.config.kb_page_types.values())
        if ptype not in known:
            raise self.error(f"kb-listing: unknown page type {ptype!r} (known: {', '.join(sorted(known))})")
        pages = []
        for docname in sorted(self.env.found_docs):
            if page_type(self.config, docname) != ptype:
                continue
            path = Path(self.env.doc2path(docname))
            self.env.note_dependency(str(path))
            try:
                pages.append(read_page(path, docname))
            except FrontMatterError:
                continue  # reported on the page itself
        if ptype == "event":
            pages.sort(key=lambda p: str(p.data.get("date", "")), reverse=True)
        else:
            pages.sort(key=lambda p: german_key(p.title))
        _store(self.env, "kb_listings").setdefault(self.env.current_document.docname, set()).add(ptype)

        columns = self.options.get("columns", "1 1 2 2")
        lines = [f"::::{{grid}} {columns}", ":gutter: 3", ""]
        for page in pages:
            lines += _card_lines(page, ptype)
        lines.append("::::")
        container = nodes.container()
        source = self.get_source_info()[0]
        self.state.nested_parse(StringList(lines, source=source), self.content_offset, container)
        return container.children


def _cell(value: Any) -> str:
    value = _filled(value) if isinstance(value, str) else value
    text = " ".join(str(value).split()) if value not in (None, "") else NOT_STATED
    return text.replace("|", "\\|")


def _people(entries: Any) -> str:
    if not isinstance(entries, list) or not entries:
        return NOT_STATED
    people = [
        ", ".join(v for k in ("name", "role") if (v := _filled(p.get(k)))) for p in entries if isinstance(p, dict)
    ]
    return "; ".join(p for p in people if p) or NOT_STATED


def steckbrief_rows(data: dict[str, Any], ptype: str | None) -> list[tuple[str, str]]:
    """The key-facts rows of a page, from its front matter."""
    if ptype == "case-study":
        place = ", ".join(v for k in ("location", "region") if (v := _filled(data.get(k))))
        rows = [
            ("Unternehmen", data.get("company")),
            ("Branche", data.get("sector")),
            ("Standort", place),
            ("Größe", data.get("size")),
            ("Personen", _people(data.get("people"))),
            ("Beratung und Partner", _people(data.get("advisers"))),
        ]
        if _filled(data.get("session")) and _filled(data.get("event")):
            rows.append(("Vorgestellt", f"{{ref}}`{data['session']}` auf der {{ref}}`{data.get('event')}`"))
        return [(label, _cell(value)) for label, value in rows]
    if ptype == "event":
        date = str(data.get("date", ""))
        rows = [
            ("Datum", german_date(date) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", date) else date),
            ("Ort", ", ".join(str(data[k]) for k in ("place", "city") if data.get(k))),
            ("Motto", f"„{data['motto']}“" if data.get("motto") else ""),
            ("Format", FORMATS.get(str(data.get("format")), data.get("format"))),
            ("Teilnehmende", data.get("attendance")),
            ("Veranstalter", data.get("organiser")),
        ]
        return [(label, _cell(value)) for label, value in rows]
    return []


class SteckbriefDirective(SphinxDirective):
    """``:::{kb-steckbrief} Titel`` – the page's key facts as a card, from its front matter.

    Extra rows that are not metadata go into the directive's content as
    Markdown table rows (``| Ausgangslage | ... |``); they follow the generated ones.
    """

    optional_arguments = 1
    final_argument_whitespace = True
    has_content = True

    def run(self) -> list[nodes.Node]:
        docname = self.env.current_document.docname
        ptype = page_type(self.config, docname)
        try:
            page = read_page(Path(self.env.doc2path(docname)), docname)
        except FrontMatterError:
            return []  # reported by check_page
        rows = steckbrief_rows(page.data, ptype)
        if not rows:
            raise self.error(f"kb-steckbrief: pages of this folder have no key facts (type {ptype!r})")
        title = self.arguments[0] if self.arguments else "Auf einen Blick"
        lines = [f"::::{{card}} {title}", "", "| Merkmal | Angabe |", "| --- | --- |"]
        lines += [f"| {label} | {value} |" for label, value in rows]
        extra = [line for line in self.content if line.strip()]
        bad = [line for line in extra if not line.lstrip().startswith("|")]
        if bad:
            raise self.error(
                f"kb-steckbrief: the content may only hold table rows like '| Merkmal | Angabe |', not {bad[0]!r}"
            )
        lines += extra + ["::::"]
        container = nodes.container()
        self.state.nested_parse(StringList(lines, source=self.get_source_info()[0]), self.content_offset, container)
        return container.children


def setup(app: Sphinx) -> dict:
    app.add_config_value("kb_page_types", {}, "env", types=[dict])
    app.add_directive("kb-listing", ListingDirective)
    app.add_directive("kb-steckbrief", SteckbriefDirective)
    app.connect("doctree-read", check_page)
    app.connect("env-check-consistency", check_labels)
    app.connect("env-purge-doc", purge)
    app.connect("env-merge-info", merge)
    app.connect("env-get-outdated", outdated)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
