"""Discoverability without a browser: the Lighthouse-style SEO and
best-practice checks (title, description, lang, viewport, canonical, robots,
crawlable links, image alt), OpenGraph, sitemap.xml, robots.txt, the German
404 page and the base URL set in one place."""

from __future__ import annotations

import os
import xml.etree.ElementTree as ET

import pytest
from conftest import ALL_BUILT_PAGES, ALL_PAGES, copy_sources, front_matter, kb_browser, on_site

BASE = "https://example.invalid/"  # conf.py's placeholder when KB_BASE_URL is unset
NOINDEX = {"search.html", "404.html"}  # not for search engines, on purpose


@pytest.fixture(scope="session", autouse=True)
def _default_base_url():
    assert "KB_BASE_URL" not in os.environ, "these tests expect the placeholder base URL"


def _soup(site, page):
    return site.soup(page.removesuffix(".html"))


@pytest.mark.parametrize("page", ALL_BUILT_PAGES)
def test_lighthouse_style_seo_basics(site, page):
    soup = _soup(site, page)
    assert soup.html.get("lang") == "de"
    assert soup.title and soup.title.get_text(strip=True), f"{page}: no <title>"
    assert soup.select_one('meta[name="viewport"]')["content"].startswith("width=device-width")
    descriptions = soup.select('meta[name="description"]')
    assert len(descriptions) == 1 and len(descriptions[0]["content"]) >= 30, page
    assert soup.select_one("meta[charset]") is not None
    robots = [m["content"] for m in soup.select('meta[name="robots"]')]
    assert robots == (["noindex"] if page in NOINDEX else []), f"{page}: robots {robots}"
    for a in soup.select("a"):
        href = a.get("href")
        assert href is not None and not href.lower().startswith("javascript:"), f"{page}: uncrawlable link {a}"
    for img in soup.select("img"):
        assert img.get("alt") is not None, f"{page}: image without alt"


def test_titles_are_unique(site, variant):
    titles = [_soup(site, p).title.get_text(strip=True) for p in on_site(variant, ALL_BUILT_PAGES)]
    assert len(set(titles)) == len(titles), titles


@pytest.mark.parametrize("docname", ALL_PAGES)
def test_canonical_and_opengraph(site, docname):
    soup = site.soup(docname)
    url = f"{BASE}{docname}.html"
    assert soup.select_one('link[rel="canonical"]')["href"] == url
    og = {m["property"]: m["content"] for m in soup.select("meta[property^='og:']")}
    assert og["og:url"] == url
    assert og["og:type"] == "website"
    assert og["og:site_name"] == "Wissensbasis Zukunftszentren"
    h1 = soup.select_one("article h1")
    assert og["og:title"] == "".join(t for t in h1.strings if t.parent.name != "a").strip()
    assert og["og:description"] == front_matter(docname)["description"]
    assert not any(key.startswith("og:image") for key in og), "no images, least of all from elsewhere"


def test_sitemap_lists_every_reading_page(site):
    root = ET.parse(site.root / "sitemap.xml").getroot()
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = sorted(loc.text for loc in root.findall("s:url/s:loc", ns))
    mentions = kb_browser.mention_pages(site.root)  # the long "Erwähnt in" lists are pages to read too
    assert locs == sorted([f"{BASE}{d}.html" for d in site.pages()] + [f"{BASE}{p}" for p in mentions])


def test_robots_txt_allows_all_and_names_the_sitemap(site):
    lines = (site.root / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert lines == ["User-agent: *", "Disallow:", f"Sitemap: {BASE}sitemap.xml"]


def test_404_page_is_german_and_links_home(site):
    soup = site.soup("404")
    assert soup.html["lang"] == "de"
    assert soup.select_one("article h1").get_text(strip=True) == "Seite nicht gefunden"
    assert "Seite nicht gefunden" in soup.title.get_text()
    # Served for any missing path, so its links and assets are absolute.
    assert soup.select_one("article a")["href"] == "/index.html"
    assert all(link["href"].startswith("/") for link in soup.select('link[rel="stylesheet"]'))


def test_base_url_is_set_in_one_place(tmp_path):
    base = "http://127.0.0.1:8000/wissen/"
    src = copy_sources(tmp_path / "src")
    env = {**os.environ, "KB_BASE_URL": base.rstrip("/")}  # the trailing slash is added
    import subprocess
    import sys

    out = tmp_path / "html"
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-b",
            "html",
            "-q",
            "-n",
            "-W",
            "--keep-going",
            "-d",
            str(out / ".doctrees"),
            str(src),
            str(out),
        ],
        capture_output=True,
        text=True,
        cwd=src,
        env=env,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    page = (out / "case-studies" / "contall.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{base}case-studies/contall.html">' in page
    assert f'content="{base}case-studies/contall.html"' in page  # og:url
    assert f'"url": "{base}case-studies/contall.html"' in page  # JSON-LD
    assert f"Sitemap: {base}sitemap.xml" in (out / "robots.txt").read_text(encoding="utf-8")
    assert f"<loc>{base}index.html</loc>" in (out / "sitemap.xml").read_text(encoding="utf-8")
    assert 'href="/wissen/index.html"' in (out / "404.html").read_text(encoding="utf-8")
    assert "example.invalid" not in page
