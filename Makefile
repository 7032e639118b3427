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

.PHONY: install graphviz demo test test-oldest lint docs providers providers-init airflow2 constraints \
	providers-constraints airflow2-constraints clean \
	providers-all-constraints bench bench-all

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(UV): | $(BIN)/python
	$(BIN)/python -m pip --version >/dev/null 2>&1 || $(BIN)/python -m ensurepip --upgrade
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "uv==0.13.8"

# uv resolves Airflow and its providers in seconds; the constraints pin every version, since
# Airflow's own constraint files are not reachable from CI. uv compiles no bytecode unless told,
# and where PYTHONDONTWRITEBYTECODE is set (as in many container images) no import writes it
# either: every worker would compile every module it imports, on every build.
$(STAMP): $(INSTALL_INPUTS) | $(UV)
	$(UV) pip install --quiet --compile-bytecode -p $(BIN)/python -c requirements/constraints.txt \
		-r requirements/platform.in -e '.[test,lint,docs]' -e examples/acme_platform
	touch $(STAMP)

install: $(STAMP)

# The DAG pages' graphs need Graphviz's dot: installed with apt-get where this runs as root (a
# container, CI); elsewhere one line says how to get it, and the pages show lists instead.
graphviz:
	@command -v dot >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
		apt-get update -qq && apt-get install -y -qq --no-install-recommends graphviz >/dev/null; } \
		|| echo "Graphviz's dot is not installed: the DAG pages get no graphs (install graphviz)"

demo: $(STAMP) graphviz
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
	$(UV) pip install --quiet --compile-bytecode -p $(OLDEST_VENV)/bin/python -c requirements/oldest.txt \
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

# Two real-world checks, each in a venv of its own: requirements/<name>.in pinned by
# requirements/<name>-constraints.txt, with this package and acme_platform.
.PRECIOUS: .venv-%/bin/python .venv-%/.installed
.venv-%/bin/python:
	$(PYTHON) -m venv .venv-$*

.venv-%/.installed: requirements/%.in requirements/%-constraints.txt pyproject.toml \
		examples/acme_platform/pyproject.toml | $(UV) .venv-%/bin/python
	$(UV) pip install --quiet --compile-bytecode -p .venv-$*/bin/python -c requirements/$*-constraints.txt \
		-r requirements/$*.in -e . -e examples/acme_platform
	touch $@

# Airflow 3 with 22 widely deployed providers: the realworld/ site built with -W -n, then its
# catalog.json and warning log checked by scripts/check_catalog.py. Provider modules that need
# an optional dependency are counted, not warned about; a second pass logs them as etl.import
# warnings for the checker: it reuses the first build's introspection cache and reads only
# index.rst.
REALWORLD := realworld/_build
providers: .venv-providers/.installed
	mkdir -p $(REALWORLD)
	.venv-providers/bin/sphinx-build -W -n --keep-going -b html -d $(REALWORLD)/doctrees \
		-w $(REALWORLD)/warnings.txt realworld $(REALWORLD)/html; built=$$?; \
	.venv-providers/bin/sphinx-build -q -b dummy -D suppress_warnings=toc.not_readable \
		-D etl_provider_import_warnings=1 \
		-D exclude_patterns=_build,reference \
		-D etl_cache_dir=$(CURDIR)/$(REALWORLD)/doctrees/etl-cache -d $(REALWORLD)/imports \
		-w $(REALWORLD)/import-warnings.txt realworld $(REALWORLD)/imports; \
	.venv-providers/bin/python scripts/check_catalog.py $(REALWORLD)/html/catalog.json \
		--warnings $(REALWORLD)/warnings.txt --warnings $(REALWORLD)/import-warnings.txt; \
	checked=$$?; [ $$built -eq 0 ] && [ $$checked -eq 0 ]

