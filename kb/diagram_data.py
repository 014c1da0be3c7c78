"""The knowledge graph as data: who took part in what, from the pages themselves.

Collected while reading (domain ``kbdiagram``, merged after ``-j`` reads and
purged per page like sphinx.ext.todo):

* ``sessions``: an event page's programme points, in the page's order: the labelled
  subsections of the section that holds ``kb-ablauf`` (or, without it, of the
  section labelled ``<page>-ablauf``, as templates/event.md makes it), each with
  the actors named in it (``{akteur}``) and the labels it refers to (``{ref}``);
* ``actors``: the Akteure list's entries: kind (person or organisation, from the
  section they stand in), role text and the actors named in the role;
* ``terms``: the glossary's terms with their first sentence of definition.

Case studies are not collected here: their front matter (``company``, ``people``,
``advisers``, ``event``, ``session``), kept by kb.metadata, is the one source.
``knowledge_graph()`` joins all of it into a networkx graph for the diagrams
(kb.diagrams) and the open data (kb.open_data).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx
from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from kb.frontmatter import filled
from kb.graph import actor_items, glossary_items, graph_data, kb_backlinks, norm
from kb.metadata import metadata, page_type
from kb.state import DocumentTables

PERSON, ORGANISATION, CASE_STUDY, SESSION = "person", "organisation", "case-study", "session"
KIND_NAMES = {
    PERSON: ("Person", "Personen"),
    ORGANISATION: ("Organisation", "Organisationen"),
    CASE_STUDY: ("Praxisbeispiel", "Praxisbeispiele"),
    SESSION: ("Programmpunkt", "Programmpunkte"),
}


class kb_timeline(nodes.General, nodes.Element):
    """Placeholder for the timeline of an event page's programme; replaced by kb.diagrams."""


class DiagramDomain(DocumentTables):
    name = "kbdiagram"
    label = "Wissensbasis-Diagramme"
    initial_data: dict[str, dict] = {
        "sessions": {},  # docname -> (event label, [(label, title, [actor keys], [ref labels])])
        "actors": {},  # docname -> [(name, anchor, kind, role text, [actor keys named in the role])]
        "terms": {},  # docname -> [(term, anchor, first sentence)]
        "diagrams": {},  # docname -> [(kind, focus)]: the diagrams on the page
        "written": {},  # build-wide: docname -> signature of its diagrams when last written
    }
    data_version = 1
    per_document = ("sessions", "actors", "terms", "diagrams")


def diagram_data(env: BuildEnvironment) -> dict[str, dict]:
    return env.domains["kbdiagram"].data


def _label(section: nodes.section) -> str:
    """A section's explicit label: MyST puts ``(label)=`` first among its ids and names."""
    ids = section.get("ids", [])
    return ids[0] if ids and ids[0] in section.get("names", []) else ""


def _first_sentence(node: nodes.Node) -> str:
    para = next(iter(node.findall(nodes.paragraph)), None)
    text = " ".join((para.astext() if para is not None else "").split())
    return text


def _actor_keys(node: nodes.Node) -> list[str]:
    keys: list[str] = []
    for ref in node.findall(addnodes.pending_xref):
        if ref.get("refdomain") == "kb" and ref.get("reftype") == "akteur":
            if (key := norm(ref.get("reftarget", ""))) not in keys:
                keys.append(key)
    return keys


def _ref_labels(node: nodes.Node) -> list[str]:
    labels: list[str] = []
    for ref in node.findall(addnodes.pending_xref):
        if ref.get("refdomain") == "std" and ref.get("reftype") == "ref":
            if (label := ref.get("reftarget", "").lower()) not in labels:
                labels.append(label)
    return labels


def _programme(doctree: nodes.document, docname: str) -> nodes.section | None:
    placeholder = next(iter(doctree.findall(kb_timeline)), None)
    if placeholder is not None:
        node = placeholder.parent
        while node is not None and not isinstance(node, nodes.section):
            node = node.parent
        return node
    top = next(iter(doctree.findall(nodes.section)), None)
    page_label = _label(top) if top is not None else ""
    wanted = f"{page_label or docname.rpartition('/')[2]}-ablauf"
    return next((s for s in doctree.findall(nodes.section) if wanted in s.get("ids", [])), None)


def collect(app: Sphinx, doctree: nodes.document) -> None:
    """After a page is read: its programme points, Akteure entries and glossary terms."""
    env = app.env
    docname = env.current_document.docname
    data = diagram_data(env)
    if page_type(app.config, docname) == "event" and (programme := _programme(doctree, docname)) is not None:
        top = next(iter(doctree.findall(nodes.section)))
        sessions = []
        for section in programme.children:
            if isinstance(section, nodes.section) and (label := _label(section)):
                sessions.append((label, section[0].astext(), _actor_keys(section), _ref_labels(section)))
        if sessions:
            data["sessions"][docname] = (_label(top), sessions)
    actors = []
    for item in actor_items(doctree):
        term = item[0]
        section = item.parent
        while section is not None and not isinstance(section, nodes.section):
            section = section.parent
        where = " ".join(section.get("ids", [])) + " " + section[0].astext().lower() if section is not None else ""
        kind = ORGANISATION if "organisation" in where else PERSON
        definition = item[1]
        role = nodes.container()
        role.extend(c.deepcopy() for c in definition.children if not isinstance(c, kb_backlinks))
        actors.append((term.astext(), term["ids"][0], kind, _first_sentence(role), _actor_keys(role)))
    if actors:
        data["actors"][docname] = actors
    terms = []
    for item in glossary_items(doctree):
        term = next((t for t in item.children if isinstance(t, nodes.term)), None)
        definition = next((c for c in item.children if isinstance(c, nodes.definition)), None)
        if term is not None:
            anchor = term["ids"][0] if term["ids"] else ""
            terms.append((term.astext(), anchor, _first_sentence(definition) if definition is not None else ""))
    if terms:
        data["terms"][docname] = terms


