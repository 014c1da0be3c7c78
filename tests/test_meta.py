"""Page metadata: language, meta description from front matter, German search index."""

from __future__ import annotations

import json

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
    """The search page's index (kb.search_index): stem -> numbers of the documents holding it, titles."""
    data = json.loads((site.root / "_static" / "kb-suchindex.json").read_text(encoding="utf-8"))
    terms: dict[str, set[int]] = {}
    for term, *fields in data["index"]:
        for numbers in fields[1::2]:  # [field, postings, field, postings, ...]; postings are gaps, counts < 0
            doc = 0
            for n in numbers:
                if n > 0:
                    doc += n
                    terms.setdefault(term, set()).add(doc - 1)
    return {"terms": terms, "docs": [row[0] for row in data["docs"]], "titles": [row[1] for row in data["docs"]]}


def test_search_index_is_german(site):
    options = (site.root / "_static" / "documentation_options.js").read_text(encoding="utf-8")
    assert "LANGUAGE: 'de'" in options
    # The search page's script stems the query with the German stemmer of language_data.js.
    assert (site.root / "_static" / "language_data.js").read_text(encoding="utf-8").count("German") >= 1
    assert not (site.root / "searchindex.js").exists()  # Sphinx's own index: not built, no page loads it


def test_search_index_holds_words_from_the_pages(site):
    index = _search_index(site)
    terms = index["terms"]
    # German stems: "Stahlbauunternehmens" -> "stahlbauunternehm", "Zukunftszentren" -> "zukunftszentr".
    for stem in ("stahlbauunternehm", "zorbig", "metavers", "kmufuturelab", "storytelling", "zukunftszentr"):
        assert any(t.startswith(stem) for t in terms), stem
    assert "case-studies/contall.html" in {index["docs"][i] for i in terms["zorbig"]}
    assert "Praxisbeispiel: CONTALL GmbH" in index["titles"]
