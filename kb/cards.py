"""Cards for listings and tag pages: one sphinx-design grid card per page, from its front matter."""

from __future__ import annotations

import re

from kb.frontmatter import Page, filled
from kb.german import date, is_date


def card_lines(page: Page, ptype: str) -> list[str]:
    """MyST lines of a grid card for a page: title, key facts, summary, link to the page."""
    data = page.data
    facts: list[str] = []
    if ptype == "event":
        if is_date(data.get("date")):
            facts.append(date(data["date"]))
        facts.append(", ".join(v for v in (filled(data.get("place")), filled(data.get("city"))) if v))
    elif ptype == "case-study":
        facts = [filled(data.get(key)) for key in ("sector", "location", "size")]
    summary = " ".join(filled(data.get("summary")).split())
    lines = [f":::{{grid-item-card}} {page.title}", f":link: /{page.docname}", ":link-type: doc", ""]
    if any(facts):
        # Escape "19. November" so Markdown does not read it as a numbered list.
        lines += [re.sub(r"^(\d+)\.", r"\1\\.", " · ".join(f for f in facts if f)), ""]
    if summary:
        lines += [summary, ""]
    return lines + [":::", ""]


def grid_lines(cards: list[list[str]], columns: str = "1 1 2 2") -> list[str]:
    """A sphinx-design grid around card lines."""
    lines = [f"::::{{grid}} {columns}", ":gutter: 3", ""]
    for card in cards:
        lines += card
    return lines + ["::::"]
