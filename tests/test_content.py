"""The article's key facts are on the right pages; quotations are marked and credited."""

from __future__ import annotations

import re

import pytest
from conftest import copied, front_matter, inside, runs_of_six, words

# (page, fact) pairs taken from the source article. Each fact must appear on its page.
KEY_FACTS = {
    "events/jahrestagung-2024": [
        "19. November 2024",
        "AXICA Konferenz- und Tagungszentrum",
        "Berlin",
        "zweite arbeitspolitische Jahrestagung",
        "Künstliche Intelligenz – Die Zukunft der Arbeit gestalten: Partizipative Einführung von KI in KMU",
        "knapp 300 Gäste vor Ort",
        "200 digital zugeschaltete",
        "Leonie Gebers",
        "Staatssekretärin",
        "Bundesministerium für Arbeit und Soziales (BMAS)",
        "Bettina Kretschmer",
        "Dr. Vanessa Just",
        "Chancen und Risiken von KI in der Arbeitswelt",
        "RZ Nord",
        "ZUKIPRO Hessen",
        "KMUfutureLab",
        "Digitalen Betrieb gestalten – Eine Social-Media-Strategie für die VITASERV AG in Halle (Saale)",
        "Laura Haß",
        "Torsten Paul",
        "Nachhaltigkeit",
        "Norman Balke",
        "Handwerkskammer Halle",
        "Sarah Puck",
        "Forschungsinstitut Betriebliche Bildung (f-bb)",
    ],
    "case-studies/contall": [
        "CONTALL GmbH",
        "Stahlbau",
        "Zörbig",
        "Landkreis Anhalt-Bitterfeld",
        "16 Mitarbeitende",
        "Bettina Kretschmer",
        "Geschäftsführerin",
        "Norman Balke",
        "Handwerkskammer Halle",
        "Fachkräftemangel",
        "KI-basierte Chatsysteme",
        "Telefon",
        "Marketingprodukte",
        "durch Zufall",
        "Leonie Gebers",
    ],
    "case-studies/vitaserv": [
        "VITASERV AG",
        "Halle (Saale)",
        "mittelständisches Unternehmen",
        "Laura Haß",
        "Marketing",
        "Torsten Paul",
        "Systementwicklung und Systembetreuung",
        "Drei fiktive, ideale Mitarbeitende",
        "Kleingruppen",
        "Marie",
        "berufstätige Mutter",
        "Führungskraft",
        "Homeoffice",
        "flexible Arbeitszeiten",
    ],
    "glossary/metaverse": [
        "Consumer-Metaverse",
        "Corporate/Enterprise Metaverse",
        "Industrial Metaverse",
        "private und spielerische Nutzung",
        "Design, Herstellung und Überwachung von Produkten und Prozessen",
        "KMUfutureLab",
        "Virtual Reality (VR)",
        "Augmented Reality (AR)",
        "RZ Nord",
        "ZUKIPRO Hessen",
    ],
    "glossary/partizipative-ki-einfuehrung": [
        "Dr. Vanessa Just",
        "nicht darum, KI in Unternehmen als Ersatz einzusetzen",
        "Werkzeug",
        "Kompetenzentwicklung",
        "Umschulungen",
        "Arbeitnehmerinnen und Arbeitnehmer",
        "Förderangebote der regionalen Projekte",
        "Schlüssel",
    ],
}

# Unknowns are said, not guessed.
NOT_IN_REPORT = {
    "case-studies/vitaserv": ["Branche", "Größe"],
    "case-studies/contall": ["Ergebnisse in Zahlen"],
}

QUOTES = {
    "events/jahrestagung-2024": "Im Wettbewerb um Arbeitskräfte stehen insbesondere kleine und mittlere Unternehmen",
    "case-studies/contall": "eine andere Art von Marketing zu machen.",
    "case-studies/vitaserv": "Vollzeit-Mama? Teilzeit-Chefin! Jetzt aufsteigen!",
}

PEOPLE = ["Gebers", "Kretschmer", "Balke", "Just", "Haß", "Paul", "Puck"]


@pytest.mark.parametrize("docname", sorted(KEY_FACTS))
def test_key_facts_are_on_their_page(site, docname):
    text = site.text(docname)
    missing = [fact for fact in KEY_FACTS[docname] if fact not in text]
    assert missing == [], f"{docname} lacks {missing}"


@pytest.mark.parametrize("docname", sorted(NOT_IN_REPORT))
def test_unknowns_read_im_bericht_nicht_genannt(site, docname):
    rows = {
        tr.find("td").get_text(strip=True): tr.find_all("td")[1].get_text(" ", strip=True)
        for tr in site.main(docname).select(".sd-card table tbody tr")
    }
    for field in NOT_IN_REPORT[docname]:
        assert "im Bericht nicht genannt" in rows[field], (docname, field, rows.get(field))


