"""``core.rendering.url``: the rows' URLs, shaped once, equal Django's ``reverse``."""

from django.urls import reverse, set_script_prefix

from core.rendering import url


def test_row_urls_equal_reverse():
    assert url("cases:detail", 7) == reverse("cases:detail", args=[7])
    assert url("cases:action", 123456, "accept") == reverse("cases:action", args=[123456, "accept"])
    assert url("cases:action", 9, "approve_closure") == reverse("cases:action", args=[9, "approve_closure"])
    assert url("workflows:claim", 42) == reverse("workflows:claim", args=[42])
    # A key that happens to hold the placeholder's digits is a key like any other.
    assert url("workflows:release", 987654320) == reverse("workflows:release", args=[987654320])


def test_row_urls_follow_the_script_prefix():
    try:
        set_script_prefix("/damrongdhama/")
        assert url("cases:detail", 5) == reverse("cases:detail", args=[5])
        assert url("cases:detail", 5).startswith("/damrongdhama/")
    finally:
        set_script_prefix("/")
    assert not url("cases:detail", 5).startswith("/damrongdhama/")
