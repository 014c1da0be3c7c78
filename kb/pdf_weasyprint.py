"""The PDF set by WeasyPrint: the print document laid out twice, written as tagged PDF/UA-1.

The first layout tells on which page each mention of a term or actor sits; the
register's page numbers are filled in from it and the second layout is written
as ``<outdir>/<kb_pdf_name>`` (``pdf/ua-1``: tagged, ``/Lang``, XMP metadata).
WeasyPrint's own warnings (bad CSS, missing anchors) become Sphinx warnings, and
every link annotation gets the link's text as ``/Contents`` for screen readers.
WeasyPrint is imported only when a PDF is set: ``python -m kb.pdf --check`` must
load kb.pdf on a machine without its system libraries.
"""

from __future__ import annotations

import logging as logging_std
import re
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.util import logging

from kb.pdf_tags import finish_structure

logger = logging.getLogger(__name__)

# Tagged PDF with /Lang, XMP metadata and the PDF/UA identification.
PDF_VARIANT = "pdf/ua-1"


PAGES = re.compile(r'<span class="kb-pages" data-kb-anchors="([^"]*)"></span>')


def _fill_register(document: str, anchor_pages: dict[str, int]) -> str:
    """Each register entry's page numbers: its explanation in bold, then every other page once."""

    def pages(match: re.Match) -> str:
        definition, *mentions = match.group(1).split()
        links: dict[int, tuple[str, bool]] = {}
        if definition in anchor_pages:
            links[anchor_pages[definition]] = (definition, True)
        for anchor in mentions:
            page = anchor_pages.get(anchor)
            if page is not None and page not in links:
                links[page] = (anchor, False)
        parts = [
            f'<a href="#{a}"{" class=kb-definition" if bold else ""} title="Seite {p}">{p}</a>'
            for p, (a, bold) in sorted(links.items())
        ]
        return f'<span class="kb-pages">{", ".join(parts)}</span>'

    return PAGES.sub(pages, document)


class _Collect(logging_std.Handler):
    """WeasyPrint's warnings and errors (bad CSS, missing anchors), kept to report as Sphinx warnings."""

    def __init__(self) -> None:
        super().__init__(logging_std.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging_std.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _render(document: str, base_url: str):
    from weasyprint import HTML
    from weasyprint.logger import LOGGER, PROGRESS_LOGGER

    collect = _Collect()
    LOGGER.addHandler(collect)
    propagate, PROGRESS_LOGGER.propagate, LOGGER.propagate = LOGGER.propagate, False, False
    try:
        rendered = HTML(string=document, base_url=base_url).render(pdf_variant=PDF_VARIANT)
    finally:
        LOGGER.removeHandler(collect)
        LOGGER.propagate = PROGRESS_LOGGER.propagate = propagate
    return rendered, collect.messages


def write_pdf(builder) -> None:
    outdir = Path(builder.outdir)
    base_url = outdir.as_uri() + "/"
    source = outdir / "index.html"
    # A table's stub column (the key facts' "Merkmal") heads its rows.
    document = source.read_text(encoding="utf-8").replace('<th class="stub">', '<th class="stub" scope="row">')
    first, _ = _render(document, base_url)
    anchor_pages = {name: number for number, page in enumerate(first.pages, 1) for name in page.anchors}
    document = _fill_register(document, anchor_pages)
    source.write_text(document, encoding="utf-8")
    final, messages = _render(document, base_url)
    for message in messages:
        logger.warning(
            "Das PDF-Programm WeasyPrint meldet ein Problem in %s: %s (Stylesheet und Anker des Druckdokuments prüfen)",
            source,
            message,
            type="kb",
            subtype="pdf",
        )
    target = outdir / builder.config.kb_pdf_name
    final.write_pdf(target, pdf_variant=PDF_VARIANT, custom_metadata=True, finisher=_finish)
    logger.info("PDF: %s, %d pages", target, len(final.pages))


def _finish(document, pdf) -> None:
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
    if finish_structure(pdf) is None:
        logger.warning(
            "kb.pdf_tags ist für WeasyPrint 70 geschrieben: die Struktur des PDF bleibt, wie WeasyPrint sie setzt",
            type="kb",
            subtype="pdf",
            once=True,
        )


def setup_weasyprint(app: Sphinx) -> None:
    # The PDF's file name (in the builder's output directory); the HTML side links it.
    app.add_config_value("kb_pdf_name", "wissensbasis-zukunftszentren.pdf", "env", types=[str])
