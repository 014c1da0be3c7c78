"""Content checks for pages edited through pull requests.

Adds warnings (so the strict build fails) that name the file and line for:

* an image without alt text (``![](bild.png)`` or an ``image``/``figure``
  directive without ``:alt:``);
* raw HTML that could run code: ``<script>``, ``<iframe>``, ``<object>``,
  ``<embed>``, inline event handlers such as ``onclick=`` and
  ``javascript:`` links. Content must not smuggle scripts into the site;
* text that still holds the template placeholder ``AUSFÜLLEN``;
* a directive that silently failed to render: a literal ```` ```{name} ```` or
  ``:::{name}`` fence left in the output, which happens when a fence is
  indented as code (a fence that is never closed is kb.authoring's check).

Text that kb.cards parses when it writes a listing (a summary with Markdown)
gets the same checks there (``check_content``).

Each check looks only at the document being processed and keeps no state,
so the extension is safe for parallel and incremental builds.
"""

from __future__ import annotations

import re

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging

from kb.frontmatter import PLACEHOLDER
from kb.source_checks import line_in_block

logger = logging.getLogger(__name__)

UNSAFE_HTML = re.compile(
    r"<\s*(script|iframe|object|embed)\b|\son[a-z]+\s*=|javascript:",
    re.IGNORECASE,
)
LEFTOVER_FENCE = re.compile(r"(`{3,}|:{3,})\s*\{[A-Za-z][\w:-]*\}")


def _located(node: nodes.Node) -> nodes.Node | None:
    """The node itself or its nearest ancestor that knows its source line."""
    while node is not None and not node.line:
        node = node.parent
    return node


def _in_docinfo(node: nodes.Node) -> bool:
    return any(isinstance(parent, (nodes.docinfo, nodes.field_list)) for parent in _ancestors(node))


def _ancestors(node: nodes.Node):
    while node is not None:
        yield node
        node = node.parent


def _warn(message: str, node: nodes.Node, docname: str, needle: str = "") -> None:
    """Warn at the node's line; with needle, at the line of its paragraph that holds it."""
    located = _located(node)
    location = located if located is not None else (docname, None)
    if located is not None and needle:
        line = line_in_block(located.source, located.line, needle)
        if line:
            location = f"{located.source}:{line}"
    logger.warning(message, location=location, type="kb", subtype="content")


def check_read(app: Sphinx, doctree: nodes.document) -> None:
    """After reading: images need alt text, raw HTML must not run code, no template placeholders."""
    check_content(doctree, app.env.current_document.docname)


def check_content(root: nodes.Node, docname: str) -> None:
    """The read-time checks for a tree of content (kb.cards: text parsed when a listing is written)."""
    reported = set()
    for text in root.findall(nodes.Text):
        if PLACEHOLDER not in text.astext() or text.parent is None:
            continue
        if isinstance(text.parent, nodes.literal) or _in_docinfo(text):
            continue  # front matter: kb.metadata reports it with the field name
        located = _located(text.parent)
        key = (located.source, located.line) if located is not None else None
        if key not in reported:
            reported.add(key)
            _warn(
                f"Der Platzhalter „{PLACEHOLDER}“ aus der Vorlage steht noch im Text: durch den Inhalt ersetzen",
                text.parent,
                docname,
                PLACEHOLDER,
            )
    for image in root.findall(nodes.image):
        if not str(image.get("alt", "")).strip():
            _warn(
                f"Das Bild „{image.get('uri')}“ hat keinen Alternativtext: beschreiben, was es zeigt, "
                "mit ![Beschreibung](datei.png) oder im Block mit :alt: Beschreibung",
                image,
                docname,
                str(image.get("uri", "")).rsplit("/", 1)[-1],  # Sphinx may have made the path relative to the site
            )
    for raw in root.findall(nodes.raw):
        match = UNSAFE_HTML.search(raw.astext())
        if match:
            _warn(
                f"Der HTML-Code „{match.group(0).strip()}“ ist im Inhalt nicht erlaubt (keine Skripte, iframes "
                "oder Event-Handler): entfernen und Markdown oder einen Block verwenden",
                raw,
                docname,
                match.group(0).strip(),
            )


def check_resolved(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """Before writing: no directive fence may be left as literal text."""
    for node in doctree.findall(nodes.Text):
        match = LEFTOVER_FENCE.search(node.astext())
        if match:
            _warn(
                f"Der Block „{match.group(0).strip()}“ wurde nicht umgesetzt und erschiene als Text: "
                "Einrückung und Schlusszeile prüfen",
                node.parent,
                docname,
                match.group(0).strip(),
            )
    for block in doctree.findall(nodes.literal_block):
        if re.fullmatch(r"\{.*\}", str(block.get("language", ""))):
            _warn(
                f"Der Codeblock mit der Sprache „{block['language']}“ sieht aus wie ein Block, der nicht "
                "umgesetzt wurde: Blocknamen und Anfangszeile (```{name} oder :::{name}) prüfen",
                block,
                docname,
            )


def setup(app: Sphinx) -> dict:
    app.require_sphinx("9.0")
    app.connect("doctree-read", check_read)
    app.connect("doctree-resolved", check_resolved)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
