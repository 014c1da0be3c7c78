"""No stale links in incremental builds: pages referring to what appeared, vanished or moved are written again.

A label, glossary term or page that appears, disappears or moves has the pages
referring to it written again (``env-get-updated``, domain ``kbproblems``).
When a page is removed its output file is deleted and every page is read
again, so duplicate labels it shadowed come back and links to it are reported.
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import docname_join

from kb.state import DocumentTables


class ProblemsDomain(DocumentTables):
    """``xrefs``: docname -> reference targets it names; ``targets``: what could be referenced last build."""

    name = "kbproblems"
    label = "Wissensbasis-Probleme"
    initial_data: dict[str, dict] = {"xrefs": {}, "targets": {}}
    data_version = 1
    per_document = ("xrefs",)  # "targets" is build-wide


def collect_xrefs(app: Sphinx, doctree: nodes.document) -> None:
    """Remember which labels, terms and pages a document refers to."""
    docname = app.env.current_document.docname
    names = set()
    for xref in doctree.findall(addnodes.pending_xref):
        target = str(xref.get("reftarget", "")).split("#")[0].removesuffix(".md")
        if target:
            names.add(target.lower())
            names.add(docname_join(docname, target.lstrip("/")) if not target.startswith("/") else target[1:])
    if names:
        app.env.domains["kbproblems"].data["xrefs"][docname] = sorted(names)


def _targets(env: BuildEnvironment) -> dict[str, str]:
    std = env.domains.standard_domain
    found = {f"label:{name}": f"{doc}#{anchor}" for name, (doc, anchor, _title) in std.labels.items()}
    found |= {
        f"label:{name}": f"{doc}#{anchor}"
        for name, (doc, anchor) in std.anonlabels.items()
        if f"label:{name}" not in found
    }
    found |= {f"term:{name}": f"{doc}#{anchor}" for name, (doc, anchor) in getattr(std, "_terms", {}).items()}
    found |= {f"object:{typ}:{name}": f"{doc}#{anchor}" for (typ, name), (doc, anchor) in std.objects.items()}
    found |= {f"doc:{doc}": doc for doc in env.found_docs}
    return found


def updated(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Write again the pages that refer to a label, term or page that appeared, vanished or moved."""
    data = env.domains["kbproblems"].data
    new = _targets(env)
    old = data["targets"]
    data["targets"] = new
    if not old:
        return []
    changed = {key for key in old.keys() | new.keys() if old.get(key) != new.get(key)}
    names = {key.rsplit(":", 1)[-1].lower() for key in changed} | {key.rsplit(":", 1)[-1] for key in changed}
    return sorted(doc for doc, refs in data["xrefs"].items() if names.intersection(refs) and doc in env.found_docs)


def removed_pages(
    app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """After a page is removed: its output file goes, and every other page is read again."""
    if not removed:
        return []
    suffix = getattr(app.builder, "out_suffix", None)
    for docname in removed if suffix else ():
        Path(app.outdir, docname + suffix).unlink(missing_ok=True)  # no page left behind for a removed file
    reread = sorted(set(env.found_docs) - added - changed)
    for docname in reread:  # purged together first, so a duplicate label is read as in a clean build
        env.clear_doc(docname)
    return reread


def setup_stale_links(app: Sphinx) -> None:
    app.add_domain(ProblemsDomain)
    app.connect("doctree-read", collect_xrefs)
    app.connect("env-get-outdated", removed_pages)
    app.connect("env-get-updated", updated)
