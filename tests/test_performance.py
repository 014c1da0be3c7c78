"""Performance features on the real site, end to end: a one-page edit rebuilds only what shows
the page; two clean builds are byte-identical.

Parallel, cached, paged and incremental builds are tested in the fast tier on the testroot
(tests/fast/test_incremental.py); speed itself is measured by `make bench` (benchmarks/).
"""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup
from conftest import ROOT, copy_sources, digest, reread, rewritten, run_sphinx

EDITED = "case-studies/contall"


def _card_texts(html: Path) -> list[str]:
    soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
    return [" ".join(card.get_text(" ").split()) for card in soup.select("article .sd-card")]


def test_one_page_edit_rebuilds_the_page_and_its_listings_only(tmp_path):
    src = copy_sources(tmp_path / "src")
    out = tmp_path / "out"
    first = run_sphinx(src, out)
    assert first.returncode == 0, first.output
    old = "KI-basierte Chatsysteme für die Kundenkommunikation und KI-Tools für das Marketing."
    assert any(old in card for card in _card_texts(out / "case-studies" / "index.html"))

    # Nothing changed: nothing is read again.
    idle = run_sphinx(src, out)
    assert idle.returncode == 0, idle.output
    assert reread(idle.output) == set()

    page = src / f"{EDITED}.md"
    new = "Eine geänderte Zusammenfassung, die nur dieser Test schreibt."
    text = page.read_text(encoding="utf-8")
    assert f"summary: {old}" in text
    page.write_text(text.replace(f"summary: {old}", f"summary: {new}"), encoding="utf-8")
    edit = run_sphinx(src, out)
    assert edit.returncode == 0, edit.output
    # Only the page is read again; the listings that show it and the tag pages that list it
    # (one per tag) are written again with its new card (kb.cards fills them in when writing).
    tag_pages = {
        "tags/fachkraeftesicherung",
        "tags/ki-im-kundenkontakt",
        "tags/marketing",
        "tags/landkreis-anhalt-bitterfeld",
    }
    assert reread(edit.output) == {EDITED}
    assert {"case-studies/index", "index"} | tag_pages <= rewritten(edit.output)
    for listing in ("case-studies/index.html", "index.html"):
        cards = " | ".join(_card_texts(out / listing))
        assert new in cards, listing
        assert old not in cards, f"{listing} still shows the old summary"


def test_two_clean_builds_are_byte_identical(build, tmp_path):
    assert build.returncode == 0, build.output
    again = run_sphinx(ROOT, tmp_path / "again")
    assert again.returncode == 0, again.output
    first, second = digest(build.outdir), digest(again.outdir)
    assert any(name.endswith(".html") for name in first)
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []
