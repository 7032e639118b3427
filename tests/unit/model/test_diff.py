"""``model.diff``: every kind of change, its severity, overrides, and what is not a change."""

from __future__ import annotations

import dataclasses
import random

import pytest

from sphinxext_etl.model import (
    Catalog,
    Component,
    Connection,
    Deprecation,
    Kind,
    Parameter,
    Provider,
)
from sphinxext_etl.model.dags import Dag, Schedule, ScheduleKind
from sphinxext_etl.model.diff import (
    CHANGE_KINDS,
    DAGS_OWNER,
    CatalogDiff,
    OwnerVersions,
    Severity,
    diff,
    severity_table,
)

OWNER = "acme_platform"
PATH = "acme_platform.operators.load.LoadOperator"
CONN = Connection(conn_type="acme", default_conn_name="acme_default")

#: The table as the docs state it; a change here is a decision, so it is spelled out.
EXPECTED_SEVERITIES = {
    "component-removed": "breaking",
    "component-kind-changed": "breaking",
    "component-moved": "warning",
    "component-deprecated": "warning",
    "component-template-ext-changed": "warning",
    "connection-type-changed": "warning",
    "connection-default-changed": "warning",
    "component-added": "info",
    "component-reclassified": "info",
    "component-undeprecated": "info",
    "transfer-source-changed": "info",
    "transfer-target-changed": "info",
    "parameter-removed": "breaking",
    "parameter-added-required": "breaking",
    "parameter-became-required": "breaking",
    "parameter-default-changed": "warning",
    "parameter-type-changed": "warning",
    "parameter-templated-removed": "warning",
    "parameter-deprecated": "warning",
    "parameter-added-optional": "info",
    "parameter-became-optional": "info",
    "parameter-templated-added": "info",
    "parameter-undeprecated": "info",
    "dag-removed": "warning",
    "dag-schedule-changed": "warning",
    "dag-added": "info",
}


def param(name: str = "table", **fields: object) -> Parameter:
    values: dict[str, object] = {"annotation": "str", "default": "None"}
    values.update(fields)
    if values.get("required"):
        values["default"] = ""
    return Parameter(name, **values)  # type: ignore[arg-type]


def component(path: str = PATH, *parameters: Parameter, **fields: object) -> Component:
    values: dict[str, object] = {"kind": Kind.OPERATOR, "owner": OWNER, "owner_version": "1.0"}
    values.update(fields)
    return Component(path, parameters=parameters or (param(),), **values)  # type: ignore[arg-type]


def catalog(*components: Component, dags: tuple[Dag, ...] = ()) -> Catalog:
    return Catalog(components=components, dags=dags)


def dag(dag_id: str = "daily_orders", cron: str = "0 2 * * *") -> Dag:
    return Dag(dag_id, "dags/orders.py", 1, schedule=Schedule(ScheduleKind.CRON, cron, cron))


def changes_of(old: Component | Catalog, new: Component | Catalog) -> list[tuple[str, str]]:
    before = old if isinstance(old, Catalog) else catalog(old)
    after = new if isinstance(new, Catalog) else catalog(new)
    return [(c.kind, c.parameter) for c in diff(before, after).changes]


HOOK = "acme_platform.hooks.acme.AcmeHook"
TRANSFER = "acme_platform.transfers.a_to_b.AToBOperator"
WARNED = Deprecation("Use NewOperator.", "NewOperator")

