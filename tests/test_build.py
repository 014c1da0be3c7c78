"""The strict build succeeds, emits no warnings and builds every page."""

from __future__ import annotations


def test_strict_build_succeeds_without_warnings(build):
    assert build.returncode == 0, build.output
    assert build.warnings == [], "\n".join(build.warnings)


def test_every_source_page_is_built(site):
    for docname in site.pages():
        assert site.path(docname).is_file(), f"{docname}.md was not built"


def test_only_content_folders_become_pages(site):
    # README.md, tests/ and the snippets are not part of the site.
    built = {p.relative_to(site.root).with_suffix("").as_posix() for p in site.root.rglob("*.html")}
    built -= {"genindex", "search", "404"}  # Sphinx's index and search, the 404 page (readers)
    built -= {b for b in built if b.rpartition("/")[2].startswith("erwaehnt-")}  # long "Erwähnt in" lists
    assert built == set(site.pages())


def test_every_page_is_reachable_from_the_navigation(site):
    # Furo's sidebar renders the whole toctree (hidden toctrees included).
    nav = site.soup("index").select_one(".sidebar-tree")
    assert nav is not None
    linked = {a["href"].removesuffix(".html").split("#")[0] for a in nav.select("a[href]")}
    linked = {"index" if href in ("#", "") else href for href in linked}
    for docname in site.pages():
        if docname != "index":
            assert docname in linked, f"{docname} is not in any toctree"


def test_every_page_has_exactly_one_title(site):
    for docname in site.pages():
        assert len(site.main(docname).find_all("h1")) == 1, docname
