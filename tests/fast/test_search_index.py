"""The search index (kb/search_index.py): words, compounds, synonyms and the compact format."""

from __future__ import annotations

import json
import shutil
import subprocess
from io import StringIO

from sphinx.testing.util import SphinxTestApp

from kb.search_index import FIELDS, STATIC, build_index, compound_parts, fold, read_synonyms, stemmed_synonyms, words


def test_words_are_lower_case_and_split_at_hyphens():
    assert words("KI-Tools für KMU, 16 Mitarbeitende") == ["ki", "tools", "für", "kmu", "16", "mitarbeitende"]


def test_compounds_split_into_known_parts():
    vocabulary = {"fachkräfte", "zukunft", "stahlbau", "stahl", "unternehmen", "arbeit"}
    assert compound_parts("fachkräftemangel", vocabulary) == ["fachkräfte", "mangel"]
    assert compound_parts("zukunftszentrum", vocabulary) == ["zukunft", "zentrum"]  # linking s
    assert compound_parts("stahlbauunternehmen", vocabulary) == ["stahlbau", "unternehmen"]  # longest first part
    assert compound_parts("marketing", vocabulary) == []
    assert compound_parts("kurz", vocabulary) == []


def test_synonym_groups_are_stemmed_like_the_query():
    groups = stemmed_synonyms([["Künstliche Intelligenz", "KI"], ["Grußwort", "Begrüßung"]])
    assert groups == [["kunstlich intelligenz", "ki"], ["grusswort", "begruss"]]
    assert all(len(group) > 1 for group in read_synonyms())


def _decode(data: dict) -> dict[str, dict[int, dict[int, int]]]:
    """The page script's reading of the postings (kb/static/kb-search.js, expand)."""
    out = {}
    for term, *rest in data["index"]:
        fields = {}
        for field, numbers in zip(rest[::2], rest[1::2], strict=True):
            postings, doc = {}, 0
            for x in numbers:
                if x < 0:
                    postings[doc] = -x
                else:
                    doc += x
                    postings[doc] = 1
            fields[field] = postings
        out[term] = fields
    return out


def test_compact_index_round_trips():
    docs = [
        {
            "u": "a.html",
            "t": "Stahlbau",
            "k": "seite",
            "name": "Stahlbau",
            "head": "",
            "desc": "",
            "text": "Stahl Stahl Bau",
            "d": "x",
        },
        {
            "u": "g.html#t",
            "t": "KI",
            "k": "begriff",
            "name": "KI (auch: AI)",
            "head": "",
            "desc": "",
            "text": "Stahl",
            "d": "Def",
        },
    ]
    data = build_index(docs, [])
    assert data["fields"] == FIELDS
    # A page's snippet comes from the page; an entry's from its definition; the name only when it differs.
    assert data["docs"] == [["a.html", "Stahlbau", "seite"], ["g.html#t", "KI", "begriff", "KI (auch: AI)", "Def"]]
    index = _decode(data)
    text = FIELDS.index("text")
    assert index["stahl"][text] == {1: 2, 2: 1}
    assert index["stahlbau"][FIELDS.index("name")] == {1: 1}
    assert data["lengths"][0][text] == 3


# -- In a build: -j and incremental builds give what a clean serial build gives --------


def _build(src, out, parallel=0, fresh=True):
    """The _static folder of a build, which must not warn (also not incrementally, without Sphinx's own index)."""
    warnings = StringIO()
    app = SphinxTestApp("html", srcdir=src, builddir=out, parallel=parallel, freshenv=fresh, warning=warnings)
    try:
        app.build()
    finally:
        app.cleanup()
    assert "WARNING" not in warnings.getvalue(), warnings.getvalue()
    assert not (app.outdir / "searchindex.js").exists()
    return app.outdir / "_static"


def _docs(static) -> list:
    return json.loads((static / "kb-suchindex.json").read_text(encoding="utf-8"))["docs"]


