"""The PDF's second layout, only where it changes something: chapter by chapter.

kb.pdf_weasyprint lays the print document out once with placeholders, fills in the
page numbers it found ("→ S. n", "(S. n)", the register) and sets the
words a page turn hyphenated whole. Laying the whole book out again doubled the time
of ``make pdf``; most chapters only change in their page references, and those keep
their width:

* a reference's number takes the room of two figures whatever its value
  (``padded``: TeX Gyre Pagella and Heros have tabular figures, and a no-break space
  is half a figure in both), so the first layout's lines stay valid and its number is
  written into the laid-out text (``patch_numbers``) instead of laying the page out again;
* a chapter (a top-level ``section`` of ``main``; each starts on a new page) whose text
  changed in anything else – a word set whole, the register –
  is laid out again on its own (``chapter_document``, page numbers continued), and its
  pages replace the old ones (``relayout``).

If a chapter laid out again needs another number of pages (kb.pdf_tighten saved one),
the pages after it keep their layout and get their page numbers moved (``renumber``),
and the contents' numbers are written anew (``patch_contents``), as long as no number
changes its width (9 and 10); otherwise, or if the front matter changed, the whole
document is laid out again, as before. The result is the layout
a fresh layout of the filled document gives (tests/test_pdf.py lays it out again).
"""

from __future__ import annotations

import re

# The room of a page number (in figures); the first layout's placeholder is "00".
DIGITS = 2
PLACEHOLDER = "0" * DIGITS
# A figure's width: two no-break spaces (TeX Gyre Pagella 2 × 250 = 500, Heros 2 × 278 = 556 units).
FIGURE_SPACE = "\u00a0\u00a0"
# A page number as laid out: its padding and figures.
NUMBER = re.compile(r"(?:\u00a0\u00a0)*\d+")
NUMBERS = re.compile(r'( data-kb-page=")[^"]*(")')
# Sections and the blocks that may hold them: a chapter is a section at the top of main.
SECTION = re.compile(r"<(/?)(section|div)\b[^>]*>")
MAIN = '<main class="kb-body">'


def padded(page: int | str) -> str:
    """The page number in the room of ``DIGITS`` figures (a narrower one after figure-wide spaces)."""
    text = str(page)
    return FIGURE_SPACE * max(0, DIGITS - len(text)) + text


def fits(anchor_pages: dict[str, int]) -> bool:
    """Whether every page number fits the room of the placeholder."""
    return all(len(str(p)) <= DIGITS for p in anchor_pages.values())


def split(document: str) -> tuple[str, list[str], str] | None:
    """(everything up to ``main``'s content, its chapters, the rest); None without a ``main``.

    A chapter is a top-level section with what follows it up to the next one: the
    ``<span id="document-...">`` anchor Sphinx writes before each page is laid out
    at the end of the chapter before (the next one starts on a new page).
    """
    start = document.find(MAIN)
    end = document.rfind("</main>")
    if start < 0 or end < start:
        return None
    start += len(MAIN)
    body = document[start:end]
    starts, depth = [], 0
    for match in SECTION.finditer(body):
        if not match.group(1) and depth == 0:
            if match.group(2) != "section":
                return None  # not a book of chapters (a handout)
            starts.append(match.start())
        depth += -1 if match.group(1) else 1
    if depth or not starts:
        return None
    starts[0] = 0
    chapters = [body[a:b] for a, b in zip(starts, [*starts[1:], len(body)], strict=True)]
    return document[:start], chapters, document[end:]


def _normal(html: str) -> str:
    """A chapter without its page references' numbers (which keep their width)."""
    return NUMBERS.sub(r"\1\2", html)


def chapter_document(head: str, chapter: str, tail: str, first_page: int) -> str:
    """A chapter as a document of its own: the book's head and styles, page numbers from ``first_page``."""
    body_start = head.find("<body")
    # Only main's own opening: the title page, imprint and contents stay out.
    opening = head[body_start : head.find(">", body_start) + 1]
    style = f"<style>@page :first {{ counter-reset: page {first_page} }}</style>\n</head>"
    return head[:body_start].replace("</head>", style) + opening + "\n" + MAIN + chapter + tail


def _ids(chapter: str) -> list[str]:
    return re.findall(r'\bid="([^"]+)"', chapter)


def chapter_pages(rendered, chapters: list[str]) -> list[tuple[int, int]] | None:
    """Each chapter's pages in a layout: (first index, end index); None if a chapter is not found."""
    anchors: dict[str, int] = {}
    for index, page in enumerate(rendered.pages):
        for name in page.anchors:
            anchors.setdefault(name, index)
    starts = []
    for chapter in chapters:
        # The section's own id: the anchor before it may sit on the previous page.
        section = re.search(r'<section\b[^>]*\bid="([^"]+)"', chapter)
        if section is None or section.group(1) not in anchors:
            return None
        starts.append(anchors[section.group(1)])
    ends = [*starts[1:], len(rendered.pages)]
    if any(b <= a for a, b in zip(starts, ends, strict=True)):
        return None
    return list(zip(starts, ends, strict=True))


def _descendants(box):
    yield box
    for child in getattr(box, "children", []):
        yield from _descendants(child)


