"""Knowledge graph: actors, tags (Schlagworte) and "Erwähnt in" backlinks.

Adds to Sphinx (all of it in the domain ``kb``):

* the directive ``akteur`` (``:::{akteur} Leonie Gebers``), used on
  ``actors/index.md``: one entry of the Akteure list, its content is the role
  as the article states it; ``:auch:`` lists other names it is mentioned by
  (``Frau Kretschmer; Kretschmer``), separated by semicolons;
* the role ``{akteur}`` (``{akteur}`Leonie Gebers``` or
  ``{akteur}`Frau Kretschmer <Bettina Kretschmer>```), as strict as ``{term}``:
  a name the Akteure list does not know is a warning naming file and line;
* tags from the front matter field ``topics`` of a page: a line
  "Schlagworte: ..." under the page title linking each tag to its page in
  ``tags/`` (the tag is the page's ``#`` title). A tag without a page is a
  warning naming the file and the line of the front matter entry;
* the directive ``kb-schlagwort-seiten`` for a tag page: one card per page
  that carries the tag, built from the pages' front matter like ``kb-listing``;
* "Erwähnt in" on every glossary term, every actor and every topic page
  (page type ``topic``): the pages and sections that reference it by
  ``{term}``, ``{akteur}``, ``{ref}``, a card link or a listing's card, each as a link (the PDF's register
  gives the page numbers). Collected while reading, rendered when the doctree is resolved.

Why not sphinx-tags (PyPI, 0.4, "experimental"): it takes tags from a ``tags``
directive in each page rather than from front matter, writes the tag pages as
source files into the source tree, has no check for a misspelt tag and no
backlinks; actors and "Erwähnt in" would need own code anyway.

Parallel and incremental builds: everything collected lives in the domain data,
which Sphinx merges after parallel reads (``merge_domaindata``) and purges per
document (``clear_doc``). The backlinks are rendered at ``doctree-resolved``
from that data, so a page that shows backlinks is only correct if it is
written again when a mention elsewhere changes: ``env-get-updated`` compares
each such page's backlinks with those of the previous build and returns the
pages whose list changed, so Sphinx rewrites them without re-reading. A tag
page's cards are filled in when it is written (kb.cards), and kb.metadata has
it written again when a page gains or loses its tag or changes.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.roles import XRefRole
from sphinx.util import docname_join, logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import make_refnode

from kb.cards import LISTINGS, Maker, card, grid, kb_cards, listed
from kb.frontmatter import Page, doc_page, page_or_none
from kb.german import slug, sort_key
from kb.listings import listing_node
from kb.metadata import page_type
from kb.state import DocumentTables
from kb.wording import names_unknown

logger = logging.getLogger(__name__)

TAG_FOLDER = "tags"
LABEL = "Erwähnt in:"
TAG_TODO = "Schreibweise prüfen oder die Seite mit make new-tag anlegen"
NONE_YET = "bisher auf keiner anderen Seite"


def norm(name: str) -> str:
    """The lookup key of a name: case and runs of spaces do not matter."""
    return " ".join(name.split()).casefold()


class kb_backlinks(nodes.General, nodes.Element):
    """Placeholder for an "Erwähnt in" line; replaced at doctree-resolved."""


def _skip(self, node):
    raise nodes.SkipNode


# -- The domain: what is defined, what is mentioned where -------------------------


class AkteurRole(XRefRole):
    """``{akteur}`Name``` – a link to the Akteure entry of that name or alias."""

    def run(self):
        self.refdomain, self.reftype = "kb", "akteur"
        self.classes = ["xref", "kb", "kb-akteur"]
        return self.create_xref_node()


class KBDomain(DocumentTables):
    name = "kb"
    label = "Wissensbasis"
    dangling_warnings = {
        "akteur": "Der Name „%(target)s“ steht nicht in der Akteursliste (actors/index.md): Schreibweise prüfen "
        "oder dort ergänzen (als Akteur oder unter :auch:)",
        "schlagwort": names_unknown("topics", "das Schlagwort", "%(target)s", "das keine Seite in tags/ hat", TAG_TODO),
    }
    initial_data: dict[str, dict] = {
        "akteure": {},  # norm(name or alias) -> (docname, anchor, name)
        "tags": {},  # norm(tag) -> (docname, tag)
        "mentions": {},  # docname -> [(kind, key, anchor, section title)]
        "placeholders": {},  # docname -> [(kind, key)]
        "written": {},  # what the last build rendered: "signatures" (placeholders) and "targets"
    }
    data_version = 4
    per_document = ("mentions", "placeholders")  # "written" is build-wide
    by_owner = ("akteure", "tags")

    def resolve_xref(self, env, fromdocname, builder, typ, target, node, contnode):
        if typ == "akteur" and (hit := self.data["akteure"].get(norm(target))):
            docname, anchor, name = hit
            return make_refnode(builder, fromdocname, docname, anchor, contnode, name)
        if typ == "schlagwort" and (hit := self.data["tags"].get(norm(target))):
            return make_refnode(builder, fromdocname, hit[0], "", contnode, f"Schlagwort {hit[1]}")
        return None


def _domain(env: BuildEnvironment) -> KBDomain:
    return env.domains["kb"]


def actor_entries(env: BuildEnvironment) -> set[tuple[str, str, str]]:
    """Every actor of the Akteure list as (docname, anchor, name); kb.pdf's register."""
    return set(_domain(env).data["akteure"].values())


# -- Defining actors and tags -------------------------------------------------------


