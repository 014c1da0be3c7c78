"""schema.org JSON-LD from front matter: an Event for the conference and an
Organization for each case-study company (_ext/kb_jsonld.py)."""

from __future__ import annotations

import json

import pytest
from conftest import copy_sources, front_matter, run_sphinx, source_pages

EVENT = "events/jahrestagung-2024"
COMPANIES = ["case-studies/contall", "case-studies/vitaserv"]


def json_ld(site, docname) -> list[dict]:
    scripts = site.soup(docname).select('head script[type="application/ld+json"]')
    return [json.loads(s.string) for s in scripts]


def test_conference_is_an_event(site):
    (data,) = json_ld(site, EVENT)
    meta = front_matter(EVENT)
    assert {"@context", "@type", "name", "startDate", "location", "eventAttendanceMode", "organizer"} <= data.keys()
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Event"
    assert data["name"] == "Jahrestagung der Zukunftszentren 2024"
    assert data["startDate"] == "2024-11-19" == str(meta["date"])
    assert data["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    assert data["location"] == {
        "@type": "Place",
        "name": "AXICA Konferenz- und Tagungszentrum",
        "address": {"@type": "PostalAddress", "addressLocality": "Berlin"},
    }
    assert data["organizer"] == {"@type": "Organization", "name": meta["organiser"]}
    assert data["description"] == meta["description"]
    assert data["url"] == f"https://example.invalid/{EVENT}.html"


@pytest.mark.parametrize("docname", COMPANIES)
def test_case_study_company_is_an_organization(site, docname):
    (data,) = json_ld(site, docname)
    meta = front_matter(docname)
    assert {"@context", "@type", "name", "address"} <= data.keys()
    assert data["@type"] == "Organization"
    assert data["name"] == meta["company"]
    assert data["address"]["@type"] == "PostalAddress"
    assert data["address"]["addressLocality"] == meta["location"]
    assert data["address"].get("addressRegion", "") == meta["region"]  # empty regions are left out
    assert data["description"] == meta["summary"]


def test_other_pages_have_no_json_ld(site):
    for docname in source_pages():
        if docname not in (EVENT, *COMPANIES):
            assert json_ld(site, docname) == [], docname


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("format: hybrid", "format: irgendwie", "format 'irgendwie' is not one of"),
        ("date: 2024-11-19", "date: 19.11.2024", "is not a date like 2024-11-19"),
        ("place: AXICA Konferenz- und Tagungszentrum\n", "", "needs the front-matter field(s) place"),
    ],
)
def test_unmappable_event_metadata_fails_the_build_naming_the_file(tmp_path, old, new, message):
    src = copy_sources(tmp_path / "src")
    page = src / f"{EVENT}.md"
    text = page.read_text(encoding="utf-8")
    assert old in text
    page.write_text(text.replace(old, new), encoding="utf-8")
    result = run_sphinx(src, tmp_path / "html")
    assert result.returncode != 0
    assert any("jahrestagung-2024.md" in w and message in w for w in result.warnings), result.output
