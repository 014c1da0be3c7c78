"""Mistakes Markdown would hide: each renders right or fails the build with file and line.

Adds to Sphinx:

* the gender star: ``Kund*innen und Mitarbeiter*innen`` keeps both stars
  (Markdown would read the text between them as emphasis). The star before
  ``in``/``innen`` is escaped when the source is read (``source-read``), outside
  code, front matter and roles; line numbers do not change;
* a fence that is never closed (``:::{note}`` or ```` ```{note} ```` without its
  closing line) is a warning at its opening line: it would silently swallow
  every block after it, such as the source credit;
* a card ``:link:`` without ``:link-type:`` is a plain URL that Sphinx never
  checks; a relative one is a warning (``:link-type: doc`` or ``ref`` makes it
  a checked link);
* a Markdown file outside ``include_patterns`` is never built: each one that
  is not listed in ``kb_not_pages`` is named in a warning;
* image files: a missing one names the file meant, a too large one fails (kb.images);
* slips Markdown renders silently, at their line and column (kb.source_checks);
* ``redirects.yml`` read and checked, a vanished page named with its redirect
  line (kb.redirects);
* a published label (``published-labels.txt``) that no page defines any more is
  named at the closest new label's line (kb.published_labels);
* the directive ``kb-az`` (glossary): the A–Z bar, generated from the page's
  single-letter sections, so a new letter section is never missing from it.

Nothing is stored between documents: parallel and incremental builds are safe.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

from docutils import nodes
from docutils.utils import get_source_line
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.matching import Matcher

from kb.images import setup_images
from kb.published_labels import setup_published_labels
from kb.redirects import setup_redirects
from kb.source_checks import line_in_block, setup_source_checks

logger = logging.getLogger(__name__)

# -- Source level: gender star and unclosed fences -----------------------------------

GENDER_STAR = re.compile(r"(?<=\w)\*(?=(?:in|innen)\b)")
FENCE = re.compile(r"^( {0,3})(`{3,}|~{3,}|:{3,})(.*)$")
CODE_DIRECTIVES = {"code", "code-block", "sourcecode", "literalinclude", "math", "mermaid"}


def _front_matter_end(lines: list[str]) -> int:
    """Index of the first line after the front matter (0 without one)."""
    if lines and lines[0] == "---":
        for index in range(1, len(lines)):
            if lines[index] == "---":
                return index + 1
    return 0


def _closing(char: str, count: int) -> re.Pattern:
    return re.compile(rf"^\s*{re.escape(char)}{{{count},}}\s*$")


def _is_markdown_fence(char: str, info: str) -> bool:
    """True if the fence's content is Markdown (a directive like note or card), not code."""
    if char == ":":
        return True
    match = re.match(r"\s*\{([\w:-]+)\}", info)
    return bool(match) and match.group(1) not in CODE_DIRECTIVES


def scan_fences(
    lines: list[str], start: int, end: int, code: set[int], parent: tuple[int, str] | None = None
) -> list[tuple[int, str, int | None]]:
    """(line index, opening text, index of the block it swallowed or None) of each fence never closed.

    A block opened inside a block with the same fence (``::::{grid}`` inside ``::::{grid}``, or
    ``:::{card}`` inside ``:::{card}``) cannot be meant: its closing line would close the outer
    block. So the outer block lost its closing line (the usual slip) and is the one reported, at
    its opening line, naming where the swallowed block starts; the inner one is not reported.
    Adds to ``code`` the indices of fence lines and of lines inside code fences.
    """
    problems: list[tuple[int, str, int | None]] = []
    index = start
    while index < end:
        match = FENCE.match(lines[index])
        if not match:
            index += 1
            continue
        marker, info = match.group(2), match.group(3)
        char = marker[0]
        if (char == "`" and "`" in info) or (char == ":" and not info.strip()):
            index += 1  # not an opening fence (inline code, or a stray closing line)
            continue
        close = _closing(char, len(marker))
        stop = next((j for j in range(index + 1, end) if close.match(lines[j])), None)
        if stop is None:
            if parent and parent[1][0] == char and len(marker) >= len(parent[1]):
                problems.append((parent[0], lines[parent[0]].strip(), index))
            else:
                problems.append((index, lines[index].strip(), None))
            code.add(index)
            index += 1
            continue
        if _is_markdown_fence(char, info):
            code.update((index, stop))
            problems += scan_fences(lines, index + 1, stop, code, (index, marker))
        else:
            code.update(range(index, stop + 1))
        index = stop + 1
    return problems


def _escape_stars(line: str) -> str:
    """Escape gender stars outside inline code and roles (backtick spans)."""
    parts = re.split(r"(`+[^`]*`+)", line)
    return "".join(part if part.startswith("`") else GENDER_STAR.sub(r"\\*", part) for part in parts)


