"""``kb-steckbrief``: a page's key facts as a card, from its own front matter (one source for facts used twice).

The card is built as the nodes sphinx-design's ``card`` directive and MyST's
table make; each cell's text goes through MyST's inline parser (kb.cards).
"""

from __future__ import annotations

import re
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from kb.cards import Maker, inline_markup, titled_card
from kb.frontmatter import doc_page, filled
from kb.german import date as german_date
from kb.german import is_date
from kb.metadata import page_type
from kb.source_checks import directive_error

logger = logging.getLogger(__name__)

NOT_STATED = "im Bericht nicht genannt"
FORMATS = {"vor-ort": "vor Ort", "online": "online", "hybrid": "vor Ort, mit digitaler Zuschaltung"}
ROW = "| Merkmal | Angabe |"  # an extra row of the card, in the directive's content


def _cell(value: Any) -> str:
    value = filled(value) if isinstance(value, str) else value
    return " ".join(str(value).split()) if value not in (None, "") else NOT_STATED


def _people(entries: Any) -> str:
    if not isinstance(entries, list) or not entries:
        return NOT_STATED
    people = [", ".join(v for k in ("name", "role") if (v := filled(p.get(k)))) for p in entries if isinstance(p, dict)]
    return "; ".join(p for p in people if p) or NOT_STATED


def steckbrief_rows(data: dict[str, Any], ptype: str | None) -> list[tuple[str, str]]:
    """The key-facts rows of a page, from its front matter."""
    if ptype == "case-study":
        place = ", ".join(v for k in ("location", "region") if (v := filled(data.get(k))))
        rows = [
            ("Unternehmen", data.get("company")),
            ("Branche", data.get("sector")),
            ("Standort", place),
            ("Größe", data.get("size")),
            ("Personen", _people(data.get("people"))),
            ("Beratung und Partner", _people(data.get("advisers"))),
        ]
        if filled(data.get("session")) and filled(data.get("event")):
            rows.append(("Vorgestellt", f"{{ref}}`{data['session']}` auf der {{ref}}`{data.get('event')}`"))
        return [(label, _cell(value)) for label, value in rows]
    if ptype == "event":
        date = str(data.get("date", ""))
        rows = [
            ("Datum", german_date(date) if is_date(date) else date),
            ("Ort", ", ".join(str(data[k]) for k in ("place", "city") if data.get(k))),
            ("Motto", f"„{data['motto']}“" if data.get("motto") else ""),
            ("Format", FORMATS.get(str(data.get("format")), data.get("format"))),
            ("Teilnehmende", data.get("attendance")),
            ("Veranstaltung der", data.get("organiser")),  # whose event, as the source names it
        ]
        return [(label, _cell(value)) for label, value in rows]
    return []


# A cell boundary in a Markdown table row: a "|" not escaped with a backslash.
CELL_BORDER = re.compile(r"(?<!\\)\|")


def table_row_cells(line: str) -> list[str]:
    """The cells of a Markdown table row ``| a | b |``, as markdown-it splits them."""
    inner = line.strip().removeprefix("|")
    inner = inner[:-1] if inner.endswith("|") and not inner.endswith("\\|") else inner
    return [cell.strip().replace("\\|", "|") for cell in CELL_BORDER.split(inner)]


class SteckbriefDirective(SphinxDirective):
    """``:::{kb-steckbrief} Titel`` – the page's key facts as a card, from its front matter.

    Extra rows that are not metadata go into the directive's content as
    Markdown table rows (``| Ausgangslage | ... |``); they follow the generated ones.
    The card is built as the nodes sphinx-design's ``card`` directive and MyST's
    table make (kb.cards does the same for listings), not written as MyST and
    parsed again; each cell's text goes through MyST's inline parser.
    """

    optional_arguments = 1
    final_argument_whitespace = True
    has_content = True

    def run(self) -> list[nodes.Node]:
        docname = self.env.current_document.docname
        ptype = page_type(self.config, docname)
        page = doc_page(self.env, docname)
        if page is None:
            return []  # reported by check_page
        rows = steckbrief_rows(page.data, ptype)
        if not rows:
            raise self.error(
                f"Der Block kb-steckbrief hat hier keine Eckdaten (Seitentyp: {ptype or 'keiner'}): "
                "nur Praxisbeispiele und Veranstaltungen haben einen Steckbrief; den Block entfernen"
            )
        # Each row is checked and parsed at its own line, found in the file below the block's first line.
        source = self.get_source_info()[0]
        extra = list(_row_lines(source, [line for line in self.content if line.strip()], self.lineno))
        origins: list[tuple[str, int] | None] = [None] * len(rows)
        for line, number in extra:
            if not line.lstrip().startswith("|"):
                return directive_error(
                    self,
                    f"Der Block kb-steckbrief darf nur Tabellenzeilen wie „{ROW}“ enthalten, gefunden in Zeile "
                    f"{number}: {line!r}",
                    line=number,
                )
            cells = table_row_cells(line)
            if len(cells) != 2:
                logger.warning(
                    f"Die Zeile {line.strip()!r} im Block kb-steckbrief hat {len(cells)} Zellen, braucht aber genau "
                    f"zwei wie „{ROW}“ (ein | innerhalb einer Zelle wird \\| geschrieben)",
                    location=(docname, number),
                    type="kb",
                    subtype="steckbrief",
                )
                continue
            rows.append((cells[0], cells[1]))
            origins.append((source, number))
        title = self.arguments[0] if self.arguments else "Auf einen Blick"
        return [self._card(title, rows, origins)]

    def _card(self, title: str, rows: list[tuple[str, str]], origins: list) -> nodes.container:
        maker = Maker.in_directive(self)
        box, body = titled_card(maker, title, ["sd-card", "sd-sphinx-override", "sd-mb-3", "sd-shadow-sm"])
        table = nodes.table(classes=["colwidths-auto"])
        tgroup = nodes.tgroup(cols=2)
        tgroup += [nodes.colspec(colwidth=50), nodes.colspec(colwidth=50)]
        thead, tbody = nodes.thead(), nodes.tbody()
        thead += _row(maker, ("Merkmal", "Angabe"))
        tbody += [_row(maker, row, origin) for row, origin in zip(rows, origins, strict=True)]
        tgroup += [thead, tbody]
        table += tgroup
        table.source, table.line = box.source, box.line
        body += table
        return box


def _row_lines(source: str, rows: list[str], start: int):
    """(row, its line in the file) for the block's rows, searched in order from the block's line."""
    try:
        with open(source, encoding="utf-8") as handle:
            lines = handle.read().replace("\r\n", "\n").split("\n")
    except (OSError, UnicodeDecodeError, TypeError):
        lines = []
    cursor = max(0, start - 1)
    for row in rows:
        found = next((i for i in range(cursor, len(lines)) if lines[i].strip() == row.strip()), None)
        if found is None:
            yield row, start
            continue
        cursor = found + 1
        yield row, found + 1


def _row(maker: Maker, cells: tuple[str, str], origin=None) -> nodes.row:
    """A table row of the key facts, each cell's text through MyST's inline parser (at the row's line)."""
    return nodes.row(
        "", *(nodes.entry("", nodes.paragraph(text, "", *inline_markup(maker, text, origin))) for text in cells)
    )


def setup_steckbrief(app: Sphinx) -> None:
    app.add_directive("kb-steckbrief", SteckbriefDirective)
