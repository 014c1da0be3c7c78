"""Sphinx configuration for the Wissensbasis Zukunftszentren.

Reads top to bottom in banner sections. Every workaround carries a comment
saying why it is there.
"""

import os
import sys
from pathlib import Path

import yaml

# Local extensions live in _ext/, one small module each.
sys.path.insert(0, str(Path(__file__).parent / "_ext"))

# -- Project -----------------------------------------------------------------

project = "Wissensbasis Zukunftszentren"
author = "Redaktion Wissensbasis Zukunftszentren"
copyright = "Redaktion Wissensbasis Zukunftszentren; Bericht: Sarah Puck (f-bb)"
language = "de"

extensions = [
    "myst_parser",
    "sphinx_design",
    "kb_metadata",
    "kb_checks",
    "sphinx_reredirects",
    "sphinx_last_updated_by_git",
    "kb_navigation",  # smaller sidebar on large sites (see "Performance and scale")
]

# The source directory is the repository root, so build only the content
# folders; README.md, tests/, templates and the like never become pages.
include_patterns = [
    "index.md",
    "events/**",
    "case-studies/**",
    "glossary/**",
]
exclude_patterns = ["_build", ".venv"]

# -- Page metadata (_ext/kb_metadata.py) --------------------------------------

# Folder -> page type. Each page in these folders (except index.md) is checked
# against schemas/<type>.schema.yaml; every other page against common.schema.yaml.
kb_page_types = {
    "events": "event",
    "case-studies": "case-study",
    "glossary": "topic",
}

# -- Strictness --------------------------------------------------------------

# Every cross-reference must resolve. The ignore list is empty on purpose:
# add an entry only with a comment saying why it cannot resolve.
nitpicky = True
nitpick_ignore: list[tuple[str, str]] = []

# -- Spelling (make spelling) ------------------------------------------------

# German spell checking with sphinxcontrib-spelling and Debian's hunspell-de-de.
# Loaded only for `make spelling` (-t spelling): it needs the enchant library,
# which the HTML build does not.
if tags.has("spelling"):  # noqa: F821 – `tags` is provided by Sphinx
    extensions.append("sphinxcontrib.spelling")
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

# -- HTML --------------------------------------------------------------------

html_theme = "furo"
html_title = "Wissensbasis Zukunftszentren"
html_static_path = ["_static"]
html_css_files = ["kb.css"]
templates_path = ["_templates"]
# Sphinx picks the German stemmer for the search index from `language`.
html_search_language = "de"
html_copy_source = False
html_show_sourcelink = False

# -- Localisation --------------------------------------------------------------

# German texts for theme strings that Sphinx's German catalogue lacks
# ("Diese Seite bearbeiten", "Zuletzt aktualisiert am", "Weiter", ...).
locale_dirs = ["locale"]

# -- Edit links and dates --------------------------------------------------------

# The one setting for the repository: "Diese Seite bearbeiten" links are built
# from it. The public address is not decided yet, so it comes from the
# environment of the hosting platform, e.g.
#   KB_REPOSITORY_URL=https://github.com/<organisation>/<repository>
# Without it, pages show no edit link.
repository_url = os.environ.get("KB_REPOSITORY_URL", "").rstrip("/")
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
suppress_warnings = ["git.subprocess_error", "git.command_not_found"]

# -- Redirects -------------------------------------------------------------------

# Moved or renamed pages keep their old address: redirects.yml maps the old page
# (path without .md) to the new one. sphinx-reredirects writes a small HTML page
# at the old address that forwards to the new one.
_moves = yaml.safe_load((Path(__file__).parent / "redirects.yml").read_text(encoding="utf-8")) or {}
redirects = {old: os.path.relpath(f"{new}.html", os.path.dirname(old) or ".") for old, new in _moves.items()}

# -- Performance and scale (_ext/kb_navigation.py, benchmarks/) -----------------

# Above this many pages the sidebar lists only the top-level sections, so page
# size and build time stay linear in the number of pages (benchmarks/RESULTS.md).
kb_sidebar_full_max_pages = 300
