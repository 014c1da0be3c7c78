"""Cards for listings and tag pages: one sphinx-design grid card per page, from its front matter.

``titled_card`` is the one place that knows the nodes of a sphinx-design card
with a title; the key-facts card (``kb-steckbrief``) is built with it too.

The cards are built as the nodes sphinx-design's ``grid`` and
``grid-item-card`` directives make (same classes, same link), not written as
MyST text and parsed again: a listing of 1,000 pages would otherwise parse
1,000 directives on every read. Text with Markdown markup (a title or summary
holding ``*``, a role, a link) still goes through MyST's inline parser.
"""

from __future__ import annotations

import re

from docutils import nodes
from sphinx import addnodes
from sphinx.util.docutils import SphinxDirective
from sphinx_design.grids import gutter_option, row_columns_option
from sphinx_design.shared import PassthroughTextElement, create_component

from kb.frontmatter import Page, filled
from kb.german import date, is_date

# Characters that may start Markdown inline markup; text without them is plain text.
MARKUP = re.compile(r"[*_`\[\]{}<>\\&!$~]")


def card_facts(page: Page, ptype: str) -> tuple[str, str]:
    """(key facts line, summary) of a page's card, from its front matter."""
    data = page.data
    facts: list[str] = []
    if ptype == "event":
        if is_date(data.get("date")):
            facts.append(date(data["date"]))
        facts.append(", ".join(v for v in (filled(data.get("place")), filled(data.get("city"))) if v))
    elif ptype == "case-study":
        facts = [filled(data.get(key)) for key in ("sector", "location", "size")]
    summary = " ".join(filled(data.get("summary")).split())
    return " · ".join(f for f in facts if f), summary


def inline_markup(directive: SphinxDirective, text: str) -> list[nodes.Node]:
    """Inline Markdown as nodes: MyST's inline parser, skipped for text without markup characters."""
    if not MARKUP.search(text):
        return [nodes.Text(text)]
    textnodes, _ = directive.state.inline_text(text, directive.lineno)
    return textnodes


def titled_card(directive: SphinxDirective, title: str, classes: list[str]) -> tuple[nodes.container, nodes.container]:
    """A sphinx-design card with its bold title, as the ``card`` directive makes it: (card, body).

    The title goes through MyST's inline parser; further content goes into the body.
    """
    box = create_component("card", classes)
    body = create_component("card-body", ["sd-card-body"])
    heading = create_component("card-title", ["sd-card-title", "sd-font-weight-bold"])
    heading += PassthroughTextElement("", "", *inline_markup(directive, title))
    source = directive.get_source_info()
    for node in (box, body, heading):
        node.source, node.line = source
    body += heading
    box += body
    return box, body


def card(directive: SphinxDirective, page: Page, ptype: str) -> nodes.container:
    """A grid item with the card of a page: title, key facts, summary, link to the page."""
    source = directive.get_source_info()
    item = create_component("grid-item", ["sd-col", "sd-d-flex-row"])
    classes = ["sd-card", "sd-sphinx-override", "sd-w-100", "sd-shadow-sm", "sd-card-hover"]
    box, body = titled_card(directive, page.title, classes)
    for text in card_facts(page, ptype):
        if text:
            body += nodes.paragraph("", "", *inline_markup(directive, text), classes=["sd-card-text"])
    target = f"/{page.docname}"
    link = addnodes.pending_xref(
        target,
        nodes.inline(target, target),
        classes=["sd-stretched-link", "sd-hide-link-text"],
        reftarget=target,
        refdoc=directive.env.current_document.docname,
        refdomain="std",
        reftype="doc",
        refexplicit=False,
        refwarn=True,
    )
    for node in (item, link):
        node.source, node.line = source
    box += PassthroughTextElement("", "", link)
    item += box
    return item


def grid(directive: SphinxDirective, cards: list[nodes.Node], columns: str = "1 1 2 2") -> nodes.container:
    """A sphinx-design grid (``::::{grid} 1 1 2 2`` with ``:gutter: 3``) around cards."""
    container = create_component("grid-container", ["sd-container-fluid", "sd-sphinx-override", "sd-mb-4"])
    row = create_component("grid-row", ["sd-row", *row_columns_option(columns), *gutter_option("3")])
    container.source, container.line = directive.get_source_info()
    row.source, row.line = container.source, container.line
    row.extend(cards)
    container += row
    return container
