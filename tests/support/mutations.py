"""Plausible author mistakes, generated from real pages (``make fuzz``, tests/test_fuzz.py).

Each *kind* is a function that takes a page's lines and a seeded random generator
and returns one ``Mutation`` (or None where the page offers no place for it):
the mutated text, the line of the mistake and the lines a message may also
name (documented in the kind's docstring). The oracle (tools/fuzz.py,
``judge``) accepts a mutation as handled when

* the strict build fails, twice in a row (the second build incremental, same
  output), with a German message at the mutated file and one of those lines
  (or naming ``file:line`` in its text), and no traceback; or
* the build is clean and every HTML page equals the unmutated build's: what
  the author meant is the page before the slip (for kinds such as a trailing
  tab or Windows line endings that is the only right outcome).

Kinds never invent content: they damage what a page already has.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field

NBSP, ZWSP, SHY = "\u00a0", "\u200b", "\u00ad"


@dataclass
class Mutation:
    kind: str
    docname: str
    text: str
    line: int  # 1-based line of the mistake in the mutated text
    also: set[int] = field(default_factory=set)  # further lines a message may name (see the kind)
    note: str = ""

    @property
    def lines(self) -> set[int]:
        return {self.line, *self.also}


@dataclass
class Page:
    """A page's lines, classified once: front matter, code, fences, prose."""

    docname: str
    lines: list[str]
    fm_end: int = 0  # index of the closing --- (0: no front matter)
    code: set[int] = field(default_factory=set)  # indices inside code fences (and their fence lines)
    fences: list[tuple[int, int]] = field(default_factory=list)  # (open, close) of Markdown fences

    @classmethod
    def parse(cls, docname: str, text: str) -> Page:
        page = cls(docname, text.split("\n"))
        lines = page.lines
        if lines and lines[0] == "---":
            page.fm_end = next((i for i in range(1, len(lines)) if lines[i] == "---"), 0)
        index, stack = page.fm_end + 1 if page.fm_end else 0, []
        while index < len(lines):
            line = lines[index]
            match = re.match(r"^\s*(`{3,}|:{3,})(.*)$", line)
            if match:
                marker, info = match.groups()
                if stack and marker[0] == stack[-1][1][0] and len(marker) >= len(stack[-1][1]) and not info.strip():
                    start, _ = stack.pop()
                    page.fences.append((start, index))
                elif marker[0] == "`" and not re.match(r"\{(?!code)", info.strip()):
                    close = next(
                        (j for j in range(index + 1, len(lines)) if lines[j].strip().startswith(marker)), len(lines)
                    )
                    page.code.update(range(index, close + 1))
                    index = close + 1
                    continue
                elif info.strip():
                    stack.append((index, marker))
            index += 1
        return page

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    def front(self) -> list[int]:
        return list(range(1, self.fm_end)) if self.fm_end else []

    def body(self) -> list[int]:
        start = self.fm_end + 1 if self.fm_end else 0
        return [i for i in range(start, len(self.lines)) if i not in self.code]

    def prose(self) -> list[int]:
        """Body lines of running text (not a fence, label, heading, table, list, option)."""
        return [
            i for i in self.body() if self.lines[i].strip() and not re.match(r"^\s*([:`#|>({\-*]|\d+\.)", self.lines[i])
        ]

    def matches(self, pattern: str, where: list[int]) -> list[tuple[int, re.Match]]:
        rx = re.compile(pattern)
        return [(i, m) for i in where for m in rx.finditer(self.lines[i])]


Kind = Callable[[Page, random.Random], Mutation | None]
KINDS: dict[str, Kind] = {}


def kind(name: str):
    def register(function: Kind) -> Kind:
        KINDS[name] = function
        return function

    return register


def _replace(page: Page, index: int, new: str, name: str, also: set[int] | None = None, note: str = "") -> Mutation:
    lines = list(page.lines)
    lines[index] = new
    return Mutation(name, page.docname, "\n".join(lines), index + 1, also or set(), note)