def test_index_is_the_same_in_parallel_and_follows_edits(tmp_path, rootdir):
    src = tmp_path / "src"
    shutil.copytree(rootdir / "test-kb", src)
    conf = src / "conf.py"
    conf.write_text(conf.read_text(encoding="utf-8") + '\nextensions += ["kb.search_index"]\n', "utf-8")
    serial = _build(src, tmp_path / "serial")
    parallel = _build(src, tmp_path / "parallel", parallel=2)
    index = (serial / "kb-suchindex.json").read_text(encoding="utf-8")
    assert index == (parallel / "kb-suchindex.json").read_text(encoding="utf-8")
    kinds = {row[2] for row in _docs(serial)}
    assert {"seite", "begriff"} <= kinds, kinds
    page = next(p for p in sorted((src / "case-studies").glob("*.md")) if p.stem != "index")
    assert (serial / "kb-suchtext" / "case-studies" / f"{page.stem}.txt").is_file()

    # An edit is found after an incremental build; a removed page leaves neither entry nor text file.
    page.write_text(page.read_text(encoding="utf-8") + "\nZuckerwatte gab es nicht.\n", encoding="utf-8")
    again = _build(src, tmp_path / "serial", fresh=False)
    data = json.loads((again / "kb-suchindex.json").read_text(encoding="utf-8"))
    assert any(term == "zuckerwatt" for term, *_ in data["index"])
    page.unlink()
    for index_md in src.rglob("*.md"):  # (no toctree may name the removed page)
        text = index_md.read_text(encoding="utf-8")
        index_md.write_text(text.replace(f"\n{page.stem}\n", "\n"), encoding="utf-8")
    again = _build(src, tmp_path / "serial", fresh=False)
    assert not any(row[0].endswith(f"{page.stem}.html") for row in _docs(again))
    assert not (again / "kb-suchtext" / "case-studies" / f"{page.stem}.txt").exists()


# -- Typo tolerance (kb/static/kb-fuzzy.js, run in node) --------------------------------


def _fuzzy(expression: str):
    """The value of a JavaScript expression over KBFuzzy, the page's typo tolerance, evaluated in node."""
    node = shutil.which("node")
    # Never skip: `make test-fast` installs Debian's nodejs first (as root) or prints the command.
    assert node is not None, "node fehlt: `make test-fast` installiert Debians nodejs (als root) oder nennt den Befehl"
    script = (STATIC / "kb-fuzzy.js").read_text(encoding="utf-8")
    code = f"{script}\nconsole.log(JSON.stringify((() => {expression})()));"
    out = subprocess.run([node, "-e", code], capture_output=True, text=True, check=True, timeout=30)
    return json.loads(out.stdout)


def test_a_swap_of_neighbouring_letters_is_one_edit():
    # Levenshtein counts two edits here; the tolerance is one edit from 5 letters, two from 9.
    assert _fuzzy('KBFuzzy.distance("tagnug", "tagung", 2)') == 1
    assert _fuzzy('KBFuzzy.distance("jahrestagnug", "jahrestagung", 2)') == 1
    assert _fuzzy('[4, 5, 8, 9].map((n) => KBFuzzy.allowed("x".repeat(n)))') == [0, 1, 1, 2]
    # One swap in a 5-letter word is found, a swap plus a second edit is not.
    stems = ["tagung", "pflege"]
    assert _fuzzy(f'[...KBFuzzy.similar("tagnug", "tagnug", {json.dumps(stems)}, []).keys()]') == ["tagung"]
    assert _fuzzy(f'[...KBFuzzy.similar("pfelgx", "pfelgx", {json.dumps(stems)}, []).keys()]') == []


def test_typos_are_measured_against_word_forms_as_well_as_stems():
    # "Umschlung" is stemmed "umschlung", three edits from the stem "umschul" of "Umschulung";
    # against the word form "umschulung" it is one edit (a missing letter).
    data = build_index(
        [
            {
                "u": "u.html",
                "t": "Umschulung",
                "k": "seite",
                "name": "Umschulung",
                "head": "",
                "desc": "",
                "text": "Die Umschulung",
                "d": "",
            }
        ],
        [],
    )
    assert ["umschul", "umschulung"] in data["forms"]
    forms = json.dumps([[f, stem] for stem, *fs in data["forms"] for f in fs])
    stems = json.dumps([term for term, *_ in data["index"]])
    assert _fuzzy(f'[...KBFuzzy.similar("umschlung", "umschlung", {stems}, {forms}).keys()]') == ["umschul"]
    assert _fuzzy(f'[...KBFuzzy.similar("umschlung", "umschlung", {stems}, []).keys()]') == []
    # A word whose form is its stem: "Marktenig" (stem "markten") is two swaps from "marketing".
    assert _fuzzy('[...KBFuzzy.similar("Marktenig", "markten", ["marketing"], []).keys()]') == ["marketing"]
    # Folding as the stemmer does: "Grusswort" and "Grußwort", "Maerkte" and "Märkte".
    assert fold("Grußwort") == fold("Grusswort") == "grusswort"
    assert fold("Märkte") == fold("Maerkte") == "markte"
    assert _fuzzy('["Grußwort", "Maerkte", "Übung", "Quelle"].map(KBFuzzy.fold)') == [
        "grusswort",
        "markte",
        "ubung",
        "quelle",
    ]
