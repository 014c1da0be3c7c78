"""German text helpers: slugs, DIN 5007-1 sort keys and dates (via babel)."""

from __future__ import annotations

import datetime
import re
import unicodedata

from babel.dates import format_date

_SPELLED = {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"}
_BASE_LETTER = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss"})
LEGAL_FORMS = r"(gmbh(\s*&\s*co\.?\s*kg)?|ag|se|kg|ohg|gbr|ug|mbh|e\.\s*v\.?|ev|eg|kgaa)"


def slug(text: str, *, drop_legal_form: bool = False) -> str:
    """'Müller & Söhne GmbH' -> 'mueller-soehne-gmbh' (or 'mueller-soehne' with drop_legal_form).

    Lowercase, umlauts spelled out, other accents dropped, hyphens between words.
    """
    text = text.strip().casefold()
    if drop_legal_form:
        text = re.sub(rf"[\s,]+{LEGAL_FORMS}\s*$", "", text)
    for umlaut, spelled in _SPELLED.items():
        text = text.replace(umlaut, spelled)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def sort_key(text: str) -> str:
    """German (DIN 5007-1) order: umlauts sort with their base letter; case and punctuation do not matter."""
    return re.sub(r"[^\w ]", "", text.casefold().translate(_BASE_LETTER))


def date(value: str | datetime.date, pattern: str = "d. MMMM y") -> str:
    """2024-11-19 -> '19. November 2024' (German month names from babel)."""
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value)
    return format_date(value, pattern, locale="de")
