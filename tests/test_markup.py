"""The page markup that screen readers and validators need (kb/markup.py, issue 13)."""

from __future__ import annotations

import collections

import pytest
from conftest import BUILT_PAGES, resolve, source_pages


def _soup(site, page: str):
    from bs4 import BeautifulSoup

    return BeautifulSoup((site.root / page).read_text(encoding="utf-8"), "html.parser")


def accessible_name(link) -> str:
    return link.get("aria-label") or " ".join(link.get_text(" ").split())


@pytest.mark.parametrize("page", BUILT_PAGES)
def test_page_frame(site, page):
    soup = _soup(site, page)
    assert len(soup.select('meta[name="viewport"]')) == 1, page
    assert not soup.select("label[aria-controls]"), page
    # The sidebar's page tree is a navigation landmark, and no heading comes before the <h1>.
    assert soup.select_one('.sidebar-drawer [role="navigation"]'), page
    headings = soup.select('h1, h2, h3, h4, h5, h6, [role="heading"]')
    assert headings and headings[0].name == "h1", f"{page}: first heading {headings[:1]}"


@pytest.mark.parametrize("docname", source_pages())
def test_link_cards_are_read_once(site, docname):
    for card in site.main(docname).select(".sd-card"):
        links = card.select("a[href]")
        stretched = card.select("a.sd-stretched-link")
        if not stretched:
            continue
        # One link: the title itself, its text shown (not hidden text repeating the title).
        assert len(stretched) == 1 and stretched[0].find_parent(class_="sd-card-title"), card
        assert "sd-hide-link-text" not in stretched[0]["class"]
        assert links == stretched or all(a.find_parent(class_="sd-card-title") is None for a in links[1:])


@pytest.mark.parametrize("docname", source_pages())
def test_tables_have_captions(site, docname):
    for table in site.main(docname).select("table"):
        caption = table.find("caption")
        assert caption is not None and caption.get_text(strip=True), f"{docname}: {str(table)[:200]}"


@pytest.mark.parametrize("docname", source_pages())
def test_groups_of_links_are_lists(site, docname):
    for group in site.main(docname).select(".kb-erwaehnt, .kb-schlagworte"):
        links = group.select("a[href]")
        assert all(a.find_parent("li") for a in links), f"{docname}: {group}"


@pytest.mark.parametrize("page", BUILT_PAGES)
def test_a_link_name_does_not_lead_to_a_tag_page_and_elsewhere(site, page):
    # "Storytelling" (glossary term) and the tag page "Storytelling" are told apart.
    docname = page.removesuffix(".html")
    targets = collections.defaultdict(set)
    for link in _soup(site, page).select("a[href]"):
        if "headerlink" in link.get("class", []) or (hit := resolve(docname, link["href"])) is None:
            continue
        targets[accessible_name(link)].add(hit[0])
    mixed = {name: t for name, t in targets.items() if len(t) > 1 and any(d.startswith("tags/") for d in t)}
    assert mixed == {}, f"{page}: {mixed}"
