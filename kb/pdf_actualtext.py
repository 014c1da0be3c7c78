"""Hyphenated words read whole: ``/ActualText`` on both halves of a word broken at a line end.

WeasyPrint draws "Einfüh-" at the end of one line and "rung" at the start of the next,
each in a marked-content sequence of its own with a structure element of its own: a
screen reader that reads the tag tree, and a search, get two halves. After the PDF is
drawn (kb.pdf_weasyprint's finisher), the half before the break gets the whole word as
``/ActualText`` ("… Einführung") and the half after it the rest of its text ("… mit"),
both on the structure element (read by assistive technology) and on the marked content
(read by text extraction such as poppler's). A hyphen of the text itself
("Sachsen-" / "Anhalt") stays; the compound reads whole on its first line.

WeasyPrint does not say which marked content belongs to which box once the PDF is drawn,
so ``install`` wraps its ``Stream.marked`` to note it on the box (written for WeasyPrint
70, kb.upstream's rule: on another version nothing is noted and nothing changes).
"""

from __future__ import annotations

import re
from contextlib import contextmanager

WRITTEN_FOR = "70."
# The rest of a broken word on the next line: up to the next space ("rung,", "einfuehrung.html").
WORD_START = re.compile(r"\w\S*")


def install() -> bool:
    """Note each box's marked content while WeasyPrint draws (once per process)."""
    import weasyprint
    from weasyprint.pdf import stream

    if not weasyprint.__version__.startswith(WRITTEN_FOR):
        return False
    if getattr(stream.Stream.marked, "_kb_notes", False):
        return True
    original = stream.Stream.marked

    @contextmanager
    def marked(self, box, tag):
        with original(self, box, tag):
            if self._tags is not None and box in self._tags:
                properties = self.stream[-2] if len(self.stream) > 1 else None
                if isinstance(properties, dict) and properties.get("MCID") == self._tags[box]["mcid"]:
                    box._kb_marked = properties
            yield

    marked._kb_notes = True
    stream.Stream.marked = marked
    return True


def _text_boxes(box):
    if type(box).__name__ == "TextBox":
        yield box
    for child in getattr(box, "children", []):
        yield from _text_boxes(child)


def _plain(text: str) -> str:
    return text.replace("\u00ad", "")


def _blocks(box):
    """Block boxes with their lines: (block, [line boxes]) for every block on a page."""
    lines = [c for c in getattr(box, "children", []) if type(c).__name__ == "LineBox"]
    if lines:
        yield box, lines
    for child in getattr(box, "children", []):
        if type(child).__name__ != "LineBox":
            yield from _blocks(child)


def broken_words(page_box) -> list[tuple[object, object, str, bool]]:
    """(text box before a line break, the one after it, the word's rest, whether the hyphen is the text's own).

    A hyphen WeasyPrint added ("Einfüh-" / "rung") goes: the first half reads "Einführung",
    the second without "rung". A hyphen of the text itself ("Sachsen-" / "Anhalt") stays,
    and the word reads whole on the first line too (text extraction would otherwise take
    the hyphen for one it may drop: "SachsenAnhalt").
    """
    found = []
    for block, lines in _blocks(page_box):
        if block.element is None:
            continue
        text = _plain("".join(block.element.itertext()))
        for line, following in zip(lines, lines[1:], strict=False):
            ends = [b for b in _text_boxes(line) if b.text]
            starts = [b for b in _text_boxes(following) if b.text]
            if not ends or not starts:
                continue
            before, after = ends[-1], starts[0]
            head, tail = _plain(before.text), _plain(after.text)
            words = head[:-1].split()
            rest = WORD_START.match(tail)
            if not head.endswith("-") or not words or rest is None:
                continue
            if words[-1] + "-" + rest.group(0) in text:
                found.append((before, after, rest.group(0), True))  # a hyphen of the text itself
            elif words[-1] + rest.group(0) in text and words[-1] + "-" not in text:
                found.append((before, after, rest.group(0), False))  # a hyphen of the line break
    return found


def _reads(pairs) -> dict[int, tuple[object, str]]:
    """id(box) -> (box, the text it reads as): the word completed at the line's end, its rest cut at the next start."""
    reads: dict[int, tuple[object, str]] = {}
    for before, after, rest, own in pairs:
        box, text = reads.get(id(before), (before, _plain(before.text)))
        if text.endswith("-"):
            reads[id(before)] = (box, (text if own else text[:-1]) + rest)
        box, text = reads.get(id(after), (after, _plain(after.text)))
        if text.startswith(rest):
            reads[id(after)] = (box, text[len(rest) :])
    return reads


