"""Layout in chromium: nothing sticks out at 375 px, cards stack on phones and
sit side by side on desktops, tables scroll inside their own box."""

from __future__ import annotations

import pytest
from conftest import BUILT_PAGES, kb_browser

PHONE = kb_browser.PHONE["width"]
DESKTOP = kb_browser.DESKTOP["width"]


@pytest.mark.parametrize("scheme", kb_browser.SCHEMES)
@pytest.mark.parametrize("page", BUILT_PAGES)
def test_no_horizontal_overflow_at_375px(page_views, page, scheme):
    overflow = page_views[page, scheme, PHONE].overflow
    assert overflow["viewport"] == PHONE - 0 or overflow["viewport"] <= PHONE
    assert overflow["scrollWidth"] <= overflow["viewport"], overflow
    assert overflow["outside"] == [], f"{page}: {overflow['outside']}"


def test_overflow_check_catches_a_wide_element(browser, base_url):
    page = browser.new_page(viewport=kb_browser.PHONE)
    page.goto(base_url + "index.html")
    page.evaluate(
        "() => { const d = document.createElement('div'); d.style.width = '600px';"
        " d.textContent = 'x'; document.querySelector('article').append(d); }"
    )
    overflow = page.evaluate(kb_browser.OVERFLOW_JS)
    page.close()
    assert overflow["outside"]


@pytest.mark.parametrize("page", BUILT_PAGES)
def test_heading_words_are_not_cut_on_phones(page_views, page):
    assert page_views[page, "light", PHONE].broken_heading_words == []


def test_cut_heading_words_are_detected(browser, base_url):
    page = browser.new_page(viewport=kb_browser.PHONE)
    page.goto(base_url + "genindex.html")
    page.evaluate("() => { document.querySelector('article h1').style.fontSize = '4em'; }")
    broken = page.evaluate(kb_browser.BROKEN_HEADING_WORDS_JS)
    page.close()
    assert broken == ["Stichwortverzeichnis"]


def _rows(page_views, page, width):
    return [row for row in page_views[page, "light", width].card_rows if len(row) >= 2]


CARD_PAGES = [
    "index.html",
    "events/jahrestagung-2024.html",
    "case-studies/index.html",
    "case-studies/contall.html",
    "glossary/metaverse.html",
]


@pytest.mark.parametrize("page", CARD_PAGES)
def test_cards_stack_on_phones(page_views, page):
    rows = _rows(page_views, page, PHONE)
    assert rows, f"{page}: no card grid"
    for row in rows:
        tops = [card["top"] for card in row]
        assert tops == sorted(set(tops)), f"{page}: cards side by side at {PHONE}px: {row}"
        assert all(card["width"] >= 0.9 * card["rowWidth"] for card in row), row


@pytest.mark.parametrize("page", CARD_PAGES)
def test_cards_share_rows_on_desktop(page_views, page):
    for row in _rows(page_views, page, DESKTOP):
        tops = [card["top"] for card in row]
        assert len(set(tops)) < len(tops), f"{page}: cards do not share rows at {DESKTOP}px"


@pytest.mark.parametrize("scheme", kb_browser.SCHEMES)
@pytest.mark.parametrize("page", BUILT_PAGES)
def test_tables_scroll_inside_their_box_on_phones(page_views, page, scheme):
    for table in page_views[page, scheme, PHONE].tables:
        box = table["box"]
        assert box is not None, f"{page}: a table without a scrolling box"
        assert 0 <= box["left"] and box["right"] <= table["viewport"], f"{page}: table box outside the screen: {box}"


def test_no_table_is_cut_on_phones(page_views):
    # Issue 25: tables reflow (cells wrap) instead of scrolling in their box with the right
    # column cut off; the widest tables (the conference page's) fit their box.
    for page in ("events/jahrestagung-2024.html", "case-studies/contall.html"):
        tables = page_views[page, "light", PHONE].tables
        assert tables, page
        cut = [t for t in tables if t["box"]["scrollWidth"] > t["box"]["clientWidth"]]
        assert cut == [], f"{page}: {cut}"
