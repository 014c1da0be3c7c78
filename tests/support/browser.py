"""Drive Debian's chromium over the built site: the readers' checks in one place.

Used by the browser tests (tests/test_browser_*.py), `make screenshots`
(tools/screenshots.py) and `make page-report` (tools/page-report.py).
Serves a built HTML directory on 127.0.0.1 with a threaded http.server on a
free port and opens one chromium through Playwright for Python. Never runs
`playwright install`: the browser is /usr/bin/chromium from Debian.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeout

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# axe-core rule sets: WCAG 2.1 A and AA (BITV 2.0) plus Deque's best practices.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}
SCHEMES = ("light", "dark")
# Budgets from issue 5, per page load with an empty cache.
MAX_KIB = 150
MAX_REQUESTS = 12


def built_pages(root: Path) -> list[str]:
    """Every HTML page of the build, relative to its root (assets excluded)."""
    return sorted(
        p.relative_to(root).as_posix()
        for p in root.rglob("*.html")
        if not p.relative_to(root).parts[0].startswith(("_", "."))
    )


def mention_pages(root: Path) -> list[str]:
    """The full "Erwähnt in" lists of long entries (kb/backlinks_pages.py): pages the build makes
    from no source, so they are known only once the site is built."""
    return [p for p in built_pages(root) if p.rpartition("/")[2].startswith("erwaehnt-")]


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - keep test output clean
        pass


@contextmanager
def serve(root: Path) -> Iterator[str]:
    """Serve root on 127.0.0.1 on a free port; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@contextmanager
def chromium() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        raise RuntimeError(f"{CHROMIUM} is missing: run `make test` as root (installs Debian's chromium)")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            yield browser
        finally:
            browser.close()


# -- In-page measurements (JavaScript) ----------------------------------------

# Elements sticking out of the viewport at the current width. An element inside
# a box of the article that scrolls or clips horizontally (a table wrapper)
# does not count, nor does furo's off-canvas navigation (translated away on
# phones). furo's .content box scrolls too, but that would move the whole
# page sideways, so it does not excuse anything.
OVERFLOW_JS = """() => {
  const vw = document.documentElement.clientWidth;
  const article = document.getElementById('furo-main-content');
  const clipped = el => {
    if (!article || !article.contains(el)) return false;
    for (let a = el.parentElement; a && a !== article; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (['auto', 'scroll', 'hidden', 'clip'].includes(s.overflowX)) return true;
    }
    return false;
  };
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest('.sidebar-drawer, .toc-drawer')) {
      const drawer = el.closest('.sidebar-drawer, .toc-drawer').getBoundingClientRect();
      if (drawer.right <= 0 || drawer.left >= vw) continue;
    }
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || getComputedStyle(el).visibility === 'hidden') continue;
    if ((r.right > vw + 1 || r.left < -1) && !clipped(el)) {
      out.push(el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ').join('.') : '')
               + ' [' + Math.round(r.left) + ',' + Math.round(r.right) + ']');
    }
  }
  return {scrollWidth: document.documentElement.scrollWidth, viewport: vw, outside: out.slice(0, 10)};
}"""

# Cards of every sphinx-design grid: rows of tops, to see whether they stack.
CARD_ROWS_JS = """() => Array.from(document.querySelectorAll('article .sd-row')).map(row =>
  Array.from(row.querySelectorAll(':scope > .sd-col .sd-card')).map(c => {
    const r = c.getBoundingClientRect();
    return {top: Math.round(r.top + scrollY), left: Math.round(r.left), width: Math.round(r.width),
            rowWidth: Math.round(row.getBoundingClientRect().width)};
  }))"""

# Words of headings that the browser had to break across lines (a long
# German compound cut mid-word on a phone).
BROKEN_HEADING_WORDS_JS = """() => {
  const out = [];
  for (const h of document.querySelectorAll('article h1, article h2')) {
    const walker = document.createTreeWalker(h, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement.closest('.headerlink')) continue;
      // A line break right after a hyphen (Anhalt-|Bitterfeld) is fine German typography.
      for (const m of node.textContent.matchAll(/[^\\s-]+-?/g)) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        if (range.getClientRects().length > 1) out.push(m[0]);
      }
    }
  }
  return out;
}"""

# Every table: its width, and the nearest horizontally scrolling box around it.
TABLES_JS = """() => Array.from(document.querySelectorAll('article table')).map(t => {
  let box = t.parentElement;
  while (box && !['auto', 'scroll'].includes(getComputedStyle(box).overflowX)) box = box.parentElement;
  const b = box ? box.getBoundingClientRect() : null;
  return {tableWidth: Math.round(t.getBoundingClientRect().width),
          box: box ? {left: Math.round(b.left), right: Math.round(b.right),
                      clientWidth: box.clientWidth, scrollWidth: box.scrollWidth} : null,
          viewport: document.documentElement.clientWidth};
})"""

