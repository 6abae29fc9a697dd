# The two commands of the README: `make book` and `make test`.
SHELL := /bin/bash
.SHELLFLAGS := -eo pipefail -c
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: book test unit nbval site-build site-check lint notebooks clean

book: $(STAMP)
	$(PY) -m casebook.build book

test: $(STAMP) lint unit nbval site-build site-check

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements.txt
	$(VENV)/bin/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

lint: $(STAMP)
	$(VENV)/bin/ruff check casebook tests bench

unit: $(STAMP)
	$(VENV)/bin/pytest tests --ignore=tests/site -q -n 2

nbval: $(STAMP)
	$(VENV)/bin/pytest --nbval notebooks -q -n 2 --dist loadfile

site-build: $(STAMP)
	$(PY) -m casebook.build book

site-check: $(STAMP)
	$(VENV)/bin/pytest tests/site -q

notebooks: $(STAMP)
	$(PY) -m casebook.build execute

clean:
	rm -rf _build reports
