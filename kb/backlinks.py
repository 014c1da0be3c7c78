""" "Erwähnt in" on every glossary term, actor and topic page: the pages and sections that mention it.

A mention is a ``{term}``, ``{akteur}``, ``{ref}`` or page link, a card link or a
listing's card. Mentions are collected while reading and rendered when the page is
resolved; ``env-get-updated`` compares each page's backlinks with the last build's
and has Sphinx write the pages whose list changed again, without reading them.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import docname_join
from sphinx.util.nodes import make_refnode

from kb.backlinks_pages import remove_stale, setup_backlinks_pages, shortened
from kb.cards import kb_cards, listed
from kb.german import sort_key
from kb.graph import glossary_items, graph_data, kb_backlinks, norm
from kb.metadata import page_type

LABEL = "Erwähnt in:"
NONE_YET = "bisher auf keiner anderen Seite"


def _where(node: nodes.Node) -> tuple[str, str]:
    """(anchor, title) of the innermost section holding node; ("", "") for the page itself."""
    while node is not None and not isinstance(node, nodes.section):
        node = node.parent
    if node is None or not isinstance(node.parent, nodes.section):
        return "", ""
    return node["ids"][0], node[0].astext()


def _mention(node: addnodes.pending_xref) -> tuple[str, str] | None:
    domain, typ, target = node.get("refdomain"), node.get("reftype"), node.get("reftarget", "")
    if domain == "kb" and typ == "akteur":
        return "akteur", norm(target)
    if domain == "std" and typ == "term":
        return "term", target.lower()
    if domain == "std" and typ == "ref":
        return "ref", target.lower()
    if domain == "std" and typ == "doc":
        return "doc", docname_join(node.get("refdoc", ""), target)
    return None


def collect_mentions(app: Sphinx, doctree: nodes.document) -> None:
    """After a page is read: its \"Erwähnt in\" placeholders and every mention it makes."""
    env = app.env
    docname = env.current_document.docname
    data = graph_data(env)

    # Placeholders: glossary terms, topic pages (actors place their own).
    for item in glossary_items(doctree):
        terms = [t for t in item.children if isinstance(t, nodes.term)]
        definition = next((c for c in item.children if isinstance(c, nodes.definition)), None)
        if terms and definition is not None:
            name, ids = terms[0].astext(), terms[0]["ids"]
            definition += kb_backlinks(
                kind="term", key=name.lower(), doc=docname, name=name, anchor=ids[0] if ids else ""
            )
    if page_type(app.config, docname) == "topic":
        title = env.titles[docname].astext() if docname in env.titles else docname
        placeholder = kb_backlinks(kind="page", key=docname, doc=docname, name=title, anchor="")
        credit = next((c for c in doctree.findall(nodes.container) if "kb-quelle" in c["classes"]), None)
        if credit is not None:
            credit.parent.insert(credit.parent.index(credit), placeholder)
        elif (top := next(iter(doctree.findall(nodes.section)), None)) is not None:
            top += placeholder
    placeholders = [(p["kind"], p["key"]) for p in doctree.findall(kb_backlinks)]
    if placeholders:
        data["placeholders"][docname] = placeholders

    # Mentions: every term, actor and section reference, with the section it sits in; a
    # listing mentions the pages it shows a card of (which ones, mention_index() asks kb.cards).
    mentions: list[tuple[Any, ...]] = []
    for node in doctree.findall(lambda n: isinstance(n, (addnodes.pending_xref, kb_cards))):
        hit = ("cards", (node["kind"], node["key"])) if isinstance(node, kb_cards) else _mention(node)
        if hit and (entry := (*hit, *_where(node))) not in mentions:
            mentions.append(entry)
    if mentions:
        data["mentions"][docname] = mentions


Mentions = dict[tuple[str, Any], list[tuple[str, str, str]]]


