"""The PDF set by WeasyPrint: the print document laid out, filled in, written as tagged PDF/UA-1.

The first layout tells on which page each mention of a term or actor and each link
target sits, and which words a page turn hyphenates; the register's page numbers and
the cross-references' "→ S. n" are filled in from it and those words set whole. Only the chapters whose text changed beyond their page numbers
are laid out again (kb.pdf_chapters: the numbers keep their width and are written into
the first layout). A chapter whose last page the first layout leaves less than a
quarter full is tried tighter (kb.pdf_tighten) and kept so if that saves its page; the
result is written as ``<outdir>/<kb_pdf_name>`` (``pdf/ua-1``:
tagged, ``/Lang``, XMP metadata); another pass only if a number moved.
The structure tree is finished on the way out (kb.pdf_tags).
WeasyPrint's own warnings (bad CSS, missing anchors) become Sphinx warnings, and
every link annotation gets the link's text as ``/Contents`` for screen readers.
WeasyPrint is imported only when a PDF is set: ``python -m kb.pdf --check`` must
load kb.pdf on a machine without its system libraries.
"""

from __future__ import annotations

import functools
import gc
import logging as logging_std
import re
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

from kb.pdf_actualtext import install as install_actualtext
from kb.pdf_actualtext import whole_words
from kb.pdf_chapters import PLACEHOLDER, _normal, chapter_document, chapter_pages, padded, relayout, split
from kb.pdf_tags import finish_structure
from kb.pdf_tighten import better, section_id, short_chapters, tighten, tighten_sections

logger = logging.getLogger(__name__)

# Tagged PDF with /Lang, XMP metadata and the PDF/UA identification.
PDF_VARIANT = "pdf/ua-1"


# A list of page numbers to fill in (a register entry's): empty in the first layout.
PAGES = re.compile(r'<span class="kb-pages" data-kb-anchors="([^"]*)">[^<]*</span>')


def _pages_of(definition: str, mentions: list[str], anchor_pages: dict[str, int]) -> dict[int, tuple[str, bool]]:
    links: dict[int, tuple[str, bool]] = {}
    if definition in anchor_pages:
        links[anchor_pages[definition]] = (definition, True)
    for anchor in mentions:
        page = anchor_pages.get(anchor)
        if page is not None and page not in links:
            links[page] = (anchor, False)
    return links


# The register's lists of entries (kb.pdf_book).
REGISTER_ENTRIES = re.compile(r'(<ul class="[^"]*\bkb-register-entries\b[^"]*">).*?(</ul>)', re.S)


def _placeholders(document: str) -> str:
    """For the first layout: the register comes last, so its length moves nothing; its lists
    are left out (their two-column layout is the slowest part of a layout) and laid out
    once, filled in (kb.pdf_chapters)."""
    return REGISTER_ENTRIES.sub(r"\1\2", document)


def _fill_register(document: str, anchor_pages: dict[str, int]) -> str:
    """Each list's page numbers: a register entry's explanation in bold, then every other page once.

    Only the bold one (the explanation) is a link: a link is an inline box of its own, and
    WeasyPrint's line breaking over some 300 of them in two balanced columns took 1.4 s of
    CPU per layout, against 0.4 s with plain numbers (benchmarks/FINDINGS.md).
    """

    def pages(match: re.Match) -> str:
        definition, *mentions = match.group(1).split()
        parts = [
            f'<a href="#{a}"{" class=kb-definition" if bold else ""} title="Seite {p}">{p}</a>' if bold else str(p)
            for p, (a, bold) in sorted(_pages_of(definition, mentions, anchor_pages).items())
        ]
        return f'<span class="kb-pages" data-kb-anchors="{match.group(1)}">{", ".join(parts)}</span>'

    return PAGES.sub(pages, document)


def _listed_anchors(document: str) -> set[str]:
    listed = {a for match in PAGES.finditer(document) for a in match.group(1).split()}
    return listed | {match.group(2) for match in XREF.finditer(document)}


