"""Tags (Schlagworte): the front matter field ``topics`` as a line under the page title, and the tag pages.

Each tag has a page in ``tags/`` (the tag is its ``#`` title); a tag without a
page is a warning at the line of its front-matter entry. ``:::{kb-schlagwort-seiten}``
on a tag page lists a card for every page that carries the tag (kb.cards fills them
in when the page is written; kb.listings has it written again when they change).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from kb.cards import LISTINGS, Maker, card, grid
from kb.frontmatter import Page, doc_page, page_or_none
from kb.german import sort_key
from kb.graph import graph_data, norm
from kb.listings import listing_node
from kb.metadata import page_type

logger = logging.getLogger(__name__)

TAG_FOLDER = "tags"


class TagPagesDirective(SphinxDirective):
    """``:::{kb-schlagwort-seiten}`` on a tag page: a card for every page with the tag.

    The cards are filled in when the page is written (``kb.cards.FillCards``).
    """

    def run(self) -> list[nodes.Node]:
        docname = self.env.current_document.docname
        if (here := doc_page(self.env, docname)) is None:
            return []  # reported by kb.metadata
        container = nodes.container(classes=["kb-schlagwort-seiten"])
        container += listing_node(self, "tag", norm(here.title), columns="1 1 2 2", limit=0)
        return [container]


def pages_with_tag(env: BuildEnvironment, tag: str) -> list[Page]:
    """The readable pages (tag pages aside) that carry a tag (its norm()), by title."""
    known = env.domains["kbmeta"].data["pages"]
    pages = [
        known[doc][1]
        for doc in sorted(env.found_docs)
        if doc in known
        and not doc.startswith(TAG_FOLDER + "/")
        and tag in {norm(t) for t in page_tags(known[doc][1].data)}
    ]
    return sorted(pages, key=lambda p: sort_key(p.title))


def tag_pages(env: BuildEnvironment) -> dict[str, str]:
    """Tag page docname -> the tag (its norm()) its listing shows, from kb.metadata's listings."""
    listings = env.domains["kbmeta"].data["listings"]
    return {doc: key for doc, on_page in listings.items() for kind, key, _limit in on_page if kind == "tag"}


def render_tag_listing(maker: Maker, node: nodes.Element, pages: list[Page]) -> list[nodes.Node]:
    if not pages:
        return [nodes.paragraph("", "Noch keine Seite trägt dieses Schlagwort.")]
    cards = grid(maker, [card(maker, page, page_type(maker.env.config, page.docname) or "") for page in pages])
    cards["kb_page_size"] = maker.env.config.kb_listing_page_size  # paged in HTML like an overview
    return [cards]


def page_tags(data: dict[str, Any]) -> list[str]:
    """The tags (front-matter field ``topics``) of a page's front matter."""
    topics = data.get("topics")
    return [t for t in topics if isinstance(t, str) and t.strip()] if isinstance(topics, list) else []


def collect_tags(app: Sphinx, doctree: nodes.document) -> None:
    """After a page is read: a tag page registers its tag; a page's tags become a line under its title."""
    env = app.env
    docname = env.current_document.docname
    data = graph_data(env)
    path = Path(env.doc2path(docname))

    # Tag pages register their tag (the page title).
    if page_type(app.config, docname) == "tag":
        title = next(iter(doctree.findall(nodes.title)), None)
        if title is not None:
            tag = title.astext()
            if norm(tag) in data["tags"]:
                logger.warning(
                    f"Das Schlagwort „{tag}“ hat schon eine Seite, {data['tags'][norm(tag)][0]}: "
                    "diese Seite umbenennen oder beide zusammenführen",
                    location=title,
                    type="kb",
                )
            else:
                data["tags"][norm(tag)] = (docname, tag)

    # Tags from the front matter, as a line under the page title.
    if path.suffix == ".md":
        page = page_or_none(path, docname)  # a broken one is reported by kb.metadata
        top = next(iter(doctree.findall(nodes.section)), None)
        tags = page_tags(page.data) if page else []
        if tags and top is not None:
            line = nodes.paragraph("", "", classes=["kb-schlagworte"])
            line += nodes.strong("", "Schlagworte:")
            for index, tag in enumerate(tags):
                xref = addnodes.pending_xref(
                    "", refdomain="kb", reftype="schlagwort", reftarget=tag, refdoc=docname, refwarn=True
                )
                xref += nodes.inline(tag, tag, classes=["xref", "kb", "kb-schlagwort"])
                xref.source, xref.line = str(path), page.lines.get(("topics", index), 1)
                line += nodes.Text(" " if index == 0 else " · ")
                line += xref
            top.insert(1, line)


def setup_tags(app: Sphinx) -> None:
    app.add_directive("kb-schlagwort-seiten", TagPagesDirective)
    LISTINGS["tag"] = (pages_with_tag, render_tag_listing)
    app.connect("doctree-read", collect_tags)
