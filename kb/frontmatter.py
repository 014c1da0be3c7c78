"""Reading a Markdown page's YAML front matter and its ``#`` title.

One parser for the extensions, conf.py, tests, tools and benchmarks. Dates
stay text (the schemas check their format); every field keeps the line it
stands on, so messages can name it. Parsed pages are cached by file version.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator, FormatChecker

from kb.wording import FRONT_MATTER, invalid_yaml, not_fields

# The marker the page templates use for what a contributor still has to fill in.
PLACEHOLDER = "AUSFÜLLEN"


class Loader(yaml.SafeLoader):
    """SafeLoader that keeps dates as text, so the schema can check their format."""


# The same loader on libyaml (C): parsing front matter was the largest single cost of reading
# a page. Its error messages are terser, so a text it rejects is parsed again by Loader for the
# message (the tab hint below depends on PyYAML's wording).
FastLoader = type("FastLoader", (getattr(yaml, "CSafeLoader", yaml.SafeLoader),), {})

for _loader in (Loader, FastLoader):
    _loader.yaml_implicit_resolvers = {
        key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }


@cache
def _validator(path: Path, mtime: int) -> Draft202012Validator:
    schema = yaml.load(path.read_text(encoding="utf-8"), Loader=FastLoader)
    return Draft202012Validator(schema, format_checker=FormatChecker())


def schema_validator(path: Path) -> Draft202012Validator:
    """The JSON Schema (YAML file) at path as a validator with format checks, loaded once per file version."""
    return _validator(path, path.stat().st_mtime_ns)


class FrontMatterError(Exception):
    """A page whose front matter cannot be read; ``line`` is the line in the file."""

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


class DuplicateKey(yaml.MarkedYAMLError):
    """A field written twice in one mapping (PyYAML would silently keep the last)."""

    def __init__(self, key: str, first: yaml.Mark, second: yaml.Mark):
        super().__init__(problem=f"Feld „{key}“ steht zweimal (zuerst in Zeile {first.line + 1})", problem_mark=second)
        self.key, self.first = key, first


def _no_duplicates(node: yaml.Node | None) -> None:
    if isinstance(node, yaml.MappingNode):
        seen: dict[Any, yaml.Mark] = {}
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                if key.value in seen:
                    raise DuplicateKey(key.value, seen[key.value], key.start_mark)
                seen[key.value] = key.start_mark
            _no_duplicates(value)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _no_duplicates(item)


# Characters a contributor cannot tell from a space, a colon or a straight quote.
LOOKS_LIKE = {
    "\u00a0": "ein geschütztes Leerzeichen (U+00A0)",
    "\u202f": "ein schmales geschütztes Leerzeichen (U+202F)",
    "\u2009": "ein schmales Leerzeichen (U+2009)",
    "\u200b": "ein breitenloses Leerzeichen (U+200B)",
    "\u200c": "ein breitenloser Nichtverbinder (U+200C)",
    "\u200d": "ein breitenloser Verbinder (U+200D)",
    "\u2060": "ein unsichtbarer Wortverbinder (U+2060)",
    "\ufeff": "ein unsichtbares Zeichen (U+FEFF)",
    "\u00ad": "ein weiches Trennzeichen (U+00AD)",
    "\uff1a": "ein Doppelpunkt-Ersatz (U+FF1A, kein normaler Doppelpunkt)",
    "\ua789": "ein Doppelpunkt-Ersatz (U+A789, kein normaler Doppelpunkt)",
    "\u2236": "ein Doppelpunkt-Ersatz (U+2236, kein normaler Doppelpunkt)",
    "\ufe55": "ein Doppelpunkt-Ersatz (U+FE55, kein normaler Doppelpunkt)",
}
SMART_QUOTES = "„“”‚‘’»«"


def check_slips(raw: str, first_line: int) -> None:
    """Raise FrontMatterError for invisible or look-alike characters and typographic quotes in YAML."""
    for number, line in enumerate(raw.split("\n"), first_line):
        key, colon, value = line.partition(":")
        # In a value, a no-break space or soft hyphen is text; in a field name, or anything invisible, it is not.
        for column, char in enumerate(line, 1):
            if char not in LOOKS_LIKE:
                continue
            in_value = colon and column > len(key) + 1
            if in_value and char in "\u00a0\u202f\u2009\u00ad":
                continue
            raise FrontMatterError(
                f"Im Kopf der Seite steht in Zeile {number}, Spalte {column} {LOOKS_LIKE[char]}: durch "
                + (
                    "einen normalen Doppelpunkt ersetzen"
                    if "Doppelpunkt" in LOOKS_LIKE[char]
                    else "ein normales Leerzeichen ersetzen oder löschen"
                ),
                number,
            )
        value = value.strip()
        if colon and len(value) > 1 and value[0] in SMART_QUOTES and value[-1] in SMART_QUOTES:
            raise FrontMatterError(
                f"Der Wert von „{key.strip().lstrip('- ')}“ steht in typografischen Anführungszeichen ({value[0]}…{value[-1]}): "
                'YAML kennt nur gerade Anführungszeichen; "…" schreiben oder die Anführungszeichen weglassen',
                number,
            )


def load_yaml(text: str, first_line: int = 1) -> tuple[Any, dict[tuple, int]]:
    """YAML text as data (dates as text) and the line of every field; raises yaml.YAMLError."""
    # libyaml accepts a tab after "key:", which PyYAML (and so MyST's own front-matter
    # parser) rejects: text with a tab goes to PyYAML, so a tab is reported as before.
    if "\t" in text:
        data, node = _load(Loader, text)
    else:
        try:
            data, node = _load(FastLoader, text)
        except yaml.YAMLError:
            data, node = _load(Loader, text)  # raises with PyYAML's message
    _no_duplicates(node)
    return data, (_line_map(node, first_line) if node is not None else {})


def _load(loader_class: type, text: str) -> tuple[Any, yaml.Node | None]:
    loader = loader_class(text)  # compose once, build the data from the same node tree
    try:
        node = loader.get_single_node()
        return (loader.construct_document(node) if node is not None else None), node
    finally:
        loader.dispose()


# Parsed pages by (path, mtime, size): a listing page reads every listed page's
# front matter, which the page itself and its key-facts card read as well. The
# key changes whenever the file does, so an edit is never served stale; each
# parallel reader process has its own copy. kb.metadata keeps the parsed pages
# in the build environment and hands them back here (remember) in the next
# build, so an incremental build parses only the files that changed.
_pages: dict[tuple[str, int, int], Page] = {}


def version(path: Path) -> tuple[str, int, int]:
    """The cache key of a file's current version: path, modification time, size."""
    stat = path.stat()
    return (str(path), stat.st_mtime_ns, stat.st_size)


