"""``kb-listing``: one card per page of a type, from the front matter kept in kb.metadata's domain.

``:::{kb-listing} case-study`` leaves a ``kb_cards`` node that kb.cards fills
when the page is written, so a listing never depends on the order pages are
read in. For incremental builds ``env-get-updated`` compares what each listing
shows (listed pages and their file versions) with the last build and has
Sphinx write the pages whose listings changed again, without reading them.
"""

from __future__ import annotations

from typing import Any

from babel.numbers import format_decimal
from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util.docutils import SphinxDirective
from sphinx_design.grids import row_columns_option

from kb.cards import LISTINGS, FillCards, Maker, card, grid, kb_cards, listed, remember_smart_quotes
from kb.frontmatter import Page
from kb.german import sort_key
from kb.metadata import metadata, page_type
from kb.source_checks import directive_error


class ListingDirective(SphinxDirective):
    """``:::{kb-listing} case-study`` – one card for every page of a type.

    ``:limit: 6`` shows only the first cards and a link to the overview of the
    type (the landing page). Without it, an HTML overview with more than
    ``kb_listing_page_size`` cards is split into pages (see ``split_pages``).
    The cards are filled in when the page is written (``kb.cards.FillCards``).
    """

    required_arguments = 1
    option_spec = {"columns": directives.unchanged, "limit": directives.positive_int}

    def run(self) -> list[nodes.Node]:
        ptype = self.arguments[0]
        known = set(self.config.kb_page_types.values())
        if ptype not in known:
            raise self.error(
                f"Der Block kb-listing nennt den Seitentyp „{ptype}“, den es nicht gibt: "
                f"einen dieser nennen: {', '.join(sorted(known))}"
            )
        columns = self.options.get("columns", "1 1 2 2")
        try:
            row_columns_option(columns)
        except ValueError:
            return directive_error(
                self,
                f"Der Block kb-listing hat eine ungültige Option :columns: „{columns}“: "
                "eine oder vier Zahlen von 1 bis 12 (oder auto) angeben, z. B. 1 1 2 2",
                needle=":columns:",
            )
        return [listing_node(self, "type", ptype, columns=columns, limit=self.options.get("limit", 0))]


def listing_node(directive: SphinxDirective, kind: str, key: str, **options: Any) -> kb_cards:
    """The place of a listing in the page being read, noted for ``rewrite_listings``."""
    docname = directive.env.current_document.docname
    node = kb_cards(kind=kind, key=key, docname=docname, **options)
    directive.set_source_info(node)
    metadata(directive.env)["listings"].setdefault(docname, []).append((kind, key, options.get("limit", 0)))
    return node


def pages_of_type(env: BuildEnvironment, ptype: str) -> list[Page]:
    """The readable pages of a type, as listings show them: events newest first, others by title."""
    known = metadata(env)["pages"]
    pages = [
        known[doc][1] for doc in sorted(env.found_docs) if doc in known and page_type(env.config, doc) == ptype
    ]  # a page whose front matter is broken is reported on the page itself
    if ptype == "event":
        pages.sort(key=lambda p: str(p.data.get("date", "")), reverse=True)
    else:
        pages.sort(key=lambda p: sort_key(p.title))
    return pages


def render_type_listing(maker: Maker, node: kb_cards, pages: list[Page]) -> list[nodes.Node]:
    if not pages:  # an empty grid would be an error of its own
        return [nodes.paragraph("", "Noch keine Seite dieser Art.")]
    ptype, limit = node["key"], node["limit"]
    shown = pages[:limit] if limit else pages
    cards = grid(maker, [card(maker, page, ptype) for page in shown], node["columns"])
    if not limit:
        cards["kb_page_size"] = maker.env.config.kb_listing_page_size
        return [cards]
    more = _overview_link(maker, ptype, len(pages)) if len(pages) > limit else None
    return [cards, more] if more else [cards]


def _overview(config, ptype: str) -> str:
    folder = next(f for f, t in config.kb_page_types.items() if t == ptype)
    return f"{folder}/index"


def _overview_link(maker: Maker, ptype: str, count: int) -> nodes.paragraph | None:
    """The line "Alle 1.000 anzeigen: Praxisbeispiele", linking the overview page of the type."""
    env = maker.env
    overview = _overview(env.config, ptype)
    if overview not in env.found_docs:
        return None
    known = metadata(env)["pages"]  # (its front matter as read in this build; broken: not there)
    title = known[overview][1].title if overview in known else overview
    text = f"Alle {format_decimal(count, locale='de')} anzeigen: {title}"
    xref = addnodes.pending_xref(
        "",
        nodes.inline(text, text),
        refdomain="std",
        reftype="doc",
        reftarget=f"/{overview}",
        refdoc=maker.docname,
        refexplicit=True,
        refwarn=True,
    )
    para = nodes.paragraph("", "", xref, classes=["kb-listing-mehr"])
    para.source, para.line = maker.get_source_info()
    return para


def _listing_signature(env: BuildEnvironment, kind: str, key: str, limit: int) -> tuple:
    """What a listing shows depends on: the listed pages and their file versions (and the overview's title)."""
    known = metadata(env)["pages"]
    shown = tuple((page.docname, known[page.docname][0]) for page in listed(env, kind, key))
    if kind == "type" and limit:
        overview = _overview(env.config, key)
        shown += ((overview, known.get(overview, (None,))[0] if overview in env.found_docs else None),)
    return shown


# The documents this build reads (main process; set before reading, used after it).
_read_now: set[str] = set()


def remember_read(app: Sphinx, env: BuildEnvironment, docnames: list[str]) -> None:
    _read_now.clear()
    _read_now.update(docnames)


def rewrite_listings(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Pages whose listings would show other cards than they were written with are written again.

    Compared with the previous build: a page of the listed kind came, went or
    changed (its title, facts, summary or tags). Also the listings showing a
    page this build read again unchanged: a problem in its card text is
    reported at the page (kb.cards), so kb.problems reads that page again on
    the next build, and its cards must be written again to report it again.
    They are not read again.
    """
    data = metadata(env)
    new = {
        docname: tuple(_listing_signature(env, *listing) for listing in listings)
        for docname, listings in data["listings"].items()
    }
    old = data["written"]
    data["written"] = new

    def shows_read_page(signature: tuple) -> bool:
        return any(name in _read_now for listing in signature for name, _ in listing)

    return sorted(doc for doc, signature in new.items() if old.get(doc) != signature or shows_read_page(signature))


def setup_listings(app: Sphinx) -> None:
    # Cards per page of an HTML overview; more cards make more pages (0: one page).
    app.add_config_value("kb_listing_page_size", 30, "env", types=[int])
    app.add_directive("kb-listing", ListingDirective)
    LISTINGS["type"] = (pages_of_type, render_type_listing)
    app.add_post_transform(FillCards)
    app.connect("builder-inited", remember_smart_quotes)
    app.connect("env-before-read-docs", remember_read)
    app.connect("env-get-updated", rewrite_listings)
