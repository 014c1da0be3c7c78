"""Contributor tooling: edit links, last-updated dates, redirects, spelling, documented commands."""

from __future__ import annotations

import os
import re
import subprocess

import pytest
from bs4 import BeautifulSoup
from conftest import CONTENT_PAGES, ROOT, copy_sources, run_sphinx, site_config

from kb import newpage

REPO = "https://github.com/example/wissensbasis"


def _soup(path):
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_pages_show_last_updated_date_from_git(site):
    # The real checkout is a git repository: committed pages carry their date.
    for docname in CONTENT_PAGES:
        footer = site.soup(docname).select_one(".last-updated")
        assert footer is not None, f"{docname}: no last-updated date"
        assert re.fullmatch(r"Zuletzt aktualisiert am \d{2}\.\d{2}\.\d{4}", footer.get_text(" ", strip=True))


def test_no_edit_link_without_repository_setting(site):
    assert site.soup("case-studies/contall").select("a[rel=edit]") == []


def _commit_all(src):
    """Make the copy a git checkout, as on the hosting platform (untracked pages get no edit link)."""
    env = {
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.invalid",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.invalid",
    }
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "copy"]):
        subprocess.run(["git", *args], cwd=src, check=True, env={**os.environ, **env})


def test_edit_link_comes_from_the_one_repository_setting(tmp_path):
    src = copy_sources(tmp_path / "src")
    _commit_all(src)
    result = run_sphinx(src, tmp_path / "out", env={"KB_REPOSITORY_URL": REPO})
    assert result.returncode == 0, result.output
    for docname in ("index", "case-studies/contall", "glossary/metaverse"):
        link = _soup(tmp_path / "out" / f"{docname}.html").select_one("a[rel=edit]")
        assert link is not None, docname
        assert link["href"] == f"{REPO}/edit/main/{docname}.md"
        assert link["title"] == "Diese Seite bearbeiten"


def _documented_redirect_line():
    """The example line of CONTRIBUTING's section on moving pages."""
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    section = text[text.index("## Seiten verschieben oder umbenennen") :]
    return re.search(r"```yaml\n(.+?)\n```", section, re.S).group(1)


def test_moved_page_keeps_its_old_address(tmp_path):
    # CONTRIBUTING's flow, literally: git mv, build (names the missing line), append the line.
    src = copy_sources(tmp_path / "src")
    _commit_all(src)
    subprocess.run(["git", "mv", "case-studies/contall.md", "case-studies/contall-gmbh.md"], cwd=src, check=True)
    out = tmp_path / "out"
    line = _documented_redirect_line()
    result = run_sphinx(src, out)
    assert result.returncode != 0
    assert f"redirects.yml:{len((src / 'redirects.yml').read_text().splitlines()) + 1}: WARNING" in result.output
    assert f"die Zeile „{line}“ ergänzen" in result.output, result.output
    with (src / "redirects.yml").open("a", encoding="utf-8") as redirects:
        redirects.write(line + "\n")
    result = run_sphinx(src, out)
    assert result.returncode == 0, result.output
    assert (out / "case-studies" / "contall-gmbh.html").is_file()
    old = _soup(out / "case-studies" / "contall.html")
    refresh = old.select_one('meta[http-equiv="refresh"]')
    assert refresh is not None and refresh["content"].endswith("url=contall-gmbh.html")


def _spelling(src, out):
    return run_sphinx(src, out, builder="spelling", extra=["-t", "spelling"])


def test_spelling_check_passes_on_the_site(tmp_path):
    result = _spelling(ROOT, tmp_path / "out")
    assert result.returncode == 0, result.output


def test_spelling_check_reports_a_typo_with_file_and_line(tmp_path):
    src = copy_sources(tmp_path / "src")
    page = src / "case-studies" / "contall.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("Bei ihrer Kundschaft", "Bei ihrer Kundschafft"), encoding="utf-8")
    line = next(i for i, row in enumerate(page.read_text(encoding="utf-8").splitlines(), 1) if "Kundschafft" in row)
    result = _spelling(src, tmp_path / "out")
    assert result.returncode == 1, result.output
    assert re.search(rf"case-studies/contall\.md:{line}: .*Spell check: Kundschafft", result.output), result.output


def _make_targets() -> set[str]:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set()
    for match in re.finditer(r"^([a-z][a-z -]*):", makefile, re.M):
        targets.update(match.group(1).split())
    return targets


@pytest.mark.parametrize("doc", ["CONTRIBUTING.md", "README.md"])
def test_documented_make_commands_exist(doc):
    text = (ROOT / doc).read_text(encoding="utf-8")
    used = set(re.findall(r"make ([a-z][a-z-]*)", text))
    assert used, f"{doc} names no make command"
    assert used <= _make_targets(), used - _make_targets()


def test_contributing_guide_covers_the_whole_flow():
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for step in (
        "Branch",
        "Pull Request",
        "make new-case-study",
        "make livehtml",
        "make test",
        "AUSFÜLLEN",
        "im Bericht nicht genannt",
        "Alternativtext",
        "{term}",
        "redirects.yml",
    ):
        assert step in text, step


def test_templates_exist_for_every_page_type():
    """Every page type of conf.py's kb_page_types has a template, a schema and a make target."""
    config = site_config()
    types = set(config["kb_page_types"].values())
    assert "tag" in types
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for ptype in types:
        assert (ROOT / "templates" / f"{ptype}.md").is_file(), ptype
        assert (ROOT / "schemas" / f"{ptype}.schema.yaml").is_file(), ptype
        assert f"new-{ptype}" in makefile, ptype
        assert ptype in newpage.KINDS, ptype
