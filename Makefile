# The two commands of the README: `make book` and `make test`.
SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: book test unit nbval site-build site-check pdf pdf-test bench lint notebooks clean

book: $(STAMP)
	$(PY) -m casebook.build.book book

test: $(STAMP) lint unit nbval site-build site-check pdf

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements.txt
	$(VENV)/bin/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

lint: $(STAMP)
	$(VENV)/bin/ruff check casebook tests bench

unit: $(STAMP)
	$(VENV)/bin/pytest tests --ignore=tests/site --ignore=tests/pdf -q -n 2

nbval: $(STAMP)
	$(VENV)/bin/pytest --nbval notebooks -q -n 2 --dist loadfile

site-build: $(STAMP)
	$(PY) -m casebook.build.book book

# Static checks and the real-browser checks (tests/site/test_browser.py: Debian's chromium).
site-check: $(STAMP)
	$(VENV)/bin/pytest tests/site -q

# The PDF edition (_build/casebook.pdf): Jupyter Book's single-page build printed by Debian's chromium
# (what its pdfhtml builder does, waiting for the charts: casebook/pdf.py), then its checks.
pdf: $(STAMP)
	$(PY) -m casebook.build.pdf
	$(MAKE) --no-print-directory pdf-test

pdf-test: $(STAMP)
	$(VENV)/bin/pytest tests/pdf -q

# Benchmarks (heavy, minutes): writes bench/results.md. Never part of `make test`.
bench: $(STAMP)
	$(PY) -m bench.run

notebooks: $(STAMP)
	$(PY) -m casebook.build.book execute

clean:
	rm -rf _build reports
