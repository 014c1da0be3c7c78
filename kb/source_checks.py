"""Slips that Markdown renders silently, named at their line and column (found by ``make fuzz``).

Each check reads the page's lines (``source-read``, outside front matter and
code blocks) and warns at the exact line: invisible characters (zero-width
space, and no-break space or soft hyphen where they break syntax: roles,
labels, block lines), a heading without a space after ``#``, a role with a
backtick or brace missing, a label line without ``=`` or glued to the
paragraph above it, a line written twice in a row, a block's options after a
blank line, a table row with too few or too many cells, a glossary term
defined twice, a stray ``---`` that ends the front matter early. Each would
otherwise show as text or vanish without a word.

A tab at the end of a line of text is dropped (it means nothing, but would stay in
the page). ``doctree-read`` then moves a cross-reference's line from the first line of
its paragraph (where MyST puts it) to the line that holds it, so "term not in
glossary" names the sentence, not the paragraph.

Nothing is kept between documents: parallel and incremental builds are safe.
"""

from __future__ import annotations

import logging as std_logging
import re
import unicodedata

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)

# Characters a contributor cannot see, by name, as the messages call them.
INVISIBLE = {
    "\u200b": "breitenloses Leerzeichen (U+200B)",
    "\u200c": "breitenloser Nichtverbinder (U+200C)",
    "\u200d": "breitenloser Verbinder (U+200D)",
    "\u2060": "unsichtbarer Wortverbinder (U+2060)",
    "\ufeff": "unsichtbares Zeichen U+FEFF",
}
# Visible or legitimate in running text, but wrong inside roles, labels and block lines.
IN_SYNTAX = {
    "\u00a0": "geschütztes Leerzeichen (U+00A0)",
    "\u00ad": "weiches Trennzeichen (U+00AD)",
    "\u202f": "schmales geschütztes Leerzeichen (U+202F)",
    "\u2009": "schmales Leerzeichen (U+2009)",
}
_INVISIBLE_CHARS = frozenset(INVISIBLE)
_IN_SYNTAX_CHARS = frozenset(IN_SYNTAX)
ROLE = re.compile(r"\{[\w:-]+\}(`+)(.*?)\1")
ROLE_START = re.compile(r"\{[\w:-]+\}`")
CODE_SPAN = re.compile(r"(`+)(?!`)(.+?)(?<!`)\1(?!`)")
LABEL = re.compile(r"^\(([^()\s]+)\)=\s*$")
FENCE = re.compile(r"^(\s*)(`{3,}|~{3,}|:{3,})(.*)$")
FIELD_LIKE = re.compile(r"^[A-Za-z_][\w-]*:(\s|$)")


def describe(char: str) -> str:
    return INVISIBLE.get(char) or IN_SYNTAX.get(char) or f"Zeichen U+{ord(char):04X} ({unicodedata.name(char, '?')})"


def _warn(docname: str, line: int, message: str, subtype: str) -> None:
    logger.warning(message, location=(docname, line), type="kb", subtype=subtype)


def _regions(lines: list[str]) -> tuple[int, set[int], list[tuple[int, int, str]]]:
    """(first body index, indices of code lines, Markdown fences as (open, close, name))."""
    start = 0
    if lines and lines[0] == "---":
        start = next((i + 1 for i in range(1, len(lines)) if lines[i] == "---"), 0)
    code: set[int] = set()
    fences: list[tuple[int, int, str]] = []
    stack: list[tuple[int, str, str]] = []
    index = start
    while index < len(lines):
        match = FENCE.match(lines[index])
        if match:
            marker, info = match.group(2), match.group(3).strip()
            name = re.match(r"\{([\w:-]+)\}", info)
            if stack and marker[0] == stack[-1][1][0] and len(marker) >= len(stack[-1][1]) and not info:
                opened, _, fence_name = stack.pop()
                fences.append((opened, index, fence_name))
            elif marker[0] in "`~" and (not name or name.group(1) in ("code", "code-block", "math", "mermaid")):
                close = next((j for j in range(index + 1, len(lines)) if lines[j].strip().startswith(marker)), None)
                stop = close if close is not None else len(lines) - 1
                code.update(range(index, stop + 1))
                index = stop + 1
                continue
            elif info:
                stack.append((index, marker, name.group(1) if name else ""))
        index += 1
    return start, code, fences


