"""The operator's details for the legal pages: ``publish.yaml``, its check, its roles, the footer links.

The organisation, address, contact, the person responsible for content, hosting
provider and accessibility contact are read from one file, ``publish.yaml``
(``kb_publish_file``), and checked against ``schemas/publish.schema.yaml``. A wrong
type or an unknown field is always a warning naming file and line. A missing or
empty required field shows as the German notice "Angabe fehlt: … (publish.yaml)"
on the page; in a publishing build (``kb_publish``) it is a warning naming the
field and its line, so the strict build fails. Nothing about the operator has a
default. The role ``{kb-betreiber}`operator.name``` shows one detail inline, the
directive ``kb-betreiber`` a list of them with the schema's German labels.
``kb_footer_links`` in the page context: the pages of ``kb_footer_pages``
(Impressum, Datenschutz, ...) that ``_templates/page.html`` links in every footer.

The pages that show details and a digest of the file live in a Domain, so parallel
and incremental builds stay right: when ``publish.yaml`` appears, changes or
disappears, those pages are read again.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective, SphinxRole

from kb.frontmatter import load_yaml, schema_validator
from kb.german import date as german_date
from kb.state import DocumentTables
from kb.wording import invalid_yaml, missing_field, not_fields, schema_error, settings_file

logger = logging.getLogger(__name__)

SCHEMA = Path("schemas") / "publish.schema.yaml"
EXAMPLE = "publish.example.yaml"  # the file to copy publish.yaml from
MISSING = "Angabe fehlt: {label} ({file})"


# -- The details and their schema ------------------------------------------------


def schema(confdir: str | Path) -> dict:
    return schema_validator(Path(confdir) / SCHEMA).schema


def fields(node: dict, prefix: tuple = ()) -> dict[tuple, dict]:
    """Every leaf field of the schema: path -> its schema, with ``required`` set."""
    out = {}
    for name, sub in node.get("properties", {}).items():
        path = prefix + (name,)
        if sub.get("type") == "object":
            out.update(fields(sub, path))
        else:
            out[path] = {**sub, "required": name in node.get("required", [])}
    return out


class Details:
    """publish.yaml as read: its data, the line of every field, and its problems."""

    def __init__(self, path: Path, confdir: str | Path):
        self.path = path
        self.name = path.name
        self.data: dict = {}
        self.lines: dict[tuple, int] = {}
        self.problems: list[tuple[str, int | None]] = []  # always reported
        self.file = settings_file(self.name, EXAMPLE)  # how messages name it
        validator = schema_validator(Path(confdir) / SCHEMA)
        self.fields = fields(validator.schema)
        if not path.is_file():
            return
        try:
            data, lines = load_yaml(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            problem = getattr(exc, "problem", None) or str(exc)
            self.problems.append((invalid_yaml(self.file, problem), mark and mark.line + 1))
            return
        if data is not None and not isinstance(data, dict):
            self.problems.append((not_fields(self.file), 1))
            return
        self.data = data or {}
        self.lines = lines
        for error in validator.iter_errors(self.data):
            if error.validator == "required" or error.instance in ("", None):
                continue  # a missing detail: see missing()
            message, path = schema_error(error, self.file)
            self.problems.append((message, self.line(path)))

    def line(self, path: tuple) -> int | None:
        """The line of a field, or of the nearest enclosing field that exists."""
        while path and path not in self.lines:
            path = path[:-1]
        return self.lines.get(path)

    def value(self, path: tuple) -> str:
        """A detail as text ('' where it is missing or empty)."""
        data: Any = self.data
        for key in path:
            data = data.get(key) if isinstance(data, dict) else None
        if data is None:
            return ""
        return str(data).strip()

    def missing(self) -> list[tuple[tuple, int | None]]:
        """The required details that are missing or empty, with their lines."""
        return [(p, self.line(p)) for p, spec in self.fields.items() if spec["required"] and not self.value(p)]

    def digest(self) -> str:
        return hashlib.sha256(self.path.read_bytes()).hexdigest() if self.path.is_file() else "missing"


@cache
def _details(path: Path, confdir: str, version: tuple) -> Details:
    return Details(path, confdir)


def details(app: Sphinx) -> Details:
    """publish.yaml, read once per file version (every role on every page asks)."""
    path = Path(app.confdir) / app.config.kb_publish_file
    stat = path.stat() if path.is_file() else None
    return _details(path, str(app.confdir), (stat.st_mtime_ns, stat.st_size) if stat else None)


def _where(app: Sphinx, d: Details, line: int | None) -> str | None:
    """The "file:line" for Sphinx's warning location (a string with ':' is used as it is)."""
    if not line:
        return None  # the message names the file
    try:
        shown = d.path.relative_to(app.confdir)
    except ValueError:
        shown = d.path
    return f"{shown}:{line}"


def check_details(app: Sphinx) -> None:
    """Report wrong details always; missing ones (and the placeholder address) when publishing."""
    d = details(app)
    for message, line in d.problems:
        logger.warning(message, location=_where(app, d, line), type="kb", subtype="publish")
    if not app.config.kb_publish:
        return
    if not d.path.is_file():
        logger.warning(
            f"Die Datei {d.name} fehlt: {EXAMPLE} nach {d.name} kopieren und jedes Feld ausfüllen",
            location=_where(app, d, None),
            type="kb",
            subtype="publish",
        )
    for path, line in d.missing():
        logger.warning(
            missing_field(".".join(path), d.file, about=d.fields[path]["title"], empty=True),
            location=_where(app, d, line),
            type="kb",
            subtype="publish",
        )
    address = urlsplit(app.config.html_baseurl)
    if address.scheme not in ("http", "https") or (address.hostname or ".invalid").endswith(".invalid"):
        logger.warning(
            f"Die öffentliche Adresse fehlt: KB_BASE_URL ist nicht gesetzt, die Adresse ist noch "
            f"„{app.config.html_baseurl}“; so aufrufen: make publish KB_BASE_URL=https://…/",
            type="kb",
            subtype="publish",
        )


