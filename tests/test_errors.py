"""Errors never lie (issue 12): every build reports every current problem, with file and line, never a traceback.

tests/test_contributor_errors.py builds the broken-page corpus (first and
repeated build); these tests cover what a corpus page cannot: mistakes in the
real event page (read by conf.py for the PDF title page), incremental builds
after removing a page or a label, the gender star, the live-preview notice and
the annotations on GitHub.
"""

from __future__ import annotations

import json
import re
import subprocess

import pytest
import yaml
from conftest import CRASHES, MUTATIONS, ROOT, copy_sources, reported, run_sphinx, site_config
from support import browser as kb_browser

EVENT = "events/jahrestagung-2024.md"
CASE = "case-studies/contall.md"


def _edit(src, path: str, old: str, new: str) -> int:
    """Replace old by new in a copied page; return the line of the change."""
    file = src / path
    text = file.read_text(encoding="utf-8")
    assert old in text, old
    file.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def _assert_reported(result, path: str, line: int, message: str):
    assert result.returncode == 1, result.output  # 1: warnings turned errors; 2 would be a crash
    assert not [c for c in CRASHES if c in result.output], result.output
    assert reported(result.output, path, line, message), result.warnings


# kind -> (page of the broken corpus build, its text with the mistake, message). The real event
# page (kb.pdf reads it for the title page) has an impossible day (conftest.MUTATIONS); the
# corpus has event pages with the other mistakes. tests/fast/test_problems.py makes each one
# in the testroot's event page, builds twice and fixes it.
EVENT_MISTAKES = {
    "impossible day": (EVENT, "date: 2024-11-31", r"Feld „date“ braucht ein Datum"),
    "month and day swapped": ("events/swapped-date.md", "date: 2024-19-11", r"Feld „date“ braucht ein Datum"),
    "tab in front matter": ("events/tab-in-front-matter.md", "\tcity:", r"Tabulatorzeichen durch Leerzeichen ersetzen"),
}


@pytest.mark.xdist_group("corpus")  # shares the session's corpus_builds
@pytest.mark.parametrize("kind", sorted(EVENT_MISTAKES))
def test_event_page_mistake_fails_every_build_until_fixed(corpus_builds, kind):
    # conf.py names this page for the PDF title page: it must not crash the configuration.
    path, needle, message = EVENT_MISTAKES[kind]
    line = corpus_builds.line_of(path, needle)
    for result in (corpus_builds.first, corpus_builds.repeated):  # the first and the repeated `make html`
        _assert_reported(result, path, line, message)
    assert (EVENT, "date: 2024-11-19", "date: 2024-11-31") in MUTATIONS


def test_latin1_event_page_is_one_message(tmp_path):
    src = copy_sources(tmp_path / "src")
    page = src / EVENT
    page.write_bytes(page.read_text(encoding="utf-8").encode("latin-1", "replace"))
    line = next(i for i, text in enumerate(page.read_bytes().split(b"\n"), 1) if max(text, default=0) > 127)
    result = run_sphinx(src, tmp_path / "out")
    _assert_reported(result, EVENT, line, r"Die Datei ist nicht in UTF-8 gespeichert")
    assert len([w for w in result.warnings if EVENT in w]) == 1, result.warnings


def test_gender_star_keeps_its_stars(tmp_path):
    src = copy_sources(tmp_path / "src")
    # A new paragraph before the source credit, which every content page ends with.
    credit = "```{include} /_snippets/quelle.md"
    _edit(src, CASE, credit, "Kund*innen und Mitarbeiter*innen profitieren.\n\n" + credit)
    result = run_sphinx(src, tmp_path / "out")
    assert result.returncode == 0, result.output
    html = (tmp_path / "out" / "case-studies" / "contall.html").read_text(encoding="utf-8")
    assert "Kund*innen und Mitarbeiter*innen profitieren." in html
    assert "<em>innen" not in html


