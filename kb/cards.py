"""Cards for listings and tag pages: one sphinx-design grid card per page, from its front matter.

``titled_card`` is the one place that knows the nodes of a sphinx-design card
with a title; the key-facts card (``kb-steckbrief``) is built with it too.

The cards are built as the nodes sphinx-design's ``grid`` and
``grid-item-card`` directives make (same classes, same link), not written as
MyST text and parsed again, a directive run per card on every read
(benchmarks/FINDINGS.md, section 2). Text with Markdown markup (a title or
summary holding ``*``, a role, a link) still goes through MyST's inline parser.

A listing is filled when its page is written, not when it is read: the
directive leaves a ``kb_cards`` node, and the post-transform ``FillCards``
replaces it with the cards of the pages listed now (``LISTINGS`` says which,
per kind of listing), from the front matter cached in the environment. An edit
of one listed page so re-writes the listing pages without reading them again
(``kb.metadata`` returns them from ``env-get-updated``), and a long listing
is never parsed, transformed and pickled as part of its page (section 6).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from docutils import nodes
from docutils.utils import new_document
from myst_parser.mdit_to_docutils.sphinx_ import SphinxRenderer
from myst_parser.parsers.mdit import create_md_parser
from sphinx import addnodes
from sphinx.environment import BuildEnvironment
from sphinx.transforms import SphinxSmartQuotes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxDirective, sphinx_domains
from sphinx_design.grids import gutter_option, row_columns_option
from sphinx_design.shared import PassthroughTextElement, create_component

from kb.checks import check_content
from kb.frontmatter import Page, filled
from kb.german import date, is_date

# Characters that may start Markdown inline markup; text without them is plain text.
MARKUP = re.compile(r"[*_`\[\]{}<>\\&!$~]")


# Where a text of a card comes from: (file, line) of the field in the listed page's front matter.
Origin = tuple[str, int] | None


@dataclass
class Maker:
    """What building cards needs: the environment, the page they go on, a source position, inline Markdown.

    ``markdown(text, origin)`` parses inline Markdown; with an origin, problems in the
    text are reported there (the field in the listed page) instead of at the listing.
    """

    env: BuildEnvironment
    docname: str
    source: tuple[str | None, int | None]
    markdown: Callable[[str, Origin], list[nodes.Node]]

    @classmethod
    def in_directive(cls, directive: SphinxDirective) -> Maker:
        """While a page is read: MyST's inline parser of the directive's page."""
        return cls(
            directive.env,
            directive.env.current_document.docname,
            directive.get_source_info(),
            lambda text, origin=None: _inline_at(directive, text, origin),
        )

    def get_source_info(self) -> tuple[str | None, int | None]:
        return self.source


def _inline_at(directive: SphinxDirective, text: str, origin: Origin) -> list[nodes.Node]:
    """The directive's inline parser; the nodes carry origin's line (a row of the block), if given."""
    made = directive.state.inline_text(text, origin[1] if origin else directive.lineno)[0]
    if origin is not None:
        for node in made:
            for element in node.findall(nodes.Element) if isinstance(node, nodes.Element) else ():
                element.source, element.line = origin
    return made


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


def inline_markup(maker: Maker, text: str, origin: Origin = None) -> list[nodes.Node]:
    """Inline Markdown as nodes: MyST's inline parser, skipped for text without markup characters."""
    if not MARKUP.search(text):
        return [nodes.Text(text)]
    return maker.markdown(text, origin)


def field_origin(page: Page, name: str) -> Origin:
    """The file and line of a front-matter field of a page, if known."""
    line = page.lines.get((name,))
    return (str(page.path), line) if line else None


def titled_card(maker: Maker, title: str, classes: list[str]) -> tuple[nodes.container, nodes.container]:
    """A sphinx-design card with its bold title, as the ``card`` directive makes it: (card, body).

    The title goes through MyST's inline parser; further content goes into the body.
    """
    box = create_component("card", classes)
    body = create_component("card-body", ["sd-card-body"])
    heading = create_component("card-title", ["sd-card-title", "sd-font-weight-bold"])
    heading += PassthroughTextElement("", "", *inline_markup(maker, title))
    source = maker.get_source_info()
    for node in (box, body, heading):
        node.source, node.line = source
    body += heading
    box += body
    return box, body


