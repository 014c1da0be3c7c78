"""Privacy and health of every page in chromium: no request leaves the site,
no console errors, and the weight budget (requests, KiB) per page."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from conftest import BUILT_PAGES, kb_browser, source_pages


@pytest.mark.parametrize("page", BUILT_PAGES)
def test_no_request_goes_to_another_host(page_loads, base_url, page):
    load = page_loads[page]
    assert load.urls, f"{page}: no requests recorded"
    assert load.foreign(base_url) == [], f"{page} asked other hosts: {load.foreign(base_url)}"


def test_request_recording_sees_other_hosts(browser, base_url):
    # The recorder must catch a request to elsewhere (answered locally here:
    # the route never lets it reach the network).
    load = kb_browser.Load("probe")
    context = browser.new_context()
    context.route("http://example.invalid/**", lambda route: route.fulfill(status=204, body=""))
    context.on("request", lambda r: load.urls.append(r.url))
    page = context.new_page()
    page.goto(base_url + "index.html")
    page.evaluate("() => { const i = new Image(); i.src = 'http://example.invalid/pixel.gif'; }")
    page.wait_for_timeout(200)
    context.close()
    assert load.foreign(base_url) == ["http://example.invalid/pixel.gif"]


@pytest.mark.parametrize("page", BUILT_PAGES)
def test_no_resource_in_the_html_points_elsewhere(site, page):
    # Static twin of the browser check: things a browser would fetch.
    soup = site.soup(page.removesuffix(".html"))
    fetched = [t.get("src") for t in soup.select("script[src], img[src], iframe[src], source[src]")]
    fetched += [
        t.get("href")
        for t in soup.select("link[href]")
        if not {"canonical", "next", "prev", "index", "search"} & set(t.get("rel", []))
    ]
    assert [u for u in fetched if urlsplit(u).netloc] == [], page


@pytest.mark.parametrize("page", BUILT_PAGES)
def test_no_console_errors_or_failed_requests(page_loads, page_views, page):
    load = page_loads[page]
    assert load.console_errors == [], f"{page}: {load.console_errors}"
    assert load.failed == [], f"{page}: failed requests {load.failed}"
    for scheme in kb_browser.SCHEMES:
        for width in (kb_browser.DESKTOP["width"], kb_browser.PHONE["width"]):
            errors = page_views[page, scheme, width].console_errors
            assert errors == [], f"{page} ({scheme}, {width}px): {errors}"


def test_favicon_is_shipped_and_linked(site, page_loads, base_url):
    assert (site.root / "_static" / "favicon.svg").is_file()
    assert site.soup("index").select_one('link[rel~="icon"]')["href"] == "_static/favicon.svg"


@pytest.mark.parametrize("page", BUILT_PAGES)
def test_page_weight_is_within_budget(site, page_loads, page):
    load = page_loads[page]
    assert load.requests <= kb_browser.MAX_REQUESTS, f"{page}: {load.requests} requests: {load.urls}"
    kib = load.kib
    if page == "search.html":
        # The search index is the site's text and grows with every page; the
        # search page's own weight (markup, styles, scripts) is what the budget holds.
        kib -= (site.root / "_static" / "kb-suchindex.json").stat().st_size / 1024
    assert kib <= kb_browser.MAX_KIB, f"{page}: {kib:.1f} KiB"


def test_pages_load_only_the_assets_they_use(site):
    def assets(docname):
        soup = site.soup(docname)
        return {
            urlsplit(t.get("href") or t.get("src")).path.rsplit("/_static/", 1)[-1].removeprefix("_static/")
            for t in soup.select('link[rel="stylesheet"], script[src]')
        }

    # The tab script only where a tab set is (the content need not have one; tests/test_print.py adds one).
    for docname in source_pages():
        has_tabs = site.main(docname).select_one(".sd-tab-set") is not None
        assert ("design-tabs.js" in assets(docname)) == has_tabs, docname
    assert "sphinx-design.min.css" in assets("index")
    assert "sphinx-design.min.css" not in assets("search")
    assert not any("pygments" in a for a in assets("index"))  # no code anywhere


def test_design_css_keeps_only_used_rules(site):
    css = (site.root / "_static" / "sphinx-design.min.css").read_text(encoding="utf-8")
    for used in (".sd-card", ".sd-row", ".sd-col", ".sd-stretched-link"):
        assert used in css, used
    tabs = any(site.main(d).select_one(".sd-tab-set") for d in source_pages())
    assert (".sd-tab-set" in css) == tabs, "tab-set rules kept although no page has a tab set" if not tabs else ""
    for unused in (".sd-btn-primary", ".sd-badge"):
        assert unused not in css, unused
    assert len(css) < 20_000
