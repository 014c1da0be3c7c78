"""Knowledge graph (kb/graph.py): actors, tags and "Erwähnt in" backlinks.

From every actor, term and tag page a reader reaches every page that mentions
it, and from every mention back; an incremental build keeps backlinks right.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import ALL_PAGES, front_matter, inside, page_source, resolve

from kb.german import slug

ACTORS_PAGE = "actors/index"
GLOSSARY = "glossary/index"
TOPIC_PAGES = [d for d in ALL_PAGES if d.startswith("glossary/") and front_matter(d).get("type") == "topic"]
# The people and organisations the article names (issue 7); each needs an entry.
ARTICLE_ACTORS = [
    "Leonie Gebers",
    "Bettina Kretschmer",
    "Norman Balke",
    "Dr. Vanessa Just",
    "Laura Haß",
    "Torsten Paul",
    "Sarah Puck",
    "Bundesministerium für Arbeit und Soziales (BMAS)",
    "CONTALL GmbH",
    "VITASERV AG",
    "Handwerkskammer Halle",
    "Forschungsinstitut Betriebliche Bildung (f-bb)",
    "Zukunftszentrum Digitale Arbeit Sachsen-Anhalt",
    "RZ Nord",
    "ZUKIPRO Hessen",
    "AXICA Konferenz- und Tagungszentrum",
]


def actor_entries(site) -> dict[str, list[str]]:
    """Name -> [name, aliases...] of every entry in actors/index.md, read from the site's source."""
    text = page_source(ACTORS_PAGE, site.source_root)
    entries = {}
    for match in re.finditer(r"^:::\{akteur\} (.+)\n(?::auch: (.+)\n)?", text, re.M):
        name = match.group(1).strip()
        aliases = [a.strip() for a in (match.group(2) or "").split(";") if a.strip()]
        entries[name] = [name, *aliases]
    return entries


def anchor(name: str) -> str:
    return "akteur-" + slug(name)


def section_of(tag):
    """The innermost <section> holding tag (None at page level)."""
    return tag.find_parent("section")


def place(docname: str, tag) -> tuple[str, str]:
    """(docname, id) of the innermost section of tag; the page's own section counts as the page."""
    section = section_of(tag)
    if section is None or section.find_parent("section") is None:
        return docname, ""
    return docname, section["id"]


def erwaehnt(site, docname: str, container) -> set[tuple[str, str]]:
    """(docname, fragment) of every link in the "Erwähnt in" line inside container."""
    line = container.select_one(".kb-erwaehnt")
    assert line is not None, f"{docname}: no 'Erwähnt in' line"
    assert line.get_text(" ", strip=True).startswith("Erwähnt in:")
    more = line.select_one("a.kb-erwaehnt-mehr")
    if more is None:
        return {resolve(docname, a["href"]) for a in line.select("a[href]")}
    # A long list shows its first mentions and links to all of them (kb.backlinks_pages).
    shown = {resolve(docname, a["href"]) for a in line.select("a[href]") if a is not more}
    every = full_list(site, resolve(docname, more["href"])[0])
    assert shown < every and len(every) == int(more.get_text().split()[1]), more.get_text()
    return every


def full_list(site, name: str) -> set[tuple[str, str]]:
    """Every mention listed on a full "Erwähnt" page and its further pages."""
    found, names, seen = set(), [name], set()
    while names:
        page = names.pop()
        seen.add(page)
        soup = BeautifulSoup(site.root.joinpath(f"{page}.html").read_text(encoding="utf-8"), "html.parser")
        found |= {resolve(page, a["href"]) for a in soup.select("ul.kb-erwaehnt-alle a[href]")}
        names += [n for a in soup.select("ul.kb-seiten a[href]") if (n := resolve(page, a["href"])[0]) not in seen]
    return found


def links_to(site, target_doc: str, fragment: str | None):
    """(docname, section place) of every link in the site body pointing at target_doc#fragment."""
    found = set()
    for docname in site.pages():
        for a in site.main(docname).select("a[href]"):
            if a.find_parent(class_="kb-erwaehnt") or a.find_parent(class_="kb-schlagworte"):
                continue
            if a.find_parent(class_="kb-diagramm"):  # a diagram's text alternative: drawn, not a mention
                continue
            hit = resolve(docname, a["href"])
            if hit and hit[0] == target_doc and (fragment is None or hit[1] == fragment):
                found.add(place(docname, a))
    return found