#: ``kind id -> (old, new)``: the smallest pair of catalogs that shows each kind of change.
CASES: dict[str, tuple[Catalog, Catalog]] = {
    "component-removed": (catalog(component()), catalog()),
    "component-added": (catalog(), catalog(component())),
    "component-moved": (
        catalog(component()),
        catalog(component("acme_platform.operators.loading.LoadOperator")),
    ),
    "component-kind-changed": (
        catalog(component(kind=Kind.SENSOR)),
        catalog(component(kind=Kind.OPERATOR)),
    ),
    "component-reclassified": (
        catalog(component(kind=Kind.OPERATOR)),
        catalog(component(kind=Kind.TRANSFER)),
    ),
    "component-deprecated": (catalog(component()), catalog(component(deprecation=WARNED))),
    "component-undeprecated": (catalog(component(deprecation=WARNED)), catalog(component())),
    "component-template-ext-changed": (
        catalog(component(template_ext=(".sql",))),
        catalog(component(template_ext=(".sql", ".json"))),
    ),
    "connection-type-changed": (
        catalog(component(HOOK, kind=Kind.HOOK, connection=CONN)),
        catalog(
            component(HOOK, kind=Kind.HOOK, connection=dataclasses.replace(CONN, conn_type="x"))
        ),
    ),
    "connection-default-changed": (
        catalog(component(HOOK, kind=Kind.HOOK, connection=CONN)),
        catalog(
            component(
                HOOK, kind=Kind.HOOK, connection=dataclasses.replace(CONN, default_conn_name="y")
            )
        ),
    ),
    "transfer-source-changed": (
        catalog(component(TRANSFER, kind=Kind.TRANSFER, source_system="A", target_system="B")),
        catalog(component(TRANSFER, kind=Kind.TRANSFER, source_system="Z", target_system="B")),
    ),
    "transfer-target-changed": (
        catalog(component(TRANSFER, kind=Kind.TRANSFER, source_system="A", target_system="B")),
        catalog(component(TRANSFER, kind=Kind.TRANSFER, source_system="A", target_system="Z")),
    ),
    "parameter-added-optional": (
        catalog(component(PATH, param())),
        catalog(component(PATH, param(), param("schema"))),
    ),
    "parameter-added-required": (
        catalog(component(PATH, param())),
        catalog(component(PATH, param(), param("schema", required=True))),
    ),
    "parameter-removed": (
        catalog(component(PATH, param(), param("schema"))),
        catalog(component(PATH, param())),
    ),
    "parameter-became-required": (
        catalog(component(PATH, param())),
        catalog(component(PATH, param(required=True))),
    ),
    "parameter-became-optional": (
        catalog(component(PATH, param(required=True))),
        catalog(component(PATH, param())),
    ),
    "parameter-default-changed": (
        catalog(component(PATH, param(default="'public'"))),
        catalog(component(PATH, param(default="'staging'"))),
    ),
    "parameter-type-changed": (
        catalog(component(PATH, param(annotation="str"))),
        catalog(component(PATH, param(annotation="list[str]"))),
    ),
    "parameter-templated-added": (
        catalog(component(PATH, param())),
        catalog(component(PATH, param(templated=True))),
    ),
    "parameter-templated-removed": (
        catalog(component(PATH, param(templated=True))),
        catalog(component(PATH, param())),
    ),
    "parameter-deprecated": (
        catalog(component(PATH, param())),
        catalog(component(PATH, param(deprecation=Deprecation("Use target.", "target")))),
    ),
    "parameter-undeprecated": (
        catalog(component(PATH, param(deprecation=Deprecation("Use target.", "target")))),
        catalog(component(PATH, param())),
    ),
    "dag-removed": (catalog(component(), dags=(dag(),)), catalog(component())),
    "dag-added": (catalog(component()), catalog(component(), dags=(dag(),))),
    "dag-schedule-changed": (
        catalog(component(), dags=(dag(),)),
        catalog(component(), dags=(dag(cron="30 1 * * *"),)),
    ),
}


def test_every_kind_of_change_has_a_case() -> None:
    assert set(CASES) == {kind.id for kind in CHANGE_KINDS}


@pytest.mark.parametrize("kind_id", sorted(CASES))
def test_each_case_is_exactly_its_kind_of_change(kind_id: str) -> None:
    result = diff(*CASES[kind_id])
    assert [c.kind for c in result.changes] == [kind_id]
    change = result.changes[0]
    assert change.severity.value == EXPECTED_SEVERITIES[kind_id]
    assert change.owner == (DAGS_OWNER if kind_id.startswith("dag-") else OWNER)
    assert change.message


