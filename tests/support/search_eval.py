"""Run evaluation queries through the real search page (search.html) in chromium.

One page, many queries: the query is typed into the page's field and sent
(the form's submit), and the hits are read from ``#search-results`` once the
page marks the list as belonging to that query (``data-query``). Used by
tests/test_search_eval.py; a script can import it to print the table per kind of query.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

DATA = Path(__file__).resolve().parents[1] / "data"


@dataclass
class Case:
    query: str
    expect: str
    kind: str
    why: str = ""


def read_cases(name: str) -> list[Case]:
    """The cases of tests/data/search-<name>.yaml (list of {query, expect, kind, why})."""
    items = yaml.safe_load((DATA / f"search-{name}.yaml").read_text(encoding="utf-8"))
    return [Case(str(i["query"]), str(i["expect"]), str(i.get("kind", "")), str(i.get("why", ""))) for i in items]


def matches(hit: str, expected: str) -> bool:
    """A hit (href without .html) answers the case: the same entry, or the same page when no anchor is expected."""
    return hit == expected if "#" in expected else hit.split("#")[0] == expected


def run_query(page, query: str, timeout: float = 10_000) -> list[str]:
    """Type the query into the search page's field, send it, return the hits in rank order."""
    page.fill("#kb-suche-feld", query)
    page.evaluate("() => document.getElementById('kb-suche-form').requestSubmit()")
    page.wait_for_function(
        "q => document.getElementById('search-results').dataset.query === q", arg=query, timeout=timeout
    )
    hrefs = page.eval_on_selector_all(
        "#search-results ul.search > li > a", "els => els.map(e => e.getAttribute('href'))"
    )
    return [h.replace(".html", "") for h in hrefs]


def evaluate(page, cases: list[Case]) -> list[tuple[Case, list[str]]]:
    return [(case, run_query(page, case.query)) for case in cases]


def rank(case: Case, hits: list[str]) -> int | None:
    """1-based rank of the expected hit, None when missing."""
    return next((i for i, h in enumerate(hits, 1) if matches(h, case.expect)), None)


def table(results: list[tuple[Case, list[str]]]) -> str:
    """Share right first and in the top 3, per query kind and overall (Markdown)."""
    kinds: dict[str, list[int | None]] = {}
    for case, hits in results:
        kinds.setdefault(case.kind, []).append(rank(case, hits))
    rows = ["| kind | queries | first | top 3 |", "| --- | ---: | ---: | ---: |"]
    everything = [r for ranks in kinds.values() for r in ranks]
    for kind, ranks in [*sorted(kinds.items()), ("all", everything)]:
        first = sum(r == 1 for r in ranks) / len(ranks)
        top3 = sum(r is not None and r <= 3 for r in ranks) / len(ranks)
        rows.append(f"| {kind} | {len(ranks)} | {first:.0%} | {top3:.0%} |")
    return "\n".join(rows)


def failures(results: list[tuple[Case, list[str]]]) -> str:
    return "\n".join(
        f"{'top3' if (r := rank(c, h)) and r <= 3 else 'MISS'} {c.query!r}: expected {c.expect}, got {h[:3]}"
        for c, h in results
        if rank(c, h) != 1
    )
