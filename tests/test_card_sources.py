"""The "Belege" of listing, tag and landing pages (kb/card_sources.py, issue 25):
they name the sections behind every card the page shows, derived from the
front matter of the pages the cards lead to."""

from __future__ import annotations

import re

from conftest import front_matter, page_source, resolve

ANCHOR = "bericht-"


def _belege_sections(site, docname: str) -> set[str]:
    line = site.main(docname).select_one(".kb-quelle .kb-belege")
    if line is None:
        return set()
    return {resolve(docname, a["href"])[1].removeprefix(ANCHOR) for a in line.select("a[href]")}


def _card_targets(site, docname: str) -> set[str]:
    targets = set()
    for link in site.main(docname).select(".sd-card a.sd-stretched-link[href]"):
        hit = resolve(docname, link["href"])
        if hit and hit[0] != docname and site.path(hit[0]).exists():
            targets.add(hit[0])
    return targets


def _listing_pages(site) -> list[str]:
    """Pages with a listing of cards (kb-listing, a tag page's kb-schlagwort-seiten) and a "Belege" line."""
    return [
        d
        for d in site.pages()
        if re.search(r"\{kb-(listing|schlagwort-seiten)\}", page_source(d, site.source_root))
        and site.main(d).select(".kb-quelle .kb-belege")
    ]


def test_listing_pages_are_found(site):
    found = set(_listing_pages(site))
    assert {"index", "tags/index", "case-studies/index", "events/index"} <= found, found


def test_belege_include_the_sections_behind_the_cards(site):
    missing = {}
    for docname in _listing_pages(site):
        named = _belege_sections(site, docname)
        own = set(front_matter(docname).get("sources") or [])
        assert own <= named, f"{docname}: its own sources are not all named"
        behind = set()
        for target in _card_targets(site, docname):
            behind |= set(front_matter(target).get("sources") or [])
        if behind - named:
            missing[docname] = sorted(behind - named)
    assert missing == {}, f"sections behind the cards missing from 'Belege': {missing}"


def test_landing_page_belege_are_more_than_its_own(site):
    # The check must see something: the landing page's own text draws on one part of the
    # article, its cards on many.
    own = set(front_matter("index").get("sources") or [])
    assert len(_belege_sections(site, "index")) > len(own)
    assert "die gezeigten Karten außerdem" in site.main("index").select_one(".kb-belege").get_text(" ")
