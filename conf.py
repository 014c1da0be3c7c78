"""Sphinx configuration for the Wissensbasis Zukunftszentren.

Reads top to bottom in banner sections. Every workaround carries a comment
saying why it is there.
"""

import sys
from pathlib import Path

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
    "kb_frontmatter",
    "kb_print",  # print: sphinx-design components in the PDF, PDF download link, print CSS
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

# -- Strictness --------------------------------------------------------------

# Every cross-reference must resolve. The ignore list is empty on purpose:
# add an entry only with a comment saying why it cannot resolve.
nitpicky = True
nitpick_ignore: list[tuple[str, str]] = []

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

# -- LaTeX -------------------------------------------------------------------
# `make pdf` builds _build/latex/wissensbasis-zukunftszentren.pdf with xelatex
# (Unicode input, OpenType fonts) via latexmk; German through polyglossia,
# which Sphinx selects from `language` for xelatex. The title page reads the
# conference facts from the event page's front matter and the credit from
# _snippets/quelle.md, so each fact keeps one source.

import re  # noqa: E402 (kept in this section: only the LaTeX settings need it)

import yaml  # noqa: E402
from babel.dates import format_date  # noqa: E402

_HERE = Path(__file__).parent


def _front_matter(docname: str) -> dict:
    text = (_HERE / f"{docname}.md").read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---\n", 2)[1])


def _credit_latex() -> str:
    """The source credit snippet as LaTeX: text between the ::: fences, **bold** kept."""
    lines = (_HERE / "_snippets" / "quelle.md").read_text(encoding="utf-8").splitlines()
    text = " ".join(line for line in lines if line.strip() and not line.startswith(":::"))
    # On the title page the credit speaks for the whole book, not for one page.
    text = text.replace("Diese Seite", "Diese Wissensbasis")
    text = re.sub(r"([&%$#_{}])", r"\\\1", text)
    return re.sub(r"\*\*(.+?)\*\*", r"\\textbf{\1}", text)


_event = _front_matter("events/jahrestagung-2024")
_event_date = format_date(_event["date"], "d. MMMM y", locale="de")

latex_engine = "xelatex"
# The root document is the landing page: its text becomes the first chapter, its
# (hidden) toctree brings in the rest. kb_print finds the PDF's name here.
latex_documents = [("index", "wissensbasis-zukunftszentren.tex", project, author, "manual")]
# Internal links get " (→ S. 12)" in print; Sphinx leaves glossary-term links alone.
latex_show_pagerefs = True
# The Python-domain module index would be an empty chapter.
latex_domain_indices = False

latex_elements = {
    "papersize": "a4paper",
    "pointsize": "11pt",
    # One-sided, chapters start on the next page (no empty pages between them).
    "extraclassoptions": "openany,oneside",
    # OpenType fonts from Debian's fonts-texgyre, loaded by file name so
    # fontconfig plays no part; xelatex embeds subsets of them.
    "fontpkg": r"""
% Ligatures=TeX: Sphinx writes a quotation's attribution as ---Name; Sphinx's own
% font setup turns TeX ligatures off (its hyphens are \sphinxhyphen{} anyway).
\setmainfont{texgyrepagella}[Extension=.otf, Ligatures=TeX, UprightFont=*-regular, BoldFont=*-bold,
  ItalicFont=*-italic, BoldItalicFont=*-bolditalic]
\setsansfont{texgyreheros}[Extension=.otf, Ligatures=TeX, Scale=MatchLowercase, UprightFont=*-regular,
  BoldFont=*-bold, ItalicFont=*-italic, BoldItalicFont=*-bolditalic]
\setmonofont{texgyrecursor}[Extension=.otf, Scale=MatchLowercase, UprightFont=*-regular,
  BoldFont=*-bold, ItalicFont=*-italic, BoldItalicFont=*-bolditalic]
""",
    "fncychap": r"\usepackage[Sonny]{fncychap}",
    "preamble": r"""
\usepackage{kb-print}
\hypersetup{pdftitle={%(title)s}, pdfauthor={%(author)s}, pdfsubject={%(subject)s}, pdflang={de-DE}}
\newcommand{\kbsubtitle}{%(subject)s}
\newcommand{\kbmotto}{„%(motto)s“}
\newcommand{\kbcredit}{%(credit)s}
"""
    % {
        "title": project,
        "author": author,
        "subject": f"Jahrestagung der {_event['organiser']} {_event['date'].year}, {_event['city']}, {_event_date}",
        "motto": _event["motto"],
        "credit": _credit_latex(),
    },
    "maketitle": r"\kbmaketitle",
    # The landing page's text opens the book as an unnumbered chapter.
    "tableofcontents": r"\sphinxtableofcontents\kbintro",
    "printindex": r"\kbprintindex",
}
# kb-print.sty: title page, card frames and the other print styles.
latex_additional_files = ["_latex/kb-print.sty"]

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
