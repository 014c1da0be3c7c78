"""The PDF's print document: the book's body in one HTML page with title page, imprint and contents.

``print_document`` wraps the body the builder ``pdf`` (kb.pdf) renders in a title
page (project, event, motto), an imprint (publisher, "Stand" = date of the last
commit to the pages, the source credit, links to the website's legal pages) and
a contents list, with HTML metadata WeasyPrint turns into the PDF's metadata.
``print_rules`` takes the ``@media print`` rules of the site stylesheet, which
browser printing and the PDF share.
"""

from __future__ import annotations

import html
import subprocess
from pathlib import Path

from sphinx.application import Sphinx

from kb.frontmatter import page_or_none
from kb.german import date as german_date
from kb.german import is_date, sort_key
from kb.pdf_book import page_title
from kb.tags import page_tags

STYLESHEET = "kb-print.css"


def print_rules(css: str) -> str:
    """The ``@media print`` rules of the site stylesheet: what browser printing and the PDF share.

    Only those: WeasyPrint does not know the screen media queries around the rest.
    """
    import tinycss2

    rules = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
    shared = []
    for rule in rules:
        if (
            rule.type == "at-rule"
            and rule.lower_at_keyword == "media"
            and tinycss2.serialize(rule.prelude).strip() == "print"
        ):
            for inner in tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True):
                # Browser-only selectors (::details-content): the print document has no <details>.
                if "::details-content" not in tinycss2.serialize(inner.prelude):
                    shared.append(tinycss2.serialize([inner]))
    return "/* The @media print rules of the site's kb.css (kb/pdf.py). */\n" + "\n".join(shared)


def last_change(confdir: Path, folders: list[str]) -> str:
    """ISO date of the last commit to the pages; '' outside a git checkout."""
    try:
        out = subprocess.run(
            ["git", "log", "-1", "--format=%cs", "--", *folders],
            cwd=confdir,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return ""
    return out


def _metadata(builder) -> dict[str, str]:
    config, env = builder.config, builder.env
    confdir = Path(builder.confdir)
    # A broken event page (a tab, not UTF-8) is reported by kb.metadata with its line.
    page = page_or_none(confdir / f"{config.kb_pdf_event}.md", config.kb_pdf_event)
    event = page.data if page is not None else {}
    date = str(event.get("date", ""))
    when = german_date(date) if is_date(date) else date
    # Every page's front matter, as kb.metadata parsed it while reading.
    topics = {t for _version, page in env.domains["kbmeta"].data["pages"].values() for t in page_tags(page.data)}
    folders = [p.rstrip("*/") for p in config.include_patterns]
    changed = last_change(confdir, folders)
    return {
        "title": config.project,
        "author": config.author,
        "event": page_title(env, config.kb_pdf_event),
        "place": f"{event.get('city', '')}, {when}",
        "motto": str(event.get("motto", "")),
        "keywords": ", ".join(sorted(topics, key=sort_key)),
        "stand": german_date(changed) if changed else "",
        "modified": changed,
    }


def legal_pages(builder) -> str:
    """The imprint's links to the website's Impressum, Datenschutz, ... (conf.py kb_footer_pages).

    Only where the public address is known (KB_BASE_URL): the default placeholder
    address would print links that lead nowhere.
    """
    base = builder.config.html_baseurl
    pages = [doc for doc in getattr(builder.config, "kb_footer_pages", []) if doc in builder.env.titles]
    if not pages or "example.invalid" in base:
        return ""
    e = html.escape
    links = ", ".join(
        f'<a href="{e(base + doc + (builder.config.html_file_suffix or ".html"))}">{e(builder.env.titles[doc].astext())}</a>'
        for doc in pages
    )
    return f"<p>Auf der Website: {links}.</p>"


def print_document(builder, body: str, credit: str) -> str:
    meta = _metadata(builder)
    e = html.escape
    description = f"{meta['event']}, {meta['place']}: Tagung, Praxisbeispiele, Glossar"
    contents = "\n".join(
        f'<li class="kb-toc-{level}"><a href="#{e(anchor)}">{e(title)}</a></li>'
        for level, anchor, title in builder.book.contents()
    )
    stand = f"<p>Stand: {e(meta['stand'])}</p>" if meta["stand"] else ""
    online = legal_pages(builder)
    modified = f'<meta name="dcterms.modified" content="{e(meta["modified"])}">' if meta["modified"] else ""
    return f"""<!DOCTYPE html>
<html lang="de-DE">
<head>
<meta charset="utf-8">
<title>{e(meta["title"])}</title>
<meta name="author" content="{e(meta["author"])}">
<meta name="description" content="{e(description)}">
<meta name="keywords" content="{e(meta["keywords"])}">
{modified}
<link rel="stylesheet" href="_static/kb.css">
<link rel="stylesheet" href="_static/{STYLESHEET}">
</head>
<body class="kb-print-document">
<section class="kb-titlepage">
<h1 class="kb-book-title">{e(meta["title"])}</h1>
<p class="kb-subtitle">{e(meta["event"])}, {e(meta["place"])}</p>
<p class="kb-motto">„{e(meta["motto"])}“</p>
<p class="kb-author">{e(meta["author"])}</p>
</section>
<section class="kb-imprint" aria-label="Impressum">
<p class="kb-imprint-heading"><strong>{e(meta["title"])}</strong></p>
<p>Herausgeber: {e(meta["author"])}</p>
{stand}
{credit}
{online}
<p>Verweise im Text nennen die Seite, auf die sie führen (→ S. 12), und führen in der PDF-Datei per Klick dorthin;
das Register am Ende nennt die Seiten der Begriffe, Personen und Organisationen.</p>
</section>
<section class="kb-contents">
<h1 class="kb-contents-title">Inhalt</h1>
<ol>
{contents}
</ol>
</section>
<main class="kb-body">
{body}
</main>
</body>
</html>
"""


def setup_document(app: Sphinx) -> None:
    # The event page whose front matter gives the title page its subtitle and motto.
    app.add_config_value("kb_pdf_event", "events/jahrestagung-2024", "env", types=[str])
