"""The apps of the Open311 stories: Chao Ban, a citizens' app that files what its users
report, and Khao Sod, another app, whose requests Chao Ban must not list."""

import pytest
from django.core.cache import cache

from open311 import services


@pytest.fixture(autouse=True)
def fresh_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def chao_ban(db, geography):
    """Return (client, api_key) of the app "ชาวบ้านแจ้งเหตุ"."""
    return services.register_client(name="ชาวบ้านแจ้งเหตุ", contact="dev@chaoban.example")


@pytest.fixture
def khao_sod(db, geography):
    return services.register_client(name="ข่าวสดแจ้งเหตุ", contact="it@khaosod.example")
