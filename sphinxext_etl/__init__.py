"""Sphinx extension that documents an Apache Airflow platform.

A build flows through the stages in order: :mod:`.collect` reads the installed code into the
:mod:`.model`, :mod:`.build` keeps it on Sphinx's environment and writes the reference pages
that :mod:`.render` produces, and :mod:`.directives` and :mod:`.agreements` turn the model into
documents. ``setup()`` only calls each feature's own ``setup()``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from sphinx.application import Sphinx

#: Bump when the shape of what the extension stores in the environment changes, or the
#: classes it pickles there move to another module.
ENV_VERSION = 9


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the extension: settings, the build state, directives, roles, agreements and
    the HTML assets."""
    from sphinxext_etl import agreements, build, config, directives

    for feature in (config, build, directives, agreements):
        feature.setup(app)
    return {
        "version": __version__,
        "env_version": ENV_VERSION,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
