"""The diagrams in the PDF (kb.diagrams): each a tagged Figure with /Alt, and a caption.

Uses the session's PDF build (conftest.pdf_build) in the PDF's xdist group. The
diagrams expected are the printed pages' ``kb-ablauf`` and ``kb-netzwerk``
directives, read from the sources (pages in ueber/ are web only).
"""

from __future__ import annotations

import re

import pikepdf
import pytest
from conftest import ROOT, require_tools, source_pages
from test_pdf import Pdf

pytestmark = pytest.mark.xdist_group("pdf")


def printed_diagrams() -> int:
    count = 0
    for docname in source_pages(ROOT):
        if docname.startswith("ueber/"):
            continue
        text = (ROOT / f"{docname}.md").read_text(encoding="utf-8")
        count += len(re.findall(r"^:::\{kb-(?:ablauf|netzwerk)\}", text, re.M))
    return count


def figures_with_alt(pdf: Pdf, alts: list[str]) -> list:
    found = []

    def walk(node) -> None:
        if isinstance(node, pikepdf.Dictionary):
            if node.get("/S") == "/Figure" and str(node.get("/Alt", "")) in alts:
                found.append(node)
            kids = node.get("/K")
            for kid in (kids if isinstance(kids, pikepdf.Array) else [kids]) if kids is not None else []:
                walk(kid)

    walk(pdf.doc.Root.StructTreeRoot)
    return found


def tags_below(node) -> list[str]:
    """The structure types inside a structure element (the figure element's box)."""
    out = []
    kids = node.get("/K")
    for kid in (kids if isinstance(kids, pikepdf.Array) else [kids]) if kids is not None else []:
        if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
            out += [str(kid.S), *tags_below(kid)]
    return out


def test_each_diagram_is_a_figure_with_alt_and_a_caption(pdf_build):
    require_tools("pdftotext")
    assert pdf_build.returncode == 0, pdf_build.output[-3000:]
    pdf = Pdf(pdf_build.pdf)
    alts = [alt for tag, alt in pdf.structure if tag == "Figure" and alt.startswith(("Ablauf:", "Netzwerk"))]
    assert len(alts) == printed_diagrams() >= 2, alts
    assert any(alt.startswith("Ablauf: Jahrestagung") for alt in alts)
    for figure in figures_with_alt(pdf, alts):
        # figure > div > svg: the caption is a child of the figure element
        assert "/Caption" in tags_below(figure["/P"]["/P"]), f"no caption beside {figure.Alt}"
    assert "Das Netzwerk als Text" in pdf.body and "Der Ablauf als Text" in pdf.body
