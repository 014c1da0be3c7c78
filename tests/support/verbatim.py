"""Runs of words a page takes word for word from the article, outside quotations.

The source's rule (../shared/source/README.md): pages are in our own words; the
article's wording appears only as a marked quotation. A run of RUN (12) or more
words that the page shares with the article, after normalisation (case,
punctuation, quotation-mark style, gender star), counts, unless it stands in a
marked quotation: a blockquote (MyST ``>``, epigraph, pull-quote) or between
quotation marks („…“, “…”, "…", »…«). Every 12-word window of the article is kept
in a set, so a page is checked in one pass over its words.
"""

from __future__ import annotations

import re
from pathlib import Path

from bs4 import BeautifulSoup

RUN = 12
ARTICLE = Path(__file__).resolve().parents[2].parent / "shared" / "source"

WORD = re.compile(r"[\w*]+(?:[-'’][\w*]+)*")
# Text between quotation marks (German, English and straight), on one line of text.
QUOTED = re.compile(r"„[^“”\"]*[“”\"]|“[^”“]*[”“]|\"[^\"]*\"|»[^«]*«|«[^»]*»")
# Elements whose text is a marked quotation or no page text at all.
SKIP = "blockquote, .epigraph, .pull-quote, script, style, .headerlink, .kb-abschnitt-kennung"


def words(text: str) -> list[str]:
    """The words of a text, lowercase; the gender star and hyphens kept inside a word."""
    return [w.lower().replace("’", "'") for w in WORD.findall(text)]


def article_text(folder: Path = ARTICLE) -> str:
    files = sorted(p for p in folder.glob("*.txt"))
    return "\n".join(p.read_text(encoding="utf-8") for p in files)


def windows(text: str, run: int = RUN) -> set[tuple[str, ...]]:
    w = words(text)
    return {tuple(w[i : i + run]) for i in range(len(w) - run + 1)}


def unquoted_blocks(html: str) -> list[str]:
    """The page's main text as blocks (paragraphs, list items, cells), without marked quotations."""
    soup = BeautifulSoup(html, "html.parser")
    main = soup.find("article") or soup.body or soup
    for el in main.select(SKIP):
        el.decompose()
    blocks = []
    for el in main.find_all(["p", "li", "td", "th", "dt", "dd", "h1", "h2", "h3", "h4", "caption", "figcaption"]):
        if el.find(["p", "li", "dd", "table"]):
            continue  # the innermost blocks only, so no text is counted twice
        blocks.append(QUOTED.sub(" … ", el.get_text(" ")))
    return blocks


def verbatim_runs(html: str, article: set[tuple[str, ...]], run: int = RUN) -> list[str]:
    """The longest runs of run or more words a page shares with the article, outside quotations."""
    found = []
    for block in unquoted_blocks(html):
        w = words(block)
        i = 0
        while i <= len(w) - run:
            if tuple(w[i : i + run]) in article:
                j = i + run
                while j < len(w) and tuple(w[j - run + 1 : j + 1]) in article:
                    j += 1
                found.append(" ".join(w[i:j]))
                i = j
            else:
                i += 1
    return found
