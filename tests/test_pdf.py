"""The PDF (`make pdf`): built once per session, then read with poppler's tools.

Checks the title page, fonts, metadata, references, the index's German order,
how sphinx-design components come out, and that the HTML main content is in it.
"""

from __future__ import annotations

import os
import re
import subprocess
import time
import unicodedata
import zlib
from collections import Counter
from functools import cached_property

import pytest
from conftest import ROOT, require_tools, source_pages
from test_content import KEY_FACTS
from test_glossary import german_key

# Body area of an A4 page in points, without running header (y≈35–45) and footer (y≈792–802).
BODY = ["-x", "0", "-y", "55", "-W", "595", "-H", "725"]
FOOTER = ["-x", "0", "-y", "785", "-W", "595", "-H", "30"]
PAGEREF = re.compile(r"\(→ S\. (\d+)\)")


def normalise(text: str) -> str:
    """Text for containment checks: no whitespace, no hyphens (line-break hyphenation), no page refs."""
    text = PAGEREF.sub("", text)
    return re.sub(r"[\s\-\u00ad\u2010\u2011]+", "", text)


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


class Pdf:
    """Text and facts of the built PDF, via pdftotext, pdfinfo and pdffonts."""

    def __init__(self, path):
        self.path = path

    def _run(self, *args: str) -> str:
        return subprocess.run([*args], capture_output=True, text=True, check=True).stdout

    def text(self, *options: str) -> str:
        text = self._run("pdftotext", "-enc", "UTF-8", *options, str(self.path), "-")
        # Ligature glyphs come out as presentation forms (ﬀ, ﬁ); viewers' search folds them too.
        return unicodedata.normalize("NFKC", text)

    @cached_property
    def pages(self) -> list[str]:
        """Body text of each page (without running header and footer)."""
        return self.text(*BODY).split("\f")[: self.page_count]

    @cached_property
    def body(self) -> str:
        return "\n".join(self.pages)

    @cached_property
    def page_numbers(self) -> list[str]:
        """The printed page number (footer, right) of each PDF page; '' where there is none."""
        feet = self.text(*FOOTER).split("\f")[: self.page_count]
        return [(foot.split() or [""])[-1] for foot in feet]

    def pdf_page_of(self, printed: str) -> int:
        """Index into self.pages of the page printed with this number (arabic numbering)."""
        return self.page_numbers.index(printed)

    @cached_property
    def info(self) -> dict[str, str]:
        lines = self._run("pdfinfo", str(self.path)).splitlines()
        return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in lines)}

    @property
    def page_count(self) -> int:
        return int(self.info["Pages"])


@pytest.fixture(scope="session")
def pdf(pdf_build) -> Pdf:
    require_tools("pdftotext", "pdfinfo", "pdffonts")
    assert pdf_build.returncode == 0, pdf_build.output[-5000:]
    assert pdf_build.pdf.is_file(), f"no PDF at {pdf_build.pdf}:\n{pdf_build.output[-3000:]}"
    return Pdf(pdf_build.pdf)


@pytest.fixture(scope="session")
def latex_log(pdf_build, pdf) -> str:
    return (pdf_build.latexdir / "wissensbasis-zukunftszentren.log").read_text(encoding="utf-8", errors="replace")


# -- The build ---------------------------------------------------------------------


def test_make_pdf_builds_without_sphinx_warnings(pdf_build, pdf):
    sphinx_warnings = [line for line in pdf_build.output.splitlines() if "WARNING" in line or "ERROR" in line]
    assert sphinx_warnings == []


def test_page_count_is_sane(pdf):
    # Title, contents, about a dozen pages of content, glossary, index: not 3, not 100.
    assert 12 <= pdf.page_count <= 40, pdf.page_count


def test_no_empty_pages(pdf):
    # openany, oneside: no blank pages between chapters.
    empty = [i + 1 for i, page in enumerate(pdf.pages) if not page.strip()]
    assert empty == []


