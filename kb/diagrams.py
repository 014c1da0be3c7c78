"""Diagrams drawn from the knowledge graph at build time, never by hand.

* ``:::{kb-ablauf}`` in an event page's programme section: the day as a timeline
  of its programme points in the page's order, each with the people,
  organisations and case studies tied to it;
* ``:::{kb-netzwerk}``: who worked with whom; on a case study the part of the
  network around that company, elsewhere the whole network.

Each diagram is a ``<figure>``: an inline SVG (``role="img"``, named by its
``<title>``), the same relations as text with links in a ``<details>``, and a
caption. The data come from kb.diagram_data (front matter and the pages'
references), the layout from kb.diagram_layout, the drawing from kb.diagram_svg.
A page whose diagrams would change is written again (``env-get-updated``),
without being read again.
"""

from __future__ import annotations

from typing import Any

import networkx as nx
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util.docutils import SphinxDirective
from sphinx.util.nodes import make_refnode

from kb.diagram_data import (
    CASE_STUDY,
    KIND_NAMES,
    ORGANISATION,
    PERSON,
    SESSION,
    Node,
    Programme,
    diagram_data,
    kb_timeline,
    knowledge_graph,
    setup_diagram_data,
)
from kb.diagram_layout import MAX_ROWS, aggregate, layered
from kb.diagram_svg import Stop, network, timeline
from kb.metadata import page_type

SHOWN_PER_KIND = 6  # names per kind on a programme point of the timeline; the rest are counted
SCROLL = "Diagramm; auf schmalen Bildschirmen seitlich verschiebbar"
GROUP_HEADS = {PERSON: "Personen", ORGANISATION: "Organisationen", CASE_STUDY: "Vorgestellt"}
OVERVIEWS = {CASE_STUDY: "case-studies/index", PERSON: "actors/index", ORGANISATION: "actors/index"}


class kb_network(nodes.General, nodes.Element):
    """Placeholder for a network diagram; replaced by kb.diagrams at doctree-resolved."""


class kb_diagram_figure(nodes.General, nodes.Element):
    """``<figure>`` holding a diagram, its text alternative and its caption."""


class kb_diagram_textalt(nodes.General, nodes.Element):
    """``<details>`` with the diagram's relations as text; ``summary`` is its visible line."""


class kb_diagram_caption(nodes.TextElement):
    """``<figcaption>`` of a diagram."""


def _visit_figure(self, node):
    self.body.append(f'<figure class="kb-diagramm kb-diagramm-{node["kind"]}">')


def _depart_figure(self, node):
    self.body.append("</figure>\n")


def _visit_textalt(self, node):
    summary = self.encode(node["summary"])
    if node.get("printed"):  # the print document has no <details> (nothing to open on paper)
        self.body.append(f'<div class="kb-diagramm-text"><p class="kb-diagramm-text-titel">{summary}</p>')
    else:
        self.body.append(f'<details class="kb-diagramm-text"><summary>{summary}</summary>')


def _depart_textalt(self, node):
    self.body.append("</div>" if node.get("printed") else "</details>")


def _visit_caption(self, node):
    self.body.append("<figcaption>")


def _depart_caption(self, node):
    self.body.append("</figcaption>")


def _skip(self, node):
    raise nodes.SkipNode


class AblaufDirective(SphinxDirective):
    """``:::{kb-ablauf}`` – the timeline of the programme points in the section that holds it."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        docname = self.env.current_document.docname
        diagram_data(self.env)["diagrams"].setdefault(docname, []).append(("ablauf", docname))
        node = kb_timeline(doc=docname)
        self.set_source_info(node)
        return [node]


class NetzwerkDirective(SphinxDirective):
    """``:::{kb-netzwerk}`` – who worked with whom; on a case study, around its company."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        docname = self.env.current_document.docname
        focus = f"praxis:{docname}" if page_type(self.config, docname) == "case-study" else ""
        diagram_data(self.env)["diagrams"].setdefault(docname, []).append(("netzwerk", focus))
        node = kb_network(focus=focus, doc=docname)
        self.set_source_info(node)
        return [node]


# -- What a diagram shows ----------------------------------------------------------------

_cache: dict[str, Any] = {}


def graph_of(env: BuildEnvironment) -> tuple[nx.Graph, list[Programme]]:
    """The knowledge graph of this build, worked out once (in env-get-updated) and shared."""
    key = (id(env), _cache.get("generation"))
    if _cache.get("key") != key or "graph" not in _cache:
        _cache["graph"] = knowledge_graph(env)
        _cache["key"] = key
        _cache["views"] = {}
    return _cache["graph"]


def _new_generation(app: Sphinx, env: BuildEnvironment, *args: Any) -> None:
    _cache["generation"] = _cache.get("generation", 0) + 1


