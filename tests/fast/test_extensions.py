"""Every extension of kb/ in-process on the small testroot: clean build, error paths, -j merge.

Each error test changes one file of a fresh copy and asserts the message names
the file (and line) and says what is wrong; the build itself never crashes.
"""

from __future__ import annotations

import gc
import re
import shutil
from pathlib import Path

import pytest

CASE = "case-studies/alpha.md"
ROOTS = Path(__file__).parent / "roots"

# kb.parallel builds sites under 40 pages serially; the testroot is one.
ANY_SIZE_IN_PARALLEL = {"kb_parallel_min_pages": 0}


def case_study(**changes: str) -> str:
    """alpha.md with front-matter lines replaced: case_study(sector="sector: Handel")."""
    text = (ROOTS / "test-kb" / CASE).read_text(encoding="utf-8")
    for key, line in changes.items():
        text = re.sub(rf"^{key}:.*$", line, text, count=1, flags=re.M)
    return text


def test_testroot_builds_without_warnings(kb_build):
    built = kb_build()
    assert built.warnings == ""
    index = built.html("index")
    # Listings: one card per page of the type, sorted by title (German order).
    assert index.index("Praxisbeispiel: Alpha GmbH") < index.index("Praxisbeispiel: Beta GmbH")
    assert "19. November 2024" in index  # event card date via babel
    # Key facts from front matter, tags under the title, actors and backlinks.
    alpha = built.html("case-studies/alpha")
    assert "Testbranche" in alpha and "im Bericht nicht genannt" in alpha
    assert "Schlagworte:" in alpha and "Testtag" in alpha
    actors = built.html("actors/index")
    assert 'id="akteur-erika-muster"' in actors
    assert "Erwähnt in:" in actors and "alpha.html" in actors
    assert "Praxisbeispiel: Beta GmbH" in built.html("tags/testtag")
    assert "application/ld+json" in alpha


# -- Directive and role error paths -------------------------------------------------