def test_latex_log_is_clean(latex_log):
    assert "undefined" not in latex_log.casefold() or not re.search(
        r"(Reference|Citation) .* undefined|There were undefined references", latex_log
    ), "undefined references in the LaTeX log"
    assert "Missing character" not in latex_log, "a glyph is missing from the fonts: " + next(
        line for line in latex_log.splitlines() if "Missing character" in line
    )
    assert "Label(s) may have changed" not in latex_log
    assert not re.search(r"Overfull \\vbox", latex_log), "a box runs off the page"


def test_no_unresolved_references_in_text(pdf):
    assert "??" not in pdf.text()


def test_every_font_is_embedded(pdf):
    rows = pdf._run("pdffonts", str(pdf.path)).splitlines()[2:]
    assert rows, "pdffonts lists no fonts"
    for row in rows:
        # columns: name type encoding emb sub uni object-id (the type may contain spaces)
        emb, sub, uni = row.split()[-5:-2]
        assert emb == "yes", f"font not embedded: {row}"
        assert "Type 3" not in row, f"bitmap font: {row}"
    assert any("TeXGyrePagella" in row for row in rows), "the text face is not TeX Gyre Pagella"


def test_metadata_has_title_author_and_language(pdf):
    assert pdf.info["Title"] == "Wissensbasis Zukunftszentren"
    assert pdf.info["Author"] == "Redaktion Wissensbasis Zukunftszentren"
    # pdfinfo does not show the document language: look for /Lang in the
    # (possibly compressed) objects of the catalog.
    raw = pdf.path.read_bytes()
    chunks = [raw]
    for stream in re.finditer(rb"stream\r?\n(.*?)endstream", raw, re.S):
        try:
            chunks.append(zlib.decompress(stream.group(1)))
        except zlib.error:
            pass
    assert any(re.search(rb"/Lang\s*\(de-DE\)", chunk) for chunk in chunks), "no /Lang (de-DE) in the PDF"


# -- Title page, contents, running headers --------------------------------------------


def test_title_page(pdf):
    title = " ".join(pdf.pages[0].split())
    for part in (
        "Wissensbasis Zukunftszentren",
        "Jahrestagung der Zukunftszentren 2024, Berlin, 19. November 2024",
        "„Künstliche Intelligenz – Die Zukunft der Arbeit gestalten: Partizipative Einführung von KI in KMU“",
        "Redaktion Wissensbasis Zukunftszentren",
        "Rückblick: Jahrestagung der Zukunftszentren 2024",
        "Sarah Puck",
        "Stand:",
    ):
        assert part in title, f"title page lacks {part!r}: {title}"
    assert "Author name not set" not in pdf.text()


def test_table_of_contents(pdf):
    toc = pdf.text("-layout", "-f", "2", "-l", "3")  # the contents may run onto a second page
    assert "Inhalt" in toc
    for chapter in ("Über diese Wissensbasis", "Veranstaltungen", "Praxisbeispiele", "Glossar", "Stichwortverzeichnis"):
        assert re.search(rf"{chapter}\s*(\.\s*)*\d+", toc), f"{chapter} not in the table of contents"


def test_running_headers_and_page_numbers(pdf):
    full = pdf.text().split("\f")[: pdf.page_count]
    content_pages = range(pdf.pdf_page_of("1"), pdf.page_count)
    numbered = [i for i in content_pages if pdf.page_numbers[i].isdigit()]
    assert len(numbered) == len(content_pages), "a content page has no page number"
    headed = [
        i for i in content_pages if "Wissensbasis Zukunftszentren" in full[i].split("\n", 2)[0:2][-1] + full[i][:200]
    ]
    assert len(headed) >= len(content_pages) // 2, "few pages carry the running header"


def test_german_hyphenation_is_active(pdf, latex_log):
    assert not re.search(r"No hyphenation patterns were (preloaded|loaded) for\s+the language `?German", latex_log)
    # Words broken at the line end with a hyphen, continued in lower case.
    # (-layout keeps the hyphens; the default mode joins such words again.)
    breaks = re.findall(r"[a-zäöüß]-\n\s*[a-zäöüß]", pdf.text("-layout"))
    assert len(breaks) >= 10, f"only {len(breaks)} hyphenated line breaks"


# -- Content -----------------------------------------------------------------------------