def remember(key: tuple[str, int, int], page: Page) -> None:
    """Put a page parsed in an earlier build into the cache (used only while its file is unchanged)."""
    _pages[key] = page


def read_page(path: Path, docname: str) -> Page:
    """The front matter and first ``#`` title of a Markdown file, parsed once per file version."""
    key = version(path)
    if key not in _pages:
        _pages[key] = parse_page(read_text(path), path, docname)
    return _pages[key]


def read_text(path: Path) -> str:
    """A page's text, decoded strictly as UTF-8 without BOM, line endings made "\\n".

    Raises FrontMatterError naming the line for a BOM or bytes that are not UTF-8
    (a file saved as Latin-1/Windows-1252), so no reader crashes on them.
    """
    data = path.read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):
        raise FrontMatterError(
            "Die Datei beginnt mit einer Byte-Order-Markierung (BOM): im Editor als „UTF-8“ ohne BOM speichern",
            1,
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise FrontMatterError(
            f"Die Datei ist nicht in UTF-8 gespeichert (Byte {data[exc.start]:#04x}, etwa ein Umlaut in "
            "Latin-1/Windows-1252): im Editor als „UTF-8“ speichern",
            line,
        ) from exc
    return text.replace("\r\n", "\n").replace("\r", "\n")


def page_or_none(path: Path, docname: str) -> Page | None:
    """read_page, or None where the front matter is broken (kb.metadata reports that on the page)."""
    try:
        return read_page(path, docname)
    except FrontMatterError:
        return None


def doc_page(env: Any, docname: str) -> Page | None:
    """page_or_none for a document of a Sphinx build environment (``env.doc2path`` names its file)."""
    return page_or_none(Path(env.doc2path(docname)), docname)


def parse_page(text: str, path: Path, docname: str) -> Page:
    """Parse the front matter and the first ``#`` title of a Markdown text."""
    page = Page(docname, path)
    body = text
    if text.startswith("---\n"):
        end = text.find("\n---", 4)
        if end == -1:
            raise FrontMatterError(
                "Der Kopf der Seite hat keine Schlusszeile ---: nach dem letzten Feld eine Zeile --- einfügen", 1
            )
        raw = text[4 : end + 1]
        body = text[end + 4 :]
        check_slips(raw, 2)
        try:
            data, lines = load_yaml(raw, 2)
        except DuplicateKey as exc:
            raise FrontMatterError(
                f"Feld „{exc.key}“ steht zweimal im Kopf der Seite (zuerst in Zeile {exc.first.line + 2}): "
                "eine der beiden Zeilen löschen",
                exc.problem_mark.line + 2,
            ) from exc
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = mark.line + 2 if mark else 1
            problem = getattr(exc, "problem", None) or str(exc)
            hint = ""
            if mark and ("could not find expected ':'" in problem or "mapping values are not allowed" in problem):
                # The scalar may go on over lines, so YAML notices at the next one: name the field line.
                raw_lines = raw.split("\n")
                above = next(
                    (j for j in range(min(mark.line, len(raw_lines)) - 1, -1, -1) if raw_lines[j].strip()), None
                )
                if above is not None and ":" not in raw_lines[above]:
                    line = above + 2
                hint = f"in Zeile {line} fehlt wohl der Doppelpunkt nach dem Feldnamen („feld: wert“)"
            if "\\t" in problem or "\t" in problem:
                hint = "Tabulatorzeichen durch Leerzeichen ersetzen (YAML erlaubt keine Tabs zum Einrücken)"
            raise FrontMatterError(invalid_yaml(FRONT_MATTER, problem, hint), line) from exc
        if data is not None and not isinstance(data, dict):
            raise FrontMatterError(not_fields(FRONT_MATTER), 2)
        page.data = data or {}
        page.lines = lines
    match = re.search(r"^# (.+)$", body, re.M)
    page.title = match.group(1).strip() if match else docname
    return page


def front_matter(path: Path) -> dict[str, Any]:
    """Only the front matter of a file, as a dict (dates as text); {} if it has none."""
    return parse_page(read_text(path), path, path.stem).data


def filled(value: Any) -> str:
    """A text value, or "" where it is missing or still the template placeholder."""
    return value if isinstance(value, str) and PLACEHOLDER not in value else ""