def _typo(word: str, rng: random.Random) -> str:
    """One letter doubled, dropped or swapped (never a no-op)."""
    if len(word) < 2:
        return word + word[-1]
    i = rng.randrange(len(word) - 1)
    how = rng.choice(("double", "drop", "swap"))
    if how == "swap" and word[i] != word[i + 1]:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if how == "drop" and len(word) > 2:
        return word[:i] + word[i + 1 :]
    return word[: i + 1] + word[i] + word[i + 1 :]


def _pick(rng: random.Random, items: list):
    return rng.choice(items) if items else None


ROLE = r"\{(term|ref|akteur|doc)\}`([^`]+)`"


# -- Roles and links ---------------------------------------------------------------------


@kind("role-name-typo")
def role_name_typo(page, rng):
    """{term} -> {trem}: an unknown role. Meant: the role; so the build must fail at the line."""
    hit = _pick(rng, page.matches(ROLE, page.body()))
    if not hit:
        return None
    i, m = hit
    line = page.lines[i]
    return _replace(page, i, line[: m.start(1)] + _typo(m.group(1), rng) + line[m.end(1) :], "role-name-typo")


@kind("role-target-typo")
def role_target_typo(page, rng):
    """A typo in a term, label or actor name of a role: unknown target, at its line."""
    hit = _pick(rng, page.matches(ROLE, page.body()))
    if not hit:
        return None
    i, m = hit
    target = m.group(2)
    inner = re.search(r"<([^>]+)>$", target)
    start = m.start(2) + (inner.start(1) if inner else 0)
    word = inner.group(1) if inner else target
    line = page.lines[i]
    return _replace(page, i, line[:start] + _typo(word, rng) + line[start + len(word) :], "role-target-typo")


@kind("role-missing-closing-backtick")
def role_missing_backtick(page, rng):
    """{term}`KI text: the closing backtick is gone; the role would show as text."""
    hit = _pick(rng, page.matches(ROLE, page.body()))
    if not hit:
        return None
    i, m = hit
    line = page.lines[i]
    return _replace(page, i, line[: m.end() - 1] + line[m.end() :], "role-missing-closing-backtick")


@kind("role-extra-backtick")
def role_extra_backtick(page, rng):
    """{term}``KI`: one backtick too many."""
    hit = _pick(rng, page.matches(ROLE, page.body()))
    if not hit:
        return None
    i, m = hit
    line = page.lines[i]
    at = m.start(2)
    return _replace(page, i, line[:at] + "`" + line[at:], "role-extra-backtick")


@kind("role-missing-brace")
def role_missing_brace(page, rng):
    """term}`KI`: the opening brace of a role is missing."""
    hit = _pick(rng, page.matches(ROLE, page.body()))
    if not hit:
        return None
    i, m = hit
    line = page.lines[i]
    return _replace(page, i, line[: m.start()] + line[m.start() + 1 :], "role-missing-brace")


@kind("role-invisible-character")
def role_invisible(page, rng):
    """A no-break or zero-width space inside a role's target: looks right, links nowhere."""
    hit = _pick(rng, page.matches(ROLE, page.body()))
    if not hit:
        return None
    i, m = hit
    line = page.lines[i]
    target = m.group(2)
    spaces = [m.start(2) + k for k, c in enumerate(target) if c == " "]
    if spaces:
        at = rng.choice(spaces)
        new = line[:at] + NBSP + line[at + 1 :]
    else:
        at = m.start(2) + rng.randrange(1, max(2, len(target)))
        new = line[:at] + ZWSP + line[at:]
    return _replace(page, i, new, "role-invisible-character")


@kind("link-to-moved-page")
def link_moved(page, rng):
    """[Text](../events/x.md) pointing to a file that is not there (a typo or an old name)."""
    hit = _pick(rng, page.matches(r"\]\(([^)#\s]+\.md)(#[^)]*)?\)", page.body()))
    if not hit:
        return None
    i, m = hit
    line = page.lines[i]
    path = m.group(1)
    stem = path.rsplit("/", 1)
    moved = (stem[0] + "/" if len(stem) == 2 else "") + _typo(stem[-1][:-3], rng) + ".md"
    return _replace(page, i, line[: m.start(1)] + moved + line[m.end(1) :], "link-to-moved-page")