def card(maker: Maker, page: Page, ptype: str) -> nodes.container:
    """A grid item with the card of a page: title, key facts, summary, link to the page."""
    source = maker.get_source_info()
    item = create_component("grid-item", ["sd-col", "sd-d-flex-row"])
    classes = ["sd-card", "sd-sphinx-override", "sd-w-100", "sd-shadow-sm", "sd-card-hover"]
    box, body = titled_card(maker, page.title, classes)
    facts, summary = card_facts(page, ptype)
    # A problem in the summary (an unknown term, unsafe HTML) is reported at the summary's line.
    for text, origin in ((facts, None), (summary, field_origin(page, "summary"))):
        if text:
            body += nodes.paragraph("", "", *inline_markup(maker, text, origin), classes=["sd-card-text"])
    target = f"/{page.docname}"
    link = addnodes.pending_xref(
        target,
        nodes.inline(target, target),
        classes=["sd-stretched-link", "sd-hide-link-text"],
        reftarget=target,
        refdoc=maker.docname,
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


def grid(maker: Maker, cards: list[nodes.Node], columns: str = "1 1 2 2") -> nodes.container:
    """A sphinx-design grid (``::::{grid} 1 1 2 2`` with ``:gutter: 3``) around cards."""
    container = create_component("grid-container", ["sd-container-fluid", "sd-sphinx-override", "sd-mb-4"])
    row = create_component("grid-row", ["sd-row", *row_columns_option(columns), *gutter_option("3")])
    container.source, container.line = maker.get_source_info()
    row.source, row.line = container.source, container.line
    row.extend(cards)
    container += row
    return container


# -- Listings filled when a page is written ------------------------------------------------


class kb_cards(nodes.General, nodes.Element):
    """Where a listing's cards go: ``kind`` and ``key`` say which pages (see ``LISTINGS``).

    Further attributes: ``docname`` (the page it is on, also in a single-page
    build), ``columns`` and ``limit`` (0: every page). kb.graph counts the
    listing as a mention of each page it shows, in the section it sits in.
    """


# kind -> (the pages it lists, in the order shown; the nodes that show them). kb.metadata
# registers "type" (kb-listing), kb.graph "tag" (kb-schlagwort-seiten), each in its setup().
Listed = Callable[[BuildEnvironment, str], list[Page]]
Render = Callable[[Maker, kb_cards, list[Page]], list[nodes.Node]]
LISTINGS: dict[str, tuple[Listed, Render]] = {}


def listed(env: BuildEnvironment, kind: str, key: str) -> list[Page]:
    """The pages a listing of this kind and key shows now."""
    return LISTINGS[kind][0](env, key)


def _markdown_at_write(
    env: BuildEnvironment, document: nodes.document, docname: str, line: int
) -> Callable[[str, Origin], list[nodes.Node]]:
    """MyST's inline parser outside a directive, for a page being written.

    As while reading: the roles of Sphinx and its domains are known, and a
    role's reference starts from docname; a problem is reported at line, or, for
    text with an origin, at the origin: the nodes made from the text carry it, so
    the content checks and Sphinx's unresolved references name the listed
    page's file and field line (MyST's own parse warnings stay at line).
    """

    md = create_md_parser(env.myst_config, SphinxRenderer)  # one parser for all texts of the listing

    def parse(text: str, origin: Origin = None) -> list[nodes.Node]:
        holder = nodes.paragraph()
        md.renderer.setup_render({**md.options, "document": document, "current_node": holder}, {})
        before, env.current_document.docname = env.current_document.docname, docname
        try:
            with sphinx_domains(env):
                md.renderer.nested_render_text(text, line - 1, inline=True)
        finally:
            env.current_document.docname = before
        if origin is not None:
            for node in holder.findall(nodes.Element, include_self=False):
                node.source, node.line = origin
        check_content(holder, docname)  # as kb.checks checks text parsed while reading
        return list(holder.children)

    return parse


class FillCards(SphinxPostTransform):
    """Replace each ``kb_cards`` node with the cards of the pages it lists now."""

    # First of all post-transforms: the cards' links are references still to resolve (10).
    default_priority = 1

    def run(self, **kwargs: Any) -> None:
        for node in list(self.document.findall(kb_cards)):
            pages_of, render = LISTINGS[node["kind"]]
            docname = node["docname"]
            maker = Maker(
                self.env,
                docname,
                (node.source, node.line),
                _markdown_at_write(self.env, self.document, docname, node.line or 1),
            )
            filled_in = render(maker, node, pages_of(self.env, node["key"]))
            _smart_quotes(self, filled_in)
            node.replace_self(filled_in)


# The smart-quotes transform the pages of this build are read with (set at builder-inited, when
# every extension is loaded): kb.smartquotes' when it is on, else Sphinx's.
_smart_quotes_transform: list[type[SphinxSmartQuotes]] = [SphinxSmartQuotes]


def remember_smart_quotes(app: Any) -> None:
    """At builder-inited: which smart-quotes transform the build reads pages with."""
    _smart_quotes_transform[0] = next(t for t in app.registry.transforms if issubclass(t, SphinxSmartQuotes))


def _smart_quotes(transform: SphinxPostTransform, new: list[nodes.Node]) -> None:
    """Typographic quotes in the cards, by the smart-quotes transform the pages are read with.

    That is kb.smartquotes' when it is on: it leaves text with nothing to change
    alone, so a long listing costs a walk, not an educated text per card.
    """
    scratch = new_document(transform.document.get("source", ""), transform.document.settings)
    scratch.extend(new)  # (replace_self() gives the nodes their place in the page afterwards)
    _smart_quotes_transform[0](scratch, startnode=None).apply()
