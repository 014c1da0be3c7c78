"""The article's key facts are on the right pages; quotations are marked and credited."""

from __future__ import annotations

import pytest
from conftest import front_matter, source_pages

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
        "Corporate/Enterprise-Metaverse",
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
        "nicht ersetzen",
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
    for docname in source_pages():
        main = site.main(docname)
        for bq in main.select("blockquote"):
            bq.decompose()
        text = " ".join(main.get_text(" ").split())
        for quote in QUOTES.values():
            assert quote not in text, f"{docname} repeats {quote!r} outside a quotation"
        site._cache.pop(docname)  # the soup was changed: parse again next time


def test_every_page_credits_the_article(site):
    for docname in source_pages():
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


def test_vitaserv_exercise_is_in_tabs(site):
    labels = [lab.get_text(strip=True) for lab in site.main("case-studies/vitaserv").select(".sd-tab-set label")]
    assert labels == ["Ablauf", "Beispiel: Marie", "Idee für einen Post"]


def test_metaverse_types_are_side_by_side_cards(site):
    section = site.main("glossary/metaverse").find(id="thema-metaverse-arten")
    titles = [t.get_text(strip=True) for t in section.select(".sd-row .sd-card-title")]
    assert titles == ["Consumer-Metaverse", "Corporate/Enterprise-Metaverse", "Industrial Metaverse"]