# -- The graph ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Node:
    """A node of the knowledge graph: what it is, its label and where its page is."""

    kind: str
    label: str
    docname: str = ""  # "" if it has no page of its own
    anchor: str = ""
    detail: str = ""  # role text, session's event, a case study's summary
    count: int = 0  # > 0: stands for this many nodes left out of a drawing (kb.diagram_layout)


@dataclass
class Programme:
    """An event and its programme points in the page's order."""

    docname: str
    label: str
    title: str
    sessions: list[str] = field(default_factory=list)  # node ids


def _actor_id(name: str) -> str:
    return f"akteur:{norm(name)}"


def knowledge_graph(env: BuildEnvironment) -> tuple[nx.Graph, list[Programme]]:
    """Every actor, case study and programme point as nodes; who worked with whom as edges.

    Node ids are stable strings (``akteur:<key>``, ``praxis:<docname>``, ``punkt:<label>``);
    each node's attribute ``node`` is a :class:`Node`. Edges: an actor and the actors its
    Akteure entry names; a programme point and the actors named in it and the case
    studies presented in it (front matter ``session`` or a ``{ref}`` in the point);
    a case study and its company, people and advisers (front matter).
    """
    data = diagram_data(env)
    akteure = graph_data(env)["akteure"]
    labels = env.domains.standard_domain.labels
    graph = nx.Graph()

    def actor(key: str) -> str | None:
        hit = akteure.get(key)
        return _actor_id(hit[2]) if hit else None

    for docname in sorted(data["actors"]):
        for name, anchor, kind, role, _named in data["actors"][docname]:
            graph.add_node(_actor_id(name), node=Node(kind, name, docname, anchor, role))
    for docname in sorted(data["actors"]):
        for name, _anchor, _kind, _role, named in data["actors"][docname]:
            for key in named:
                if (other := actor(key)) and other != _actor_id(name):
                    graph.add_edge(_actor_id(name), other)

    programmes = []
    for docname in sorted(data["sessions"], key=lambda d: (str(metadata_date(env, d)), d)):
        event_label, sessions = data["sessions"][docname]
        title = env.titles[docname].astext() if docname in env.titles else docname
        programme = Programme(docname, event_label, title)
        for label, session_title, actor_keys, _refs in sessions:
            node_id = f"punkt:{label}"
            graph.add_node(node_id, node=Node(SESSION, session_title, docname, label, title), order=len(graph))
            programme.sessions.append(node_id)
            for key in actor_keys:
                if other := actor(key):
                    graph.add_edge(node_id, other)
        programmes.append(programme)

    case_studies = sorted(d for d in metadata(env)["pages"] if page_type(env.config, d) == "case-study")
    for docname in case_studies:
        page = metadata(env)["pages"][docname][1]
        fm = page.data
        title = page.title  # "Praxisbeispiel: CONTALL GmbH": not the company's own name
        node_id = f"praxis:{docname}"
        graph.add_node(node_id, node=Node(CASE_STUDY, title, docname, "", filled(fm.get("summary"))))
        if (company := filled(fm.get("company"))) and (hit := actor(norm(company))):
            graph.add_edge(node_id, hit)
        for key, default_kind in (("people", PERSON), ("advisers", PERSON)):
            for person in fm.get(key) or []:
                name = filled(person.get("name")) if isinstance(person, dict) else ""
                if not name:
                    continue
                other = actor(norm(name))
                if other is None:  # a name the Akteure list does not have: a node without a page
                    other = _actor_id(name)
                    if other not in graph:
                        graph.add_node(other, node=Node(default_kind, name, "", "", filled(person.get("role"))))
                graph.add_edge(node_id, other)
        if (session := filled(fm.get("session"))) and f"punkt:{session}" in graph:
            graph.add_edge(node_id, f"punkt:{session}")
    # A programme point's {ref} to a case study page presents it too.
    for _event, sessions in data["sessions"].values():
        for label, _title, _actors, refs in sessions:
            for ref in refs:
                target = labels.get(ref, ("",))[0]
                if page_type(env.config, target) == "case-study" and f"praxis:{target}" in graph:
                    graph.add_edge(f"punkt:{label}", f"praxis:{target}")
    return graph, programmes


def metadata_date(env: BuildEnvironment, docname: str) -> str:
    entry = metadata(env)["pages"].get(docname)
    return str(entry[1].data.get("date", "")) if entry else ""


def setup_diagram_data(app: Sphinx) -> None:
    app.add_domain(DiagramDomain)
    app.connect("doctree-read", collect)
