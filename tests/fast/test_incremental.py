"""Incremental, parallel, cached and paged builds give what a clean serial build gives (testroot, in-process).

A synthetic variant of the testroot (furo, a case-study overview, 12 more case
studies) is built once per configuration for the module; the incremental tests
change a copy of the testroot and build it again, as `make html` after an edit.
tests/test_performance.py keeps one end-to-end incremental build of the real site.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from sphinx.testing.util import SphinxTestApp
from support.build import digest, in_process_warnings, ran_in_parallel, reread, rewritten

from fast.test_extensions import ANY_SIZE_IN_PARALLEL, case_study
from kb import frontmatter

EXTRA = 8  # synthetic case studies: enough pages for parallel chunks and paged overviews
PAGE_SIZE = 4
INDEX = """---
description: Startseite der synthetischen Testbasis.
---

# Testbasis

:::{kb-listing} case-study
:limit: 3
:::

```{toctree}
events/tagung
case-studies/index
tags/testtag
actors/index
glossary/index
```
"""
OVERVIEW = """---
description: Alle Praxisbeispiele der synthetischen Testbasis.
---

# Praxisbeispiele

:::{kb-listing} case-study
:::

```{toctree}
:glob:

*
```
"""
TOCTREE_ENTRIES = ["events/tagung", "case-studies/index", "tags/testtag", "actors/index", "glossary/index"]
FURO = {"html_theme": "furo", "kb_listing_page_size": PAGE_SIZE}
SHORT_SIDEBAR = {"kb_sidebar_full_max_pages": 10}


def _plain(text: str) -> str:
    return re.sub(r"\x1b\[[\d;]*m", "", text)


def _status(app: SphinxTestApp) -> str:
    return _plain(app.status.getvalue())


def _warnings(app: SphinxTestApp) -> str:
    return in_process_warnings(app.warning.getvalue())


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _slug(i: int) -> str:
    return f"gamma-{i:02d}"


# -- The synthetic site: built once per configuration -------------------------------


class Synthetic:
    """The testroot with furo, a case-study overview and EXTRA case studies; one build per configuration."""

    def __init__(self, tmp: Path, rootdir: Path) -> None:
        self.tmp, self.src = tmp, tmp / "src"
        shutil.copytree(rootdir / "test-kb", self.src)
        (self.src / "index.md").write_text(INDEX, encoding="utf-8")
        (self.src / "case-studies" / "index.md").write_text(OVERVIEW, encoding="utf-8")
        for i in range(EXTRA):
            text = case_study().replace("Alpha", f"Gamma {i:02d}").replace("(alpha)=", f"({_slug(i)})=")
            (self.src / "case-studies" / f"{_slug(i)}.md").write_text(text, encoding="utf-8")
        conf = self.src / "conf.py"
        conf.write_text(conf.read_text(encoding="utf-8") + '\nextensions += ["notfound.extension"]\n', "utf-8")
        self.builds: dict[str, SphinxTestApp] = {}

    def case_studies(self) -> set[str]:
        return {p.stem for p in (self.src / "case-studies").glob("*.md") if p.stem != "index"}

    def build(self, name: str, parallel: int = 0, **overrides) -> Path:
        """The output folder of the build called name (made on first use)."""
        if name not in self.builds:
            builddir = self.tmp / name
            app = SphinxTestApp(
                "html",
                srcdir=self.src,
                builddir=builddir,
                parallel=parallel,
                freshenv=True,
                confoverrides={**FURO, **overrides},
            )
            try:
                app.build()
            finally:
                app.cleanup()
            assert _warnings(app) == "", _warnings(app)
            self.builds[name] = app
        return self.builds[name].outdir


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory, rootdir) -> Synthetic:
    return Synthetic(tmp_path_factory.mktemp("synthetic"), rootdir)


@pytest.mark.parametrize("sidebar", ["full", "top-level"])
def test_parallel_build_equals_serial_build(synthetic, sidebar):
    # Small overview pages, so the paged overviews are part of the comparison.
    short = SHORT_SIDEBAR if sidebar == "top-level" else {}
    serial = synthetic.build(f"serial-{sidebar}", **short)
    parallel = synthetic.build(f"parallel-{sidebar}", parallel=2, **short, **ANY_SIZE_IN_PARALLEL)
    assert ran_in_parallel(_status(synthetic.builds[f"parallel-{sidebar}"])), "reading or writing was not parallel"
    serial_files, parallel_files = digest(serial), digest(parallel)
    assert len(serial_files) > 20
    assert parallel_files.keys() == serial_files.keys()
    differ = [name for name in serial_files if serial_files[name] != parallel_files[name]]
    assert differ == [], f"-j 2 output differs from serial output: {differ}"


def test_full_sidebar_computed_once_equals_sidebar_computed_per_page(synthetic):
    cached, uncached = synthetic.build("serial-full"), synthetic.build("uncached-full", kb_sidebar_cache=False)
    cached_files, uncached_files = digest(cached), digest(uncached)
    pages = [name for name in cached_files if name.endswith(".html")]
    assert len(pages) > 20
    assert [name for name in pages if cached_files[name] != uncached_files[name]] == []
    # The page itself is marked in its full sidebar: current, link to itself, branch open.
    soup = _soup(cached / "case-studies" / f"{_slug(3)}.html")
    assert [a["href"] for a in soup.select(".sidebar-tree li.current-page > a.current")] == ["#"]
    assert soup.select(".sidebar-tree li.current > input[checked]"), "the page's section is not expanded"


def _overview_cards(html: Path) -> list[str]:
    return [a["href"] for a in _soup(html).select("article .sd-card a.sd-stretched-link")]


def test_long_overviews_are_paged_and_every_page_is_reachable(synthetic):
    out = synthetic.build("serial-full")
    studies = synthetic.case_studies()
    assert len(studies) > 2 * PAGE_SIZE
    further = sorted((out / "case-studies").glob("index-seite-*.html"), key=lambda p: int(p.stem.rpartition("-")[2]))
    overview = [out / "case-studies" / "index.html", *further]
    assert len(overview) == -(-len(studies) // PAGE_SIZE)
    linked: list[str] = []
    for page in overview:
        cards = _overview_cards(page)
        assert 0 < len(cards) <= PAGE_SIZE, page.name
        linked += [href.removesuffix(".html") for href in cards]
        pager = {a["href"] for a in _soup(page).select("article .kb-seiten a")}
        assert pager == {p.name for p in overview} - {page.name}, f"{page.name} does not link every other page"
    assert sorted(linked) == sorted(studies), "every case study on exactly one overview page"
    # The landing page shows a few cards and links the whole overview.
    landing = _soup(out / "index.html")
    more = [a for a in landing.select("article .kb-listing-mehr a") if a["href"] == "case-studies/index.html"]
    assert more and str(len(studies)) in more[0].get_text(), "no link to all case studies on the landing page"
    shown = {
        a["href"]
        for a in landing.select("article .sd-card a[href^='case-studies/']")
        if a["href"] != "case-studies/index.html"
    }
    assert 0 < len(shown) < len(studies), shown


def _sidebar_links(html: Path) -> set[str]:
    return {a["href"] for a in _soup(html).select(".sidebar-tree a[href]")}


def test_large_site_sidebar_lists_top_level_sections_and_caches_correctly(synthetic):
    full = synthetic.build("serial-full")
    assert f"case-studies/{_slug(3)}.html" in _sidebar_links(full / "index.html")
    cached = synthetic.build("serial-top-level", **SHORT_SIDEBAR)
    uncached = synthetic.build("uncached-top-level", **SHORT_SIDEBAR, kb_sidebar_cache=False)
    # the landing page's toctree: its top-level sections
    assert _sidebar_links(cached / "index.html") == {f"{entry}.html" for entry in TOCTREE_ENTRIES}
    current = _soup(cached / "case-studies" / f"{_slug(3)}.html").select(".sidebar-tree li.current > a")
    assert [a["href"] for a in current] == ["index.html"], "the page's section is not marked current"
    # The 404 page links absolutely (sphinx-notfound-page's toctree): the same short sidebar.
    notfound_links = _sidebar_links(cached / "404.html")
    assert {"/".join(href.split("/")[-2:]) for href in notfound_links} == {
        "/".join(f"{entry}.html".split("/")[-2:]) for entry in TOCTREE_ENTRIES
    }
    assert all(href.startswith("/") for href in notfound_links)
    # Reusing a sidebar must give exactly what computing it for each page gives.
    cached_files, uncached_files = digest(cached), digest(uncached)
    pages = [name for name in cached_files if name.endswith(".html")]
    assert len(pages) > 20
    assert [name for name in pages if cached_files[name] != uncached_files[name]] == []


def test_front_matter_cache_sees_a_changed_file(tmp_path):
    page = tmp_path / "seite.md"
    page.write_text("---\ndescription: erste Fassung der Beschreibung\n---\n# Titel A\n", encoding="utf-8")
    first = frontmatter.read_page(page, "seite")
    assert frontmatter.read_page(page, "seite") is first  # parsed once
    page.write_text("---\ndescription: zweite, längere Fassung der Beschreibung\n---\n# Titel B\n", encoding="utf-8")
    second = frontmatter.read_page(page, "seite")
    assert second.title == "Titel B"
    assert second.data["description"].startswith("zweite")


# -- Incremental builds of a copy of the testroot -------------------------------------


@pytest.fixture
def edited(make_app, rootdir, tmp_path):
    """(srcdir, build): build() builds the copy again as `make html` would, with kb.problems loaded."""
    srcdir = tmp_path / "src"
    shutil.copytree(rootdir / "test-kb", srcdir)
    conf = srcdir / "conf.py"
    conf.write_text(conf.read_text(encoding="utf-8") + '\nextensions += ["kb.problems"]\n', encoding="utf-8")

    def build(builddir: Path | None = None) -> SphinxTestApp:
        app = make_app("html", srcdir=srcdir, **({"builddir": builddir} if builddir else {}))
        app.build()
        return app

    return srcdir, build


def _cards(html: Path) -> dict[str, str]:
    """Card title -> link of a page's listings."""
    return {
        " ".join(card.select_one(".sd-card-title").get_text(" ").split()): card.select_one("a.sd-stretched-link")[
            "href"
        ]
        for card in _soup(html).select(".sd-card")
        if card.select_one("a.sd-stretched-link") and card.select_one(".sd-card-title")
    }


