#!/usr/bin/env bash
# Build the docs: the one place with the build commands, run by developers and by CI alike.
#
#   scripts/build-docs.sh [OUTPUT_DIR]          (default: docs/_build/html)
#   scripts/build-docs.sh --cache-key           what CI names the introspection cache by
#
# Environment:
#   PYTHON        interpreter that has the docs requirements installed (default: python3)
#   DOCS_VERSION  the release being built, e.g. 1.4.0 (default: conf.py's "release")
#   SPHINXOPTS    extra sphinx-build options, e.g. "-v" ("-j auto" unless it has -j or --jobs)
#
# sphinxext-etl keeps what it learnt from the installed distributions in docs/.etl-cache
# (conf.py's etl_cache_dir), outside the build output: deleting docs/_build keeps it, and CI
# saves and restores that folder between runs.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
python="${PYTHON:-python3}"

if [[ "${1:-}" == "--cache-key" ]]; then
  # Lines for $GITHUB_OUTPUT. Every record in the cache is keyed on its own distribution, the
  # Python version and the sphinxext-etl version, so a cache made under another Python or
  # sphinxext-etl holds nothing this build can use; the prefix therefore names both (the full
  # Python version, as the records do). The key adds the requirements file and what it
  # installed, so that a newer provider under an unpinned requirement makes a new key (GitHub
  # never overwrites a cache): restoring the prefix's latest then reads only what changed.
  "$python" - "$root/requirements-docs.txt" <<'PY'
import hashlib
import importlib.metadata
import platform
import sys

requirements = hashlib.sha256(open(sys.argv[1], "rb").read()).hexdigest()[:16]
installed = sorted(f"{d.metadata['Name']}=={d.version}" for d in importlib.metadata.distributions())
installed_digest = hashlib.sha256("\n".join(installed).encode()).hexdigest()[:16]
etl = importlib.metadata.version("sphinxext-etl")
prefix = f"etl-{sys.platform}-{platform.machine()}-py{platform.python_version()}-sphinxext-etl{etl}-"
print(f"prefix={prefix}")
print(f"key={prefix}{requirements}-{installed_digest}")
PY
  exit 0
fi

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
# Read and write in parallel, one process per core, unless SPHINXOPTS chooses.
if [[ ! " ${SPHINXOPTS:-} " =~ [[:space:]](-j|--jobs) ]]; then
  options+=(-j auto)
fi
# shellcheck disable=SC2086 # SPHINXOPTS holds several options on purpose
"$python" -m sphinx "${options[@]}" ${SPHINXOPTS:-} "$root/docs" "$output"
