#!/usr/bin/env bash
# Build the docs: the one place with the build commands, run by developers and by CI alike.
#
#   scripts/build-docs.sh [OUTPUT_DIR]          (default: docs/_build/html)
#
# Environment:
#   PYTHON        interpreter that has the docs requirements installed (default: python3)
#   DOCS_VERSION  the release being built, e.g. 1.4.0 (default: conf.py's "release")
#   SPHINXOPTS    extra sphinx-build options, e.g. "-j auto"
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
output="${1:-$root/docs/_build/html}"

# Importing Airflow creates files under $AIRFLOW_HOME: keep the build away from ~/airflow.
if [[ -z "${AIRFLOW_HOME:-}" ]]; then
  AIRFLOW_HOME="$(mktemp -d)"
  export AIRFLOW_HOME
  trap 'rm -rf "$AIRFLOW_HOME"' EXIT
fi

# -W: warnings fail the build; -n: every cross-reference must resolve.
options=(-W -n -b html -d "$root/docs/_build/doctrees")
if [[ -n "${DOCS_VERSION:-}" ]]; then
  options+=(-D "release=$DOCS_VERSION" -D "version=$DOCS_VERSION")
fi
# shellcheck disable=SC2086 # SPHINXOPTS holds several options on purpose
"${PYTHON:-python3}" -m sphinx "${options[@]}" ${SPHINXOPTS:-} "$root/docs" "$output"
