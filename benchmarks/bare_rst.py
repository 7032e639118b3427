"""The "bare" project of a benchmark: the documents an extension build read, written back as
plain reST for Sphinx alone (no extension; only Sphinx's own ``sphinx.ext.graphviz``).

Since the extension builds its data (catalog tables, parameter lists, facts) as nodes, the
generated ``.rst`` files hold only directives, so reducing *them* to plain reST (the way the
bare project was made before) leaves out most of what a page shows. This reads the doctrees the
extension build pickled instead, unpacks its packed catalog tables, and writes each page's
nodes as reST that parses back to the same structure: sections, paragraphs, inline markup,
lists, field and definition lists, tables (as ``list-table``), literal blocks, admonitions,
``py:class`` objects, cross-references in Sphinx's own roles, toctrees and graphs. What the
extension fills in at write time (agreement listings) becomes a comment, as before.

Run it with the Python of the extension build's venv (the doctrees hold its node classes)::

    python benchmarks/bare_rst.py SITE/_build/doctrees BARE_FOLDER

It prints the node types it had no rule for (written as their text), so drift shows.
"""

from __future__ import annotations

import pickle
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.ext.graphviz import graphviz

# The classes of the extension's own nodes in the pickles.
from sphinxext_etl.agreements.directives import agreement_index, applicable_agreements
from sphinxext_etl.directives.packed import etl_packed

#: Section underlines by depth; reST takes levels in the order it meets them.
UNDERLINES = "=-~^\"'`+#*"
#: Characters that start inline markup, or a block construct at a line's start.
_ESCAPE = str.maketrans({c: "\\" + c for c in "\\*`_|"})
#: What a paragraph may not start with unescaped (lists, comments, fields, transitions...).
_LEADING = "-+:.#>=~^\"'0123456789"
#: Sphinx's own roles, by (domain, type); other references are written as literals.
ROLES = {("py", t) for t in ("class", "mod", "func", "meth", "attr", "exc", "obj", "data")}
ROLES |= {("std", "ref"), ("std", "doc"), ("std", "term"), ("std", "envvar")}

unknown: Counter[str] = Counter()


def escaped(text: str) -> str:
    return text.replace("\n", " ").translate(_ESCAPE)


def paragraph(text: str) -> str:
    """A paragraph's text on one line, escaped where it would start or end a block construct."""
    if text and text[0] in _LEADING:
        text = "\\" + text
    return text[:-2] + "\\:\\:" if text.endswith("::") else text


def label(name: str) -> str:
    return f".. _`{name}`:" if ":" in name else f".. _{name}:"


def markup(start: str, text: str, end: str) -> str:
    """Inline markup, set off by escaped spaces so that it parses next to any character."""
    text = text.replace("\n", " ")
    if not text.strip() or text != text.strip() or ("`" in text and start.endswith("`")):
        return escaped(text)
    return f"\\ {start}{text}{end}\\ "


def inline(node: nodes.Node) -> str:
    """One inline node as reST (nested markup flattened to its text, as reST has none)."""
    if isinstance(node, nodes.Text):
        return escaped(str(node))
    assert isinstance(node, nodes.Element)
    text = node.astext()
    if isinstance(node, addnodes.pending_xref):
        role = (node.get("refdomain"), node.get("reftype"))
        if role in ROLES:
            target = node.get("reftarget", text).replace("`", "")
            if text.strip() and text != target and (node.get("refexplicit") or role[0] == "std"):
                target = f"{escaped(text)} <{target}>"
            elif role[0] == "py" and target.endswith(f".{text}"):
                target = f"~{target}"  # the last name shown, as the docstring wrote it
            return markup(f":{role[0]}:{role[1]}:`", target, "`")
        return markup("``", text, "``")
    if isinstance(node, nodes.literal):
        return markup("``", text, "``")
    if isinstance(node, (nodes.strong, addnodes.literal_strong)):
        return markup("**", text, "**")
    if isinstance(node, nodes.emphasis):
        return markup("*", text, "*")
    if isinstance(node, nodes.title_reference):
        return markup("`", text, "`")
    if isinstance(node, nodes.reference) and node.get("refuri"):
        uri = node["refuri"].replace("`", "%60").replace(">", "%3E")
        title = text.replace("`", "'").replace("<", "(").replace(">", ")") or uri
        return markup("`", f"{title} <{uri}>", "`__")
    if isinstance(node, nodes.target) and not node.children:
        return ""
    if not isinstance(node, (nodes.inline, nodes.reference, nodes.target, nodes.raw)):
        unknown[type(node).__name__] += 1
    return "".join(inline(child) for child in node.children)


def inlines(node: nodes.Element) -> str:
    return "".join(inline(child) for child in node.children).strip()


def indented(lines: list[str], by: int = 3) -> list[str]:
    return [" " * by + line if line else "" for line in lines]