# The focused element and whether its focus indicator can be seen: an outline
# (or box-shadow) on it; a card's stretched link has no visible text of its
# own, so there the card itself must show the outline.
FOCUS_JS = """() => {
  const focused = document.activeElement;
  if (!focused || focused === document.body) return null;
  // A drawer toggle (furo's checkbox, visually hidden: _templates/page.html) is seen as the
  // icon that labels it, where its focus ring is drawn; judged there.
  const icon = focused.matches('input.kb-umschalter') &&
    [...focused.labels].find(l => l.matches('.nav-overlay-icon, .toc-overlay-icon') && l.getClientRects().length);
  const el = icon || focused;
  const outlined = e => {
    const s = getComputedStyle(e);
    return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 1;
  };
  const shows = e => outlined(e) || getComputedStyle(e).boxShadow !== 'none';
  const card = el.closest('.sd-card');
  const stretched = el.classList.contains('sd-stretched-link');
  const main = document.getElementById('furo-main-content');
  const r = el.getBoundingClientRect();
  return {
    tag: el.tagName.toLowerCase(), href: el.getAttribute('href'), cls: String(el.className),
    text: (el.innerText || el.getAttribute('aria-label') || '').trim().slice(0, 60),
    visible: stretched ? outlined(card) : shows(el),
    inCard: card !== null,
    inMain: main !== null && (main.contains(el) ||
            !!(main.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING)),
    onScreen: r.width > 0 && r.height > 0 && r.bottom > 0 && r.top < innerHeight,
    // Issue 25: seen at all – inside the viewport sideways too (not in a drawer moved off the
    // screen), not visibility:hidden, and not covered by another element such as the sticky
    // header (WCAG 2.4.11): the element at the middle of its visible part is it, or inside it.
    seen: (() => {
      const vw = document.documentElement.clientWidth;
      if (!(r.width > 0 && r.height > 0 && r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < vw)) return false;
      if (getComputedStyle(el).visibility === 'hidden') return false;
      const x = (Math.max(r.left, 0) + Math.min(r.right, vw)) / 2;
      const y = (Math.max(r.top, 0) + Math.min(r.bottom, innerHeight)) / 2;
      const hit = document.elementFromPoint(x, y);
      return hit !== null && (hit === el || el.contains(hit) || hit.contains(el) ||
                              (stretched && card.contains(hit)));
    })(),
  };
}"""


# The page's layout shifts since navigation without recent input, summed (CLS as Lighthouse
# counts it for a short page load); buffered entries arrive in the observer's first callback.
def layout_shift_js(wait_ms: int = 100) -> str:
    """The script that sums the layout shifts, resolving wait_ms after the observer starts."""
    return f"""() => new Promise(resolve => {{
  let total = 0;
  new PerformanceObserver(list => {{
    for (const e of list.getEntries()) if (!e.hadRecentInput) total += e.value;
  }}).observe({{type: 'layout-shift', buffered: true}});
  setTimeout(() => resolve(total), {wait_ms});
}})"""


LAYOUT_SHIFT_JS = layout_shift_js()


# -- Page audits -------------------------------------------------------------


@dataclass
class Load:
    """One page load with an empty cache: what the browser fetched."""

    page: str
    urls: list[str] = field(default_factory=list)
    bytes: int = 0
    console_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    @property
    def requests(self) -> int:
        return len(self.urls)

    @property
    def kib(self) -> float:
        return self.bytes / 1024

    def foreign(self, base: str) -> list[str]:
        own = urlsplit(base).netloc
        return [u for u in self.urls if urlsplit(u).scheme not in ("data", "blob") and urlsplit(u).netloc != own]


def watch_errors(page: Page, errors: list[str] | None = None, types: tuple[str, ...] = ("error",)) -> list[str]:
    """Collect a page's script errors and its console messages of the given types; returns the list."""
    errors = [] if errors is None else errors
    page.on("console", lambda m: errors.append(m.text) if m.type in types else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


def measure_load(browser: Browser, base: str, page_path: str) -> Load:
    """Load one page in a fresh context (empty cache) and record every request.

    Sizes are the response bodies as sent (http.server does not compress, so
    transferred = uncompressed), read from each request once it finished.
    """
    load = Load(page_path)
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    watch_errors(page, load.console_errors)
    page.on("requestfailed", lambda r: load.failed.append(r.url))
    finished = []
    context.on("request", lambda r: load.urls.append(r.url))
    context.on("requestfinished", lambda r: finished.append(r))
    page.goto(base + page_path, wait_until="networkidle")
    for request in finished:
        load.bytes += request.sizes()["responseBodySize"]
    context.close()
    return load


def axe_violations(page: Page, axe: Axe) -> list[dict]:
    result = axe.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}, "resultTypes": ["violations"]})
    return [
        {"id": v["id"], "help": v["help"], "targets": [n["target"] for n in v["nodes"]][:5]}
        for v in result.response["violations"]
    ]


