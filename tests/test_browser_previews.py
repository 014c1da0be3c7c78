"""Term previews in chromium: hover and keyboard focus show a term's first sentence
or an actor's role, Escape closes it, a touch shows nothing (kb/previews.py)."""

from __future__ import annotations

import pytest
from conftest import kb_browser

PAGE = "events/jahrestagung-2024.html"  # links to glossary terms and actors
LINKS = 'article a.reference.internal[href*="#term-"], article a.reference.internal[href*="#akteur-"]'


def first_line(site, docname: str, anchor: str) -> str:
    """The first sentence of the definition next to a term or actor, from the built page."""
    dd = site.soup(docname).select_one(f"dt#{anchor} + dd")
    return " ".join(dd.find("p").get_text().split("\n")[0].split())


@pytest.fixture()
def page(browser, base_url):
    context = browser.new_context(viewport=kb_browser.DESKTOP)
    page = context.new_page()
    errors = kb_browser.watch_errors(page)
    page.goto(base_url + PAGE, wait_until="load")
    yield page
    context.close()
    assert errors == []


def _preview(page) -> str | None:
    box = page.locator("#kb-preview")
    return box.inner_text() if box.is_visible() else None


@pytest.mark.parametrize("kind,selector", [("term", 'a[href*="#term-"]'), ("actor", 'a[href*="#akteur-"]')])
def test_hover_shows_the_first_sentence(site, page, kind, selector):
    link = page.locator(f"article {selector}").first
    href = link.get_attribute("href")
    docname, anchor = href.split("/", 1)[1].split(".html#")
    link.hover()
    page.wait_for_selector("#kb-preview:not([hidden])", timeout=3000)
    assert _preview(page) == first_line(site, docname, anchor)
    assert link.get_attribute("aria-describedby") == "kb-preview"
    page.mouse.move(0, 0)
    page.wait_for_selector("#kb-preview", state="hidden", timeout=3000)


def test_keyboard_focus_shows_it_and_escape_closes_it(page):
    for _ in range(300):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => document.activeElement.matches('{LINKS}')"):
            break
    else:
        pytest.fail("no term or actor link reached with Tab")
    page.wait_for_selector("#kb-preview:not([hidden])", timeout=3000)
    assert _preview(page)
    page.keyboard.press("Escape")
    assert _preview(page) is None


def test_touch_shows_nothing(browser, base_url):
    context = browser.new_context(viewport=kb_browser.PHONE, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(base_url + PAGE, wait_until="load")
    link = page.locator('article a[href*="#term-"]').first
    link.scroll_into_view_if_needed()
    # A touch that does not lead anywhere (default prevented) must not open a preview either.
    link.evaluate("a => a.addEventListener('click', e => e.preventDefault())")
    link.tap()
    visible = page.locator("#kb-preview").is_visible()
    context.close()
    assert not visible


def test_previews_cover_every_term_and_actor(site):
    # Built at build time: every glossary term and actor has its sentence in the script.
    script = (site.root / "_static" / "kb-previews.js").read_text(encoding="utf-8")
    for docname, prefix in (("glossary/index", "term-"), ("actors/index", "akteur-")):
        anchors = [dt["id"] for dt in site.soup(docname).select(f"dt[id^={prefix}]")]
        assert anchors
        for anchor in anchors:
            assert f'"{docname}.html#{anchor}": "{first_line(site, docname, anchor)}"' in script