def directive(name: str, argument: str = "", options: dict[str, str] | None = None) -> list[str]:
    lines = [f".. {name}::" + (f" {argument}" if argument else "")]
    lines += [f"   :{k}:" + (f" {v}" if v else "") for k, v in (options or {}).items()]
    return lines


def body(node: nodes.Element, depth: int) -> list[str]:
    """The block children of ``node``, a blank line between each."""
    lines: list[str] = []
    for child in node.children:
        part = block(child, depth)
        if part:
            lines += [*part, ""]
    return lines


def list_table(table: nodes.table, depth: int) -> list[str]:
    group = next(table.findall(nodes.tgroup))
    widths = [str(c.get("colwidth", 1)) for c in group.findall(nodes.colspec)]
    rows = [(head, row) for head in (True, False) for row in _rows(group, head)]
    options = {"widths": " ".join(widths), "header-rows": str(sum(h for h, _ in rows))}
    lines = [*directive("list-table", "", options), ""]
    for _head, row in rows:
        for index, entry in enumerate(row.findall(nodes.entry)):
            cell = body(entry, depth) or [""]
            marker = "   * - " if index == 0 else "     - "
            lines += [marker + cell[0], *indented(cell[1:], 7)]
    return lines


def _rows(group: nodes.tgroup, head: bool) -> Iterator[nodes.row]:
    kind = nodes.thead if head else nodes.tbody
    for part in group.children:
        if isinstance(part, kind):
            yield from (r for r in part.children if isinstance(r, nodes.row))


def block(node: nodes.Node, depth: int) -> list[str]:
    """One block node as reST lines."""
    if isinstance(node, nodes.Text):
        return [escaped(str(node))] if str(node).strip() else []
    assert isinstance(node, nodes.Element)
    if isinstance(node, nodes.section):
        title = inlines(node[0]) if node.children else ""
        implicit = nodes.fully_normalize_name(node[0].astext()) if node.children else ""
        names = [label(name) for name in node.get("names", []) if name != implicit]
        head = [*names, *([""] if names else []), title, UNDERLINES[depth] * max(len(title), 4)]
        return [*head, "", *body(node, depth + 1)]
    if isinstance(node, nodes.title):
        return []  # written with its section or admonition
    if isinstance(node, (nodes.paragraph, nodes.term)):
        return [paragraph(inlines(node))]
    if isinstance(node, nodes.rubric):
        return directive("rubric", inlines(node))
    if isinstance(node, nodes.doctest_block):
        return node.astext().splitlines()
    if isinstance(node, nodes.literal_block):
        language = node.get("language")
        head = directive("code-block", language) if language else ["::"]
        return [*head, "", *indented(node.astext().splitlines())]
    if isinstance(node, nodes.comment):
        return ["..", *indented(node.astext().splitlines())]
    if isinstance(node, nodes.bullet_list):
        return [line for item in node.children for line in _item("- ", item, depth)]
    if isinstance(node, nodes.enumerated_list):
        return [line for item in node.children for line in _item("#. ", item, depth)]
    if isinstance(node, nodes.definition_list):
        lines = []
        for item in node.children:
            term = next(item.findall(nodes.term))
            definition = next(item.findall(nodes.definition))
            lines += [paragraph(inlines(term)), *indented(body(definition, depth) or [".."]), ""]
        return lines
    if isinstance(node, nodes.field_list):
        lines = []
        for field in node.children:
            name, value = field.children
            cell = body(value, depth) or [""]
            shown = escaped(name.astext()).replace(":", "\\:")
            lines += [f":{shown}: {cell[0]}", *indented(cell[1:])]
        return lines
    if isinstance(node, nodes.table):
        return list_table(node, depth)
    if isinstance(node, nodes.target):
        if node.get("refuri"):
            return [f".. _{name}: {node['refuri']}" for name in node.get("names", [])]
        return [label(name) for name in node.get("names", [])]
    if isinstance(node, nodes.raw):
        content = indented(node.astext().splitlines())
        return [*directive("raw", node.get("format", "html")), "", *content]
    if isinstance(node, (nodes.note, nodes.warning, nodes.tip, nodes.important, addnodes.seealso)):
        return [*directive(node.tagname), "", *indented(body(node, depth))]
    if isinstance(node, nodes.admonition):
        title = inlines(node[0]) if isinstance(node[0], nodes.title) else "Note"
        return [*directive("admonition", title), "", *indented(body(node, depth))]
    if isinstance(node, nodes.container):
        classes = " ".join(node.get("classes", []))
        return [*directive("container", classes), "", *indented(body(node, depth) or [".."])]
    if isinstance(node, nodes.block_quote):
        return indented(body(node, depth))
    if isinstance(node, addnodes.toctree):
        return toctree(node)
    if isinstance(node, addnodes.only):
        return [*directive("only", node["expr"]), "", *indented(body(node, depth))]
    if isinstance(node, addnodes.desc):
        return py_object(node, depth)
    if isinstance(node, addnodes.index):
        return []  # the object directives below make their own
    if isinstance(node, nodes.transition):
        return []
    if isinstance(node, graphviz):
        options = {key: node[key] for key in ("alt", "caption", "align") if node.get(key)}
        return [*directive("graphviz", "", options), "", *indented(node["code"].splitlines())]
    if isinstance(node, etl_packed):
        return block(pickle.loads(node["subtree"]), depth)
    if isinstance(node, (applicable_agreements, agreement_index)):
        return [f".. {node.tagname}"]  # filled in at write time by the extension
    if isinstance(node, (nodes.compound, addnodes.versionmodified)):
        return body(node, depth)
    if any(isinstance(child, nodes.Body) for child in node.children):
        unknown[type(node).__name__] += 1
        return body(node, depth)
    unknown[type(node).__name__] += 1
    return [inlines(node)]