def network_view(graph: nx.Graph, focus: str) -> nx.Graph:
    """The graph to draw: around a case study its neighbours (and theirs among them); summed up beyond MAX_ROWS."""
    views = _cache.setdefault("views", {})
    if (id(graph), focus) in views:
        return views[id(graph), focus]
    if focus:
        if focus not in graph:
            return nx.Graph()
        # nx.ego_graph(graph, focus, 1) copies the subgraph through the neighbours' adjacency, which
        # at 1,000 case studies (a programme point with 500) costs a millisecond per page; the same here:
        near = sorted({focus, *graph[focus]})
        view = nx.Graph()
        view.add_nodes_from((n, graph.nodes[n]) for n in near)
        view.add_edges_from((a, b) for i, a in enumerate(near) for b in near[i + 1 :] if graph.has_edge(a, b))
    else:
        view = graph  # every actor, also one with no tie yet (a new entry shows at once)
    views[id(graph), focus] = aggregate(view, keep={focus} if focus else set(), max_rows=MAX_ROWS)
    return views[id(graph), focus]


def _names(graph: nx.Graph, node_id: str, kind: str) -> list[str]:
    near = [graph.nodes[n]["node"] for n in graph[node_id] if graph.nodes[n]["node"].kind == kind]
    return sorted((n.label for n in near), key=str.casefold)


def timeline_view(graph: nx.Graph, programme: Programme) -> list[tuple[str, Node, list[tuple[str, list[Node]]]]]:
    """Per programme point: (id, node, [(heading, nodes shown)]); beyond SHOWN_PER_KIND a count."""
    rows = []
    for node_id in programme.sessions:
        groups = []
        for kind in (PERSON, ORGANISATION, CASE_STUDY):
            near = sorted(
                (graph.nodes[n]["node"] for n in graph[node_id] if graph.nodes[n]["node"].kind == kind),
                key=lambda n: (n.label.casefold(), n.docname),
            )
            if len(near) > SHOWN_PER_KIND:
                rest = len(near) - (SHOWN_PER_KIND - 1)
                near = [*near[: SHOWN_PER_KIND - 1], Node(kind, f"{rest} weitere {KIND_NAMES[kind][1]}", count=rest)]
            if near:
                groups.append((GROUP_HEADS[kind], near))
        rows.append((node_id, graph.nodes[node_id]["node"], groups))
    return rows


def signature(env: BuildEnvironment, kind: str, focus: str) -> tuple:
    """What a diagram shows, as plain data: a page is written again when this changes."""
    graph, programmes = graph_of(env)
    if kind == "ablauf":
        programme = next((p for p in programmes if p.docname == focus), None)
        if programme is None:
            return ()
        return tuple(
            (n.label, n.anchor, tuple((h, tuple(x.label for x in g)) for h, g in gs))
            for _i, n, gs in timeline_view(graph, programme)
        )
    view = network_view(graph, focus)
    return (tuple((n, view.nodes[n]["node"]) for n in sorted(view)), tuple(sorted(view.edges())))


def updated(app: Sphinx, env: BuildEnvironment) -> list[str]:
    """Pages whose diagrams changed since they were last written."""
    _new_generation(app, env)
    data = diagram_data(env)
    old = data["written"]
    new = {d: tuple(signature(env, k, f) for k, f in diagrams) for d, diagrams in data["diagrams"].items()}
    data["written"] = new
    return sorted(d for d, sig in new.items() if old.get(d) != sig and d in env.found_docs)


# -- Drawing -----------------------------------------------------------------------------


def _link(app: Sphinx, fromdoc: str, node: Node) -> nodes.Node:
    text = nodes.Text(node.label)
    target = node.docname or (OVERVIEWS.get(node.kind, "") if node.count else "")
    if not target or target not in app.env.all_docs:
        return text
    return make_refnode(app.builder, fromdoc, target, node.anchor if node.docname else "", text)


def _figure(kind: str, svg: str, summary: str, caption: str, textalt: nodes.Node, printed: bool) -> kb_diagram_figure:
    figure = kb_diagram_figure(kind=kind)
    figure += kb_diagram_caption(caption, caption)  # first: on the same page as the picture in print
    figure += nodes.raw(
        "", f'<div class="kb-diagramm-bild" role="group" aria-label="{SCROLL}" tabindex="0">{svg}</div>', format="html"
    )
    details = kb_diagram_textalt(summary=summary, printed=printed)
    details += textalt
    figure += details
    return figure


def _printed(app: Sphinx) -> bool:
    return app.builder.name not in ("html", "dirhtml", "singlehtml")


def _uid(doctree: nodes.document, kind: str) -> str:
    count = doctree.get("kb_diagram_count", 0) + 1
    doctree["kb_diagram_count"] = count
    return f"kb-diagramm-{kind}-{count}"


