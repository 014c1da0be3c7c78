"""The search at scale (issue 22): index transfer and time from keystroke to results.

Run by `make bench` (benchmarks/run.py) on the 1,000-case-study site, or on
its own: ``python -m benchmarks.search OUTDIR`` (a built site). In chromium,
served from 127.0.0.1 by http.server (no compression; the gzip column is what
a server that compresses, like `make publish`'s nginx, would send):

* index transfer: the search index the page fetches (``_static/kb-suchindex.json``),
  raw and gzip; Sphinx's ``searchindex.js`` beside it while Sphinx still writes one;
* first results: from opening ``search.html?q=…`` (empty cache) to the listed
  results, index download and set-up included;
* keystroke to results: on the open search page, from the last key of a query
  typed into the field to the list of its results (the page waits 80 ms after a
  key before searching), median and slowest over the queries below.
"""

from __future__ import annotations

import gzip
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import quote

from support import browser as kb_browser

QUERIES = ["Stahlbau", "Fachkraeftemangel", "Synthetischer Betrieb 0500", "KI Marketing", "wie nutzt contall ki"]
INDEX = "_static/kb-suchindex.json"
DONE = "q => document.getElementById('search-results').dataset.query === q"


def sizes(outdir: Path) -> dict[str, tuple[int, int]]:
    """File -> (bytes, gzip bytes) of the search indexes in a built site."""
    out = {}
    for name in (INDEX, "searchindex.js"):
        path = outdir / name
        if path.is_file():
            data = path.read_bytes()
            out[name] = (len(data), len(gzip.compress(data, 6, mtime=0)))
    return out


def timings(outdir: Path, queries: list[str] = QUERIES) -> dict[str, float]:
    """Milliseconds: first results (cold page), keystroke to results (median, max)."""
    with kb_browser.serve(outdir) as base, kb_browser.chromium() as browser:
        firsts = []
        for query in queries[:3]:
            context = browser.new_context()
            page = context.new_page()
            start = time.perf_counter()
            page.goto(f"{base}search.html?q={quote(query)}")
            page.wait_for_function(DONE, arg=query, timeout=60_000)
            firsts.append((time.perf_counter() - start) * 1000)
            context.close()
        page = browser.new_page()
        errors = kb_browser.watch_errors(page)
        page.goto(f"{base}search.html")
        page.evaluate("() => KBSearch.load()")
        keys = []
        for query in queries:
            page.fill("#kb-suche-feld", query[:-1])
            page.wait_for_function(DONE, arg=query[:-1], timeout=60_000)
            start = time.perf_counter()
            page.press("#kb-suche-feld", query[-1])
            page.wait_for_function(DONE, arg=query, timeout=60_000)
            keys.append((time.perf_counter() - start) * 1000)
        if errors:
            raise RuntimeError(f"search page errors: {errors}")
    return {
        "first": statistics.median(firsts),
        "key_median": statistics.median(keys),
        "key_max": max(keys),
    }


def report(outdir: Path, label: str) -> list[str]:
    """Markdown lines for RESULTS.md."""
    found = sizes(outdir)
    t = timings(outdir)
    lines = [
        f"## Search at {label} (issue 22)",
        "",
        "| Figure | Value |",
        "| --- | ---: |",
    ]
    for name, (raw, zipped) in found.items():
        used = " (the page's index)" if name == INDEX else " (Sphinx's, not loaded by the page)"
        lines.append(f"| `{name}`{used} | {raw / 1024:.1f} KiB, gzip {zipped / 1024:.1f} KiB |")
    lines += [
        f"| First results, opening `search.html?q=…` (empty cache, index included) | {t['first']:.0f} ms |",
        f"| Keystroke to results, median of {len(QUERIES)} queries | {t['key_median']:.0f} ms |",
        f"| Keystroke to results, slowest | {t['key_max']:.0f} ms |",
        "",
        "Served by Python's http.server from 127.0.0.1 (no compression, no network delay); keystroke to",
        "results includes the page's 80 ms wait after a key (benchmarks/search.py).",
    ]
    return lines


if __name__ == "__main__":
    print("\n".join(report(Path(sys.argv[1]), sys.argv[2] if len(sys.argv) > 2 else "this site")))