def read_source(app: Sphinx, docname: str, source: list[str]) -> None:
    """Escape gender stars; report fences that are never closed."""
    if not str(app.env.doc2path(docname)).endswith(".md"):
        return
    lines = source[0].split("\n")
    body = _front_matter_end(lines)
    code: set[int] = set()
    for index, text, swallowed in scan_fences(lines, body, len(lines), code):
        closing = re.match(r"\s*(`+|~+|:+)", text).group(1)
        if swallowed is None:
            message = (
                f"Der Block {text!r} wird nie geschlossen: die Schlusszeile ({closing}) fehlt, "
                "darum gehört alles danach zu diesem Block"
            )
        else:
            message = (
                f"Der Block {text!r} wird nicht geschlossen, bevor in Zeile {swallowed + 1} der Block "
                f"{lines[swallowed].strip()!r} beginnt: vermutlich fehlt die Schlusszeile ({closing}) dieses "
                "Blocks davor; so gehört alles danach zu diesem Block"
            )
        logger.warning(message, location=(docname, index + 1), type="kb", subtype="fence")
    for index in range(body, len(lines)):
        if index not in code and "*" in lines[index]:
            lines[index] = _escape_stars(lines[index])
    source[0] = "\n".join(lines)


# -- Document level: card links ------------------------------------------------------------


def check_card_links(app: Sphinx, doctree: nodes.document) -> None:
    """A card link that is a relative URL is never checked: ask for a link type."""
    for ref in doctree.findall(nodes.reference):
        if "sd-stretched-link" not in ref.get("classes", []):
            continue
        uri = ref.get("refuri", "")
        parts = urlsplit(uri)
        if parts.scheme or parts.netloc:
            continue
        source, line = get_source_line(ref)  # the card's opening line: the :link: line below it is meant
        exact = line_in_block(source, line, ":link:")
        logger.warning(
            "Der Karten-Link %r führt ins Leere: unter :link: die Zeile ':link-type: doc' (Seite, z. B. "
            "/case-studies/contall) oder ':link-type: ref' (Label) ergänzen",
            uri,
            location=f"{source}:{exact}" if exact else ref,
            type="kb",
            subtype="card",
        )


# -- Files that are not built --------------------------------------------------------------


def unbuilt_markdown(app: Sphinx, env, docnames: list[str]) -> None:
    """Name each Markdown file that is neither a page nor listed in kb_not_pages."""
    srcdir = Path(app.srcdir)
    not_pages = Matcher(list(app.config.kb_not_pages) + list(app.config.exclude_patterns))
    # Both walk from app.srcdir, so plain paths compare (resolve() cost a syscall per part and file).
    built = {os.fspath(env.doc2path(doc)) for doc in env.found_docs}
    for folder, dirs, files in os.walk(srcdir):
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "_build")) and d != "node_modules")
        for name in sorted(files):
            if not name.endswith(".md") or os.path.join(folder, name) in built:
                continue
            path = Path(folder) / name
            relative = path.relative_to(srcdir).as_posix()
            if not not_pages(relative):
                logger.warning(
                    "Die Datei %s wird nicht gebaut: Seiten gehören in einen der Ordner %s; "
                    "andere Markdown-Dateien in kb_not_pages (conf.py) eintragen",
                    relative,
                    ", ".join(p.removesuffix("**") for p in app.config.include_patterns if p.endswith("/**")),
                    location=f"{path}:1",
                    type="kb",
                    subtype="unbuilt",
                )


# -- The A–Z bar -----------------------------------------------------------------------------


class kb_az(nodes.General, nodes.Element):
    """Placeholder for the A–Z bar; filled at doctree-read from the letter sections."""


class AZDirective(SphinxDirective):
    """``:::{kb-az}`` – links to every single-letter section of this page."""

    def run(self) -> list[nodes.Node]:
        node = kb_az()
        self.set_source_info(node)
        return [node]


def fill_az(app: Sphinx, doctree: nodes.document) -> None:
    for placeholder in list(doctree.findall(kb_az)):
        para = nodes.paragraph("", "", classes=["kb-az"])
        for section in doctree.findall(nodes.section):
            title = section[0].astext().strip() if section.children else ""
            if len(title) == 1 and title.isalpha() and section["ids"]:
                if len(para):
                    para += nodes.Text(" · ")
                para += nodes.reference("", title, internal=True, refid=section["ids"][0])
        if not len(para):
            logger.warning("kb-az: die Seite hat keine Abschnitte mit einem Buchstaben als Titel", location=placeholder)
        placeholder.replace_self(para)


def setup(app: Sphinx) -> dict:
    app.require_sphinx("9.0")
    app.setup_extension("myst_parser")
    app.setup_extension("sphinx_design")  # its card links are checked here
    app.add_config_value("kb_not_pages", [], "env", types=[list])
    app.add_directive("kb-az", AZDirective)
    app.add_node(kb_az)
    app.connect("source-read", read_source)
    app.connect("doctree-read", check_card_links)
    app.connect("doctree-read", fill_az)
    app.connect("env-before-read-docs", unbuilt_markdown)
    setup_redirects(app)
    setup_published_labels(app)
    setup_source_checks(app)
    setup_images(app)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