def test_live_preview_shows_the_problems_in_the_page(tmp_path, browser):
    src = copy_sources(tmp_path / "src")
    line = _edit(src, CASE, "steht vor dem Problem", "{term}`Gibtsnicht` steht vor dem Problem")
    out = tmp_path / "out"
    result = run_sphinx(src, out, extra=["-D", "kb_problem_notice=1"])
    assert result.returncode == 1
    script = (out / "_static" / "kb-problems.js").read_text(encoding="utf-8")
    problems = json.loads(re.search(r"var problems = (\[.*?\]);", script, re.S).group(1))
    assert problems == [p for p in problems if p.startswith(f"{CASE}:{line}: ")] and len(problems) == 1
    assert "Begriff „Gibtsnicht“ steht nicht im Glossar" in problems[0]
    assert 'src="_static/kb-problems.js' in (out / "index.html").read_text(encoding="utf-8")
    # In the browser: a visible German notice on every page, no script errors.
    # The session's one chromium (conftest): a second Playwright in one process cannot start.
    with kb_browser.serve(out) as base:
        page = browser.new_page()
        errors = kb_browser.watch_errors(page)
        page.goto(f"{base}/glossary/index.html")
        notice = page.locator(".kb-problems[role=alert]")
        assert notice.is_visible()
        assert "Der letzte Build meldet 1 Problem" in notice.inner_text()
        assert f"{CASE}:{line}: Begriff „Gibtsnicht“" in notice.inner_text()
        assert errors == []
    # Fixed: the next build empties the notice.
    _edit(src, CASE, "{term}`Gibtsnicht` ", "")
    assert run_sphinx(src, out, extra=["-D", "kb_problem_notice=1"]).returncode == 0
    assert "var problems = [];" in (out / "_static" / "kb-problems.js").read_text(encoding="utf-8")


@pytest.mark.xdist_group("corpus")  # shares the session's corpus_builds
def test_github_annotations_name_file_and_line(corpus_builds):
    # The corpus is built with GITHUB_ACTIONS=true; contall has an unknown term (conftest.MUTATIONS).
    line = corpus_builds.line_of(CASE, "{term}`Fachkraeftemangel`")
    result = corpus_builds.first
    assert result.returncode == 1
    assert re.search(
        rf"^::error file={re.escape(CASE)},line={line}::Begriff „Fachkraeftemangel“", result.output, re.M
    ), result.output


def test_plain_build_has_no_notice_script(site):
    assert "kb-problems.js" not in site.path("index").read_text(encoding="utf-8")


def test_commit_hook_names_bom_latin1_and_crlf(tmp_path):
    files = {
        "bom.md": b"\xef\xbb\xbf# Titel\n",
        "latin1.md": "# Titel\n\nGröße\n".encode("latin-1"),
        "crlf.md": b"# Titel\r\n",
        "gut.md": "# Titel\n\nGröße\n".encode(),
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    proc = subprocess.run(
        [str(ROOT / "tools" / "check-encoding"), *sorted(files)], cwd=tmp_path, capture_output=True, text=True
    )
    assert proc.returncode == 1
    assert proc.stdout.splitlines() == [
        "bom.md:1: Datei beginnt mit einer BOM: im Editor als „UTF-8“ ohne BOM speichern",
        "crlf.md:1: Windows-Zeilenenden (CRLF): im Editor „LF“ einstellen (siehe .editorconfig)",
        "latin1.md:3: Datei ist nicht in UTF-8 gespeichert (z. B. Latin-1): als „UTF-8“ speichern",
    ]
    hooks = (ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8")
    for hook in ("tools/check-encoding", "fix-byte-order-marker", "mixed-line-ending"):
        assert hook in hooks
    assert "charset = utf-8" in (ROOT / ".editorconfig").read_text(encoding="utf-8")


def test_read_the_docs_previews_get_edit_links(monkeypatch):
    monkeypatch.delenv("KB_REPOSITORY_URL", raising=False)
    for clone in ("https://github.com/example/wissensbasis.git", "git@github.com:example/wissensbasis.git"):
        monkeypatch.setenv("READTHEDOCS_GIT_CLONE_URL", clone)
        conf = site_config()
        assert conf["repository_url"] == "https://github.com/example/wissensbasis"
        assert conf["html_theme_options"]["source_repository"] == "https://github.com/example/wissensbasis/"


def test_workflow_builds_html_with_annotations_before_the_tests():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "docs.yml").read_text(encoding="utf-8"))
    steps = [step.get("run", "") for step in workflow["jobs"]["build-and-test"]["steps"]]
    assert steps.index("make html") < steps.index("bash .ci/run")


