"""Exact lines by mutation (kb.source_checks, kb.frontmatter): each message kind, the mistake put on
every line of a real page where it can stand in turn, the reported line asserted. No build: the
checks are functions of the page's lines."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from support.build import ROOT, source_pages

from kb.frontmatter import FrontMatterError, parse_page
from kb.source_checks import check_lines

PAGES = [p for p in source_pages() if p != "index"]


def _lines(docname):
    return (ROOT / f"{docname}.md").read_text(encoding="utf-8").split("\n")


def _body(lines):
    """Indices of body lines outside code fences."""
    start = lines[1:].index("---") + 2 if lines and lines[0] == "---" else 0
    return list(range(start, len(lines)))


def _reported(lines, docname="x"):
    return {(line, subtype) for line, _, subtype in check_lines(docname, lines)}


@pytest.mark.parametrize("docname", PAGES)
def test_real_pages_have_no_slips(docname):
    assert check_lines(docname, _lines(docname)) == []


# (name, line filter, mutation of the line, subtype): the mutation applies to each matching line.
BODY_KINDS = [
    (
        "zero-width space",
        r"[A-Za-zäöü]{6}",
        lambda s: re.sub(r"([A-Za-zäöü]{3})([A-Za-zäöü]{3})", "\\1\u200b\\2", s, count=1),
        "char",
    ),
    ("heading without space", r"^#{1,6} \S", lambda s: re.sub(r"^(#+) ", r"\1", s), "heading"),
    (
        "role without closing backtick",
        r"\{(term|akteur|ref)\}`[^`]+`",
        lambda s: re.sub(r"(\{\w+\}`[^`]+)`", r"\1", s, count=1),
        "role",
    ),
    ("role without brace", r"\{(term|akteur|ref)\}`[^`]+`", lambda s: re.sub(r"\{(\w+\}`)", r"\1", s, count=1), "role"),
    (
        "no-break space in a role",
        r"\{(term|akteur)\}`[^`]* [^`]*`",
        lambda s: re.sub(r"(\{\w+\}`[^` ]*) ", "\\1\u00a0", s, count=1),
        "char",
    ),
    ("tab indentation", r"^ {2,}\S", lambda s: "\t" + s.lstrip(" "), "tab"),
    ("label without =", r"^\([\w.-]+\)=$", lambda s: s[:-1], "label"),
    ("broken closing line", r"^:::$", lambda s: "::", "fence"),
]


@pytest.mark.parametrize(("name", "where", "mutate", "subtype"), BODY_KINDS, ids=[k[0] for k in BODY_KINDS])
def test_each_mistake_on_each_line_is_reported_there(name, where, mutate, subtype):
    tried = 0
    for docname in PAGES:
        lines = _lines(docname)
        for index in _body(lines):
            if not re.search(where, lines[index]):
                continue
            mutated = list(lines)
            mutated[index] = mutate(lines[index])
            assert mutated[index] != lines[index]
            reported = _reported(mutated, docname)
            assert (index + 1, subtype) in reported, (docname, index + 1, mutated[index], reported)
            tried += 1
    assert tried > 0, name


def test_a_duplicated_line_is_reported_at_the_copy():
    lines = _lines("case-studies/contall")
    for index in _body(lines):
        if lines[index].strip() and not re.match(r"^\s*(:::|```|\||-{3})", lines[index]):
            mutated = lines[: index + 1] + [lines[index]] + lines[index + 1 :]
            assert (index + 2, "duplicate") in _reported(mutated), index


def test_a_glossary_term_defined_twice_names_both_lines():
    lines = _lines("glossary/index")
    terms = [i for i in _body(lines) if re.match(r"^[^\s:`#(|<].*$", lines[i]) and lines[i + 1].startswith("  ")]
    assert len(terms) > 10
    first, last = terms[0], terms[-1]
    mutated = lines[:last] + [lines[first], lines[first + 1]] + lines[last:]  # under another letter
    problems = [
        (line, message) for line, message, subtype in check_lines("glossary/index", mutated) if subtype == "glossary"
    ]
    assert [line for line, _ in problems] == [last + 1], problems
    assert f"Zeile {first + 1}" in problems[0][1]


# Front matter: each line of each page's front matter in turn.
FM_KINDS = [
    ("no-break space in a field name", lambda s: s.replace(":", "\u00a0:", 1), "geschütztes Leerzeichen"),
    ("zero-width space", lambda s: s[:1] + "\u200b" + s[1:], "breitenloses Leerzeichen"),
    ("colon look-alike", lambda s: s.replace(":", "\uff1a", 1), "Doppelpunkt-Ersatz"),
    (
        "typographic quotes",
        lambda s: re.sub(r":\s*(\S.*)$", lambda m: ": „" + m.group(1).strip('"') + "“", s),
        "typografischen",
    ),
    ("field written twice", None, "steht zweimal"),
]


@pytest.mark.parametrize(("name", "mutate", "words"), FM_KINDS, ids=[k[0] for k in FM_KINDS])
def test_front_matter_mistakes_on_each_line(name, mutate, words):
    tried = 0
    for docname in PAGES:
        lines = _lines(docname)
        end = lines[1:].index("---") + 1
        for index in range(1, end):
            if not re.match(r"^[A-Za-z_][\w-]*:\s*\S", lines[index]):
                continue
            if mutate is None:
                mutated, expected = lines[: index + 1] + [lines[index]] + lines[index + 1 :], index + 2
            else:
                mutated, expected = list(lines), index + 1
                mutated[index] = mutate(lines[index])
            with pytest.raises(FrontMatterError) as raised:
                parse_page("\n".join(mutated), Path(f"{docname}.md"), docname)
            assert raised.value.line == expected, (docname, expected, str(raised.value))
            assert words in str(raised.value)
            tried += 1
    assert tried > 20, name


@pytest.mark.parametrize("template", sorted(p.name for p in (ROOT / "templates").glob("*.md")))
def test_page_templates_have_no_slips(template):
    # A page made with `make new-*` must build: its template's comment lines (%) above labels included.
    lines = (ROOT / "templates" / template).read_text(encoding="utf-8").split("\n")
    assert check_lines(template, lines) == []
