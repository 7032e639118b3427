"""AST facts read from class source: the keywords a constructor sets on its base."""

from __future__ import annotations

import ast

from sphinxext_etl.collect.ast_facts import super_keywords

SOURCE = """
class SlackAPIPostOperator(SlackAPIOperator):
    def __init__(self, *, channel: str = "#general", **kwargs):
        super().__init__(method="chat.postMessage", **kwargs)
        self.channel = channel


class Explicit(Base):
    def __init__(self, name, **kwargs):
        Base.__init__(self, name=name, retries=3, **kwargs)


class NoInit(Base):
    pass
"""


def classes() -> dict[str, ast.ClassDef]:
    tree = ast.parse(SOURCE)
    return {node.name: node for node in tree.body if isinstance(node, ast.ClassDef)}


def test_keywords_passed_to_the_base_constructor() -> None:
    """``super().__init__`` and ``Base.__init__(self, ...)`` alike; ``**kwargs`` is no name."""
    found = classes()
    assert super_keywords(found["SlackAPIPostOperator"]) == {"method"}
    assert super_keywords(found["Explicit"]) == {"name", "retries"}
    assert super_keywords(found["NoInit"]) == set()
