"""Knowledge graph: actors, tags (Schlagworte) and "Erwähnt in" backlinks, in the domain ``kb``.

One extension, three jobs, each in its own module with a ``setup_*`` function:

* ``kb.actors``    – the Akteure list (``akteur`` directive) and the ``{akteur}`` role;
* ``kb.tags``      – tags from the front matter field ``topics`` and the tag pages;
* ``kb.backlinks`` – "Erwähnt in" on every glossary term, actor and topic page.

This module holds what they share: the domain (merged after parallel reads,
purged per page) and the lookup key of a name. Why not sphinx-tags: it takes tags
from a directive rather than front matter, writes tag pages into the source tree
and has no backlinks (benchmarks/FINDINGS.md has no figures on it; the reasons
are design ones).
"""

from __future__ import annotations

from collections.abc import Iterator

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util.nodes import make_refnode

from kb.state import DocumentTables
from kb.wording import names_unknown

TAG_TODO = "Schreibweise prüfen oder die Seite mit make new-tag anlegen"


def norm(name: str) -> str:
    """The lookup key of a name: case and runs of spaces do not matter."""
    return " ".join(name.split()).casefold()


class kb_backlinks(nodes.General, nodes.Element):
    """Placeholder for an "Erwähnt in" line; replaced at doctree-resolved (kb.backlinks)."""


def _skip(self, node):
    raise nodes.SkipNode


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


def graph_data(env: BuildEnvironment) -> dict[str, dict]:
    """The tables of the domain ``kb``."""
    return env.domains["kb"].data


def glossary_items(doctree: nodes.Node) -> Iterator[nodes.definition_list_item]:
    """The entries of every glossary in a doctree, in page order."""
    for glossary in doctree.findall(addnodes.glossary):
        yield from glossary.findall(nodes.definition_list_item)


def actor_items(doctree: nodes.Node) -> Iterator[nodes.definition_list_item]:
    """The entries of the Akteure list (``akteur`` directives) in a doctree, in page order."""
    for dl in doctree.findall(nodes.definition_list):
        if "kb-akteure" in dl["classes"]:
            yield from (item for item in dl.children if isinstance(item, nodes.definition_list_item))


def setup(app: Sphinx) -> dict:
    from kb.actors import setup_actors
    from kb.backlinks import setup_backlinks
    from kb.tags import setup_tags

    app.require_sphinx("9.0")
    app.setup_extension("kb.metadata")
    app.add_domain(KBDomain)
    visitors = (_skip, None)
    app.add_node(kb_backlinks, html=visitors, text=visitors, man=visitors, texinfo=visitors)
    setup_actors(app)
    setup_tags(app)  # (its doctree-read handler runs before the backlinks')
    setup_backlinks(app)
    return {"version": "1.0", "env_version": 2, "parallel_read_safe": True, "parallel_write_safe": True}
