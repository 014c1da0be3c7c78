"""What the site says about itself is true (issue 25): each statement about its
own pages, sources, quotations and privacy, checked against the built pages.
The statements are found by their wording on the pages that make them; a
statement that is reworded must be found again here (the tests fail otherwise)."""

from __future__ import annotations

import re

import pytest
from conftest import SPHINX_PAGES, front_matter, resolve

SOURCES_PAGE = "quelle/index"


def _credits(site, page_html: str) -> tuple[bool, bool]:
    """(has the source credit, has a "Belege" line) of a built page."""
    return 'class="kb-quelle' in page_html, 'class="kb-belege' in page_html


def _no_credit_pages(site) -> set[str]:
    return {d for d in site.pages() if front_matter(d).get("source_credit") is False}


def _statement(site, docname: str, words: str):
    found = [p for p in site.main(docname).find_all("p") if words in p.get_text(" ")]
    assert found, f"{docname}: the statement with {words!r} is gone (reworded? find it again here)"
    return found[0]


def test_every_page_based_on_the_article_ends_with_source_and_belege(site):
    """ "Am Ende jeder Seite, die auf dem Bericht beruht, stehen die Quelle und … „Belege“"."""
    _statement(site, "index", "Am Ende jeder Seite, die auf dem Bericht beruht")
    _statement(site, SOURCES_PAGE, "Jede Seite, die auf dem Bericht beruht")
    no_credit = _no_credit_pages(site)
    assert no_credit, "no page without a source credit: the exceptions below would be untested"
    wrong = []
    for docname in site.pages():
        quelle, belege = _credits(site, site.path(docname).read_text(encoding="utf-8"))
        expected = (False, False) if docname in no_credit else (True, docname != SOURCES_PAGE)
        if (quelle, belege) != expected:
            wrong.append((docname, quelle, belege))
    for page in SPHINX_PAGES:  # search, index of terms, 404: named as pages without the line
        if _credits(site, site.root.joinpath(page).read_text(encoding="utf-8")) != (False, False):
            wrong.append((page, "Sphinx page with a credit"))
    assert wrong == []


@pytest.mark.parametrize(
    ("docname", "words"),
    [("index", "Ohne diese Zeile sind nur"), (SOURCES_PAGE, "Keine solche Zeile haben")],
)
def test_the_named_exceptions_are_the_pages_without_credit(site, docname, words):
    statement = _statement(site, docname, words)
    named = {resolve(docname, a["href"])[0] for a in statement.select("a[href]")}
    named.discard(SOURCES_PAGE)
    assert named == _no_credit_pages(site), f"{docname}: the statement names {named}"
    text = statement.get_text(" ")
    for sphinx_page in ("Suche", "Stichwortverzeichnis", "Fehlerseite"):
        assert sphinx_page in text


def test_quotation_rule_is_stated_as_the_test_checks_it(site):
    # The rule the sources page states is the one tests/test_own_words.py enforces (12 words).
    from support.verbatim import RUN

    statement = _statement(site, SOURCES_PAGE, "am Stück")
    numbers = {"zwölf": 12, "zehn": 10, "elf": 11, "dreizehn": 13}
    said = [n for word, n in numbers.items() if re.search(rf"\b{word}\b", statement.get_text(" "), re.I)]
    assert said == [RUN], statement.get_text(" ")


def test_easy_language_page_says_what_the_privacy_page_says(site):
    easy = site.main("ueber/leichte-sprache").get_text(" ")
    privacy = site.main("ueber/datenschutz").get_text(" ")
    # The easy-language page may not promise more than the privacy page.
    assert "speichert nicht, wer Sie sind" not in easy
    if "Fehlerprotokoll" in privacy and "IP-Adresse enthalten" in privacy:
        assert "Fehler" in easy and "IP-Adresse" in easy, "the error log's IP address is not mentioned"
    assert ("keine Cookies" in easy) <= ("keine Cookies" in privacy)


def test_easy_language_says_most_pages_name_the_author(site):
    easy = site.main("ueber/leichte-sprache").get_text(" ")
    assert "Unten auf jeder Seite steht" not in easy
    pages = site.pages()
    with_author = [
        d for d in pages if "Sarah Puck" in " ".join(e.get_text(" ") for e in site.main(d).select(".kb-quelle"))
    ]
    assert "auf den meisten Seiten" in easy and len(with_author) > len(pages) / 2
    # The examples it gives of pages without it: Impressum and the search.
    assert "ueber/impressum" not in with_author
    assert 'class="kb-quelle' not in site.root.joinpath("search.html").read_text(encoding="utf-8")
