"""Render: the model -> reStructuredText, as pure functions (Jinja templates beside them in
``templates/``). Nothing here imports Sphinx or docutils; directives and the build state
parse and write what these functions return."""
