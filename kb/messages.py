"""German explanations in front of Sphinx's and MyST's English messages.

Sphinx, MyST and docutils report in English. Each known message gets a short
German explanation with what to do in front of it; the original text stays
beside it, so it can still be looked up. Used by kb.problem_log for every
warning shown. kb's own messages are German where they are raised (kb.wording
holds the wording of those raised in several places) and get nothing here: a
pattern matches only at the start of a message, which for those is German.
"""

from __future__ import annotations

import re

# (pattern of the original message, from its start; German explanation with what to do).
# {1}, {2} are the pattern's groups. First match wins. docs: CONTRIBUTING.md, "Meldungen".
GERMAN: list[tuple[str, str]] = [
    (
        r"term not in glossary: '(.+?)'",
        "Begriff „{1}“ steht nicht im Glossar: Schreibweise prüfen oder in glossary/index.md ergänzen.",
    ),
    (r"undefined label: '(.+?)'", "Label „{1}“ gibt es nicht: Schreibweise prüfen; make labels zeigt alle Labels."),
    (
        r"(?:'\w+' )?cross-reference target not found: '(.+?)'",  # MyST: "'myst' cross-reference ..."
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
]
_GERMAN = [(re.compile(pattern), text) for pattern, text in GERMAN]


def german(message: str) -> str:
    """The message with its German explanation in front, if it is one of the known English ones."""
    for pattern, text in _GERMAN:
        if match := pattern.match(message):
            return text.format("", *(group or "" for group in match.groups())) + " – " + message
    return message
