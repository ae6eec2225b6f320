# Two entry points: `make run` (index seeds/ if needed, serve the UI) and `make test`.
# `make run` installs what answering needs; `make test` adds the extras the suite exercises.
VENV ?= .venv
PY := $(VENV)/bin/python
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PORT ?= 7860

.PHONY: run test lint setup setup-test browser antiword

run: setup
	$(VENV)/bin/qa serve --corpus seeds --port $(PORT)

test: setup-test browser antiword lint
	$(PY) -m pytest

lint: setup-test
	$(PY) -m ruff check index qa ui tooling tests scripts
	$(PY) -m ruff format --check index qa ui tooling tests scripts
	$(PY) -m mypy

setup: $(VENV)/.installed-core

setup-test: $(VENV)/.installed-test

$(VENV)/bin/python:
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(VENV)/.installed-core: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install -q -e '.[test]'
	touch $@ $(VENV)/.installed-core

# Debian's Chromium for the browser tests; Playwright's own browser download is never used.
browser:
	@command -v chromium >/dev/null 2>&1 || { $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q chromium; }

# Debian's antiword, which reads Word 97-2003 (.doc) documents; without it they are skipped.
antiword:
	@command -v antiword >/dev/null 2>&1 || { $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q antiword; }
