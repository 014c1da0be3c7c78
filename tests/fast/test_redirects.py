"""redirects.yml (kb.redirects): shipped valid, the documented line appends, mistakes in German at their line."""

from __future__ import annotations

import re

import pytest
from support.build import ROOT

from kb.redirects import EXAMPLE_LINE, read_moves


def test_shipped_file_is_valid_and_the_documented_line_appends(tmp_path):
    contributing = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    section = contributing[contributing.index("## Seiten verschieben oder umbenennen") :]
    documented = re.search(r"```yaml\n(.+?)\n```", section, re.S).group(1)
    assert documented == EXAMPLE_LINE
    path = tmp_path / "redirects.yml"
    shipped = (ROOT / "redirects.yml").read_text(encoding="utf-8")
    path.write_text(shipped, encoding="utf-8")
    assert read_moves(path) == ({}, {}, [])
    path.write_text(shipped + documented + "\n", encoding="utf-8")
    moves, lines, problems = read_moves(path)
    assert problems == []
    assert moves == {"case-studies/contall": "case-studies/contall-gmbh"}
    assert lines["case-studies/contall"] == len(shipped.splitlines()) + 1


@pytest.mark.parametrize(
    ("line", "start"),
    [
        ("case-studies/a case-studies/b", "Die Datei redirects.yml ist kein gültiges YAML"),
        ("case-studies/a: [case-studies/b", "Die Datei redirects.yml ist kein gültiges YAML"),
        ("case-studies/a:\tcase-studies/b", "Die Datei redirects.yml ist kein gültiges YAML"),
        ("case-studies/a.md: case-studies/b.md", "Die Seiten in redirects.yml stehen ohne „.md“"),
        ("/case-studies/a: case-studies/b", "Die Seiten in redirects.yml stehen ohne „.md“"),
        ("case-studies/a:", "Die Zeile in redirects.yml braucht die alte und die neue Seite"),
        ("- case-studies/a: case-studies/b", "Die Datei redirects.yml ist kein gültiges YAML"),
    ],
)
def test_a_mistake_is_german_at_its_line(tmp_path, line, start):
    path = tmp_path / "redirects.yml"
    shipped = (ROOT / "redirects.yml").read_text(encoding="utf-8")
    path.write_text(shipped + EXAMPLE_LINE + "\n" + line + "\n", encoding="utf-8")
    _, _, problems = read_moves(path)
    assert len(problems) == 1, problems
    message, at = problems[0]
    assert message.startswith(start), message
    assert at == len(shipped.splitlines()) + 2, (message, at)


def test_a_list_instead_of_lines_is_named(tmp_path):
    path = tmp_path / "redirects.yml"
    path.write_text("- case-studies/a: case-studies/b\n", encoding="utf-8")
    assert read_moves(path)[2] == [
        (
            f"Die Datei redirects.yml muss aus Zeilen „feld: wert“ bestehen: wie in dem Beispiel oben in redirects.yml "
            f"({EXAMPLE_LINE}) schreiben: {EXAMPLE_LINE}",
            1,
        )
    ]
