"""Open data: the knowledge graph as one JSON-LD file and as CSV tables, written with the HTML.

``daten/wissensbasis.jsonld`` holds people and organisations (the Akteure list),
each event with its programme points (``subEvent``), the case studies and the
glossary (``DefinedTermSet``) as one ``@graph``; ``daten/*.csv`` the same as
tables. Everything comes from the same data as the diagrams (kb.diagram_data:
front matter and the pages' references); identifiers are the site's own
addresses (``@base`` is ``html_baseurl``) and blank nodes for names without a
page: no invented identifiers, no ``sameAs``. The context is inline, so a JSON-LD
processor reads the file offline. ``:::{kb-daten}`` lists the downloads.
"""

from __future__ import annotations

import csv
import io
import json
import posixpath
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective
from sphinx.util.osutil import relative_uri

from kb.diagram_data import CASE_STUDY, KIND_NAMES, ORGANISATION, PERSON, SESSION, diagram_data
from kb.diagrams import graph_of
from kb.frontmatter import filled
from kb.german import is_date, slug
from kb.markup import WEB_BUILDERS
from kb.metadata import metadata

FOLDER = "daten"
FILES = {
    "wissensbasis.jsonld": "Alles als ein JSON-LD-Graph (Personen, Organisationen, Veranstaltungen, Praxisbeispiele, Begriffe)",
    "akteure.csv": "Personen und Organisationen mit ihrer Rolle",
    "programmpunkte.csv": "Veranstaltungen und ihre Programmpunkte mit den Beteiligten",
    "praxisbeispiele.csv": "Praxisbeispiele mit Unternehmen, Personen, Beratenden und Programmpunkt",
    "begriffe.csv": "Glossarbegriffe mit ihrer Erklärung",
    "verbindungen.csv": "Wer mit wem: jede Verbindung des Netzwerks",
}


def _uri(builder, docname: str, anchor: str = "") -> str:
    uri = builder.get_target_uri(docname)
    return f"{uri}#{anchor}" if anchor else uri


def _id(builder, graph, node_id: str) -> str:
    node = graph.nodes[node_id]["node"]
    if node.docname:
        return _uri(builder, node.docname, node.anchor)
    return f"_:{slug(node.kind)}-{slug(node.label)}"


def _names(front_matter: dict[str, Any], key: str) -> str:
    people = front_matter.get(key) or []
    return "; ".join(filled(p.get("name")) for p in people if isinstance(p, dict) and filled(p.get("name")))


