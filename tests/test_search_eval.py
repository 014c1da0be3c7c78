"""The blind evaluation set of the search, through the real search page in chromium.

tests/data/search-tuning.yaml and tests/data/search-heldout.yaml were written
from the source article by someone who had not seen the search's code or
results, each query with the page or entry that should come first, and split
at random into halves: the ranking was tuned on the first only; the held-out
half was run once at the end (figures: benchmarks/FINDINGS.md, "Search").
tests/data/search-heldout2.yaml is a second held-out set, written the same way
after the first held-out half had been used, and run once on the final code.
The target for each half: the expected hit first for 90 % of its queries and
among the first three for 98 % (REQUIRED below says what each half reaches).
One browser page types all queries into the page's field one after the other.
"""

from __future__ import annotations

import pytest
from conftest import kb_browser
from support.search_eval import evaluate, failures, rank, read_cases, table

# The target for each half: first right for 90 %, in the top 3 for 98 %.
TARGET = {"first": 0.90, "top3": 0.98}
# What each set must reach. The tuning half meets the target (95 % / 100 %; 93 % / 100 % after the
# follow-up of issue 22: Damerau typo distance, typos on whole words, English and everyday synonyms).
# The first held-out half, run once on the first version, did not (76 and 83 of 91); the follow-up
# was aimed at the kinds of failure it showed, so that half is spent as a fair test: it keeps what it
# reaches now (82 and 89 of 91, 90 % / 98 %) as a floor. A fresh held-out set of 100 queries
# (search-heldout2.yaml, written blind afterwards and run once on the final code: 92 % / 99 %) holds
# the target.
REQUIRED = {"tuning": TARGET, "heldout": {"first": 82 / 91, "top3": 89 / 91}, "heldout2": TARGET}

pytestmark = pytest.mark.xdist_group("search")


@pytest.fixture(scope="module")
def search_page(browser, base_url):
    page = browser.new_page()
    page.kb_errors = kb_browser.watch_errors(page, types=("error", "warning"))
    page.goto(f"{base_url}search.html", wait_until="load")
    yield page
    page.close()


@pytest.mark.parametrize("half", ["tuning", "heldout", "heldout2"])
def test_evaluation_half_finds_the_expected_hit_first(search_page, half):
    cases = read_cases(half)
    assert len(cases) >= 60
    results = evaluate(search_page, cases)
    ranks = [rank(case, hits) for case, hits in results]
    first = sum(r == 1 for r in ranks) / len(ranks)
    top3 = sum(r is not None and r <= 3 for r in ranks) / len(ranks)
    report = f"{half}: first {first:.0%}, top 3 {top3:.0%}\n{table(results)}\n{failures(results)}"
    print(f"\n{report}")
    assert search_page.kb_errors == [], search_page.kb_errors
    need = REQUIRED[half]
    assert first >= need["first"] and top3 >= need["top3"], report


@pytest.mark.parametrize("half", ["tuning", "heldout", "heldout2"])
def test_every_expected_hit_exists(real_site, half):
    for case in read_cases(half):
        docname, _, anchor = case.expect.partition("#")
        assert (real_site.root / f"{docname}.html").is_file(), case
        if anchor:
            assert real_site.soup(docname).find(id=anchor) is not None, case
