# The case fixtures live in tests/case_fixtures.py (loaded for the whole suite by
# tests/conftest.py, since browser tests need them too); intake_data is a helper.
from tests.case_fixtures import intake_data  # noqa: F401