def test_incremental_build_updates_listings_after_title_change_and_removal(edited):
    src, build = edited
    page = src / "case-studies" / "sued.md"
    text = case_study(size="size: 12 Mitarbeitende").replace("Alpha GmbH", "Testbetrieb Süd AG")
    page.write_text(text.replace("(alpha)=", "(sued)="), encoding="utf-8")
    first = build()
    assert _warnings(first) == ""

    # Rename the company in the title and change a listed fact.
    page.write_text(
        page.read_text(encoding="utf-8")
        .replace("# Praxisbeispiel: Testbetrieb Süd AG", "# Praxisbeispiel: Testbetrieb Ost AG")
        .replace("size: 12 Mitarbeitende", "size: 40 Mitarbeitende"),
        encoding="utf-8",
    )
    second = build()
    assert _warnings(second) == ""
    # Only the edited page is read again; the pages listing it (its tag page too) are written again.
    assert reread(_status(second)) == {"case-studies/sued"}
    assert {"index", "tags/testtag"} <= rewritten(_status(second))
    for listing in ("index.html", "tags/testtag.html"):
        cards = _cards(second.outdir / listing)
        assert cards.get("Praxisbeispiel: Testbetrieb Ost AG", "").endswith("case-studies/sued.html"), (listing, cards)
        assert "Praxisbeispiel: Testbetrieb Süd AG" not in cards
    assert "40 Mitarbeitende" in (second.outdir / "index.html").read_text(encoding="utf-8")

    # Remove the page: the listings drop it.
    page.unlink()
    third = build()
    assert _warnings(third) == ""
    for listing in ("index.html", "tags/testtag.html"):
        assert not any("Testbetrieb" in title for title in _cards(third.outdir / listing)), listing