def mention_index(env: BuildEnvironment) -> Mentions:
    """(kind, key) -> (docname, anchor, section title) of every mention of it, in reading order.

    Worked out once for all pages of a build: a mention of a label or page counts for the
    page ("page"), an actor's alias for the actor, a listing for each page it shows a card of.
    """
    data = graph_data(env)
    labels = env.domains.standard_domain.labels
    shown: dict[tuple[str, str], list[str]] = {}  # listing -> the pages it shows a card of
    index: Mentions = {}
    for docname, mentions in data["mentions"].items():
        for mkind, mkey, anchor, title in mentions:
            if mkind == "akteur":
                keys = [("akteur", norm(data["akteure"].get(mkey, ("", "", ""))[2]))]
            elif mkind == "ref":
                keys = [("page", labels.get(mkey, ("",))[0]), ("ref", mkey)]
            elif mkind == "doc":
                keys = [("page", mkey), ("doc", mkey)]
            elif mkind == "cards":
                if mkey not in shown:
                    shown[mkey] = [page.docname for page in listed(env, *mkey)]
                keys = [("page", listed_doc) for listed_doc in shown[mkey]]
            else:
                keys = [(mkind, mkey)]
            for key in keys:
                index.setdefault(key, []).append((docname, anchor, title))
    return index


def backlinks(
    env: BuildEnvironment, kind: str, key: str, here: str, index: Mentions | None = None
) -> list[tuple[str, str, str]]:
    """(docname, anchor, text) of every other page section that mentions (kind, key)."""
    index = mention_index(env) if index is None else index
    found: dict[tuple[str, str, str], None] = {}  # (an ordered set)
    for docname, anchor, title in index.get((kind, key), ()):
        if docname != here:
            page = env.titles[docname].astext() if docname in env.titles else docname
            found[docname, anchor, f"{page} › {title}" if title else page] = None
    # By page title; within a page in reading order (the order mentions were collected).
    return sorted(found, key=lambda e: sort_key(env.titles[e[0]].astext()) if e[0] in env.titles else e[0])


def render(app: Sphinx, doctree: nodes.document, fromdocname: str) -> None:
    """Replace each placeholder with its "Erwähnt in" line."""
    # updated() has worked out every page's backlinks for this build already.
    signatures = graph_data(app.env)["written"].get("signatures", {})
    known: dict[str, dict[tuple[str, str], Any]] = {}  # page -> (kind, key) -> its backlinks
    index: Mentions | None = None  # made only if a placeholder has no signature
    for placeholder in list(doctree.findall(kb_backlinks)):
        here = placeholder["doc"]  # in a single-page build all pages are one tree: the page it was placed on
        kind, key = placeholder["kind"], placeholder["key"]
        if here not in known:
            known[here] = {(k, ky): links for k, ky, links in signatures.get(here, ())}
        if (kind, key) not in known[here]:
            index = mention_index(app.env) if index is None else index
            known[here][kind, key] = backlinks(app.env, kind, key, here, index)
        # The web shows the first mentions and a link to all of them (kb.backlinks_pages).
        name, anchor = placeholder.get("name", key), placeholder.get("anchor", "")
        links, more = shortened(app, fromdocname, here, kind, key, name, anchor, known[here][kind, key])
        para = nodes.paragraph("", "", classes=["kb-erwaehnt"])
        para += nodes.strong("", LABEL)
        para += nodes.Text(" ")
        if not links:
            para += nodes.Text(NONE_YET + ".")
        for index, (docname, anchor, text) in enumerate(links):
            if index:
                para += nodes.Text("; ")
            para += make_refnode(app.builder, fromdocname, docname, anchor, nodes.Text(text))
        if more is not None:
            para += [nodes.Text("; "), more]
        placeholder.replace_self(para)


# -- Incremental builds -----------------------------------------------------------------


def _signature(env: BuildEnvironment, docname: str, index: Mentions) -> tuple:
    return tuple(
        (kind, key, tuple(backlinks(env, kind, key, docname, index)))
        for kind, key in graph_data(env)["placeholders"].get(docname, [])
    )


def updated(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Pages whose backlinks changed since the last build must be written again."""
    data = graph_data(env)
    written = data["written"]
    old = written.get("signatures", {})
    index = mention_index(env)  # once for all pages
    new = {docname: _signature(env, docname, index) for docname in data["placeholders"]}
    targets = (sorted(data["akteure"].items()), sorted(data["tags"].items()))
    rewrite = {docname for docname, sig in new.items() if old.get(docname) != sig}
    if written.get("targets") != targets:
        # An actor or tag was added, renamed or removed: links to it change.
        rewrite |= set(env.all_docs)
    written["signatures"] = new
    written["targets"] = targets
    remove_stale(app, new)  # full lists of entries now short, removed or moved (kb.backlinks_pages)
    return sorted(rewrite)


def setup_backlinks(app: Sphinx) -> None:
    setup_backlinks_pages(app)
    app.connect("doctree-read", collect_mentions)
    app.connect("doctree-resolved", render)
    app.connect("env-get-updated", updated)