def whole_words(document, pdf) -> int:
    """Put /ActualText on both halves of every word broken at a line end; the number of words."""
    import pydyf

    if "StructTreeRoot" not in pdf.catalog:
        return 0
    root = pdf.objects[int(pdf.catalog["StructTreeRoot"].split()[0])]
    nums = pdf.objects[int(root["ParentTree"].split()[0])]["Nums"]
    parents = {nums[i]: nums[i + 1] for i in range(0, len(nums), 2) if isinstance(nums[i + 1], list)}
    count = 0
    for index, page in enumerate(document.pages):
        pairs = [p for p in broken_words(page._page_box) if all(hasattr(b, "_kb_marked") for b in p[:2])]
        if not pairs:
            continue
        reads = _reads(pairs)
        for box, text in reads.values():
            box._kb_marked["ActualText"] = pydyf.String(text)  # the marked content (text extraction)
        said = {box._kb_marked["MCID"]: text for box, text in reads.values()}
        mapping = parents.get(index, [])
        merged = []
        for before, after, _rest, _own in pairs:
            elements = [_element(pdf, mapping, b._kb_marked["MCID"]) for b in (before, after)]
            if None in elements:
                continue
            count += 1
            if elements[0] is elements[1]:
                # One element holds both halves (a link): the whole text of what it shows.
                elements[0]["ActualText"] = pydyf.String(" ".join(_plain("".join(before.element.itertext())).split()))
            elif _mergeable(*elements):
                # Text elements side by side: one element for both halves, read as one text.
                _merge(pdf, mapping, *elements)
                merged.append(elements[0])
            else:
                # Elements of their own (a link broken over two lines, inline markup): each half
                # reads its part where that still stands for what it shows.
                for element, box in zip(elements, (before, after), strict=True):
                    text = said.get(box._kb_marked["MCID"])
                    if text is not None and _one_text(element) and _covers(_plain(box.text), text):
                        element["ActualText"] = pydyf.String(text)
        shown = {b._kb_marked["MCID"]: _plain(b.text) for b in _text_boxes(page._page_box) if hasattr(b, "_kb_marked")}
        for element in merged:
            element["ActualText"] = pydyf.String("".join(said.get(k, shown.get(k, "")) for k in _kids(element)))
    return count


def _letters(text: str) -> str:
    return "".join(c for c in text.lower() if c.isalnum())


def _covers(content: str, text: str) -> bool:
    """Whether a replacement text still stands for the content (outloud's TAG-032 measure)."""
    import difflib

    shown, said = _letters(content), _letters(text)
    if len(shown) < 12 or shown in said:
        return True
    return difflib.SequenceMatcher(None, shown, said, autojunk=False).ratio() >= 0.6


def _mergeable(first, second) -> bool:
    """Two text elements (marked content only, no link) of the same parent."""
    return first.get("P") == second.get("P") and all(
        e.get("S") not in ("/Link", None) and _kids(e) and all(isinstance(k, int) for k in _kids(e))
        for e in (first, second)
    )


def _one_text(element) -> bool:
    """An element whose content is one marked-content sequence (one line's part of a text or link)."""
    return sum(isinstance(k, int) for k in _kids(element)) == 1


def _kids(element) -> list:
    kids = element.get("K")
    return list(kids) if isinstance(kids, list) else []


def _merge(pdf, mapping: list, first, second) -> None:
    """The second element's content goes into the first; the second leaves the tree."""
    import pydyf

    first["K"] = pydyf.Array([*_kids(first), *_kids(second)])
    for mcid in _kids(second):
        mapping[mcid] = first.reference
    parent = pdf.objects[int(second["P"].split()[0])]
    kids = parent["K"]
    if isinstance(kids, list) and second.reference in kids:
        kids.remove(second.reference)


def _element(pdf, mapping: list, mcid: int):
    if mcid >= len(mapping):
        return None
    ref = mapping[mcid]
    if isinstance(ref, bytes) and ref.endswith(b" R"):
        return pdf.objects[int(ref.split()[0])]
    return None
