"""Every interface string a reader sees or hears is German (issue 13).

Scans the built HTML (attributes that are shown or read aloud, icon titles,
the page frame outside the article, the no-JavaScript notice) and the
browser's translation catalogue (_static/translations.js) for the strings
Sphinx's scripts use.
"""

from __future__ import annotations

import json
import re

import pytest
from conftest import BUILT_PAGES

# Words that give away an English interface string; none of them is German
# or a loanword this site uses.
ENGLISH = {
    "the", "this", "to", "of", "and", "or", "your", "you", "please", "search", "page", "pages",
    "contents", "menu", "expand", "collapse", "light", "dark", "mode", "toggle", "skip", "back", "top",
    "next", "previous", "made", "with", "activate", "enable", "functionality", "error",
    "results", "searching", "preparing", "hide", "matches", "found", "finished", "edit", "view", "last",
    "updated", "heading", "term", "categories", "selected", "spelled", "correctly", "words",
}  # fmt: skip
SPOKEN_ATTRIBUTES = ("title", "aria-label", "alt", "placeholder", "aria-description")
WORD = re.compile(r"[A-Za-zÄÖÜäöüß]+")


def english_words(text: str) -> list[str]:
    return [w for w in WORD.findall(text) if w.lower() in ENGLISH]


def interface_strings(soup) -> list[str]:
    """Attribute values read aloud or shown, SVG titles, and all text outside the article."""
    found = []
    for tag in soup.find_all(True):
        for attribute in SPOKEN_ATTRIBUTES:
            if tag.get(attribute):
                found.append(f"{attribute}={tag[attribute]!r}")
        if tag.name == "input" and tag.get("type") in ("submit", "button") and tag.get("value"):
            found.append(f"value={tag['value']!r}")
    for title in soup.select("svg title, symbol title"):
        found.append(f"<title>{title.get_text()}")
    body = soup.body
    article = body.select_one("article[role=main]")
    for text in body.find_all(string=True):
        if text.parent.name in ("script", "style") or (article is not None and article in text.parents):
            continue
        if text.strip():
            found.append(" ".join(text.split()))
    for noscript in soup.find_all("noscript"):
        found.append(" ".join(noscript.get_text(" ").split()))
    return found


@pytest.mark.parametrize("page", BUILT_PAGES)
def test_no_english_interface_string_in_the_page(site, page):
    from bs4 import BeautifulSoup

    soup = BeautifulSoup((site.root / page).read_text(encoding="utf-8"), "html.parser")
    english = [s for s in interface_strings(soup) if english_words(s)]
    assert english == [], f"{page}: {english}"


def test_the_scan_finds_english(site):
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(
        '<html><body><a title="Link to this heading">¶</a><svg><title>Light mode</title></svg>'
        "<footer>Made with Sphinx</footer><article role=main><p>Social Media</p></article></body></html>",
        "html.parser",
    )
    assert len([s for s in interface_strings(soup) if english_words(s)]) >= 3


def _catalogue(site) -> dict:
    text = (site.root / "_static" / "translations.js").read_text(encoding="utf-8")
    return json.loads(re.search(r"addTranslations\((.*)\);", text, re.DOTALL).group(1))


def _script_strings(site) -> set[str]:
    """The msgids that Sphinx's scripts on this site pass to _(), gettext and ngettext."""
    found = set()
    for script in ("searchtools.js", "sphinx_highlight.js", "doctools.js"):
        code = (site.root / "_static" / script).read_text(encoding="utf-8")
        found |= set(re.findall(r'(?:\b_|gettext)\(\s*"((?:[^"\\]|\\.)*)"', code))
    return {json.loads(f'"{s}"') for s in found}


def test_every_script_string_has_a_german_translation(site):
    messages = _catalogue(site)["messages"]
    strings = _script_strings(site)
    assert "Search finished, found one page matching the search query." in strings
    for msgid in strings:
        german = messages.get(msgid)
        assert german, f"no German text for {msgid!r}"
        for form in [german] if isinstance(german, str) else german:
            assert form and not english_words(form), f"{msgid!r} -> {form!r}"
    assert "Kategorien" not in str(messages.values())


def test_plural_forms_index_the_catalogue(site):
    # Documentation.ngettext indexes the plural forms with plural_expr(n): it must be a number.
    expr = _catalogue(site)["plural_expr"]
    assert expr.startswith("Number("), expr
