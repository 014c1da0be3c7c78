"""Sources visible (issue 14): the page describing the article, "Belege" on every page, the practitioners' page.

The article itself lies outside the repository, in ../shared/source/ (see README.md);
its headings are read from there, so the sources page is checked against the article,
not against a copy of its headings.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, copied, copy_sources, front_matter, resolve, run_sphinx, runs_of_six, source_pages, words

from kb.german import slug
from kb.sources import ANCHOR

# Next to the repository (the real one, also when KB_ROOT points the tests at a copy).
SOURCE_DIR = Path(__file__).resolve().parents[2] / "shared" / "source"


def article() -> str:
    files = sorted(SOURCE_DIR.glob("*.txt"))
    assert len(files) == 1, f"expected the article as the one .txt file in {SOURCE_DIR} (see README.md)"
    return files[0].read_text(encoding="utf-8")


def article_headings(text: str) -> list[str]:
    """The section headings: one-line paragraphs without end punctuation, after the title.

    The article is plain text: paragraphs separated by blank lines; its first line is the
    title, a "// Bildrechte" note follows, the name line at the end has two lines.
    """
    blocks = [b.strip() for b in re.split(r"\n\s*\n", text) if b.strip()]
    return [
        b
        for b in blocks[1:]
        if "\n" not in b and len(b) < 80 and not b.startswith("//") and not re.search(r"[.!?:“”\"]$", b)
    ]


def sources_page(site) -> str:
    """The page that defines the article's sections (found by its kb-abschnitt sections)."""
    pages = [d for d in site.pages() if site.main(d).select("section.kb-abschnitt")]
    assert len(pages) == 1, pages
    return pages[0]


def test_article_headings_are_found():
    # The parser itself: a handful of short headings, none of them a sentence of the text.
    headings = article_headings(article())
    assert 5 <= len(headings) <= 12, headings
    assert all(len(h.split()) <= 6 for h in headings), headings
    assert "Fazit" in headings


def test_sources_page_lists_the_article_headings_in_order(site):
    sections = site.main(sources_page(site)).select("section.kb-abschnitt")
    titled = [s for s in sections if "kb-ohne-ueberschrift" not in s["class"]]
    titles = [s.find(re.compile(r"^h\d$")).get_text(strip=True).rstrip("¶#") for s in titled]
    assert titles == article_headings(article())
    # A section's name in the front matter is its heading as a slug.
    assert [s["id"] for s in titled] == [ANCHOR + slug(t) for t in titles]
    # Each section: its anchor, a summary and the name for the front-matter field.
    for section in sections:
        assert section["id"].startswith(ANCHOR)
        summary = section.find("p")
        assert summary is not None and len(summary.get_text(strip=True)) > 20, section["id"]
        assert section["id"].removeprefix(ANCHOR) in section.select_one(".kb-abschnitt-kennung").get_text()


def test_sources_page_names_title_author_and_rights(site):
    text = site.text(sources_page(site))
    title = article().splitlines()[0].strip()
    assert f"„{title}“" in text
    byline = [line.strip() for line in article().strip().splitlines()[-2:]]
    for part in (byline[0], "Bildrechte", *byline[1].split(", ")):
        assert part in text, part


def test_sources_page_summaries_are_in_own_words(site):
    # No six words in a row from the article in a summary: only the headings are copied.
    runs = runs_of_six(words(article()))
    for section in site.main(sources_page(site)).select("section.kb-abschnitt"):
        for para in section.find_all("p"):
            if "kb-abschnitt-kennung" in (para.get("class") or []):
                continue
            copies = copied(words(para.get_text(" ")), runs)
            assert copies == [], (section["id"], copies)


def _belege(site, docname):
    return site.main(docname).select(".kb-quelle .kb-belege")


def test_every_page_has_valid_belege(site):
    defining = sources_page(site)
    anchors = {s["id"] for s in site.main(defining).select("section.kb-abschnitt")}
    for docname in site.pages():
        if docname == defining:
            assert _belege(site, docname) == [], "the sources page describes the sections itself"
            continue
        if front_matter(docname).get("source_credit") is False:
            assert _belege(site, docname) == [], f"{docname} reproduces nothing from the article"
            continue
        lines = _belege(site, docname)
        assert len(lines) == 1, f"{docname}: no 'Belege' line in the source credit"
        assert lines[0].get_text(" ", strip=True).startswith("Belege:")
        cited = front_matter(docname).get("sources")
        assert cited, f"{docname}: no 'sources' in the front matter"
        links = [resolve(docname, a["href"]) for a in lines[0].select("a[href]")]
        # The page's own sections first; a listing page adds those behind its cards (test_card_sources).
        assert links[: len(cited)] == [(defining, ANCHOR + key) for key in cited], docname
        assert {fragment for _, fragment in links} <= anchors, docname


def test_general_explanations_are_labelled(site):
    boxes = [box for d in site.pages() for box in site.main(d).select(".kb-allgemein")]
    assert boxes, "no general explanation on any page"
    for box in boxes:
        assert box.get_text(" ", strip=True).startswith("Allgemein (nicht aus dem Bericht):")


# -- Mistakes fail the build with file and line -----------------------------------------


