"""The Thai catalogue in locale_thirdparty covers every msgid of the apps that ship no Thai.

Sources (read from the installed packages, so an upgrade that adds msgids fails here):

1. django-simple-history: union of the msgids of all its shipped ``django.po`` files;
2. django-guardian: same;
3. django-viewflow: same;
4. Django's own Thai catalogues (core, auth, admin, contenttypes, sessions, messages):
   only the msgids they leave untranslated (empty or fuzzy msgstr).

No database and no Django settings are needed.
"""

import importlib.util
import re
import shutil
import subprocess
from functools import cache
from pathlib import Path

import polib
import pytest

PO_PATH = Path(__file__).resolve().parents[2] / "locale_thirdparty" / "th" / "LC_MESSAGES" / "django.po"

DJANGO_TH_CATALOGUES = [
    "conf/locale",
    "contrib/auth/locale",
    "contrib/admin/locale",
    "contrib/contenttypes/locale",
    "contrib/sessions/locale",
    "contrib/messages/locale",
]

PERCENT_RE = re.compile(r"%(?:\([^)]*\))?[#0 +\-]*(?:\d+|\*)?(?:\.(?:\d+|\*))?[diouxXeEfFgGcrsa%]")
BRACE_RE = re.compile(r"\{[^{}]*\}")
THAI_RE = re.compile(r"[\u0E00-\u0E7F]")
ASCII_WORD_RE = re.compile(r"[A-Za-z]")


def _package_dir(name):
    spec = importlib.util.find_spec(name)
    assert spec is not None and spec.submodule_search_locations, f"{name} is not installed"
    return Path(next(iter(spec.submodule_search_locations)))


def _union_of_shipped_catalogues(package):
    files = sorted(_package_dir(package).glob("locale/*/LC_MESSAGES/django.po"))
    assert files, f"{package} ships no django.po"
    entries = {}
    for path in files:
        for entry in polib.pofile(str(path)):
            if not entry.obsolete:
                entries.setdefault((entry.msgctxt, entry.msgid), entry)
    return entries


def _django_untranslated():
    entries = {}
    django_dir = _package_dir("django")
    for relative in DJANGO_TH_CATALOGUES:
        path = django_dir / relative / "th" / "LC_MESSAGES" / "django.po"
        if not path.exists():  # contrib/messages ships no catalogue
            continue
        for entry in polib.pofile(str(path)):
            if entry.obsolete:
                continue
            if not entry.translated() or "fuzzy" in entry.flags:
                entries.setdefault((entry.msgctxt, entry.msgid), entry)
    return entries


SOURCES = {
    "django-simple-history": lambda: _union_of_shipped_catalogues("simple_history"),
    "django-guardian": lambda: _union_of_shipped_catalogues("guardian"),
    "django-viewflow": lambda: _union_of_shipped_catalogues("viewflow"),
    "django-th-untranslated": _django_untranslated,
}


@cache
def _catalogue():
    assert PO_PATH.exists(), f"missing {PO_PATH}"
    return polib.pofile(str(PO_PATH))


@cache
def _by_key():
    return {(entry.msgctxt, entry.msgid): entry for entry in _catalogue() if not entry.obsolete}


def _translation(entry):
    # Thai has a single plural form: msgstr[0] serves every count.
    return entry.msgstr_plural.get(0, "") if entry.msgid_plural else entry.msgstr


def _placeholders(text, percent):
    found = set(BRACE_RE.findall(text))
    if percent:
        found |= {p for p in PERCENT_RE.findall(text) if p != "%%"}
    return found


def _uses_percent_format(*entries):
    return any("python-format" in entry.flags for entry in entries) or any("%(" in entry.msgid for entry in entries)


def _required_placeholders(own, source):
    """Placeholders the Thai text must carry.

    For a singular entry: every placeholder of the msgid. For a plural entry, Thai's only
    form (msgstr[0]) also answers n > 1, so it must carry every placeholder of
    msgid_plural; ``msgfmt --check-format`` forbids it from using a placeholder that
    msgid_plural lacks (viewflow's "Export the %(name)s" / "...%(objects_count)s
    %(plural_name)s" is the one case where the two differ).
    """
    percent = _uses_percent_format(own, source)
    if own.msgid_plural:
        return _placeholders(own.msgid_plural, percent) | (
            _placeholders(own.msgid, percent) & _placeholders(own.msgid_plural, percent)
        )
    return _placeholders(own.msgid, percent)


def test_header_declares_thai_with_one_plural_form():
    metadata = _catalogue().metadata
    assert metadata["Language"] == "th"
    assert "charset=UTF-8" in metadata["Content-Type"]
    assert metadata["Plural-Forms"].replace(" ", "") == "nplurals=1;plural=0;"


def test_entries_are_unique_by_context_and_msgid():
    keys = [(entry.msgctxt, entry.msgid) for entry in _catalogue()]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize("source", sorted(SOURCES))
def test_every_source_msgid_has_a_thai_translation(source):
    source_entries = SOURCES[source]()
    assert source_entries, f"no msgids found for {source}"
    by_key = _by_key()
    problems = []
    for key, source_entry in source_entries.items():
        own = by_key.get(key)
        if own is None:
            problems.append(f"missing: {key!r}")
            continue
        if "fuzzy" in own.flags:
            problems.append(f"fuzzy: {key!r}")
        text = _translation(own)
        if not text.strip():
            problems.append(f"empty msgstr: {key!r}")
            continue
        percent = _uses_percent_format(own, source_entry)
        missing = _required_placeholders(own, source_entry) - _placeholders(text, percent)
        if missing:
            problems.append(f"placeholders {sorted(missing)} lost in {key!r}: {text!r}")
        allowed = _placeholders(own.msgid, percent) | _placeholders(own.msgid_plural or "", percent)
        invented = _placeholders(text, percent) - allowed
        if invented:
            problems.append(f"placeholders {sorted(invented)} not in the msgid of {key!r}")
    assert not problems, f"{source}: {len(problems)} problem(s)\n" + "\n".join(problems)


def test_translations_are_thai_not_copied_english():
    problems = []
    for entry in _catalogue():
        text = _translation(entry)
        words = ASCII_WORD_RE.search(BRACE_RE.sub("", PERCENT_RE.sub("", entry.msgid)))
        if words and (text == entry.msgid or not THAI_RE.search(text)):
            problems.append(repr(entry.msgid))
    assert not problems, "untranslated (English) msgstr:\n" + "\n".join(problems)


def test_surrounding_whitespace_matches_the_msgid():
    # Template {% blocktrans %} msgids keep their indentation; msgfmt rejects a msgstr
    # whose leading/trailing newline differs from the msgid's.
    for entry in _catalogue():
        text = _translation(entry)
        assert text.startswith("\n") == entry.msgid.startswith("\n"), entry.msgid
        assert text.endswith("\n") == entry.msgid.endswith("\n"), entry.msgid


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext msgfmt not installed")
def test_msgfmt_accepts_the_catalogue(tmp_path):
    # compilemessages runs msgfmt --check-format; -c adds header and domain checks.
    result = subprocess.run(
        ["msgfmt", "--check", "-o", str(tmp_path / "django.mo"), str(PO_PATH)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