@kind("label-typo")
def label_typo(page, rng):
    """(label)= with a typo. Meant: the old label. Reported at this line (kb.published_labels: a
    published label vanished, the new one beside it is the closest); pages referring to it fail too."""
    hit = _pick(rng, page.matches(r"^\(([\w.-]+)\)=\s*$", page.body()))
    if not hit:
        return None
    i, m = hit
    return _replace(page, i, f"({_typo(m.group(1), rng)})=", "label-typo")


@kind("label-missing-equals")
def label_missing_equals(page, rng):
    """(label) without the "=": it would show as text and define nothing."""
    hit = _pick(rng, page.matches(r"^\(([\w.-]+)\)=\s*$", page.body()))
    if not hit:
        return None
    i, m = hit
    return _replace(page, i, f"({m.group(1)})", "label-missing-equals")


# -- Directives (blocks) ------------------------------------------------------------------


@kind("directive-name-typo")
def directive_typo(page, rng):
    """:::{card} -> :::{crad}: an unknown block."""
    hit = _pick(rng, page.matches(r"^\s*(?::{3,}|`{3,})\{([\w-]+)\}", page.body()))
    if not hit:
        return None
    i, m = hit
    line = page.lines[i]
    return _replace(page, i, line[: m.start(1)] + _typo(m.group(1), rng) + line[m.end(1) :], "directive-name-typo")


@kind("fence-close-colon-missing")
def fence_close_short(page, rng):
    """A closing ::: written as :: (or ``` as ``): the block never closes. The message may name
    the block's opening line (where the unclosed block starts) as well."""
    if not page.fences:
        return None
    start, end = rng.choice(page.fences)
    line = page.lines[end]
    return _replace(
        page, end, line.replace(line.strip(), line.strip()[:-1], 1), "fence-close-colon-missing", {start + 1}
    )


@kind("fence-close-deleted")
def fence_close_deleted(page, rng):
    """The closing line of a block deleted. Reported at the opening line (the block that never closes;
    inside nested blocks the one that swallows a block with the same fence) or where the closing line was."""
    if not page.fences:
        return None
    start, end = rng.choice(page.fences)
    lines = list(page.lines)
    del lines[end]
    return Mutation("fence-close-deleted", page.docname, "\n".join(lines), min(end + 1, len(lines)), {start + 1})


@kind("option-indented")
def option_indented(page, rng):
    """A block's option line (:link: ...) indented by two spaces: it would become text."""
    hit = _pick(rng, page.matches(r"^:[\w-]+:", [i for i in page.body() if i - 1 >= 0]))
    if not hit:
        return None
    i, _ = hit
    return _replace(page, i, "  " + page.lines[i], "option-indented")


@kind("option-blank-line-before")
def option_blank_line(page, rng):
    """A blank line between a block's opening line and its options: the options become text."""
    hits = [
        i
        for i in page.body()
        if re.match(r"^:[\w-]+:", page.lines[i]) and re.match(r"^\s*(:{3,}|`{3,})\{", page.lines[i - 1])
    ]
    if not hits:
        return None
    i = rng.choice(hits)
    lines = list(page.lines)
    lines.insert(i, "")
    return Mutation("option-blank-line-before", page.docname, "\n".join(lines), i + 2, {i + 1, i})


@kind("option-missing-colon")
def option_missing_colon(page, rng):
    """:link-type doc: the second colon of an option is missing."""
    hit = _pick(rng, page.matches(r"^(:[\w-]+):", page.body()))
    if not hit:
        return None
    i, m = hit
    line = page.lines[i]
    return _replace(page, i, m.group(1) + line[m.end() :], "option-missing-colon")


# -- Front matter -------------------------------------------------------------------------


def _fm_fields(page: Page, top: bool = True) -> list[int]:
    rx = r"^[A-Za-z_][\w-]*:" if top else r"^\s+(- )?[A-Za-z_][\w-]*:"
    return [i for i in page.front() if re.match(rx, page.lines[i])]


