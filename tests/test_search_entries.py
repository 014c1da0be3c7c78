"""Search entries (kb/search.py): glossary terms, actors and key facts as objects of the domain "suche"."""

from __future__ import annotations

import re
import zlib

from conftest import copy_sources, front_matter, run_sphinx, site_config, source_pages


def entries(site) -> set[tuple[str, str, str]]:
    """(docname, label, name) of every entry of the domain "suche", as objects.inv lists them.

    (kb.search_index reads them from the domain for the search page's index; Sphinx's own
    searchindex.js, where they used to be read from, is not built.)
    """
    # objects.inv: four header lines, then zlib lines "name domain:type priority uri display-name";
    # the names hold spaces and numbers ("knapp 300 Gäste …"), so the domain anchors the split.
    body = zlib.decompress((site.root / "objects.inv").read_bytes().split(b"\n", 4)[4]).decode("utf-8")
    found = set()
    for line in body.splitlines():
        match = re.fullmatch(r"(.+?) suche:(\S+) -?\d+ (\S*) .*", line)
        if match:
            name, label, uri = match.groups()
            found.add((uri.partition("#")[0].removesuffix(".html"), label, name))
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
