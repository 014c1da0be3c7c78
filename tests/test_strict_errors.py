"""A contributor's mistake fails the strict build with a message naming the file and line."""

from __future__ import annotations

import re

import pytest
from conftest import copy_sources, run_sphinx

CASE = "case-studies/contall.md"


def _break(tmp_path, path: str, old: str, new: str):
    src = copy_sources(tmp_path / "src")
    file = src / path
    text = file.read_text(encoding="utf-8")
    assert old in text, old
    file.write_text(text.replace(old, new, 1), encoding="utf-8")
    return run_sphinx(src, tmp_path / "out")


def _line_of(tmp_path, path: str, needle: str) -> int:
    lines = (tmp_path / "src" / path).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


BROKEN = {
    "unknown term": (
        "steht vor dem Problem",
        "{term}`Fachkraeftemangel`: steht vor dem Problem",
        r"term not in glossary: 'Fachkraeftemangel'",
    ),
    "broken reference": (
        "{ref}`ersten Gesprächsrunde <jahrestagung-2024-gespraechsrunde>`",
        "{ref}`ersten Gesprächsrunde <jahrestagung-2024-gespraech>`",
        r"undefined label: 'jahrestagung-2024-gespraech'",
    ),
    "broken document link": (
        "Weil die Geschäfte am Telefon",
        "[Tagung](../events/tagung.md) Weil die Geschäfte am Telefon",
        r"'myst' cross-reference target not found: '../events/tagung.md'",
    ),
}


@pytest.mark.parametrize("kind", sorted(BROKEN))
def test_broken_input_fails_with_file_and_line(tmp_path, kind):
    old, new, message = BROKEN[kind]
    result = _break(tmp_path, CASE, old, new)
    assert result.returncode == 1  # 1: warnings turned errors; 2 would be a crash
    line = _line_of(tmp_path, CASE, new.split("`")[1] if "`" in new else "../events/tagung.md")
    pattern = re.escape(f"{CASE}:{line}:") + r".*" + message
    assert re.search(pattern, result.output), result.output


def test_missing_description_fails_naming_the_file(tmp_path):
    result = _break(tmp_path, CASE, "description: Praxisbeispiel", "titel: Praxisbeispiel")
    assert result.returncode == 1  # 1: warnings turned errors; 2 would be a crash
    assert re.search(re.escape(f"{CASE}:2:") + r".*Pflichtfeld „description“ fehlt", result.output), (
        result.output
    )


def test_unmodified_copy_builds_cleanly(tmp_path):
    # The control for the tests above: the copy itself is fine.
    src = copy_sources(tmp_path / "src")
    result = run_sphinx(src, tmp_path / "out")
    assert result.returncode == 0, result.output