def normalise(places: set[tuple[str, str]], site) -> set[tuple[str, str]]:
    """A link to a page's own top section means the page."""
    result = set()
    for docname, fragment in places:
        top = site.main(docname).find("section")
        result.add((docname, "" if top is not None and top.get("id") == fragment else fragment))
    return result


# -- Actors ---------------------------------------------------------------------------


def test_every_actor_of_the_article_has_an_entry_with_its_role(site):
    entries = actor_entries(site)
    assert set(ARTICLE_ACTORS) <= set(entries), set(ARTICLE_ACTORS) - set(entries)
    page = site.main(ACTORS_PAGE)
    for name in entries:
        dt = page.select_one(f"dl.kb-akteure > dt#{anchor(name)}")
        assert dt is not None and dt.get_text(strip=True).startswith(name), name
        role = dt.find_next_sibling("dd")
        text = " ".join(role.get_text(" ").split())
        assert len(text.split("Erwähnt in:")[0]) > 20, f"{name}: no role"


def test_opening_quote_is_attributed_to_no_actor(site):
    text = site.text(ACTORS_PAGE)
    assert "Im Wettbewerb um Arbeitskräfte" not in text
    assert "keine sprechende Person" in text


def _own_text_nodes(section):
    for node in section.find_all(string=True):
        if section_of(node) is section:
            yield node


def _exempt(tag) -> bool:
    if tag.name in ("h1", "h2", "h3", "h4", "blockquote", "a"):
        return True
    classes = tag.get("class") or []
    if "sd-card" in classes and tag.select_one("a.sd-stretched-link") is not None:
        return True  # a clickable card is one link as a whole
    if "sd-card" in classes and tag.select_one("table") is not None:
        return True  # a key-facts card (kb-steckbrief) repeats the front matter as plain text
    return bool({"sd-card-title", "kb-quelle", "kb-schlagworte", "kb-erwaehnt"} & set(classes))


def _name_pattern(name: str) -> re.Pattern:
    return re.compile(r"(?<![\w-])" + re.escape(name) + r"(?![\w-])")


MENTIONING_PAGES = [d for d in ALL_PAGES if not d.startswith(("actors/", "tags/"))]


@pytest.mark.parametrize("docname", MENTIONING_PAGES)
def test_every_section_naming_an_actor_links_to_it(site, docname):
    # "links to every page and section where it appears": a section that names an
    # actor (outside titles, quotations, links and the source credit) links to its entry.
    problems = []
    for section in site.main(docname).select("section"):
        linked = {
            resolve(docname, a["href"])[1]
            for a in section.select("a[href]")
            if section_of(a) is section and resolve(docname, a["href"])
        }
        for name, names in actor_entries(site).items():
            for node in _own_text_nodes(section):
                if inside(node, _exempt):
                    continue
                if any(_name_pattern(n).search(str(node)) for n in names):
                    if anchor(name) not in linked:
                        problems.append(f"{docname}#{section['id']}: {name!r} named but not linked")
                    break
    assert problems == [], "\n".join(problems)


def test_actor_backlinks_and_mentions_match_both_ways(site):
    page = site.main(ACTORS_PAGE)
    for name in actor_entries(site):
        dd = page.select_one(f"dt#{anchor(name)}").find_next_sibling("dd")
        listed = normalise(erwaehnt(site, ACTORS_PAGE, dd), site)
        mentions = {p for p in links_to(site, ACTORS_PAGE, anchor(name)) if p[0] != ACTORS_PAGE}
        assert mentions, f"{name}: no page mentions it"
        assert listed == mentions, name


def test_actor_links_use_the_role(site):
    # {akteur} links are marked as such, so they are links the reader recognises.
    links = site.main("events/jahrestagung-2024").select("a span.kb-akteur")
    assert len(links) >= 10


# -- Glossary terms and topic pages ----------------------------------------------------


