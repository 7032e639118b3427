"""The ``etl-parameters`` directive: a component's parameters as a definition list, built as
nodes from the catalog where the page is read; only each description, docstring prose, is
parsed as markup. A page is read again when the list it built would now come out differently
(the generated page holds only the component's path)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx import addnodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from sphinxext_etl.build.data import DocRecords, data_of, digest
from sphinxext_etl.directives.docstring import component_at
from sphinxext_etl.render.reference import ParameterRow, parameter_rows

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

logger = logging.getLogger(__name__)


def badge(label: str, variant: str) -> nodes.inline:
    """What ``:etl-badge:`label <variant>``` gives."""
    return nodes.inline(label, label, classes=["etl-badge", f"etl-badge-{nodes.make_id(variant)}"])


def class_reference(path: str) -> addnodes.pending_xref:
    """What ``:etl-class:`~path``` gives: a ``py:class`` reference shown as the class's name,
    which links where the site (or intersphinx) knows the class and is quiet text otherwise."""
    shown = path.rpartition(".")[2]
    xref = addnodes.pending_xref(
        "",
        refdomain="py",
        reftype="class",
        reftarget=path,
        refexplicit=True,
        refwarn=False,
        etl_quiet=True,
    )
    xref += nodes.literal(shown, shown, classes=["xref", "py", "py-class"])
    return xref


def term_parts(row: ParameterRow) -> list[str | nodes.Node]:
    """The parameter's line: ``name (annotation, default value) badge badge``."""
    facts: list[str | nodes.Node] = []
    if row.annotation:
        facts += [nodes.literal(row.annotation, row.annotation)]
    if row.default:
        facts += [", default " if facts else "default ", nodes.literal(row.default, row.default)]
    parts: list[str | nodes.Node] = [nodes.literal(row.name, row.name)]
    if facts:
        parts += [" (", *facts, ")"]
    for label, variant in row.badges:
        parts += [" ", badge(label, variant)]
    return parts


def joined(parts: list[str | nodes.Node]) -> list[nodes.Node]:
    """``parts`` as nodes, neighbouring strings as one text node (as docutils parses them)."""
    found: list[nodes.Node] = []
    for part in parts:
        if isinstance(part, str) and found and isinstance(found[-1], nodes.Text):
            found[-1] = nodes.Text(found[-1] + part)
        else:
            found.append(nodes.Text(part) if isinstance(part, str) else part)
    return found


def rows_digest(env: BuildEnvironment, path: str) -> str:
    """A fingerprint of the list the component at ``path`` shows ("" for an unknown path)."""
    component = component_at(env, path)
    return digest(repr(parameter_rows(component))) if component else ""


class Parameters(SphinxDirective):
    """``.. etl-parameters:: <dotted path>``: the parameter list of the component at that path
    (a ``definition_list`` with the ``etl-parameters`` class)."""

    required_arguments = 1
    option_spec: ClassVar[dict[str, Any]] = {"class": directives.class_option}

    def run(self) -> list[nodes.Node]:
        path = self.arguments[0]
        component = component_at(self.env, path)
        built = BUILT.of(self.env).setdefault(self.env.docname, {})
        built[path] = (data_of(self.env).inputs_key, rows_digest(self.env, path))
        if component is None:
            logger.warning(
                "etl-parameters: no component %s in this build",
                path,
                location=self.get_location(),
                type="etl",
                subtype="reference",
            )
            return []
        found = nodes.definition_list(classes=["etl-parameters", *self.options.get("class", [])])
        self.set_source_info(found)
        messages: list[nodes.system_message] = []
        for row in parameter_rows(component):
            term = nodes.term("", "", *joined(term_parts(row)))
            definition = nodes.definition("", self.description(row.description, messages))
            if row.defined_in:
                parts = ["Defined in ", class_reference(row.defined_in), "."]
                definition += nodes.paragraph("", "", *joined(parts))
            found += nodes.definition_list_item("", term, definition)
        for node in found.findall(lambda n: not isinstance(n, nodes.Text)):
            self.set_source_info(node)
        return [found, *messages]

    def description(self, text: str, messages: list[nodes.system_message]) -> nodes.paragraph:
        """The description, one paragraph of inline markup (as render.text.inline makes every
        docstring's text): parsed as that, without a nested state machine per parameter."""
        children, problems = self.state.inline_text(text, self.lineno)
        messages.extend(problems)
        return nodes.paragraph(text, "", *children)


# --- incremental and parallel builds ----------------------------------------------------------


def _rows_changed(env: BuildEnvironment, built: dict[str, tuple[str, str]]) -> bool:
    """Whether any list a page built would now differ: built again unless it comes from the
    same inputs (the cached records among them)."""
    inputs = data_of(env).inputs_key
    return any(
        not (inputs and old_inputs == inputs) and rows_digest(env, path) != old_digest
        for path, (old_inputs, old_digest) in built.items()
    )


#: ``docname -> {component path -> (render inputs, digest of the rows it built)}``.
BUILT: DocRecords[dict[str, tuple[str, str]]] = DocRecords("parameter_rows", _rows_changed)


def setup(app: Sphinx) -> None:
    app.add_directive("etl-parameters", Parameters)