class AkteurDirective(SphinxDirective):
    """``:::{akteur} Name`` – an entry of the Akteure list; content: its role."""

    required_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec = {"auch": directives.unchanged}

    def run(self) -> list[nodes.Node]:
        name = " ".join(self.arguments[0].split())
        anchor = "akteur-" + slug(name)
        docname = self.env.current_document.docname
        table = _domain(self.env).data["akteure"]
        aliases = [a.strip() for a in self.options.get("auch", "").split(";") if a.strip()]
        for key in (name, *aliases):
            if norm(key) in table:
                other = table[norm(key)][0]
                raise self.error(
                    f"Der Name „{key}“ steht schon in der Akteursliste (Eintrag in {other}): "
                    "die Einträge zusammenführen oder einen anderen Namen wählen"
                )
            table[norm(key)] = (docname, anchor, name)
        if not self.content:
            raise self.error(
                f"Der Akteur „{name}“ braucht seine Rolle, wie der Bericht sie nennt: "
                "als Text zwischen :::{akteur} und ::: schreiben"
            )
        term = nodes.term(name, name, ids=[anchor], kb_aliases=aliases)  # aliases: kb.search
        definition = nodes.definition()
        self.state.nested_parse(self.content, self.content_offset, definition)
        definition += kb_backlinks(kind="akteur", key=norm(name), doc=docname)
        item = nodes.definition_list_item("", term, definition)
        dl = nodes.definition_list("", item, classes=["kb-akteure"])
        self.set_source_info(dl)
        return [dl]


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


def glossary_items(doctree: nodes.Node) -> Iterator[nodes.definition_list_item]:
    """The entries of every glossary in a doctree, in page order."""
    for glossary in doctree.findall(addnodes.glossary):
        yield from glossary.findall(nodes.definition_list_item)


def actor_items(doctree: nodes.Node) -> Iterator[nodes.definition_list_item]:
    """The entries of the Akteure list (``akteur`` directives) in a doctree, in page order."""
    for dl in doctree.findall(nodes.definition_list):
        if "kb-akteure" in dl["classes"]:
            yield from (item for item in dl.children if isinstance(item, nodes.definition_list_item))


def page_tags(data: dict[str, Any]) -> list[str]:
    """The tags (front-matter field ``topics``) of a page's front matter."""
    topics = data.get("topics")
    return [t for t in topics if isinstance(t, str) and t.strip()] if isinstance(topics, list) else []


# -- Reading: collect mentions, place tags and placeholders ---------------------------


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


def collect(app: Sphinx, doctree: nodes.document) -> None:
    env = app.env
    docname = env.current_document.docname
    data = _domain(env).data
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

    # Placeholders: glossary terms, topic pages (actors place their own).
    for item in glossary_items(doctree):
        terms = [t for t in item.children if isinstance(t, nodes.term)]
        definition = next((c for c in item.children if isinstance(c, nodes.definition)), None)
        if terms and definition is not None:
            definition += kb_backlinks(kind="term", key=terms[0].astext().lower(), doc=docname)
    if page_type(app.config, docname) == "topic":
        placeholder = kb_backlinks(kind="page", key=docname, doc=docname)
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


# -- Resolving: who mentions what ----------------------------------------------------


Mentions = dict[tuple[str, Any], list[tuple[str, str, str]]]


def mention_index(env: BuildEnvironment) -> Mentions:
    """(kind, key) -> (docname, anchor, section title) of every mention of it, in reading order.

    Worked out once for all pages of a build: a mention of a label or page counts for the
    page ("page"), an actor's alias for the actor, a listing for each page it shows a card of.
    """
    data = _domain(env).data
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
    signatures = _domain(app.env).data["written"].get("signatures", {})
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
        links = known[here][kind, key]
        para = nodes.paragraph("", "", classes=["kb-erwaehnt"])
        para += nodes.strong("", LABEL)
        para += nodes.Text(" ")
        if not links:
            para += nodes.Text(NONE_YET + ".")
        for index, (docname, anchor, text) in enumerate(links):
            if index:
                para += nodes.Text("; ")
            para += make_refnode(app.builder, fromdocname, docname, anchor, nodes.Text(text))
        placeholder.replace_self(para)


# -- Incremental builds -----------------------------------------------------------------


def _signature(env: BuildEnvironment, docname: str, index: Mentions) -> tuple:
    return tuple(
        (kind, key, tuple(backlinks(env, kind, key, docname, index)))
        for kind, key in _domain(env).data["placeholders"].get(docname, [])
    )


def updated(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Pages whose backlinks changed since the last build must be written again."""
    data = _domain(env).data
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
    return sorted(rewrite)


def setup(app: Sphinx) -> dict:
    app.require_sphinx("9.0")
    app.setup_extension("kb.metadata")
    app.add_domain(KBDomain)
    app.add_role("akteur", AkteurRole(innernodeclass=nodes.inline, warn_dangling=True))
    app.add_directive("akteur", AkteurDirective)
    app.add_directive("kb-schlagwort-seiten", TagPagesDirective)
    visitors = (_skip, None)
    app.add_node(kb_backlinks, html=visitors, text=visitors, man=visitors, texinfo=visitors)
    LISTINGS["tag"] = (pages_with_tag, render_tag_listing)
    app.connect("doctree-read", collect)
    app.connect("doctree-resolved", render)
    app.connect("env-get-updated", updated)
    return {"version": "1.0", "env_version": 2, "parallel_read_safe": True, "parallel_write_safe": True}
