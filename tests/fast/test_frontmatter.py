"""kb.frontmatter: parsing, line numbers, errors a contributor can act on."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from kb.frontmatter import (
    FastLoader,
    FrontMatterError,
    Loader,
    _line_map,
    _load,
    filled,
    front_matter,
    page_or_none,
    parse_page,
    read_page,
)


def parse(text: str):
    return parse_page(text, Path("seite.md"), "seite")


def test_fields_keep_their_lines_and_dates_stay_text():
    page = parse("---\ndescription: Eine Seite.\ndate: 2024-11-19\npeople:\n  - name: A\n---\n\n# Titel\n")
    assert page.data["date"] == "2024-11-19"
    assert page.lines[("description",)] == 2
    assert page.lines[("date",)] == 3
    assert page.lines[("people", 0, "name")] == 5
    assert page.title == "Titel"


def test_libyaml_and_pyyaml_read_the_same_data_and_lines():
    text = "title: „Zitat“ & mehr\ndate: 2024-11-19\nyes: no\nlist:\n  - a\n  - b: 1\n    c: [x, y]\n"
    fast, slow = (_load(loader, text) for loader in (FastLoader, Loader))
    assert FastLoader.__mro__[1] is not yaml.SafeLoader  # the C loader is in use
    assert fast[0] == slow[0] and fast[0]["date"] == "2024-11-19"
    assert _line_map(fast[1], 2) == _line_map(slow[1], 2)


def test_page_without_front_matter_has_empty_data_and_its_title():
    page = parse("# Nur ein Titel\n\nText.\n")
    assert page.data == {} and page.title == "Nur ein Titel"


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("---\ndescription: x\n\n# Titel\n", 1, "Schlusszeile ---"),
        ("---\ndescription: x\nsummary: [a\n---\n", 4, "kein gültiges YAML"),
        ("---\ndescription: x\n  bad: indent\n---\n", 3, "kein gültiges YAML"),
        ("---\n- a\n- b\n---\n", 2, "„feld: wert“"),
        # libyaml rejects it; PyYAML's message names the tab, so the hint can say what to do
        ("---\ndescription: x\npeople:\n\t- name: A\n---\n", 4, "Tabulatorzeichen"),
        ("---\ndescription: x\ncity:\tBerlin\n---\n", 3, "Tabulatorzeichen"),  # libyaml would accept it
    ],
)
def test_broken_front_matter_names_a_line(text, line, words):
    with pytest.raises(FrontMatterError) as caught:
        parse(text)
    assert caught.value.line == line
    assert words in str(caught.value)


def test_read_page_is_cached_per_file_version(tmp_path):
    path = tmp_path / "seite.md"
    path.write_text("---\ndescription: eins\n---\n# T\n", encoding="utf-8")
    first = read_page(path, "seite")
    assert read_page(path, "seite") is first
    path.write_text("---\ndescription: zwei und mehr\n---\n# T\n", encoding="utf-8")
    assert read_page(path, "seite").data["description"] == "zwei und mehr"


def test_page_or_none_and_front_matter(tmp_path):
    broken = tmp_path / "kaputt.md"
    broken.write_text("---\ndescription: [\n---\n", encoding="utf-8")
    assert page_or_none(broken, "kaputt") is None
    good = tmp_path / "gut.md"
    good.write_text("---\ntype: tag\n---\n# Gut\n", encoding="utf-8")
    assert front_matter(good) == {"type": "tag"}


def test_filled_ignores_placeholders_and_non_text():
    assert filled("Halle (Saale)") == "Halle (Saale)"
    assert filled("AUSFÜLLEN: Ort") == ""
    assert filled(None) == "" and filled(3) == ""
