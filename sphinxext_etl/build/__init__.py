"""Everything that meets Sphinx's events and environment, one job a module:

- :mod:`.data`: the one object the build keeps on the env, with its purge and merge;
- :mod:`.catalog`: the catalog read at ``builder-inited`` and ``catalog.json`` written at the end;
- :mod:`.dag_scan`: the DAG files of ``etl_dag_folders``;
- :mod:`.comparison`: this release against ``etl_compare_with``;
- :mod:`.reference_files`: the generated reference folder;
- :mod:`.foreign_markup`: markup and references provider docstrings use that the site lacks;
- :mod:`.roles`, :mod:`.options`, :mod:`.inline`: roles, and the option converters and inline
  nodes that directives and agreements share;
- :mod:`.html`: CSS, JS, the version switcher and the HTML of the extension's nodes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sphinxext_etl.build import (
    catalog,
    comparison,
    dag_scan,
    data,
    foreign_markup,
    html,
    reference_files,
    roles,
)

if TYPE_CHECKING:
    from sphinx.application import Sphinx


def setup(app: Sphinx) -> None:
    # The order of the etl-catalog-loaded handlers is their priorities': the DAG scan (400),
    # the comparison (420), the inputs key (450), then the reference pages (500).
    for module in (data, catalog, dag_scan, comparison, reference_files, foreign_markup, roles):
        module.setup(app)
    html.setup(app)
