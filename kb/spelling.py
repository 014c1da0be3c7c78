"""German spell checking (make spelling) that points at the right line and knows German compounds.

Loaded with sphinxcontrib-spelling for ``make spelling`` (``-t spelling``). Adds:

* front-matter text (``description``, ``summary``, names, roles, places, tags)
  is checked in its own file, at the line of its field, when the spelling
  builder resolves a page; a card that only repeats another page's front
  matter or title (listings, tag pages) is left out there, so a typo in a
  summary is reported once, at ``case-studies/x.md:<line of summary>``, not
  at a line of the overview page that does not exist;
* ``GermanCompounds``, a tokenizer filter (``spelling_filters``): a word the
  dictionary does not know is accepted when it is a compound of words it
  knows, the way German builds them: a noun compound ends in a noun
  (``Arbeits|platz``), an adjective compound is a noun plus an adjective
  (``arbeits|politische``, ``Mensch|zentriert``), with the joints s, es, n, en, e.
  A misspelt part still fails (``Kundschafft``: "schafft" is no noun).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment

from kb.frontmatter import page_or_none

# Fields that hold identifiers, not text to spell-check.
NOT_TEXT = {"type", "date", "format", "event", "session", "source", "sources"}
JOINTS = ("", "s", "es", "n", "en", "e")
MIN_PART = 3


@cache
def _dictionary():
    import enchant  # only with `make spelling`: the HTML build does not need the enchant library

    return enchant.Dict("de_DE")


def _known(word: str) -> bool:
    return len(word) >= MIN_PART and _dictionary().check(word)


def _noun(word: str) -> bool:
    """A noun: known capitalised, unknown in lower case (German capitalises nouns)."""
    return _known(word.capitalize()) and not _known(word.lower())


def _head(part: str) -> bool:
    """The first part of a compound, with its joint: Arbeit|s, Kunde|n."""
    return any(
        part.endswith(joint) and (_known(stem) or _known(stem.capitalize()))
        for joint in JOINTS
        if len(stem := part[: len(part) - len(joint)] if joint else part) >= MIN_PART
    )


def is_compound(word: str, depth: int = 2) -> bool:
    """True for a German compound of known words (see the module docstring)."""
    if depth == 0 or len(word) < 2 * MIN_PART or not word.isalpha():
        return False
    for cut in range(MIN_PART, len(word) - MIN_PART + 1):
        head, tail = word[:cut], word[cut:]
        if word[0].isupper() and _head(head):
            if _noun(tail) or is_compound(tail.capitalize(), depth - 1):
                return True
        lower_head = head.lower()
        if (
            tail.islower()
            and _known(tail)
            and any(
                lower_head.endswith(joint) and _noun(lower_head[: len(lower_head) - len(joint)] or "x")
                for joint in JOINTS
            )
        ):
            return True
    return False


try:
    from enchant.tokenize import Filter
except ImportError:  # without the enchant library nothing uses the filter
    Filter = object  # type: ignore[assignment,misc]


class GermanCompounds(Filter):  # type: ignore[misc,valid-type]
    """sphinxcontrib-spelling filter: skip words that are German compounds of known words."""

    def _skip(self, word: str) -> bool:
        return not _dictionary().check(word) and is_compound(word)


# -- Front matter at its own line ---------------------------------------------------------


def _strings(data: Any, path: tuple = ()) -> list[tuple[tuple, str]]:
    if isinstance(data, dict):
        return [item for key, value in data.items() if key not in NOT_TEXT for item in _strings(value, path + (key,))]
    if isinstance(data, list):
        return [item for index, value in enumerate(data) for item in _strings(value, path + (index,))]
    return [(path, data)] if isinstance(data, str) and data.strip() else []


# Every front-matter text and title of every page: what generated cards show.
# Gathered once when writing starts (before -j forks), from the pages kb.metadata parsed.
_card_texts: set[str] = set()


def gather_card_texts(app: Sphinx, env: BuildEnvironment) -> None:
    _card_texts.clear()
    if app.builder.name != "spelling":
        return
    for _version, page in env.domains["kbmeta"].data["pages"].values():
        _card_texts.add(_normal(page.title))
        _card_texts.update(_normal(text) for _path, text in _strings(page.data))


def _normal(text: str) -> str:
    return " ".join(text.replace("\\", "").split()).rstrip(".")


def _generated(paragraph: nodes.Element, texts: set[str]) -> bool:
    return all(_normal(part) in texts for part in paragraph.astext().split(" · "))


def spell_front_matter(app: Sphinx, doctree: nodes.document, docname: str) -> None:
    if app.builder.name != "spelling":
        return
    for card in list(doctree.findall(lambda n: isinstance(n, nodes.Element) and "sd-card" in n.get("classes", []))):
        for element in list(card.findall(nodes.TextElement)):
            if element.parent is not None and _generated(element, _card_texts):
                element.parent.remove(element)
    path = Path(app.env.doc2path(docname))
    page = page_or_none(path, docname) if path.suffix == ".md" else None
    if page is None:
        return
    for field, text in _strings(page.data):
        para = nodes.paragraph(text, text)
        para.source, para.line = str(path), page.lines.get(field, 1)
        doctree += para


def setup(app: Sphinx) -> dict:
    app.require_sphinx("9.0")
    app.setup_extension("kb.metadata")  # the parsed front matter of every page
    app.connect("env-updated", gather_card_texts)
    app.connect("doctree-resolved", spell_front_matter)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
