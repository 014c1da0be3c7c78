"""kb.landing (issue 25): the landing page says who runs the site, from
publish.yaml's operator.name, with a neutral line while it is not set; the
footer gets the same name through the page context."""

from __future__ import annotations

import runpy
from pathlib import Path

import kb

ROOT = Path(kb.__file__).parent.parent
SCHEMA = (ROOT / "schemas" / "publish.schema.yaml").read_text(encoding="utf-8")
EXTENSIONS = [*runpy.run_path(str(Path(__file__).parent / "roots" / "test-kb" / "conf.py"))["extensions"], "kb.landing"]
PAGE = "---\nsources: [x]\n---\n# Start\n\n:::{kb-betrieben-von}\n:::\n"
IMPRESSUM = "(impressum)=\n# Impressum\n\nAngaben.\n"


def _line(kb_build, publish: str | None) -> str:
    files = {"schemas/publish.schema.yaml": SCHEMA, "start.md": PAGE, "impressum.md": IMPRESSUM}
    if publish is not None:
        files["publish.yaml"] = publish
    built = kb_build(files, confoverrides={"extensions": EXTENSIONS})
    html = built.html("start")
    start = html.index('class="kb-betrieb"')
    return html[start : html.index("</p>", start)], built


def test_operator_named_when_set(kb_build):
    line, built = _line(kb_build, 'operator:\n  name: "Muster-Verein e. V."\n')
    assert "Betrieben von Muster-Verein e. V." in line
    assert 'href="impressum.html#impressum"' in line
    assert "Traceback" not in built.warnings


def test_neutral_line_when_not_set(kb_build):
    for publish in (None, 'operator:\n  name: ""\n'):
        line, _ = _line(kb_build, publish)
        assert "Betrieben von" not in line
        assert "Angaben zum Betreiber der Website" in line and "impressum.html" in line