def test_term_backlinks_and_mentions_match_both_ways(site):
    glossary = site.main(GLOSSARY)
    dts = glossary.select("dl.glossary > dt")
    assert len(dts) > 20
    for dt in dts:
        listed = normalise(erwaehnt(site, GLOSSARY, dt.find_next_sibling("dd")), site)
        mentions = {p for p in links_to(site, GLOSSARY, dt["id"]) if p[0] != GLOSSARY}
        assert listed == mentions, dt.get_text()
        assert listed, f"{dt.get_text()}: mentioned nowhere"


@pytest.mark.parametrize("docname", TOPIC_PAGES)
def test_topic_page_backlinks_and_mentions_match_both_ways(site, docname):
    listed = normalise(erwaehnt(site, docname, site.main(docname)), site)
    mentions = {p for p in links_to(site, docname, None) if p[0] != docname}
    assert listed and listed == mentions


# -- Tags ------------------------------------------------------------------------------


def tag_links(site, docname: str) -> list[tuple[str, str]]:
    line = site.main(docname).select_one(".kb-schlagworte")
    if line is None:
        return []
    return [(a.get_text(strip=True), resolve(docname, a["href"])[0]) for a in line.select("a[href]")]


TAGGED = [d for d in ALL_PAGES if front_matter(d).get("topics")]


def test_pages_with_topics_exist():
    assert {"events/jahrestagung-2024", "case-studies/contall", "case-studies/vitaserv"} <= set(TAGGED)


@pytest.mark.parametrize("docname", TAGGED)
def test_each_page_shows_its_tags_and_its_tag_pages_list_it(site, docname):
    tags = front_matter(docname)["topics"]
    shown = tag_links(site, docname)
    assert [t for t, _ in shown] == tags
    for tag, tag_page in shown:
        assert tag_page.startswith("tags/")
        assert site.main(tag_page).find("h1").get_text(strip=True).removesuffix("¶") == tag
        cards = {resolve(tag_page, a["href"])[0] for a in site.main(tag_page).select(".sd-card a.sd-stretched-link")}
        assert docname in cards, f"{tag_page} does not list {docname}"


def test_every_tag_page_lists_exactly_the_pages_carrying_the_tag(site):
    tag_pages = [d for d in site.pages() if d.startswith("tags/") and d != "tags/index"]
    assert len(tag_pages) >= 8
    for tag_page in tag_pages:
        tag = site.main(tag_page).find("h1").get_text(strip=True).removesuffix("¶")
        cards = {resolve(tag_page, a["href"])[0] for a in site.main(tag_page).select(".sd-card a.sd-stretched-link")}
        carrying = {d for d in site.only(TAGGED) if tag in front_matter(d)["topics"]}
        assert cards == carrying and cards, tag_page


def test_regions_only_where_the_article_places_something():
    # Sachsen-Anhalt and Hessen occur in the article only inside organisation names.
    all_tags = {t for d in TAGGED for t in front_matter(d)["topics"]}
    assert not {"Sachsen-Anhalt", "Hessen"} & all_tags
    assert "Berlin" in front_matter("events/jahrestagung-2024")["topics"]


# -- Incremental builds -----------------------------------------------------------------


def _soup(outdir: Path, docname: str) -> BeautifulSoup:
    return BeautifulSoup((outdir / f"{docname}.html").read_text(encoding="utf-8"), "html.parser")


def _backlink_docs(outdir: Path, docname: str, selector: str) -> set[str]:
    container = _soup(outdir, docname).select_one(selector)
    line = container.select_one(".kb-erwaehnt")
    return {resolve(docname, a["href"])[0] for a in line.select("a[href]")}


@pytest.mark.xdist_group("pdf")  # shares the session's pdf_build
def test_print_document_has_backlinks_that_resolve(pdf_build):
    # The PDF's print document (make pdf): all pages in one file. The web's "Erwähnt in" lines
    # are not printed (the register names the pages); every register link leads to an element
    # of that file.
    assert pdf_build.returncode == 0, pdf_build.output[-3000:]
    soup = BeautifulSoup(pdf_build.document.read_text(encoding="utf-8"), "html.parser")
    assert not soup.select(".kb-erwaehnt")
    links = soup.select(".kb-register a[href]")
    assert len(links) >= 40
    ids = {tag["id"] for tag in soup.select("[id]")}
    targets = [a["href"][1:] for a in links]
    assert all(t in ids for t in targets), [t for t in targets if t not in ids][:10]
    assert soup.select("p.kb-schlagworte a[href]")