def tables(app: Sphinx) -> tuple[dict[str, Any], dict[str, list[list[str]]]]:
    """The JSON-LD document and the CSV tables (header row first) of this build."""
    env, builder = app.env, app.builder
    graph, programmes = graph_of(env)
    items: list[dict[str, Any]] = []
    rows: dict[str, list[list[str]]] = {name: [] for name in FILES if name.endswith(".csv")}

    def ref(node_id: str) -> dict[str, str]:
        return {"@id": _id(builder, graph, node_id)}

    def near(node_id: str, *kinds: str) -> list[str]:
        return sorted(
            (n for n in graph[node_id] if graph.nodes[n]["node"].kind in kinds),
            key=lambda n: (graph.nodes[n]["node"].label.casefold(), n),
        )

    rows["akteure.csv"].append(["name", "art", "rolle_laut_bericht", "seite"])
    rows["verbindungen.csv"].append(["von", "art_von", "nach", "art_nach"])
    for node_id in sorted(graph, key=lambda n: (graph.nodes[n]["node"].kind, graph.nodes[n]["node"].label, n)):
        node = graph.nodes[node_id]["node"]
        if node.kind not in (PERSON, ORGANISATION):
            continue
        item = {"@id": _id(builder, graph, node_id), "@type": "Person" if node.kind == PERSON else "Organization"}
        item["name"] = node.label
        if node.detail:
            item["description"] = node.detail
        if node.docname:
            item["url"] = _uri(builder, node.docname, node.anchor)
        items.append(item)
        if node.docname:  # the Akteure list; names only a case study gives are in praxisbeispiele.csv
            rows["akteure.csv"].append([node.label, KIND_NAMES[node.kind][0], node.detail, item["url"]])
    for a, b in sorted(graph.edges(), key=lambda e: (graph.nodes[e[0]]["node"].label, graph.nodes[e[1]]["node"].label)):
        na, nb = graph.nodes[a]["node"], graph.nodes[b]["node"]
        if (na.label, a) > (nb.label, b):
            na, nb = nb, na
        rows["verbindungen.csv"].append([na.label, KIND_NAMES[na.kind][0], nb.label, KIND_NAMES[nb.kind][0]])

    rows["programmpunkte.csv"].append(
        ["veranstaltung", "datum", "nr", "programmpunkt", "personen", "organisationen", "praxisbeispiele", "seite"]
    )
    for programme in programmes:
        fm = metadata(env)["pages"].get(programme.docname, (None, None))[1]
        data = fm.data if fm else {}
        event = {
            "@id": _uri(builder, programme.docname),
            "@type": "Event",
            "name": programme.title,
            "url": _uri(builder, programme.docname),
        }
        if is_date(date := str(data.get("date", ""))):
            event["startDate"] = date
        if place := filled(data.get("place")):
            event["location"] = {"@type": "Place", "name": place}
            if city := filled(data.get("city")):
                event["location"]["address"] = {"@type": "PostalAddress", "addressLocality": city}
        if organiser := filled(data.get("organiser")):
            event["organizer"] = {"@type": "Organization", "name": organiser}
        event["subEvent"] = [ref(s) for s in programme.sessions]
        items.append(event)
        for number, session_id in enumerate(programme.sessions, start=1):
            session = graph.nodes[session_id]["node"]
            actors, studies = near(session_id, PERSON, ORGANISATION), near(session_id, CASE_STUDY)
            item = {
                "@id": _id(builder, graph, session_id),
                "@type": "Event",
                "name": session.label,
                "url": _uri(builder, session.docname, session.anchor),
                "superEvent": {"@id": event["@id"]},
                "position": number,
            }
            if actors:
                item["performer"] = [ref(n) for n in actors]
            if studies:
                item["workFeatured"] = [ref(n) for n in studies]
            items.append(item)

            def names(ids: list[str], kind: str) -> str:
                return "; ".join(graph.nodes[n]["node"].label for n in ids if graph.nodes[n]["node"].kind == kind)

            rows["programmpunkte.csv"].append(
                [
                    programme.title,
                    event.get("startDate", ""),
                    str(number),
                    session.label,
                    names(actors, PERSON),
                    names(actors, ORGANISATION),
                    names(studies, CASE_STUDY),
                    item["url"],
                ]
            )

    rows["praxisbeispiele.csv"].append(
        [
            "praxisbeispiel",
            "unternehmen",
            "branche",
            "ort",
            "region",
            "groesse",
            "personen",
            "beratende",
            "programmpunkt",
            "seite",
        ]
    )
    for node_id in sorted(n for n in graph if graph.nodes[n]["node"].kind == CASE_STUDY):
        node = graph.nodes[node_id]["node"]
        fm = metadata(env)["pages"][node.docname][1].data
        item = {"@id": _id(builder, graph, node_id), "@type": "CreativeWork", "name": node.label}
        item["url"] = item["@id"]
        if node.detail:
            item["description"] = node.detail
        company = filled(fm.get("company"))
        companies = [n for n in near(node_id, ORGANISATION) if graph.nodes[n]["node"].label == company]
        if companies:
            item["about"] = ref(companies[0])
        elif company:
            item["about"] = {"@type": "Organization", "name": company}
        people = [n for n in near(node_id, PERSON, ORGANISATION) if n not in companies]
        if people:
            item["mentions"] = [ref(n) for n in people]
        sessions = near(node_id, SESSION)
        items.append(item)

        rows["praxisbeispiele.csv"].append(
            [
                node.label,
                company,
                filled(fm.get("sector")),
                filled(fm.get("location")),
                filled(fm.get("region")),
                filled(fm.get("size")),
                _names(fm, "people"),
                _names(fm, "advisers"),
                "; ".join(graph.nodes[s]["node"].label for s in sessions),
                item["url"],
            ]
        )

    rows["begriffe.csv"].append(["begriff", "erklaerung", "seite"])
    for docname in sorted(diagram_data(env)["terms"]):
        title = env.titles[docname].astext() if docname in env.titles else docname
        term_set = {"@id": _uri(builder, docname), "@type": "DefinedTermSet", "name": title, "hasDefinedTerm": []}
        for name, anchor, text in diagram_data(env)["terms"][docname]:
            term = {"@id": _uri(builder, docname, anchor), "@type": "DefinedTerm", "name": name}
            if text:
                term["description"] = text
            term["inDefinedTermSet"] = {"@id": term_set["@id"]}
            term_set["hasDefinedTerm"].append(term)
            rows["begriffe.csv"].append([name, text, term["@id"]])
        items.append(term_set)

    document = {
        "@context": {"@vocab": "https://schema.org/", "@base": app.config.html_baseurl or None},
        "@graph": items,
    }
    if document["@context"]["@base"] is None:
        del document["@context"]["@base"]
    return document, rows


def write(app: Sphinx, exception: Exception | None) -> None:
    """After an HTML build: the files in ``daten/``, the same bytes for the same sources."""
    if exception is not None or app.builder.name not in WEB_BUILDERS:
        return
    document, rows = tables(app)
    folder = Path(app.outdir, FOLDER)
    folder.mkdir(exist_ok=True)
    text = json.dumps(document, ensure_ascii=False, indent=1) + "\n"
    (folder / "wissensbasis.jsonld").write_text(text, encoding="utf-8")
    for name, table in rows.items():
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(table)
        (folder / name).write_text(out.getvalue(), encoding="utf-8")


class DatenDirective(SphinxDirective):
    """``:::{kb-daten}`` – the downloads of the open data, as a list of links."""

    has_content = False

    def run(self) -> list[nodes.Node]:
        node = nodes.bullet_list(classes=["kb-daten"])
        for name, what in FILES.items():
            para = nodes.paragraph()
            para += nodes.literal(name, name)
            node += nodes.list_item("", para)
            para["kb_download"] = name
            para += nodes.Text(f": {what}")
        return [node]


def link_downloads(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    """On the web, each file name becomes its download link; in print it stays a name."""
    if app.builder.name not in WEB_BUILDERS:
        return
    for para in list(doctree.findall(nodes.paragraph)):  # a class, not a lambda: docutils' fast path
        if "kb_download" not in para:
            continue
        literal = para[0]
        uri = relative_uri(app.builder.get_target_uri(docname), posixpath.join(FOLDER, para["kb_download"]))
        link = nodes.reference("", "", internal=True, refuri=uri)
        link += literal.deepcopy()
        literal.replace_self(link)


def setup(app: Sphinx) -> dict:
    app.require_sphinx("9.0")
    app.setup_extension("kb.diagrams")
    app.add_directive("kb-daten", DatenDirective)
    app.connect("doctree-resolved", link_downloads)
    app.connect("build-finished", write)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
