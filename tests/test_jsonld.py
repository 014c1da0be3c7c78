"""schema.org JSON-LD from front matter: an Event for each event page and an
Organization for each case-study company (kb/jsonld.py)."""

from __future__ import annotations

import json
import re

import pytest
from conftest import ALL_PAGES, copy_sources, front_matter, run_sphinx

# The pages are found by their front-matter type, so new pages are checked too;
# EVENT is the real conference page the failure tests change.
EVENT = "events/jahrestagung-2024"
EVENTS = [d for d in ALL_PAGES if front_matter(d).get("type") == "event"]
COMPANIES = [d for d in ALL_PAGES if front_matter(d).get("type") == "case-study"]


def json_ld(site, docname) -> list[dict]:
    scripts = site.soup(docname).select('head script[type="application/ld+json"]')
    return [json.loads(s.string) for s in scripts]


@pytest.mark.parametrize("docname", EVENTS)
def test_event_page_is_an_event(site, docname):
    (data,) = json_ld(site, docname)
    meta = front_matter(docname)
    assert {"@context", "@type", "name", "startDate", "location", "eventAttendanceMode", "organizer"} <= data.keys()
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "Event"
    assert data["name"] == site.main(docname).select_one("h1").get_text(strip=True).rstrip("#¶")
    assert data["startDate"] == str(meta["date"])
    modes = {"hybrid": "Mixed", "vor-ort": "Offline", "online": "Online"}
    assert data["eventAttendanceMode"] == f"https://schema.org/{modes[meta['format']]}EventAttendanceMode"
    assert data["location"] == {
        "@type": "Place",
        "name": meta["place"],
        "address": {"@type": "PostalAddress", "addressLocality": meta["city"]},
    }
    assert data["organizer"] == {"@type": "Organization", "name": meta["organiser"]}
    assert data["description"] == meta["description"]
    assert data["url"] == f"https://example.invalid/{docname}.html"


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
    for docname in site.pages():
        if docname not in (*site.only(EVENTS), *site.only(COMPANIES)):
            assert json_ld(site, docname) == [], docname


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("format: hybrid", "format: irgendwie", "format"),
        ("date: 2024-11-19", "date: 19.11.2024", "date"),
        ("place: AXICA Konferenz- und Tagungszentrum", "place: ''", "place"),
    ],
)
def test_bad_event_metadata_is_reported_once_at_its_line(tmp_path, old, new, field):
    """The schema check names the field's line; the JSON-LD adds no second message."""
    src = copy_sources(tmp_path / "src")
    page = src / f"{EVENT}.md"
    text = page.read_text(encoding="utf-8")
    assert old in text
    page.write_text(text.replace(old, new), encoding="utf-8")
    line = text[: text.index(old)].count("\n") + 1
    result = run_sphinx(src, tmp_path / "html")
    assert result.returncode != 0
    assert [w for w in result.warnings if f"jahrestagung-2024.md:{line}:" in w and f"„{field}“" in w], result.output
    assert not [w for w in result.warnings if "JSON-LD" in w], result.output


def test_empty_location_leaves_the_address_out(tmp_path):
    """CONTRIBUTING: what the article does not say stays empty; that must build."""
    src = copy_sources(tmp_path / "src")
    docname = COMPANIES[0]
    page = src / f"{docname}.md"
    text = page.read_text(encoding="utf-8")
    text = re.sub(r"^location: .*$", 'location: ""', text, count=1, flags=re.M)
    text = re.sub(r"^region: .*$", "region:", text, count=1, flags=re.M)
    page.write_text(text, encoding="utf-8")
    result = run_sphinx(src, tmp_path / "html")
    assert result.returncode == 0, result.output
    html = (tmp_path / "html" / f"{docname}.html").read_text(encoding="utf-8")
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))
    assert data["@type"] == "Organization" and "address" not in data
