"""The PDF (`make pdf`): tagged PDF/UA-1 from the print document, read back with pikepdf, poppler and WeasyPrint.

Built once per session. Checks accessibility (structure, language, metadata,
link descriptions, two PDF/UA checkers), the layout of a published report
(title and imprint page, contents, running heads, registers, no box split
across pages, no heading at a page foot) and that the content is all there.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import Counter
from functools import cached_property
from pathlib import Path

import pikepdf
import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, front_matter, require_tools, site_config, source_pages
from test_content import KEY_FACTS

from kb.german import date as german_date
from kb.german import sort_key
from kb.pdf_document import last_change
from kb.pdf_weasyprint import PDF_VARIANT

# One pytest-xdist worker runs this module: its session fixtures are expensive (Makefile, TEST_WORKERS).
pytestmark = pytest.mark.xdist_group("pdf")

BIN = Path(sys.executable).parent
# The pages about the web site (footer links: Impressum, Datenschutz, ...) are
# not printed (index.md: `only html`); the PDF has its own imprint.
PRINTED_PAGES = [d for d in source_pages() if d not in site_config()["kb_footer_pages"]]
# Boxes that must stay on one page: cards (key facts included), tab sets, dropdowns, quotations.
BOX_CLASSES = {"sd-card", "kb-print-tab-set", "kb-print-dropdown", "kb-key-facts"}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
MAX_OUTLOUD_WARNINGS = 20
# A book's measure is 60–75 characters; the median body line may reach 80.
MAX_MEDIAN_LINE = 80


def normalise(text: str) -> str:
    """Text for containment checks: no whitespace, no hyphens (line-break hyphenation)."""
    return re.sub(r"[\s\-\u00ad\u2010\u2011]+", "", text)


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


class Pdf:
    """The built PDF via pdftotext and pikepdf."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.doc = pikepdf.open(path)

    def text(self, *options: str) -> str:
        return subprocess.run(
            ["pdftotext", "-enc", "UTF-8", *options, str(self.path), "-"], capture_output=True, text=True, check=True
        ).stdout

    @cached_property
    def pages(self) -> list[str]:
        return self.text().split("\f")[: len(self.doc.pages)]

    @cached_property
    def body(self) -> str:
        return "\n".join(self.pages)

    @cached_property
    def structure(self) -> list[tuple[str, str]]:
        """(tag, text of its marked content is not needed) in reading order: every structure element's /S."""
        found: list[tuple[str, str]] = []

        def walk(node) -> None:
            if isinstance(node, pikepdf.Dictionary):
                if "/S" in node:
                    found.append((str(node.S)[1:], str(node.get("/Alt", ""))))
                kids = node.get("/K")
                if kids is not None:
                    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
                        walk(kid)

        walk(self.doc.Root.StructTreeRoot)
        return found

    @cached_property
    def tags(self) -> list[str]:
        return [tag for tag, _ in self.structure]


@pytest.fixture(scope="session")
def pdf(pdf_build) -> Pdf:
    require_tools("pdftotext")
    assert pdf_build.returncode == 0, pdf_build.output[-5000:]
    assert pdf_build.pdf.is_file(), f"no PDF at {pdf_build.pdf}:\n{pdf_build.output[-3000:]}"
    return Pdf(pdf_build.pdf)


@pytest.fixture(scope="session")
def layout(pdf_build, pdf):
    """WeasyPrint's page boxes of the print document (the layout the PDF was written from)."""
    from weasyprint import HTML

    return HTML(filename=str(pdf_build.document)).render(pdf_variant=PDF_VARIANT)


def _boxes(box):
    yield box
    for child in getattr(box, "children", []):
        yield from _boxes(child)


# -- The build ---------------------------------------------------------------------------


def test_make_pdf_builds_without_warnings(pdf_build, pdf):
    problems = [line for line in pdf_build.output.splitlines() if "WARNING" in line or "ERROR" in line]
    assert problems == []


