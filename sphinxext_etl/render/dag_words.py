"""What a DAG page says in words: durations, retries and callbacks, the systems a task
touches, its own documentation as reST, and links to assets and other DAGs. Pure functions
of the model; each returns reST (escaped where it holds the model's text)."""

from __future__ import annotations

import hashlib
import json
import re
import textwrap
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sphinxext_etl.model import Component, Kind
from sphinxext_etl.model.dags import Asset, Callback, ConnectionUse, FailurePolicy, Task
from sphinxext_etl.render.catalog import class_token
from sphinxext_etl.render.schedule import duration_parts
from sphinxext_etl.render.text import escaped, link, literal, xref

#: The label prefix of an asset's entry on the Assets page.
ASSET_LABEL = "etl-asset-"

_EVENTS = {
    "failure": "On failure",
    "retry": "On retry",
    "success": "On success",
    "execute": "On start",
    "skipped": "On skip",
}
#: Words in a connection parameter's name that say which way data moves.
_READ_WORDS = frozenset({"source", "src", "from", "input", "in"})
_WRITE_WORDS = frozenset({"target", "destination", "dest", "to", "output", "out", "sink"})


def duration_words(seconds: float) -> str:
    """``300`` -> ``5 minutes``; ``5400`` -> ``1 hour 30 minutes``: the two largest units."""
    if seconds <= 0:
        return "no time"
    parts = duration_parts(seconds)
    return " ".join(parts[:2]) if parts else f"{seconds:g} seconds"


def retry_words(policy: FailurePolicy) -> str:
    """``2 retries, 5 minutes apart``; ``""`` where the retries are not known."""
    if policy.retries is None:
        return ""
    if policy.retries == 0:
        return "No retries"
    words = f"{policy.retries} retr{'y' if policy.retries == 1 else 'ies'}"
    if policy.retry_delay:
        words += f", {duration_words(policy.retry_delay)} apart"
    if policy.retry_exponential_backoff:
        words += ", each wait longer than the last"
    return words


def callback_fields(
    callbacks: Iterable[Callback], by_path: Mapping[str, Component]
) -> list[tuple[str, str]]:
    """``(On failure, what runs)`` per event, in Airflow's order of events: each callback by
    its class or function, linked where the catalog has it, with its target."""
    found: dict[str, list[str]] = {}
    for callback in callbacks:
        shown = xref(callback.path) if callback.path in by_path else literal(callback.path)
        target = f" to {literal(callback.target)}" if callback.target else ""
        found.setdefault(callback.event, []).append(shown + target)
    return [
        (_EVENTS.get(event, f"On {event}"), "; ".join(found[event]))
        for event in [*_EVENTS, *sorted(set(found) - set(_EVENTS))]
        if event in found
    ]


def emails(addresses: Iterable[str]) -> str:
    return ", ".join(link(a, f"mailto:{a}") if "@" in a else escaped(a) for a in addresses)


def owners_text(owners: Iterable[str], links: Iterable[tuple[str, str]]) -> str:
    """The owners, each linked where ``owner_links`` gives a link."""
    urls = dict(links)
    return ", ".join(link(o, urls[o]) if o in urls else escaped(o) for o in owners)


def failure_fields(
    policy: FailurePolicy, by_path: Mapping[str, Component]
) -> list[tuple[str, str]]:
    """A DAG's failure policy as ``(field name, reST)`` pairs, in reading order."""
    fields = [("Retries", escaped(retry_words(policy)))]
    if policy.execution_timeout:
        fields.append(("Task timeout", f"{duration_words(policy.execution_timeout)} per try"))
    if policy.run_timeout:
        fields.append(("Run timeout", duration_words(policy.run_timeout)))
    fields += callback_fields(policy.callbacks, by_path)
    fields.append(("E-mail", emails(policy.email)))
    return [(name, value) for name, value in fields if value]


