"""Every internal link and #anchor in the built HTML resolves."""

from __future__ import annotations

from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup
from conftest import ALL_CONTENT_PAGES, front_matter, page_source, resolve


def _ids(site, path) -> set[str]:
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    return {tag["id"] for tag in soup.select("[id]")}


def test_internal_links_and_anchors_resolve(site):
    broken = []
    ids_cache: dict = {}
    checked = 0
    for docname in site.pages():
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
                if target not in ids_cache:
                    ids_cache[target] = _ids(site, target)
                if unquote(parts.fragment) not in ids_cache[target]:
                    broken.append(f"{docname}: {href} (no anchor)")
    assert checked > 100, "the link check saw suspiciously few links"
    assert broken == []


def test_content_has_no_external_links(site):
    # The article gives no URLs; the site must not invent any.
    for docname in site.pages():
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
    listed = [d for d in site.only(ALL_CONTENT_PAGES) if front_matter(d).get("type") in ("event", "case-study")]
    for page in (*listed, "glossary/index"):
        assert page in targets, f"no landing card links to {page}"


def _links_to(site, docname: str, target: str) -> set[str]:
    """Anchors (fragments) on `target` that `docname` links to."""
    found = set()
    for a in site.main(docname).select("a[href]"):
        hit = resolve(docname, a["href"])
        if hit and hit[0] == target:
            found.add(hit[1])
    return found


# Case study -> (event label, session label), from the front matter.
SESSIONS = {
    d: (meta["event"], meta["session"])
    for d in ALL_CONTENT_PAGES
    if (meta := front_matter(d)).get("type") == "case-study" and meta.get("session")
}


def _sessions(site) -> dict[str, tuple[str, str]]:
    """SESSIONS of the case studies this site has."""
    return {d: labels for d, labels in SESSIONS.items() if d in site.only(list(SESSIONS))}


def _event_doc(label: str) -> str:
    """The event page whose label is `label` (an event page starts with its own label)."""
    events = [d for d in ALL_CONTENT_PAGES if front_matter(d).get("type") == "event"]
    return next(d for d in events if f"({label})=" in page_source(d))


def test_programme_links_case_studies_from_their_session(site):
    """Where the event page links a case study, one link sits in the programme point it names."""
    assert SESSIONS, "no case study names its session"
    for case, (event_label, session) in _sessions(site).items():
        event = _event_doc(event_label)
        section = site.main(event).find(id=session)
        assert section is not None, (case, session)
        # (the timeline's text alternative links every case study it draws: not an author's link)
        written = [a for a in site.main(event).select("a[href]") if not a.find_parent(class_="kb-diagramm")]
        linked_anywhere = {t[0] for a in written if (t := resolve(event, a["href"]))}
        if case in linked_anywhere:
            in_session = {t[0] for a in section.select("a[href]") if (t := resolve(event, a["href"]))}
            assert case in in_session, (case, session)


def test_case_studies_link_back_to_their_session(site):
    assert SESSIONS
    for case, (event_label, session) in _sessions(site).items():
        assert session in _links_to(site, case, _event_doc(event_label)), case


def test_content_pages_end_with_see_also_cards(site):
    for docname in site.only(ALL_CONTENT_PAGES):
        main = site.main(docname)
        heading = next((h for h in main.find_all("h2") if "Siehe auch" in h.get_text()), None)
        assert heading is not None, f"{docname}: no 'Siehe auch' section"
        section = heading.find_parent("section")
        cards = section.select(".sd-card a.sd-stretched-link")
        assert len(cards) >= 2, f"{docname}: 'Siehe auch' has {len(cards)} cards"
        # It is the last section of the page.
        assert section.find_next_sibling("section") is None, docname
