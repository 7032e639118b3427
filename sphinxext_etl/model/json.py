"""The model as JSON, with a schema version: the cache's files and ``catalog.json``."""

from __future__ import annotations

import dataclasses
import enum
import functools
import json
import os
import types
import typing
from collections.abc import Callable, Hashable, Mapping
from pathlib import PurePath
from typing import Any, TypeVar, cast

from sphinxext_etl.model.catalog import Catalog

#: Bump when the JSON shape changes; caches written with another version are ignored.
#: Facts added with defaults need no bump (old catalogs still load): Connection's form facts.
#: 3: the platform's DAGs, and every path relative (a component's source file to its
#: distribution's root, a DAG's file to the site's source folder).
SCHEMA_VERSION = 3
#: Published catalogs this version can compare with: schema 2 only lacks the DAGs, and its
#: source files were the building machine's absolute paths.
READABLE_SCHEMAS = (2, 3)


def to_json(obj: Any) -> Any:
    """Turn model objects into JSON-ready values (dicts, lists, strings, numbers)."""
    names = _field_names(cast(Hashable, type(obj)))
    if names is not None:
        return {name: to_json(getattr(obj, name)) for name in names}
    if isinstance(obj, enum.Enum):
        return obj.value
    if isinstance(obj, (tuple, list)):
        return [to_json(item) for item in obj]
    return obj


@functools.cache
def _field_names(cls: Any) -> tuple[str, ...] | None:
    """A dataclass's field names, once per type (a cold build turns a catalog into JSON a
    thousand times: for the cache, ``catalog.json`` and what each page showed)."""
    if dataclasses.is_dataclass(cls):
        return tuple(field.name for field in dataclasses.fields(cls))
    return None


Data = TypeVar("Data")


def from_json(cls: type[Data], data: Mapping[str, Any]) -> Data:
    """A frozen dataclass from what :func:`to_json` made of it, led by its field types:
    nested dataclasses, enums, ``X | None`` and tuples (lists in JSON). Fields the data lacks
    keep their defaults, so facts added later with a default need no schema bump."""
    result: Data = _decoder(cast(Hashable, cls))(data)
    return result


Decoder = Callable[[Any], Any]


@functools.cache
def _decoder(hint: Any) -> Decoder:
    """How to turn JSON into a value of type ``hint``, worked out once per type (a large scan
    decodes the same few types a million times)."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        return _optional(_decoder(next(a for a in args if a is not type(None))))
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        item = _decoder(args[0])
        return _optional(lambda value: tuple(map(item, value)))
    if origin is tuple:
        items = [_decoder(a) for a in args]
        return _optional(lambda value: tuple(f(v) for f, v in zip(items, value, strict=True)))
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return _optional(hint)
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        fields: list[tuple[str, Decoder]] = []

        def dataclass_value(data: Mapping[str, Any]) -> Any:
            if not fields:  # on first use: a type may hold itself (a condition's parts)
                hints = typing.get_type_hints(hint)
                fields.extend((f.name, _decoder(hints[f.name])) for f in dataclasses.fields(hint))
            return hint(**{name: decode(data[name]) for name, decode in fields if name in data})

        return _optional(dataclass_value)
    return lambda value: value


def _optional(decode: Decoder) -> Decoder:
    return lambda value: None if value is None else decode(value)


def published(catalog: Catalog, root: str) -> Catalog:
    """The catalog as ``catalog.json`` publishes it: the same on every machine that builds the
    same platform, so no path in it is absolute. A component's source file is given from its
    distribution's root (``airflow/providers/http/hooks/http.py``, as its module names it), a
    DAG's file from the site's source folder ``root``."""
    components = tuple(
        dataclasses.replace(c, source_file=c.relative_path) for c in catalog.components
    )
    dags = tuple(dataclasses.replace(d, file=_relative(d.file, root)) for d in catalog.dags)
    return dataclasses.replace(catalog, components=components, dags=dags)


def _relative(file: str, root: str) -> str:
    try:
        return PurePath(os.path.relpath(file, root)).as_posix()
    except ValueError:  # another drive: the file's name is all that can be said
        return PurePath(file).name


def versioned_dumps(obj: Any, schema: int, *, indent: int | None = 2) -> str:
    """Model data as JSON text, its schema version beside it."""
    return json.dumps({"schema": schema, **to_json(obj)}, indent=indent, sort_keys=True)


def dumps(catalog: Catalog, *, indent: int | None = 2) -> str:
    """Serialise a catalog, with the schema version, as published in ``catalog.json``."""
    return versioned_dumps(catalog, SCHEMA_VERSION, indent=indent)


def loads(text: str) -> Catalog:
    """A catalog of a schema this version reads (ValueError for another)."""
    data: dict[str, Any] = json.loads(text)
    if data.get("schema") not in READABLE_SCHEMAS:
        readable = ", ".join(map(str, READABLE_SCHEMAS))
        raise ValueError(f"catalog schema {data.get('schema')!r} is not one of {readable}")
    return from_json(Catalog, data)
