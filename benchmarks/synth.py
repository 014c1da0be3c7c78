"""Synthetic knowledge bases for scale runs and tests: the real site plus N case studies.

Every synthetic case study is made with the contributor tool (kb/newpage.py)
from the real template (templates/case-study.md), its front matter filled so
that it passes the real schema (schemas/case-study.schema.yaml). The body
links glossary terms with {term}, the event's programme points with {ref} and
two neighbouring synthetic case studies with {ref}, so the cross-reference
and glossary work grows with N like it would on a real site.

The pages are clearly fictitious ("Synthetischer Betrieb 0042 GmbH") and only
ever written into a temporary directory; they are never part of the site.
"""

from __future__ import annotations

from pathlib import Path

from support.build import copy_sources, rewrite_page

from kb import newpage as new_page

# Glossary terms (glossary/index.md) and programme-point labels (events/jahrestagung-2024.md)
# the synthetic pages cite; all exist on the real site.
# Tags that have a page in tags/ (an unknown tag fails the strict build).
TAGS = ["Fachkräftesicherung", "Social Media", "Marketing", "KI im Kundenkontakt", "Storytelling", "Metaverse"]
TERMS = ["KI", "KMU", "Digitalisierung", "Fachkräftemangel", "Metaverse", "Zukunftszentrum"]
SESSIONS = ["jahrestagung-2024-workshops", "jahrestagung-2024-gespraechsrunde"]
SECTORS = ["Stahlbau", "Handel", "Pflege", "Logistik", "Handwerk"]


def slug(i: int) -> str:
    return f"synthetisch-{i:04d}"


def fill_case_study(page: Path, i: int, n: int) -> None:
    """Fill a page made from the case-study template: valid front matter, linked body."""
    term = TERMS[i % len(TERMS)]
    session = SESSIONS[i % len(SESSIONS)]
    prev, nxt = slug((i - 1) % n), slug((i + 1) % n)
    intro = (
        f"Dieser Betrieb ist erfunden und dient nur der Messung.\n"
        f"Er nutzt {{term}}`{term}` und {{term}}`KI` gemeinsam mit den Beschäftigten.\n"
        f"Vorgestellt wurde er im Programmpunkt {{ref}}`{session}`.\n"
        f"Siehe auch {{ref}}`{prev}` und {{ref}}`{nxt}`."
    )

    def body(text: str) -> str:
        text = text.replace("AUSFÜLLEN: Zwei bis drei Sätze zur Einleitung.", intro)
        text = text.replace("| Ausgangslage | AUSFÜLLEN |", f"| Ausgangslage | {{term}}`{term}` als Aufgabe |")
        text = text.replace(
            "AUSFÜLLEN: Vor welcher Herausforderung stand das Unternehmen?",
            "Es fehlten Fachkräfte.\nDie {term}`Digitalisierung` sollte helfen.",
        )
        text = text.replace(
            "AUSFÜLLEN: Was wurde gemacht, mit wem, mit welchen Werkzeugen?",
            f"Gemeinsam mit dem {{term}}`Zukunftszentrum` wurde ein Werkzeug erprobt.\nMehr dazu unter {{ref}}`{nxt}`.",
        )
        assert "AUSFÜLLEN" not in text, text
        return text

    rewrite_page(
        page,
        {
            "description": f"Synthetisches Praxisbeispiel {i:04d} für Messungen der Bauzeit; kein echter Betrieb.",
            "sector": SECTORS[i % len(SECTORS)],
            "location": f"Musterstadt {i % 50}",
            "size": f"{10 + i % 90} Mitarbeitende",
            "people": [{"name": f"Person {i:04d}", "role": "Geschäftsführung"}],
            "topics": [TAGS[i % len(TAGS)]],
            "session": session,
            "summary": f"Synthetischer Betrieb {i:04d} zum Thema {term}.",
            "sources": ["workshops-und-networking"],
        },
        body,
    )


def make_site(dest: Path, n: int) -> Path:
    """Copy the real site's build inputs into dest and add n synthetic case studies."""
    src = copy_sources(dest)
    for i in range(n):
        page = new_page.create("case-study", f"Synthetischer Betrieb {i:04d} GmbH", slug(i), root=src)
        fill_case_study(page, i, n)
    return src
