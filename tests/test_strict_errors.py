"""A contributor's mistake in a real page fails the strict build with a message naming the file and line.

The mistakes are conftest.MUTATIONS, put into a case study of the session's
broken-corpus copy (conftest.corpus_builds); these tests read its logs.
"""

from __future__ import annotations

import re

import pytest
from conftest import MUTATIONS, reported

# One pytest-xdist worker runs this module: its session fixtures are expensive (Makefile, TEST_WORKERS).
pytestmark = pytest.mark.xdist_group("corpus")

CASE = "case-studies/contall.md"

# kind -> (the mistaken text, found in MUTATIONS; what marks its line; message)
BROKEN = {
    "unknown term": ("{term}`Fachkraeftemangel`", "Fachkraeftemangel", r"term not in glossary: 'Fachkraeftemangel'"),
    "broken reference": (
        "<jahrestagung-2024-gespraech>`",
        "jahrestagung-2024-gespraech>",
        r"undefined label: 'jahrestagung-2024-gespraech'",
    ),
    "broken document link": (
        "[Tagung](../events/tagung.md)",
        "../events/tagung.md",
        r"'myst' cross-reference target not found: '../events/tagung.md'",
    ),
}


@pytest.mark.parametrize("kind", sorted(BROKEN))
def test_broken_input_fails_with_file_and_line(corpus_builds, kind):
    mistake, needle, message = BROKEN[kind]
    assert any(path == CASE and mistake in new for path, _old, new in MUTATIONS), kind
    for result in (corpus_builds.first, corpus_builds.repeated):
        assert result.returncode == 1  # 1: warnings turned errors; 2 would be a crash
        line = corpus_builds.line_of(CASE, needle)
        pattern = re.escape(f"{CASE}:{line}:") + r".*" + message
        assert re.search(pattern, result.output), result.output


def test_missing_description_fails_naming_the_file(corpus_builds):
    assert (CASE, "description: Praxisbeispiel", "titel: Praxisbeispiel") in MUTATIONS
    result = corpus_builds.first
    assert result.returncode == 1  # 1: warnings turned errors; 2 would be a crash
    assert reported(result.output, CASE, 2, r".*Pflichtfeld „description“ fehlt"), result.output


def test_unmodified_copy_builds_cleanly(build):
    # The control for the tests above: the site itself (the session's build) is fine.
    assert build.returncode == 0, build.output
