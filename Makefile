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
# Tools and benchmarks import the test helpers (tests/support: builds of copies, the browser).
DEVPATH     := PYTHONPATH="$(CURDIR)/tests"

.DEFAULT_GOAL := help

# Debian packages the test suite needs (chromium, Java, nginx, ...): each feature
# adds its own `DEBIAN_PACKAGES +=` line. `make test` installs them when root.
DEBIAN_PACKAGES :=
# Spell checking (make spelling): German hunspell dictionary and the enchant library.
# `make spelling` installs only these, not the whole list (chromium, Java, ...).
SPELLING_PACKAGES := hunspell-de-de libenchant-2-2
DEBIAN_PACKAGES += $(SPELLING_PACKAGES)

# Readers (issue 5): browser tests, screenshots and the browser report drive
# Debian's chromium through Playwright (never `playwright install`).
DEBIAN_PACKAGES += chromium

# PDF (make pdf, tests/test_pdf.py): WeasyPrint loads pango and harfbuzz's
# subsetter; the text faces are the TeX Gyre OpenType fonts; poppler-utils
# (pdftotext) and chromium (browser print of an HTML page) for the tests.
PDF_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-texgyre
DEBIAN_PACKAGES += $(PDF_PACKAGES) poppler-utils

# Validators (issue 13, tests/test_validators.py): the W3C Nu HTML checker
# (npm vnu-jar, runs on Java), pa11y and Lighthouse (npm), pinned in
# tools/validators/package-lock.json and installed by `npm ci` into
# $(VALIDATORS), outside the repository tree, like the virtualenv. Their
# install scripts are skipped: pa11y (puppeteer) and Lighthouse drive Debian's
# chromium, and vnu-jar ships its jar (its script would fetch a Java runtime).
# npm comes with the image's nodejs package (Debian's separate npm conflicts with it).
DEBIAN_PACKAGES += default-jre-headless nodejs
VALIDATORS  := $(VENV)/validators

# Publishing (issue 15): tests/test_publish.py serves `make publish` output with
# Debian's nginx on 127.0.0.1 (own prefix and config, no system config).
DEBIAN_PACKAGES += nginx-light

.PHONY: help html test test-fast pytest lint spelling livehtml labels clean debian-packages new-case-study new-event new-topic new-tag \
	screenshots page-report pdf all bench publish canary

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

# The PDF: the print document (builder `pdf` of kb/pdf.py), set by WeasyPrint as
# tagged PDF/UA-1 into _build/pdf. The check first: a machine without pango stops
# at once with one line naming the missing library and the apt-get command.
pdf: $(VENV)/.stamp-docs ## Build the PDF into _build/pdf (WeasyPrint, PDF/UA-1, strict)
	@$(BIN)/python -m kb.pdf --check $(PDF_PACKAGES)
	$(BIN)/sphinx-build -b pdf "$(SOURCEDIR)" "$(BUILDDIR)/pdf" -d "$(BUILDDIR)/doctrees-pdf" $(STRICT) $(SPHINXOPTS)

all: ## Build the PDF, then the HTML site that links it
	$(MAKE) pdf
	$(MAKE) html

# The site for its public address: KB_BASE_URL=https://example.org/wissen/ make publish
# Checks publish.yaml (fails naming each missing detail) and writes, from a clean
# start, _build/publish/html (with .gz copies) and _build/publish/nginx/*.conf.
PUBLISHDIR = $(BUILDDIR)/publish
publish: $(VENV)/.stamp-docs ## Build for KB_BASE_URL: check publish.yaml, .gz files, nginx config in _build/publish
	rm -rf "$(PUBLISHDIR)"
	KB_PUBLISH=1 $(BIN)/sphinx-build -b html "$(SOURCEDIR)" "$(PUBLISHDIR)/html" -d "$(PUBLISHDIR)/doctrees" $(STRICT) $(SPHINXOPTS)
	@echo "Site: $(PUBLISHDIR)/html; nginx configuration: $(PUBLISHDIR)/nginx (see README, Publishing)"

debian-packages:
	@tools/ensure-debian-packages $(DEBIAN_PACKAGES)

test: lint spelling test-fast pytest ## Run everything CI runs: lint, spelling, the fast tier, the whole-site suite

# The suite on both cores (pytest-xdist): tests that share an expensive session fixture
# (the validators, the PDF, the broken corpus, the published site) carry an xdist_group
# mark and run in one worker (tests/support/xdist_groups.py); the rest is handed out test
# by test. --durations shows where the time goes in every run. TEST_WORKERS=0 runs in
# this process. The fast tier runs in its own pytest: its in-process parallel builds fork
# the test process, and a forked child must not inherit a running browser's pipes (the
# browser would never be told to quit).
TEST_WORKERS ?= 2
XDIST        := $(if $(filter 0,$(TEST_WORKERS)),,-n $(TEST_WORKERS) --dist loadgroup)
pytest: $(VENV)/.stamp-dev debian-packages $(VALIDATORS)/.stamp ## Run the whole-site tests only (tests/ without tests/fast; builds into temp dirs)
	KB_VALIDATORS="$(CURDIR)/$(VALIDATORS)" $(BIN)/python -m pytest --ignore=tests/fast $(XDIST) --durations=25 $(PYTEST_ARGS)

