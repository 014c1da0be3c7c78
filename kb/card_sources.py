"""The "Belege" of a page with listings name the sections behind the cards it shows.

A listing, tag or landing page (a page with a ``kb-listing`` or
``kb-schlagwort-seiten``) shows cards of other pages; its own ``sources`` name
only what its own text draws on. When the page is written, after kb.cards has
filled in the listings, this post-transform follows every card's link
(sphinx-design's stretched link: to a document or a label), collects the
``sources`` of the pages the cards lead to, and adds the sections the page
does not name itself to its "Belege" line:
"…; die gezeigten Karten außerdem: …". Derived, never written by hand.

Runs at every write of the page. Incremental builds: kb.listings writes a
listing page again when a listed page changes (its sources included); for the
hand-made cards (sphinx-design ``grid-item-card`` with ``:link:``) the domain
``kbkarten`` keeps each listing page's card links (per document, merged after
parallel reads), and ``env-get-updated`` writes the page again when the
sources behind them changed.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform

from kb.frontmatter import filled
from kb.markup import WEB_BUILDERS
from kb.metadata import metadata
from kb.state import DocumentTables

CARDS_TOO = "; die gezeigten Karten außerdem: "


def _target_doc(env, xref: addnodes.pending_xref) -> str | None:
    """The document a card's link leads to (a document, or a label of the std domain)."""
    return _target(env, xref.get("reftype"), xref.get("reftarget", ""))


def _target(env, reftype: str | None, target: str) -> str | None:
    if reftype == "doc":
        name = target.lstrip("/") if target.startswith("/") else target
        return name if name in env.found_docs else None
    if reftype in ("ref", "any"):
        hit = env.domains["std"].labels.get(target.lower()) or env.domains["std"].anonlabels.get(target.lower())
        return hit[0] if hit else None
    return None


def _sources(env, docname: str) -> list[str]:
    known = metadata(env)["pages"].get(docname)
    value = known[1].data.get("sources") if known else None
    return [s for s in value if isinstance(s, str) and filled(s)] if isinstance(value, list) else []


class CardSources(SphinxPostTransform):
    """Add the sections behind a listing page's cards to its "Belege" line."""

    # After kb.cards.FillCards (1) has made the cards, before the references are resolved (10).
    default_priority = 5
    # Web pages only: the print document joins all pages into one, whose parts keep their own lines.
    builders = WEB_BUILDERS

    def run(self, **kwargs: Any) -> None:
        env = self.env
        docname = env.current_document.docname if env.current_document else None
        if not docname or docname not in metadata(env)["listings"]:
            return
        belege = next((p for p in self.document.findall(nodes.paragraph) if "kb-belege" in p["classes"]), None)
        if belege is None:
            return
        own = {key for key, _ in env.domains["kbsrc"].data["cited"].get(docname, [])}
        added: list[str] = []
        for xref in self.document.findall(addnodes.pending_xref):
            if "sd-stretched-link" not in xref.get("classes", []):
                continue
            target = _target_doc(env, xref)
            if target is None or target == docname:
                continue
            for key in _sources(env, target):
                if key not in own and key not in added:
                    added.append(key)
        if not added:
            return
        # The line ends with " (Abschnitte des Berichts)": the cards' sections go before it.
        tail = belege.children[-1] if isinstance(belege.children[-1], nodes.Text) else None
        if tail is not None:
            belege.remove(tail)
        belege += nodes.Text(CARDS_TOO)
        for index, key in enumerate(added):
            if index:
                belege += nodes.Text(", ")
            xref = addnodes.pending_xref(
                "", refdomain="kbsrc", reftype="abschnitt", reftarget=key, refdoc=docname, refexplicit=False
            )
            xref += nodes.inline(key, key)
            belege += xref
        if tail is not None:
            belege += tail


class CardLinksDomain(DocumentTables):
    """Build state of kb.card_sources.

    ``links``: docname -> [(reftype, target)] of the stretched card links the page was read with;
    ``written`` (build-wide): docname -> the sources behind those links when last written.
    """

    name = "kbkarten"
    label = "Wissensbasis-Karten"
    initial_data: dict[str, dict] = {"links": {}, "written": {}}
    data_version = 1
    per_document = ("links",)


def collect_links(app: Sphinx, doctree: nodes.document) -> None:
    links = sorted(
        {
            (x.get("reftype"), x.get("reftarget", ""))
            for x in doctree.findall(addnodes.pending_xref)
            if "sd-stretched-link" in x.get("classes", [])
        }
    )
    if links:
        app.env.domains["kbkarten"].data["links"][app.env.current_document.docname] = links


def rewrite_when_sources_change(app: Sphinx, env) -> list[str]:
    """Listing pages whose hand-made cards lead to pages whose sources changed are written again."""
    data = env.domains["kbkarten"].data
    listings = metadata(env)["listings"]
    new = {}
    for docname, links in data["links"].items():
        if docname in listings:
            targets = sorted({t for t in (_target(env, *link) for link in links) if t and t != docname})
            new[docname] = [(t, _sources(env, t)) for t in targets]
    old, data["written"] = data["written"], new
    return sorted(d for d, v in new.items() if old.get(d) != v and d in env.found_docs)


def setup(app: Sphinx) -> dict:
    app.require_sphinx("9.0")
    app.setup_extension("kb.metadata")  # the listings and the pages' front matter
    app.setup_extension("kb.sources")  # the "Belege" line and its sections
    app.add_post_transform(CardSources)
    app.add_domain(CardLinksDomain)
    app.connect("doctree-read", collect_links)
    app.connect("env-get-updated", rewrite_when_sources_change)
    return {"version": "1.0", "env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}