def test_spelling_reports_front_matter_typo_once_at_its_line(tmp_path):
    src = copy_sources(tmp_path / "src")
    line = _edit(src, CASE, "summary: ", "summary: Fehlerwortt ")
    result = run_sphinx(src, tmp_path / "out", builder="spelling", extra=["-t", "spelling"])
    assert result.returncode == 1
    reports = [w for w in result.warnings if "Spell check: Fehlerwortt" in w]
    assert len(reports) == 1 and re.search(rf"{re.escape(CASE)}:{line}: ", reports[0]), reports


def test_german_compounds_pass_typos_do_not():
    from kb.spelling import is_compound

    for word in ("arbeitspolitische", "arbeitsplatzbezogen", "Menschzentriert", "Fachkräftesicherungsstrategie"):
        assert is_compound(word), word
    for word in ("Kundschafft", "Arbeitspltz", "Fehlerwortt"):
        assert not is_compound(word), word


def test_make_spelling_installs_only_its_own_packages():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = re.search(r"^spelling:(.*)\n((?:\t.*\n)+)", makefile, re.M)
    assert "debian-packages" not in recipe.group(1)
    assert "$(SPELLING_PACKAGES)" in recipe.group(2)
    packages = re.search(r"^SPELLING_PACKAGES := (.*)$", makefile, re.M).group(1).split()
    assert not [p for p in packages if p.startswith(("texlive", "chromium"))], packages


def test_contributing_explains_every_corpus_mistake_and_the_web_path():
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    corpus = ROOT / "tests" / "broken"
    missing = [
        p.relative_to(corpus).as_posix() for p in corpus.rglob("*.md") if p.relative_to(corpus).as_posix() not in text
    ]
    assert not missing, f"CONTRIBUTING.md, table of messages: no row for {missing}"
    # The browser path (no Python) comes before the local one; syntax for every kind of link.
    assert text.index("## Weg 1: im Browser, ohne Python") < text.index("## Weg 2: auf dem eigenen Rechner")
    for needle in ("make labels", "```{glossary}", ":::{akteur}", "topics:", "![", ":link-type:", "Kund*innen"):
        assert needle in text, needle


def test_glossary_letter_bar_lists_every_letter_section(tmp_path):
    src = copy_sources(tmp_path / "src")
    glossary = src / "glossary" / "index.md"
    text = glossary.read_text(encoding="utf-8")
    new_section = "(glossar-x)=\n## X\n\n```{glossary}\nXylofon-Test\n  Ein Begriff nur für diesen Test.\n```\n\n"
    glossary.write_text(text.replace("(glossar-z)=", new_section + "(glossar-z)="), encoding="utf-8")
    result = run_sphinx(src, tmp_path / "out")
    assert result.returncode == 0, result.output
    html = (tmp_path / "out" / "glossary" / "index.html").read_text(encoding="utf-8")
    # On the web site the bar is a list of letters (kb.markup).
    found = re.search(r'<ul class="kb-az[^"]*">(.*?)</ul>|<p class="kb-az">(.*?)</p>', html, re.S)
    bar = found.group(1) or found.group(2)
    letters = re.findall(r'href="#glossar-([a-z])">([A-Z])</a>', bar)
    sections = re.findall(r'<section id="glossar-([a-z])">', html)
    assert [letter for letter, _ in letters] == sections and "x" in sections


def test_make_labels_prints_every_label_term_and_actor():
    proc = subprocess.run(["make", "--no-print-directory", "labels"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    from kb.labels import collect

    labels, terms, actors = collect()
    assert labels and terms and actors
    for label, where, _heading in labels:
        assert re.search(rf"^  {re.escape(label)} .*\({re.escape(where)}\)$", proc.stdout, re.M), label
    for name in terms + actors:
        assert name in proc.stdout, name