@pytest.mark.parametrize("docname", sorted(KEY_FACTS))
def test_key_facts_are_in_the_pdf(pdf, docname):
    text = normalise(pdf.body)
    missing = [fact for fact in KEY_FACTS[docname] if normalise(fact) not in text]
    assert missing == []


def _html_blocks(site, docname: str) -> list[str]:
    """Text blocks of a page's main content, without HTML-only navigation."""
    main = site.main(docname)
    for tag in main.select(".headerlink"):
        tag.decompose()
    if docname == "index":
        # The landing page's card grid (an `only html` block): print has the TOC.
        for tag in main.select(".sd-container-fluid, .rubric"):
            tag.decompose()
    blocks = []
    for tag in main.select("p, li, dt, dd, th, td, h1, h2, h3, h4, label, .sd-card-title"):
        if tag.find(["p", "li", "dl", "table"]):
            continue  # a container: its inner blocks are checked themselves
        text = " ".join(tag.get_text(" ").split())
        links = tag.select("a[href]")
        if links and all(a["href"].startswith("#glossar-") for a in links) and len(text) < 80:
            continue  # the glossary's A–Z letter navigation (`only html`)
        if text:
            blocks.append(text)
    site._cache.pop(docname)  # the soup was changed: parse again next time
    return blocks


def test_every_html_block_of_the_main_content_is_in_the_pdf(site, pdf):
    text = normalise(pdf.body)
    missing = []
    for docname in source_pages():
        for block in _html_blocks(site, docname):
            if normalise(block) not in text:
                missing.append(f"{docname}: {block[:100]}")
    assert missing == [], "\n".join(missing)


def test_html_words_are_in_the_pdf(site, pdf):
    # Whole main content, navigation included: at least 97 % of the words.
    body = pdf.body
    bag = Counter(words(body)) | Counter(words(re.sub(r"(\w)-\n(\w)", r"\1\2", body)))
    html = Counter()
    for docname in source_pages():
        html += Counter(words(site.text(docname).replace("¶", " ").replace("#", " ")))
    found = sum((html & bag).values())
    share = found / sum(html.values())
    print(f"HTML main-content words in the PDF: {found}/{sum(html.values())} = {share:.1%}")
    assert share >= 0.97, f"{share:.1%}; missing: {list((html - bag).items())[:30]}"


def test_html_only_navigation_is_not_printed(pdf):
    assert "Einstieg" not in pdf.body
    assert "Alle Begriffe der Wissensbasis von A bis Z." not in pdf.body
    assert not re.search(r"A\s*\(→ S\. \d+\)\s*·", pdf.body), "glossary letter navigation in print"


# -- Links and page references ------------------------------------------------------


def test_internal_links_carry_existing_page_numbers(pdf):
    refs = [int(n) for n in PAGEREF.findall(pdf.body)]
    assert len(refs) >= 30, f"only {len(refs)} page references"
    last = max(int(n) for n in pdf.page_numbers if n.isdigit())
    assert all(1 <= n <= last for n in refs)


@pytest.mark.parametrize(
    "heading",
    [
        "Praxisbeispiel: CONTALL GmbH",
        "Praxisbeispiel: VITASERV AG",
        "Thema: Metaverse",
        "Thema: Partizipative KI-Einführung",
        "Jahrestagung der Zukunftszentren 2024",
    ],
)
def test_card_targets_point_to_the_page_of_their_heading(pdf, heading):
    # A card's target line reads "<heading> (→ S. N)"; page N starts that section.
    pattern = r"^" + re.escape(heading) + r" \(→ S\. (\d+)\)$"  # a target line of its own
    pages = {int(n) for n in re.findall(pattern, pdf.body, re.M)}
    assert pages, f"no card or link points to {heading!r}"
    for n in pages:
        lines = [line.strip() for line in pdf.pages[pdf.pdf_page_of(str(n))].splitlines()]
        assert heading in lines, f"{heading!r} is not a heading on page {n}"


# -- sphinx-design components --------------------------------------------------------


def test_cards_are_printed_with_title_body_and_target(pdf):
    body = " ".join(pdf.body.split())
    assert re.search(
        r"Praxisbeispiel VITASERV AG Social-Media-Strategie und Storytelling-Übung\. "
        r"Praxisbeispiel: VITASERV AG \(→ S\. \d+\)",
        body,
    ), "the VITASERV card on the event page is not title, body, target"


