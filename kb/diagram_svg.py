"""The diagrams drawn as inline SVG: no script, no font or file from anywhere else.

Colours are presentation attributes in print colours (black text, grey lines,
white boxes), which the PDF uses as they are; on the web, ``_static/kb.css``
overrides them with the theme's colour variables, so light and dark mode
follow the reader's choice. ``role="img"`` and ``aria-labelledby`` name the
picture; its ``<title>`` is also the PDF's ``/Alt`` (WeasyPrint reads it).
Numbers are rounded to one decimal so two builds write the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from kb.diagram_layout import CHAR, GAP_Y, HEAD, LINE, PAD, Layout, wrap

FONT = 'font-family="sans-serif" font-size="13"'
INK, MUTED, LINES, PAPER = "#000000", "#444444", "#8c8c8c", "#ffffff"


def _n(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _open(uid: str, width: float, height: float, title: str, kind: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="kb-d kb-d-{kind}" role="img" '
        f'aria-labelledby="{uid}-titel" width="{_n(width)}" height="{_n(height)}" '
        f'viewBox="0 0 {_n(width)} {_n(height)}" {FONT}>',
        f'<title id="{uid}-titel">{escape(title)}</title>',
    ]


def network(layout: Layout, title: str, uid: str, heads: dict[str, str]) -> str:
    """The layered network: column heads, lines behind, boxes with their labels on top."""
    margin = 2.0
    width, height = layout.width + 2 * margin, layout.height + 2 * margin
    out = _open(uid, width, height, title, "netzwerk")
    out.append(f'<g transform="translate({_n(margin)} {_n(margin)})">')
    for kind, boxes in layout.columns:
        if boxes:
            x = boxes[0].x
            out.append(
                f'<text class="kb-d-kopf" x="{_n(x)}" y="{_n(HEAD - 12)}" fill="{MUTED}" '
                f'font-weight="bold">{escape(heads[kind])}</text>'
            )
    out.append(f'<g class="kb-d-linien" fill="none" stroke="{LINES}" stroke-width="1.2">')
    for a, b in layout.edges:
        y1, y2 = a.y + a.height / 2, b.y + b.height / 2
        if a.x == b.x:  # same column: a bow to the right
            x = a.x + a.width
            out.append(f'<path d="M{_n(x)} {_n(y1)}C{_n(x + 28)} {_n(y1)} {_n(x + 28)} {_n(y2)} {_n(x)} {_n(y2)}"/>')
            continue
        x1, x2 = a.x + a.width, b.x
        mid = (x2 - x1) / 2
        out.append(f'<path d="M{_n(x1)} {_n(y1)}C{_n(x1 + mid)} {_n(y1)} {_n(x2 - mid)} {_n(y2)} {_n(x2)} {_n(y2)}"/>')
    out.append("</g>")
    for kind, boxes in layout.columns:
        for box in boxes:
            summary = " kb-d-mehr" if box.node_id.startswith("mehr:") else ""
            out.append(f'<g class="kb-d-knoten kb-d-{kind}{summary}">')
            out.append(
                f'<rect x="{_n(box.x)}" y="{_n(box.y)}" width="{_n(box.width)}" height="{_n(box.height)}" '
                f'rx="4" fill="{PAPER}" stroke="{MUTED}"/>'
            )
            for i, line in enumerate(box.lines):
                y = box.y + PAD / 2 + LINE * (i + 1) - 4
                out.append(f'<text x="{_n(box.x + PAD)}" y="{_n(y)}" fill="{INK}">{escape(line)}</text>')
            out.append("</g>")
    out.append("</g></svg>")
    return "".join(out)


@dataclass
class Stop:
    """One programme point of the timeline: its title and, per kind, who and what it ties to."""

    title: str
    groups: list[tuple[str, list[str]]]  # (heading, labels)


TIMELINE_WIDTH = 380.0  # narrow: on a 375 px phone it is scaled to about 90 %, still readable
TEXT_X = 34.0


def timeline_lines(stop: Stop) -> list[tuple[str, str]]:
    """The lines of text a stop takes: ("titel", line) and ("text", line)."""
    width = int((TIMELINE_WIDTH - TEXT_X - 8) / CHAR)
    lines = [("titel", line) for line in wrap(stop.title, width)]
    for heading, labels in stop.groups:
        lines += [("text", line) for line in wrap(f"{heading}: {', '.join(labels)}", width)]
    return lines


def timeline(stops: list[Stop], title: str, uid: str) -> str:
    """The day from top to bottom: a line with a dot per programme point, its title and its people."""
    rows = [timeline_lines(stop) for stop in stops]
    height = sum(len(lines) * LINE + 2 * GAP_Y for lines in rows) + PAD
    out = _open(uid, TIMELINE_WIDTH, height, title, "ablauf")
    y = PAD
    dots = []
    for lines in rows:
        dots.append(y + LINE / 2 + 2)
        y += len(lines) * LINE + 2 * GAP_Y
    if len(dots) > 1:
        out.append(
            f'<line class="kb-d-linie" x1="12" y1="{_n(dots[0])}" x2="12" y2="{_n(dots[-1])}" '
            f'stroke="{LINES}" stroke-width="2"/>'
        )
    y = PAD
    for lines, dot in zip(rows, dots, strict=True):
        out.append(
            f'<circle class="kb-d-punkt" cx="12" cy="{_n(dot)}" r="6" fill="{PAPER}" stroke="{MUTED}" stroke-width="2"/>'
        )
        for i, (kind, line) in enumerate(lines):
            bold = ' font-weight="bold"' if kind == "titel" else ""
            colour = INK if kind == "titel" else MUTED
            out.append(
                f'<text class="kb-d-{kind}" x="{_n(TEXT_X)}" y="{_n(y + LINE * (i + 1) - 2)}" '
                f'fill="{colour}"{bold}>{escape(line)}</text>'
            )
        y += len(lines) * LINE + 2 * GAP_Y
    out.append("</svg>")
    return "".join(out)
