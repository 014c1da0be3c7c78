"""Glossary: every term defined once, in German order, and used from content."""

from __future__ import annotations

import re
from collections import Counter

from conftest import ALL_CONTENT_PAGES, inside, resolve

from kb.german import sort_key

REQUIRED_TERMS = [
    "KI",
    "KMU",
    "Partizipative KI-Einführung",
    "Zukunftszentrum",
    "Metaverse",
    "Consumer-Metaverse",
    "Corporate/Enterprise Metaverse",
    "Industrial Metaverse",
    "Virtual Reality (VR)",
    "Augmented Reality (AR)",
    "KMUfutureLab",
    "Fachkräftemangel",
    "KI-basiertes Chatsystem",
    "Social-Media-Strategie",
    "Storytelling",
    "Kompetenzentwicklung",
]

german_key = sort_key  # DIN 5007-1, as the listings sort (kb.german)


def glossary_terms(site) -> list[tuple[str, str]]:
    """(term text, id) of every glossary entry, in page order."""
    dts = site.main("glossary/index").select("dl.glossary > dt")
    return [(dt.get_text(" ", strip=True).removesuffix("¶").strip(), dt["id"]) for dt in dts]


def test_german_key_orders_umlauts_with_their_base_letter():
    # The ordering rule itself: Ö sorts with O (before P), not after Z.
    assert sorted(["Zukunft", "Öffentlichkeit", "Partner"], key=german_key) == ["Öffentlichkeit", "Partner", "Zukunft"]
    assert sorted(["Umschulung", "Übung"], key=german_key) == ["Übung", "Umschulung"]


def test_required_terms_are_defined(site):
    names = [name for name, _ in glossary_terms(site)]
    for term in REQUIRED_TERMS:
        assert term in names, f"glossary lacks {term!r}"


def test_every_term_is_defined_exactly_once(site):
    names = Counter(name for name, _ in glossary_terms(site))
    assert [n for n, c in names.items() if c > 1] == []
    # No other page defines glossary terms.
    for docname in site.pages():
        if docname != "glossary/index":
            assert site.main(docname).select("dl.glossary") == [], docname


def test_glossary_is_in_german_alphabetical_order(site):
    names = [name for name, _ in glossary_terms(site)]
    assert names == sorted(names, key=german_key)


def test_terms_sit_under_their_letter(site):
    for section in site.main("glossary/index").select("section[id^=glossar-]"):
        letter = section.find("h2").get_text(strip=True).removesuffix("¶").strip()
        for dt in section.select("dl.glossary > dt"):
            first = german_key(dt.get_text(strip=True))[0]
            assert first == letter.casefold(), (letter, dt.get_text())


def _term_id(docname: str, href: str) -> str | None:
    """The glossary term id an href points to, if it points to one."""
    hit = resolve(docname, href)
    if hit and hit[0] == "glossary/index" and hit[1].startswith("term-"):
        return hit[1]
    return None


def _term_links(site, docname: str) -> set[str]:
    return {tid for a in site.main(docname).select("a[href]") if (tid := _term_id(docname, a["href"]))}


def test_every_term_is_linked_from_a_content_page(site):
    linked = set()
    for docname in site.pages():
        if docname != "glossary/index":
            linked |= _term_links(site, docname)
    for name, term_id in glossary_terms(site):
        assert term_id in linked, f"no content page links to the term {name!r}"


def _mention_pattern(name: str) -> re.Pattern:
    base = re.sub(r"\s*\(.*\)$", "", name)  # "Virtual Reality (VR)" -> "Virtual Reality"
    return re.compile(r"(?<![\w-])" + re.escape(base) + r"(?![\w-])")


def _exempt(tag) -> bool:
    """Places where a mention cannot be a link: titles, quotations, clickable cards, the credit,
    diagrams (drawn from the page's links; their text alternative repeats the names)."""
    if tag.name in ("h1", "h2", "h3", "h4", "blockquote", "script", "style"):
        return True
    classes = tag.get("class") or []
    if "sd-card-title" in classes or "kb-quelle" in classes or "kb-diagramm" in classes:
        return True
    return "sd-card" in classes and tag.select_one("a.sd-stretched-link") is not None


def test_first_mention_of_a_term_on_each_content_page_is_a_link(site):
    terms = glossary_terms(site)
    problems = []
    for docname in ["index", *site.only(ALL_CONTENT_PAGES)]:
        linked: set[str] = set()
        for node in site.main(docname).find_all(string=True):
            if inside(node, _exempt):
                continue
            link = node.find_parent("a")
            if link is not None:
                # A term link marks the term as linked; text in other links cannot hold one.
                if tid := _term_id(docname, link.get("href", "")):
                    linked.add(tid)
                continue
            for name, term_id in terms:
                if term_id not in linked and _mention_pattern(name).search(str(node)):
                    problems.append(
                        f"{docname}: first mention of {name!r} is not a {{term}} link: {str(node).strip()[:80]!r}"
                    )
                    linked.add(term_id)  # report each term once per page
    assert problems == [], "\n".join(problems)