def check_lines(docname: str, lines: list[str]) -> list[tuple[int, str, str]]:
    """(1-based line, German message, subtype) for every slip in a page's lines."""
    problems: list[tuple[int, str, str]] = []
    # Blocks are found as Markdown finds them, where an invisible character does not stop them.
    start, code, fences = _regions([re.sub("[\u200b-\u200d\u2060\ufeff]", "", line) for line in lines])
    fence_lines = {i for a, b, _ in fences for i in (a, b)}
    options = {a + 1 for a, _, _ in fences}
    glossary = [(a, b) for a, b, name in fences if name == "glossary"]

    def add(index: int, message: str, subtype: str) -> None:
        problems.append((index + 1, message, subtype))

    # A stray --- inside the front matter: what follows it still looks like fields.
    if start and start < len(lines):
        following = next((i for i in range(start, min(len(lines), start + 3)) if lines[i].strip()), None)
        if following is not None and FIELD_LIKE.match(lines[following]) and "---" in lines[start:]:
            add(
                start - 1,
                "Diese Zeile --- beendet den Kopf der Seite zu früh: darunter folgen noch Felder "
                f"(„{lines[following].split(':')[0]}:“); die Zeile entfernen",
                "frontmatter",
            )
    previous = ""
    for index in range(start, len(lines)):
        line = lines[index]
        # (A character-by-character loop only for the rare line that holds such a character.)
        for column, char in enumerate(line, 1) if not _INVISIBLE_CHARS.isdisjoint(line) else ():
            if char in INVISIBLE and (index not in code or FENCE.match(line)):
                add(
                    index,
                    f"Unsichtbares Zeichen: {describe(char)} in Zeile {index + 1}, Spalte {column}: löschen",
                    "char",
                )
        if index in code:
            previous = ""
            continue
        syntax = [m.span() for m in ROLE_START.finditer(line)]
        syntax += [m.span() for m in ROLE.finditer(line)]
        if LABEL.match(line.replace("\u00a0", "")) or FENCE.match(line) or (index in options and line.startswith(":")):
            syntax.append((0, len(line)))
        for column, char in enumerate(line, 1) if not _IN_SYNTAX_CHARS.isdisjoint(line) else ():
            if char in IN_SYNTAX and any(a < column <= b for a, b in syntax):
                add(
                    index,
                    f"{describe(char)[0].upper()}{describe(char)[1:]} in Zeile {index + 1}, Spalte {column}, mitten in "
                    "einer Rolle, einem Label oder einer Blockzeile: durch ein normales Leerzeichen ersetzen oder löschen",
                    "char",
                )
        stripped = line.strip()
        if stripped and (tab := re.match(r"^[ ]*\t", line)):
            add(
                index,
                f"Tabulatorzeichen zum Einrücken in Zeile {index + 1}, Spalte {tab.end()}: Markdown rechnet es als vier "
                "Leerzeichen, so verschiebt sich der Block; mit Leerzeichen einrücken",
                "tab",
            )
        if re.fullmatch(r"\s*(:{1,2}|`{1,2})\s*", line):
            add(
                index,
                f"Die Zeile „{stripped}“ sieht aus wie die Schlusszeile eines Blocks mit einem Zeichen zu wenig: "
                f"{stripped[0] * 3} schreiben (so viele Zeichen wie in der Anfangszeile)",
                "fence",
            )
        if re.match(r"^#{1,6}[^\s#]", line):
            add(index, "Nach den # einer Überschrift fehlt das Leerzeichen: „## Titel“ schreiben", "heading")
        if index not in fence_lines:
            rest = ROLE.sub("", line)
            rest = CODE_SPAN.sub("", rest)
            if m := ROLE_START.search(rest):
                add(
                    index,
                    f"Die Rolle „{m.group(0)}…“ hat keinen schließenden Backtick `: ihn hinter dem Ziel ergänzen",
                    "role",
                )
            elif "`" in rest:
                add(
                    index,
                    f"Ein Backtick ` ohne Gegenstück in Zeile {index + 1}, Spalte {rest.index('`') + 1}: "
                    "Backticks paarweise setzen, z. B. {term}`KI`",
                    "role",
                )
            if m := re.search(r"(?<![{\w-])([a-z][\w-]*)\}`[^`]+`", line):
                add(
                    index,
                    f"Vor der Rolle „{m.group(1)}}}“ fehlt die öffnende Klammer: „{{{m.group(1)}}}`…`“ schreiben",
                    "role",
                )
        if re.match(r"^\([\w.-]+\)\s*$", line):
            add(index, f"Die Label-Zeile „{stripped}“ braucht ein = am Ende: „{stripped}=“ schreiben", "label")
        # A MyST comment line (%) above a label is no paragraph: the template's programme points have one.
        if (
            LABEL.match(line)
            and previous
            and not FENCE.match(previous)
            and not LABEL.match(previous)
            and not previous.startswith("%")
        ):
            add(
                index,
                "Vor der Label-Zeile fehlt eine Leerzeile: so gehört sie zum Absatz darüber und erscheint als Text",
                "label",
            )
        if (
            stripped
            and stripped == previous.strip()
            and index not in fence_lines
            and not re.fullmatch(r"[-|:\s]+|---+|\*\*\*+", stripped)
        ):
            add(index, f"Zeile {index + 1} wiederholt Zeile {index}: eine der beiden löschen", "duplicate")
        previous = line
    # Options after a blank line, or indented: they would become text.
    for opened, closed, _ in fences:
        after = opened + 1
        if after < closed and re.match(r"^\s+:[\w-]+:", lines[after]):
            add(
                after,
                "Die Option des Blocks ist eingerückt und würde als Text erscheinen: ohne Einrückung schreiben",
                "option",
            )
        if (
            after < closed
            and not lines[after].strip()
            and after + 1 < closed
            and re.match(r"^:[\w-]+:(\s|$)", lines[after + 1])  # a flag option has no value
        ):
            add(
                after + 1,
                "Die Option steht nach einer Leerzeile und würde als Text erscheinen: die Leerzeile über ihr löschen",
                "option",
            )
        index = after
        while index < closed and lines[index].startswith(":") and not FENCE.match(lines[index]):
            if not re.match(r"^:[\w-]+:(\s|$)", lines[index]):
                add(index, "Die Option braucht die Form „:name: wert“ (Doppelpunkt vor und nach dem Namen)", "option")
            index += 1
    # Tables: every row as many cells as the first.
    index = start
    while index < len(lines):
        if index in code or not lines[index].lstrip().startswith("|"):
            index += 1
            continue
        block = index
        while index < len(lines) and lines[index].lstrip().startswith("|") and index not in code:
            index += 1
        rows = list(range(block, index))
        if len(rows) > 1 and any(re.fullmatch(r"\s*\|[\s|:-]+\|\s*", lines[r]) for r in rows):
            width = _cells(lines[rows[0]])
            for r in rows[1:]:
                if (found := _cells(lines[r])) != width:
                    add(
                        r,
                        f"Die Tabellenzeile hat {found} Zellen, die Kopfzeile {width}: ein „|“ ergänzen oder "
                        "entfernen (ein | im Text als \\| schreiben)",
                        "table",
                    )
    # Glossary terms defined twice (the second definition named, with the first).
    seen: dict[str, int] = {}
    for opened, closed in glossary:
        for index in range(opened + 1, closed):
            line = lines[index]
            if line.strip() and not line[0].isspace() and not line.startswith(":"):
                term = line.strip().casefold()
                if term in seen:
                    add(
                        index,
                        f"Der Begriff „{line.strip()}“ steht schon in Zeile {seen[term]} im Glossar: "
                        "einen der beiden Einträge entfernen",
                        "glossary",
                    )
                else:
                    seen[term] = index + 1
    return problems


def _cells(row: str) -> int:
    row = CODE_SPAN.sub("x", ROLE.sub("x", row.strip()))
    row = row.replace("\\|", "")
    return row.strip("|").count("|") + 1


def known_roles(app: Sphinx) -> set[str]:
    """Role names a page may use: docutils' and Sphinx's, every domain's (with and without prefix)."""
    from docutils.parsers.rst import roles

    known = set(roles._roles) | set(roles._role_registry)
    for domain in app.env.domains.sorted():
        for name in domain.roles:
            known |= {name, f"{domain.name}:{name}"}
    return known


def unknown_roles(lines: list[str], known: set[str]) -> list[tuple[int, str]]:
    """(1-based line, message) for each role name nobody registered, at the line it stands on."""
    start, code, _ = _regions(lines)
    found = []
    for index in range(start, len(lines)):
        if index in code:
            continue
        for match in re.finditer(r"\{([\w:-]+)\}`", lines[index]):
            name = match.group(1)
            if name not in known and name.lower() not in known:
                found.append(
                    (
                        index + 1,
                        f"Unbekannte Rolle „{name}“ in Zeile {index + 1}, Spalte {match.start() + 1}: "
                        "z. B. {term}, {ref} oder {akteur} verwenden",
                    )
                )
    return found


def read_source(app: Sphinx, docname: str, source: list[str]) -> None:
    if not str(app.env.doc2path(docname)).endswith(".md"):
        return
    lines = source[0].split("\n")
    for line, message, subtype in check_lines(docname, lines):
        _warn(docname, line, message, subtype)
    # MyST names an unknown role at its paragraph's first line; this names its own line, and
    # MyST's message for the same role on this page is dropped (_OnceForRoles).
    found = unknown_roles(lines, known_roles(app))
    _ROLES_REPORTED[docname] = {re.search(r"„(.+?)“", message).group(1) for _, message in found}
    for line, message in found:
        _warn(docname, line, message, "role")
    # A tab at the end of a line of text means nothing, but MyST would keep it in the page.
    start, code, _ = _regions(lines)
    changed = False
    for index in range(start, len(lines)):
        if index not in code and lines[index].endswith("\t"):
            lines[index] = lines[index].rstrip(" \t")
            changed = True
    if changed:
        source[0] = "\n".join(lines)


