"""The rule registry and the shipped rules, run on hand-made components (and their source)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sphinxext_etl.agreements import rules
from sphinxext_etl.agreements.registry import RULES, Rule, Violation, rule
from sphinxext_etl.model import Catalog, Component, Connection, Kind, Parameter

SOURCE = '''\
class StoreHook:
    pass


class ArchiveOperator:
    template_fields = ("table", "sql", "ghost")

    def __init__(
        self,
        table: str,
        bucket: str,
        **kwargs,
    ) -> None:
        self.hook = StoreHook()
        self.sql = "x"

    def execute(self, context):
        return get_hook()


class DocumentedOperator:
    def execute(self, context):
        """Run."""
'''


def operator(path: Path, name: str = "ArchiveOperator", **facts: Any) -> Component:
    return Component(
        f"acme.ops.{name}",
        Kind.OPERATOR,
        "acme",
        in_house=True,
        source_file=str(path),
        **facts,
    )


@pytest.fixture
def source(tmp_path: Path) -> Path:
    path = tmp_path / "ops.py"
    path.write_text(SOURCE, encoding="utf-8")
    return path


def messages(found: list[Violation]) -> list[tuple[str, int]]:
    return [(v.message, v.line) for v in found]


def test_shipped_rules_are_registered() -> None:
    """Every shipped rule is in the registry under its name, described."""
    shipped = {
        "docstring-required",
        "params-documented",
        "templated-fields-are-params",
        "transfer-naming",
        "hook-connection-declared",
        "no-hook-in-init",
        "execute-documented",
    }
    assert shipped <= set(RULES)
    assert all(RULES[name].name == name and RULES[name].description for name in shipped)


@pytest.mark.parametrize("name", ["Upper", "-leading", "with space", "under_score", ""])
def test_rule_names_are_lower_case_words(name: str) -> None:
    """A rule name is lower-case words joined by ``-``."""
    with pytest.raises(ValueError, match="must be lower-case words"):
        rule(name, "x")


def test_registering_a_rule_again_replaces_it() -> None:
    """Registering a name again replaces the rule (``conf.py`` runs on every build)."""

    def first(component: Component, catalog: Catalog) -> Iterator[str]:
        yield "first"

    def second(component: Component, catalog: Catalog) -> Iterator[str]:
        yield "second"

    try:
        assert rule("unit-test-rule", "One.")(first) is first
        rule("unit-test-rule", "Two.")(second)
        assert RULES["unit-test-rule"] == Rule("unit-test-rule", "Two.", second)
    finally:
        RULES.pop("unit-test-rule", None)


def test_rule_call_wraps_strings_as_violations() -> None:
    """Strings a check yields become violations at line 0; violations pass unchanged."""

    def check(component: Component, catalog: Catalog) -> Iterator[str | Violation]:
        yield "plain"
        yield Violation("placed", 7)

    found = Rule("x", "X.", check)(Component("a.B", Kind.HOOK, "a"), Catalog())
    assert found == [Violation("plain", 0), Violation("placed", 7)]


def test_docstring_required() -> None:
    """A blank docstring is none."""
    bare = Component("a.StoreHook", Kind.HOOK, "a", docstring=" \n")
    assert messages(RULES["docstring-required"](bare, Catalog())) == [
        ("hook StoreHook has no docstring", 0)
    ]
    documented = Component("a.StoreHook", Kind.HOOK, "a", docstring="Store.")
    assert RULES["docstring-required"](documented, Catalog()) == []


def test_params_documented_points_at_the_parameter(source: Path) -> None:
    """Undocumented named parameters, at their line in ``__init__``; variadics are exempt."""
    component = operator(
        source,
        parameters=(
            Parameter("table", description="The table."),
            Parameter("bucket"),
            Parameter("inherited"),
            Parameter("kwargs", variadic=True),
        ),
    )
    assert messages(RULES["params-documented"](component, Catalog())) == [
        ("parameter 'bucket' is not documented (add ':param bucket:' to the docstring)", 11),
        ("parameter 'inherited' is not documented (add ':param inherited:' to the docstring)", 0),
    ]


def test_templated_fields_are_params(source: Path) -> None:
    """A templated field must be a parameter or an attribute the class sets."""
    component = operator(
        source, template_fields=("table", "sql", "ghost"), parameters=(Parameter("table"),)
    )
    assert messages(RULES["templated-fields-are-params"](component, Catalog())) == [
        ("templated field 'ghost' is neither a parameter nor an attribute", 0)
    ]


def test_templated_fields_without_source_are_not_judged() -> None:
    """Without source nothing can be said about attributes."""
    component = Component("a.B", Kind.OPERATOR, "a", template_fields=("ghost",))
    assert RULES["templated-fields-are-params"](component, Catalog()) == []


def test_transfer_naming() -> None:
    """Transfers are named ``<Source>To<Target>Operator`` and use two hooks; others pass."""
    bad = Component("a.CopyOperator", Kind.TRANSFER, "a", uses_hooks=("a.H",))
    assert messages(RULES["transfer-naming"](bad, Catalog())) == [
        ("transfer CopyOperator is not named <Source>To<Target>Operator", 0),
        ("transfer CopyOperator uses 1 hook(s), not one per side", 0),
    ]
    good = Component("a.AToBOperator", Kind.TRANSFER, "a", uses_hooks=("a.A", "a.B", "a.A"))
    assert RULES["transfer-naming"](good, Catalog()) == []
    same = Component("a.AToBOperator", Kind.TRANSFER, "a", uses_hooks=("a.A", "a.A"))
    assert len(RULES["transfer-naming"](same, Catalog())) == 1
    assert RULES["transfer-naming"](Component("a.Copy", Kind.OPERATOR, "a"), Catalog()) == []


def test_hook_connection_declared() -> None:
    """Hooks need a connection type and a default connection name."""
    none = Component("a.StoreHook", Kind.HOOK, "a")
    assert messages(RULES["hook-connection-declared"](none, Catalog())) == [
        ("hook StoreHook does not declare conn_type", 0),
        ("hook StoreHook does not declare default_conn_name", 0),
    ]
    half = Component("a.StoreHook", Kind.HOOK, "a", connection=Connection(conn_type="store"))
    assert len(RULES["hook-connection-declared"](half, Catalog())) == 1
    operator_ = Component("a.StoreOperator", Kind.OPERATOR, "a")
    assert RULES["hook-connection-declared"](operator_, Catalog()) == []


def test_no_hook_in_init(source: Path) -> None:
    """A hook made in ``__init__`` is reported at its call; ``execute`` may make hooks."""
    component = operator(source)
    catalog = Catalog(components=(Component("acme.ops.StoreHook", Kind.HOOK, "acme"),))
    found = RULES["no-hook-in-init"](component, catalog)
    assert [v.line for v in found] == [14]
    assert found[0].message.startswith("__init__ creates a hook (StoreHook)")


def test_execute_documented(source: Path) -> None:
    """An own ``execute`` needs a docstring; none of its own is fine."""
    assert messages(RULES["execute-documented"](operator(source), Catalog())) == [
        ("ArchiveOperator.execute() has no docstring", 17)
    ]
    documented = operator(source, name="DocumentedOperator")
    assert RULES["execute-documented"](documented, Catalog()) == []
    assert RULES["execute-documented"](operator(source, name="StoreHook"), Catalog()) == []


def test_class_node_without_source() -> None:
    """No source file, no class."""
    assert rules.class_node(Component("a.B", Kind.OPERATOR, "a")) is None
    assert rules.own_method(Component("a.B", Kind.OPERATOR, "a"), "execute") is None
