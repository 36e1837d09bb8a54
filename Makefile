# The two commands of the README: `make demo` and `make test`. Both set everything up first.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=

.PHONY: demo test system-deps venv screenshots bench

demo: system-deps venv
	$(VENV)/bin/kiosk demo --config config/demo.toml

test: system-deps venv
	$(PY) -m pytest $(PYTEST_ARGS)

system-deps:
	@bash scripts/install-system-deps.sh

venv: $(STAMP)

$(STAMP): setup.py
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $(STAMP)

screenshots: system-deps venv
	$(VENV)/bin/kiosk screenshots --out docs/screenshots

bench: system-deps venv
	for b in bench/*.py; do echo "== $$b"; $(PY) $$b || exit 1; done
