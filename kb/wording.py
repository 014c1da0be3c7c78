"""The wording of kb's messages that more than one place raises, in German.

kb writes its messages in German where it raises them: what is wrong, with the
values, and what to do. A kind of message raised from several places has its
wording here, so it reads the same wherever it comes from: a field of a YAML
file (a page's front matter, ``publish.yaml``) that is missing, unknown, of the
wrong form or names something that does not exist, and a YAML file that cannot
be read. Messages raised in one place only stay there. Sphinx's and MyST's own
(English) messages get their German in kb.messages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class YamlFile:
    """A file of fields, as the messages name it."""

    what: str  # the subject of a sentence: "Der Kopf der Seite (zwischen den ---)"
    where: str  # where its fields stand: "im Kopf der Seite"
    model: str  # what to compare it with: "der Vorlage"


FRONT_MATTER = YamlFile("Der Kopf der Seite (zwischen den ---)", "im Kopf der Seite", "der Vorlage")


def settings_file(name: str, model: str) -> YamlFile:
    """A file of settings such as publish.yaml, with the example to copy from."""
    return YamlFile(f"Die Datei {name}", f"in {name}", model)


def _about(text: str) -> str:
    """A field's description from its schema, after the message."""
    text = " ".join(str(text).split())
    return f". Zum Feld: {text}" if text else ""


def invalid_yaml(file: YamlFile, problem: str, hint: str = "") -> str:
    hint = hint or f"Doppelpunkte, Einrückung und Anführungszeichen prüfen, mit {file.model} vergleichen"
    return f"{file.what} ist kein gültiges YAML (YAML meldet: {problem}): {hint}"


def not_fields(file: YamlFile) -> str:
    return f"{file.what} muss aus Zeilen „feld: wert“ bestehen: wie in {file.model} schreiben"


def missing_field(name: str, file: YamlFile, todo: str = "", about: str = "", empty: bool = False) -> str:
    """A required field is missing (or, ``empty``, has no value)."""
    todo = todo or f"aus {file.model} übernehmen und ausfüllen"
    state = f"fehlt {file.where}" + (" oder ist leer" if empty else "")
    return f"Pflichtfeld „{name}“ {state}: {todo}" + _about(about)


def unknown_fields(names: list[str], file: YamlFile) -> str:
    shown = ", ".join(f"„{name}“" for name in names)
    kind = "Unbekanntes Feld" if len(names) == 1 else "Unbekannte Felder"
    return f"{kind} {shown} {file.where}: Tippfehler? Mit {file.model} vergleichen"


def wrong_value(name: str, expected: str, found: Any, about: str = "") -> str:
    """A field whose value has the wrong form: expected says what it needs ("braucht eine Liste")."""
    shown = repr(found)
    if len(shown) > 80:  # a pasted paragraph: its start is enough to find it
        shown = shown[:60] + "…"
    return f"Feld „{name}“ {expected}, gefunden: {shown}" + _about(about)


def names_unknown(field: str, thing: str, value: str, missing: str, todo: str) -> str:
    """A field names something that does not exist: names_unknown("session", "das Label", ...)."""
    return f"Feld „{field}“ nennt {thing} „{value}“, {missing}: {todo}"


# -- Schema errors (jsonschema) in German ------------------------------------------

TYPES = {
    "string": "einen Text",
    "array": "eine Liste",
    "object": "Angaben der Form „feld: wert“",
    "boolean": "true oder false",
    "integer": "eine ganze Zahl",
    "number": "eine Zahl",
}
LABEL_PATTERN = "^[a-z0-9]+(-[a-z0-9]+)*$"


def _example(error, types: list[str]) -> str:
    """How the value would be written right, from the value found: ' (z. B. topics: [Marketing])'."""
    key, value = (error.absolute_path or [None])[-1], error.instance
    if not isinstance(key, str) or isinstance(value, (dict, list)) or value is None:
        return ""
    items = error.schema.get("items") if isinstance(error.schema, dict) else None
    if types == ["array"] and isinstance(items, dict) and items.get("type") == "string":
        return f" (z. B. {key}: [{value}])"
    if types == ["string"] and not isinstance(value, str):
        return f' (z. B. {key}: "{value}")'
    return ""


