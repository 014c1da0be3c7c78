"""German search in chromium: search.html finds the right page first."""

from __future__ import annotations

from urllib.parse import quote

import pytest

# Query -> the page that must be the first hit.
EXPECTED_FIRST = {
    "Stahlbau": "case-studies/contall.html",
    "Social Media": "case-studies/vitaserv.html",
    "Metaverse": "glossary/metaverse.html",
    "Storytelling": "case-studies/vitaserv.html",
    "KMUfutureLab": "glossary/metaverse.html",
}

RESULTS_DONE_JS = """() => {
  const h = document.querySelector('#search-results h2');
  return h !== null && h.textContent === 'Suchergebnisse';
}"""


@pytest.fixture(scope="module")
def search_page(browser):
    page = browser.new_page()
    yield page
    page.close()


def search(page, base_url, query) -> list[str]:
    page.goto(f"{base_url}search.html?q={quote(query)}", wait_until="load")
    page.wait_for_function(RESULTS_DONE_JS, timeout=10_000)
    return page.eval_on_selector_all(
        "#search-results ul.search > li > a", "els => els.map(e => e.getAttribute('href'))"
    )


@pytest.mark.parametrize("query", EXPECTED_FIRST)
def test_search_lists_the_right_page_first(search_page, base_url, query):
    hits = search(search_page, base_url, query)
    assert hits, f"no hits for {query!r}"
    assert hits[0] == EXPECTED_FIRST[query], f"{query!r}: {hits}"


def test_search_for_a_missing_word_finds_nothing(search_page, base_url):
    assert search(search_page, base_url, "Quantencomputer") == []


def test_search_results_are_marked_in_german(search_page, base_url):
    search(search_page, base_url, "Metaverse")
    assert search_page.inner_text("#search-results h2") == "Suchergebnisse"
    assert search_page.locator("#search-results .highlighted").count() >= 1
