"""Listing an owner's modules: what discovery hands to introspection for each owner.

A provider's modules (and classes listed by name) are what its ``get_provider_info()`` lists,
plus the public modules it leaves out; an in-house package's and Airflow core's are found from
their files. Only this step may import anything (the provider's info module), and only when the
cache misses.
"""

from __future__ import annotations

import ast
import importlib.metadata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sphinxext_etl.collect.ast_facts import parse_file
from sphinxext_etl.collect.connection_form import behaviour_facts, declared_field_facts
from sphinxext_etl.collect.discovery import (
    CORE_PACKAGE,
    PROVIDER_GROUP,
    Owner,
    core_modules,
    package_folder,
    package_modules,
)
from sphinxext_etl.model import (
    CORE_NAME,
    PROVIDER_PREFIX,
    Connection,
    Integration,
    Kind,
    Provider,
)

#: Bump when discovery lists different modules for an unchanged owner, so that cached
#: records (keyed on the owner's version) are read again.
LISTING_VERSION = 2

#: provider-info keys that list modules, and the kind they hint at.
_MODULE_KEYS: dict[str, Kind] = {
    "operators": Kind.OPERATOR,
    "sensors": Kind.SENSOR,
    "hooks": Kind.HOOK,
    "triggers": Kind.TRIGGER,
}
#: Folders of a provider package that conventionally hold components, at any depth
#: (``aws/operators`` in the amazon provider).
_COMPONENT_FOLDERS = frozenset(
    {"operators", "sensors", "hooks", "triggers", "transfers", "notifications"}
)
#: The title Airflow itself is documented under, as one more owner.
CORE_TITLE = "Apache Airflow"


@dataclass
class Discovery:
    """What discovery hands to introspection: the owner and the modules/classes to read.
    Built up while one owner is listed, then only read."""

    provider: Provider
    #: ``(module, kind hint or None, integration name)``
    modules: list[tuple[str, Kind | None, str]] = field(default_factory=list)
    #: ``(class path, kind)`` for entries listed by class (notifications).
    classes: list[tuple[str, Kind]] = field(default_factory=list)
    #: ``module -> (source integration, target integration)`` for declared transfers.
    transfers: dict[str, tuple[str, str]] = field(default_factory=dict)
    #: ``hook class path -> Connection`` as the provider info's ``connection-types`` declare
    #: them (type, hook name, declarative ``conn-fields``), for hooks that leave them out.
    connections: dict[str, Connection] = field(default_factory=dict)

    @classmethod
    def of_modules(cls, provider: Provider, modules: Iterable[str]) -> Discovery:
        """An owner whose modules carry no kind hint: their classes are told by base class."""
        return cls(provider, [(module, None, "") for module in modules])


def provider_info(owner: Owner) -> dict[str, Any]:
    """Call the provider's ``get_provider_info()`` entry point."""
    entry_point = importlib.metadata.EntryPoint(
        name="provider_info", value=owner.locator, group=PROVIDER_GROUP
    )
    info = entry_point.load()()
    return info if isinstance(info, dict) else {}


def provider_package(owner: Owner) -> str:
    """The import package of a provider: the package of its ``get_provider_info`` module."""
    module = owner.locator.partition(":")[0]
    return module.rpartition(".")[0] or module


def _provider(owner: Owner, **facts: Any) -> Provider:
    """The owner as the model has it, with what its listing found (title, description...)."""
    return Provider(name=owner.name, version=owner.version, in_house=owner.in_house, **facts)


def provider_from_info(owner: Owner, info: dict[str, Any]) -> Provider:
    return _provider(
        owner,
        title=str(info.get("name", "")),
        description=str(info.get("description", "")).strip(),
        package=provider_package(owner),
        integrations=tuple(
            Integration(
                name=str(i.get("integration-name", "")),
                external_doc_url=str(i.get("external-doc-url", "")),
                how_to_guide=tuple(i.get("how-to-guide", ()) or ()),
                tags=tuple(i.get("tags", ()) or ()),
            )
            for i in info.get("integrations", ()) or ()
        ),
    )


