"""Settings: declared once in EtlConfig's field metadata, every value checked at
``config-inited`` with one ``etl.config`` warning that says what is used instead, and read
once per build."""

from __future__ import annotations

import dataclasses
import pickle
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sphinx.testing.util import SphinxTestApp
from sphinx.util.console import strip_colors

from sphinxext_etl.config import PROVIDER_SOURCE_URL, EtlConfig, check_setting, etl_config

Make = Callable[..., SphinxTestApp]
FIELDS = {f.name: f for f in dataclasses.fields(EtlConfig)}
ID_PATTERN = r"^[A-Z][A-Z0-9]*-\d{3,}$"


@pytest.fixture
def make(make_app: Callable[..., SphinxTestApp], rootdir: Path, tmp_path: Path) -> Make:
    """A Sphinx app of the settings-only root (no provider, no package) with ``overrides``;
    ``conf`` is added to ``conf.py``, for the strings that ``confoverrides`` would convert."""

    def make(conf: str = "", **overrides: Any) -> SphinxTestApp:
        srcdir = tmp_path / "src"
        shutil.copytree(rootdir / "test-config", srcdir)
        with (srcdir / "conf.py").open("a", encoding="utf-8") as handle:
            handle.write(conf)
        return make_app("dummy", srcdir=srcdir, confoverrides=overrides)

    return make


def warnings_of(app: SphinxTestApp) -> str:
    return strip_colors(app.warning.getvalue())


#: ``(setting, bad value, what the warning says of it, the value used instead)``.
BAD_VALUES = [
    # Sphinx makes the list a tuple, as tuples are among the types of ``etl_providers``.
    ("providers", [3], "must be a list of distribution names, not [3]; using []", ()),
    (
        "packages",
        ["acme-platform", 3],
        "must be a list of import paths, not ['acme-platform', 3]; using []",
        [],
    ),
    (
        "reference_dir",
        "../out",
        "must be a folder inside the source dir, not '../out'; using 'reference'",
        "reference",
    ),
    ("generate_reference", [], "must be of type bool, not []; using True", True),
    ("cache_dir", None, "must be of type str, not None; using ''", ""),
    (
        "source_url",
        "https://git.example.com/{file}",
        "must be a URL pattern whose fields are among {path}, {line}, {version}, {provider}, "
        "{provider_path}, not 'https://git.example.com/{file}'; using ''",
        "",
    ),
    (
        "provider_source_url",
        "https://git.example.com/{path}#L{line",
        "must be a URL pattern whose fields are among",
        PROVIDER_SOURCE_URL,
    ),
    ("static_modules", ["acme.*", 3], "must be a list of module globs", ["acme.*"]),
    ("workers", -1, "must be 0 (one per core) or more, not -1; using 0", 0),
    ("import_timeout", 0, "must be a number of seconds above 0, not 0; using 300.0", 300.0),
    ("skip_private", None, "must be of type bool, not None; using True", True),
    ("provider_docstring_warnings", 0.5, "must be of type bool, not 0.5; using False", False),
    ("provider_import_warnings", 2, "must be of type bool, not 2; using False", False),
    ("navigation_limit", -5, "must be 0 or more, not -5; using 200", 200),
    ("version", 2.1, "must be of type str, not 2.1; using ''", ""),
    (
        "versions_url",
        None,
        "must be of type str, not None; using '../versions.json'",
        "../versions.json",
    ),
    (
        "agreement_id_pattern",
        "([A-Z]",
        "must be a regular expression (missing ), unterminated subpattern at position 0), "
        "not '([A-Z]'",
        ID_PATTERN,
    ),
    ("agreement_statuses", ["draft", None], "must be a list of statuses", ["draft"]),
    ("agreement_checked_statuses", [1], "must be a list of statuses, not [1]; using []", []),
    ("coverage_threshold", 150, "must be a percentage from 0 to 100, not 150; using 0", 0),
    ("dag_folders", [None], "must be a list of paths, not [None]; using []", []),
    (
        "dag_parse",
        "eager",
        "must be one of 'import', 'static', not 'eager'; using 'import'",
        "import",
    ),
    ("compare_with", None, "must be of type str, not None; using ''", ""),
    (
        "diff_severities",
        {"component-removed": "loud"},
        "must map change kinds to severities (component-removed: unknown severity 'loud'",
        {},
    ),
]


def test_every_setting_has_a_bad_value_case() -> None:
    assert sorted(case[0] for case in BAD_VALUES) == sorted(FIELDS)