@pytest.fixture(scope="module")
def broken_sources(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("sources")
    src = copy_sources(tmp / "src")
    page = src / "glossary" / "metaverse.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(text.replace("  - kreative-mittagspause-und-live-demos\n", "  - mittagspause\n"), encoding="utf-8")
    page = src / "case-studies" / "contall.md"
    text = page.read_text(encoding="utf-8")
    page.write_text(re.sub(r"sources:\n(  - .*\n)+", "", text), encoding="utf-8")
    return run_sphinx(src, tmp / "out")


def _line(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def test_unknown_section_is_reported_at_its_front_matter_line(broken_sources):
    assert broken_sources.returncode == 1
    line = _line(ROOT / "glossary" / "metaverse.md", "- kreative-mittagspause-und-live-demos")
    pattern = rf"glossary/metaverse\.md:{line}: WARNING: .*Feld „sources“ nennt den Abschnitt „mittagspause“, den es nicht gibt"
    assert re.search(pattern, broken_sources.output), broken_sources.warnings


def test_missing_sources_are_reported_at_the_front_matter(broken_sources):
    pattern = r"case-studies/contall\.md:2: WARNING: .*Pflichtfeld „sources“ fehlt im Kopf der Seite"
    assert re.search(pattern, broken_sources.output), broken_sources.warnings
    assert "Pflichtfeld „sources“ fehlt" in broken_sources.output  # the German explanation (kb.problems)


# -- Print: the same "Belege" in the one-page HTML and the LaTeX output -------------------------


@pytest.fixture(scope="module")
def singlehtml(tmp_path_factory):
    out = tmp_path_factory.mktemp("singlehtml")
    result = run_sphinx(ROOT, out, builder="singlehtml")
    assert result.returncode == 0, result.output
    return BeautifulSoup((out / "index.html").read_text(encoding="utf-8"), "html.parser")


def test_belege_link_within_the_single_page(singlehtml):
    lines = singlehtml.select(".kb-belege")
    cited = [d for d in source_pages(ROOT) if front_matter(d).get("sources")]
    assert len(lines) == len(cited)
    ids = {tag["id"] for tag in singlehtml.select("[id]")}
    for line in lines:
        hrefs = [a["href"] for a in line.select("a[href]")]
        # Sphinx writes "#document-<page>#<anchor>" for every cross-page reference in singlehtml
        # (its {ref} links too); the anchor is what the single page must hold.
        anchors = [h.rsplit("#", 1)[1] for h in hrefs if h.startswith("#")]
        assert hrefs and len(anchors) == len(hrefs), hrefs
        assert all(a.startswith(ANCHOR) and a in ids for a in anchors), hrefs


def _printed_pages(document: BeautifulSoup) -> list[str]:
    """Pages with "Belege" that print as pages: not the pages about the web site (`only html`),
    and not the tag pages, which become rows of the tag register (kb.pdf)."""
    printed = {tag["id"].removeprefix("document-") for tag in document.select('[id^="document-"]')}
    return [
        d
        for d in source_pages(ROOT)
        if d in printed and front_matter(d).get("sources") and front_matter(d).get("type") != "tag"
    ]


@pytest.mark.xdist_group("pdf")  # shares the session's pdf_build
def test_belege_in_the_print_document_and_the_pdf(pdf_build):
    assert pdf_build.returncode == 0, pdf_build.output[-3000:]
    document = BeautifulSoup(pdf_build.document.read_text(encoding="utf-8"), "html.parser")
    lines = document.select(".kb-belege")
    assert len(lines) == len(_printed_pages(document)) > 5
    # Each page keeps its own line; the imprint's credit speaks for the whole book and has none.
    assert document.select(".kb-quelle .kb-belege, .kb-quelle.kb-belege") == []
    ids = {tag["id"] for tag in document.select("[id]")}
    for line in lines:
        hrefs = [a["href"] for a in line.select("a[href]")]
        assert hrefs and all(h.startswith("#" + ANCHOR) and h[1:] in ids for h in hrefs), hrefs
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf_build.pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert text.count("Belege:") == len(lines)


# -- The practitioners' page ------------------------------------------------------------------


PRAXIS = "praxis/index"


def test_landing_page_links_the_practitioners_page(site):
    # In the running text, so the PDF has it too (the cards are web only).
    links = {resolve("index", a["href"]) for p in site.main("index").find_all("p") for a in p.select("a[href]")}
    assert (PRAXIS, "") in links or (PRAXIS, "praxis") in links, links


def test_each_point_for_practice_links_to_where_the_site_tells_it(site):
    main = site.main(PRAXIS)
    points = [
        li
        for ul in main.select("section ul")
        if not ul.find_parent(class_="kb-quelle")
        for li in ul.select(":scope > li")
    ]
    assert len(points) >= 6
    for point in points:
        targets = [resolve(PRAXIS, a["href"]) for a in point.select("a.reference.internal[href]")]
        # a section of another page that is neither the glossary nor the Akteure list
        sections = [(d, f) for d, f in targets if f and d not in (PRAXIS, "glossary/index", "actors/index")]
        label = point.strong.get_text(strip=True) if point.strong else point.get_text()[:40]
        assert sections, f"{label}: no link to the page that tells it"
        for docname, fragment in sections:
            assert site.soup(docname).find(id=fragment) is not None, (label, docname, fragment)
