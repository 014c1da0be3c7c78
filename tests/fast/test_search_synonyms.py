"""The synonym list of the search (kb/search_synonyms.yaml) covers the site's terms.

The terms come from the site's own metadata, so a new glossary term or Schlagwort
is covered too: the glossary terms as kb.labels reads them (``make labels``) and the
tag pages (front matter ``type: tag``, their title is the tag). Each needs a group
holding it with at least one other German word (an everyday word or paraphrase) and
one English word; a missing one fails with a German message saying what to add.
"""

from __future__ import annotations

import re

import pytest

from kb.frontmatter import front_matter, read_text
from kb.labels import ROOT, collect
from kb.search_index import SYNONYMS, _stem, read_synonym_groups, words

HEADING = re.compile(r"^#\s+(.+?)\s*$", re.MULTILINE)


def _phrase(text: str) -> str:
    """A phrase as the search compares it: its words, stemmed (umlauts and ß folded)."""
    return " ".join(_stem(w) for w in words(text))


def _forms(term: str) -> set[str]:
    """A term as it may stand in the list: as written and without its abbreviation in brackets."""
    return {_phrase(term), _phrase(re.sub(r"\s*\(.*?\)", "", term))} - {""}


def site_terms() -> list[tuple[str, str]]:
    """(term, where) for every glossary term and every Schlagwort of the site."""
    terms = [(term, "Glossarbegriff") for term in collect(ROOT)[1]]
    for path in sorted((ROOT / "tags").glob("*.md")):
        if front_matter(path).get("type") == "tag" and (title := HEADING.search(read_text(path))):
            terms.append((title.group(1), f"Schlagwort (tags/{path.name})"))
    return terms


def _missing(term: str, groups: list[dict[str, list[str]]]) -> str | None:
    forms = _forms(term)
    holding = [g for g in groups if forms & {_phrase(w) for w in g["de"] + g["en"]}]
    if not any(g["en"] for g in holding):
        return "ein englisches Suchwort"
    if not any(len({_phrase(w) for w in g["de"]} - forms) for g in holding):
        return "ein weiteres deutsches Wort (Alltagswort oder Umschreibung)"
    return None


def test_site_terms_are_read_from_the_site():
    terms = dict(site_terms())
    assert "Umschulung" in terms and "Öffentlichkeitsarbeit" in terms
    assert terms.get("Fachkräftesicherung", "").startswith("Schlagwort")


@pytest.fixture(scope="module")
def groups() -> list[dict[str, list[str]]]:
    return read_synonym_groups()


@pytest.mark.parametrize("term, where", site_terms(), ids=lambda v: v if isinstance(v, str) else "")
def test_every_glossary_term_and_tag_has_english_and_german_search_words(groups, term, where):
    what = _missing(term, groups)
    assert what is None, (
        f"{where} „{term}“: in {SYNONYMS.relative_to(ROOT)} fehlt {what}. "
        f"Bitte eine Gruppe ergänzen oder erweitern, zum Beispiel:\n"
        f"- de: [{term}, <deutsches Alltagswort>]\n  en: [<englisches Wort, das Leser eingeben>]"
    )


def test_a_term_without_english_words_is_reported(tmp_path):
    synonyms = tmp_path / "synonyms.yaml"
    synonyms.write_text("- de: [Umschulung, Berufswechsel]\n- [KI, künstliche Intelligenz]\n", encoding="utf-8")
    groups = read_synonym_groups(synonyms)
    assert _missing("Umschulung", groups) == "ein englisches Suchwort"
    assert _missing("KI", groups) == "ein englisches Suchwort"
    assert _missing("Augmented Reality (AR)", groups) == "ein englisches Suchwort"
    synonyms.write_text("- de: [Umschulung]\n  en: [retraining]\n", encoding="utf-8")
    assert _missing("Umschulung", read_synonym_groups(synonyms)).startswith("ein weiteres deutsches Wort")
