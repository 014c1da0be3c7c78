"""kb.pdf_chapters: how the print document is cut into chapters, and a page number's room."""

from __future__ import annotations

from kb.pdf_chapters import DIGITS, PLACEHOLDER, _normal, chapter_document, padded, split

HEAD = '<html lang="de-DE"><head><title>T</title></head>\n<body class="kb-print-document">\n<section>front</section>\n'
MAIN = '<main class="kb-body">'


def _book(*chapters: str) -> str:
    return HEAD + MAIN + "".join(chapters) + "</main>\n</body>\n</html>\n"


def test_a_chapter_is_a_top_level_section_with_the_anchor_after_it():
    first = '\n<section id="a"><h1>A</h1><section id="a1"><p>x</p></section></section>'
    second = '<span id="document-b"></span><section id="b"><h1>B</h1></section>'
    head, chapters, tail = split(_book(first, second))
    # The anchor Sphinx writes before a page sits at the end of the chapter before it (a new page follows).
    assert chapters == [first + '<span id="document-b"></span>', '<section id="b"><h1>B</h1></section>']
    assert head.endswith(MAIN) and tail.startswith("</main>")
    assert "front" in head  # the title page and contents are not a chapter


def test_a_document_without_chapters_is_not_cut():
    handout = HEAD + MAIN + '<div class="kb-handout-page"><section id="a"></section></div></main></body></html>'
    assert split(handout) is None
    assert split("<html><body><p>no main</p></body></html>") is None


def test_a_chapter_alone_keeps_the_head_and_continues_the_page_numbers():
    head, chapters, tail = split(_book('<section id="a"><h1>A</h1></section>'))
    document = chapter_document(head, chapters[0], tail, 12)
    assert "@page :first { counter-reset: page 12 }" in document
    assert "front" not in document and document.count(MAIN) == 1


def test_page_numbers_take_the_room_of_the_placeholder():
    assert PLACEHOLDER == "0" * DIGITS
    # A no-break space is half a figure in TeX Gyre Pagella (250/500) and Heros (278/556).
    assert padded(7) == "\u00a0\u00a07" and padded(12) == "12" and padded("00") == "00"
    # Only the numbers differ: the chapter does not need a new layout.
    assert _normal('<a class="kb-xref" data-kb-page="00">') == _normal(
        '<a class="kb-xref" data-kb-page="\u00a0\u00a07">'
    )
