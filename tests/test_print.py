"""The HTML side of print: PDF download link and the browser print stylesheet.

The PDF's own stylesheet (_static/kb-print.css) builds on the same @media print
rules of kb.css that browser printing uses; tests/test_pdf.py checks the PDF.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from bs4 import BeautifulSoup
from conftest import ROOT, require_tools, run_sphinx, source_pages

from kb.browser import CHROMIUM, CHROMIUM_FLAGS  # one list of chromium flags

PDF_NAME = "wissensbasis-zukunftszentren.pdf"


def _pdf_links(outdir: Path, docname: str) -> list[str]:
    soup = BeautifulSoup((outdir / f"{docname}.html").read_text(encoding="utf-8"), "html.parser")
    return [a["href"] for a in soup.select(".kb-pdf-download a[href]")]


def test_no_download_link_without_a_pdf(site):
    for docname in source_pages():
        assert _pdf_links(site.root, docname) == [], docname
    assert not (site.root / PDF_NAME).exists()


def test_html_links_the_pdf_once_it_is_built(pdf_build, tmp_path):
    assert pdf_build.returncode == 0, pdf_build.output[-3000:]
    # _build/pdf/<name>.pdf next to _build/html, as after `make all`.
    (tmp_path / "pdf").mkdir()
    pdf = tmp_path / "pdf" / PDF_NAME
    shutil.copy2(pdf_build.pdf, pdf)
    outdir = tmp_path / "html"
    result = run_sphinx(ROOT, outdir)
    assert result.returncode == 0, result.output
    assert (outdir / PDF_NAME).read_bytes() == pdf.read_bytes()
    for docname in source_pages():
        links = _pdf_links(outdir, docname)
        assert len(links) == 1, docname
        assert (outdir / docname).parent.joinpath(links[0]).resolve() == (outdir / PDF_NAME).resolve()

    # Incremental build: once the PDF is gone, no page links it any more.
    pdf.unlink()
    result = run_sphinx(ROOT, outdir)
    assert result.returncode == 0, result.output
    for docname in source_pages():
        assert _pdf_links(outdir, docname) == [], f"{docname} still links the removed PDF"


def _print_to_text(page: Path, tmp_path: Path) -> str:
    out = tmp_path / f"{page.stem}-print.pdf"
    subprocess.run(
        [CHROMIUM, *CHROMIUM_FLAGS, "--no-pdf-header-footer", f"--print-to-pdf={out}", page.as_uri()],
        capture_output=True,
        timeout=120,
        check=True,
    )
    return " ".join(
        subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout.split()
    )


def test_browser_print_shows_content_and_credit_without_navigation(site, tmp_path):
    require_tools(CHROMIUM, "pdftotext")
    page = site.path("case-studies/vitaserv")
    printed = _print_to_text(page, tmp_path)
    # The content, every tab of the tab set, and the source credit.
    for part in (
        "Praxisbeispiel: VITASERV AG",
        "Drei fiktive, ideale Mitarbeitende",
        "berufstätige Mutter",
        "Vollzeit-Mama? Teilzeit-Chefin! Jetzt aufsteigen!",
        "Quelle:",
        "Sarah Puck",
    ):
        assert part in printed, f"print lacks {part!r}"
    # No navigation: the sidebar names the other parts of the site.
    # (The page's own text names none of these.)
    for nav in ("Veranstaltungen", "Praxisbeispiele", "Wissensbasis Zukunftszentren", "Erstellt mit Sphinx"):
        assert nav not in printed, f"navigation {nav!r} is printed"

    # The same page without the site stylesheet (which holds the print styles) prints the site footer and only the
    # selected tab: the stylesheet does the work.
    bare = tmp_path / "site"
    shutil.copytree(site.root, bare)
    copy = bare / "case-studies" / "vitaserv.html"
    copy.write_text(copy.read_text(encoding="utf-8").replace("_static/kb.css", "_static/missing.css"), encoding="utf-8")
    bare_print = _print_to_text(copy, tmp_path)
    assert "Erstellt mit Sphinx" in bare_print
    assert "berufstätige Mutter" not in bare_print
