"""Long "Erwähnt in" lists (kb.backlinks_pages): the first mentions on the entry, all on a page of their own.

Erika Muster is mentioned on three pages of the testroot; with ``kb_backlinks_shown = 1``
and ``kb_backlinks_page_size = 2`` her entry shows one mention and a link to all three,
which are listed on two pages that link to each other. The PDF keeps the whole list.
"""

from __future__ import annotations

import posixpath

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