def test_the_builtin_table_is_the_documented_one() -> None:
    assert {k: s.value for k, s in severity_table().items()} == EXPECTED_SEVERITIES


@pytest.mark.parametrize(
    ("kind_id", "parameter", "old", "new"),
    [
        ("parameter-default-changed", "table", "'public'", "'staging'"),
        ("parameter-type-changed", "table", "str", "list[str]"),
        ("parameter-became-required", "table", "None", None),
        ("component-kind-changed", "", "sensor", "operator"),
        ("component-template-ext-changed", "", ".sql", ".sql, .json"),
        ("connection-default-changed", "", "acme_default", "y"),
        ("transfer-source-changed", "", "A", "Z"),
        ("component-deprecated", "", None, "Use NewOperator."),
    ],
)
def test_changes_keep_the_old_and_new_values(
    kind_id: str, parameter: str, old: str | None, new: str | None
) -> None:
    (change,) = diff(*CASES[kind_id]).changes
    assert (change.parameter, change.old, change.new) == (parameter, old, new)


def test_messages_say_what_changed() -> None:
    messages = {kind: diff(*CASES[kind]).changes[0].message for kind in CASES}
    assert messages["parameter-default-changed"] == (
        "parameter 'table' default changed from 'public' to 'staging'"
    )
    assert messages["component-deprecated"] == (
        "operator LoadOperator deprecated: Use NewOperator."
    )
    assert messages["parameter-deprecated"] == "parameter 'table' deprecated: Use target."
    assert messages["parameter-added-required"] == "required parameter 'schema' added"
    assert messages["component-removed"] == "operator LoadOperator removed"


# --- overrides ----------------------------------------------------------------------------------


def test_a_replacement_the_message_does_not_name_is_added() -> None:
    old = component(PATH, param())
    new = component(PATH, param(deprecation=Deprecation("Going away.", "target")))
    (change,) = diff(catalog(old), catalog(new)).changes
    assert change.message == "parameter 'table' deprecated: Going away. (use target instead)"


def test_an_override_changes_the_severity_of_one_kind() -> None:
    result = diff(
        *CASES["parameter-default-changed"], severities={"parameter-default-changed": "breaking"}
    )
    assert result.changes[0].severity is Severity.BREAKING
    assert severity_table({"parameter-default-changed": "breaking"})["parameter-type-changed"] is (
        Severity.WARNING
    )


def test_an_override_may_lower_a_severity() -> None:
    result = diff(*CASES["component-removed"], severities={"component-removed": "INFO"})
    assert result.worst is Severity.INFO


def test_an_unknown_kind_id_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match=r"unknown change kind 'default-changed'.*component-"):
        diff(catalog(), catalog(), severities={"default-changed": "breaking"})


def test_an_unknown_severity_is_a_clear_error() -> None:
    with pytest.raises(
        ValueError, match=r"parameter-removed: unknown severity 'fatal': use one of breaking"
    ):
        severity_table({"parameter-removed": "fatal"})


# --- what is not a change -----------------------------------------------------------------------


