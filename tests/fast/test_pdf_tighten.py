"""kb.pdf_tighten: a chapter with a nearly empty last page is laid out again, tighter, if that helps."""

from __future__ import annotations

import pytest

from kb.pdf_tighten import TIGHT, fill, tighten, tighten_sections

pytest.importorskip("weasyprint")

# Pages of 80 mm body height; a heading or paragraph takes 10 mm and 4 mm after it (6 a page),
# 1 mm when tightened (7 a page): a heading and 12 paragraphs are 3 pages, or 2 when tightened.
STYLE = """
@page { size: 100mm 100mm; margin: 10mm; @bottom-right { content: counter(page); font-size: 8pt } }
body { margin: 0; font-size: 9pt; line-height: 1.2 }
.kb-body > section { break-before: page }
h1, p { height: 10mm; margin: 0 0 4mm; font-size: 9pt }
.kb-tight h1, .kb-tight p { margin-bottom: %s }
.kb-contents a::after { content: " " target-counter(attr(href url), page) }
"""


def _book(tight_margin: str, after: int = 1) -> str:
    paragraphs = "".join(f"<p>Absatz {n}</p>" for n in range(12))
    ending = "".join(f"<p>Ende {n}</p>" for n in range(after))
    return (
        f'<html lang="de-DE"><head><title>T</title><style>{STYLE % tight_margin}</style></head>\n'
        '<body><nav class="kb-contents"><a href="#a">A</a> <a href="#b">B</a></nav>\n'
        '<main class="kb-body">'
        f'<section id="a"><h1>A</h1>{paragraphs}</section>'
        f'<section id="b"><h1>B</h1>{ending}</section>'
        "</main></body></html>"
    )


def _texts(page, margin: bool) -> list[str]:
    def walk(box):
        yield box
        for child in getattr(box, "children", []):
            yield from walk(child)

    children = [c for c in page._page_box.children if (type(c).__name__ == "MarginBox") == margin]
    return [b.text for c in children for b in walk(c) if type(b).__name__ == "TextBox"]


def _set(document: str):
    from kb.pdf_weasyprint import _render, set_document

    current, rendered, _messages, laid_out = set_document(document, "file:///tmp/")
    fresh, _ = _render(current, "file:///tmp/")
    return current, rendered, fresh, laid_out


def test_a_chapter_ending_in_a_nearly_empty_page_is_tightened_and_the_pages_after_it_renumbered():
    current, rendered, fresh, laid_out = _set(_book("1mm"))
    assert f'<section class="{TIGHT}" id="a">' in current and '<section id="b">' in current
    # Only chapter A laid out again (its trial kept); chapter B's pages renumbered, not laid out.
    assert laid_out == [5, 2]
    # Contents, chapter A on 2 pages (not 3), chapter B on page 4.
    assert len(rendered.pages) == 4 and fill(rendered.pages[2]) > 0.25
    assert [_texts(page, margin=True)[-1:] for page in rendered.pages[1:]] == [["2"], ["3"], ["4"]]
    assert _texts(rendered.pages[0], margin=False)[-1].strip() == "4"  # the contents' number, patched
    # The same pages as a fresh layout of the document gives.
    assert [_texts(p, True) + _texts(p, False) for p in rendered.pages] == [
        _texts(p, True) + _texts(p, False) for p in fresh.pages
    ]


def test_if_a_page_number_after_it_changes_its_width_the_whole_book_is_laid_out_again():
    # Chapter B on pages 5 to 12, after the tightening 4 to 11: page 10 becomes 9.
    current, rendered, fresh, laid_out = _set(_book("1mm", after=47))
    assert f'<section class="{TIGHT}" id="a">' in current
    assert laid_out == [12, 11] and len(rendered.pages) == 11
    assert [_texts(p, True) + _texts(p, False) for p in rendered.pages] == [
        _texts(p, True) + _texts(p, False) for p in fresh.pages
    ]


def test_a_tighter_chapter_that_saves_no_page_is_not_kept():
    current, rendered, _fresh, _laid_out = _set(_book("3.5mm"))  # 6 a page all the same
    assert f'class="{TIGHT}"' not in current and len(rendered.pages) == 5


def test_the_mark_goes_on_the_chapter_section_once():
    assert tighten('<section id="a"><section id="a1">') == f'<section class="{TIGHT}" id="a"><section id="a1">'
    assert tighten('<section class="kb-register" id="r">') == f'<section class="kb-register {TIGHT}" id="r">'
    assert tighten(tighten('<section id="a">')) == tighten('<section id="a">')
    document = '<section id="a"></section><section id="b"></section>'
    assert tighten_sections(document, {"b"}) == f'<section id="a"></section><section class="{TIGHT}" id="b"></section>'
