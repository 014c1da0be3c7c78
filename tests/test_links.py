"""Every internal link and #anchor in the built HTML resolves."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup
from conftest import CONTENT_PAGES, resolve, source_pages


def _ids(site, path) -> set[str]:
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    return {tag["id"] for tag in soup.select("[id]")}


def test_internal_links_and_anchors_resolve(site):
    broken = []
    ids_cache: dict = {}
    checked = 0
    for docname in source_pages():
        page = site.path(docname)
        for a in site.soup(docname).select("a[href]"):
            href = a["href"]
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or href.startswith("mailto:"):
                continue
            target = page if not parts.path else (page.parent / unquote(parts.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            checked += 1
            if not target.is_file():
                broken.append(f"{docname}: {href} (no file)")
                continue
            if parts.fragment and target.suffix == ".html":
                ids = ids_cache.setdefault(target, _ids(site, target))
                if unquote(parts.fragment) not in ids:
                    broken.append(f"{docname}: {href} (no anchor)")
    assert checked > 100, "the link check saw suspiciously few links"
    assert broken == []


def test_content_has_no_external_links(site):
    # The article gives no URLs; the site must not invent any.
    for docname in source_pages():
        # Operator details (.kb-betreiber, kb/publish.py) come from publish.yaml, not the article.
        external = [
            a["href"]
            for a in site.main(docname).select("a.reference.external")
            if not a.find_parent(class_="kb-betreiber")
        ]
        assert external == [], f"{docname}: {external}"


def test_landing_cards_link_to_conference_case_studies_and_glossary(site):
    cards = site.main("index").select("a.sd-stretched-link")
    targets = {resolve("index", a["href"])[0] for a in cards}
    for page in ("events/jahrestagung-2024", "case-studies/contall", "case-studies/vitaserv", "glossary/index"):
        assert page in targets, f"no landing card links to {page}"


def _links_to(site, docname: str, target: str) -> set[str]:
    """Anchors (fragments) on `target` that `docname` links to."""
    found = set()
    for a in site.main(docname).select("a[href]"):
        hit = resolve(docname, a["href"])
        if hit and hit[0] == target:
            found.add(hit[1])
    return found


def test_conference_links_to_both_case_studies_in_the_programme(site):
    sections = {
        "case-studies/contall": "jahrestagung-2024-gespraechsrunde",
        "case-studies/vitaserv": "jahrestagung-2024-workshops",
    }
    soup = site.main("events/jahrestagung-2024")
    for case, section_id in sections.items():
        section = soup.find(id=section_id)
        assert section is not None, section_id
        targets = {resolve("events/jahrestagung-2024", a["href"]) for a in section.select("a[href]")}
        assert case in {t[0] for t in targets if t}, (case, targets)


def test_case_studies_link_back_to_their_session(site):
    expected = {
        "case-studies/contall": "jahrestagung-2024-gespraechsrunde",
        "case-studies/vitaserv": "jahrestagung-2024-workshops",
    }
    for case, anchor in expected.items():
        assert anchor in _links_to(site, case, "events/jahrestagung-2024"), case


def test_content_pages_end_with_see_also_cards(site):
    for docname in CONTENT_PAGES:
        main = site.main(docname)
        heading = next((h for h in main.find_all("h2") if "Siehe auch" in h.get_text()), None)
        assert heading is not None, f"{docname}: no 'Siehe auch' section"
        section = heading.find_parent("section")
        cards = section.select(".sd-card a.sd-stretched-link")
        assert len(cards) >= 2, f"{docname}: 'Siehe auch' has {len(cards)} cards"
        # It is the last section of the page.
        assert section.find_next_sibling("section") is None, docname