@pytest.mark.parametrize("docname", sorted(QUOTES))
def test_word_for_word_text_is_a_marked_quotation_with_source(site, docname):
    quotes = [bq for bq in site.main(docname).select("blockquote") if QUOTES[docname] in bq.get_text(" ")]
    assert len(quotes) == 1, f"{docname}: quotation not found as <blockquote>"
    attribution = quotes[0].select_one(".attribution")
    assert attribution is not None and "Rückblick: Jahrestagung der Zukunftszentren 2024" in attribution.get_text()


def test_opening_quote_is_not_attributed_to_anyone(site):
    quote = next(
        bq
        for bq in site.main("events/jahrestagung-2024").select("blockquote")
        if QUOTES["events/jahrestagung-2024"] in bq.get_text(" ")
    )
    text = quote.get_text(" ")
    assert [name for name in PEOPLE if name in text] == []
    assert "nicht genannt" in quote.select_one(".attribution").get_text()


def test_quotations_appear_only_as_quotations(site):
    # The exact wording of a quotation is not repeated unmarked elsewhere.
    for docname in site.pages():
        main = site.main(docname)
        for bq in main.select("blockquote"):
            bq.decompose()
        text = " ".join(main.get_text(" ").split())
        for quote in QUOTES.values():
            assert quote not in text, f"{docname} repeats {quote!r} outside a quotation"
        site._cache.pop(docname)  # the soup was changed: parse again next time


def test_every_page_credits_the_article(site):
    for docname in site.pages():
        credit = site.main(docname).select_one(".kb-quelle")
        if front_matter(docname).get("source_credit") is False:
            # Pages about the site itself (Impressum, Datenschutz): nothing from the article.
            assert credit is None, f"{docname} says source_credit: false but credits the article"
            continue
        assert credit is not None, f"{docname} has no source credit"
        text = credit.get_text(" ")
        for part in (
            "Rückblick: Jahrestagung der Zukunftszentren 2024",
            "Sarah Puck",
            "Zukunftszentrums Digitale Arbeit Sachsen-Anhalt",
        ):
            assert part in text, (docname, part)


def _hidden_until_clicked(tag) -> bool:
    """Inside a tab set or a closed dropdown: the reader has to click to see it."""
    classes = tag.get("class") or []
    return "sd-tab-set" in classes or (tag.name == "details" and not tag.has_attr("open"))


def test_vitaserv_persona_and_post_idea_are_visible_without_a_click(site):
    # The most reusable idea of the article (issue 14): the exercise, Marie and the post idea.
    main = site.main("case-studies/vitaserv")
    for needle in ("Drei fiktive, ideale Mitarbeitende", "berufstätige Mutter", QUOTES["case-studies/vitaserv"]):
        node = main.find(string=lambda text, n=needle: n in text)
        assert node is not None, needle
        assert not inside(node, _hidden_until_clicked), f"{needle!r} is hidden in a tab or a closed dropdown"


# Statements the article does not make, found in the audit of issue 14; they must not come back.
NOT_IN_ARTICLE = [
    "Datenbrille",  # VR: the article names no device
    "Grundsatzvortrag",  # Keynote: the article does not define it
    "Texte verstehen und schreiben",  # KI: not in the article
    "Zielgruppe der Jahrestagung",  # KMU: the article names no target group
    "forderte",  # Dr. Vanessa Just "betonte"
    "mit zwei Themen",  # the article's list of further workshops is open ("mit Themen wie")
    "Live-Demo zum Metaverse",  # the article does not say the Metaverse talk was a live demo
    "KI gemeinsam mit den Beschäftigten einführen",  # teaser implying CONTALL staff took part
]
# Inclusive forms: the site writes "Veranstaltung der" and "im Tandem", not the masculine nouns.
NOT_INCLUSIVE = re.compile(r"\b(Veranstalter|Tandem-Partner|Verfasser)\b")


def test_audited_statements_stay_out(site):
    for docname in site.pages():
        text = site.text(docname)
        assert [claim for claim in NOT_IN_ARTICLE if claim in text] == [], docname
        assert NOT_INCLUSIVE.findall(text) == [], docname


def test_opening_quote_is_not_repeated_in_own_voice(site):
    # The opening quote's sentences appear only inside the quotation: no own sentence copies six
    # words in a row from one of them, or consists (80 % and more) of its words in another order.
    quote = next(
        bq
        for bq in site.main("events/jahrestagung-2024").select("blockquote")
        if QUOTES["events/jahrestagung-2024"] in bq.get_text(" ")
    )
    sentences = [words(s) for s in re.split(r"(?<=[.!?])\s+", quote.p.get_text(" ")) if words(s)]
    assert len(sentences) == 6
    runs = runs_of_six(*sentences)
    problems = []
    for docname in site.pages():
        main = site.main(docname)
        for bq in main.select("blockquote"):
            bq.decompose()
        own = re.split(r"(?<=[.!?:;])\s+", " ".join(main.get_text(" ").split()))
        site._cache.pop(docname)  # the soup was changed: parse again next time
        for sentence in own:
            own_words = words(sentence)
            if copied(own_words, runs):
                problems.append((docname, sentence))
            elif len(own_words) >= 6 and any(sum(w in q for w in own_words) >= 0.8 * len(own_words) for q in sentences):
                problems.append((docname, sentence))
    assert problems == []