$(VALIDATORS)/.stamp: tools/validators/package.json tools/validators/package-lock.json | debian-packages
	mkdir -p $(VALIDATORS)
	cp tools/validators/package.json tools/validators/package-lock.json $(VALIDATORS)/
	cd $(VALIDATORS) && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

# The fast tier needs one Debian package: nodejs, for the search's typo tolerance (kb/static/kb-fuzzy.js).
test-fast: $(VENV)/.stamp-dev ## Fast in-process tests of kb/ (tests/fast, about 25 s, target 20 s; of the Debian packages only nodejs)
	@tools/ensure-debian-packages nodejs
	$(BIN)/python -m pytest tests/fast -q $(XDIST) --durations=10 $(PYTEST_ARGS)

lint: $(VENV)/.stamp-dev ## Lint Python and Markdown (the pre-commit hooks, on all files)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/pre-commit run --all-files --show-diff-on-failure

spelling: $(VENV)/.stamp-dev ## German spell check (word list: spelling_wordlist.txt)
	@tools/ensure-debian-packages $(SPELLING_PACKAGES)
	$(BIN)/sphinx-build -M spelling "$(SOURCEDIR)" "$(BUILDDIR)" $(STRICT) -t spelling $(SPHINXOPTS)

# kb_problem_notice: every page shows the current build problems in a German notice box.
# LIVEPORT: another port for the preview (tests/test_contributing_path.py follows CONTRIBUTING on a free one).
LIVEPORT ?= 8000
livehtml: $(VENV)/.stamp-dev ## Live preview on http://127.0.0.1:8000 (rebuilds on save)
	$(BIN)/sphinx-autobuild "$(SOURCEDIR)" "$(BUILDDIR)/html" $(STRICT) -D kb_problem_notice=1 $(SPHINXOPTS) \
		--host 127.0.0.1 --port $(LIVEPORT) --watch kb --watch _snippets --watch schemas \
		--ignore "$(VENV)/*" --ignore "$(BUILDDIR)/*" --ignore "tests/*" --ignore ".git/*"

labels: $(VENV)/.stamp-docs ## Print the labels, glossary terms and actors a page may link to
	@$(BIN)/python -m kb.labels

# New pages from templates/: make new-case-study NAME="Firma XY GmbH" [SLUG=firma-xy]
new-case-study new-event new-topic new-tag: $(VENV)/.stamp-docs ## New page from a template: NAME="..." [SLUG=...]
	@$(BIN)/python -m kb.newpage $(@:new-%=%) "$(NAME)" $(if $(SLUG),--slug "$(SLUG)")

screenshots: html $(VENV)/.stamp-dev debian-packages ## PNGs of key pages, phone/desktop, light/dark, in _build/screenshots
	$(DEVPATH) $(BIN)/python tools/screenshots.py "$(BUILDDIR)/html" "$(BUILDDIR)/screenshots"

page-report: html $(VENV)/.stamp-dev debian-packages ## Per-page table: axe, requests, KiB, overflow (chromium)
	$(DEVPATH) $(BIN)/python tools/page-report.py "$(BUILDDIR)/html"

clean: ## Remove the build output (keeps .venv)
	rm -rf "$(BUILDDIR)"

# -- Performance and scale (benchmarks/) --------------------------------------------
# MkDocs Material, the comparison build, comes from a bench-only requirements file.
$(VENV)/.stamp-bench: benchmarks/requirements-bench.txt $(VENV)/.stamp-dev
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r benchmarks/requirements-bench.txt
	@touch $@

bench: $(VENV)/.stamp-bench ## Measure build times against bare Sphinx and MkDocs Material -> benchmarks/RESULTS.md
	$(DEVPATH) $(BIN)/python -m benchmarks.run

# -- Canary (tools/canary) -----------------------------------------------------------
# Not part of `make test`: installs from the package index. The site built strictly, as by
# `make html`, with the newest sphinx, docutils, myst-parser, furo and sphinx-design on the
# newest Python of the machine, in a throwaway virtualenv; reports the versions, the
# warnings and the patches of upstream internals (kb/upstream.py) that fell back.
canary: ## Strict build with the newest Sphinx, docutils, MyST, furo, sphinx-design (package index; _build/canary)
	$(PYTHON) tools/canary --jobs $(JOBS) $(SPHINXOPTS)

# -- Mistake generator (issue 23, tools/fuzz.py) ----------------------------------------
# Every mistake kind of tests/support/mutations.py on every content page, each judged by
# two strict builds: fails at the mutated line in German, or renders as meant. Prints the
# table kind x share handled (FUZZ_ARGS="--kinds ... --pages ... --out file.md").
.PHONY: fuzz
fuzz: $(VENV)/.stamp-dev ## All mistake kinds on all content pages: table kind x share handled (long)
	$(DEVPATH) $(BIN)/python tools/fuzz.py $(FUZZ_ARGS)

# -- Published labels (issue 23, kb.published_labels) -----------------------------------
# published-labels.txt lists the labels whose addresses are published; the build reports
# a listed label that no page defines any more. This rewrites the list from the pages.

.PHONY: labels-update
labels-update: $(VENV)/.stamp-docs ## Write published-labels.txt: every label of the pages (after a deliberate rename or a new page)
	@$(BIN)/python -m kb.labels --update