def task_failure_words(
    task: FailurePolicy | None, dag: FailurePolicy, by_path: Mapping[str, Component]
) -> str:
    """How a task's policy differs from its DAG's defaults, as one sentence (``""``: none)."""
    if task is None:
        return ""
    parts: list[str] = []
    retries = (task.retries, task.retry_delay, task.retry_exponential_backoff)
    if retries != (dag.retries, dag.retry_delay, dag.retry_exponential_backoff):
        own = FailurePolicy(
            retries=task.retries if task.retries is not None else dag.retries,
            retry_delay=task.retry_delay if task.retry_delay is not None else dag.retry_delay,
            retry_exponential_backoff=task.retry_exponential_backoff,
        )
        parts.append(escaped(retry_words(own)).lower())
    if task.execution_timeout != dag.execution_timeout:
        parts.append(
            f"times out after {duration_words(task.execution_timeout)} per try"
            if task.execution_timeout
            else "no time limit"
        )
    if set(task.callbacks) != set(dag.callbacks):
        parts += [
            f"{event.lower()}: {what}" for event, what in callback_fields(task.callbacks, by_path)
        ]
    if set(task.email) != set(dag.email):
        parts.append(f"e-mails {emails(task.email)}" if task.email else "no e-mail")
    parts = [p for p in parts if p]
    return f"Unlike the DAG's defaults: {'; '.join(parts)}." if parts else ""


# --- Systems ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SystemUse:
    """A connection a task uses, with the hook it stands for and which way data moves."""

    conn_id: str
    #: The hook component, where the catalog has it.
    hook: Component | None = None
    #: ``read``, ``write`` or ``""`` (not known).
    role: str = ""

    @property
    def hook_title(self) -> str:
        if self.hook is None:
            return ""
        return (self.hook.connection and self.hook.connection.hook_name) or self.hook.name

    def text(self, detailed: bool = False) -> str:
        """``acme_warehouse`` (Postgres), the hook's name linked to its page; ``detailed``
        adds the hook class and the connection type."""
        shown = literal(self.conn_id)
        if self.hook is None:
            return shown
        if not detailed:
            return f"{shown} ({self.hook_link(self.hook_title)})"
        facts = [self.hook_link(self.hook.name)]
        if self.hook.conn_type:
            facts.append(f"type {literal(self.hook.conn_type)}")
        return f"{shown} ({', '.join(facts)})"

    def hook_link(self, title: str) -> str:
        assert self.hook is not None
        return f":etl-class:`{role_title(title)} <{self.hook.path}>`"


def role_title(text: str) -> str:
    """Text made safe as a role's explicit title."""
    return re.sub(r"([\\`<>])", r"\\\1", " ".join(text.split()))


#: ``conn_name_attr -> hooks``: the hooks that take a connection by that parameter name.
HooksByParameter = Mapping[str, tuple[Component, ...]]


def hooks_by_parameter(by_path: Mapping[str, Component]) -> dict[str, tuple[Component, ...]]:
    found: dict[str, tuple[Component, ...]] = {}
    for component in by_path.values():
        if component.kind is Kind.HOOK and component.connection is not None:
            attribute = component.connection.conn_name_attr
            found[attribute] = (*found.get(attribute, ()), component)
    return found


def hook_of(
    use: ConnectionUse,
    component: Component | None,
    by_path: Mapping[str, Component],
    by_parameter: HooksByParameter,
) -> Component | None:
    """The hook a connection id is for: among the hooks the operator uses, the one whose
    connection attribute is the parameter's name, else the only one whose attribute names no
    other parameter of the operator (``metrics_conn_id`` is not ``conn_id``'s hook), else
    the catalog's hook that takes that parameter (``http_conn_id``), where the hooks that do
    are of one connection type."""
    if component is None:
        return None
    if component.kind is Kind.HOOK:
        return component
    hooks = {h: by_path[h].connection for h in component.uses_hooks if h in by_path}
    attributes = {h: c.conn_name_attr for h, c in hooks.items() if c is not None}
    named = [h for h, attribute in attributes.items() if attribute == use.parameter]
    if named:
        return by_path[named[0]]
    free = [h for h, attribute in attributes.items() if component.parameter(attribute) is None]
    if len(free) == 1:
        return by_path[free[0]]
    # Hooks of one connection type (HttpHook, HttpAsyncHook) mean the same system: the
    # plainest names it.
    anywhere = by_parameter.get(use.parameter, ()) if use.parameter else ()
    if len({h.conn_type for h in anywhere}) != 1:
        return None
    return min(anywhere, key=lambda h: (len(h.name), h.path))


