"""Page metadata: schemas, templates, generated listings and key-fact cards."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import ROOT, copy_sources, run_sphinx
from jsonschema import Draft202012Validator
from support.build import fill_page

from kb import newpage as new_page

SCHEMAS = sorted((ROOT / "schemas").glob("*.schema.yaml"))


@pytest.mark.parametrize("schema", SCHEMAS, ids=lambda p: p.name)
def test_schemas_are_valid_json_schema(schema):
    Draft202012Validator.check_schema(yaml.safe_load(schema.read_text(encoding="utf-8")))


def _cards(html: Path) -> dict[str, str]:
    """Card title -> link target of every generated listing card on a page."""
    soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
    cards = {}
    for card in soup.select("article .sd-card"):
        link = card.select_one("a.sd-stretched-link")
        title = card.select_one(".sd-card-title")
        if link and title:
            cards[title.get_text(strip=True)] = link["href"]
    return cards


def _fill(page: Path, **changes) -> None:
    """Fill a page made from the template as a contributor would."""
    data = {
        "description": "Ein Praxisbeispiel, das nur in den Tests vorkommt und alle Felder füllt.",
        "sector": "Handel",
        "location": "Magdeburg",
        "region": "",
        "size": "12 Mitarbeitende",
        "people": [{"name": "Erika Muster", "role": "Geschäftsführerin"}],
        "topics": ["Social Media"],
        "session": "jahrestagung-2024-workshops",
        "summary": "Ein Testbetrieb zeigt, wie die Vorlage funktioniert.",
        "sources": ["workshops-und-networking"],
    }
    fill_page(page, {**data, **changes})


@pytest.fixture(scope="module")
def new_case_study(tmp_path_factory):
    """A copy of the sources plus one case study made with the template tool, built once."""
    tmp = tmp_path_factory.mktemp("new-case")
    src = copy_sources(tmp / "src")
    before = {p: p.read_bytes() for p in src.rglob("*") if p.is_file()}
    page = new_page.create("case-study", "Testbetrieb Nord GmbH", root=src)
    _fill(page)
    after = {p for p in src.rglob("*") if p.is_file()}
    changed = {p for p in before if p.read_bytes() != before[p]}
    result = run_sphinx(src, tmp / "out")
    return src, page, result, (after - set(before)) | changed


def test_template_tool_touches_only_the_new_file(new_case_study):
    src, page, _, touched = new_case_study
    assert page == src / "case-studies" / "testbetrieb-nord.md"
    assert touched == {page}


def test_new_case_study_builds_cleanly(new_case_study):
    _, _, result, _ = new_case_study
    assert result.returncode == 0, result.output
    assert result.warnings == []


def test_new_case_study_is_listed_on_overview_and_landing_page(new_case_study):
    _, _, result, _ = new_case_study
    title = "Praxisbeispiel: Testbetrieb Nord GmbH"
    assert _cards(result.outdir / "case-studies" / "index.html")[title] == "testbetrieb-nord.html"
    assert _cards(result.outdir / "index.html")[title] == "case-studies/testbetrieb-nord.html"
    nav = BeautifulSoup((result.outdir / "index.html").read_text(encoding="utf-8"), "html.parser").select_one(
        ".sidebar-tree"
    )
    assert "case-studies/testbetrieb-nord.html" in {a["href"] for a in nav.select("a[href]")}


def test_key_facts_card_comes_from_front_matter(new_case_study):
    _, _, result, _ = new_case_study
    soup = BeautifulSoup(
        (result.outdir / "case-studies" / "testbetrieb-nord.html").read_text(encoding="utf-8"), "html.parser"
    )
    rows = {
        tr.find_all("td")[0].get_text(strip=True): tr.find_all("td")[1].get_text(" ", strip=True)
        for tr in soup.select("article .sd-card table tbody tr")
    }
    assert rows["Unternehmen"] == "Testbetrieb Nord GmbH"
    assert rows["Größe"] == "12 Mitarbeitende"
    assert rows["Personen"] == "Erika Muster, Geschäftsführerin"
    assert rows["Beratung und Partner"] == "im Bericht nicht genannt"
    assert rows["Vorgestellt"] == "Workshops und Networking auf der Jahrestagung der Zukunftszentren 2024"


def test_event_card_date_is_text_not_a_numbered_list(site):
    card = next(c for c in site.main("events/index").select(".sd-card") if "Jahrestagung" in c.get_text())
    assert card.select("ol") == []
    assert "19. November 2024 · AXICA Konferenz- und Tagungszentrum, Berlin" in card.get_text(" ", strip=True)
