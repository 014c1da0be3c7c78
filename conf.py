"""Sphinx configuration for the Wissensbasis Zukunftszentren.

Reads top to bottom in banner sections. Every workaround carries a comment
saying why it is there.
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

from kb.labels import CONTENT_DIRS

# Paths below are relative to this file, so `sphinx-build SRC OUT` works from any folder.
HERE = Path(__file__).parent

# -- Project -----------------------------------------------------------------

project = "Wissensbasis Zukunftszentren"
author = "Redaktion Wissensbasis Zukunftszentren"
copyright = "Redaktion Wissensbasis Zukunftszentren; Bericht: Sarah Puck (f-bb)"
language = "de"

# Our own extensions are modules of the package kb/ (installed editable by the
# Makefile), one per feature, so each can be switched off here on its own.
extensions = [
    "myst_parser",
    "kb.topmatter",  # MyST reads front matter once, by libyaml (a kb.upstream patch)
    "sphinx_design",
    "kb.design",  # sphinx-design's HTML steps only on pages that have their components
    "kb.smartquotes",  # typographic quotes as Sphinx makes them, text without any left alone
    "kb.problems",  # problems stay reported until fixed; German hints; no tracebacks
    "kb.authoring",  # gender star, unclosed fences, card links, unbuilt Markdown, A–Z bar
    "kb.metadata",  # schema-checked front matter, kb-listing, kb-steckbrief
    "kb.checks",  # alt text, unsafe HTML, placeholders, unrendered directives
    "sphinx_reredirects",
    "sphinx_last_updated_by_git",
    "kb.print",  # print: sphinx-design components in the PDF, PDF download link
    "kb.pdf",  # the PDF: print document, WeasyPrint (builder "pdf")
    "kb.navigation",  # smaller sidebar on large sites (see "Performance and scale")
    "kb.parallel",  # -j where it pays: few pages to read -> serial; a writer per -j process
    "kb.memory",  # the garbage collector does not walk the loaded environment again and again
    "kb.graph",  # actors, tags (Schlagworte), "Erwähnt in" backlinks
    "kb.diagrams",  # timeline and network diagrams drawn from the knowledge graph (inline SVG)
    "kb.open_data",  # the knowledge graph as JSON-LD and CSV downloads (daten/)
    "kb.sources",  # the article's sections, "Belege" lines, general explanations
    "kb.card_sources",  # the "Belege" of listing pages add the sections behind their cards
    "sphinxext.opengraph",  # og:* meta tags
    "sphinx_sitemap",  # sitemap.xml
    "notfound.extension",  # the German 404 page
    "kb.discovery",  # robots.txt, og:description from the front matter
    "kb.jsonld",  # schema.org JSON-LD from the front matter
    "kb.assets",  # each page loads only the CSS/JS it uses (weight budget)
    "kb.publish",  # operator details (publish.yaml), footer links, make publish: .gz, nginx
    "kb.landing",  # who runs the site: a line on the landing page and in the footer
    "kb.german_ui",  # German search strings (translations.js)
    "kb.markup",  # valid, accessible markup: cards, link lists, captions, tabs
    "kb.search",  # search entries: glossary terms, actors, key facts
    "kb.search_index",  # the search page's index (MiniSearch): pages and register entries
    "kb.previews",  # a term's or actor's first sentence on hover and focus
]

# The source directory is the repository root, so build only the content
# folders (kb.labels.CONTENT_DIRS, which `make labels` and the tests use too);
# README.md, tests/, templates and the like never become pages.
include_patterns = ["index.md", *(f"{folder}/**" for folder in CONTENT_DIRS)]
exclude_patterns = ["_build", ".venv"]
# Markdown files that are not pages. Any other .md file outside include_patterns
# is named in a warning (kb.authoring): a page in a new folder is never left out silently.
kb_not_pages = ["README.md", "CONTRIBUTING.md", "_snippets/**", "templates/**", "tests/**", "benchmarks/**"]

# -- Page metadata (kb/metadata.py) ------------------------------------------

# Folder -> page type. Each page in these folders (except index.md) is checked
# against schemas/<type>.schema.yaml; every other page against common.schema.yaml.
kb_page_types = {
    "events": "event",
    "case-studies": "case-study",
    "glossary": "topic",
    "tags": "tag",
}

# -- Knowledge graph (kb/graph.py) -------------------------------------------

# Akteure (actors/index.md), tag pages (tags/) and "Erwähnt in" backlinks on
# glossary terms, actors and topic pages. Tags come from the front-matter field
# `topics`; each tag has a page in tags/ (page type "tag", schemas/tag.schema.yaml).

# -- Sources (kb/sources.py) ---------------------------------------------------

# quelle/index.md describes the article and defines its sections (kb-abschnitt);
# every page names the sections it draws on in the front-matter field `sources`,
# shown as the "Belege" line of the source credit (_snippets/quelle.md).
# General explanations that are not from the article go into kb-allgemein.

# -- Strictness --------------------------------------------------------------

# Every cross-reference must resolve. The ignore list is empty on purpose:
# add an entry only with a comment saying why it cannot resolve.
nitpicky = True
nitpick_ignore: list[tuple[str, str]] = []

# Front matter YAML cannot read (a tab, an impossible date such as 2024-11-31) is
# reported by kb.metadata at its line with a German hint; MyST's own "Malformed
# YAML" at line 1 would only say the same thing twice.
suppress_warnings = ["myst.topmatter"]

# -- Spelling (make spelling) ------------------------------------------------

# German spell checking with sphinxcontrib-spelling and Debian's hunspell-de-de.
# Loaded only for `make spelling` (-t spelling): it needs the enchant library,
# which the HTML build does not.
if tags.has("spelling"):  # noqa: F821 – `tags` is provided by Sphinx
    # kb.spelling: front-matter text checked at its own line, German compounds accepted.
    extensions += ["sphinxcontrib.spelling", "kb.spelling"]
spelling_filters = ["kb.spelling.GermanCompounds"]
spelling_lang = "de_DE"
spelling_word_list_filename = "spelling_wordlist.txt"
spelling_show_suggestions = True
spelling_warning = True  # a misspelling is a warning, so -W fails the check
spelling_ignore_contributor_names = False  # names belong in the word list, not in git

# -- MyST --------------------------------------------------------------------

myst_enable_extensions = [
    "colon_fence",  # ::: fences for sphinx-design grids and cards
    "deflist",  # definition lists on the topic pages
    "attrs_block",  # {attribution="..."} on quotations, rendered as their source line
]
# Headings up to level 3 get slug anchors, so [text](page.md#abschnitt) works.
myst_heading_anchors = 3

# sphinx-design: no page uses the deprecated ^^^/+++ card separators; with this
# off, sphinx-design does not scan every card's text for them (benchmarks/FINDINGS.md,
# section 4).
sd_card_legacy_separators = False

# -- HTML --------------------------------------------------------------------

html_theme = "furo"
html_title = "Wissensbasis Zukunftszentren"
html_static_path = ["_static"]
html_css_files = ["kb.css"]
# Shipped locally so the browser never asks for /favicon.ico (a console error).
html_favicon = "_static/favicon.svg"
templates_path = ["_templates"]
# Sphinx picks the German stemmer for the search index from `language`.
html_search_language = "de"
# Key facts that become search entries (kb/search.py): page type -> front-matter
# field -> the label shown with the hit, e.g. "Zörbig (Ort, in Praxisbeispiel: …)".
kb_search_facts = {
    "case-study": {"sector": "Branche", "location": "Ort", "region": "Region", "size": "Größe"},
    "event": {"city": "Ort", "place": "Tagungsort", "attendance": "Teilnehmende"},
}
html_copy_source = False
html_show_sourcelink = False

# -- Localisation --------------------------------------------------------------

# German texts for theme strings that Sphinx's German catalogue lacks
# ("Diese Seite bearbeiten", "Zuletzt aktualisiert am", "Weiter", ...) and for
# the search page; kb.german_ui also writes them into _static/translations.js.
locale_dirs = ["locale"]

# -- Edit links and dates --------------------------------------------------------

# The one setting for the repository: "Diese Seite bearbeiten" links are built
# from it. The public address is not decided yet, so it comes from the
# environment of the hosting platform, e.g.
#   KB_REPOSITORY_URL=https://github.com/<organisation>/<repository>
# Without it, pages show no edit link.
# Read the Docs (main and the previews of pull requests) names the repository it
# cloned; that is the repository to edit, so its pages get edit links as well.
_clone = os.environ.get("READTHEDOCS_GIT_CLONE_URL", "").removesuffix(".git")
if _clone.startswith("git@"):  # git@github.com:org/repo -> https://github.com/org/repo
    _clone = "https://" + _clone[len("git@") :].replace(":", "/", 1)
repository_url = (os.environ.get("KB_REPOSITORY_URL") or _clone).rstrip("/")
repository_branch = os.environ.get("KB_REPOSITORY_BRANCH", "main")
if repository_url:
    html_theme_options = globals().get("html_theme_options", {})
    html_theme_options.update(
        source_repository=repository_url + "/",
        source_branch=repository_branch,
        source_directory="",
    )

# "Zuletzt aktualisiert am" from each page's last commit (sphinx-last-updated-by-git).
html_last_updated_fmt = "%d.%m.%Y"
# Pages outside git (new, uncommitted files; copies in tests) simply show no date.
git_untracked_check_dependencies = False
# A build from a folder that is not a git checkout (an exported archive, a test
# copy) has no dates at all; that alone must not fail the strict build.
# tests/test_contributing.py checks that the real checkout does show dates.
suppress_warnings += ["git.subprocess_error", "git.command_not_found"]

# -- Redirects -------------------------------------------------------------------

# Moved or renamed pages keep their old address: redirects.yml maps the old page
# (path without .md) to the new one. sphinx-reredirects writes a small HTML page
# at the old address that forwards to the new one. kb.redirects (loaded by
# kb.authoring) reads the file, so a mistake in it is a German warning at its line,
# not a configuration error, and names a page that vanished without a redirect.
kb_redirects_file = "redirects.yml"

# -- Readers: discoverability ------------------------------------------------

# Meta descriptions of the pages that have no front matter (content pages
# take theirs from the front matter; see _templates/page.html).
html_context = {
    "kb_page_descriptions": {
        "search": "Volltextsuche in der Wissensbasis Zukunftszentren.",
        "genindex": "Stichwortverzeichnis der Wissensbasis Zukunftszentren.",
        "404": "Diese Seite gibt es in der Wissensbasis Zukunftszentren nicht.",
    },
}

# The public address of the site, set in this one place: canonical links,
# OpenGraph URLs, sitemap.xml, robots.txt and the JSON-LD read it. No real
# address is known yet, so the default is a reserved placeholder domain;
# deploy with KB_BASE_URL=https://…/ (see README, "Readers").
html_baseurl = os.environ.get("KB_BASE_URL", "https://example.invalid/").rstrip("/") + "/"

# OpenGraph: no images at all (no social cards, nothing from elsewhere); the
# meta description comes from the front matter via _templates/page.html, so
# the extension must not add a second one.
ogp_site_url = html_baseurl
ogp_social_cards = {"enable": False}
ogp_enable_meta_description = False

# The sitemap lists the reading pages only; "{link}" because the default
# scheme would put the language ("de/") into every URL.
sitemap_url_scheme = "{link}"
sitemap_excludes = ["search.html", "genindex.html", "404.html"]

# 404 page: its links must be absolute because it is served for any missing
# path; they start with the path part of the base URL.
notfound_urls_prefix = urlsplit(html_baseurl).path
notfound_context = {
    "title": "Seite nicht gefunden",
    "body": (
        "<h1>Seite nicht gefunden</h1>\n"
        "<p>Die aufgerufene Seite gibt es in der Wissensbasis Zukunftszentren nicht "
        "(mehr). Vielleicht hilft die Suche in der Navigation weiter.</p>\n"
        f'<p><a href="{urlsplit(html_baseurl).path}index.html">Zur Startseite</a></p>\n'
    ),
}

# -- Publishing (kb/publish.py, make publish) ---------------------------------

# The operator's details for Impressum, Datenschutz and Barrierefreiheit come
# from one file, checked against schemas/publish.schema.yaml. The repository
# ships none (only publish.example.yaml, empty): local builds show "Angabe
# fehlt" where a detail is missing; a publishing build (`make publish` sets
# KB_PUBLISH=1; or -t publish) fails naming each missing field.
kb_publish_file = os.environ.get("KB_PUBLISH_FILE", "publish.yaml")
kb_publish = os.environ.get("KB_PUBLISH") == "1" or tags.has("publish")  # noqa: F821 – provided by Sphinx
# Linked in the footer of every page (_templates/page.html), in this order.
kb_footer_pages = ["ueber/impressum", "ueber/datenschutz", "ueber/barrierefreiheit", "ueber/leichte-sprache"]
# Where the generated nginx configuration writes its access log (no IP addresses).
if "KB_ACCESS_LOG" in os.environ:
    kb_access_log = os.environ["KB_ACCESS_LOG"]

# -- PDF (kb/pdf.py) -------------------------------------------------------------
# `make pdf` builds _build/pdf/wissensbasis-zukunftszentren.pdf: the builder `pdf`
# writes one print document from the HTML side (_static/kb-print.css), which
# WeasyPrint sets as tagged PDF/UA-1. The title page reads the conference from
# the event page's front matter, the imprint the credit from _snippets/quelle.md.

kb_pdf_name = "wissensbasis-zukunftszentren.pdf"
kb_pdf_event = "events/jahrestagung-2024"

# HTML side of the PDF (an HTML option, kept here with the PDF it links): furo's
# default sidebar plus the download link after the navigation tree.
html_sidebars = {
    "**": [
        "sidebar/brand.html",
        "sidebar/search.html",
        "sidebar/scroll-start.html",
        "sidebar/navigation.html",
        "sidebar/kb-pdf.html",
        "sidebar/ethical-ads.html",
        "sidebar/scroll-end.html",
        "sidebar/variant-selector.html",
    ]
}

# -- Performance and scale (kb/navigation.py, benchmarks/) -----------------

# Above this many pages the sidebar lists only the top-level sections, so page
# size and build time stay linear in the number of pages (benchmarks/RESULTS.md).
kb_sidebar_full_max_pages = 300
