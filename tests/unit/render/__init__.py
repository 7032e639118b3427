"""Unit tests of the render stage: model -> reST, pinned by snapshot files."""
