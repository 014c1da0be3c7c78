"""The tests outlive today's content: a page of each kind added the documented way keeps them green.

conftest.py makes a copy of the site with one new case study, event, topic page,
tag, actor and glossary term (support.build.add_example_pages: the page
templates via kb.newpage, as `make new-*` does, and the entry syntax
CONTRIBUTING.md shows) and builds it once per session. Every test of the
site-level modules (conftest.SITE_MODULES) that uses the built site runs on the
real site and on this copy, and every list they derive from the metadata
includes the new pages. This module checks the copy itself.
"""

from __future__ import annotations

from pathlib import Path

from conftest import EXAMPLES, ROOT, ROOTS, SITE_MODULES, VARIANTS, front_matter, site_build


def test_example_pages_are_added_like_a_contributor_would(tmp_path_factory):
    made = EXAMPLES
    assert set(made) == {"case-study", "event", "topic", "tag", "actor", "term"}
    for kind in ("case-study", "event", "topic", "tag"):
        assert (ROOTS["examples"] / f"{made[kind]}.md").is_file()
        assert (ROOT / f"{made[kind]}.md").exists() is False
    result = site_build("examples", tmp_path_factory)
    assert result.returncode == 0, result.output
    html = (result.outdir / "actors" / "index.html").read_text(encoding="utf-8")
    assert made["actor"] in html


def test_site_tests_run_on_both_sites(request):
    assert front_matter("index")  # the real site is untouched
    # Every site-level module's tests that use the built site are collected for both sites.
    variants = {
        item.callspec.params["variant"]
        for item in request.session.items
        if item.module.__name__ in SITE_MODULES and "variant" in getattr(getattr(item, "callspec", None), "params", {})
    }
    assert SITE_MODULES <= {path.stem for path in Path(__file__).parent.glob("test_*.py")}
    if any(item.module.__name__ in SITE_MODULES for item in request.session.items):  # (not when run alone)
        assert variants == set(VARIANTS)
