"""German explanations in front of Sphinx's and MyST's English messages.

Sphinx and MyST report in English. Each known message gets a short German
explanation with what to do in front of it; the original text stays beside it,
so it can still be looked up. Used by kb.problem_log for every warning shown.
"""

from __future__ import annotations

import re

# (pattern of the original message, German explanation with what to do). {1}, {2}
# are the pattern's groups. First match wins. docs: CONTRIBUTING.md, "Meldungen".
GERMAN: list[tuple[str, str]] = [
    (
        r"term not in glossary: '(.+?)'",
        "Begriff „{1}“ steht nicht im Glossar: Schreibweise prüfen oder in glossary/index.md ergänzen.",
    ),
    (
        r"actor not in the Akteure list.*?: '(.+?)'",
        "„{1}“ fehlt in der Akteursliste: Schreibweise prüfen oder in actors/index.md ergänzen.",
    ),
    (
        r"the tag '(.+?)' has no page in tags/",
        "Schlagwort „{1}“ hat keine Seite: Schreibweise prüfen oder mit make new-tag anlegen.",
    ),
    (r"undefined label: '(.+?)'", "Label „{1}“ gibt es nicht: Schreibweise prüfen; make labels zeigt alle Labels."),
    (
        r"cross-reference target not found: '(.+?)'",
        "Verweisziel „{1}“ nicht gefunden: Dateinamen oder Label prüfen (make labels).",
    ),
    (r"unknown document: '(.+?)'", "Seite „{1}“ gibt es nicht: Pfad prüfen."),
    (r"Unknown directive type: '(.+?)'", "Unbekannter Block „{1}“: Namen prüfen (z. B. note, card, grid)."),
    (
        r"Unknown interpreted text role \"?'?([^\"']+)",
        "Unbekannte Rolle „{1}“: z. B. {{term}}, {{ref}} oder {{akteur}} verwenden.",
    ),
    (r"duplicate label ([^,\s]+)", "Label „{1}“ gibt es zweimal: eines davon umbenennen."),
    (r"duplicate term description of (.+?),", "Begriff „{1}“ steht zweimal im Glossar: einen Eintrag entfernen."),
    (
        r"Content block expected for the \"(.+?)\" directive",
        "Der Block „{1}“ ist leer: Inhalt vor die Schlusszeile schreiben.",
    ),
    (r"Error in \"(.+?)\" directive", "Fehler im Block „{1}“: Optionen (:name: wert) und Leerzeilen prüfen."),
    (
        r"document isn't included in any toctree",
        "Die Seite steht in keinem Inhaltsverzeichnis: in den toctree einer Übersichtsseite aufnehmen.",
    ),
    (
        r"toctree contains reference to nonexisting document '(.+?)'",
        "Das Inhaltsverzeichnis nennt „{1}“, die Seite gibt es nicht: Eintrag prüfen.",
    ),
    (r"image file not readable: (\S+)", "Bilddatei {1} fehlt: Pfad und Dateinamen prüfen."),
    (
        r"Non-consecutive header level increase",
        "Überschriftenebene übersprungen (z. B. ## auf ####): Ebenen der Reihe nach verwenden.",
    ),
    (r"Document headings start at", "Die Seite beginnt nicht mit einer #-Überschrift: Titel mit einem # schreiben."),
    (
        r"front matter: required field '(.+?)' is missing",
        "Pflichtfeld „{1}“ fehlt im Kopf der Seite: aus der Vorlage übernehmen und ausfüllen.",
    ),
    (
        r"front matter: unknown field '(.+?)'",
        "Unbekanntes Feld „{1}“ im Kopf: Tippfehler? Mit der Vorlage vergleichen.",
    ),
    (
        r"front matter: field '(.+?)' still holds the template placeholder",
        'Feld „{1}“ enthält noch AUSFÜLLEN: ausfüllen oder leer lassen ("").',
    ),
    (
        r"front matter: field '(.+?)' must be a date",
        "Feld „{1}“ braucht ein Datum, das es gibt, geschrieben JJJJ-MM-TT (z. B. 2024-11-19).",
    ),
    (r"front matter: field '(.+?)' must be one of", "Feld „{1}“ erlaubt nur die genannten Werte."),
    (
        r"front matter: field '(.+?)' must be of type",
        "Feld „{1}“ hat die falsche Form (Text, Zahl oder Liste): wie in der Vorlage schreiben.",
    ),
    (r"front matter: field '(.+?)' (needs at least|must not be empty)", "Feld „{1}“ ist leer oder zu kurz."),
    (
        r"front matter: field '(.+?)' must be a label",
        "Feld „{1}“ muss ein Label sein (Kleinbuchstaben, Ziffern, Bindestriche).",
    ),
    (
        r"front matter: field 'sources' is missing",
        "Feld „sources“ fehlt: die Abschnitte des Berichts nennen, auf denen die Seite beruht (Namen: quelle/index.md).",
    ),
    (
        r"front matter: field 'sources' names the section '(.+?)'",
        "Feld „sources“ nennt den Abschnitt „{1}“, den es nicht gibt: mit den Namen auf quelle/index.md vergleichen.",
    ),
    (
        r"front matter: field '(.+?)' names the label '(.+?)', which",
        "Feld „{1}“ nennt das Label „{2}“, das keine Seite hat: make labels zeigt alle Labels.",
    ),
    (
        r"front matter is not valid YAML",
        "Der Kopf der Seite (zwischen den ---) ist fehlerhaft: Doppelpunkte, Einrückung, Anführungszeichen prüfen.",
    ),
    (r"front matter must consist of", "Der Kopf der Seite besteht aus Zeilen „feld: wert“."),
    (r"closing '---' line is missing", "Die Schlusszeile --- des Kopfs fehlt."),
    (r"template placeholder 'AUSFÜLLEN' is still in the text", "Hier steht noch AUSFÜLLEN: durch Text ersetzen."),
    (r"image without alt text", "Bild ohne Alternativtext: ![Was das Bild zeigt](datei.png) schreiben."),
    (r"raw HTML '(.+?)' is not allowed", "HTML „{1}“ ist nicht erlaubt: entfernen, nur Markdown und Blöcke verwenden."),
    (r"directive '(.+?)' was not rendered", "Block {1} erscheint als Text: Einrückung und Schlusszeile prüfen."),
    (
        r"code block with language .* looks like a directive",
        "Block erscheint als Code: Blocknamen und Zaun (```{name}) prüfen.",
    ),
    (r"tag page '(.+?)' repeats the tag", "Zwei Schlagwortseiten heißen „{1}“: eine umbenennen."),
    (
        r"akteur: the name '(.+?)' is already used",
        "Name „{1}“ steht zweimal in der Akteursliste: einen Eintrag zusammenführen.",
    ),
    (r"akteur: '(.+?)' needs its role", "Akteur „{1}“ braucht seine Rolle laut Bericht als Text."),
]
_GERMAN = [(re.compile(pattern), text) for pattern, text in GERMAN]


def german(message: str) -> str:
    """The message with its German explanation in front, if one is known."""
    for pattern, text in _GERMAN:
        if match := pattern.search(message):
            return text.format("", *(group or "" for group in match.groups())) + " – " + message
    return message