def _backlink_docs(html: Path, selector: str) -> set[str]:
    """The pages an "Erwähnt in" line below selector links to."""
    box = _soup(html).select_one(selector)
    return {a["href"].split("#")[0].removesuffix(".html") for a in box.select(".kb-erwaehnt a[href]")} if box else set()


def test_adding_and_removing_a_mention_updates_backlinks_incrementally(edited):
    src, build = edited
    term = "dt#term-Testbegriff + dd"
    first = build()
    assert _warnings(first) == ""
    assert not any("beta" in d for d in _backlink_docs(first.outdir / "glossary" / "index.html", term))

    page = src / "case-studies" / "beta.md"
    original = page.read_text(encoding="utf-8")
    page.write_text(original + "\nZum Vergleich: {term}`Testbegriff`.\n", encoding="utf-8")
    second = build()
    assert _warnings(second) == ""
    assert "glossary/index" not in reread(_status(second))  # written again, not read again
    assert any("beta" in d for d in _backlink_docs(second.outdir / "glossary" / "index.html", term))

    page.write_text(original, encoding="utf-8")
    third = build()
    assert _warnings(third) == ""
    assert not any("beta" in d for d in _backlink_docs(third.outdir / "glossary" / "index.html", term))


def test_removed_page_leaves_no_stale_links(edited, tmp_path):
    # A copy of a page shadows its labels (duplicate labels); removing it again must
    # give exactly the pages of a clean build.
    src, build = edited
    clean = build(tmp_path / "clean")
    assert _warnings(clean) == ""
    assert _warnings(build()) == ""
    shutil.copy(src / "case-studies" / "alpha.md", src / "case-studies" / "kopie.md")
    assert "duplicate label" in _warnings(build())
    (src / "case-studies" / "kopie.md").unlink()
    again = build()
    assert _warnings(again) == ""
    html = {k: v for k, v in digest(again.outdir).items() if k.endswith(".html")}
    assert html == {k: v for k, v in digest(clean.outdir).items() if k.endswith(".html")}


def test_label_removed_elsewhere_fails_the_page_that_uses_it(edited):
    # Only the event page changes; the case studies that refer to its label are not re-read.
    src, build = edited
    assert _warnings(build()) == ""
    event = src / "events" / "tagung.md"
    event.write_text(event.read_text(encoding="utf-8").replace("(tagung-workshop)=\n", ""), encoding="utf-8")
    line = next(
        i for i, t in enumerate((src / "case-studies" / "alpha.md").read_text().splitlines(), 1) if "{ref}" in t
    )
    for _ in range(2):
        warnings = _warnings(build())
        assert re.search(rf"case-studies/alpha\.md:{line}: WARNING: .*undefined label: 'tagung-workshop'", warnings), (
            warnings
        )