def discover(owner: Owner, *, skip_private: bool) -> Discovery:
    """The owner and every module (and listed class) to read for it."""
    if owner.in_house:
        return discover_package(owner, skip_private=skip_private)
    if owner.core:
        return discover_core(owner)
    return discover_provider(owner)


def discover_provider(owner: Owner) -> Discovery:
    """The provider, every module and class its provider info lists, and the modules it
    leaves out (see :func:`unlisted_modules`); their classes are classified by base class."""
    info = provider_info(owner)
    found = Discovery(provider_from_info(owner, info))
    for key, kind in _MODULE_KEYS.items():
        for group in info.get(key, ()) or ():
            integration = str(group.get("integration-name", ""))
            found.modules.extend(
                (module, kind, integration) for module in group.get("python-modules", ())
            )
    for transfer in info.get("transfers", ()) or ():
        module = transfer.get("python-module")
        if module:
            found.transfers[module] = (
                str(transfer.get("source-integration-name", "")),
                str(transfer.get("target-integration-name", "")),
            )
            found.modules.append((module, Kind.TRANSFER, ""))
    for path in info.get("notifications", ()) or ():
        found.classes.append((str(path), Kind.NOTIFIER))
    listed = {module for module, _, _ in found.modules}
    found.modules.extend((module, None, "") for module in unlisted_modules(owner, listed))
    found.connections = declared_connections(info)
    return found


def unlisted_modules(owner: Owner, listed: set[str]) -> list[str]:
    """Public modules of the provider's package that its info does not list. A third-party
    provider that lists none gets all of them; otherwise only those in conventional component
    folders count, because Airflow's own providers list every component module (one that
    lists none, like common-compat, has no components, only modules that may fail to import)."""
    package = provider_package(owner)
    folder = package_folder(package) if package else None
    if folder is None:
        return []
    whole = not listed and not owner.name.startswith(PROVIDER_PREFIX)
    return [
        module
        for module, _ in package_modules(package, folder, skip_private=True)
        if module not in listed
        and (whole or _COMPONENT_FOLDERS.intersection(module[len(package) :].split(".")))
    ]


def declared_connections(info: dict[str, Any]) -> dict[str, Connection]:
    """``hook class path -> Connection`` as the provider info's ``connection-types`` declare
    them: connection type, hook name, and the form where declared (``conn-fields``,
    ``ui-field-behaviour``)."""
    declared: dict[str, Connection] = {}
    for connection in info.get("connection-types", ()) or ():
        hook = str(connection.get("hook-class-name") or "")
        if not hook:
            continue
        form = declared_field_facts(connection.get("conn-fields") or {})
        form.update(behaviour_facts(connection.get("ui-field-behaviour") or {}))
        declared[hook] = Connection(
            conn_type=str(connection.get("connection-type") or ""),
            hook_name=str(connection.get("hook-name") or ""),
            **form,
        )
    return declared


def discover_core(owner: Owner) -> Discovery:
    """Airflow itself and the modules of its core operators, sensors, hooks and triggers."""
    try:
        description = importlib.metadata.metadata(CORE_NAME)["Summary"] or ""
    except importlib.metadata.PackageNotFoundError:
        description = ""
    provider = _provider(owner, title=CORE_TITLE, description=description, package=CORE_PACKAGE)
    return Discovery.of_modules(provider, core_modules(Path(owner.locator)))


def discover_package(owner: Owner, *, skip_private: bool) -> Discovery:
    """An in-house package and every module below it."""
    folder = Path(owner.locator)
    init = parse_file(str(folder / "__init__.py"))
    description = (ast.get_docstring(init) or "") if init else ""
    provider = _provider(owner, title=owner.name, description=description, package=owner.name)
    modules = package_modules(owner.name, folder, skip_private=skip_private)
    return Discovery.of_modules(provider, (module for module, _ in modules))


def discover_without_info(owner: Owner, *, skip_private: bool) -> Discovery:
    """What :func:`discover` finds, without calling a provider's ``get_provider_info()``: its
    package's modules are walked as for a provider that lists none, and its title and
    integrations stay unknown. In-house packages and Airflow itself are found without
    importing anything anyway."""
    if owner.in_house or owner.core:
        return discover(owner, skip_private=skip_private)
    return Discovery.of_modules(provider_from_info(owner, {}), unlisted_modules(owner, set()))
