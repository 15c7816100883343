from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse

from tests.core.test_layers import LAYERS

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_thai_is_the_default_even_for_an_english_browser(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    page = response.content.decode()
    assert '<html lang="th">' in page
    assert "เข้าสู่ระบบ" in page


@pytest.mark.django_db
def test_switching_to_english_and_back(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    assert response.status_code == 302
    page = client.get(reverse("login")).content.decode()
    assert '<html lang="en">' in page
    assert "Sign in" in page
    assert "National ID" in page
    client.post(reverse("set_language"), {"language": "th", "next": reverse("login")})
    assert "เข้าสู่ระบบ" in client.get(reverse("login")).content.decode()


@pytest.mark.django_db
def test_english_validation_messages(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.post(reverse("login"), {"username": "1700100000013", "password": "x"}).content.decode()
    assert "check digit" in page


def test_every_string_has_an_english_translation():
    catalogue = polib.pofile(str(ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"))
    missing = [e.msgid for e in catalogue if not e.obsolete and (not e.translated() or e.fuzzy)]
    assert not missing, f"untranslated in locale/en: {missing[:10]}"


def test_catalogue_is_up_to_date_with_the_source():
    """Every gettext string in our Python code is in the English catalogue (run `make makemessages`)."""
    import ast

    catalogue = polib.pofile(str(ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"))
    known = {(e.msgctxt, e.msgid) for e in catalogue}
    singular = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy"}
    contextual = {"pgettext", "pgettext_lazy", "npgettext", "npgettext_lazy"}
    missing = []
    for folder in LAYERS:  # every app of the project
        for path in (ROOT / folder).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name) or not node.args:
                    continue
                strings = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
                if node.func.id in singular and strings:
                    key = (None, strings[0])
                elif node.func.id in contextual and len(strings) >= 2:
                    key = (strings[0], strings[1])
                else:
                    continue
                if key not in known:
                    missing.append(f"{path.relative_to(ROOT)}: {key}")
    assert not missing, f"not in locale/en (run `make makemessages`): {missing[:10]}"


def test_compiled_catalogues_exist():
    for root in settings.LOCALE_PATHS:
        for po in Path(root).glob("*/LC_MESSAGES/*.po"):
            assert po.with_suffix(".mo").exists(), f"{po} not compiled: run `make messages`"


def test_every_gettext_call_names_its_text_literally():
    """makemessages reads the source, not the program: a gettext call given a variable
    leaves its text out of the catalogue, and the next `make makemessages` marks the
    translations obsolete (the action registry's labels were, until each entry wrote
    pgettext_lazy("action", "...") itself)."""
    import ast

    counts = {"_": 1, "gettext": 1, "gettext_lazy": 1, "ngettext": 2, "ngettext_lazy": 2}
    counts |= {"pgettext": 2, "pgettext_lazy": 2, "npgettext": 3, "npgettext_lazy": 3}
    found = []
    for folder in LAYERS:
        for path in (ROOT / folder).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in counts:
                    texts = node.args[: counts[node.func.id]]
                    if len(texts) < counts[node.func.id] or not all(isinstance(a, ast.Constant) for a in texts):
                        found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {ast.unparse(node)[:80]}")
    assert not found, found
