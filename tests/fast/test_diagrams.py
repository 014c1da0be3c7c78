"""Diagrams from the knowledge graph (kb.diagrams) on the small testroot.

The testroot gets a programme (two labelled points under "Ablauf") with a
timeline, a network on the Akteure page and on each case study. The tests check
what a reader and a screen reader get: an SVG named by its title, every label
of the picture in the text alternative, a link for every node with a page; that a
new case study appears without touching another file; that the drawing is the
same twice, serial or parallel, and stays right in an incremental build; and that a
large graph is summed up instead of drawing every node.
"""

from __future__ import annotations

import re
import runpy
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp

from kb.diagram_layout import MAX_ROWS

ROOTS = Path(__file__).parent / "roots"

# The testroot's extensions, with the diagrams after the graph they draw from.
_ROOT_EXTENSIONS = runpy.run_path(str(ROOTS / "test-kb" / "conf.py"))["extensions"]
_AFTER_GRAPH = _ROOT_EXTENSIONS.index("kb.graph") + 1
EXTENSIONS = [*_ROOT_EXTENSIONS[:_AFTER_GRAPH], "kb.diagrams", *_ROOT_EXTENSIONS[_AFTER_GRAPH:]]

EVENT = """---
description: Eine Tagung, die es nur in den schnellen Tests gibt.
type: event
date: "2024-11-19"
place: Testhaus
city: Teststadt
format: hybrid
attendance: ""
motto: ""
organiser: Testverein
topics: [Testtag]
summary: Eine Tagung für die schnellen Tests.
source: testquelle
---

(tagung)=
# Testtagung

(tagung-ablauf)=
## Ablauf

:::{kb-ablauf}
:::

(tagung-begruessung)=
### Begrüßung

Es begrüßte die {akteur}`Testkammer`.

(tagung-workshop)=
### Workshop

Im Workshop sprach {akteur}`Erika Muster` über {term}`Testbegriff`.

:::{kb-steckbrief}
:::
"""

ACTORS = """---
description: Die Akteure der Testbasis mit ihren Rollen.
---

# Akteure

:::{kb-netzwerk}
:::

## Personen

:::{akteur} Erika Muster
:auch: Frau Muster

Geschäftsführerin eines Testbetriebs, Mitglied der {akteur}`Testkammer`.
:::

## Organisationen

:::{akteur} Testkammer

Eine Kammer in den schnellen Tests.
:::
"""


def case_study(company: str, person: str, session: str = "tagung-workshop", advisers: str = "[]") -> str:
    return f"""---
description: Ein Praxisbeispiel, das es nur in den schnellen Tests gibt.
type: case-study
company: {company}
sector: Testbranche
location: Teststadt
region: ""
size: ""
people:
  - name: {person}
    role: Geschäftsführung
advisers: {advisers}
topics: [Testtag]
event: tagung
session: {session}
summary: Ein Praxisbeispiel für die schnellen Tests.
source: testquelle
---

# Praxisbeispiel: {company}

Vorgestellt im {{ref}}`tagung-workshop`.

## Beteiligte im Netzwerk

:::{{kb-netzwerk}}
:::
"""


FILES = {
    "events/tagung.md": EVENT,
    "actors/index.md": ACTORS,
    "case-studies/alpha.md": case_study("Alpha GmbH", "Erika Muster"),
    "case-studies/beta.md": case_study("Beta AG", "Bernd Beispiel", "tagung-begruessung"),
}


