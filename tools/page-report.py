#!/usr/bin/env python3
"""Print the readers' per-page figures for a built site as a table.

Usage: tools/page-report.py [BUILD_DIR]   (default: _build/html; `make page-report`)

Columns: axe violations (WCAG 2.1 A/AA + best practice) in light and dark at
desktop and phone width, requests and KiB of one page load with an empty
cache, requests to other hosts, console errors, and whether anything sticks
out at 375 px. The same figures are asserted by the browser tests.
"""

from __future__ import annotations

import sys
from pathlib import Path

from support import browser as kb


def main() -> int:
    root = Path(sys.argv[1] if len(sys.argv) > 1 else "_build/html")
    pages = kb.built_pages(root)
    with kb.serve(root) as base, kb.chromium() as browser:
        loads = {p: kb.measure_load(browser, base, p) for p in pages}
        views = dict(kb.Views(browser, base, pages))  # every page audited while the browser is open
    head = f"{'page':<42} {'axe light':>9} {'axe dark':>8} {'req':>4} {'KiB':>6} {'foreign':>7} {'errors':>6} {'overflow 375':>12}"
    print(head)
    print("-" * len(head))
    bad = 0
    for p in pages:
        light = sum(len(views[p, "light", w.get("width")].violations) for w in (kb.DESKTOP, kb.PHONE))
        dark = sum(len(views[p, "dark", w.get("width")].violations) for w in (kb.DESKTOP, kb.PHONE))
        load = loads[p]
        over = any(views[p, s, kb.PHONE["width"]].overflow["outside"] for s in kb.SCHEMES)
        errors = len(load.console_errors) + sum(len(v.console_errors) for k, v in views.items() if k[0] == p)
        row_bad = (
            light
            or dark
            or over
            or errors
            or load.foreign(base)
            or load.kib > kb.MAX_KIB
            or load.requests > kb.MAX_REQUESTS
        )
        bad += bool(row_bad)
        print(
            f"{p:<42} {light:>9} {dark:>8} {load.requests:>4} {load.kib:>6.1f} {len(load.foreign(base)):>7} {errors:>6} {'yes' if over else 'no':>12}"
        )
    print(
        f"\n{len(pages)} pages; budgets: <= {kb.MAX_REQUESTS} requests, <= {kb.MAX_KIB} KiB; pages over a budget or failing a check: {bad}"
    )
    for p in pages:
        for s in kb.SCHEMES:
            for w in (kb.DESKTOP["width"], kb.PHONE["width"]):
                for v in views[p, s, w].violations:
                    print(f"  {p} {s} {w}px: {v['id']}: {v['help']} {v['targets']}")
            if views[p, s, kb.PHONE["width"]].overflow["outside"]:
                print(f"  {p} {s} 375px overflow: {views[p, s, kb.PHONE['width']].overflow}")
        for e in loads[p].console_errors:
            print(f"  {p} console: {e}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