# -- Cross-references at their own line -----------------------------------------------


def _needle(node: nodes.Element) -> list[str]:
    raw = node.rawsource or ""
    target = node.get("reftarget", "")
    return [text for text in (raw, f"`{target}", target, node.astext()) if text]


# A line that starts a new block after a paragraph without a blank line: a list item, a heading, a fence.
_NEW_BLOCK = re.compile(r"^\s*(?:[-*+]\s|\d+[.)]\s|#{1,6}\s|:{3,}|`{3,}|~{3,})")


def block_end(lines: list[str], first: int) -> int:
    """Index after the paragraph that starts at index first: its blank line, or the next list item,
    heading or fence (the items of a list without blank lines are paragraphs of their own)."""
    return next(
        (i for i in range(first + 1, len(lines)) if not lines[i].strip() or _NEW_BLOCK.match(lines[i])), len(lines)
    )


def line_in_block(source: str | None, first: int | None, needle: str) -> int | None:
    """The 1-based line that holds needle, searched from a block's first line to the blank line ending it.

    MyST gives a paragraph's nodes (an image, a text) the paragraph's first line; with one sentence
    per line that is the wrong sentence. None when the source cannot be read or holds no needle there.
    """
    if not source or not first or not needle or not str(source).endswith(".md"):
        return None
    try:
        with open(source, encoding="utf-8") as handle:
            lines = handle.read().replace("\r\n", "\n").split("\n")
    except (OSError, UnicodeDecodeError):
        return None
    if first > len(lines):
        return None
    for index in range(first - 1, block_end(lines, first - 1)):
        if needle in lines[index]:
            return index + 1
    return None