class Once:
    """The testroot with FILES, built once for the tests that only read it."""

    def __init__(self, app: SphinxTestApp):
        self.app = app

    def html(self, docname: str) -> str:
        return (self.app.outdir / f"{docname}.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def once(tmp_path_factory):
    srcdir = tmp_path_factory.mktemp("diagrams") / "src"
    shutil.copytree(ROOTS / "test-kb", srcdir)
    for name, text in FILES.items():
        (srcdir / name).write_text(text, encoding="utf-8")
    app = SphinxTestApp("html", srcdir=srcdir, confoverrides={"extensions": EXTENSIONS}, freshenv=True)
    try:
        app.build()
        yield Once(app)
    finally:
        app.cleanup()


@pytest.fixture
def diagrams(kb_build):
    def build(files=None, **kwargs):
        built = kb_build({**FILES, **(files or {})}, confoverrides={"extensions": EXTENSIONS}, **kwargs)
        assert "Traceback" not in built.warnings, built.warnings
        return built

    return build


def figures(html: str, kind: str) -> list:
    return BeautifulSoup(html, "html.parser").select(f"figure.kb-diagramm-{kind}")


def svg_labels(figure) -> list[str]:
    return [t.get_text() for t in figure.select("svg text")]


def check_accessible(figure) -> None:
    svg = figure.select_one("svg")
    assert svg is not None and svg.get("role") == "img"
    title = figure.select_one(f"svg title#{svg['aria-labelledby']}")
    assert title is not None and len(title.get_text()) > 20, "the picture needs an accessible name"
    assert figure.select_one("figcaption").get_text(strip=True)
    details = figure.select_one("details.kb-diagramm-text")
    assert details is not None and details.select_one("summary").get_text(strip=True)
    text = " ".join(details.get_text().split())
    missing = [label for label in svg_labels(figure) if label not in text]
    assert not missing, f"labels of the picture not in its text alternative: {missing}"
    assert not svg.select("script, a, image, use"), "no script, links or outside images in the picture"


def test_timeline_shows_the_programme_in_page_order_with_its_people(once):
    built = once
    (figure,) = figures(built.html("events/tagung"), "ablauf")
    check_accessible(figure)
    labels = svg_labels(figure)
    assert labels.index("Begrüßung") < labels.index("Workshop")
    text = " ".join(figure.select_one("details").get_text().split())
    assert "Personen: Erika Muster" in text
    assert "Organisationen: Testkammer" in text
    assert "Vorgestellt: Praxisbeispiel: Alpha GmbH" in text  # front matter session
    hrefs = [a["href"] for a in figure.select("details a")]
    assert "#tagung-begruessung" in hrefs and "#tagung-workshop" in hrefs
    assert any(h.endswith("actors/index.html#akteur-erika-muster") for h in hrefs)
    assert any(h.endswith("case-studies/alpha.html") for h in hrefs)


def test_network_links_every_node_that_has_a_page(once):
    built = once
    (figure,) = figures(built.html("actors/index"), "netzwerk")
    check_accessible(figure)
    labels = " ".join(svg_labels(figure))
    for name in ("Erika Muster", "Testkammer", "Begrüßung", "Workshop", "Alpha GmbH", "Beta AG", "Bernd Beispiel"):
        assert name in labels
    links = {a.get_text(): a["href"] for a in figure.select("details a")}
    assert links["Erika Muster"] == "#akteur-erika-muster"  # same page
    assert links["Praxisbeispiel: Alpha GmbH"].endswith("case-studies/alpha.html")
    assert links["Workshop"].endswith("events/tagung.html#tagung-workshop")
    assert "Bernd Beispiel" not in links, "a name the Akteure list does not have has no page to link"
    # The person and her organisation, from the Akteure entry; the case study and its session.
    text = " ".join(figure.select_one("details").get_text().split())
    assert re.search(r"Erika Muster – verbunden mit: [^•]*Testkammer", text)


def test_case_study_shows_the_network_around_its_company(once):
    built = once
    (figure,) = figures(built.html("case-studies/beta"), "netzwerk")
    check_accessible(figure)
    labels = " ".join(svg_labels(figure))
    assert "Bernd Beispiel" in labels and "Begrüßung" in labels
    assert "Alpha" not in labels and "Erika" not in labels, "only the part around this company"


def test_new_case_study_appears_without_editing_anything_else(diagrams):
    built = diagrams(
        {
            "case-studies/gamma.md": case_study(
                "Gamma KG", "Greta Neu", advisers="[{name: Erika Muster, role: Beraterin}]"
            )
        }
    )
    (network,) = figures(built.html("actors/index"), "netzwerk")
    assert "Gamma KG" in " ".join(svg_labels(network))
    assert "Greta Neu" in " ".join(svg_labels(network))
    (timeline,) = figures(built.html("events/tagung"), "ablauf")
    assert "Praxisbeispiel: Gamma KG" in " ".join(timeline.select_one("details").get_text().split())
    (own,) = figures(built.html("case-studies/gamma"), "netzwerk")
    assert "Erika Muster" in " ".join(svg_labels(own))


def test_two_builds_draw_the_same_serial_or_parallel(once, diagrams):
    def svgs(built):
        return [
            str(f.select_one("svg"))
            for d in ("events/tagung", "actors/index", "case-studies/alpha")
            for f in BeautifulSoup(built.html(d), "html.parser").select("figure.kb-diagramm")
        ]

    first, second, parallel = once, diagrams(), diagrams(parallel=2)
    assert svgs(first) == svgs(second) == svgs(parallel)
    assert len(svgs(first)) == 3


def test_incremental_build_redraws_the_diagrams_a_new_page_changes(diagrams, make_app):
    built = diagrams()
    srcdir = built.srcdir
    (srcdir / "case-studies/gamma.md").write_text(case_study("Gamma KG", "Greta Neu"), encoding="utf-8")
    again = SphinxTestApp("html", srcdir=srcdir, confoverrides={"extensions": EXTENSIONS})
    try:
        again.build()
        html = (again.outdir / "actors/index.html").read_text(encoding="utf-8")
        event = (again.outdir / "events/tagung.html").read_text(encoding="utf-8")
    finally:
        again.cleanup()
    assert "Gamma KG" in " ".join(svg_labels(figures(html, "netzwerk")[0]))
    assert "Gamma KG" in figures(event, "ablauf")[0].get_text()


def test_a_large_graph_is_summed_up(diagrams):
    many = {f"case-studies/firma-{i:02d}.md": case_study(f"Firma {i:02d} GmbH", f"Person {i:02d}") for i in range(30)}
    built = diagrams(many)
    (figure,) = figures(built.html("actors/index"), "netzwerk")
    check_accessible(figure)
    boxes = figure.select("svg g.kb-d-knoten")
    by_kind: dict[str, int] = {}
    for box in boxes:
        kind = next(c for c in box["class"] if c.startswith("kb-d-") and c not in ("kb-d-knoten", "kb-d-mehr"))
        by_kind[kind] = by_kind.get(kind, 0) + 1
    assert max(by_kind.values()) <= MAX_ROWS
    labels = " ".join(svg_labels(figure))
    assert re.search(r"\+ \d+ weitere Praxisbeispiele", labels)
    (timeline,) = figures(built.html("events/tagung"), "ablauf")
    assert re.search(r"\d+ weitere Praxisbeispiele", " ".join(svg_labels(timeline)))
