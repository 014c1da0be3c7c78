"""kb's messages: German where they are raised (kb.wording for shared kinds); kb.messages only for Sphinx's."""

from __future__ import annotations

from pathlib import Path

import pytest

from kb import wording
from kb.frontmatter import schema_validator
from kb.messages import german

SCHEMAS = Path(__file__).parents[2] / "schemas"


def _errors(schema: str, data: dict) -> list[str]:
    validator = schema_validator(SCHEMAS / f"{schema}.schema.yaml")
    return [wording.schema_error(e, wording.FRONT_MATTER)[0] for e in validator.iter_errors(data)]


@pytest.mark.parametrize(
    ("english", "german_start"),
    [
        ("term not in glossary: 'KI-Tol'", "Begriff „KI-Tol“ steht nicht im Glossar"),
        ("'myst' cross-reference target not found: 'x.md'", "Verweisziel „x.md“ nicht gefunden"),
        ("undefined label: 'gibt-es-nicht'", "Label „gibt-es-nicht“ gibt es nicht"),
    ],
)
def test_sphinx_and_myst_messages_get_german_in_front(english, german_start):
    assert german(english).startswith(german_start)
    assert german(english).endswith(" – " + english)  # the original stays, to look it up


def test_kb_messages_get_no_second_german_text():
    own = [
        wording.names_unknown("session", "das Label", "x", "das keine Seite definiert", "make labels"),
        # quoting a value that reads like a Sphinx message does not make it one
        wording.wrong_value("summary", "braucht einen Text", "term not in glossary: 'x'"),
        wording.missing_field("description", wording.FRONT_MATTER),
    ]
    for message in own:
        assert german(message) == message


def test_schema_errors_name_field_value_and_what_to_write():
    data = {"description": "Ein Praxisbeispiel für diesen Test.", "type": "case-study", "topics": "Social Media"}
    messages = _errors("case-study", {**data, "size": 12, "branche": "Handel"})
    assert "Feld „topics“ braucht eine Liste (z. B. topics: [Social Media]), gefunden: 'Social Media'. Zum Feld: " in (
        "\n".join(messages)
    )
    assert 'Feld „size“ braucht einen Text oder bleibt leer (z. B. size: "12"), gefunden: 12.' in "\n".join(messages)
    assert "Unbekanntes Feld „branche“ im Kopf der Seite: Tippfehler? Mit der Vorlage vergleichen" in messages
    required = [m for m in messages if m.startswith("Pflichtfeld „summary“ fehlt im Kopf der Seite")]
    assert required == [
        "Pflichtfeld „summary“ fehlt im Kopf der Seite: aus der Vorlage übernehmen und ausfüllen. "
        "Zum Feld: Ein Satz für die Karte auf den Übersichtsseiten."
    ]


def test_publish_yaml_uses_the_same_wording(tmp_path):
    from kb import publish_details

    path = tmp_path / "publish.yaml"
    path.write_text("operator:\n  name: X\n  fax: 1\n", encoding="utf-8")
    details = publish_details.Details(path, SCHEMAS.parent)
    file = wording.settings_file("publish.yaml", "publish.example.yaml")
    assert (wording.unknown_fields(["operator.fax"], file), 3) in details.problems
    assert wording.unknown_fields(["operator.fax"], file).startswith("Unbekanntes Feld „operator.fax“ in publish.yaml")
