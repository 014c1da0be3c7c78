"""Long "Erwähnt in" lists (kb.backlinks_pages): the first mentions on the entry, all on a page of their own.

Erika Muster is mentioned on three pages of the testroot; with ``kb_backlinks_shown = 1``
and ``kb_backlinks_page_size = 2`` her entry shows one mention and a link to all three,
which are listed on two pages that link to each other. The PDF keeps the whole list.
An incremental build after an entry (or the page holding it) is removed or moved
leaves the same full-list pages as a clean build.
"""

from __future__ import annotations

import posixpath
import shutil

import pytest
from bs4 import BeautifulSoup

SMALL = {"kb_backlinks_shown": 1, "kb_backlinks_page_size": 2}
ENTRY = "actors/index"


def mentions_line(html: str):
    soup = BeautifulSoup(html, "html.parser")
    return soup.select_one("dt#akteur-erika-muster").find_next_sibling("dd").select_one(".kb-erwaehnt")


def test_entry_shows_first_mentions_and_links_to_all(kb_build):
    built = kb_build(confoverrides=SMALL)
    line = mentions_line(built.html(ENTRY))
    more = line.select_one("a.kb-erwaehnt-mehr")
    assert more is not None and more.get_text() == "alle 3 Erwähnungen"
    assert len(line.select("a")) == 2  # one mention and the link to all
    first = posixpath.normpath(posixpath.join("actors", more["href"])).removesuffix(".html")
    listed, pages, todo = [], set(), [first]
    while todo:
        name = todo.pop(0)
        pages.add(name)
        soup = BeautifulSoup(built.html(name), "html.parser")
        assert soup.select_one("h1").get_text().startswith("Erwähnt: Erika Muster")
        listed += [a["href"] for a in soup.select("ul.kb-erwaehnt-alle a")]
        for a in soup.select("ul.kb-seiten a"):
            other = posixpath.normpath(posixpath.join("actors", a["href"])).removesuffix(".html")
            if other not in pages and other not in todo:
                todo.append(other)
    assert len(pages) == 2 and len(listed) == 3
    assert {h.split("#")[0] for h in listed} == {
        "../case-studies/alpha.html",
        "../case-studies/beta.html",
        "../events/tagung.html",
    }


def test_short_lists_stay_whole(kb_build):
    built = kb_build()
    line = mentions_line(built.html(ENTRY))
    assert line.select_one("a.kb-erwaehnt-mehr") is None
    assert len(line.select("a")) == 3
    assert not list((built.app.outdir / "actors").glob("erwaehnt-*.html"))


def test_full_list_pages_go_when_the_list_gets_short(kb_build):
    from sphinx.testing.util import SphinxTestApp

    built = kb_build(confoverrides=SMALL)
    folder = built.app.outdir / "actors"
    assert len(list(folder.glob("erwaehnt-akteur-erika-muster*.html"))) == 2
    (built.srcdir / "case-studies/beta.md").unlink()  # three mentions -> two: one page of two
    again = SphinxTestApp("html", srcdir=built.srcdir, confoverrides=SMALL)
    try:
        again.build()
    finally:
        again.cleanup()
    assert [p.name for p in folder.glob("erwaehnt-akteur-erika-muster*.html")] == ["erwaehnt-akteur-erika-muster.html"]


# -- Incremental builds: an entry removed, its page removed or moved ---------------------

WITHOUT_ERIKA = """---
description: Die Akteure der Testbasis mit ihren Rollen.
---

# Akteure

:::{akteur} Max Beispiel

Berater in den schnellen Tests.
:::
"""


def _remove_entry(src):
    (src / "actors/index.md").write_text(WITHOUT_ERIKA, encoding="utf-8")


def _remove_term(src):
    (src / "glossary/index.md").write_text(
        "---\ndescription: Das Glossar der Testbasis ohne Begriff.\n---\n\n# Glossar\n\nNoch kein Begriff.\n",
        encoding="utf-8",
    )


def _remove_page(src):
    (src / "actors/index.md").unlink()


def _move_page(src):
    (src / "leute").mkdir()
    (src / "actors/index.md").rename(src / "leute/index.md")
    index = src / "index.md"
    index.write_text(index.read_text(encoding="utf-8").replace("actors/index", "leute/index"), encoding="utf-8")


def _pages(outdir) -> set[str]:
    return {p.relative_to(outdir).as_posix() for p in outdir.rglob("*.html") if not p.name.startswith("_")}


def _rebuild(srcdir, outdir=None, parallel=0, confoverrides=None):
    from sphinx.testing.util import SphinxTestApp

    app = SphinxTestApp("html", srcdir=srcdir, builddir=outdir, parallel=parallel, confoverrides=confoverrides)
    try:
        app.build()
    finally:
        app.cleanup()
    return app.outdir


@pytest.mark.parametrize(
    ("edit", "config", "parallel"),
    [
        (_remove_entry, SMALL, 0),
        (_remove_term, {**SMALL, "kb_backlinks_shown": 0}, 0),
        (_remove_page, SMALL, 0),
        (_move_page, SMALL, 2),
    ],
    ids=["entry-removed", "term-removed", "page-removed", "page-moved-j2"],
)
def test_incremental_build_leaves_the_full_lists_of_a_clean_build(kb_build, rootdir, tmp_path, edit, config, parallel):
    # With kb.problems, as `make html` builds: it deletes the output of a removed page.
    conf = (rootdir / "test-kb/conf.py").read_text(encoding="utf-8") + '\nextensions += ["kb.problems"]\n'
    built = kb_build(files={"conf.py": conf}, confoverrides=config)
    before = {p for p in _pages(built.app.outdir) if "/erwaehnt-" in p}
    assert before, "the testroot should have full-list pages to begin with"
    edit(built.srcdir)
    incremental = _rebuild(built.srcdir, parallel=parallel, confoverrides=config)
    clean_src = tmp_path / "clean"
    shutil.copytree(built.srcdir, clean_src, ignore=shutil.ignore_patterns("_build"))
    clean = _rebuild(clean_src, tmp_path / "clean-build", confoverrides=config)
    assert _pages(incremental) == _pages(clean)  # no stale page, every new one
    for page in _pages(incremental):  # and nothing links to a page that is gone
        soup = BeautifulSoup((incremental / page).read_text(encoding="utf-8"), "html.parser")
        for a in soup.select("a[href*='erwaehnt-']"):
            target = posixpath.normpath(posixpath.join(posixpath.dirname(page), a["href"].split("#")[0]))
            assert (incremental / target).is_file(), (page, a["href"])


def test_mention_pages_share_their_folders_cached_sidebar(kb_build, monkeypatch):
    """kb.navigation gives the "Erwähnt" pages (no documents) their folder's sidebar, as furo would."""
    import kb.navigation

    served: list[str] = []
    original = kb.navigation.full_sidebar
    monkeypatch.setattr(kb.navigation, "full_sidebar", lambda app, name: served.append(name) or original(app, name))
    theme = {**SMALL, "html_theme": "furo"}
    cached = kb_build(confoverrides=theme)
    pages = sorted((cached.app.outdir / "actors").glob("erwaehnt-*.html"))
    assert len(pages) == 2
    assert {f"actors/{p.stem}" for p in pages} <= set(served)  # from the cache, not computed per page
    fresh = kb_build(confoverrides={**theme, "kb_sidebar_cache": False})
    for page in pages:
        assert page.read_text(encoding="utf-8") == (fresh.app.outdir / "actors" / page.name).read_text(encoding="utf-8")
