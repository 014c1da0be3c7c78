"""kb.german: slugs, German sort order and dates."""

from __future__ import annotations

import datetime

import pytest

from kb import german


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Leonie Gebers", "leonie-gebers"),
        ("Laura Haß", "laura-hass"),
        ("Bundesministerium für Arbeit und Soziales (BMAS)", "bundesministerium-fuer-arbeit-und-soziales-bmas"),
        ("Forschungsinstitut Betriebliche Bildung (f-bb)", "forschungsinstitut-betriebliche-bildung-f-bb"),
        ("Café Öffentlichkeit", "cafe-oeffentlichkeit"),
        ("  Dr. Vanessa   Just ", "dr-vanessa-just"),
    ],
)
def test_slug(text, slug):
    assert german.slug(text) == slug


@pytest.mark.parametrize(
    ("name", "slug"),
    [
        ("CONTALL GmbH", "contall"),
        ("VITASERV AG", "vitaserv"),
        ("Müller & Söhne GmbH & Co. KG", "mueller-soehne"),
        ("Straße der Zukunft e. V.", "strasse-der-zukunft"),
        ("Jahrestagung 2025", "jahrestagung-2025"),
    ],
)
def test_slug_without_legal_form(name, slug):
    assert german.slug(name, drop_legal_form=True) == slug


def test_sort_key_is_din_5007_1():
    words = ["Zukunft", "Öffentlichkeit", "Partner", "Übung", "Umschulung", "ändern", "Arbeit", "Maß", "Masse"]
    assert sorted(words, key=german.sort_key) == [
        "ändern",
        "Arbeit",
        "Maß",
        "Masse",
        "Öffentlichkeit",
        "Partner",
        "Übung",
        "Umschulung",
        "Zukunft",
    ]
    assert german.sort_key("Corporate/Enterprise-Metaverse") < german.sort_key("Cosplay")
    assert german.sort_key("KI") == german.sort_key("ki")


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("2024-11-19", "19. November 2024"),
        ("2025-03-01", "1. März 2025"),
        (datetime.date(2024, 12, 24), "24. Dezember 2024"),
    ],
)
def test_date_in_german(value, text):
    assert german.date(value) == text


@pytest.mark.parametrize("value", ["2024-11-31", "2024-19-11", "19.11.2024", ""])
def test_impossible_date_raises_value_error(value):
    with pytest.raises(ValueError):
        german.date(value)