def _squashed(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def connection_role(use: ConnectionUse, component: Component | None) -> str:
    """``read`` or ``write`` where the parameter's name says so (``source_conn_id``), or, for a
    transfer, names its source or target system (``sqlite_conn_id``); else ``""``."""
    words = set(use.parameter.lower().split("_")) - {"conn", "id"}
    if words & _READ_WORDS:
        return "read"
    if words & _WRITE_WORDS:
        return "write"
    if component is None or component.kind is not Kind.TRANSFER:
        return ""
    head = _squashed(use.parameter.lower().split("_")[0])
    source, target = _squashed(component.source_system), _squashed(component.target_system)
    for system, role in ((source, "read"), (target, "write")):
        if head and system and (system.startswith(head) or head.startswith(system)):
            return role
    return ""


def system_uses(
    task: Task,
    component: Component | None,
    by_path: Mapping[str, Component],
    by_parameter: HooksByParameter,
) -> list[SystemUse]:
    return [
        SystemUse(
            use.conn_id,
            hook_of(use, component, by_path, by_parameter),
            connection_role(use, component),
        )
        for use in task.connections
    ]


def systems_sentence(uses: Iterable[SystemUse], detailed: bool = False) -> str:
    """``Reads from a (SQLite); writes to b (Postgres)`` where the direction is known, else
    ``Systems: a (SQLite) · b (Postgres)``; each connection once per direction."""
    by_role: dict[str, dict[str, SystemUse]] = {"read": {}, "write": {}, "": {}}
    for use in uses:
        by_role[use.role].setdefault(use.conn_id, use)
    directed = {*by_role["read"], *by_role["write"]}
    others = [use for conn_id, use in by_role[""].items() if conn_id not in directed]

    def listed(found: Iterable[SystemUse]) -> str:
        return " · ".join(use.text(detailed) for use in found)

    if not directed:
        return f"Systems: {listed(others)}" if others else ""
    parts = [
        f"{verb} {listed(by_role[role].values())}"
        for role, verb in (("read", "Reads from"), ("write", "writes to"))
        if by_role[role]
    ]
    if others:
        parts.append(f"also uses {listed(others)}")
    sentence = "; ".join(parts)
    return sentence[0].upper() + sentence[1:]


# --- Documentation, assets and DAG links -----------------------------------------------------


def doc_block(text: str, doc_format: str, heading_level: int = 0) -> str:
    """A ``doc_md`` or task doc as reST: Markdown through ``etl-markdown`` (its headings at
    ``heading_level``, where given), reST as written, JSON and YAML as code, anything else
    as escaped paragraphs."""
    text = textwrap.dedent(text).strip("\n")
    if not text.strip():
        return ""
    if doc_format == "markdown":
        level = f"\n   :heading-level: {heading_level}" if heading_level else ""
        return f".. etl-markdown::{level}\n\n" + textwrap.indent(text, "   ")
    if doc_format == "rst":
        return text
    if doc_format in {"json", "yaml"}:
        language = doc_format if doc_format == "yaml" or _is_json(text) else "text"
        return f".. code-block:: {language}\n\n" + textwrap.indent(text, "   ")
    paragraphs = re.split(r"\n\s*\n", text)
    return "\n\n".join(escaped(p) for p in paragraphs if p.strip())


def _is_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True


def first_sentence(text: str, limit: int = 200) -> str:
    """The first paragraph of a doc as plain text (a graph node's tooltip)."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    # A Markdown heading names the doc; the first paragraph after it says what it does.
    paragraph = next((p for p in paragraphs if not p.startswith("#")), "")
    words = " ".join(line.strip() for line in paragraph.splitlines())
    words = re.sub(r"[`*]|:[\w:+-]+:", "", words)
    return words if len(words) <= limit else words[: limit - 1].rsplit(" ", 1)[0] + "…"


def asset_label(asset: Asset) -> str:
    """The label of an asset's entry on the Assets page: readable, and unique by a digest of
    its key (two keys that read alike still get two labels)."""
    readable = class_token(asset.key)[:48].strip("-")
    digest = hashlib.sha1(asset.key.encode(), usedforsecurity=False).hexdigest()[:8]
    return f"{ASSET_LABEL}{readable}-{digest}" if readable else f"{ASSET_LABEL}{digest}"


def asset_ref(asset: Asset) -> str:
    return f":ref:`{role_title(asset.title)} <{asset_label(asset)}>`"


def dag_link(dag_id: str, docnames: Mapping[str, str]) -> str:
    """A DAG's page from a page in the same folder, or its id where the site has no page."""
    docname = docnames.get(dag_id)
    if docname is None:
        return literal(dag_id)
    return f":doc:`{role_title(dag_id)} <{docname.rpartition('/')[2]}>`"
