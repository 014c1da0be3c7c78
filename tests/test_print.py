"""The HTML side of print: PDF download link and the browser print stylesheet.

The PDF's own stylesheet (_static/kb-print.css) builds on the same @media print
rules of kb.css that browser printing uses; tests/test_pdf.py checks the PDF.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, copy_sources, kb_browser, require_tools, run_sphinx, site_config, source_pages

PDF_NAME = site_config()["kb_pdf_name"]


def _pdf_links(outdir: Path, docname: str) -> list[str]:
    soup = BeautifulSoup((outdir / f"{docname}.html").read_text(encoding="utf-8"), "html.parser")
    return [a["href"] for a in soup.select(".kb-pdf-download:not(.kb-handout-link) a[href]")]


def _handout_links(outdir: Path, docname: str) -> list[tuple[str, str]]:
    """(href, text) of the page's "Als PDF (… KiB)" links (kb.print, kb.pdf_handouts)."""
    soup = BeautifulSoup((outdir / f"{docname}.html").read_text(encoding="utf-8"), "html.parser")
    return [(a["href"], a.get_text(strip=True)) for a in soup.select(".kb-handout-link a[href]")]


def test_no_download_link_without_a_pdf(site):
    for docname in source_pages():
        assert _pdf_links(site.root, docname) == [], docname
    assert not (site.root / PDF_NAME).exists()


@pytest.mark.xdist_group("pdf")  # shares the session's pdf_build
def test_html_links_the_pdf_once_it_is_built(pdf_build, tmp_path):
    assert pdf_build.returncode == 0, pdf_build.output[-3000:]
    # _build/pdf/<name>.pdf next to _build/html, as after `make all`.
    (tmp_path / "pdf").mkdir()
    pdf = tmp_path / "pdf" / PDF_NAME
    shutil.copy2(pdf_build.pdf, pdf)
    shutil.copytree(pdf_build.pdfdir / "handouts", tmp_path / "pdf" / "handouts")
    outdir = tmp_path / "html"
    result = run_sphinx(ROOT, outdir)
    assert result.returncode == 0, result.output
    assert (outdir / PDF_NAME).read_bytes() == pdf.read_bytes()
    for docname in source_pages():
        links = _pdf_links(outdir, docname)
        assert len(links) == 1, docname
        assert (outdir / docname).parent.joinpath(links[0]).resolve() == (outdir / PDF_NAME).resolve()
    # Every case study and topic page links its handout with its real size.
    handout_pages = [d for d in source_pages() if (tmp_path / "pdf" / "handouts" / f"{d}.pdf").is_file()]
    assert handout_pages, "no handouts built"
    for docname in handout_pages:
        links = _handout_links(outdir, docname)
        assert links, f"{docname} does not link its handout"
        for href, text in links:
            target = (outdir / docname).parent / href
            size = re.search(r"als PDF \((\d+) KiB\)$", text, re.IGNORECASE)
            assert target.is_file() and size, (docname, href, text)
            assert int(size.group(1)) == -(-target.stat().st_size // 1024), (docname, text)

    # Incremental build: once the PDF is gone, no page links it any more.
    pdf.unlink()
    shutil.rmtree(tmp_path / "pdf" / "handouts")
    result = run_sphinx(ROOT, outdir)
    assert result.returncode == 0, result.output
    for docname in source_pages():
        assert _pdf_links(outdir, docname) == [], f"{docname} still links the removed PDF"
        assert _handout_links(outdir, docname) == [], f"{docname} still links a removed handout"


def _print_to_text(browser, page: Path, tmp_path: Path) -> tuple[str, list[str]]:
    """Print a page as chromium does (print media, no header or footer lines): its text and the page's errors."""
    out = tmp_path / f"{page.stem}-print.pdf"
    tab = browser.new_page()
    errors = kb_browser.watch_errors(tab)
    tab.goto(page.as_uri(), wait_until="load")
    tab.pdf(path=str(out))
    tab.close()
    text = " ".join(
        subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout.split()
    )
    return text, errors


def test_browser_print_shows_content_and_credit_without_navigation(site, browser, tmp_path):
    require_tools("pdftotext")
    page = site.path("case-studies/vitaserv")
    printed, errors = _print_to_text(browser, page, tmp_path)
    assert errors == []
    # The content, the exercise with its example, and the source credit with its "Belege".
    for part in (
        "Praxisbeispiel: VITASERV AG",
        "Drei fiktive, ideale Mitarbeitende",
        "berufstätige Mutter",
        "Vollzeit-Mama? Teilzeit-Chefin! Jetzt aufsteigen!",
        "Quelle:",
        "Sarah Puck",
        "Belege:",
    ):
        assert part in printed, f"print lacks {part!r}"
    # No navigation: the sidebar names the other parts of the site.
    # (The page's own text names none of these.)
    # ("Praxisbeispiele" is not checked: the page's network diagram names that column, kb.diagrams.)
    for nav in ("Veranstaltungen", "Wissensbasis Zukunftszentren", "Erstellt mit Sphinx"):
        assert nav not in printed, f"navigation {nav!r} is printed"


# A page with a tab set, added to a copy of the site: the content need not have one.
TABS_PAGE = """---
description: Eine Testseite mit Reitern, nur für den Drucktest der Wissensbasis.
orphan: true
sources:
  - workshops-und-networking
---

# Reiter im Druck

::::{tab-set}
:::{tab-item} Erster Reiter
Inhalt des ersten Reiters.
:::
:::{tab-item} Zweiter Reiter
Inhalt des zweiten Reiters.
:::
::::
"""


def test_browser_print_shows_every_tab_through_the_site_stylesheet(browser, tmp_path):
    require_tools("pdftotext")
    src = copy_sources(tmp_path / "src")
    (src / "praxis" / "reiter-druck.md").write_text(TABS_PAGE, encoding="utf-8")
    out = tmp_path / "out"
    result = run_sphinx(src, out)
    assert result.returncode == 0, result.output
    printed, errors = _print_to_text(browser, out / "praxis" / "reiter-druck.html", tmp_path)
    assert errors == []
    for part in ("Erster Reiter", "Inhalt des ersten Reiters.", "Zweiter Reiter", "Inhalt des zweiten Reiters."):
        assert part in printed, f"print lacks {part!r}"

    # The same page without the site stylesheet (which holds the print styles) prints the site footer and only the
    # selected tab: the stylesheet does the work.
    copy = out / "praxis" / "reiter-druck.html"
    copy.write_text(copy.read_text(encoding="utf-8").replace("_static/kb.css", "_static/missing.css"), encoding="utf-8")
    bare_print, errors = _print_to_text(browser, copy, tmp_path)
    assert errors == ["Failed to load resource: net::ERR_FILE_NOT_FOUND"]  # the missing stylesheet only
    assert "Erstellt mit Sphinx" in bare_print
    assert "Inhalt des zweiten Reiters." not in bare_print