def _item(marker: str, item: nodes.Node, depth: int) -> list[str]:
    lines = body(item, depth) if isinstance(item, nodes.Element) else []
    lines = lines or [""]
    return [marker + lines[0], *indented(lines[1:], len(marker))]


def toctree(node: addnodes.toctree) -> list[str]:
    options = {"maxdepth": str(node.get("maxdepth", -1))}
    for flag in ("hidden", "titlesonly", "numbered"):
        if node.get(flag):
            options[flag] = ""
    if node.get("caption"):
        options["caption"] = node["caption"]
    entries = []
    for title, ref in node["entries"]:
        target = ref if "://" in ref or ref == "self" else f"/{ref}"
        entries.append(f"{title} <{target}>" if title else target)
    return [*directive("toctree", "", options), "", *indented(entries)]


def py_object(node: addnodes.desc, depth: int) -> list[str]:
    signature = next(node.findall(addnodes.desc_signature))
    name = ".".join(filter(None, (signature.get("module"), signature.get("fullname"))))
    objtype = node.get("objtype", "class")
    flags = ("no-index", "no-index-entry", "no-contents-entry", "no-typesetting")
    options = {flag: "" for flag in flags if node.get(flag)}
    content = next(node.findall(addnodes.desc_content))
    return [*directive(f"py:{objtype}", name, options), "", *indented(body(content, depth))]


def write(doctrees: Path, folder: Path, light_root: bool = False) -> int:
    """Each pickled doctree below ``doctrees`` as a reST page below ``folder``; pages written.
    With ``light_root``, the root page's catalog tables move to a page of their own."""
    env = pickle.loads((doctrees / "environment.pickle").read_bytes())
    count = 0
    for path in sorted(doctrees.rglob("*.doctree")):
        # Not with_suffix: a docname may hold dots (``_source/acme_platform.hooks``).
        docname = path.relative_to(doctrees).as_posix().removesuffix(".doctree")
        document = pickle.loads(path.read_bytes())
        if light_root and docname == env.config.root_doc:
            move_catalogs(document, folder / f"{CATALOGS}.rst")
            count += 1
        target = folder / f"{docname}.rst"
        target.parent.mkdir(parents=True, exist_ok=True)
        # A page the site reaches only through links (a component's) stays an orphan.
        orphan = ":orphan:\n\n" if "orphan" in env.metadata.get(docname, {}) else ""
        text = orphan + "\n".join(body(document, 0)).rstrip() + "\n"
        target.write_text(text, encoding="utf-8")
        count += 1
    return count


#: Where ``light_root`` puts the root page's catalog tables.
CATALOGS = "_catalogs"


def move_catalogs(document: nodes.document, page: Path) -> None:
    """Move the root page's catalog tables (packed while read) to ``page``, leaving a link:
    Sphinx loads the root doctree again for every page's navigation, so a large root page
    costs each page written (the extension packs its tables for that reason)."""
    packed = list(document.findall(etl_packed))
    for node in packed:
        title = nodes.inline("Catalog", "Catalog")
        xref = addnodes.pending_xref("", title, refdomain="std", reftype="doc", refexplicit=True)
        xref["reftarget"] = f"/{CATALOGS}"
        node.replace_self(nodes.paragraph("", "", xref))
    lines = [":orphan:", "", "Catalogs", "========", ""]
    for node in packed:
        lines += [*block(pickle.loads(node["subtree"]), 1), ""]
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    pages = write(Path(sys.argv[1]), Path(sys.argv[2]), "--light-root" in sys.argv[3:])
    print(f"bare: {pages} page(s) written as plain reST")
    if unknown:
        print("bare: no rule for (written as their text):", dict(unknown.most_common()))