@dataclass
class View:
    """What a page shows at one width in one colour scheme."""

    page: str
    scheme: str
    width: int
    violations: list[dict]
    overflow: dict
    card_rows: list[list[dict]]
    tables: list[dict]
    broken_heading_words: list[str]
    console_errors: list[str]
    layout_shift: float = 0.0


class Views(Mapping):
    """axe and layout of a page, light and dark, desktop and phone: ``views[page, scheme, width]``.

    Audited when first asked for, so a test run (or a pytest-xdist worker) audits
    only the pages its tests look at. One context per (scheme, width), each with
    one tab that loads the pages one after the other, so the shared CSS and JS
    come from the cache.
    """

    def __init__(self, browser: Browser, base: str, pages: list[str]) -> None:
        self.browser, self.base, self.pages = browser, base, list(pages)
        self._axe = Axe()
        self._tabs: dict[tuple[str, int], tuple[Page, list[str]]] = {}
        self._views: dict[tuple[str, str, int], View] = {}

    def __getitem__(self, key: tuple[str, str, int]) -> View:
        if key not in self._views:
            path, scheme, width = key
            if path not in self.pages or scheme not in SCHEMES or width not in (DESKTOP["width"], PHONE["width"]):
                raise KeyError(key)
            self._views[key] = self._audit(path, scheme, width)
        return self._views[key]

    def __iter__(self) -> Iterator[tuple[str, str, int]]:
        return ((p, s, v["width"]) for s in SCHEMES for v in (DESKTOP, PHONE) for p in self.pages)

    def __len__(self) -> int:
        return len(self.pages) * len(SCHEMES) * 2

    def _tab(self, scheme: str, width: int) -> tuple[Page, list[str]]:
        if (scheme, width) not in self._tabs:
            viewport = DESKTOP if width == DESKTOP["width"] else PHONE
            page = self.browser.new_context(viewport=viewport, color_scheme=scheme).new_page()
            self._tabs[scheme, width] = (page, watch_errors(page))
        return self._tabs[scheme, width]

    def _audit(self, path: str, scheme: str, width: int) -> View:
        page, errors = self._tab(scheme, width)
        errors.clear()
        page.goto(self.base + path, wait_until="load")
        return View(
            page=path,
            scheme=scheme,
            width=width,
            violations=axe_violations(page, self._axe),
            overflow=page.evaluate(OVERFLOW_JS),
            card_rows=page.evaluate(CARD_ROWS_JS),
            tables=page.evaluate(TABLES_JS),
            broken_heading_words=page.evaluate(BROKEN_HEADING_WORDS_JS),
            console_errors=list(errors),
            layout_shift=page.evaluate(LAYOUT_SHIFT_JS),
        )

    def close(self) -> None:
        for page, _errors in self._tabs.values():
            page.context.close()
        self._tabs.clear()


class Loads(Mapping):
    """``loads[page]``: the page loaded once with an empty cache (measure_load), when first asked for."""

    def __init__(self, browser: Browser, base: str, pages: list[str]) -> None:
        self.browser, self.base, self.pages = browser, base, list(pages)
        self._loads: dict[str, Load] = {}

    def __getitem__(self, path: str) -> Load:
        if path not in self._loads:
            if path not in self.pages:
                raise KeyError(path)
            self._loads[path] = measure_load(self.browser, self.base, path)
        return self._loads[path]

    def __iter__(self) -> Iterator[str]:
        return iter(self.pages)

    def __len__(self) -> int:
        return len(self.pages)


# FOCUS_JS, and a key that stays with the focused element (to see focus wrap around): one round trip a stop.
TAB_STOP_JS = f"""() => {{
  const info = ({FOCUS_JS})();
  if (info === null) return null;
  const e = document.activeElement;
  e.dataset.kbTab = e.dataset.kbTab || String(Math.random());
  return {{info, key: e.dataset.kbTab}};
}}"""


def tab_through(page: Page, limit: int = 400) -> list[dict]:
    """Press Tab from the top of the page until focus wraps; the focus stops."""
    stops = []
    seen = set()
    for _ in range(limit):
        page.keyboard.press("Tab")
        stop = page.evaluate(TAB_STOP_JS)
        if stop is not None and not stop["info"]["seen"]:
            # A stop may still be on its way: furo's skip link slides in, and the page scrolls
            # to a focused element smoothly. Look again once it has arrived (or 2 s have passed).
            try:
                page.wait_for_function(f"() => ({FOCUS_JS})().seen", timeout=2000)
            except PlaywrightTimeout:
                pass
            stop = page.evaluate(TAB_STOP_JS)
        if stop is None or stop["key"] in seen:
            break
        seen.add(stop["key"])
        stops.append(stop["info"])
    return stops