# A new team's first build in the same environment: `sphinx-etl init`, then the site's own
# scripts/build-docs.sh (-W -n), exactly as the README tells a team to start.
INIT_SITE := $(REALWORLD)/init-site
providers-init: .venv-providers/.installed
	rm -rf $(INIT_SITE)
	.venv-providers/bin/sphinx-etl init $(INIT_SITE) --project "ACME data platform" \
		--package acme_platform --no-input
	PYTHON=$(CURDIR)/.venv-providers/bin/python $(INIT_SITE)/scripts/build-docs.sh

# Airflow 2.10 (the oldest supported) with the demo's providers: the demo site built against it,
# with an Airflow home of its own, and the components Airflow 2 ships itself (the demo lists
# apache-airflow) checked for by their core import paths; then Airflow 2.10's own example DAGs
# read as its DagBag reads them (scripts/check_dags.py). Provider modules that need something
# this set lacks (standard's hitl needs Airflow 3.1) are logged, so the checker sees them.
AIRFLOW2_OUT := demo/_build/airflow2
AIRFLOW2_SPHINXOPTS ?=
airflow2: .venv-airflow2/.installed
	mkdir -p demo/_build
	AIRFLOW_HOME=$(CURDIR)/.airflow2-home .venv-airflow2/bin/sphinx-build -b html \
		-D etl_provider_import_warnings=1 -w demo/_build/airflow2-warnings.txt \
		$(AIRFLOW2_SPHINXOPTS) demo $(AIRFLOW2_OUT)
	.venv-airflow2/bin/python scripts/check_catalog.py $(AIRFLOW2_OUT)/catalog.json \
		--warnings demo/_build/airflow2-warnings.txt \
		--require airflow.operators.bash.BashOperator \
		--require airflow.operators.python.PythonOperator --require PostgresHook
	AIRFLOW_HOME=$(CURDIR)/.airflow2-home .venv-airflow2/bin/python scripts/check_dags.py --examples

# Scale benchmarks, never run by CI or `make test` (they take from minutes to hours): the
# realworld site built against 6 providers (.venv), 22 (.venv-providers) and all 98 that install
# with Airflow 3.3.2 (.venv-providers-all), each with its import floor, no-op rebuild and peak
# memory; see benchmarks/README.rst. Results go to $(BENCH_OUT).txt and .json (sets already in
# the .json are kept, so `make bench bench-all` gives one report). BENCH_ARGS adds options,
# e.g. --rev <commit> to measure a committed version of the extension.
BENCH_OUT ?= benchmarks/results/$(shell date +%F)
BENCH_ARGS ?=
bench: $(STAMP) .venv-providers/.installed
	$(BIN)/python benchmarks/bench_scale.py --sets 6 22 --out $(BENCH_OUT) $(BENCH_ARGS)

bench-all: $(STAMP) .venv-providers-all/.installed
	$(BIN)/python benchmarks/bench_scale.py --sets 98 --out $(BENCH_OUT) $(BENCH_ARGS)

# oldest.txt starts as a copy of constraints.txt, so that uv keeps every pin OLDEST_PINS leaves free.
constraints:
	$(UV) pip compile --quiet --universal -p 3.10 requirements/platform.in \
		-o requirements/constraints.txt
	cp requirements/constraints.txt requirements/oldest.txt
	printf '%s\n' $(OLDEST_PINS) | $(UV) pip compile --quiet --universal -p 3.10 \
		--custom-compile-command "make constraints" requirements/platform.in - \
		-o requirements/oldest.txt

# google 22.8 needs Python 3.11, so these sets are compiled for 3.11 and newer.
providers-constraints providers-all-constraints airflow2-constraints: %-constraints: | $(UV)
	$(UV) pip compile --quiet --universal -p 3.11 --custom-compile-command "make $@" \
		requirements/$*.in -o requirements/$*-constraints.txt

clean:
	rm -rf demo/_build demo/reference docs/_build .airflow-home \
		realworld/_build realworld/reference .airflow2-home
