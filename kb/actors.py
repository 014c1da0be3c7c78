"""The Akteure list: ``:::{akteur} Name`` entries with their roles, and the ``{akteur}`` role.

``:auch:`` lists other names an actor is mentioned by (``Frau Kretschmer; Kretschmer``).
``{akteur}`Name``` is as strict as ``{term}``: a name the list does not know is a
warning naming file and line (the domain's ``dangling_warnings``, kb.graph).
"""

from __future__ import annotations

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.roles import XRefRole
from sphinx.util.docutils import SphinxDirective

from kb.german import slug
from kb.graph import graph_data, kb_backlinks, norm
from kb.source_checks import directive_error


class AkteurRole(XRefRole):
    """``{akteur}`Name``` – a link to the Akteure entry of that name or alias."""

    def run(self):
        self.refdomain, self.reftype = "kb", "akteur"
        self.classes = ["xref", "kb", "kb-akteur"]
        return self.create_xref_node()


def actor_entries(env: BuildEnvironment) -> set[tuple[str, str, str]]:
    """Every actor of the Akteure list as (docname, anchor, name); kb.pdf's register."""
    return set(graph_data(env)["akteure"].values())


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
        table = graph_data(self.env)["akteure"]
        aliases = [a.strip() for a in self.options.get("auch", "").split(";") if a.strip()]
        for key in (name, *aliases):
            if norm(key) in table:
                other = table[norm(key)][0]
                return directive_error(
                    self,
                    f"Der Name „{key}“ steht schon in der Akteursliste (Eintrag in {other}): "
                    "die Einträge zusammenführen oder einen anderen Namen wählen",
                    needle=":auch:" if key != name else "",  # a second name: its own line
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
        definition += kb_backlinks(kind="akteur", key=norm(name), doc=docname, name=name, anchor=anchor)
        item = nodes.definition_list_item("", term, definition)
        dl = nodes.definition_list("", item, classes=["kb-akteure"])
        self.set_source_info(dl)
        return [dl]


def setup_actors(app: Sphinx) -> None:
    app.add_role("akteur", AkteurRole(innernodeclass=nodes.inline, warn_dangling=True))
    app.add_directive("akteur", AkteurDirective)