def test_exercise_prints_in_full_and_labels_are_no_sections(pdf, pdf_build):
    # The VITASERV exercise is no longer in tabs (issue 14): steps, Marie and the post idea in order.
    body = " ".join(pdf.body.split())
    assert re.search(
        r"1\. Drei fiktive, ideale Mitarbeitende wurden entworfen\..*"
        r"Eine der entworfenen Personen war Marie\..*"
        r"Aus der Arbeit mit Marie",
        body,
    ), "a part of the exercise is missing"
    tex = (pdf_build.latexdir / "wissensbasis-zukunftszentren.tex").read_text(encoding="utf-8")
    # sphinx-design #107/#218: a dropdown's title would become an unnumbered sub-section.
    assert not re.search(r"\\(sub)*section\*\{Weitere Workshops\}", tex)
    assert "\\begin{sphinxuseclass}{kb-print-label}" in tex


def test_dropdown_prints_open_with_its_title(pdf):
    body = " ".join(pdf.body.split())
    assert "Weitere Workshops Weitere Workshops befassten sich laut Bericht mit Themen wie diesen beiden" in body
    assert "Welche Workshops es sonst noch gab und wer sie leitete, ist im Bericht nicht genannt." in body


# -- Glossary and index ------------------------------------------------------------------


def _index_pages(pdf) -> str:
    """The index in typesetting order (-raw: first column, then second)."""
    start = max(i for i, page in enumerate(pdf.pages) if "Stichwortverzeichnis" in page)
    return pdf.text("-raw", "-f", str(start + 1), *BODY)


def _index_entries(pdf) -> list[str]:
    text = _index_pages(pdf)
    # Entries read "Term, 15" (several page numbers possible); letter headings stand alone.
    return [m.group(1).strip() for m in re.finditer(r"^(.+?),\s*\d+(?:,\s*\d+)*\s*$", text, re.M)]


def test_index_lists_every_glossary_term(pdf, site):
    from test_glossary import glossary_terms

    entries = _index_entries(pdf)
    for name, _ in glossary_terms(site):
        assert name in entries, f"{name!r} is not in the index: {entries}"


def test_index_is_in_german_order_with_umlauts_under_their_base_letter(pdf):
    entries = _index_entries(pdf)
    assert entries == sorted(entries, key=german_key), entries
    assert (
        entries.index("Metaverse")
        < entries.index("Öffentlichkeitsarbeit")
        < entries.index("Partizipative KI-Einführung")
    )
    assert entries.index("Storytelling") < entries.index("Übung") < entries.index("Umschulung")
    letters = [line.strip() for line in _index_pages(pdf).splitlines() if re.fullmatch(r"\s*\w\s*", line)]
    assert "O" in letters and "U" in letters, letters
    assert "Ö" not in letters and "Ü" not in letters, f"umlaut letter groups: {letters}"


# -- Without TeX -------------------------------------------------------------------------


def test_make_pdf_without_tex_stops_at_once_with_the_install_command(tmp_path):
    # A PATH with the shell tools make needs, but no TeX.
    bindir = tmp_path / "bin"
    bindir.mkdir()
    for tool in ("sh", "make", "python3", "ls", "echo", "cat"):
        for base in ("/usr/bin", "/bin"):
            if os.path.exists(f"{base}/{tool}"):
                (bindir / tool).symlink_to(f"{base}/{tool}")
                break
    start = time.monotonic()
    proc = subprocess.run(
        ["/usr/bin/make", "--no-print-directory", "pdf", f"BUILDDIR={tmp_path / 'build'}"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PATH": str(bindir), "HOME": str(tmp_path)},
    )
    assert proc.returncode != 0
    assert time.monotonic() - start < 5
    assert "apt-get install" in proc.stderr and "texlive-xetex" in proc.stderr and "xindy" in proc.stderr, proc.stderr
    assert "sphinx-build" not in proc.stdout + proc.stderr, "make went on after the check"
    assert not (tmp_path / "build").exists()