def _expected(error) -> str:
    """What a field needs, for the schema rule it breaks."""
    validator, value = error.validator, error.validator_value
    if validator == "type":
        allowed = [value] if isinstance(value, str) else list(value)
        types = [t for t in allowed if t != "null"]
        needed = " oder ".join(TYPES.get(t, t) for t in types)
        return f"braucht {needed}" + (" oder bleibt leer" if "null" in allowed else "") + _example(error, types)
    if validator == "const":
        return f"braucht den Wert „{value}“"
    if validator == "enum":
        shown = [f"„{v}“" for v in value]
        return "erlaubt nur " + (", ".join(shown[:-1]) + " oder " + shown[-1] if len(shown) > 1 else shown[0])
    if validator == "format" and value == "date":
        return "braucht ein Datum, das es gibt, geschrieben JJJJ-MM-TT (z. B. 2024-11-19)"
    if validator == "format" and value == "email":
        return "braucht eine E-Mail-Adresse (z. B. kontakt@example.org)"
    if validator == "format":
        return f"braucht das Format {value}"
    if validator == "minLength":
        return "darf nicht leer sein" if value == 1 else f"braucht mindestens {value} Zeichen"
    if validator == "maxLength":
        return (
            f"darf höchstens {value} Zeichen haben, hat aber {len(error.instance)}: so viel zeigen Karten, "
            "Vorschauen und Suchergebnisse; kürzen"
        )
    if validator == "maxItems":
        return f"darf höchstens {value} Einträge haben, hat aber {len(error.instance)}: die wichtigsten auswählen"
    if validator == "uniqueItems":
        return "nennt einen Eintrag doppelt: die Wiederholung löschen"
    if validator == "minItems":
        return f"braucht mindestens {value} " + ("Eintrag" if value == 1 else "Einträge")
    if validator == "pattern" and value == LABEL_PATTERN:
        return "braucht ein Label aus Kleinbuchstaben, Ziffern und Bindestrichen (z. B. jahrestagung-2024)"
    if validator == "pattern" and value == "^https://":
        return "braucht eine Adresse, die mit https:// beginnt"
    if validator == "pattern":
        return f"muss zum Muster {value} passen"
    return f"ist ungültig ({error.message})"


def schema_error(error, file: YamlFile) -> tuple[str, tuple]:
    """A schema error of a field as a German message, and the path of the field it is about."""
    path = tuple(error.absolute_path)
    prefix = "".join(f"{p}." for p in path)
    if error.validator == "required":
        missing = re.match(r"'([^']+)'", error.message).group(1)
        about = error.schema.get("properties", {}).get(missing, {}).get("description", "")
        return missing_field(prefix + missing, file, about=about), path
    if error.validator == "additionalProperties":
        extra = re.findall(r"'([^']+)'", error.message)
        return unknown_fields([prefix + e for e in extra], file), path + tuple(extra[:1])
    about = error.schema.get("description", "") if isinstance(error.schema, dict) else ""
    name = ".".join(str(p) for p in path) or file.where
    if error.validator == "uniqueItems" and isinstance(error.instance, list):
        seen: list = []
        for index, item in enumerate(error.instance):
            if item in seen:
                return wrong_value(name, _expected(error), item, about), path + (index,)
            seen.append(item)
    return wrong_value(name, _expected(error), error.instance, about), path


def wrong_title(error) -> str:
    """A page title (its # heading) that breaks a rule of schemas/title.schema.yaml."""
    shown = error.instance if len(error.instance) <= 80 else error.instance[:60] + "…"
    return f"Der Titel der Seite (die Überschrift mit #) {_expected(error)}. Titel: „{shown}“"