def default_change(old: str, new: str) -> list[tuple[str, str]]:
    return changes_of(component(PATH, param(default=old)), component(PATH, param(default=new)))


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("<object object at 0x7f3a2c1b9e40>", "<object object at 0x7f99aa001230>"),
        ("<object object at 0x7f3a2c1b9e40>", "<object object>"),
        ("{'a', 'b'}", "{'b', 'a'}"),
        ("frozenset({'SUCCESS', 'FAILED'})", "frozenset({'FAILED', 'SUCCESS'})"),
        ("({'x', 'y'}, 1)", "({'y', 'x'}, 1)"),
    ],
)
def test_defaults_that_differ_only_in_address_or_set_order_are_not_changes(
    old: str, new: str
) -> None:
    assert default_change(old, new) == []


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("{'a': 1, 'b': 2}", "{'b': 2, 'a': 1}"),  # dicts keep their order
        ("[1, 2]", "[2, 1]"),
        ("{'a', 'b'}", "{'a', 'c'}"),
        ("<Sentinel object at 0x1>", "<Other object at 0x1>"),
    ],
)
def test_other_default_differences_are_changes(old: str, new: str) -> None:
    assert default_change(old, new) == [("parameter-default-changed", "table")]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("Optional[str]", "str | None"),
        ("Union[int, str, None]", "None | str | int"),
        ("typing.List[str]", "list[str]"),
        ("Optional['Connection']", "Connection | None"),
    ],
)
def test_annotations_spelled_differently_are_not_changes(old: str, new: str) -> None:
    assert (
        changes_of(component(PATH, param(annotation=old)), component(PATH, param(annotation=new)))
        == []
    )


def test_literal_values_keep_their_quotes() -> None:
    old, new = "Literal['a']", "Literal[a]"
    assert changes_of(
        component(PATH, param(annotation=old)), component(PATH, param(annotation=new))
    ) == [("parameter-type-changed", "table")]


def test_an_annotation_appearing_is_not_a_change() -> None:
    assert changes_of(component(PATH, param(annotation="")), component(PATH, param())) == []


def test_variadic_catch_alls_are_not_parameters() -> None:
    kwargs = param("kwargs", variadic=True, default="", annotation="")
    args = param("args", variadic=True, default="", annotation="")
    assert changes_of(component(PATH, param(), kwargs), component(PATH, param(), args)) == []


def test_becoming_required_is_not_also_a_default_change() -> None:
    assert changes_of(*(c.components[0] for c in CASES["parameter-became-required"])) == [
        ("parameter-became-required", "table")
    ]


def test_a_connection_fact_appearing_is_not_a_change() -> None:
    old = component(HOOK, kind=Kind.HOOK, connection=None)
    assert changes_of(old, component(HOOK, kind=Kind.HOOK, connection=CONN)) == []


def test_a_connection_type_going_away_is_a_change() -> None:
    old = component(HOOK, kind=Kind.HOOK, connection=CONN)
    new = component(HOOK, kind=Kind.HOOK, connection=dataclasses.replace(CONN, conn_type=""))
    (change,) = diff(catalog(old), catalog(new)).changes
    assert (change.kind, change.old, change.new) == ("connection-type-changed", "acme", None)
    assert change.message == "connection type 'acme' gone"


def test_template_ext_order_is_not_a_change() -> None:
    old = component(template_ext=(".sql", ".hql"))
    assert changes_of(old, component(template_ext=(".hql", ".sql"))) == []


def test_transfer_ends_compare_only_between_transfers() -> None:
    old = component(TRANSFER, kind=Kind.OPERATOR, source_system="A")
    new = component(TRANSFER, kind=Kind.TRANSFER, source_system="B")
    assert changes_of(old, new) == [("component-reclassified", "")]


# --- moves --------------------------------------------------------------------------------------

NEW_PATH = "acme_platform.operators.loading.LoadOperator"


def test_a_move_is_one_change_at_the_new_path_with_the_old_path_kept() -> None:
    (change,) = diff(*CASES["component-moved"]).changes
    assert (change.component, change.old, change.new) == (NEW_PATH, PATH, NEW_PATH)
    assert change.message == f"moved from {PATH}"
    assert PATH in change.note


def test_a_moved_class_is_compared_with_its_old_self() -> None:
    old = component(PATH, param())
    new = component(NEW_PATH, param(), param("schema", required=True))
    result = diff(catalog(old), catalog(new))
    assert [(c.kind, c.component) for c in result.changes] == [
        ("component-moved", NEW_PATH),
        ("parameter-added-required", NEW_PATH),
    ]


