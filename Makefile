# Wissensbasis Zukunftszentren – the Makefile is the interface.
# Every target creates the virtualenv in .venv from the pinned requirements
# when it is missing or older than the requirements files.

PYTHON      ?= python3
VENV        ?= .venv
SPHINXOPTS  ?=
# Strict: nitpicky (-n), warnings are errors (-W), but report all of them (--keep-going).
STRICT      := -n -W --keep-going
# Parallel reading and writing on every core (one core: serial); the output equals
# serial output (tests/test_performance.py). JOBS=1 builds serially.
JOBS        ?= auto
SOURCEDIR   := .
BUILDDIR    := _build
BIN         := $(VENV)/bin

.DEFAULT_GOAL := help

# Debian packages the test suite needs (TeX Live, chromium, ...): each feature
# adds its own `DEBIAN_PACKAGES +=` line. `make test` installs them when root.
DEBIAN_PACKAGES :=
# Spell checking (make spelling): German hunspell dictionary and the enchant library.
DEBIAN_PACKAGES += hunspell-de-de libenchant-2-2

# Readers (issue 5): browser tests, screenshots and the browser report drive
# Debian's chromium through Playwright (never `playwright install`).
DEBIAN_PACKAGES += chromium

# PDF (make pdf, tests/test_pdf.py): TeX Live with xelatex, German hyphenation,
# xindy for the index, the TeX Gyre OpenType fonts; poppler-utils and chromium
# (browser print of an HTML page) for the tests.
PDF_PACKAGES := latexmk texlive-xetex texlive-latex-extra texlive-fonts-recommended texlive-lang-german xindy fonts-texgyre
DEBIAN_PACKAGES += $(PDF_PACKAGES) poppler-utils

.PHONY: help html test test-fast pytest lint spelling livehtml clean debian-packages new-case-study new-event new-topic new-tag \
	screenshots page-report pdf all check-tex bench

help: ## Show this help
	@echo "Wissensbasis Zukunftszentren – make targets:"
	@grep -E '^[a-z -]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/^([a-z -]+):.*## (.*)/  make \1\t\2/' | expand -t 20

# The virtualenv: one stamp for the build requirements, one for the dev tools.
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# The project's own package kb/ (pyproject.toml) is installed editable on top, with
# the pinned flit-core from requirements.txt as its build backend (no download).
$(VENV)/.stamp-docs: requirements.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-build-isolation --no-deps -e .
	@touch $@

$(VENV)/.stamp-dev: requirements-dev.txt $(VENV)/.stamp-docs
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

html: $(VENV)/.stamp-docs ## Build the HTML site into _build/html (strict)
	$(BIN)/sphinx-build -M html "$(SOURCEDIR)" "$(BUILDDIR)" $(STRICT) -j $(JOBS) $(SPHINXOPTS)

# The PDF: Sphinx's LaTeX builder, then latexmk with xelatex and xindy in _build/latex.
# check-tex runs first, so a machine without TeX stops at once with the command to run.
PDF_TOOLS := xelatex latexmk xindy kpsewhich
# Stop at the first LaTeX error instead of waiting for input; latexmk quietly.
LATEXPDF_OPTS := LATEXOPTS="-interaction=nonstopmode -halt-on-error" LATEXMKOPTS=-silent
check-tex:
	@for tool in $(PDF_TOOLS); do command -v $$tool >/dev/null 2>&1 || missing="$$missing $$tool"; done; \
	if [ -z "$$missing" ] && ! kpsewhich texgyrepagella-regular.otf >/dev/null 2>&1; then missing=" fonts-texgyre"; fi; \
	if [ -n "$$missing" ]; then \
	  echo "make pdf: TeX is not installed (missing:$$missing)." >&2; \
	  echo "Install it with:" >&2; \
	  echo "  sudo apt-get install -y --no-install-recommends $(PDF_PACKAGES)" >&2; \
	  exit 1; \
	fi

pdf: check-tex $(VENV)/.stamp-docs ## Build the PDF into _build/latex (xelatex, strict)
	$(BIN)/sphinx-build -b latex "$(SOURCEDIR)" "$(BUILDDIR)/latex" -d "$(BUILDDIR)/doctrees" $(STRICT) $(SPHINXOPTS)
	$(MAKE) -C "$(BUILDDIR)/latex" all-pdf $(LATEXPDF_OPTS)
	@echo "PDF: $$(ls $(BUILDDIR)/latex/*.pdf)"

all: ## Build the PDF, then the HTML site that links it
	$(MAKE) pdf
	$(MAKE) html

debian-packages:
	@tools/ensure-debian-packages $(DEBIAN_PACKAGES)

test: lint spelling pytest ## Run everything CI runs: lint, spelling, the test suite

pytest: $(VENV)/.stamp-dev debian-packages ## Run the pytest suite only (builds into temp dirs)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-fast: $(VENV)/.stamp-dev ## Fast in-process tests of kb/ (tests/fast, under a minute; no Debian packages)
	$(BIN)/python -m pytest tests/fast -q $(PYTEST_ARGS)

lint: $(VENV)/.stamp-dev ## Lint Python and Markdown (the pre-commit hooks, on all files)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/pre-commit run --all-files --show-diff-on-failure

spelling: $(VENV)/.stamp-dev debian-packages ## German spell check (word list: spelling_wordlist.txt)
	$(BIN)/sphinx-build -M spelling "$(SOURCEDIR)" "$(BUILDDIR)" $(STRICT) -t spelling $(SPHINXOPTS)

livehtml: $(VENV)/.stamp-dev ## Live preview on http://127.0.0.1:8000 (rebuilds on save)
	$(BIN)/sphinx-autobuild "$(SOURCEDIR)" "$(BUILDDIR)/html" $(STRICT) $(SPHINXOPTS) \
		--host 127.0.0.1 --port 8000 --watch kb --watch _snippets --watch schemas \
		--ignore "$(VENV)/*" --ignore "$(BUILDDIR)/*" --ignore "tests/*" --ignore ".git/*"

# New pages from templates/: make new-case-study NAME="Firma XY GmbH" [SLUG=firma-xy]
new-case-study new-event new-topic new-tag: $(VENV)/.stamp-docs ## New page from a template: NAME="..." [SLUG=...]
	@$(BIN)/python -m kb.newpage $(@:new-%=%) "$(NAME)" $(if $(SLUG),--slug "$(SLUG)")

screenshots: html $(VENV)/.stamp-dev debian-packages ## PNGs of key pages, phone/desktop, light/dark, in _build/screenshots
	$(BIN)/python tools/screenshots.py "$(BUILDDIR)/html" "$(BUILDDIR)/screenshots"

page-report: html $(VENV)/.stamp-dev debian-packages ## Per-page table: axe, requests, KiB, overflow (chromium)
	$(BIN)/python tools/page-report.py "$(BUILDDIR)/html"

clean: ## Remove the build output (keeps .venv)
	rm -rf "$(BUILDDIR)"

# -- Performance and scale (benchmarks/) --------------------------------------------
# MkDocs Material, the comparison build, comes from a bench-only requirements file.
$(VENV)/.stamp-bench: benchmarks/requirements-bench.txt $(VENV)/.stamp-dev
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r benchmarks/requirements-bench.txt
	@touch $@

bench: $(VENV)/.stamp-bench ## Measure build times against bare Sphinx and MkDocs Material -> benchmarks/RESULTS.md
	$(BIN)/python -m benchmarks.run
