# The commands a developer, CI and the docs workflow all run. Everything installs itself.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
UV := $(BIN)/uv
AIRFLOW_HOME ?= $(CURDIR)/.airflow-home
export AIRFLOW_HOME
export AIRFLOW__CORE__LOAD_EXAMPLES = False

STAMP := $(VENV)/.installed
INSTALL_INPUTS := pyproject.toml requirements/platform.in requirements/constraints.txt \
	examples/acme_platform/pyproject.toml

.PHONY: install demo test test-oldest lint docs constraints clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(UV): | $(BIN)/python
	$(BIN)/python -m pip --version >/dev/null 2>&1 || $(BIN)/python -m ensurepip --upgrade
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "uv==0.13.8"

# uv resolves Airflow and its providers in seconds; the constraints pin every version, since
# Airflow's own constraint files are not reachable from CI.
$(STAMP): $(INSTALL_INPUTS) | $(UV)
	$(UV) pip install --quiet -p $(BIN)/python -c requirements/constraints.txt \
		-r requirements/platform.in -e '.[test,lint,docs]' -e examples/acme_platform
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/sphinx-build -b html demo demo/_build/html
	@echo "The demo platform site is in $(CURDIR)/demo/_build/html/index.html"

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The same suite on the oldest stack pyproject.toml allows (what Python 3.10 gets), in a second
# venv: requirements/oldest.txt is constraints.txt with OLDEST_PINS in place of the newer pins.
OLDEST_VENV := .venv-oldest
OLDEST_PINS := sphinx==8.1.3 docutils==0.21.2 myst-parser==4.0.1
OLDEST_STAMP := $(OLDEST_VENV)/.installed

$(OLDEST_VENV)/bin/python:
	$(PYTHON) -m venv $(OLDEST_VENV)

$(OLDEST_STAMP): $(INSTALL_INPUTS) requirements/oldest.txt | $(UV) $(OLDEST_VENV)/bin/python
	$(UV) pip install --quiet -p $(OLDEST_VENV)/bin/python -c requirements/oldest.txt \
		-r requirements/platform.in -e '.[test]' -e examples/acme_platform
	touch $(OLDEST_STAMP)

test-oldest: $(OLDEST_STAMP)
	$(OLDEST_VENV)/bin/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check sphinxext_etl tests benchmarks examples
	$(BIN)/ruff format --check sphinxext_etl tests benchmarks examples
	$(BIN)/mypy

docs: $(STAMP)
	$(BIN)/sphinx-build -W --keep-going -b html docs docs/_build/html
	@echo "The project's documentation is in $(CURDIR)/docs/_build/html/index.html"

# oldest.txt starts as a copy of constraints.txt, so that uv keeps every pin OLDEST_PINS leaves free.
constraints:
	$(UV) pip compile --quiet --universal -p 3.10 requirements/platform.in \
		-o requirements/constraints.txt
	cp requirements/constraints.txt requirements/oldest.txt
	printf '%s\n' $(OLDEST_PINS) | $(UV) pip compile --quiet --universal -p 3.10 \
		--custom-compile-command "make constraints" requirements/platform.in - \
		-o requirements/oldest.txt

clean:
	rm -rf demo/_build demo/reference docs/_build .airflow-home
