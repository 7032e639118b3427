"""Sphinx extension that documents an Apache Airflow platform."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: Bump when the shape of what the extension stores in the environment changes.
ENV_VERSION = 4


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

    # Reference pages, roles and relations.
    from sphinxext_etl import component, generate, roles

    app.setup_extension("sphinx.ext.graphviz")
    app.connect("etl-catalog-loaded", generate.generate_reference)
    app.connect("builder-inited", roles.add_stylesheet)
    app.add_directive("etl-docstring", component.ComponentDocstring)
    app.connect("missing-reference", component.upstream_ref_as_text, priority=900)
    app.connect("builder-inited", component.reset_references)
    app.connect("env-purge-doc", component.DOCSTRING_PROBLEMS.purge_doc)
    app.connect("env-merge-info", component.DOCSTRING_PROBLEMS.merge_info)
    app.connect("build-finished", component.report_upstream_problems)
    roles.register(app)
    app.connect("env-get-outdated", roles.outdated_docs)
    app.connect("env-purge-doc", roles.purge_doc)
    app.connect("env-merge-info", roles.merge_info)

    # Versioned publishing: switcher and banner.
    from sphinxext_etl import versions

    app.connect("builder-inited", versions.add_static_files)
    app.connect("html-page-context", versions.add_version_meta)

    # Conventions, agreements, checks and coverage.
    from sphinxext_etl import agreements, coverage

    app.add_domain(agreements.EtlDomain)
    app.add_directive("agreement", agreements.AgreementDirective)
    app.add_directive("convention", agreements.ConventionDirective)
    app.add_directive("agreement-index", agreements.AgreementIndex)
    app.add_directive("applicable-agreements", agreements.ApplicableAgreements)
    app.add_role("agreement", agreements.AgreementRole(warn_dangling=True))
    app.add_role("convention", agreements.AgreementRole(warn_dangling=True))
    app.add_node(agreements.agreement_index)
    app.add_node(agreements.applicable_agreements)
    app.connect("builder-inited", agreements.add_static_files)
    app.connect("doctree-resolved", agreements.fill_listings)
    app.connect("env-updated", agreements.outdated_listings)
    app.connect("env-updated", agreements.check_agreements)
    app.connect("warn-missing-reference", agreements.warn_unknown_reference)
    app.add_directive("etl-coverage", coverage.EtlCoverage)
    app.connect("etl-catalog-loaded", coverage.check_threshold)
    app.connect("env-get-outdated", coverage.outdated_docs)
    app.connect("env-purge-doc", coverage.purge_doc)
    app.connect("env-merge-info", coverage.merge_info)

    return {
        "version": __version__,
        "env_version": ENV_VERSION,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