def patch_numbers(pages, anchor_pages: dict[str, int]) -> int:
    """Write each reference's page number into laid-out pages (same width: no line moves)."""
    patched = 0
    for page in pages:
        for box in _descendants(page._page_box):
            if getattr(box, "element_tag", "") != "a::after" or box.element is None:
                continue
            classes = (box.element.get("class") or "").split()
            if "kb-xref" not in classes and "kb-pageref" not in classes:
                continue
            target = anchor_pages.get((box.element.get("href") or "")[1:])
            number = padded(target if target is not None else PLACEHOLDER)
            for text in _descendants(box):
                if type(text).__name__ != "TextBox" or not NUMBER.search(text.text):
                    continue
                new = NUMBER.sub(number, text.text, count=1)
                if new != text.text:
                    text.text = new
                    text.pango_layout.text = new
                    patched += 1
    return patched


def relayout(old: str, new: str, rendered, render, anchor_pages: dict[str, int]):
    """The layout of ``new`` from the layout of ``old``: (document, messages, pages laid out again).

    ``render(document)`` lays a document out ((document, messages)); None when only a
    whole new layout will do (the caller lays out ``new``).
    """
    if not fits(anchor_pages):
        return None
    before, after = split(old), split(new)
    if before is None or after is None:
        return None
    (head_old, chapters_old, tail_old), (head, chapters, tail) = before, after
    if len(chapters_old) != len(chapters) or _normal(head_old) != _normal(head) or tail_old != tail:
        return None
    ranges = chapter_pages(rendered, chapters_old)
    if ranges is None:
        return None
    pages = rendered.pages  # changed in place: the old pages of a chapter go before its new layout
    messages: list[str] = []
    laid_out = 0
    moved = False
    # Back to front: a chapter's replacement does not move the ranges before it.
    for index in reversed(range(len(chapters))):
        first, end = ranges[index]
        if _normal(chapters_old[index]) == _normal(chapters[index]):
            patch_numbers(pages[first:end], anchor_pages)
            continue
        pages[first:end] = []  # free the old pages before the new layout
        part, part_messages = render(chapter_document(head, chapters[index], tail, first + 1))
        patch_numbers(part.pages, anchor_pages)  # a layout made before (kb.pdf_tighten's trial)
        change = len(part.pages) - (end - first)
        if change and not renumber(pages[first:], change):
            return None  # a page number after it changes its width: a whole new layout
        moved = moved or change != 0
        pages[first:first] = part.pages
        messages += part_messages
        laid_out += len(part.pages)
    front = pages[: ranges[0][0]]
    patch_numbers(front, anchor_pages)  # the contents use target-counter, kept
    if moved and not patch_contents(front, _anchors(pages)):
        return None
    return rendered.copy(pages), messages, laid_out


def _anchors(pages) -> dict[str, int]:
    found: dict[str, int] = {}
    for number, page in enumerate(pages, 1):
        for name in page.anchors:
            found.setdefault(name, number)
    return found


def _margin_numbers(page):
    """The text boxes of a page's margin boxes that are a page number."""
    for child in page._page_box.children:
        content = child.style["content"] if type(child).__name__ == "MarginBox" else ()
        if any(part[0] == "counter()" and part[1][0] == "page" for part in content if isinstance(part, tuple)):
            for box in _descendants(child):
                if type(box).__name__ == "TextBox" and box.text.strip().isdigit():
                    yield box


def _set_text(box, text: str) -> None:
    box.text = text
    box.pango_layout.text = text


def renumber(pages, change: int) -> bool:
    """The page numbers of laid-out pages moved by ``change`` (a chapter before them got shorter or
    longer); False, and nothing changed, if a number would change its width (9 and 10)."""
    boxes = [(box, int(box.text) + change) for page in pages for box in _margin_numbers(page)]
    if any(len(str(new)) != len(box.text.strip()) or new < 1 for box, new in boxes):
        return False
    for box, new in boxes:
        _set_text(box, box.text.replace(box.text.strip(), str(new)))
    return True


# The page number at the end of a contents entry (after its leader).
TRAILING_NUMBER = re.compile(r"\d+$")


def patch_contents(pages, anchor_pages: dict[str, int]) -> bool:
    """The contents' page numbers (CSS ``target-counter``) written anew into laid-out pages;
    False if a number would change its width (the leader would need another length)."""
    changes = []
    for page in pages:
        for box in _descendants(page._page_box):
            if getattr(box, "element_tag", "") != "a::after" or box.element is None:
                continue
            classes = (box.element.get("class") or "").split()
            target = anchor_pages.get((box.element.get("href") or "")[1:])
            if "kb-xref" in classes or "kb-pageref" in classes or target is None:
                continue
            texts = [t for t in _descendants(box) if type(t).__name__ == "TextBox" and TRAILING_NUMBER.search(t.text)]
            if not texts:
                continue
            old = TRAILING_NUMBER.search(texts[-1].text).group(0)
            if len(old) != len(str(target)):
                return False
            changes.append((texts[-1], TRAILING_NUMBER.sub(str(target), texts[-1].text)))
    for box, text in changes:
        _set_text(box, text)
    return True