def test_page_count_is_sane(pdf):
    # Title, imprint, contents, about a dozen pages of content, glossary, registers.
    assert 12 <= len(pdf.doc.pages) <= 40, len(pdf.doc.pages)


def test_the_print_document_has_nothing_web_only(pdf_build):
    soup = BeautifulSoup(pdf_build.document.read_text(encoding="utf-8"), "html.parser")
    for tag in ("nav", "script", "form", "input", "button", "details"):
        assert soup.find(tag) is None, f"<{tag}> in the print document"
    for css in (".headerlink", ".theme-toggle", ".sidebar-drawer", ".kb-pdf-download", "[role=search]"):
        assert not soup.select(css) or css == ".headerlink", css
    assert soup.html["lang"].startswith("de")


# -- Accessibility: PDF/UA-1 ---------------------------------------------------------------


def test_pdf_is_tagged_with_language_and_window_title(pdf):
    root = pdf.doc.Root
    assert "/StructTreeRoot" in root
    assert root.MarkInfo.Marked is True or bool(root.MarkInfo.Marked)
    assert str(root.Lang).startswith("de"), root.Lang
    assert bool(root.ViewerPreferences.DisplayDocTitle)


def test_xmp_has_title_author_subject_keywords_and_pdfua_part(pdf, site):
    xmp = pdf.doc.Root.Metadata.read_bytes().decode("utf-8")
    assert 'pdfuaid:part="1"' in xmp or "<pdfuaid:part>1</pdfuaid:part>" in xmp
    with pdf.doc.open_metadata() as meta:
        assert meta["dc:title"] == "Wissensbasis Zukunftszentren"
        assert meta["dc:creator"] == ["Redaktion Wissensbasis Zukunftszentren"]
        assert "Jahrestagung" in meta["dc:description"]
        keywords = {k.strip() for k in meta["pdf:Keywords"].split(",")}
    # Every topic of every page (the tag pages' titles) is a keyword.
    topics = {a.get_text(strip=True) for page in source_pages() for a in site.soup(page).select(".kb-schlagworte a")}
    assert topics and topics <= keywords, topics - keywords


def test_every_link_annotation_has_a_description(pdf):
    links = 0
    for page in pdf.doc.pages:
        for annot in page.get("/Annots", []):
            if annot.Subtype != "/Link":
                continue
            links += 1
            text = str(annot.get("/Contents", "")).strip()
            assert text, f"link without /Contents: {annot.get('/Dest')}"
            # The description is what the reader sees, not the anchor it leads to.
            assert text != str(annot.get("/Dest", "")), text
    assert links > 100, links


def test_structure_has_headings_in_order_lists_tables_and_quotations(pdf):
    headings = [int(tag[1]) for tag in pdf.tags if re.fullmatch(r"H[1-6]", tag)]
    assert headings[0] == 1
    assert {1, 2, 3} <= set(headings)
    skips = [(a, b) for a, b in zip(headings, headings[1:], strict=False) if b > a + 1]
    assert skips == [], f"heading levels skip: {skips}"
    for tag in ("Table", "TH", "TD", "L", "LI", "LBody", "BlockQuote", "Caption", "Link"):
        assert tag in pdf.tags, f"no {tag} in the structure tree"


def test_key_facts_boxes_are_captioned_tables(pdf, site):
    captions = [
        t.get_text(" ", strip=True)
        for page in source_pages()
        # On the web site the card's title is its table's caption (kb.markup).
        for t in site.soup(page).select(".sd-card-title, .sd-card caption")
        if t.find_parent(class_="sd-card").find("table")
    ]
    assert captions, "no key-facts card found in the site"
    assert pdf.tags.count("Caption") >= len(captions)