ERRORS = [
    # (file, new text, expected message, line)
    (
        "index.md",
        "---\ndescription: Startseite mit einer falschen Liste.\n---\n# T\n\n:::{kb-listing} firma\n:::\n",
        r"Der Block kb-listing nennt den Seitentyp „firma“, den es nicht gibt: einen dieser nennen: case-study, event, tag, topic",
        6,
    ),
    (
        "actors/index.md",
        "---\ndescription: Die Akteure der Testbasis mit ihren Rollen.\n---\n# A\n\n"
        ":::{akteur} Erika Muster\nRolle.\n:::\n\n:::{akteur} Max\n:auch: erika   muster\n\nRolle.\n:::\n",
        r"Der Name „erika   muster“ steht schon in der Akteursliste \(Eintrag in actors/index\)",
        11,  # the :auch: line that names it
    ),
    (
        "actors/index.md",
        "---\ndescription: Die Akteure der Testbasis mit ihren Rollen.\n---\n# A\n\n:::{akteur} Erika Muster\n:::\n",
        r"Der Akteur „Erika Muster“ braucht seine Rolle, wie der Bericht sie nennt",
        6,
    ),
    (
        "glossary/index.md",
        "---\ndescription: Das Glossar der Testbasis mit einem Begriff.\n---\n# G\n\n:::{kb-steckbrief}\n:::\n",
        r"Der Block kb-steckbrief hat hier keine Eckdaten \(Seitentyp: keiner\)",
        6,
    ),
    (
        CASE,
        case_study().replace("| Ausgangslage | Ein Test. |", "Ausgangslage: ein Test"),
        r"Der Block kb-steckbrief darf nur Tabellenzeilen wie „\| Merkmal \| Angabe \|“ enthalten",
        None,
    ),
    (
        CASE,
        case_study().replace("| Ausgangslage | Ein Test. |", "| Ausgangslage | Ein | Test |"),
        r"Die Zeile '\| Ausgangslage \| Ein \| Test \|' im Block kb-steckbrief hat 3 Zellen, braucht aber genau zwei",
        None,
    ),
    (
        CASE,
        case_study().replace("{akteur}`Erika Muster`", "{akteur}`Erika Mustermann`"),
        r"Der Name „Erika Mustermann“ steht nicht in der Akteursliste \(actors/index.md\)",
        23,
    ),
    (
        CASE,
        case_study(topics="topics: [Testtag, Kein Tag]"),
        r"Feld „topics“ nennt das Schlagwort „Kein Tag“, das keine Seite in tags/ hat",
        13,
    ),
    (
        "tags/zweiter.md",
        "---\ndescription: Noch eine Seite für dasselbe Schlagwort.\ntype: tag\nsummary: Doppelt vorhanden.\n---\n"
        "\n# testtag\n",
        r"Das Schlagwort „testtag“ hat schon eine Seite, tags/testtag",
        7,
    ),
    (
        CASE,
        case_study(session="session: tagung-gibt-es-nicht"),
        r"Feld „session“ nennt das Label „tagung-gibt-es-nicht“, das keine Seite definiert",
        15,
    ),
    (
        CASE,
        case_study(sector="sector: 17"),
        r'Feld „sector“ braucht einen Text oder bleibt leer \(z\. B\. sector: "17"\), gefunden: 17\.',
        5,
    ),
    (
        CASE,
        case_study(summary="summary: 'AUSFÜLLEN: Ein Satz.'"),
        r"Feld „summary“ enthält noch den Platzhalter „AUSFÜLLEN“",
        16,
    ),
    (
        CASE,
        case_study(summary="summaryy: Ein Satz für die Karte."),
        r"Unbekanntes Feld „summaryy“ im Kopf der Seite: Tippfehler\? Mit der Vorlage vergleichen",
        16,
    ),
    (
        CASE,
        case_study(summary="summary: [nicht geschlossen"),
        r"Der Kopf der Seite \(zwischen den ---\) ist kein gültiges YAML",
        None,
    ),
    (
        CASE,
        case_study() + "\n![](bild.png)\n",
        r"Das Bild „[\w/-]*bild.png“ hat keinen Alternativtext",
        None,
    ),
    (
        CASE,
        case_study() + '\n<p onclick="x()">Hallo</p>\n',
        r"Der HTML-Code „onclick=“ ist im Inhalt nicht erlaubt",
        None,
    ),
    (
        CASE,
        case_study() + "\nNoch AUSFÜLLEN im Text.\n",
        r"Der Platzhalter „AUSFÜLLEN“ aus der Vorlage steht noch im Text",
        None,
    ),
    (
        CASE,
        case_study() + "\n    :::{note}\n    eingerückt\n    :::\n",
        r"sieht aus wie ein Block, der nicht umgesetzt wurde|wurde nicht umgesetzt und erschiene als Text",
        None,
    ),
]


@pytest.mark.parametrize(("name", "text", "message", "line"), ERRORS, ids=[e[2][:40] for e in ERRORS])
def test_error_paths_name_file_line_and_problem(kb_build, name, text, message, line):
    built = kb_build({name: text})
    warnings = built.warnings
    assert re.search(message, warnings), warnings
    hit = next(w for w in warnings.splitlines() if re.search(message, w))
    expected_file = name if name.endswith(".md") else name + ".md"
    assert expected_file in hit, hit
    if line is not None:
        assert f"{expected_file}:{line}:" in hit, hit
    assert "Traceback" not in warnings and "Exception" not in warnings


# -- Configuration -----------------------------------------------------------------


def test_wrong_config_types_are_reported(make_app, tmp_path, rootdir):
    srcdir = tmp_path / "src"
    shutil.copytree(rootdir / "test-kb", srcdir)
    app = make_app("html", srcdir=srcdir, confoverrides={"kb_sidebar_full_max_pages": "viele"})
    warnings = app.warning.getvalue()
    assert "invalid number 'viele' for config value 'kb_sidebar_full_max_pages'" in warnings, warnings


# -- Parallel reading: every extension's data merges to the serial result -------------


def _comparable(data: dict) -> dict:
    """Domain data without the "version" key and without the file versions pages were read from."""
    comparable = {k: v for k, v in data.items() if k != "version"}
    if "pages" in comparable:  # kb.metadata: (file version, page) by docname; the copies differ in path
        comparable["pages"] = {doc: (page.data, page.lines, page.title) for doc, (_, page) in data["pages"].items()}
    if "written" in comparable and "pages" in comparable:  # kb.metadata: listed (docname, file version) pairs
        comparable["written"] = {
            doc: [[shown[0] for shown in listing] for listing in listings] for doc, listings in data["written"].items()
        }
    return comparable


