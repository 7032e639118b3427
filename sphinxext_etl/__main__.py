"""``python -m sphinxext_etl``: the ``sphinx-etl`` command."""

from __future__ import annotations

import sys

from sphinxext_etl.cli import main

sys.exit(main())