@kind("fm-key-typo")
def fm_key_typo(page, rng):
    """A typo in a field name: unknown field (and perhaps a required one missing)."""
    i = _pick(rng, _fm_fields(page))
    if i is None:
        return None
    key, rest = page.lines[i].split(":", 1)
    return _replace(page, i, _typo(key, rng) + ":" + rest, "fm-key-typo")


@kind("fm-missing-colon")
def fm_missing_colon(page, rng):
    """description Text: the colon after a field name is missing."""
    i = _pick(rng, [i for i in _fm_fields(page) if page.lines[i].split(":", 1)[1].strip()])
    if i is None:
        return None
    key, rest = page.lines[i].split(":", 1)
    return _replace(page, i, key + rest, "fm-missing-colon")


@kind("fm-tab-indent")
def fm_tab(page, rng):
    """A tab instead of the spaces that indent a list item or sub-field."""
    i = _pick(rng, [i for i in page.front() if page.lines[i].startswith("  ")])
    if i is None:
        return None
    line = page.lines[i]
    return _replace(page, i, "\t" + line.lstrip(" "), "fm-tab-indent")


@kind("fm-smart-quotes")
def fm_smart_quotes(page, rng):
    """A value in typographic quotes („…“ or “…”), as a word processor writes them."""
    i = _pick(rng, [i for i in _fm_fields(page) if len(page.lines[i].split(":", 1)[1].strip()) > 2])
    if i is None:
        return None
    key, value = page.lines[i].split(":", 1)
    value = value.strip().strip("\"'")
    quotes = rng.choice((("„", "“"), ("“", "”")))
    return _replace(page, i, f"{key}: {quotes[0]}{value}{quotes[1]}", "fm-smart-quotes")


@kind("fm-colon-lookalike")
def fm_colon_lookalike(page, rng):
    """A field's colon written as a look-alike (fullwidth ： or modifier ꞉)."""
    i = _pick(rng, _fm_fields(page))
    if i is None:
        return None
    key, rest = page.lines[i].split(":", 1)
    return _replace(page, i, key + rng.choice(("\uff1a", "\ua789")) + rest, "fm-colon-lookalike")


@kind("fm-invisible-in-key")
def fm_invisible_key(page, rng):
    """A no-break space, zero-width space or soft hyphen in a field name."""
    i = _pick(rng, _fm_fields(page))
    if i is None:
        return None
    key, rest = page.lines[i].split(":", 1)
    at = rng.randrange(1, len(key) + 1)
    return _replace(page, i, key[:at] + rng.choice((NBSP, ZWSP, SHY)) + key[at:] + ":" + rest, "fm-invisible-in-key")


@kind("fm-wrong-date")
def fm_wrong_date(page, rng):
    """A date that does not exist or is written the German way (19.11.2024)."""
    hit = _pick(rng, page.matches(r"(\d{4})-(\d{2})-(\d{2})", page.front()))
    if not hit:
        return None
    i, m = hit
    y, mo, d = m.groups()
    wrong = rng.choice((f"{d}.{mo}.{y}", f"{y}-{mo}-31" if mo in ("02", "04", "06", "09", "11") else f"{y}-13-{d}"))
    line = page.lines[i]
    return _replace(page, i, line[: m.start()] + wrong + line[m.end() :], "fm-wrong-date")


@kind("fm-list-as-text")
def fm_list_as_text(page, rng):
    """A list field written on one line as text (topics: A, B) instead of a list."""
    starts = [i for i in _fm_fields(page) if not page.lines[i].split(":", 1)[1].strip()]
    starts = [i for i in starts if i + 1 < page.fm_end and re.match(r"^\s+- [^:]+$", page.lines[i + 1])]
    i = _pick(rng, starts)
    if i is None:
        return None
    items, j = [], i + 1
    while j < page.fm_end and re.match(r"^\s+- [^:]+$", page.lines[j]):
        items.append(page.lines[j].strip()[2:])
        j += 1
    lines = list(page.lines)
    lines[i:j] = [page.lines[i] + " " + ", ".join(items)]
    return Mutation("fm-list-as-text", page.docname, "\n".join(lines), i + 1)