def test_parallel_read_merges_to_the_serial_result(kb_build):
    extra = {
        f"case-studies/gamma-{i}.md": case_study().replace("Alpha", f"Gamma {i}").replace("(alpha)=", f"(gamma-{i})=")
        for i in range(6)
    }
    serial = kb_build(extra)
    parallel = kb_build(extra, parallel=2, confoverrides=ANY_SIZE_IN_PARALLEL)
    assert serial.warnings == "" and parallel.warnings == ""
    assert len(serial.app.env.found_docs) > 5  # Sphinx reads in parallel only above 5 documents
    assert parallel.app.parallel == 2
    for name in ("kb", "kbmeta"):
        assert _comparable(parallel.domain(name)) == _comparable(serial.domain(name)), name
    assert parallel.html("tags/testtag") == serial.html("tags/testtag")
    assert parallel.html("actors/index") == serial.html("actors/index")
    # The "Erwähnt in" lines (folded in from the whole-site test of kb.graph's backlinks).
    for page in ("actors/index", "glossary/index"):
        assert "kb-erwaehnt" in serial.html(page), page
        assert parallel.html(page) == serial.html(page), page


def test_a_build_that_reads_few_pages_runs_serially(kb_build, make_app):
    small = kb_build(parallel=2)  # the testroot has fewer pages than kb_parallel_min_pages
    assert small.app.parallel == 1 and small.warnings == ""
    assert len(small.app.env.found_docs) > 5  # Sphinx itself would have read it in parallel
    # "Few" as a share of the site: under half of the testroot here.
    share = {"kb_parallel_min_share": 0.5, **ANY_SIZE_IN_PARALLEL}
    built = kb_build(parallel=2, confoverrides=ANY_SIZE_IN_PARALLEL)
    assert built.app.parallel == 2  # a cold build reads every page: in parallel
    page = built.srcdir / "case-studies" / "alpha.md"
    page.write_text(page.read_text(encoding="utf-8").replace("Ein Test.", "Ein geänderter Test."), encoding="utf-8")
    again = make_app("html", srcdir=built.srcdir, parallel=2, confoverrides=share)
    again.build()
    assert again.parallel == 1
    assert "Ein geänderter Test." in (again.outdir / "case-studies" / "alpha.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("extra_writer", [True, False])
def test_a_parallel_write_has_a_writer_per_process_of_j(make_app, rootdir, tmp_path, extra_writer):
    srcdir = tmp_path / "src"
    shutil.copytree(rootdir / "test-kb", srcdir)
    overrides = {**ANY_SIZE_IN_PARALLEL, "kb_parallel_extra_writer": extra_writer}
    app = make_app("html", srcdir=srcdir, freshenv=True, parallel=2, confoverrides=overrides)
    writers, write_parallel = [], app.builder._write_parallel

    def spy(docnames, nproc):  # Sphinx's parallel write, nproc = writer processes
        writers.append(nproc)
        return write_parallel(docnames, nproc)

    app.builder._write_parallel = spy
    app.build()
    assert writers == ([2] if extra_writer else [1])  # Sphinx alone: -j minus the main process
    assert app.parallel == 2  # the process count as given, after the build
    assert "Ein Test." in (app.outdir / "case-studies" / "alpha.html").read_text(encoding="utf-8")


def test_cards_filled_at_write_time_keep_markup_roles_and_typography(kb_build):
    summary = "summary: 'Mit *Betonung*, \"Zitat\" und {term}`Testbegriff` -- kurz...'"
    gamma = case_study(summary=summary).replace("Alpha", "Gamma").replace("(alpha)=", "(gamma)=")
    # A card whose only educable text is a spaced ellipsis.
    delta = (
        case_study(summary="summary: Und so . . . weiter.").replace("Alpha", "Delta").replace("(alpha)=", "(delta)=")
    )
    built = kb_build({"case-studies/gamma.md": gamma, "case-studies/delta.md": delta})
    assert built.warnings == ""
    for listing, glossary in (("index", "glossary/index.html"), ("tags/testtag", "../glossary/index.html")):
        html = built.html(listing)
        card = html[html.index("Praxisbeispiel: Gamma GmbH</div>") :]  # from the card title
        card = card[: card.index("sd-stretched-link")]
        assert "Mit <em>Betonung</em>, „Zitat“ und " in card, listing  # MyST's inline parser, German quotes
        assert f'href="{glossary}#term-Testbegriff"' in card, listing  # the role resolved from this page
        assert "– kurz…" in card, listing  # dash and ellipsis, as smart quotes give the rest of the page
        assert "Und so … weiter." in html, listing
    # The term is mentioned by the case study, not by the pages that list it.
    assert "index.html" not in built.html("glossary/index").split("Erwähnt in:")[1].split("</p>")[0]


@pytest.mark.parametrize(
    ("summary", "message"),
    [
        ("summary: 'Mit <b onclick=\"x()\">Klick</b>.'", "Der HTML-Code „onclick=“ ist im Inhalt nicht erlaubt"),
        ("summary: 'Mit {term}`Unbekannt`.'", "term not in glossary: 'Unbekannt'"),
    ],
)
def test_a_problem_in_a_card_text_is_reported_at_its_summary(kb_build, summary, message):
    # Card text is parsed when the listings are written (the landing page and the tag page here);
    # the problem is the case study's: reported at its summary line, not at the listings.
    # (That it stays reported on the next build is tests/test_contributor_errors.py's corpus.)
    gamma = case_study(summary=summary).replace("Alpha", "Gamma").replace("(alpha)=", "(gamma)=")
    line = 1 + next(i for i, text in enumerate(gamma.splitlines()) if text.startswith("summary:"))
    warnings = kb_build({"case-studies/gamma.md": gamma}).warnings
    found = re.findall(rf"case-studies/gamma\.md:{line}: WARNING: .*{re.escape(message)}", warnings)
    assert len(found) == 2, warnings  # one per listing that shows the card
    assert not re.search(r"(index|testtag)\.md:\d+: WARNING", warnings), warnings


def test_the_loaded_environment_is_frozen_for_the_build_only(make_app, rootdir, tmp_path):
    srcdir = tmp_path / "src"
    shutil.copytree(rootdir / "test-kb", srcdir)
    app = make_app("html", srcdir=srcdir, freshenv=True)
    frozen = []
    app.connect("env-updated", lambda app, env: frozen.append(gc.get_freeze_count()), priority=900)
    app.build()
    assert frozen and frozen[0] > 10_000  # everything alive after reading: kb.memory froze it
    assert gc.get_freeze_count() == 0  # and handed it back when the build finished


def test_removed_page_is_purged_from_every_extension(kb_build):
    built = kb_build()
    assert "case-studies/beta" in built.domain("kbmeta")["label_refs"]
    assert "case-studies/beta" in built.domain("kb")["mentions"]
    (built.srcdir / "case-studies" / "beta.md").unlink()
    built.app.build()
    assert "case-studies/beta" not in built.domain("kbmeta")["label_refs"]
    assert "case-studies/beta" not in built.domain("kb")["mentions"]
    assert "case-studies/beta" not in built.domain("kbmeta")["pages"]
    assert "Beta GmbH" not in built.html("index")
    assert "Beta GmbH" not in built.html("tags/testtag")


def test_a_reader_sends_back_only_the_tables_of_the_pages_it_read():
    """kb.parallel: a -j reader's pickled environment holds kb tables only for its own pages."""
    from kb.state import DocumentTables

    class Tables(DocumentTables):
        name = "probe"
        initial_data = {"per": {}, "owned": {}, "wide": {}}
        per_document = ("per",)
        by_owner = ("owned",)

    tables = Tables.__new__(Tables)
    tables._data = {
        "per": {"a": 1, "b": 2},
        "owned": {"x": ("a", 0), "y": ("b", 0)},
        "wide": {"a": "whole build"},
        "version": 1,
    }
    type(tables).data = property(lambda self: self._data)
    slim = tables.read_in({"b"})
    assert slim == {"per": {"b": 2}, "owned": {"y": ("b", 0)}, "wide": {}, "version": 1}
    assert tables.data["per"] == {"a": 1, "b": 2}  # the reader's own tables stay as they are
    merged = Tables.__new__(Tables)
    merged._data = {"per": {"a": 1}, "owned": {"x": ("a", 0)}, "wide": {"a": "kept"}, "version": 1}
    merged.merge_domaindata({"b"}, slim)
    assert merged.data == {
        "per": {"a": 1, "b": 2},
        "owned": {"x": ("a", 0), "y": ("b", 0)},
        "wide": {"a": "kept"},
        "version": 1,
    }