# A cross-reference (kb.pdf_references) or a card's target (kb.print): its page goes into data-kb-page, which the
# stylesheet prints after the link ("→ S. 12"). A literal number rather than CSS
# target-counter(): WeasyPrint lays a page out again for every counter that points
# forward, which doubled the time of a layout.
XREF = re.compile(r'(<a class="[^"]*\bkb-(?:xref|pageref)\b[^"]*" href="#([^"]+)")( data-kb-page="[^"]*")?')


def _fill_xrefs(document: str, anchor_pages: dict[str, int]) -> str:
    """Each cross-reference's page number in the room of two figures ("00" before the first layout)."""

    def page(match: re.Match) -> str:
        return f'{match.group(1)} data-kb-page="{padded(anchor_pages.get(match.group(2), PLACEHOLDER))}"'

    return XREF.sub(page, document)


def _turn_words(rendered) -> set[str]:
    """Words hyphenated across a page turn in a layout: the last line of a page ends in a break."""
    words: set[str] = set()
    pages = rendered.pages
    for page in pages[:-1]:  # the last page turns to nothing
        body = [c for c in page._page_box.children if type(c).__name__ != "MarginBox"]
        lines = [b for child in body for b in _descendants(child) if type(b).__name__ == "LineBox" and b.children]
        texts = [b for b in _descendants(lines[-1]) if type(b).__name__ == "TextBox"] if lines else []
        if not texts or texts[-1].element is None:
            continue
        head = texts[-1].text.rstrip()
        if not head.endswith("-") or not head.split():
            continue
        start = head.split()[-1][:-1]
        text = "".join(texts[-1].element.itertext())
        if start + "-" in text:
            continue  # a hyphen of the text itself (Sachsen-Anhalt)
        match = re.search(r"\b" + re.escape(start) + r"\w+", text)
        if match:
            words.add(match.group(0))
    return words


def _descendants(box):
    yield box
    for child in getattr(box, "children", []):
        yield from _descendants(child)


def _keep_whole(document: str, words: set[str]) -> str:
    """Every occurrence of the words in the body's text is set without hyphenation."""
    if not words:
        return document
    pattern = re.compile(r"\b(" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + r")\b")
    head, marker, body = document.partition("<main")

    def text(match: re.Match) -> str:
        return pattern.sub(r'<span class="kb-keep">\1</span>', match.group(0))

    return head + marker + re.sub(r"(?<=>)[^<]+", text, body)


