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

.PHONY: install demo test lint docs constraints clean

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

lint: $(STAMP)
	$(BIN)/ruff check sphinxext_etl tests benchmarks examples
	$(BIN)/ruff format --check sphinxext_etl tests benchmarks examples
	$(BIN)/mypy

docs: $(STAMP)
	$(BIN)/sphinx-build -W --keep-going -b html docs docs/_build/html
	@echo "The project's documentation is in $(CURDIR)/docs/_build/html/index.html"

constraints:
	$(UV) pip compile --quiet --universal -p 3.10 requirements/platform.in \
		-o requirements/constraints.txt

clean:
	rm -rf demo/_build demo/reference docs/_build .airflow-home