@kind("fm-duplicate-line")
def fm_duplicate(page, rng):
    """A field or list item written twice (copied line)."""
    i = _pick(rng, [i for i in page.front() if page.lines[i].strip()])
    if i is None:
        return None
    lines = list(page.lines)
    lines.insert(i + 1, lines[i])
    return Mutation("fm-duplicate-line", page.docname, "\n".join(lines), i + 2, {i + 1})


@kind("fm-closing-dashes-deleted")
def fm_no_end(page, rng):
    """The closing --- of the front matter deleted. The message may name line 1 (where it starts)."""
    if not page.fm_end:
        return None
    lines = list(page.lines)
    del lines[page.fm_end]
    return Mutation("fm-closing-dashes-deleted", page.docname, "\n".join(lines), page.fm_end + 1, {1})


@kind("fm-stray-dashes")
def fm_stray_dashes(page, rng):
    """A stray --- inside the front matter: it would end it early; the rest would become text."""
    fields = _fm_fields(page)[1:]
    i = _pick(rng, fields)
    if i is None:
        return None
    lines = list(page.lines)
    lines.insert(i, "---")
    return Mutation("fm-stray-dashes", page.docname, "\n".join(lines), i + 1)


@kind("fm-label-value-typo")
def fm_label_typo(page, rng):
    """A typo in a field that names a label or section (event, session, sources)."""
    hit = _pick(rng, page.matches(r"^(?:(?:event|session):\s*|\s+- )([a-z0-9]+(?:-[a-z0-9]+)+)\s*$", page.front()))
    if not hit:
        return None
    i, m = hit
    line = page.lines[i]
    return _replace(page, i, line[: m.start(1)] + _typo(m.group(1), rng) + line[m.end(1) :], "fm-label-value-typo")


@kind("fm-item-indent")
def fm_item_indent(page, rng):
    """A list item or sub-field indented by one space more or less than its neighbours."""
    i = _pick(rng, [i for i in page.front() if page.lines[i].startswith("  ")])
    if i is None:
        return None
    line = page.lines[i]
    new = line[1:] if rng.random() < 0.5 else " " + line
    return _replace(page, i, new, "fm-item-indent", {i})


