"""Every broken input in tests/broken/ fails the strict build with a message naming file and line.

The corpus mirrors the content folders: tests/broken/<folder>/<page>.md is copied
into <folder>/ of a copy of the sources, and all of it is built twice per session
(conftest.corpus_builds).
"""

from __future__ import annotations

import re

import pytest
from conftest import CORPUS, CRASHES, MUTATIONS, reported

# One pytest-xdist worker runs this module: its session fixtures are expensive (Makefile, TEST_WORKERS).
pytestmark = pytest.mark.xdist_group("corpus")

# page -> [(line, message pattern)]: what the build must say about it.
EXPECTED = {
    "glossary/unknown-term.md": [(10, r"term not in glossary: 'Gibtsnicht'")],
    "glossary/unknown-actor.md": [
        (10, r"Der Name „Erika Gibtsnicht“ steht nicht in der Akteursliste \(actors/index\.md\)")
    ],
    "glossary/unknown-tag.md": [(6, r"Feld „topics“ nennt das Schlagwort „Gibtsnicht“, das keine Seite in tags/ hat")],
    "glossary/broken-ref.md": [(10, r"undefined label: 'gibt-es-nicht'")],
    "glossary/broken-doc-link.md": [(10, r"cross-reference target not found: 'nirgends\.md'")],
    "glossary/unknown-directive.md": [(10, r"Unknown directive type: 'hinweisbox'")],
    "glossary/duplicate-label.md": [(9, r"duplicate label contall")],
    "glossary/malformed-yaml.md": [(4, r"Der Kopf der Seite \(zwischen den ---\) ist kein gültiges YAML")],
    "glossary/missing-metadata.md": [(2, r"Pflichtfeld „summary“ fehlt im Kopf der Seite")],
    "glossary/image-no-alt.md": [(10, r"Das Bild „[\w/-]*bild\.png“ hat keinen Alternativtext")],
    "glossary/raw-script.md": [(10, r"Der HTML-Code „<script“ ist im Inhalt nicht erlaubt")],
    "glossary/raw-iframe.md": [(10, r"Der HTML-Code „<iframe“ ist im Inhalt nicht erlaubt")],
    "glossary/inline-handler.md": [(10, r"Der HTML-Code „onclick=“ ist im Inhalt nicht erlaubt")],
    "glossary/unrendered-directive.md": [(12, r"Der Block „```\{note\}“ wurde nicht umgesetzt")],
    "glossary/placeholder-left.md": [
        (4, r"Feld „summary“ enthält noch den Platzhalter „AUSFÜLLEN“"),
        (10, r"Der Platzhalter „AUSFÜLLEN“ aus der Vorlage steht noch im Text"),
    ],
    "case-studies/bad-metadata.md": [
        (8, r'Feld „size“ braucht einen Text oder bleibt leer \(z\. B\. size: "12"\), gefunden: 12\.'),
        (9, r"Feld „people“ braucht eine Liste, gefunden: 'Erika Muster'"),
        (10, r"Feld „topics“ braucht mindestens 1 Eintrag, gefunden: \[\]"),
        (12, r"Feld „session“ braucht ein Label aus Kleinbuchstaben"),
        (15, r"Unbekanntes Feld „branche“ im Kopf der Seite"),
    ],
    # The summary is shown by the listings' cards: reported at its line, not at the listings.
    "case-studies/summary-unknown-term.md": [(13, r"term not in glossary: 'Gibtsnichtimglossar'")],
    "case-studies/unknown-label.md": [
        (12, r"Feld „session“ nennt das Label „jahrestagung-2024-podium“, das keine Seite definiert")
    ],
    "events/impossible-date.md": [
        (
            4,
            r"Feld „date“ braucht ein Datum, das es gibt, geschrieben JJJJ-MM-TT \(z\. B\. 2024-11-19\), gefunden: '2024-11-31'",
        )
    ],
    "events/swapped-date.md": [
        (
            4,
            r"Feld „date“ braucht ein Datum, das es gibt, geschrieben JJJJ-MM-TT \(z\. B\. 2024-11-19\), gefunden: '2024-19-11'",
        )
    ],
    "events/tab-in-front-matter.md": [(6, r"found character '\\t' that cannot start any token.*Tabulatorzeichen")],
    "glossary/latin1.md": [(2, r"Die Datei ist nicht in UTF-8 gespeichert")],
    "glossary/bom.md": [(1, r"Die Datei beginnt mit einer Byte-Order-Markierung \(BOM\)")],
    "glossary/unclosed-fence.md": [(12, r"Der Block ':::\{note\}' wird nie geschlossen")],
    "glossary/card-without-link-type.md": [(13, r"Der Karten-Link 'contall' führt ins Leere")],
    "impressum.md": [(1, r"Die Datei impressum\.md wird nicht gebaut")],
    "neuer-ordner/seite.md": [(1, r"Die Datei neuer-ordner/seite\.md wird nicht gebaut")],
    "events/bad-date.md": [
        (
            4,
            r"Feld „date“ braucht ein Datum, das es gibt, geschrieben JJJJ-MM-TT \(z\. B\. 2024-11-19\), gefunden: '19\.11\.2024'",
        ),
        (7, r"Feld „format“ erlaubt nur „vor-ort“, „online“ oder „hybrid“, gefunden: 'präsenz'"),
    ],
}


@pytest.fixture(params=["first", "repeated"])
def corpus_build(request, corpus_builds):
    return corpus_builds.first if request.param == "first" else corpus_builds.repeated


def test_corpus_is_complete():
    # Every page in the corpus has its expected messages, and the other way round.
    assert {p.relative_to(CORPUS).as_posix() for p in CORPUS.rglob("*.md")} == set(EXPECTED)


def test_broken_corpus_fails_the_build(corpus_build):
    assert corpus_build.returncode == 1  # 1: warnings turned errors; 2 would be a crash


def test_no_traceback_for_any_mistake(corpus_build):
    for crash in CRASHES:
        assert crash not in corpus_build.output, corpus_build.output


def test_every_message_explains_in_german(corpus_build):
    # Each warning starts with German: what is wrong and what to do (Sphinx's own text may follow).
    for warning in corpus_build.warnings:
        assert re.search(r"WARNING: (Die |Der |Das |Feld „|Pflichtfeld „|Unbekanntes Feld „|.+ – )", warning), warning


def test_repeated_build_reports_the_same_problems(corpus_builds):
    first, repeated = corpus_builds.first, corpus_builds.repeated
    assert sorted(first.warnings) == sorted(repeated.warnings)


@pytest.mark.parametrize("page", sorted(EXPECTED))
def test_each_mistake_is_reported_with_file_and_line(corpus_build, page):
    for line, message in EXPECTED[page]:
        assert reported(corpus_build.output, page, line, message), f"expected {page}:{line}: {message}\n" + "\n".join(
            w for w in corpus_build.warnings if page in w
        )


def test_no_correct_page_is_blamed(corpus_build):
    # Only the broken pages (the corpus and the real pages given a mistake) are named in warnings.
    named = {m.group(1) for m in re.finditer(r"/src/([\w/-]+\.md):\d*:? WARNING", corpus_build.output)}
    broken = set(EXPECTED) | {path for path, _old, _new in MUTATIONS}
    assert named <= broken, named - broken
