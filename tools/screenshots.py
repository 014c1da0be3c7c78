#!/usr/bin/env python3
"""Screenshot key pages at phone and desktop width, light and dark.

Usage: tools/screenshots.py [BUILD_DIR] [OUT_DIR]   (`make screenshots`;
defaults _build/html and _build/screenshots). Writes full-page PNGs named
<page>-<phone|desktop>-<light|dark>.png (and preview-*.png: a term preview
opened by keyboard focus), to look at before calling a visual change done.
"""

from __future__ import annotations

import sys
from pathlib import Path

from support import browser as kb

PAGES = {
    "landing": "index.html",
    "conference": "events/jahrestagung-2024.html",
    "case-study": "case-studies/contall.html",
    "glossary": "glossary/index.html",
}
WIDTHS = {"phone": kb.PHONE, "desktop": kb.DESKTOP}


def main() -> int:
    root = Path(sys.argv[1] if len(sys.argv) > 1 else "_build/html")
    out = Path(sys.argv[2] if len(sys.argv) > 2 else "_build/screenshots")
    out.mkdir(parents=True, exist_ok=True)
    with kb.serve(root) as base, kb.chromium() as browser:
        for scheme in kb.SCHEMES:
            for width_name, viewport in WIDTHS.items():
                context = browser.new_context(viewport=viewport, color_scheme=scheme)
                page = context.new_page()
                for name, path in PAGES.items():
                    page.goto(base + path, wait_until="load")
                    target = out / f"{name}-{width_name}-{scheme}.png"
                    page.screenshot(path=str(target), full_page=True)
                    print(target)
                # A term preview, shown by keyboard focus, in the viewport around it.
                page.goto(base + PAGES["conference"], wait_until="load")
                link = page.locator('article a.reference.internal[href*="#akteur-"]').first
                link.scroll_into_view_if_needed()
                link.focus()
                page.wait_for_selector("#kb-preview:not([hidden])")
                target = out / f"preview-{width_name}-{scheme}.png"
                page.screenshot(path=str(target))
                print(target)
                context.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