@kind("fm-value-too-long")
def fm_too_long(page, rng):
    """description, summary or title pasted far too long (a whole paragraph, 2,000 characters)."""
    hit = _pick(rng, page.matches(r"^(description|summary|title):\s*(\S.*)$", page.front()))
    if not hit:
        return None
    i, m = hit
    value = m.group(2).strip("\"'")
    long = " ".join([value] * (2000 // max(1, len(value)) + 1))
    return _replace(page, i, f"{m.group(1)}: {long}", "fm-value-too-long")


# -- Body text ------------------------------------------------------------------------------


@kind("heading-without-space")
def heading_no_space(page, rng):
    """## Titel written as ##Titel: Markdown shows it as text."""
    hit = _pick(rng, page.matches(r"^(#{1,6}) (\S)", page.body()))
    if not hit:
        return None
    i, m = hit
    line = page.lines[i]
    return _replace(page, i, line[: m.end(1)] + line[m.end(1) + 1 :], "heading-without-space")


@kind("heading-level-skip")
def heading_skip(page, rng):
    """## becomes ####: a level skipped."""
    hit = _pick(rng, page.matches(r"^(##) \S", page.body()))
    if not hit:
        return None
    i, m = hit
    return _replace(page, i, "####" + page.lines[i][2:], "heading-level-skip")


@kind("duplicated-line")
def duplicated_line(page, rng):
    """A line of text copied twice in a row (a paste slip). Meant: once."""
    i = _pick(rng, page.prose())
    if i is None:
        return None
    lines = list(page.lines)
    lines.insert(i + 1, lines[i])
    return Mutation("duplicated-line", page.docname, "\n".join(lines), i + 2, {i + 1})


@kind("table-row-cell-missing")
def table_row(page, rng):
    """A table row with a cell separator | missing (or one too many)."""
    rows = [
        i
        for i in page.body()
        if re.match(r"^\|.*\|\s*$", page.lines[i]) and not re.match(r"^\|[\s|:-]+\|$", page.lines[i])
    ]
    i = _pick(rng, rows)
    if i is None:
        return None
    line = page.lines[i]
    bars = [k for k, c in enumerate(line) if c == "|"][1:-1]
    if bars and rng.random() < 0.6:
        k = rng.choice(bars)
        new = line[:k] + line[k + 1 :]
    else:
        new = line.rstrip()[:-1] + "| extra |"
    return _replace(page, i, new, "table-row-cell-missing")


@kind("tab-indent-body")
def tab_body(page, rng):
    """An indented line (glossary explanation, list continuation, nested block) indented with a tab."""
    i = _pick(rng, [i for i in page.body() if re.match(r"^ {2,}\S", page.lines[i])])
    if i is None:
        return None
    return _replace(page, i, "\t" + page.lines[i].lstrip(" "), "tab-indent-body")


@kind("glossary-term-duplicated")
def glossary_dup(page, rng):
    """A glossary entry written a second time (term and explanation), e.g. under another letter."""
    starts = [
        i
        for i in page.body()
        if i + 1 < len(page.lines)
        and page.lines[i].strip()
        and not page.lines[i].startswith((" ", ":", "`", "#", "(", "|"))
        and page.lines[i + 1].startswith("  ")
        and any(a < i < b for a, b in page.fences if page.lines[a].lstrip("`").startswith("{glossary}"))
    ]
    i = _pick(rng, starts)
    if i is None:
        return None
    other = _pick(rng, [j for j in starts if j != i]) or i
    lines = list(page.lines)
    lines[other:other] = [lines[i], lines[i + 1], ""] if other != i else [lines[i], lines[i + 1]]
    return Mutation(
        "glossary-term-duplicated", page.docname, "\n".join(lines), other + 1, {i + 1 + (3 if other < i else 0)}
    )


@kind("blank-line-missing-before-block")
def blank_missing(page, rng):
    """The blank line between a paragraph and a following label, heading or block deleted."""
    hits = [
        i
        for i in page.body()
        if not page.lines[i].strip()
        and 0 < i < len(page.lines) - 1
        and (i - 1) in page.prose()
        and re.match(r"^(\(|#|:::|```)", page.lines[i + 1])
    ]
    i = _pick(rng, hits)
    if i is None:
        return None
    lines = list(page.lines)
    del lines[i]
    return Mutation("blank-line-missing-before-block", page.docname, "\n".join(lines), i + 1, {i})


# -- Whitespace and encoding (meant: exactly the page as before) -----------------------------


@kind("trailing-tab")
def trailing_tab(page, rng):
    """A tab at the end of a line of text. Meant: nothing; the page must render as before."""
    i = _pick(rng, page.prose())
    if i is None:
        return None
    return _replace(page, i, page.lines[i] + "\t", "trailing-tab")


@kind("mixed-line-endings")
def mixed_endings(page, rng):
    """Some lines end in CRLF (pasted from Windows). Meant: nothing; the page must render as before."""
    lines = list(page.lines)
    picks = rng.sample(range(len(lines) - 1), k=min(5, len(lines) - 1))
    for i in picks:
        lines[i] += "\r"
    return Mutation("mixed-line-endings", page.docname, "\n".join(lines), min(picks) + 1)


@kind("invisible-in-text")
def invisible_text(page, rng):
    """A zero-width space or soft hyphen inside a word of running text. Meant: the word; a soft
    hyphen is allowed (it only marks a break point), a zero-width space must be named."""
    i = _pick(rng, page.prose())
    if i is None:
        return None
    line = page.lines[i]
    words = [m for m in re.finditer(r"[A-Za-zÄÖÜäöüß]{6,}", line) if "`" not in line[max(0, m.start() - 1) : m.start()]]
    if not words:
        return None
    m = rng.choice(words)
    at = m.start() + len(m.group()) // 2
    return _replace(page, i, line[:at] + ZWSP + line[at:], "invisible-in-text")


def mutate(docname: str, text: str, name: str, rng: random.Random) -> Mutation | None:
    """One mutation of a page of the given kind, or None where the page has no place for it."""
    return KINDS[name](Page.parse(docname, text), rng)
