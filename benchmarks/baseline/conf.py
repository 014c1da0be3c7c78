"""Baseline for `make bench`: the same sources built by bare Sphinx + MyST.

Used with `sphinx-build -c benchmarks/baseline`: no theme (Sphinx's plain
"basic" theme), no extension except myst_parser and a stub that registers the
directive names the content uses (see bench_stubs.py). MyST settings and the
language (German search index) match the real conf.py, so the ratio real/baseline
is the cost of furo, sphinx-design, our _ext/ modules and the other extensions.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

project = "Wissensbasis Zukunftszentren (Baseline)"
language = "de"
extensions = ["myst_parser", "bench_stubs"]
include_patterns = ["index.md", "events/**", "case-studies/**", "glossary/**", "actors/**", "tags/**", "ueber/**"]
exclude_patterns = ["_build", ".venv"]
myst_enable_extensions = ["colon_fence", "deflist", "attrs_block"]
myst_heading_anchors = 3
html_theme = "basic"
html_copy_source = False