def directive_error(directive, message: str, needle: str = "", line: int | None = None) -> list[nodes.Node]:
    """A directive's error (as ``self.error`` gives) at the line of its block that holds needle (an
    option such as ``:auch:``) or at line; MyST puts ``self.error`` at the block's opening line."""
    source, opening = directive.get_source_info()
    at = line or (line_in_block(source, opening, needle) if needle else None) or opening
    return [directive.reporter.system_message(3, message, line=at)]


def exact_lines(app: Sphinx, doctree: nodes.document) -> None:
    """Give each cross-reference in a paragraph the line it stands on (MyST gives the paragraph's)."""
    source = doctree.get("source", "")
    if not source.endswith(".md"):
        return
    try:
        with open(source, encoding="utf-8") as handle:
            lines = handle.read().replace("\r\n", "\n").split("\n")
    except (OSError, UnicodeDecodeError):
        return
    for block in doctree.findall(nodes.TextElement):
        if block.line is None or block.source not in (None, source):
            continue
        cursor = block.line - 1  # search from the paragraph's first line, in order, up to its end
        end = block_end(lines, cursor)
        for ref in block.findall(addnodes.pending_xref):
            if ref.get("refdoc") is None or ref.line not in (None, block.line):
                continue
            for needle in _needle(ref):
                found = next((i for i in range(cursor, end) if needle in lines[i]), None)
                if found is not None:
                    ref.line = found + 1
                    cursor = found
                    break


# Roles kb named at their line, per page being read (in the process that reads it: with -j the
# worker that parses the page, so MyST's message is dropped there, before it is sent back).
_ROLES_REPORTED: dict[str, set[str]] = {}
# MyST's message for a role no one registered (myst_parser.mdit_to_docutils.base.render_myst_role).
_MYST_UNKNOWN_ROLE = re.compile(r'Unknown interpreted text role "(.+?)"\.')


class _OnceForRoles(std_logging.Filter):
    """Drops MyST's "Unknown interpreted text role" where kb named the same role on the same page.

    kb's message stands at the role's own line and column; MyST's at its paragraph's first line.
    A role kb does not find unknown (its list of roles misses one) keeps MyST's message, and so
    does any other wording of MyST's (a new version): never silence, at worst two messages.
    """

    def filter(self, record: std_logging.LogRecord) -> bool:
        match = _MYST_UNKNOWN_ROLE.match(str(record.msg))
        location = getattr(record, "location", None)
        if not match or not isinstance(location, tuple) or not location:
            return True
        return match.group(1) not in _ROLES_REPORTED.get(str(location[0]), ())


_ONCE_FOR_ROLES = _OnceForRoles()  # one instance: addFilter skips it when a second app is set up


def setup_source_checks(app: Sphinx) -> None:
    # MyST's logger (sphinx.util.logging.getLogger("myst_parser.warnings_")): a logger's own filter
    # runs where the record is made, before Sphinx's handlers and kb.problem_log record it.
    std_logging.getLogger("sphinx.myst_parser.warnings_").addFilter(_ONCE_FOR_ROLES)
    app.connect("source-read", read_source)
    app.connect("doctree-read", exact_lines, priority=400)


def setup(app: Sphinx) -> dict:
    """Loadable on its own (the fast tests' testroot); the site loads it through kb.authoring."""
    setup_source_checks(app)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
