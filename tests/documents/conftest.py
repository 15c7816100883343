"""Fixtures of the documents tests, kept with the scans they read (``tests/documents/scans.py``)."""

from tests.documents.scans import quick_reading  # noqa: F401 - a fixture
