"""Importing modules safely, and what reading one class needs to know about where it was found."""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import io
import sys
import traceback
import warnings
from dataclasses import dataclass, field
from importlib.machinery import ModuleSpec
from pathlib import Path
from types import ModuleType
from typing import Any

from sphinxext_etl.collect import docstrings
from sphinxext_etl.model import (
    Component,
    Connection,
    ImportFailure,
    Kind,
    Provider,
    is_transfer,
    transfer_systems,
)

#: Problems met while reading classes, reported later as located warnings:
#: ``(message, location, subtype)``.
Notes = list[tuple[str, str, str]]


@dataclass
class ClassContext:
    """What introspecting one class needs to know about where it was found."""

    owner: Provider
    hint: Kind | None = None
    integration: str = ""
    #: Declared transfer systems for the module, from provider info.
    transfer: tuple[str, str] | None = None
    #: What the provider info declares of its hooks' connections (see ``Discovery``).
    connections: dict[str, Connection] = field(default_factory=dict)

    def component(self, path: str, kind: Kind, doc: str, **facts: Any) -> Component:
        """The class at ``path``, of ``kind`` by its bases, as a component of this owner: with
        what live and static reading alike give (an operator that is a transfer, and its
        systems; the summary) and the reading's own ``facts``."""
        module, _, name = path.rpartition(".")
        if kind is Kind.OPERATOR and is_transfer(name, module, self.hint, self.transfer):
            kind = Kind.TRANSFER
        transfer = kind is Kind.TRANSFER
        source, target = transfer_systems(name, self.transfer) if transfer else ("", "")
        return Component(
            path=path,
            kind=kind,
            owner=self.owner.name,
            owner_version=self.owner.version,
            in_house=self.owner.in_house,
            summary=docstrings.summary(doc),
            docstring=doc,
            source_system=source,
            target_system=target,
            integration=self.integration,
            **facts,
        )


def import_module(name: str) -> tuple[ModuleType | None, ImportFailure | None]:
    """Import ``name``; any failure, ``sys.exit()`` included, comes back as an ImportFailure."""
    sink = io.StringIO()
    try:
        with warnings.catch_warnings(), contextlib.redirect_stdout(sink):
            warnings.simplefilter("ignore")
            return importlib.import_module(name), None
    except KeyboardInterrupt:
        raise
    except BaseException as exc:
        summary = traceback.format_exception_only(type(exc), exc)[-1].strip()
        source = module_file(name) or ""
        frames = traceback.extract_tb(exc.__traceback__)
        lines = [f.lineno or 0 for f in frames if f.filename == source]
        line = lines[-1] if lines else 0  # the innermost frame in the module's own file
        return None, ImportFailure(name, summary, source, line, missing_dependency(exc))


def missing_dependency(exc: BaseException | None) -> bool:
    """Whether an import failed because an optional dependency is not installed: a module
    that cannot be found, Airflow's own exception for a provider feature that needs one, or
    any error raised while handling one (``except ImportError: raise RuntimeError(...)``)."""
    if exc is None:
        return False
    if type(exc).__name__ == "AirflowOptionalProviderFeatureException":
        return True
    missing = getattr(exc, "name", None) if isinstance(exc, ImportError) else None
    if not missing:
        return missing_dependency(exc.__cause__ or exc.__context__)
    # A module that cannot even be looked for counts as missing.
    return find_spec(missing.partition(".")[0]) is None or (
        missing.startswith("airflow.providers.") and find_spec(missing) is None
    )


def find_spec(name: str) -> ModuleSpec | None:
    """How ``name`` would be imported, found without importing it (only its parent packages),
    or None when it cannot be found, or looked for."""
    try:
        return importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None


def module_file(name: str) -> str | None:
    """The source file of a module, found without importing it or its parents."""
    loaded = sys.modules.get(name)
    if loaded is not None and getattr(loaded, "__file__", None):
        return str(loaded.__file__)
    top, *rest = name.split(".")
    spec = find_spec(top)
    if spec is None:
        return None
    if not rest:
        return spec.origin
    for location in spec.submodule_search_locations or ():
        base = Path(location).joinpath(*rest)
        for candidate in (base.with_suffix(".py"), base / "__init__.py"):
            if candidate.is_file():
                return str(candidate)
    return None


def class_path(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"
