"""Fixtures shared by the portal's tests: the home page with the hromada's settings and a tree
with a page of every type (defined with the page tests, ``test_pages.py``)."""

from .test_pages import _media, home, tree  # noqa: F401
