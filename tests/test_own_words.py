"""The pages are in our own words (issue 25, ../shared/source/README.md): no page
takes a run of 12 or more words from the article outside a marked quotation, and
the glossary spells its terms as the article does. Reads the session's built
site (real_site); one pass over each page's words (tests/support/verbatim.py)."""

from __future__ import annotations

import re

import pytest
from conftest import BUILT_PAGES
from support import verbatim


@pytest.fixture(scope="module")
def article_windows() -> set[tuple[str, ...]]:
    return verbatim.windows(verbatim.article_text())


def test_article_is_there(article_windows):
    assert len(article_windows) > 500, "../shared/source holds no article text"


def test_no_page_takes_12_words_unmarked(real_site, article_windows):
    runs = {}
    for page in BUILT_PAGES:
        found = verbatim.verbatim_runs(real_site.root.joinpath(page).read_text(encoding="utf-8"), article_windows)
        if found:
            runs[page] = found
    assert runs == {}, (
        f"word for word from the article ({verbatim.RUN}+ words), not marked as a quotation: "
        "say it in other words or quote it („…“ or a > block): " + repr(runs)
    )


def test_verbatim_check_finds_runs_and_spares_quotations(article_windows):
    taken = "Sie betonte die Bedeutung eines menschzentrierten und arbeitsplatzbezogenen Zugangs zu KI. Dabei ging es"
    html = f"<article><p>{taken}</p></article>"
    assert verbatim.verbatim_runs(html, article_windows) != []
    quoted = f"<article><p>Der Bericht: „{taken}“</p><blockquote><p>{taken}</p></blockquote></article>"
    assert verbatim.verbatim_runs(quoted, article_windows) == []
    # Case, punctuation and the quotation marks' style do not hide a run.
    shouted = "<article><li>SIE BETONTE die Bedeutung, eines menschzentrierten – und arbeitsplatzbezogenen Zugangs zu KI! DABEI ging es</li></article>"
    assert verbatim.verbatim_runs(shouted, article_windows) != []


def _spelling_differs(term: str, article: str) -> list[str]:
    """The article's spellings of a term when none of them is the term's own (hyphen or space)."""
    name = re.sub(r"\s*\([^)]*\)", "", term).strip()
    parts = [p for p in re.split(r"[\s-]+", name) if p]
    pattern = r"(?<![\w-])" + r"[\s-]?".join(re.escape(p) for p in parts) + r"(?![\w-])"
    found = set(re.findall(pattern, article))
    return sorted(found) if found and name not in found else []


def test_glossary_terms_are_spelt_as_in_the_article(real_site):
    article = verbatim.article_text()
    terms = [
        dt.get_text(" ", strip=True).rstrip("¶ ").strip()
        for dt in real_site.soup("glossary/index").select("dl.glossary dt")
    ]
    assert len(terms) > 10, terms
    differ = {term: _spelling_differs(term, article) for term in terms if _spelling_differs(term, article)}
    assert differ == {}, f"spelt otherwise in the article: {differ}"


def test_spelling_check_sees_a_hyphen_the_article_does_not_have():
    article = "dem “Corporate/Enterprise Metaverse” für virtuelle Zusammenarbeit"
    assert _spelling_differs("Corporate/Enterprise-Metaverse", article) == ["Corporate/Enterprise Metaverse"]
    assert _spelling_differs("Corporate/Enterprise Metaverse", article) == []