def test_a_class_that_changed_owner_is_not_a_move() -> None:
    new = component(NEW_PATH, owner="acme_other")
    assert sorted(changes_of(component(), new)) == [
        ("component-added", ""),
        ("component-removed", ""),
    ]


def test_an_ambiguous_move_is_reported_as_removals_and_additions() -> None:
    old = catalog(component(), component("acme_platform.legacy.LoadOperator"))
    new = catalog(component(NEW_PATH))
    assert sorted(changes_of(old, new)) == [
        ("component-added", ""),
        ("component-removed", ""),
        ("component-removed", ""),
    ]


# --- the result ---------------------------------------------------------------------------------


def mixed_catalogs() -> tuple[Catalog, Catalog]:
    old = catalog(
        component(PATH, param(), param("schema")),
        component(HOOK, kind=Kind.HOOK, connection=CONN),
    )
    new = catalog(
        component(PATH, param(default="'x'"), param("mode"), owner_version="2.0"),
        component("acme_platform.sensors.wait.WaitSensor", kind=Kind.SENSOR),
    )
    return old, new


def mixed_diff() -> CatalogDiff:
    return diff(*mixed_catalogs())


def shuffled(catalog: Catalog, seed: int) -> Catalog:
    """The same catalog with its components and their parameters in another order."""
    rng = random.Random(seed)
    components = [
        dataclasses.replace(c, parameters=tuple(rng.sample(c.parameters, len(c.parameters))))
        for c in catalog.components
    ]
    return Catalog(components=tuple(rng.sample(components, len(components))))


def test_identical_catalogs_have_no_changes() -> None:
    same = catalog(component(), component(HOOK, kind=Kind.HOOK, connection=CONN))
    result = diff(same, same)
    assert not result
    assert result.worst is None
    assert result.counts == {Severity.BREAKING: 0, Severity.WARNING: 0, Severity.INFO: 0}


def test_changes_are_sorted_whatever_the_input_order() -> None:
    result = mixed_diff()
    assert [(c.component.rpartition(".")[2], c.parameter, c.kind) for c in result.changes] == [
        ("AcmeHook", "", "component-removed"),
        ("LoadOperator", "mode", "parameter-added-optional"),
        ("LoadOperator", "schema", "parameter-removed"),
        ("LoadOperator", "table", "parameter-default-changed"),
        ("WaitSensor", "", "component-added"),
    ]
    old, new = mixed_catalogs()
    for seed in range(5):
        assert diff(shuffled(old, seed), shuffled(new, seed + 10)) == result


def test_by_severity_counts_and_worst() -> None:
    result = mixed_diff()
    groups = result.by_severity()
    assert list(groups) == [Severity.BREAKING, Severity.WARNING, Severity.INFO]
    assert [c.kind for c in groups[Severity.BREAKING]] == [
        "component-removed",
        "parameter-removed",
    ]
    assert result.counts == {Severity.BREAKING: 2, Severity.WARNING: 1, Severity.INFO: 2}
    assert result.worst is Severity.BREAKING
    assert len(result.at_least(Severity.WARNING)) == 3
    assert len(result.at_least(Severity.INFO)) == 5


def test_owner_versions_come_from_both_catalogs() -> None:
    old = Catalog(components=(component(),))
    new = Catalog(components=(component(owner_version="2.0"), component(HOOK, owner="other")))
    assert diff(old, new).owners == (
        OwnerVersions(OWNER, "1.0", "2.0"),
        OwnerVersions("other", None, "1.0"),
    )
    assert diff(old, new).owner("other") == OwnerVersions("other", None, "1.0")


def test_owner_versions_prefer_what_the_provider_says() -> None:
    old = Catalog(providers=(Provider(OWNER, version="1.5"),), components=(component(),))
    assert diff(old, catalog()).owners == (OwnerVersions(OWNER, "1.5", None),)