def render_network(app: Sphinx, doctree: nodes.document, placeholder: kb_network, fromdoc: str) -> nodes.Node:
    graph, _programmes = graph_of(app.env)
    focus = placeholder["focus"]
    view = network_view(graph, focus)
    if not len(view):
        return nodes.paragraph("", "Zu diesem Praxisbeispiel nennen die Seiten noch keine Beteiligten.")
    if focus:
        title = (
            f"Netzwerk rund um die Seite „{graph.nodes[focus]['node'].label}“: wer hier mit wem zusammengearbeitet hat"
        )
    else:
        title = "Netzwerk: wer mit wem zusammengearbeitet hat – Personen, Organisationen, Programmpunkte und Praxisbeispiele"
    heads = {k: v[1] for k, v in KIND_NAMES.items()}
    svg = network(layered(view), title, _uid(doctree, "netzwerk"), heads)
    # The text: each node with its ties, grouped by kind, in the diagram's column order.
    body = nodes.bullet_list()
    for kind in (PERSON, ORGANISATION, SESSION, CASE_STUDY):
        ids = sorted(
            (n for n in view if view.nodes[n]["node"].kind == kind),
            key=lambda n: (n.startswith("mehr:"), view.nodes[n]["node"].label.casefold(), n),
        )
        if not ids:
            continue
        entries = nodes.bullet_list()
        for node_id in ids:
            para = nodes.paragraph()
            para += _link(app, fromdoc, view.nodes[node_id]["node"])
            ties = sorted((view.nodes[m]["node"] for m in view[node_id]), key=lambda n: (n.label.casefold(), n.kind))
            if ties:
                para += nodes.Text(" – verbunden mit: ")
                for i, tie in enumerate(ties):
                    if i:
                        para += nodes.Text(", ")
                    para += _link(app, fromdoc, tie)
            entries += nodes.list_item("", para)
        group = nodes.list_item("", nodes.paragraph("", KIND_NAMES[kind][1]), entries)
        body += group
    caption = (
        f"Wer mit wem: die Beteiligten rund um die Seite „{graph.nodes[focus]['node'].label}“."
        if focus
        else "Wer mit wem: Personen, Organisationen, Programmpunkte und Praxisbeispiele, die die Seiten verbinden."
    )
    if any(n.startswith("mehr:") for n in view):
        caption += f" Hat eine Spalte mehr als {MAX_ROWS} Einträge, sind die übrigen in einem Kasten zusammengefasst."
    return _figure("netzwerk", svg, "Das Netzwerk als Text", caption, body, _printed(app))


def render_timeline(app: Sphinx, doctree: nodes.document, placeholder: kb_timeline, fromdoc: str) -> nodes.Node:
    graph, programmes = graph_of(app.env)
    programme = next((p for p in programmes if p.docname == placeholder["doc"]), None)
    if programme is None or not programme.sessions:
        return nodes.paragraph("", "Der Ablauf hat noch keine Programmpunkte mit Label.")
    rows = timeline_view(graph, programme)
    stops = [Stop(node.label, [(h, [x.label for x in g]) for h, g in groups]) for _i, node, groups in rows]
    title = f"Ablauf: {programme.title} – die Programmpunkte in ihrer Reihenfolge, mit den Beteiligten"
    svg = timeline(stops, title, _uid(doctree, "ablauf"))
    body = nodes.enumerated_list(enumtype="arabic", prefix="", suffix=".")
    for _node_id, node, groups in rows:
        item = nodes.list_item()
        para = nodes.paragraph()
        para += make_refnode(app.builder, fromdoc, node.docname, node.anchor, nodes.Text(node.label))
        item += para
        if groups:
            ties = nodes.bullet_list()
            for heading, group in groups:
                line = nodes.paragraph("", f"{heading}: ")
                for i, tie in enumerate(group):
                    if i:
                        line += nodes.Text(", ")
                    line += _link(app, fromdoc, tie)
                ties += nodes.list_item("", line)
            item += ties
        body += item
    caption = f"Der Ablauf der {programme.title} in der Reihenfolge dieser Seite, mit den Personen, Organisationen und Praxisbeispielen je Programmpunkt."
    return _figure("ablauf", svg, "Der Ablauf als Text", caption, body, _printed(app))


def render(app: Sphinx, doctree: nodes.document, fromdoc: str) -> None:
    for placeholder in list(doctree.findall(kb_network)):
        placeholder.replace_self(render_network(app, doctree, placeholder, fromdoc))
    for placeholder in list(doctree.findall(kb_timeline)):
        placeholder.replace_self(render_timeline(app, doctree, placeholder, fromdoc))


def setup(app: Sphinx) -> dict:
    app.require_sphinx("9.0")
    app.setup_extension("kb.metadata")
    app.setup_extension("kb.graph")
    setup_diagram_data(app)
    skip = (_skip, None)
    for node in (kb_timeline, kb_network):
        app.add_node(node, html=skip, text=skip, latex=skip, man=skip, texinfo=skip)
    app.add_node(kb_diagram_figure, html=(_visit_figure, _depart_figure), text=skip, latex=skip, man=skip, texinfo=skip)
    app.add_node(
        kb_diagram_textalt, html=(_visit_textalt, _depart_textalt), text=skip, latex=skip, man=skip, texinfo=skip
    )
    app.add_node(
        kb_diagram_caption, html=(_visit_caption, _depart_caption), text=skip, latex=skip, man=skip, texinfo=skip
    )
    app.add_directive("kb-ablauf", AblaufDirective)
    app.add_directive("kb-netzwerk", NetzwerkDirective)
    app.connect("env-get-updated", updated)
    app.connect("doctree-resolved", render)
    return {"version": "1.0", "env_version": 1, "parallel_read_safe": True, "parallel_write_safe": True}
