"""The tests outlive today's content: a page of each kind added the documented way keeps them green.

A copy of the site gets one new case study, event, topic page, tag, actor and
glossary term (kb.testing.add_example_pages: the page templates via
kb.newpage, as `make new-*` does, and the entry syntax CONTRIBUTING.md
shows). Then the site-level test modules run again, in a pytest subprocess
whose KB_ROOT points at the copy, so every list they derive from the metadata
now includes the new pages.
"""

from __future__ import annotations

import os
import subprocess
import sys

from conftest import ROOT, add_example_pages, copy_sources, front_matter, run_sphinx

# The modules that check the built site as a whole. The browser, PDF and
# contributor-error modules build their own variants of the real site.
SITE_TESTS = [
    "test_build.py",
    "test_content.py",
    "test_discovery.py",
    "test_glossary.py",
    "test_graph.py",
    "test_jsonld.py",
    "test_links.py",
    "test_meta.py",
    "test_metadata.py",
]


def test_example_pages_are_added_like_a_contributor_would(tmp_path):
    src = copy_sources(tmp_path / "src")
    made = add_example_pages(src)
    assert set(made) == {"case-study", "event", "topic", "tag", "actor", "term"}
    for kind in ("case-study", "event", "topic", "tag"):
        assert (src / f"{made[kind]}.md").is_file()
        assert (ROOT / f"{made[kind]}.md").exists() is False
    result = run_sphinx(src, tmp_path / "html")
    assert result.returncode == 0, result.output
    html = (tmp_path / "html" / "actors" / "index.html").read_text(encoding="utf-8")
    assert made["actor"] in html


def test_site_tests_pass_with_a_new_page_of_each_kind(tmp_path):
    src = copy_sources(tmp_path / "src")
    made = add_example_pages(src)
    assert front_matter("index")  # the real site is untouched
    env = {**os.environ, "KB_ROOT": str(src), "NO_COLOR": "1"}
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-x", *SITE_TESTS],
        cwd=ROOT / "tests" if (ROOT / "tests").is_dir() else os.path.dirname(__file__),
        env=env,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, f"with {made}:\n{proc.stdout[-6000:]}{proc.stderr[-2000:]}"
