"""Page metadata: language, meta description from front matter, German search index."""

from __future__ import annotations

import json
import re

import pytest
from conftest import ALL_PAGES, front_matter


@pytest.mark.parametrize("docname", ALL_PAGES)
def test_html_lang_is_german(site, docname):
    assert site.soup(docname).html.get("lang") == "de"


@pytest.mark.parametrize("docname", ALL_PAGES)
def test_meta_description_comes_from_front_matter(site, docname):
    metas = site.soup(docname).select('head meta[name="description"]')
    assert len(metas) == 1, f"{docname}: {len(metas)} meta descriptions"
    assert metas[0]["content"] == front_matter(docname)["description"]


def _search_index(site) -> dict:
    js = (site.root / "searchindex.js").read_text(encoding="utf-8")
    return json.loads(re.fullmatch(r"Search\.setIndex\((.*)\)\s*", js, re.S).group(1))


def test_search_index_is_german(site):
    options = (site.root / "_static" / "documentation_options.js").read_text(encoding="utf-8")
    assert "LANGUAGE: 'de'" in options
    assert (site.root / "_static" / "language_data.js").read_text(encoding="utf-8").count("German") >= 1


def test_search_index_holds_words_from_the_pages(site):
    index = _search_index(site)
    terms = index["terms"]
    titles = index["titles"]
    # German stems: "Stahlbauunternehmens" -> "stahlbauunternehm", "Zukunftszentren" -> "zukunftszentr".
    for stem in ("stahlbauunternehm", "zorbig", "metavers", "kmufuturelab", "storytelling", "zukunftszentr"):
        assert any(t.startswith(stem) for t in terms), stem
    docs = index["docnames"]
    hits = terms["zorbig"] if isinstance(terms["zorbig"], list) else [terms["zorbig"]]
    assert "case-studies/contall" in {docs[i] for i in hits}
    assert "Praxisbeispiel: CONTALL GmbH" in titles
