"""Open data (kb.open_data): the knowledge graph as JSON-LD and CSV downloads.

The JSON-LD file is read with a JSON-LD processor (PyLD), offline: every actor of
the Akteure list, every programme point of every event and every case study of
the site must be in it, with the type schema.org gives it; the CSVs hold the same;
the Akteure page and the sources page link the downloads. The lists come from the
sources, so the examples site's added pages are checked too.
"""

from __future__ import annotations

import csv
import json
import re
from urllib.parse import urlsplit

import pytest
from conftest import page_source, resolve
from pyld import jsonld

SCHEMA = "https://schema.org/"
LINKED_FROM = ["actors/index", "quelle/index"]
FILES = ["wissensbasis.jsonld", "akteure.csv", "programmpunkte.csv", "praxisbeispiele.csv", "begriffe.csv"]


def offline(url, options=None):
    raise AssertionError(f"the JSON-LD processor tried to load {url}: the context must be inline")


def sources(site, folder: str, kind: str) -> list[str]:
    return [
        d for d in site.pages() if d.startswith(folder + "/") and f"type: {kind}" in page_source(d, site.source_root)
    ]


def actors(site) -> list[str]:
    return re.findall(r"^:::\{akteur\} (.+)$", page_source("actors/index", site.source_root), re.M)


def sessions(site) -> list[tuple[str, str]]:
    """(event docname, label) of every programme point: the labelled ### sections of an event's Ablauf."""
    found = []
    for docname in sources(site, "events", "event"):
        text = page_source(docname, site.source_root)
        programme = re.search(r"^## Ablauf.*?(?=^## |\Z)", text, re.M | re.S)
        assert programme, f"{docname}: no Ablauf section"
        found += [(docname, label) for label in re.findall(r"^\(([a-z0-9-]+)\)=\n### ", programme.group(0), re.M)]
    return found


@pytest.fixture
def graph(site) -> list[dict]:
    document = json.loads((site.root / "daten/wissensbasis.jsonld").read_text(encoding="utf-8"))
    flat = jsonld.flatten(document, None, {"documentLoader": offline, "base": "https://wissensbasis.test/"})
    return flat if isinstance(flat, list) else flat["@graph"]


def by_id(graph) -> dict[str, dict]:
    return {node["@id"]: node for node in graph}


def named(graph, kind: str) -> dict[str, dict]:
    out = {}
    for node in graph:
        if SCHEMA + kind in node.get("@type", []):
            for name in node.get(SCHEMA + "name", []):
                out[name["@value"]] = node
    return out


def test_every_actor_is_a_person_or_organisation(site, graph):
    people, organisations = named(graph, "Person"), named(graph, "Organization")
    names = actors(site)
    assert names
    missing = [n for n in names if n not in people and n not in organisations]
    assert not missing, missing
    assert all(SCHEMA + "url" in (people | organisations)[n] for n in names)


def test_every_event_has_its_sessions_as_sub_events(site, graph):
    nodes = {node["@id"]: node for node in graph}
    found = {node["@id"].split("#")[-1]: node for node in graph if SCHEMA + "Event" in node.get("@type", [])}
    expected = sessions(site)
    assert len(expected) >= 6
    for docname, label in expected:
        assert label in found, label
        (parent,) = found[label][SCHEMA + "superEvent"]
        url = nodes[parent["@id"]][SCHEMA + "url"][0]["@value"]
        assert urlsplit(url).path.lstrip("/").removesuffix(".html") == docname
        assert {"@id": found[label]["@id"]} in nodes[parent["@id"]][SCHEMA + "subEvent"]


def test_every_case_study_is_in_it(site, graph):
    works = {
        urlsplit(n["@id"]).path.lstrip("/").removesuffix(".html"): n
        for n in graph
        if SCHEMA + "CreativeWork" in n.get("@type", [])
    }
    studies = sources(site, "case-studies", "case-study")
    assert studies and set(studies) <= set(works), set(studies) - set(works)
    for docname in studies:
        assert SCHEMA + "about" in works[docname], docname


def test_glossary_is_a_defined_term_set(site, graph):
    (term_set,) = named(graph, "DefinedTermSet").values()
    terms = term_set[SCHEMA + "hasDefinedTerm"]
    entries = [dt.get_text().rstrip("¶#").strip() for dt in site.main("glossary/index").select("dl.glossary > dt")]
    assert len(entries) > 20
    assert sorted(t[SCHEMA + "name"][0]["@value"] for t in (by_id(graph)[t["@id"]] for t in terms)) == sorted(entries)


def test_csv_files_hold_every_actor_session_and_case_study(site):
    def rows(name):
        with (site.root / "daten" / name).open(encoding="utf-8", newline="") as f:
            return list(csv.DictReader(f))

    assert {r["name"] for r in rows("akteure.csv")} == set(actors(site))
    assert [r["seite"].split("#")[1] for r in rows("programmpunkte.csv")] == [label for _d, label in sessions(site)]
    assert {r["seite"].removesuffix(".html") for r in rows("praxisbeispiele.csv")} == set(
        sources(site, "case-studies", "case-study")
    )


@pytest.mark.parametrize("docname", LINKED_FROM)
def test_downloads_are_linked(site, docname):
    hrefs = {resolve(docname, a["href"])[0] for a in site.main(docname).select(".kb-daten a[href]")}
    for name in FILES:
        assert f"daten/{name}".removesuffix(".html") in hrefs, name
        assert (site.root / "daten" / name).is_file()


def test_every_case_study_is_in_the_network_and_its_own_diagram(site):
    """The Akteure page's network (kb.diagrams) draws every actor and case study; each case study its own part.

    On the examples site this includes the case study made from the template (make new-case-study).
    """
    figure = site.main("actors/index").select_one("figure.kb-diagramm-netzwerk")
    labels = " ".join(t.get_text() for t in figure.select("svg text"))
    text = " ".join(figure.select_one("details").get_text().split())
    for name in actors(site):  # every entry of the Akteure list, also a new one without ties
        assert name in text, name
    for docname in sources(site, "case-studies", "case-study"):
        title = site.main(docname).select_one("h1").get_text().rstrip("#¶").strip()
        assert title in text, docname
        assert title.split(": ")[-1].split()[0] in labels, docname
        own = site.main(docname).select_one("figure.kb-diagramm-netzwerk svg[role=img]")
        assert own is not None, f"{docname}: no network of its own"
