"""Long HTML overviews split into pages of ``kb_listing_page_size`` cards.

Each further page (``<overview>-seite-2.html`` …) is written from the same
resolved doctree and names every page by its first and last card, so readers
can scan the alphabet and reach every card. Other builders (the PDF) keep all
cards on one page.
"""

from __future__ import annotations

import posixpath
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.osutil import relative_uri

from kb.metadata import metadata

# The further pages of a paged overview: case-studies/index-seite-2.html, ...
PAGE_INFIX = "-seite-"


def _card_title(item: nodes.Node) -> str:
    title = next(item.findall(lambda n: isinstance(n, nodes.container) and "sd-card-title" in n["classes"]), None)
    return " ".join(title.astext().split()) if title is not None else ""


def _labels(chunks: list[list[nodes.Node]]) -> list[str]:
    """Each page named by its first and last card, without the words every card title starts with."""
    titles = [_card_title(card) for chunk in chunks for card in chunk]
    common = posixpath.commonprefix([t.split(" ") for t in titles]) if len(titles) > 1 else []
    cut = len(" ".join(common)) + 1 if common else 0

    def short(card: nodes.Node) -> str:
        return _card_title(card)[cut:] or _card_title(card)

    return [short(c[0]) if len(c) == 1 else f"{short(c[0])} bis {short(c[-1])}" for c in chunks]


def _link(builder, name: str, text: str) -> nodes.reference:
    # All pages of an overview are in one folder: the link is the file name.
    return nodes.reference(text, text, internal=True, refuri=posixpath.basename(builder.get_target_uri(name)))


def _pager(builder, names: list[str], labels: list[str], current: int) -> tuple[nodes.Node, nodes.Node]:
    """Above the cards: which page this is, previous and next; below: every page of the overview."""
    top = nodes.paragraph("", "", classes=["kb-seiten"])
    top += nodes.strong("", f"Seite {current + 1} von {len(names)}")
    top += nodes.Text(f" ({labels[current]})")
    if current > 0:
        top += [nodes.Text(" · "), _link(builder, names[current - 1], "← vorige Seite")]
    if current < len(names) - 1:
        top += [nodes.Text(" · "), _link(builder, names[current + 1], "nächste Seite →")]
    bottom = nodes.container(classes=["kb-seiten"])
    bottom += nodes.paragraph("", "Alle Seiten dieser Übersicht:")
    pages = nodes.enumerated_list(enumtype="arabic", prefix="", suffix=".")
    for index, (name, text) in enumerate(zip(names, labels, strict=True)):
        para = nodes.paragraph()
        para += nodes.strong(text, text) if index == current else _link(builder, name, text)
        pages += nodes.list_item("", para)
    bottom += pages
    return top, bottom


def split_pages(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """HTML: an overview with more cards than ``kb_listing_page_size`` becomes several pages.

    The overview page keeps the first cards; ``<overview>-seite-2.html`` and
    so on are the same page with the next cards, written here from the same
    resolved doctree. Every page names all pages by their first and last card,
    so readers can scan the alphabet and reach every card. Other builders (the
    PDF) keep all cards on one page.
    """
    if app.builder.name != "html" or docname not in metadata(app.env)["listings"]:
        return  # (only listings are paged; the environment knows which pages have one)
    grids = [n for n in doctree.findall(nodes.container) if n.get("kb_page_size")]
    if not grids:
        return
    grid_node = grids[0]
    size, row = grid_node["kb_page_size"], grid_node[0]
    cards = list(row.children)
    chunks = [cards[i : i + size] for i in range(0, len(cards), size)] or [[]]
    names = [docname] + [f"{docname}{PAGE_INFIX}{k}" for k in range(2, len(chunks) + 1)]
    _remove_stale_pages(app, docname, set(names))
    if len(chunks) == 1:
        return
    labels = _labels(chunks)
    parent = grid_node.parent
    # The further pages first, each written at once; last the overview page itself, which
    # keeps its cards and pager in the doctree for the builder to write as usual.
    for index in [*range(1, len(chunks)), 0]:
        row[:] = chunks[index]
        top, bottom = _pager(app.builder, names, labels, index)
        parent.insert(parent.index(grid_node), top)
        parent.insert(parent.index(grid_node) + 1, bottom)
        if index:
            _write_page(app, docname, doctree, names[index], index + 1, len(chunks))
            parent.remove(top)
            parent.remove(bottom)


def _write_page(app: Sphinx, docname: str, doctree: nodes.document, name: str, number: int, count: int) -> None:
    """Write one further page of an overview, as the HTML builder writes a document."""
    builder = app.builder
    doctree.settings = builder.docsettings
    builder.secnumbers = app.env.toc_secnumbers.get(docname, {})
    builder.fignumbers = app.env.toc_fignumbers.get(docname, {})
    builder.imgpath = relative_uri(builder.get_target_uri(name), "_images")
    builder.dlpath = relative_uri(builder.get_target_uri(name), "_downloads")
    builder.current_docname = docname
    visitor = builder.create_translator(doctree, builder)
    doctree.walkabout(visitor)
    ctx = builder.get_doc_context(docname, "".join(visitor.fragment), "".join(visitor.meta[2:]))
    suffix = f"Seite {number} von {count}"
    ctx["title"] = f"{ctx['title']} – {suffix}"
    meta = dict(ctx.get("meta") or {})
    if isinstance(meta.get("description"), str):
        meta["description"] = f"{meta['description']} ({suffix})"
    ctx["meta"] = meta
    ctx["kb_listing_of"] = docname  # kb.navigation: the sidebar of the overview's folder
    # Written from no source file of its own: no edit link, no git date (sphinx-last-updated-by-git).
    for key in ("sourcename", "page_source_suffix"):
        ctx.pop(key, None)
    builder.handle_page(name, ctx, event_arg=doctree)


def _remove_stale_pages(app: Sphinx, docname: str, names: set[str]) -> None:
    """Further pages an earlier build wrote that this one does not (the overview got shorter)."""
    folder = Path(app.outdir, posixpath.dirname(docname))
    stem = posixpath.basename(docname) + PAGE_INFIX
    for old in folder.glob(f"{stem}*{app.builder.out_suffix}"):
        name = posixpath.join(posixpath.dirname(docname), old.name.removesuffix(app.builder.out_suffix))
        if name not in names and old.name.removesuffix(app.builder.out_suffix)[len(stem) :].isdigit():
            old.unlink()


def setup_paging(app: Sphinx) -> None:
    # After the references and the "Erwähnt in" lines are resolved (kb.graph, priority 500).
    app.connect("doctree-resolved", split_pages, priority=900)
