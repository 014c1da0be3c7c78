"""Reflow and stability in chromium (issue 25): every page at 320 CSS px without
horizontal scrolling and with no table cut (WCAG 1.4.10), with the text-spacing
override (1.4.12), layout shifts of every page (CLS), forced colours and
reduced motion. One tab per width, the pages one after the other (cheap)."""

from __future__ import annotations

import pytest
from conftest import BUILT_PAGES, kb_browser

NARROW = {"width": 320, "height": 720}
MAX_CLS = 0.05

# WCAG 1.4.12: line height 1.5, paragraph spacing 2, letter spacing 0.12, word spacing 0.16 (em).
TEXT_SPACING_CSS = """
* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; }
p { margin-bottom: 2em !important; }
"""

# Text cut off by a box that hides what does not fit (the override must lose nothing).
CLIPPED_JS = """() => {
  const out = [];
  for (const el of document.querySelectorAll('article *, .sidebar-drawer *, footer *')) {
    const s = getComputedStyle(el);
    if (!['hidden', 'clip'].includes(s.overflowY) && !['hidden', 'clip'].includes(s.overflowX)) continue;
    if (!el.innerText || !el.innerText.trim() || el.getClientRects().length === 0) continue;
    const r = el.getBoundingClientRect();
    if (r.width <= 1 && r.height <= 1) continue;  // visually hidden on purpose (screen readers only)
    if (el.scrollHeight > el.clientHeight + 2 || el.scrollWidth > el.clientWidth + 2)
      out.push(el.tagName.toLowerCase() + '.' + String(el.className).split(' ').join('.'));
  }
  return out;
}"""

_tabs: dict[tuple, object] = {}


def _tab(browser, viewport: dict, **options):
    key = (viewport["width"], tuple(sorted(options.items())))
    if key not in _tabs:
        _tabs[key] = browser.new_context(viewport=viewport, **options).new_page()
    return _tabs[key]


@pytest.fixture(scope="module", autouse=True)
def _close_tabs():
    yield
    for page in _tabs.values():
        page.context.close()
    _tabs.clear()


def _cut_tables(page) -> list[dict]:
    return [
        t for t in page.evaluate(kb_browser.TABLES_JS) if t["box"] and t["box"]["scrollWidth"] > t["box"]["clientWidth"]
    ]


@pytest.mark.parametrize("page", BUILT_PAGES)
def test_page_reflows_at_320px(browser, base_url, page):
    tab = _tab(browser, NARROW)
    tab.goto(base_url + page, wait_until="load")
    overflow = tab.evaluate(kb_browser.OVERFLOW_JS)
    assert overflow["scrollWidth"] <= overflow["viewport"], f"{page}: scrolls sideways at 320px: {overflow}"
    assert overflow["outside"] == [], f"{page}: sticks out at 320px: {overflow}"
    assert _cut_tables(tab) == [], f"{page}: a table is wider than its box at 320px"
    # The text-spacing override of WCAG 1.4.12 loses nothing.
    tab.add_style_tag(content=TEXT_SPACING_CSS)
    overflow = tab.evaluate(kb_browser.OVERFLOW_JS)
    assert overflow["scrollWidth"] <= overflow["viewport"], f"{page}: text spacing makes it scroll: {overflow}"
    assert tab.evaluate(CLIPPED_JS) == [], f"{page}: text spacing clips text"
    assert _cut_tables(tab) == [], f"{page}: text spacing cuts a table"


def test_reflow_check_catches_a_cut_table(browser, base_url):
    # The check must be able to fail: a table that may not wrap is wider than its box.
    tab = _tab(browser, NARROW)
    tab.goto(base_url + "events/jahrestagung-2024.html", wait_until="load")
    assert _cut_tables(tab) == []
    tab.add_style_tag(content="article td, article th { white-space: nowrap !important; }")
    assert _cut_tables(tab) != []


@pytest.mark.parametrize("page", BUILT_PAGES)
def test_layout_does_not_shift(page_views, page):
    # Measured in the page audits (page_views) at phone and desktop width, light scheme.
    for width in (kb_browser.PHONE["width"], kb_browser.DESKTOP["width"]):
        shift = page_views[page, "light", width].layout_shift
        assert shift <= MAX_CLS, f"{page} ({width}px): layout shift {shift:.3f} > {MAX_CLS}"


@pytest.mark.parametrize("viewport", [kb_browser.PHONE, kb_browser.DESKTOP], ids=["phone", "desktop"])
def test_search_with_results_does_not_shift(browser, base_url, viewport):
    # Sphinx fills in the results, their summary line and each result's context after load.
    tab = _tab(browser, viewport)
    tab.goto(base_url + "search.html?q=KI", wait_until="load")
    tab.wait_for_selector("#search-results .search-summary:not(:empty)", timeout=10000)
    tab.wait_for_timeout(500)  # the contexts of the results, fetched one by one
    shift = tab.evaluate(kb_browser.LAYOUT_SHIFT_JS)
    assert shift <= MAX_CLS, f"search.html?q=KI ({viewport['width']}px): layout shift {shift:.3f} > {MAX_CLS}"


def test_layout_shift_is_measured(browser, base_url):
    # The measurement must be able to fail: a block pushed in above the text after load.
    tab = _tab(browser, kb_browser.PHONE)
    tab.goto(base_url + "glossary/index.html", wait_until="load")
    tab.evaluate("""() => new Promise(r => setTimeout(() => {
        const d = document.createElement('div'); d.style.height = '400px';
        document.querySelector('article').prepend(d); r();
    }, 50))""")
    assert tab.evaluate(kb_browser.LAYOUT_SHIFT_JS) > MAX_CLS


def test_forced_colours_keep_cards_and_focus(browser, base_url):
    tab = _tab(browser, kb_browser.DESKTOP, forced_colors="active")
    tab.goto(base_url + "index.html", wait_until="load")
    assert tab.evaluate("() => matchMedia('(forced-colors: active)').matches")
    style = tab.evaluate("""() => { const c = document.querySelector('article .sd-card');
        const s = getComputedStyle(c); return [s.borderTopStyle, s.borderTopWidth]; }""")
    assert style[0] != "none" and float(style[1].rstrip("px")) >= 1, style
    tab.focus("article .sd-card a.sd-stretched-link")
    focus = tab.evaluate(kb_browser.FOCUS_JS)
    assert focus["visible"] and focus["seen"], focus


def test_reduced_motion_stops_transitions(browser, base_url):
    tab = _tab(browser, kb_browser.PHONE, reduced_motion="reduce")
    tab.goto(base_url + "index.html", wait_until="load")
    durations = tab.evaluate("""() => ['.sidebar-drawer', '.skip-to-content', 'html'].map(sel => {
        const s = getComputedStyle(document.querySelector(sel));
        return [sel, s.transitionDuration, s.scrollBehavior]; })""")
    for selector, duration, scroll in durations:
        assert all(float(d.rstrip("s")) < 0.01 for d in duration.split(",")), (selector, duration)
        assert scroll != "smooth", (selector, scroll)