@pytest.mark.parametrize(
    "command",
    [["outloud", "--no-info"], ["pdfua", "check", "--min-severity", "error"]],
    ids=["outloud", "pdfua"],
)
def test_pdfua_checkers_report_no_error(pdf, command):
    proc = subprocess.run([str(BIN / command[0]), *command[1:], str(pdf.path)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    if command[0] == "outloud":  # both layers; the bar: no error, at most 20 warnings
        warnings = int(re.search(r"(\d+) warning\(s\)", proc.stdout).group(1))
        assert warnings <= MAX_OUTLOUD_WARNINGS, proc.stdout[-4000:]


def test_text_extracts_without_ligatures(pdf):
    raw = pdf.text()
    assert "Homeoffice" in raw
    ligatures = sorted({c for c in raw if "\ufb00" <= c <= "\ufb06"})
    assert ligatures == [], f"ligature glyphs in the text: {ligatures}"
    assert "ä" in raw and "ß" in raw and "Ü" in raw


# -- Content --------------------------------------------------------------------------------


@pytest.mark.parametrize("docname", sorted(KEY_FACTS))
def test_key_facts_are_in_the_pdf(pdf, docname):
    text = normalise(pdf.body)
    missing = [fact for fact in KEY_FACTS[docname] if normalise(fact) not in text]
    assert missing == []


def _printed_html_text(site, docname: str) -> str:
    """A page's main content as print has it: its source credit is on the imprint page,
    its web navigation (card grids of overview pages, the A–Z letter line) is not
    printed, and a tag page's cards are one row of the tag register."""
    main = BeautifulSoup(str(site.main(docname)), "html.parser")
    # Print-only wording (issue 26): "Erwähnt in" lists go (the register names the pages), the
    # field identifiers go, a key-facts table has row headers and no head row.
    web_only = (".kb-erwaehnt", ".kb-abschnitt-kennung", ".sd-card table thead")
    for css in (".headerlink", ".kb-quelle", ".kb-schlagwort-seiten", ".sd-container-fluid", ".rubric", *web_only):
        for tag in main.select(css):
            tag.decompose()
    for para in main.select("p"):
        links = para.select("a[href]")
        if links and all(a["href"].startswith("#glossar-") for a in links):
            para.decompose()  # the glossary's A–Z letter line (`only html`)
    return " ".join(main.get_text(" ").split())


def test_html_words_are_in_the_pdf(site, pdf):
    # The main content of every page, with its credit once: at least 97 % of its words.
    body = pdf.body
    bag = Counter(words(body)) | Counter(words(re.sub(r"(\w)[-\u2010]\n(\w)", r"\1\2", body)))
    html = Counter(words(" ".join(_credit_sentences()[1:])))
    for docname in PRINTED_PAGES:
        html += Counter(words(_printed_html_text(site, docname).replace("¶", " ").replace("#", " ")))
    found = sum((html & bag).values())
    share = found / sum(html.values())
    print(f"HTML main-content words in the PDF: {found}/{sum(html.values())} = {share:.1%}")
    assert share >= 0.97, f"{share:.1%}; missing: {list((html - bag).items())[:30]}"


def _credit_sentences() -> list[str]:
    lines = (ROOT / "_snippets" / "quelle.md").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith(":::")]


def test_source_credit_appears_once_on_the_imprint_page(pdf):
    body = normalise(pdf.body)
    for sentence in _credit_sentences()[1:]:  # the first one names the page ("Diese Seite")
        assert body.count(normalise(sentence)) == 1, sentence
    assert normalise(_credit_sentences()[-1]) in normalise(pdf.pages[1]), "the credit is not on the imprint page"
    assert "Diese Seite beruht" not in pdf.body


def test_title_page_and_imprint(pdf):
    title = " ".join(pdf.pages[0].split())
    for part in (
        "Wissensbasis Zukunftszentren",
        "Jahrestagung der Zukunftszentren 2024, Berlin, 19. November 2024",
        "„Künstliche Intelligenz – Die Zukunft der Arbeit gestalten: Partizipative Einführung von KI in KMU“",
        "Redaktion Wissensbasis Zukunftszentren",
    ):
        assert part in title, f"title page lacks {part!r}: {title}"
    imprint = " ".join(pdf.pages[1].split())
    # "Stand": the last change to the pages in git, not the day of the build.
    # The pages are what conf.py builds: its include_patterns.
    changed = last_change(ROOT, [p.rstrip("*/") for p in site_config()["include_patterns"]])
    assert changed, "no git date for the pages"
    assert f"Stand: {german_date(changed)}" in imprint, imprint
    for part in ("Rückblick: Jahrestagung der Zukunftszentren 2024", "Sarah Puck", "Bildrechte"):
        assert part in imprint


# -- Layout of a report ---------------------------------------------------------------------


def _contents(pdf) -> list[tuple[str, int]]:
    """(title, page) of each contents line."""
    start = next(i for i, page in enumerate(pdf.pages) if page.lstrip().startswith("Inhalt"))
    text = pdf.text("-layout", "-f", str(start + 1), "-l", str(start + 1))
    return [(m.group(1).strip(), int(m.group(2))) for m in re.finditer(r"^\s*(\S.*?)\s*\.{3,}\s*(\d+)\s*$", text, re.M)]


def test_contents_lists_chapters_with_their_page_numbers(pdf, site):
    contents = _contents(pdf)
    titles = [t for t, _ in contents]
    for chapter in ("Über diese Wissensbasis", "Veranstaltungen", "Praxisbeispiele", "Glossar", "Register"):
        assert chapter in titles, titles
    # No single letters (the glossary's A–Z groups).
    assert not [t for t in titles if len(t) == 1], titles
    for title, number in contents:
        lines = [" ".join(line.split()) for line in pdf.pages[number - 1].splitlines()]
        assert title in lines, f"{title!r} is not a heading on page {number}"


def test_running_heads_and_page_numbers(pdf):
    numbered = 0
    for index, page in enumerate(pdf.pages[3:], start=4):
        lines = [line.strip() for line in page.strip().splitlines() if line.strip()]
        if lines and lines[-1] == str(index):
            numbered += 1
        head = pdf.text("-f", str(index), "-l", str(index), "-y", "0", "-H", "70", "-W", "595", "-x", "0")
        assert not re.search(r"^\s*\w\s*$", head, re.M), f"a single letter in the running head of page {index}"
    assert numbered == len(pdf.pages) - 3, "a content page has no page number"
    heads = [
        pdf.text("-f", str(i), "-l", str(i), "-x", "0", "-y", "0", "-W", "595", "-H", "70")
        for i in range(5, len(pdf.pages) + 1)
    ]
    assert sum("Wissensbasis Zukunftszentren" in h for h in heads) >= len(heads) - 1


def test_german_hyphenation_but_never_in_names(layout, site):
    from kb.pdf_actualtext import broken_words

    # The layout's lines (the PDF's text reads broken words whole: kb.pdf_actualtext).
    breaks = [
        (before.text, after.text)
        for page in layout.pages
        for before, after, _rest, own in broken_words(page._page_box)
        if not own and re.search(r"[a-zäöüß]-$", before.text) and re.match(r"[a-zäöüß]", after.text)
    ]
    assert len(breaks) >= 10, f"only {len(breaks)} hyphenated line breaks"
    names = [dt.get_text(" ", strip=True) for dt in site.soup("actors/index").select("dl.kb-akteure dt")]
    assert names
    # A hyphenated break marked in place, lines joined: a name must never hold the mark.
    flat = " ".join(" ".join(f"{before[:-1]}<BREAK>{after}".split()) for before, after in breaks)
    for name in names:
        for cut in range(1, len(name)):
            if name[cut - 1].isalnum() and name[cut].isalnum():
                assert name[:cut] + "<BREAK>" + name[cut:] not in flat, f"{name!r} is hyphenated"


def test_no_box_is_split_across_pages(layout):
    pages_of: dict[int, set[int]] = {}
    names: dict[int, str] = {}
    for number, page in enumerate(layout.pages, 1):
        for box in _boxes(page._page_box):
            element = getattr(box, "element", None)
            classes = set((element.get("class") or "").split()) if element is not None else set()
            if classes & BOX_CLASSES or getattr(box, "element_tag", "") == "blockquote":
                pages_of.setdefault(id(element), set()).add(number)
                names[id(element)] = " ".join(" ".join(element.itertext()).split())[:60]
    assert len(pages_of) >= 10, "few boxes found: has the print markup changed?"
    split = [f"{names[key]!r} on pages {sorted(pages)}" for key, pages in pages_of.items() if len(pages) > 1]
    assert split == [], "\n".join(split)


def test_no_heading_at_a_page_foot(layout):
    for number, page in enumerate(layout.pages, 1):
        blocks = [
            box
            for box in _boxes(page._page_box)
            if getattr(box, "element_tag", "") in HEADINGS | {"p", "li", "dt", "dd", "td", "th", "caption"}
            and type(box).__name__ != "TextBox"
        ]
        if blocks and blocks[-1].element_tag in HEADINGS:
            last = " ".join(blocks[-1].element.itertext()).strip()
            pytest.fail(f"page {number} ends with the heading {last!r}")


def _fill(page) -> float:
    """Share of the page's body height that its content uses (without running heads and numbers)."""
    page_box = page._page_box
    body = [child for child in page_box.children if type(child).__name__ != "MarginBox"]
    bottoms = [
        box.position_y + box.height for child in body for box in _boxes(child) if type(box).__name__ == "TextBox"
    ]
    return (max(bottoms) - page_box.content_box_y()) / page_box.height if bottoms else 0.0


def test_no_page_less_than_a_quarter_filled_except_before_a_chapter(layout):
    def starts_chapter(page) -> bool:
        return any(getattr(box, "element_tag", "") == "h1" for box in _boxes(page._page_box))

    pages = layout.pages
    first = next(i for i, page in enumerate(pages) if i > 2 and starts_chapter(page))
    sparse = [
        f"page {i + 1}: {_fill(pages[i]):.0%}"
        for i in range(first, len(pages) - 1)
        if _fill(pages[i]) < 0.25 and not starts_chapter(pages[i + 1])
    ]
    assert sparse == []
    assert _fill(pages[first]) > 0.1, "the fill measure finds no text"


def test_tag_register_replaces_the_tag_pages(pdf, site):
    tags = [a.get_text(strip=True) for a in site.soup("tags/index").select(".sd-card-title")]
    assert tags, "no tag cards on the site's tags page"
    start = next(i for i, page in enumerate(pdf.pages) if re.search(r"^Schlagworte\s*$", page, re.M) and i > 3)
    register = normalise(pdf.pages[start] + pdf.pages[start + 1])
    for tag in tags:
        assert normalise(tag) in register, tag
    # No page per tag: the tag pages' sentence is not printed.
    assert "tragen das Schlagwort" not in pdf.body


def test_register_lists_terms_people_and_organisations_with_pages(pdf, site):
    from test_glossary import glossary_terms

    start = max(i for i, page in enumerate(pdf.pages) if re.search(r"^Register\s*$", page, re.M))
    register = " ".join("".join(pdf.pages[start:]).split())
    actors = [dt.get_text(" ", strip=True) for dt in site.soup("actors/index").select("dl.kb-akteure dt")]
    terms = [name for name, _ in glossary_terms(site)]
    from kb.pdf_book import inverted

    for name in actors + terms:
        # People by surname ("Kretschmer, Bettina"), organisations and terms as written.
        forms = {name, inverted(name)} if name in actors else {name}
        # Without spaces and hyphens: a name may wrap in the register's narrow columns.
        assert any(normalise(form) + digit in normalise(register) for form in forms for digit in "123456789"), (
            f"{name!r} has no register entry with pages"
        )
    last = len(pdf.pages)
    assert all(1 <= int(n) <= last for n in re.findall(r"(?<![\w.])(\d{1,3})(?=[,\s]|$)", register))


def test_glossary_has_its_heading_before_its_terms(pdf, site):
    from test_glossary import glossary_terms

    first_term = sorted(name for name, _ in glossary_terms(site))[0]
    text = " ".join(pdf.body.split())
    glossary = text.index("Glossar Das Glossar erklärt")
    assert glossary < text.index(first_term, glossary)
    # The topic pages follow the terms.
    assert text.index(first_term, glossary) < text.index("Thema: Metaverse Schlagworte:", glossary)


# -- Without the system libraries -----------------------------------------------------------


def test_make_pdf_without_pango_stops_at_once_with_one_line(tmp_path):
    # Every shared library WeasyPrint asks cffi for "is missing" (sitecustomize runs first).
    (tmp_path / "sitecustomize.py").write_text(
        "import cffi\n"
        "def _missing(self, name, *args, **kwargs):\n"
        "    raise OSError(f'cannot load library {name!r}')\n"
        "cffi.FFI.dlopen = _missing\n",
        encoding="utf-8",
    )
    proc = subprocess.run(
        ["make", "--no-print-directory", "pdf", f"BUILDDIR={tmp_path / 'build'}"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(tmp_path)},
        timeout=120,
    )
    assert proc.returncode != 0
    errors = [line for line in proc.stderr.splitlines() if line.startswith("make pdf:")]
    assert len(errors) == 1, proc.stderr
    assert "apt-get install" in errors[0] and "libpango-1.0-0" in errors[0]
    assert "Traceback" not in proc.stderr
    assert "sphinx-build" not in proc.stdout + proc.stderr, "make went on after the check"
    assert not (tmp_path / "build").exists()


# -- Print edition 2 (issue 26): set for reading, cross-referenced like a book -------------


def test_median_body_line_is_a_reading_measure(pdf):
    lengths = [
        len(line.strip())
        for page in pdf.text("-layout").split("\f")[3:]
        for line in page.splitlines()
        if len(line.split()) >= 6  # lines of running text, not table cells or headings
    ]
    lengths.sort()
    median = lengths[len(lengths) // 2]
    print(f"median body line: {median} characters ({len(lengths)} lines)")
    assert median <= MAX_MEDIAN_LINE


def test_no_web_navigation_in_print(pdf):
    text = pdf.body
    assert "›" not in text, "a breadcrumb (›) in the PDF"
    assert "Kennung für das Feld" not in text
    assert not re.search(r"\bsources:", text), "a front-matter field name in the PDF"
    # "Erwähnt in" lists are web navigation: the register at the end names the pages.
    assert "Erwähnt" not in text, "an 'Erwähnt in' line in the PDF"
    assert re.search(r"→ S\. \d+", text), "no cross-reference with its page"


def test_cross_references_name_the_page_they_lead_to(pdf_build, layout):
    """Every "→ S. n" is the page of the link's target (target-counter, checked in the layout)."""
    soup = BeautifulSoup(pdf_build.document.read_text(encoding="utf-8"), "html.parser")
    xrefs = soup.select("a.kb-xref")
    assert len(xrefs) > 20
    anchors: dict[str, int] = {}
    for number, page in enumerate(layout.pages, 1):
        for name in page.anchors:  # an element split across pages: where it starts
            anchors.setdefault(name, number)
    after = {}
    for page in layout.pages:
        for box in _boxes(page._page_box):
            if getattr(box, "element_tag", "") == "a::after" and type(box).__name__ == "InlineBox":
                text = "".join(b.text for b in _boxes(box) if type(b).__name__ == "TextBox")
                after.setdefault(box.element.get("href"), set()).add(text)
    checked = 0
    for href, texts in after.items():
        for text in texts:
            if "→" in text:
                assert text.split()[-1].strip("\u202f").endswith(str(anchors[href[1:]])), (href, text)
                checked += 1
    assert checked > 20, checked


def test_the_pdf_prints_the_page_references_of_its_layout(pdf, layout):
    """The written PDF shows each page's "→ S. n" as a fresh layout of the print document does.

    kb.pdf_chapters writes the numbers into the first layout and lays out again only the
    chapters that changed; the PDF must be the layout the filled document has.
    """
    assert len(pdf.pages) == len(layout.pages)
    for number, (text, page) in enumerate(zip(pdf.pages, layout.pages, strict=True), 1):
        laid_out = [
            b.text.split()[-1]
            for b in _boxes(page._page_box)
            if type(b).__name__ == "TextBox" and b.element_tag == "a::after" and "→" in b.text
        ]
        printed = re.findall(r"→\s*S\.\s*(\d+)", text)  # also the imprint's example "(→ S. 12)"
        assert not Counter(laid_out) - Counter(printed), (number, printed, laid_out)


def test_hyphenated_words_read_whole_in_the_tag_tree(pdf, pdf_build, layout):
    """A reader following the structure tree (outloud's screen-reader preview) gets no word in halves.

    kb.pdf_actualtext: /ActualText on the halves of a word broken at a line end.
    """
    from outloud.model import Document
    from outloud.viewer import reading_order

    html = pdf_build.document.read_text(encoding="utf-8")
    text = " ".join(BeautifulSoup(html, "html.parser").get_text(" ").replace("\u00ad", "").split())
    read = " ".join(
        item["text"]
        for _page, items in sorted(reading_order(Document(str(pdf.path))).items())
        for item in items
        if item["type"] != "Artifact"
    )
    halves = [
        m.group(0)
        for m in re.finditer(r"(\w+)-\s+(\w+)", read)
        if m.group(1) + m.group(2) in text and f"{m.group(1)}-{m.group(2)}" not in text
    ]
    assert halves == [], halves[:10]
    # Words broken at a line end there are (the layout's lines): the check reads them.
    from kb.pdf_actualtext import broken_words

    assert sum(len(broken_words(page._page_box)) for page in layout.pages) > 10


def test_page_flow(layout):
    from support.pdf_flow import problems

    found = problems(layout)
    assert found == [], "\n".join(found)


def test_structure_is_finished_for_pdfua(pdf):
    """kb.pdf_tags: LBody in every LI, no empty Span, row headers, bookmarks shown, artifacts."""
    assert pdf.doc.Root.get("/PageMode") == "/UseOutlines", "the viewer does not open the bookmarks"
    items = lbody = empty = rows = 0

    def walk(node):
        nonlocal items, lbody, empty, rows
        if not isinstance(node, pikepdf.Dictionary):
            return
        kids = node.get("/K")
        kids = list(kids) if isinstance(kids, pikepdf.Array) else ([] if kids is None else [kids])
        if node.get("/S") == "/LI":
            items += 1
            lbody += any(isinstance(k, pikepdf.Dictionary) and k.get("/S") == "/LBody" for k in kids)
        if node.get("/S") == "/Span" and not kids and "/ActualText" not in node and "/Alt" not in node:
            empty += 1
        if node.get("/S") == "/TH" and "/A" in node and node.A.get("/Scope") == "/Row":
            rows += 1
        for kid in kids:
            walk(kid)

    walk(pdf.doc.Root.StructTreeRoot)
    assert items and lbody == items, f"{items - lbody} list items without LBody"
    assert empty == 0, f"{empty} empty Span elements"
    assert rows >= 9, "the key facts' first column is not tagged as row headers"
    # Running heads and page numbers: artifacts, not marked content with an MCID.
    page = pdf.doc.pages[len(pdf.doc.pages) // 2]
    ops = pikepdf.parse_content_stream(page)
    pagination = [o for o in ops if o.operator == pikepdf.Operator("BDC") and o.operands[0] == "/Artifact"]
    assert pagination, "no artifact marked content on a content page"


def test_register_sorts_people_by_surname_and_indexes_unlinked_mentions(pdf_build):
    soup = BeautifulSoup(pdf_build.document.read_text(encoding="utf-8"), "html.parser")
    groups = {h.get_text(strip=True).rstrip("¶"): h.find_parent("section") for h in soup.select(".kb-register h2")}
    assert {"Begriffe", "Personen", "Organisationen"} <= set(groups), list(groups)
    people = [li.get_text(" ", strip=True) for li in groups["Personen"].select("li")]
    assert people and all(re.match(r"[^,\d]+, ", entry) for entry in people), people
    surnames = [entry.split(",")[0] for entry in people]
    assert surnames == sorted(surnames, key=sort_key), surnames
    # A name in running text is indexed without a link (kb-mention), and the register points at it.
    mentions = soup.select("span.kb-mention[id]")
    assert mentions, "no unlinked mention marked"
    listed = {a for span in soup.select(".kb-register .kb-pages") for a in span["data-kb-anchors"].split()}
    assert {m["id"] for m in mentions} <= listed


# -- Handouts (kb.pdf_handouts) --------------------------------------------------------------

# Derived from the front matter: every case study and topic page has a handout.
HANDOUT_PAGES = [
    d
    for d in source_pages()
    if d.rpartition("/")[2] != "index" and front_matter(d).get("type") in ("case-study", "topic")
]


@pytest.fixture(scope="session")
def handouts(pdf_build, pdf) -> dict[str, Path]:
    folder = pdf_build.pdfdir / "handouts"
    return {p.relative_to(folder).with_suffix("").as_posix(): p for p in sorted(folder.rglob("*.pdf"))}


def test_every_case_study_and_topic_page_has_a_handout_of_one_or_two_pages(handouts):
    assert HANDOUT_PAGES, "no case study or topic page found"
    missing = [d for d in HANDOUT_PAGES if d not in handouts]
    assert missing == []
    events = {front_matter(d).get("event") for d in HANDOUT_PAGES if front_matter(d).get("type") == "case-study"}
    for event in events - {None}:
        assert f"events/{event}-praxisbeispiele" in handouts, f"no set of the case studies of {event}"
    for docname in HANDOUT_PAGES:
        assert 1 <= len(pikepdf.open(handouts[docname]).pages) <= 2, docname


def test_handouts_name_title_date_source_and_address(handouts, site):
    for docname in HANDOUT_PAGES:
        text = " ".join(Pdf(handouts[docname]).body.split())
        title = site.soup(docname).select_one("h1").get_text(strip=True).rstrip("¶#")
        assert title in text, (docname, title)
        assert "Stand: " in text and f"{docname}.html" in text, docname
        assert normalise(_credit_sentences()[-1]) in normalise(text), f"{docname}: no source credit"
        assert "›" not in text and "Kennung für das Feld" not in text, docname


def test_handouts_pass_the_pdfua_checkers(handouts):
    files = [str(p) for p in handouts.values()]
    proc = subprocess.run([str(BIN / "outloud"), "--no-info", *files], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[-4000:]
    for count in re.findall(r"(\d+) warning\(s\)", proc.stdout):
        assert int(count) <= MAX_OUTLOUD_WARNINGS, proc.stdout[-4000:]
    proc = subprocess.run(
        [str(BIN / "pdfua"), "check", "--min-severity", "error", *files], capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stdout[-4000:]


def test_handouts_page_flow(handouts, pdf_build):
    from support.pdf_flow import problems
    from weasyprint import HTML

    base = pdf_build.pdfdir.as_uri() + "/"
    found = []
    for name, path in handouts.items():
        document = HTML(string=path.with_suffix(".html").read_text(encoding="utf-8"), base_url=base)
        found += [f"{name}: {problem}" for problem in problems(document.render(pdf_variant=PDF_VARIANT))]
    assert found == [], "\n".join(found)
