# Two entry points: `make run` (index seeds/ if needed, serve the UI) and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test lint setup browser

run: setup
	$(VENV)/bin/qa serve --corpus seeds

test: setup browser lint
	$(PY) -m pytest

lint: setup
	$(PY) -m ruff check index qa ui tooling tests scripts
	$(PY) -m ruff format --check index qa ui tooling tests scripts
	$(PY) -m mypy

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $@

# Debian's Chromium for the browser tests; Playwright's own browser download is never used.
browser:
	@command -v chromium >/dev/null 2>&1 || { $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q chromium; }
