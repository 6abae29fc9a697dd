# The two commands of the README: `make book` and `make test`.
SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PYTEST := $(VENV)/bin/pytest
STAMP := $(VENV)/.installed

.PHONY: book test prereqs lint unit nbval integration site-build pdf-build pdf fuzz bench notebooks clean slides handouts catalogs

# Executes the chapters whose code, data or package changed (papermill, outputs stored in notebooks/),
# then builds the site from the stored outputs with warnings as errors (casebook/build/book.py).
book: $(STAMP)
	$(PY) -m casebook.build.book book

# Prerequisites first (one line if Chromium, poppler, PostgreSQL or Java is missing), then the fast stages, then the
# integration stage (built site, PDF, browser, whole-chapter runs, a throwaway PostgreSQL, Spark local).
test: prereqs lint unit nbval integration

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements.txt
	$(VENV)/bin/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

prereqs: $(STAMP)
	$(PY) -m casebook.build.prereqs

lint: $(STAMP)
	$(VENV)/bin/ruff check casebook tests bench

# Unit tests: fast, no browser, no kernel running a whole chapter (tests not marked `integration`).
unit: $(STAMP)
	$(PYTEST) tests -m "not integration" -q -n 2

# Every chapter re-executed and compared with its stored outputs.
nbval: $(STAMP)
	$(PYTEST) --nbval notebooks -q -n 2 --dist loadfile

# Tests marked `integration`: the built sites (static and in Debian's Chromium), the PDFs, `casebook run` on
# whole chapters, kernels. The browser checks share one crawl, so they stay on one worker (xdist group).
# The French edition's chapters (executed with lang="fr" by the site build) are re-executed and compared
# with their stored outputs too.
integration: $(STAMP) site-build pdf-build slides handouts
	$(PYTEST) --nbval _build/fr/src/notebooks -q -n 2 --dist loadfile
	$(PYTEST) tests -m integration -q -n 2 --dist loadgroup

site-build: $(STAMP)
	$(PY) -m casebook.build.book book

# For writers, after changing English text: brings every French catalog in step (book/locales/fr for the
# prose, casebook/i18n/locales/fr for the computed words: new messages empty, changed ones fuzzy), then lists
# what needs translating; `make test` fails until the list is empty (casebook/build/catalogs.py).
catalogs: $(STAMP)
	$(PY) -m casebook.build.catalogs

# The PDF editions (_build/casebook.pdf, _build/casebook-fr.pdf): Jupyter Book's single-page build of each edition printed by Debian's chromium
# (what its pdfhtml builder does, waiting for the charts: casebook/build/pdf.py).
pdf-build: $(STAMP) site-build
	$(PY) -m casebook.build.pdf

# The trainer's kit, in English and in French: one reveal.js deck per chapter, _build/slides/SLUG.html and
# _build/slides/fr/SLUG.html (assets in _build/slides/assets/), and one A4 handout per chapter,
# _build/handouts/SLUG.pdf and _build/handouts/fr/SLUG.pdf, from the stored outputs of notebooks/ and of
# the French run that site-build stores in _build/fr/src/notebooks/ (casebook/build/slides.py,
# casebook/build/handouts.py; `--lang en|fr` builds one language). They open and print with no network.
slides: $(STAMP) site-build
	$(PY) -m casebook.build.slides

handouts: $(STAMP) site-build
	$(PY) -m casebook.build.handouts

# The PDF edition and its checks.
pdf: pdf-build
	$(PYTEST) tests/pdf -q

# The fuzzer (tests/test_fuzz.py) with a large budget; `make test` runs it with a small fixed one.
fuzz: $(STAMP)
	CASEBOOK_FUZZ_EXAMPLES=2000 $(PYTEST) tests/test_fuzz.py -q -n 2

# Benchmarks (heavy, 15+ minutes; never part of `make test`): the book, `casebook run` and the page audit
# (bench/results.md), the customer summary + BG/NBD fit at ORDERS_LINES transaction lines against hand-written
# DuckDB SQL (bench/orders_results.md; add 100M: make bench ORDERS_LINES="1000000 10000000 100000000"), then
# Spark local at 10M (bench/orders_spark_results.md; skipped in one line without Java; PostgreSQL too with
# ORDERS_SPARK_ARGS="--postgres URL --table T").
ORDERS_LINES ?= 1000000 10000000
ORDERS_SPARK_ARGS ?=
bench: $(STAMP)
	$(PY) -m bench.run
	$(PY) -m bench.orders --lines $(ORDERS_LINES)
	$(PY) -m bench.orders_spark $(ORDERS_SPARK_ARGS)

# Re-execute every chapter and store its outputs, whether or not its inputs changed.
notebooks: $(STAMP)
	$(PY) -m casebook.build.book execute

clean:
	rm -rf _build reports