@pytest.mark.parametrize(
    ("name", "value", "said", "used"), BAD_VALUES, ids=[case[0] for case in BAD_VALUES]
)
def test_a_bad_value_warns_once_and_is_replaced(
    make: Make, name: str, value: Any, said: str, used: Any
) -> None:
    app = make(**{f"etl_{name}": value})
    warnings = warnings_of(app)
    assert f"WARNING: etl_{name} {said}" in warnings
    assert warnings.count(f"etl_{name}") == 1, warnings
    assert "[etl.config]" in warnings
    # Sphinx's own type check finds the value used, and says nothing more.
    assert "The config value" not in warnings
    assert same(getattr(etl_config(app), name), used)
    assert same(app.config[f"etl_{name}"], used)


def same(value: Any, expected: Any) -> bool:
    """Equal, a list and a tuple of the same items alike: Sphinx 8.2 and later turn a list into
    a tuple where a setting accepts both, 8.1 keeps it."""
    if isinstance(expected, (list, tuple)) and isinstance(value, (list, tuple)):
        return list(value) == list(expected)
    return bool(value == expected)


def test_the_test_roots_settings_give_no_warning(make: Make) -> None:
    assert warnings_of(make()) == ""


@pytest.mark.parametrize("name", sorted(FIELDS))
def test_every_default_passes_its_own_check(name: str) -> None:
    default = EtlConfig()
    assert check_setting(FIELDS[name], getattr(default, name)).problem == ""


@pytest.mark.parametrize(
    ("conf", "name", "used"),
    [
        ("etl_generate_reference = 0", "generate_reference", False),
        ("etl_navigation_limit = 250.0", "navigation_limit", 250),
        ("etl_packages = 'acme_platform'", "packages", ["acme_platform"]),
        ("etl_static_modules = 'acme.legacy.*'", "static_modules", ["acme.legacy.*"]),
    ],
)
def test_a_value_of_the_wrong_type_means_what_it_plainly_says(
    make: Make, conf: str, name: str, used: Any
) -> None:
    app = make(f"\n{conf}\n")
    warnings = warnings_of(app)
    assert f"etl_{name} must be of type" in warnings
    assert f"; using {used!r} [etl.config]" in warnings
    assert getattr(etl_config(app), name) == used


def test_providers_other_than_all_as_one_string_mean_all() -> None:
    # A build test would read every installed provider.
    checked = check_setting(FIELDS["providers"], "amazon")
    assert checked == ("all", "must be 'all' or a list of distribution names", "")


def test_reference_dir_loses_its_slashes_silently(make: Make) -> None:
    app = make(etl_reference_dir="/guide/reference/")
    assert warnings_of(app) == ""
    assert etl_config(app).reference_dir == "guide/reference"


def test_diff_severities_name_an_unknown_kind(make: Make) -> None:
    app = make(etl_diff_severities={"component-vanished": "breaking"})
    assert "unknown change kind 'component-vanished'" in warnings_of(app)
    assert "using the built-in table [etl.config]" in warnings_of(app)


def test_a_bad_id_pattern_warns_at_start_and_agreements_still_build(make: Make) -> None:
    app = make(etl_agreement_id_pattern="([A-Z]")
    app.build()
    warnings = warnings_of(app)
    assert warnings.count("WARNING") == 1, warnings
    assert "etl_agreement_id_pattern must be a regular expression" in warnings


def test_settings_are_read_once_per_config(make: Make) -> None:
    app = make()
    assert etl_config(app) is etl_config(app.config) is etl_config(app.env.config)


def test_settings_are_read_again_when_a_value_is_set(make: Make) -> None:
    app = make()
    before = etl_config(app)
    app.config.etl_workers = 3
    assert etl_config(app) is not before
    assert etl_config(app).workers == 3


def test_settings_cannot_be_changed_once_read(make: Make) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        etl_config(make()).workers = 3  # type: ignore[misc]


def test_each_setting_is_registered_from_its_field(make: Make) -> None:
    values = make().config.values
    for name, f in FIELDS.items():
        option = values[f"etl_{name}"]
        assert option.valid_types == frozenset(f.metadata["types"])
        assert option.rebuild == ("" if name in {"workers", "import_timeout"} else "env")


def test_nothing_of_ours_is_pickled_with_the_config(make: Make) -> None:
    app = make()
    etl_config(app)
    assert b"EtlConfig" not in pickle.dumps(app.config)