class _Collect(logging_std.Handler):
    """WeasyPrint's warnings and errors (bad CSS, missing anchors), kept to report as Sphinx warnings."""

    def __init__(self) -> None:
        super().__init__(logging_std.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging_std.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _render(document: str, base_url: str, font_config=None):
    from weasyprint import HTML
    from weasyprint.logger import LOGGER, PROGRESS_LOGGER

    collect = _Collect()
    LOGGER.addHandler(collect)
    propagate, PROGRESS_LOGGER.propagate, LOGGER.propagate = LOGGER.propagate, False, False
    try:
        html = HTML(string=document, base_url=base_url)
        rendered = html.render(pdf_variant=PDF_VARIANT, font_config=font_config)
    finally:
        LOGGER.removeHandler(collect)
        LOGGER.propagate = PROGRESS_LOGGER.propagate = propagate
    _release_layout_context(rendered)
    install_actualtext()  # before the PDF is drawn: each box's marked content noted
    return rendered, collect.messages


class _SvgContext:
    """What an SVG image needs of its layout's context to be drawn: fonts, and images it embeds."""

    def __init__(self, context) -> None:
        fetch = context.get_image_from_uri
        self.font_config = context.font_config
        keywords = {k: v for k, v in fetch.keywords.items() if k != "context"}
        self.get_image_from_uri = functools.partial(fetch.func, *fetch.args, **keywords)


def _release_layout_context(rendered) -> None:
    """Let a layout's context go once its pages are laid out (peak memory of ``make pdf``).

    WeasyPrint 70's SVG images (the diagrams) keep the whole layout context until the
    PDF is written, and with it every element's cascaded and computed style: about half
    of a layout's memory (33 of 65 MiB for the book). Drawing an SVG needs only the
    fonts and the image fetcher. Guarded by version (kb.upstream's rule): on another
    WeasyPrint nothing changes.
    """
    import weasyprint
    from weasyprint.images import SVGImage

    if not weasyprint.__version__.startswith("70."):
        return
    for page in rendered.pages:
        for box in _descendants(page._page_box):
            image = getattr(box, "replacement", None)
            if isinstance(image, SVGImage) and not isinstance(
                getattr(image, "_context", None), (_SvgContext, type(None))
            ):
                image._context = _SvgContext(image._context)


def set_document(document: str, base_url: str, attempts: int = 3):
    """The final layout of a print document, WeasyPrint's messages, and the pages laid out per pass.

    The first layout tells on which page each mention sits and which words a page
    turn hyphenates; the numbers are filled in and those words set whole. Only the
    chapters whose text changed beyond their page numbers are laid out again
    (kb.pdf_chapters; the whole document where that cannot be). Filling in can move
    text, so the result is checked against its own layout and laid out once more if a
    number or a page turn changed (rarely). A chapter whose last page is less than a
    quarter full is laid out alone, tightened (kb.pdf_tighten); if that is better, the
    mark goes into the document, the trial's pages into the layout, and the pages after
    it are renumbered (kb.pdf_chapters), their numbers filled in from the trial's pages.
    """
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()  # one for all layouts: fonts are loaded once

    trials: dict[str, tuple] = {}  # a tightened chapter's trial layout, used once for the same text

    def render(html: str):
        return (trials.pop(_normal(html), None) if trials else None) or _render(html, base_url, fonts)

    keep: set[str] = set()
    tight: set[str] = set()  # chapters set tighter (kb.pdf_tighten)
    tried: set[str] = set()
    current = _placeholders(_fill_xrefs(document, {}))
    rendered, messages = render(current)
    laid_out = [len(rendered.pages)]
    attempt = 1
    while attempt < attempts:
        attempt += 1
        keep |= _turn_words(rendered)
        anchors = [page.anchors for page in rendered.pages]
        tightened = _tighten_short_chapters(current, rendered, lambda html: _render(html, base_url, fonts), tried)
        for name, (first, end), key, part in reversed(tightened):
            tight.add(name)
            trials[key] = part
            keep |= _turn_words(part[0])
            anchors[first:end] = [page.anchors for page in part[0].pages]  # the pages after it move
        if tightened:
            attempts += 1  # in case the numbers need filling in once more
        anchor_pages = _anchor_pages(anchors)
        source = tighten_sections(_keep_whole(document, keep), tight)
        filled = _fill_xrefs(_fill_register(source, anchor_pages), anchor_pages)
        if filled == current:
            break  # nothing to fill in, no word to set whole (a handout without references)
        again = relayout(current, filled, rendered, render, anchor_pages)
        trials.clear()
        if again is None:
            rendered = None  # one layout in memory at a time (peak memory of make pdf)
            gc.collect()
            rendered, messages = render(filled)
            laid_out.append(len(rendered.pages))
        else:
            rendered, more, pages = again
            messages = list(dict.fromkeys(messages + more))
            laid_out.append(pages)
        current = filled
        now = _anchor_pages(rendered)
        moved = {a for a in _listed_anchors(filled) if now.get(a) != anchor_pages.get(a)}
        if not moved and not (_turn_words(rendered) - keep):
            break
    return current, rendered, messages, laid_out


def _tighten_short_chapters(current: str, rendered, render, tried: set[str]) -> list[tuple]:
    """The chapters whose last page is less than a quarter full and that a tighter setting makes
    better (kb.pdf_tighten), front to back: (id, its pages' range, its trial layout's key, the
    trial layout with its messages).

    Each chapter is tried once, laid out alone, tightened, from the page it starts on now.
    """
    parts = split(current)
    ranges = chapter_pages(rendered, parts[1]) if parts else None
    if ranges is None:
        return []
    head, chapters, tail = parts
    found: list[tuple] = []
    for index in short_chapters(rendered.pages, ranges):
        name = section_id(chapters[index])
        if name is None or name in tried:
            continue
        tried.add(name)
        first, end = ranges[index]
        trial = chapter_document(head, tighten(chapters[index]), tail, first + 1)
        part, part_messages = render(trial)
        if better(end - first, part):
            found.append((name, (first, end), _normal(trial), (part, part_messages)))
    return found


def _anchor_pages(rendered) -> dict[str, int]:
    """Anchor -> the page it starts on (an element split across pages has its anchor on each).

    ``rendered``: a layout, or each page's anchors.
    """
    pages: dict[str, int] = {}
    for number, page in enumerate(getattr(rendered, "pages", rendered), 1):
        for name in getattr(page, "anchors", page):
            pages.setdefault(name, number)
    return pages


def write_pdf(builder) -> None:
    outdir = Path(builder.outdir)
    base_url = outdir.as_uri() + "/"
    source = outdir / "index.html"
    # A table's stub column (the key facts' "Merkmal") heads its rows.
    document = source.read_text(encoding="utf-8").replace('<th class="stub">', '<th class="stub" scope="row">')
    document, final, messages, laid_out = set_document(document, base_url)
    source.write_text(document, encoding="utf-8")
    warn(messages, source)
    target = outdir / builder.config.kb_pdf_name
    final.write_pdf(target, pdf_variant=PDF_VARIANT, custom_metadata=True, finisher=finish)
    logger.info("PDF: %s, %d pages (pages laid out: %s)", target, len(final.pages), " + ".join(map(str, laid_out)))


def warn(messages: list[str], source: Path) -> None:
    """WeasyPrint's messages about a print document as Sphinx warnings."""
    for message in messages:
        logger.warning(
            "Das PDF-Programm WeasyPrint meldet ein Problem in %s: %s (Stylesheet und Anker des Druckdokuments prüfen)",
            source,
            message,
            type="kb",
            subtype="pdf",
        )


def finish(document, pdf) -> None:
    """Every link annotation's /Contents: the link's text (PDF/UA-1 7.18.5), not its anchor name.

    WeasyPrint writes the target ("term-KI"); a screen reader should say "KI". A
    link that shows only a page number carries its description in ``title``.
    """
    import pydyf

    for page in document.pages:
        for _type, _target, _rectangle, box in page.links:
            annotation = getattr(box, "link_annotation", None)
            if annotation is None or box.element is None:
                continue
            text = box.element.get("title") or " ".join("".join(box.element.itertext()).split())
            annotation["Contents"] = pydyf.String(text or _target)
            annotation["F"] = 4  # Print: printed like shown on screen
    # Artifacts, list bodies, no empty elements, header scopes, bookmarks shown (kb.pdf_tags).
    structure = finish_structure(pdf)
    if structure is not None:
        whole_words(document, pdf)  # hyphenated words read whole (kb.pdf_actualtext)
    if structure is None:
        logger.warning(
            "kb.pdf_tags ist für WeasyPrint 70 geschrieben: die Struktur des PDF bleibt, wie WeasyPrint sie setzt",
            type="kb",
            subtype="pdf",
            once=True,
        )


def setup_weasyprint(app: Sphinx) -> None:
    # The PDF's file name (in the builder's output directory); the HTML side links it.
    app.add_config_value("kb_pdf_name", "wissensbasis-zukunftszentren.pdf", "env", types=[str])
