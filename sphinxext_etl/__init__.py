"""Sphinx extension that documents an Apache Airflow platform."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: Bump when the shape of what the extension stores in the environment changes.
ENV_VERSION = 1


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the extension's config values, events, directives and handlers."""
    from sphinxext_etl import catalog, config, pipeline

    config.register(app)
    app.connect("config-inited", config.validate)

    # Fired once per build with the loaded Catalog; page generation and checks listen to it.
    app.add_event("etl-catalog-loaded")
    app.connect("builder-inited", pipeline.load_catalog)
    app.connect("build-finished", pipeline.publish_catalog)
    app.connect("env-get-outdated", catalog.outdated_docs)

    app.add_directive("operator-catalog", catalog.OperatorCatalog)
    app.connect("env-purge-doc", catalog.purge_doc)
    app.connect("env-merge-info", catalog.merge_info)

    # Versioned publishing: switcher and banner.
    from sphinxext_etl import versions

    app.connect("builder-inited", versions.add_static_files)
    app.connect("html-page-context", versions.add_version_meta)

    return {
        "version": __version__,
        "env_version": ENV_VERSION,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
