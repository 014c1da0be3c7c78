"""Search entries (kb/search.py): glossary terms, actors and key facts in Sphinx's search index."""

from __future__ import annotations

import json
import re

from conftest import copy_sources, front_matter, run_sphinx, site_config, source_pages


def _index(site) -> dict:
    text = (site.root / "searchindex.js").read_text(encoding="utf-8")
    return json.loads(re.fullmatch(r"Search\.setIndex\((.*)\)\s*", text, re.DOTALL).group(1))


def entries(site) -> set[tuple[str, str, str]]:
    """(docname, label, name) of every entry of the domain "suche"."""
    index = _index(site)
    found = set()
    for prefix, items in index["objects"].items():
        for file, typeindex, _prio, _anchor, name in items:
            domain, _type, label = index["objnames"][str(typeindex)]
            if domain == "suche":
                found.add((index["docnames"][file], label, f"{prefix}.{name}" if prefix else name))
    return found


def test_key_facts_of_typed_pages_are_entries(site):
    conf = site_config()
    found = entries(site)
    checked = 0
    for docname in source_pages():
        folder, _, name = docname.rpartition("/")
        facts = conf["kb_search_facts"].get(conf["kb_page_types"].get(folder, ""), {}) if name != "index" else {}
        data = front_matter(docname)
        for field, label in facts.items():
            if str(data.get(field, "")).strip():
                assert (docname, label, " ".join(str(data[field]).split())) in found, (docname, field)
                checked += 1
    assert checked >= 5


def test_glossary_terms_and_actors_are_entries_named_by_themselves(site):
    found = entries(site)
    synonyms = front_matter("glossary/index").get("synonyme", {})
    terms = [dt.get_text(strip=True).removesuffix("¶") for dt in site.soup("glossary/index").select("dl.glossary dt")]
    assert terms
    for term in terms:
        name = term + (f" (auch: {', '.join(synonyms[term])})" if term in synonyms else "")
        assert ("glossary/index", "Glossarbegriff", name) in found, name
    actors = [dt.get_text(strip=True).removesuffix("¶") for dt in site.soup("actors/index").select("dl.kb-akteure dt")]
    assert actors
    for actor in actors:
        assert any(d == "actors/index" and label == "Akteur" and n.startswith(actor) for d, label, n in found), actor


def test_a_synonym_for_an_unknown_term_names_file_and_line(tmp_path):
    src = copy_sources(tmp_path / "src")
    glossary = src / "glossary" / "index.md"
    text = glossary.read_text(encoding="utf-8")
    glossary.write_text(text.replace("synonyme:\n", "synonyme:\n  Gibtsnicht: [Nirgends]\n", 1), encoding="utf-8")
    line = glossary.read_text(encoding="utf-8").splitlines().index("  Gibtsnicht: [Nirgends]") + 1
    result = run_sphinx(src, tmp_path / "out")
    assert result.returncode != 0
    assert re.search(
        rf"glossary/index\.md:{line}: WARNING: Feld „synonyme“ nennt den Begriff „Gibtsnicht“, den es in diesem Glossar nicht gibt",
        result.output,
    ), result.output[-2000:]
