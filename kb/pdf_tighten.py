"""A chapter whose last page would hold only a few lines is set a little tighter.

The book's rule (tests/support/pdf_flow.py): no chapter's last page is less than a
quarter full. After a layout, ``short_chapters`` finds the chapters (of more than one
page) that break it, measured like the page-flow check (``fill``: the share of the
page's body height its text reaches). ``tighten`` marks such a chapter's section
``kb-tight``; the print stylesheet then sets less space between its paragraphs, list
items, definitions and cards (never a smaller type or a wider measure).
kb.pdf_weasyprint lays the tightened chapter out alone first and keeps the mark only
if the chapter gets better: a page fewer, or a last page at least a quarter full.
The mark is part of the print document, so a fresh layout of it gives the same pages.
"""

from __future__ import annotations

import re

TIGHT = "kb-tight"
# The least share of a chapter's last page its text fills.
LAST_PAGE_FILL = 0.25

_SECTION = re.compile(r"<section\b[^>]*>")


def _boxes(box):
    yield box
    for child in getattr(box, "children", []):
        yield from _boxes(child)


def fill(page) -> float:
    """Share of the page's body height its content uses (its margin boxes left out)."""
    page_box = page._page_box
    bottoms = [
        b.position_y + b.height
        for child in page_box.children
        if type(child).__name__ != "MarginBox"
        for b in _boxes(child)
        if type(b).__name__ == "TextBox"
    ]
    return (max(bottoms) - page_box.content_box_y()) / page_box.height if bottoms else 0.0


def section_id(chapter: str) -> str | None:
    """The id of a chapter's own section (its first ``<section>``)."""
    match = _SECTION.search(chapter)
    found = re.search(r'\bid="([^"]+)"', match.group(0)) if match else None
    return found.group(1) if found else None


def tighten(chapter: str) -> str:
    """The chapter with its section marked ``kb-tight`` (once)."""
    match = _SECTION.search(chapter)
    if match is None:
        return chapter
    tag = match.group(0)
    classes = re.search(r'\bclass="([^"]*)"', tag)
    if classes is None:
        new = tag.replace("<section", f'<section class="{TIGHT}"', 1)
    elif TIGHT in classes.group(1).split():
        return chapter
    else:
        new = tag.replace(classes.group(0), f'class="{classes.group(1)} {TIGHT}"', 1)
    return chapter[: match.start()] + new + chapter[match.end() :]


def tighten_sections(document: str, ids: set[str]) -> str:
    """The document with the sections of these ids marked ``kb-tight``."""
    if not ids:
        return document

    def mark(match: re.Match) -> str:
        return tighten(match.group(0)) if section_id(match.group(0)) in ids else match.group(0)

    return _SECTION.sub(mark, document)


def short_chapters(pages, ranges: list[tuple[int, int]]) -> list[int]:
    """Indexes of the chapters (of more than one page) whose last page is less than a quarter full."""
    return [i for i, (first, end) in enumerate(ranges) if end - first > 1 and fill(pages[end - 1]) < LAST_PAGE_FILL]


def better(old_pages: int, part) -> bool:
    """Whether a chapter's tightened layout (``part``) beats its old one of ``old_pages`` pages."""
    return len(part.pages) < old_pages or (len(part.pages) == old_pages and fill(part.pages[-1]) >= LAST_PAGE_FILL)
