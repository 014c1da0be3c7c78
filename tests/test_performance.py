"""Performance features that must stay correct: incremental rebuilds, parallel builds,
reproducible output, the front-matter cache and the large-site sidebar.

Speed itself is measured by `make bench` (benchmarks/), not here; these tests
use small sites so they stay fast.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import PARALLEL, ROOT, copy_sources, digest, ran_in_parallel, reread, rewritten, run_sphinx, source_pages

from benchmarks.synth import make_site, slug
from kb import frontmatter

EDITED = "case-studies/contall"


def _card_texts(html: Path) -> list[str]:
    soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
    return [" ".join(card.get_text(" ").split()) for card in soup.select("article .sd-card")]


def test_one_page_edit_rebuilds_the_page_and_its_listings_only(tmp_path):
    src = copy_sources(tmp_path / "src")
    out = tmp_path / "out"
    first = run_sphinx(src, out)
    assert first.returncode == 0, first.output
    old = "KI-basierte Chatsysteme für die Kundenkommunikation und KI-Tools für das Marketing."
    assert any(old in card for card in _card_texts(out / "case-studies" / "index.html"))

    # Nothing changed: nothing is read again.
    idle = run_sphinx(src, out)
    assert idle.returncode == 0, idle.output
    assert reread(idle.output) == set()

    page = src / f"{EDITED}.md"
    new = "Eine geänderte Zusammenfassung, die nur dieser Test schreibt."
    text = page.read_text(encoding="utf-8")
    assert f"summary: {old}" in text
    page.write_text(text.replace(f"summary: {old}", f"summary: {new}"), encoding="utf-8")
    edit = run_sphinx(src, out)
    assert edit.returncode == 0, edit.output
    # Only the page is read again; the listings that show it and the tag pages that list it
    # (one per tag) are written again with its new card (kb.cards fills them in when writing).
    tag_pages = {
        "tags/fachkraeftesicherung",
        "tags/ki-im-kundenkontakt",
        "tags/marketing",
        "tags/landkreis-anhalt-bitterfeld",
    }
    assert reread(edit.output) == {EDITED}
    assert {"case-studies/index", "index"} | tag_pages <= rewritten(edit.output)
    for listing in ("case-studies/index.html", "index.html"):
        cards = " | ".join(_card_texts(out / listing))
        assert new in cards, listing
        assert old not in cards, f"{listing} still shows the old summary"


def test_front_matter_cache_sees_a_changed_file(tmp_path):
    page = tmp_path / "seite.md"
    page.write_text("---\ndescription: erste Fassung der Beschreibung\n---\n# Titel A\n", encoding="utf-8")
    first = frontmatter.read_page(page, "seite")
    assert frontmatter.read_page(page, "seite") is first  # parsed once
    page.write_text("---\ndescription: zweite, längere Fassung der Beschreibung\n---\n# Titel B\n", encoding="utf-8")
    second = frontmatter.read_page(page, "seite")
    assert second.title == "Titel B"
    assert second.data["description"].startswith("zweite")


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Path:
    """The real site plus 12 synthetic case studies: enough pages for parallel chunks."""
    return make_site(tmp_path_factory.mktemp("synthetic") / "src", 12)


@pytest.mark.parametrize("sidebar", ["full", "top-level"])
def test_parallel_build_equals_serial_build(synthetic, tmp_path, sidebar):
    # Small overview pages, so the paged overviews are part of the comparison.
    extra = ["-D", "kb_listing_page_size=5"]
    if sidebar == "top-level":
        extra += ["-D", "kb_sidebar_full_max_pages=10"]
    serial = run_sphinx(synthetic, tmp_path / "serial", extra=extra)
    assert serial.returncode == 0, serial.output
    parallel = run_sphinx(synthetic, tmp_path / "parallel", extra=[*extra, *PARALLEL])
    # -W turns "extension ... does not declare if it is safe for parallel reading" into an error.
    assert parallel.returncode == 0, parallel.output
    assert ran_in_parallel(parallel.output), "reading or writing was not parallel"
    serial_files, parallel_files = digest(tmp_path / "serial"), digest(tmp_path / "parallel")
    assert len(serial_files) > 20
    assert parallel_files.keys() == serial_files.keys()
    differ = [name for name in serial_files if serial_files[name] != parallel_files[name]]
    assert differ == [], f"-j 2 output differs from serial output: {differ}"


def test_two_clean_builds_are_byte_identical(build, tmp_path):
    assert build.returncode == 0, build.output
    again = run_sphinx(ROOT, tmp_path / "again")
    assert again.returncode == 0, again.output
    first, second = digest(build.outdir), digest(again.outdir)
    assert any(name.endswith(".html") for name in first)
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []


def test_full_sidebar_computed_once_equals_sidebar_computed_per_page(synthetic, tmp_path):
    cached = run_sphinx(synthetic, tmp_path / "cached")
    uncached = run_sphinx(synthetic, tmp_path / "uncached", extra=["-D", "kb_sidebar_cache=0"])
    assert cached.returncode == 0, cached.output
    assert uncached.returncode == 0, uncached.output
    cached_files, uncached_files = digest(tmp_path / "cached"), digest(tmp_path / "uncached")
    pages = [name for name in cached_files if name.endswith(".html")]
    assert len(pages) > 20
    assert [name for name in pages if cached_files[name] != uncached_files[name]] == []
    # The page itself is marked in its full sidebar: current, link to itself, branch open.
    soup = BeautifulSoup(
        (tmp_path / "cached" / f"case-studies/{slug(3)}.html").read_text(encoding="utf-8"), "html.parser"
    )
    assert [a["href"] for a in soup.select(".sidebar-tree li.current-page > a.current")] == ["#"]
    assert soup.select(".sidebar-tree li.current > input[checked]"), "the page's section is not expanded"


def _overview_cards(html: Path) -> list[str]:
    soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
    return [a["href"] for a in soup.select("article .sd-card a.sd-stretched-link")]


def test_long_overviews_are_paged_and_every_page_is_reachable(synthetic, tmp_path):
    size = 5
    out = tmp_path / "out"
    result = run_sphinx(synthetic, out, extra=["-D", f"kb_listing_page_size={size}"])
    assert result.returncode == 0, result.output
    studies = {p for p in source_pages(synthetic) if p.startswith("case-studies/") and not p.endswith("/index")}
    assert len(studies) > 2 * size
    further = sorted((out / "case-studies").glob("index-seite-*.html"), key=lambda p: int(p.stem.rpartition("-")[2]))
    overview = [out / "case-studies" / "index.html", *further]
    assert len(overview) == -(-len(studies) // size)
    linked: list[str] = []
    for page in overview:
        cards = _overview_cards(page)
        assert 0 < len(cards) <= size, page.name
        linked += [f"case-studies/{href.removesuffix('.html')}" for href in cards]
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        pager = {a["href"] for a in soup.select("article .kb-seiten a")}
        assert pager == {p.name for p in overview} - {page.name}, f"{page.name} does not link every other page"
    assert sorted(linked) == sorted(studies), "every case study on exactly one overview page"
    # The landing page shows a few cards and links the whole overview.
    landing = BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "html.parser")
    more = [a for a in landing.select("article .kb-listing-mehr a") if a["href"] == "case-studies/index.html"]
    assert more and str(len(studies)) in more[0].get_text(), "no link to all case studies on the landing page"
    shown = {
        a["href"]
        for a in landing.select("article .sd-card a[href^='case-studies/']")
        if a["href"] != "case-studies/index.html"
    }
    assert 0 < len(shown) < len(studies), shown


def _sidebar_links(html: Path) -> set[str]:
    soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
    return {a["href"] for a in soup.select(".sidebar-tree a[href]")}


def test_large_site_sidebar_lists_top_level_sections_and_caches_correctly(synthetic, tmp_path):
    full = run_sphinx(synthetic, tmp_path / "full")
    assert full.returncode == 0, full.output
    assert f"case-studies/{slug(3)}.html" in _sidebar_links(tmp_path / "full" / "index.html")

    small = ["-D", "kb_sidebar_full_max_pages=10"]
    cached = run_sphinx(synthetic, tmp_path / "cached", extra=small)
    uncached = run_sphinx(synthetic, tmp_path / "uncached", extra=[*small, "-D", "kb_sidebar_cache=0"])
    assert cached.returncode == 0, cached.output
    assert uncached.returncode == 0, uncached.output
    index_links = _sidebar_links(tmp_path / "cached" / "index.html")
    # the landing page's toctrees: its top-level sections and the pages about the site
    toctrees = re.findall(r"```\{toctree\}\n(.*?)```", (ROOT / "index.md").read_text(encoding="utf-8"), re.S)
    entries = [line for tree in toctrees for line in tree.splitlines() if line.strip() and not line.startswith(":")]
    assert index_links == {f"{entry}.html" for entry in entries}
    case_soup = BeautifulSoup(
        (tmp_path / "cached" / "case-studies" / f"{slug(3)}.html").read_text(encoding="utf-8"), "html.parser"
    )
    current = case_soup.select(".sidebar-tree li.current > a")
    assert [a["href"] for a in current] == ["index.html"], "the page's section is not marked current"
    # The 404 page links absolutely (sphinx-notfound-page's toctree): the same short sidebar.
    notfound_links = _sidebar_links(tmp_path / "cached" / "404.html")
    assert {"/".join(href.split("/")[-2:]) for href in notfound_links} == {f"{entry}.html" for entry in entries}
    assert all(href.startswith("/") for href in notfound_links)
    # Reusing a sidebar must give exactly what computing it for each page gives.
    cached_files, uncached_files = digest(tmp_path / "cached"), digest(tmp_path / "uncached")
    pages = [name for name in cached_files if name.endswith(".html")]
    assert len(pages) > 20
    assert [name for name in pages if cached_files[name] != uncached_files[name]] == []
