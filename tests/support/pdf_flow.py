"""Page flow of the PDF, measured from WeasyPrint's page boxes (tests/test_pdf.py, tools).

``problems(document)`` takes a rendered ``weasyprint.Document`` of the print document
(or of a handout) and returns one line per breach of the rules a book keeps:

* a heading has at least two lines of what follows on its page;
* a paragraph that leads in to a quotation (a ``<p>`` right before a
  ``<blockquote>``) ends on the page where the quotation starts;
* no word is hyphenated across a page turn;
* no page is less than half full, except a chapter's last page (the page before
  a page that starts with an ``<h1>``, or the last page), and no chapter's last
  page is less than a quarter full.

The front matter (pages before the first chapter) is not measured.
"""

from __future__ import annotations

HEADINGS = {"h2", "h3", "h4", "h5", "h6"}
LINES_AFTER_A_HEADING = 2


def boxes(box):
    yield box
    for child in getattr(box, "children", []):
        yield from boxes(child)


def _body(page):
    """The page's boxes without its margin boxes (running heads, page numbers)."""
    for child in page._page_box.children:
        if type(child).__name__ != "MarginBox":
            yield from boxes(child)


def fill(page) -> float:
    """Share of the page's body height its content uses (kb.pdf_tighten measures a chapter's last page so)."""
    from kb.pdf_tighten import fill as measured

    return measured(page)


def starts_chapter(page) -> bool:
    return any(getattr(b, "element_tag", "") == "h1" for b in _body(page))


def _text(element) -> str:
    return " ".join("".join(element.itertext()).split())


def _lines(page) -> list:
    """The page's line boxes in reading order, with their top."""
    return [b for b in _body(page) if type(b).__name__ == "LineBox" and b.children]


def _element_pages(document) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    for number, page in enumerate(document.pages, 1):
        for box in _body(page):
            element = getattr(box, "element", None)
            if element is not None:
                pages = found.setdefault(id(element), [])
                if number not in pages:
                    pages.append(number)
    return found


def problems(document) -> list[str]:
    pages = document.pages
    first = next((i for i, page in enumerate(pages) if starts_chapter(page)), 0)
    element_pages = _element_pages(document)
    root = next(b.element for b in boxes(pages[0]._page_box) if getattr(b, "element_tag", "") == "html")
    parent = {child: node for node in root.iter() for child in node}
    found: list[str] = []
    for index in range(first, len(pages)):
        page, number = pages[index], index + 1
        lines = _lines(page)
        # Headings with at least two lines of what follows.
        for box in _body(page):
            if getattr(box, "element_tag", "") in HEADINGS and type(box).__name__ == "BlockBox":
                bottom = box.position_y + box.height
                after = [line for line in lines if line.position_y >= bottom - 0.5]
                if len(after) < LINES_AFTER_A_HEADING and not _ends_its_section(box.element, parent):
                    found.append(f"page {number}: heading {_text(box.element)!r} has {len(after)} line(s) after it")
        # A word hyphenated across the page turn.
        if lines and index + 1 < len(pages):
            texts = [b for b in boxes(lines[-1]) if type(b).__name__ == "TextBox"]
            if texts and _auto_hyphenated(texts[-1]):
                found.append(f"page {number}: the last line ends in a hyphenated word ({texts[-1].text[-20:]!r})")
        # Fill.
        last_of_chapter = index + 1 == len(pages) or starts_chapter(pages[index + 1])
        share = fill(page)
        if last_of_chapter and share < 0.25:
            found.append(f"page {number}: a chapter's last page only {share:.0%} full")
        elif not last_of_chapter and share < 0.5:
            found.append(f"page {number}: only {share:.0%} full")
    # Lead-ins with their quotations.
    seen: set[int] = set()
    for page in pages[first:]:
        for box in _body(page):
            element = getattr(box, "element", None)
            if getattr(box, "element_tag", "") != "blockquote" or id(element) in seen:
                continue
            seen.add(id(element))
            lead = _previous(element, parent)
            if lead is None or lead.tag != "p":
                continue
            quote_page = element_pages[id(element)][0]
            lead_pages = element_pages.get(id(lead), [])
            if lead_pages and lead_pages[-1] != quote_page:
                found.append(f"page {quote_page}: the quotation is separated from its lead-in {_text(lead)[-40:]!r}")
    return found


def _previous(element, parent):
    siblings = list(parent.get(element, ()))
    index = siblings.index(element) if element in siblings else 0
    return siblings[index - 1] if index > 0 else None


def _ends_its_section(heading, parent) -> bool:
    """A heading with nothing after it in its section (an empty section) cannot be kept with text."""
    siblings = list(parent.get(heading, ()))
    return siblings[-1] is heading if siblings else True


def _auto_hyphenated(text_box) -> bool:
    """The box ends with a hyphen the text does not have (a hyphenation break)."""
    text = text_box.text.rstrip()
    if not text.endswith(("-", "\u2010")):
        return False
    word = text.split()[-1] if text.split() else ""
    element = text_box.element
    return element is not None and word.rstrip("-\u2010") + "-" not in "".join(element.itertext())
