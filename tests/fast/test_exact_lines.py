"""Exact lines of the doctree checks (kb.checks, kb.images, kb.authoring's card links), by mutation.

MyST gives a paragraph's nodes the paragraph's first line; with one sentence per line the
message must name the sentence. Each mistake is put on every line of running text of a real
page in turn (one copy of the page per line, all in one in-process build of the testroot),
and the reported line is asserted.
"""

from __future__ import annotations

import re

from support.build import ROOT
from support.mutations import Page

from kb.frontmatter import PLACEHOLDER

PAGE = "praxis/index"  # a page with many paragraphs of several lines
EXTENSIONS = ["kb.metadata", "kb.graph", "kb.checks", "kb.smartquotes", "kb.images"]
# (name, mutation of the line, words of the message): each applied to each line of running text.
KINDS = [
    ("placeholder", lambda s: f"{s} {PLACEHOLDER}", f"Der Platzhalter „{PLACEHOLDER}“"),
    ("image without alt text", lambda s: f"{s} ![](bild.png)", "hat keinen Alternativtext"),
    ("raw script", lambda s: f"{s} <script>alert(1)</script>", "ist im Inhalt nicht erlaubt"),
    ("unknown term", lambda s: f"{s} {{term}}`Xyzunbekannt`", "term not in glossary: 'Xyzunbekannt'"),
    ("unknown label", lambda s: f"{s} {{ref}}`xyz-unbekannt`", "undefined label: 'xyz-unbekannt'"),
]


def test_each_doctree_mistake_on_each_line_is_reported_there(kb_build):
    text = (ROOT / f"{PAGE}.md").read_text(encoding="utf-8")
    page = Page.parse(PAGE, text)
    # Labels become comments: the copies would define them again (numbers unchanged).
    lines = [re.sub(r"^\(([\w.-]+)\)=$", r"% \1", line) for line in page.lines]
    prose = page.prose()
    # One copy per position in a paragraph: the mistake on the n-th line of every paragraph at once
    # (one mistake per paragraph, so each message belongs to one line).
    paragraphs: list[list[int]] = []
    for index in prose:
        if paragraphs and paragraphs[-1][-1] == index - 1:
            paragraphs[-1].append(index)
        else:
            paragraphs.append([index])
    assert len(prose) > 10 and max(map(len, paragraphs)) > 2  # paragraphs of several lines
    files, expected = {}, {}
    for number, (_name, mutate, words) in enumerate(KINDS):
        for position in range(max(map(len, paragraphs))):
            mutated = list(lines)
            docname = f"mut/k{number}-{position}"
            for paragraph in paragraphs:
                if position < len(paragraph):
                    mutated[paragraph[position]] = mutate(lines[paragraph[position]])
            files[f"{docname}.md"] = "\n".join(mutated)
            expected[docname] = (sorted(p[position] + 1 for p in paragraphs if position < len(p)), words)
    built = kb_build(files, confoverrides={"extensions": [*EXTENSIONS, "kb.source_checks"]})
    wrong = []
    for docname, (lines_meant, words) in expected.items():
        found = re.findall(rf"/{re.escape(docname)}\.md:(\d+): WARNING: [^\n]*{re.escape(words)}", built.warnings)
        if sorted(map(int, found)) != lines_meant:
            wrong.append((docname, lines_meant, found))
    assert not wrong, wrong


def test_a_card_link_without_link_type_is_named_at_its_link_line(kb_build):
    tagung = (ROOT / "tests/fast/roots/test-kb/events/tagung.md").read_text(encoding="utf-8")
    card = (
        "::::{grid} 1\n\n:::{grid-item-card} Titel\n:class-card: x\n:link: ../case-studies/alpha\n\nText.\n:::\n::::\n"
    )
    page = tagung.rstrip("\n") + "\n\n" + card
    line = page.split("\n").index(":link: ../case-studies/alpha") + 1
    built = kb_build({"events/tagung.md": page}, confoverrides={"extensions": [*EXTENSIONS, "kb.authoring"]})
    found = re.findall(r"/events/tagung\.md:(\d+): WARNING: Der Karten-Link", built.warnings)
    assert found == [str(line)], built.warnings


def test_block_errors_name_the_option_or_row_line(kb_build):
    """A block's error about one of its lines (an option, a row) names that line, not the opening one."""
    root = ROOT / "tests/fast/roots/test-kb"
    actors = (root / "actors/index.md").read_text(encoding="utf-8").rstrip("\n")
    actors += "\n\n:::{akteur} Max Probe\n:auch: Frau Muster\n\nEin zweiter Eintrag.\n:::\n"
    index = (root / "index.md").read_text(encoding="utf-8").replace(":columns: 1", ":columns: 1 2 3")
    alpha = (root / "case-studies/alpha.md").read_text(encoding="utf-8")
    alpha = alpha.replace("| Ausgangslage | Ein Test. |", "| Ausgangslage | Ein Test. |\nKein Tabellenzeile.")
    built = kb_build(
        {"actors/index.md": actors, "index.md": index, "case-studies/alpha.md": alpha},
        confoverrides={"extensions": EXTENSIONS},
    )
    expected = {
        "actors/index.md": (actors.split("\n").index(":auch: Frau Muster", 10) + 1, "steht schon in der Akteursliste"),
        "index.md": (index.split("\n").index(":columns: 1 2 3") + 1, "ungültige Option :columns:"),
        "case-studies/alpha.md": (alpha.split("\n").index("Kein Tabellenzeile.") + 1, "nur Tabellenzeilen"),
    }
    for path, (line, words) in expected.items():
        found = re.findall(rf"/{re.escape(path)}:(\d+): (?:ERROR|WARNING): [^\n]*{re.escape(words)}", built.warnings)
        assert found == [str(line)], (path, line, built.warnings)


def test_a_typo_in_a_required_field_name_is_named_at_its_line():
    """Each required top-level field of each real page, its name misspelt: the message names that line."""
    from support.build import source_pages

    from kb.frontmatter import parse_page, schema_validator
    from kb.schema import validate

    tried = 0
    for docname in source_pages():
        path = ROOT / f"{docname}.md"
        lines = path.read_text(encoding="utf-8").split("\n")
        data = parse_page("\n".join(lines), path, docname).data
        ptype = data.get("type") if (ROOT / "schemas" / f"{data.get('type')}.schema.yaml").is_file() else None
        required = schema_validator(ROOT / "schemas" / f"{ptype or 'common'}.schema.yaml").schema["required"]
        for index in range(1, lines[1:].index("---") + 1):
            match = re.match(r"^([a-z_]{4,}):", lines[index])
            if not match or match.group(1) not in required:
                continue
            mutated = list(lines)
            key = match.group(1)
            mutated[index] = key[:2] + key[3:] + lines[index][len(key) :]  # a letter dropped
            page = parse_page("\n".join(mutated), path, docname)
            problems = [(m, n) for m, n in validate(ROOT / "schemas", page, ptype) if f"Pflichtfeld „{key}“" in m]
            assert [n for _, n in problems] == [index + 1], (docname, index + 1, problems)
            tried += 1
    assert tried > 20
