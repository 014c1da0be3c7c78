"""Front matter checked against the JSON Schema of its page type, at the field's line.

The type follows from the folder (``kb_page_types`` in conf.py); a missing or
malformed field is a warning naming file, line and what is expected, so the
strict build fails. Labels named in ``event`` and ``session`` must exist.
The parsed front matter is kept in kb.metadata's domain for listings and cards.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

from kb.frontmatter import PLACEHOLDER, FrontMatterError, Page, filled, read_page, remember, schema_validator, version
from kb.metadata import metadata, page_type
from kb.wording import FRONT_MATTER, names_unknown, schema_error

logger = logging.getLogger(__name__)


def _get(data: Any, path: tuple) -> Any:
    for key in path:
        try:
            data = data[key]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def validate(schema_dir: Path, page: Page, ptype: str | None) -> list[tuple[str, int]]:
    """Check a page's front matter against the schema of its type; return (message, line) pairs."""
    schema_path = schema_dir / f"{ptype or 'common'}.schema.yaml"
    validator = schema_validator(schema_path)
    problems = []
    for path, line in sorted(page.lines.items(), key=lambda item: item[1]):
        value = _get(page.data, path)
        if path and isinstance(value, str) and PLACEHOLDER in value:
            name = ".".join(str(p) for p in path)
            problems.append(
                (
                    f"Feld „{name}“ enthält noch den Platzhalter „{PLACEHOLDER}“ aus der Vorlage: ausfüllen, "
                    'oder leer lassen (""), wenn die Quelle nichts dazu sagt',
                    line,
                )
            )
    for error in sorted(validator.iter_errors(page.data), key=lambda e: [str(p) for p in e.absolute_path]):
        if isinstance(error.instance, str) and PLACEHOLDER in error.instance:
            continue  # already reported as a placeholder above
        message, path = schema_error(error, FRONT_MATTER)
        line = page.lines.get(path) or page.lines.get(path[:1]) or 1
        if error.validator == "required" and isinstance(error.instance, dict):
            # A typo in the field's name ("descripton:"): named at that line, not at the front matter's first.
            missing = error.message.split("'")[1] if "'" in error.message else ""
            known = error.schema.get("properties", {}) if isinstance(error.schema, dict) else {}
            others = [k for k in error.instance if isinstance(k, str) and k not in known]
            typo = difflib.get_close_matches(missing, others, n=1, cutoff=0.6)
            if typo and page.lines.get((*path, typo[0])):
                line = page.lines[(*path, typo[0])]
                message += f" – in dieser Zeile steht „{typo[0]}“: Tippfehler? „{missing}:“ schreiben"
        problems.append((message, line))
    return problems


def check_page(app: Sphinx, doctree: nodes.document) -> None:
    """After a page is read: validate its front matter against its schema."""
    env = app.env
    docname = env.current_document.docname
    path = Path(env.doc2path(docname))
    if path.suffix != ".md":
        return
    try:
        page = read_page(path, docname)
    except FrontMatterError as exc:
        logger.warning(str(exc), location=(docname, exc.line), type="kb", subtype="frontmatter")
        return
    metadata(env)["pages"][docname] = (version(path), page)
    schema_dir = Path(app.confdir, app.config.kb_schema_dir)
    for message, line in validate(schema_dir, page, page_type(app.config, docname)):
        logger.warning(message, location=(docname, line), type="kb", subtype="frontmatter")
    refs = {
        key: (page.data[key], page.lines.get((key,), 1)) for key in ("event", "session") if filled(page.data.get(key))
    }
    if refs:
        metadata(env)["label_refs"][docname] = refs


def reuse_parsed_pages(app: Sphinx) -> None:
    """Before reading: the front matter parsed in the previous build, for the files that did not change.

    A listing reads the front matter of every page it lists; without this, an edit of one page
    would parse all of them again (benchmarks/FINDINGS.md, section 4).
    """
    for key, page in metadata(app.env)["pages"].values():
        remember(key, page)


def closest_label(env: BuildEnvironment, label: str) -> str:
    """' – meinten Sie „x“ (file.md:line)?' for the most similar existing label, or ''."""
    labels = env.domains.standard_domain.labels
    close = difflib.get_close_matches(label, sorted(labels), n=1, cutoff=0.75)
    if not close:
        return ""
    docname = labels[close[0]][0]
    where = f"{docname}.md"
    try:
        lines = Path(env.doc2path(docname)).read_text(encoding="utf-8").split("\n")
        where += f":{lines.index(f'({close[0]})=') + 1}"
    except (OSError, UnicodeDecodeError, ValueError):
        pass
    return f" – meinten Sie „{close[0]}“ ({where})?"


def check_labels(app: Sphinx, env: BuildEnvironment) -> None:
    """Once all pages are read: labels named in front matter must exist."""
    labels = env.domains.standard_domain.labels
    for docname, refs in sorted(metadata(env)["label_refs"].items()):
        for key, (label, line) in refs.items():
            if label not in labels:
                todo = "Schreibweise prüfen; make labels zeigt alle Labels" + closest_label(env, label)
                logger.warning(
                    names_unknown(key, "das Label", label, "das keine Seite definiert", todo),
                    location=(docname, line),
                    type="kb",
                    subtype="frontmatter",
                )


def setup_schema(app: Sphinx) -> None:
    # Folder of the <type>.schema.yaml files, relative to conf.py.
    app.add_config_value("kb_schema_dir", "schemas", "env", types=[str])
    app.connect("builder-inited", reuse_parsed_pages)
    app.connect("doctree-read", check_page)
    app.connect("env-check-consistency", check_labels)