# -- Roles and directives ------------------------------------------------------------


class PublishDomain(DocumentTables):
    """Build state of kb.publish: the pages showing operator details, and their digest."""

    name = "kbpublish"
    label = "Angaben zum Betrieb"
    initial_data: dict = {"docs": {}, "digest": None}
    per_document = ("docs",)  # "digest" is build-wide


def _uses_details(env: BuildEnvironment) -> None:
    env.get_domain("kbpublish").data["docs"][env.docname] = True


def reread_on_change(app: Sphinx, env: BuildEnvironment, added, changed, removed) -> list[str]:
    """Pages showing details are read again when publish.yaml appears, changes or goes."""
    domain = env.get_domain("kbpublish")
    digest = details(app).digest()
    if domain.data["digest"] == digest:
        return []
    domain.data["digest"] = digest
    return sorted(set(domain.data["docs"]) - set(removed))


def _value_nodes(d: Details, path: tuple) -> list[nodes.Node]:
    """A detail as nodes: a link for e-mail and web addresses, the notice where it is missing."""
    spec = d.fields[path]
    value = d.value(path)
    if not value:
        return [nodes.inline("", MISSING.format(label=spec["title"], file=d.name), classes=["kb-fehlt"])]
    if spec.get("format") == "email":
        return [nodes.reference(value, value, refuri=f"mailto:{value}")]
    if spec.get("pattern") == "^https://":
        return [nodes.reference(value, value, refuri=value)]
    if spec.get("format") == "date":
        return [nodes.Text(german_date(value))]
    return [nodes.Text(", ".join(part.strip() for part in value.split("|")))]


def _field(role_or_directive, d: Details, text: str) -> tuple | None:
    path = tuple(text.strip().split("."))
    if path in d.fields:
        return path
    known = ", ".join(".".join(p) for p in d.fields)
    logger.warning(
        f"Die Angabe zum Betrieb „{text.strip()}“ gibt es nicht: eine dieser nennen: {known}",
        location=role_or_directive.get_location(),
        type="kb",
        subtype="publish",
    )
    return None


class DetailRole(SphinxRole):
    """``{kb-betreiber}`operator.name```: one operator detail, inline."""

    def run(self):
        _uses_details(self.env)
        d = details(self.env.app)
        path = _field(self, d, self.text)
        if path is None:
            return [nodes.inline(self.rawtext, self.text)], []
        return [nodes.inline("", "", *_value_nodes(d, path), classes=["kb-betreiber"])], []


class DetailsDirective(SphinxDirective):
    """A list of operator details, one field path per content line, with German labels."""

    has_content = True

    def run(self):
        _uses_details(self.env)
        d = details(self.env.app)
        items = nodes.definition_list(classes=["kb-betreiber"])
        for text in self.content:
            if not text.strip():
                continue
            path = _field(self, d, text)
            if path is None:
                continue
            spec = d.fields[path]
            value = d.value(path)
            if not value and not spec["required"]:
                continue  # optional and not given: not shown
            if value and "|" in value and "format" not in spec:
                body = nodes.line_block("", *(nodes.line(p.strip(), p.strip()) for p in value.split("|")))
            else:
                body = nodes.paragraph("", "", *_value_nodes(d, path))
            items += nodes.definition_list_item(
                "", nodes.term(spec["title"], spec["title"]), nodes.definition("", body)
            )
        return [items] if items.children else []


def footer_links(app: Sphinx, pagename: str, templatename: str, context: dict, doctree: Any) -> None:
    """The (docname, title) pairs the footer links on every page."""
    titles = app.env.titles
    context["kb_footer_links"] = [(doc, titles[doc].astext()) for doc in app.config.kb_footer_pages if doc in titles]


def _conf_line(app: Sphinx, doc: str) -> str | None:
    """conf.py:line of the footer page's name (or of kb_footer_pages); None when conf.py does not name it."""
    path = Path(app.confdir) / "conf.py"
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    for wanted in (f'"{doc}"', f"'{doc}'", "kb_footer_pages"):
        number = next((n for n, line in enumerate(lines, 1) if wanted in line), 0)
        if number:
            return f"{path}:{number}"
    return None


def check_footer_pages(app: Sphinx, env: BuildEnvironment) -> None:
    for doc in app.config.kb_footer_pages:
        if doc not in env.all_docs:
            logger.warning(
                f"Die Seite „{doc}“ aus kb_footer_pages (conf.py) gibt es nicht: Namen prüfen oder die Seite anlegen",
                location=_conf_line(app, doc),
                type="kb",
                subtype="publish",
            )


def setup_details(app: Sphinx) -> None:
    app.add_config_value("kb_publish_file", "publish.yaml", "env", str)
    app.add_config_value("kb_footer_pages", [], "html", list)
    app.add_domain(PublishDomain)
    app.add_role("kb-betreiber", DetailRole())
    app.add_directive("kb-betreiber", DetailsDirective)
    app.connect("builder-inited", check_details)
    app.connect("env-get-outdated", reread_on_change)
    app.connect("env-check-consistency", check_footer_pages)
    app.connect("html-page-context", footer_links)
