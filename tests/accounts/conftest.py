import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fresh_limits():
    """The activation page counts wrong codes per address in the cache: a test that uses up
    the limit must not leave the next test (of this process) refused."""
    cache.clear()
    yield
    cache.clear()
