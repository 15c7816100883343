"""The Thai catalogues in locale_thirdparty cover every msgid of the apps that ship no Thai.

Sources of ``django.po`` (read from the installed packages, so an upgrade that adds
msgids fails here):

1. django-simple-history: union of the msgids of all its shipped ``django.po`` files;
2. django-guardian: same;
3. django-viewflow: same;
4. django-axes: same, plus the gettext calls of its Python source (some msgids there,
   e.g. the admin's "Locked Out", are in none of its shipped catalogues);
5. Django's own Thai catalogues (core, auth, admin, contenttypes, sessions, messages):
   only the msgids they leave untranslated (empty or fuzzy msgstr).

Sources of ``djangojs.po`` (the admin's JavaScript catalogue):

1. Django's Thai ``contrib/admin`` ``djangojs.po``: the msgids it leaves untranslated;
2. the gettext/ngettext/pgettext calls of the admin's own JavaScript
   (``static/admin/js``): those Django's Thai ``djangojs.po`` lacks or leaves
   untranslated (Django 5.2's JS uses newer msgids, e.g. with a curly apostrophe, than
   its Thai catalogue).

No database and no Django settings are needed.
"""

import ast
import importlib.util
import re
import shutil
import subprocess
from functools import cache
from pathlib import Path

import polib
import pytest

CATALOGUE_DIR = Path(__file__).resolve().parents[2] / "locale_thirdparty" / "th" / "LC_MESSAGES"
PO_PATH = CATALOGUE_DIR / "django.po"
JS_PO_PATH = CATALOGUE_DIR / "djangojs.po"
CATALOGUES = {"django": PO_PATH, "djangojs": JS_PO_PATH}

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
# gettext('...'), ngettext('...', '...', n), pgettext('ctx', '...'), npgettext('ctx', '...', '...', n)
JS_STRING = r"'(?:[^'\\\n]|\\.)*'" + "|" + r'"(?:[^"\\\n]|\\.)*"'
JS_CALL_RE = re.compile(
    rf"(?<![\w.$])(gettext|ngettext|pgettext|npgettext)\(\s*({JS_STRING})"
    rf"(?:\s*,\s*({JS_STRING}))?(?:\s*,\s*({JS_STRING}))?"
)
JS_ESCAPE_RE = re.compile(r"\\(u[0-9A-Fa-f]{4}|x[0-9A-Fa-f]{2}|.)", re.DOTALL)
JS_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "b": "\b", "f": "\f", "v": "\v", "0": "\0"}
PY_GETTEXT_NAMES = {"_", "gettext", "gettext_lazy", "pgettext", "pgettext_lazy", "ngettext", "ngettext_lazy"}
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


def _python_string(node, source):
    """The text xgettext takes from a literal argument: a str constant, or an f-string as written."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        # axes calls _(f"Cleaned up {count} expired access attempts."): xgettext keeps
        # the f-string's text, braces included.
        segment = ast.get_source_segment(source, node)
        prefix = re.match(r"[A-Za-z]*", segment).group()
        return ast.literal_eval(segment[len(prefix) :])
    return None


def _python_source_msgids(package):
    """msgids of the gettext calls in a package's Python source (what xgettext -L Python finds)."""
    entries = {}
    for path in sorted(_package_dir(package).rglob("*.py")):
        if "migrations" in path.parts or "tests" in path.parts:
            continue
        source = path.read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(source)):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            if node.func.id not in PY_GETTEXT_NAMES:
                continue
            args = [_python_string(arg, source) for arg in node.args]
            if node.func.id.startswith("p"):
                msgctxt, args = (args[0] if args else None), args[1:]
            else:
                msgctxt = None
            if not args or not args[0]:
                continue
            plural = args[1] if node.func.id.lstrip("p").startswith("n") and len(args) > 1 else ""
            flags = ["python-brace-format"] if BRACE_RE.search(args[0]) else []
            entry = polib.POEntry(msgctxt=msgctxt, msgid=args[0], msgid_plural=plural or "", flags=flags)
            entries.setdefault((msgctxt, args[0]), entry)
    return entries


def _axes_source_only():
    shipped = _union_of_shipped_catalogues("axes")
    return {key: entry for key, entry in _python_source_msgids("axes").items() if key not in shipped}


SOURCES = {
    "django-simple-history": lambda: _union_of_shipped_catalogues("simple_history"),
    "django-guardian": lambda: _union_of_shipped_catalogues("guardian"),
    "django-viewflow": lambda: _union_of_shipped_catalogues("viewflow"),
    "django-axes": lambda: _union_of_shipped_catalogues("axes"),
    "django-axes-source": _axes_source_only,
    "django-th-untranslated": _django_untranslated,
}


def _django_admin_js_th():
    path = _package_dir("django") / "contrib" / "admin" / "locale" / "th" / "LC_MESSAGES" / "djangojs.po"
    assert path.exists(), f"Django ships no Thai admin djangojs.po at {path}"
    return {(entry.msgctxt, entry.msgid): entry for entry in polib.pofile(str(path)) if not entry.obsolete}


def _is_untranslated(entry):
    return not entry.translated() or "fuzzy" in entry.flags


def _django_admin_js_th_untranslated():
    return {key: entry for key, entry in _django_admin_js_th().items() if _is_untranslated(entry)}


def _js_literal(token):
    def unescape(match):
        code = match.group(1)
        if code[0] in "ux" and len(code) > 1:
            return chr(int(code[1:], 16))
        return JS_ESCAPES.get(code, code)

    return JS_ESCAPE_RE.sub(unescape, token[1:-1])


def _admin_js_files():
    js_dir = _package_dir("django") / "contrib" / "admin" / "static" / "admin" / "js"
    # The admin's own scripts; vendor/ (jQuery, Select2, XRegExp) has no gettext calls.
    files = sorted(js_dir.glob("*.js")) + sorted((js_dir / "admin").glob("*.js"))
    assert files, f"no admin JavaScript under {js_dir}"
    return files


def _admin_js_source_msgids():
    """msgids of the gettext-family calls with literal arguments in the admin's JavaScript."""
    entries = {}
    for path in _admin_js_files():
        for function, *tokens in JS_CALL_RE.findall(path.read_text(encoding="utf-8")):
            args = [_js_literal(token) for token in tokens if token]
            if function.startswith("p"):
                if len(args) < 2:
                    continue
                msgctxt, args = args[0], args[1:]
            else:
                msgctxt = None
            plural = args[1] if function.lstrip("p").startswith("n") and len(args) > 1 else ""
            flags = ["javascript-format"] if "%" in args[0] else []
            entry = polib.POEntry(msgctxt=msgctxt, msgid=args[0], msgid_plural=plural, flags=flags)
            entries.setdefault((msgctxt, args[0]), entry)
    return entries


def _admin_js_not_translated_by_django():
    django_th = _django_admin_js_th()
    return {
        key: entry
        for key, entry in _admin_js_source_msgids().items()
        if key not in django_th or _is_untranslated(django_th[key])
    }


JS_SOURCES = {
    # Empty while Django's Thai djangojs.po has no empty or fuzzy msgstr; kept so that a
    # Django upgrade which adds one fails here.
    "django-admin-js-th-untranslated": _django_admin_js_th_untranslated,
    "django-admin-js-source": _admin_js_not_translated_by_django,
}


@cache
def _catalogue(domain="django"):
    path = CATALOGUES[domain]
    assert path.exists(), f"missing {path}"
    return polib.pofile(str(path))


@cache
def _by_key(domain="django"):
    return {(entry.msgctxt, entry.msgid): entry for entry in _catalogue(domain) if not entry.obsolete}


def _translation(entry):
    # Thai has a single plural form: msgstr[0] serves every count.
    return entry.msgstr_plural.get(0, "") if entry.msgid_plural else entry.msgstr


def _placeholders(text, percent):
    found = set(BRACE_RE.findall(text))
    if percent:
        found |= {p for p in PERCENT_RE.findall(text) if p != "%%"}
    return found


def _uses_percent_format(*entries):
    return any({"python-format", "javascript-format"} & set(entry.flags) for entry in entries) or any(
        "%(" in entry.msgid for entry in entries
    )


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


@pytest.mark.parametrize("domain", sorted(CATALOGUES))
def test_header_declares_thai_with_one_plural_form(domain):
    metadata = _catalogue(domain).metadata
    assert metadata["Language"] == "th"
    assert "charset=UTF-8" in metadata["Content-Type"]
    assert metadata["Plural-Forms"].replace(" ", "") == "nplurals=1;plural=0;"


@pytest.mark.parametrize("domain", sorted(CATALOGUES))
def test_entries_are_unique_by_context_and_msgid(domain):
    keys = [(entry.msgctxt, entry.msgid) for entry in _catalogue(domain)]
    assert len(keys) == len(set(keys))


def _translation_problems(source_entries, by_key):
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
    return problems


@pytest.mark.parametrize("source", sorted(SOURCES))
def test_every_source_msgid_has_a_thai_translation(source):
    source_entries = SOURCES[source]()
    assert source_entries, f"no msgids found for {source}"
    problems = _translation_problems(source_entries, _by_key("django"))
    assert not problems, f"{source}: {len(problems)} problem(s)\n" + "\n".join(problems)


def test_admin_javascript_extraction_finds_msgids():
    # Guards the regex extraction: it must see the three call shapes the admin uses.
    found = _admin_js_source_msgids()
    assert len(found) > 40, sorted(found)
    assert any(entry.msgid_plural for entry in found.values()), "no ngettext call found"
    assert any(key[0] for key in found), "no pgettext call found"
    assert _django_admin_js_th(), "Django's Thai admin djangojs.po is empty"


@pytest.mark.parametrize("source", sorted(JS_SOURCES))
def test_every_admin_javascript_msgid_has_a_thai_translation(source):
    source_entries = JS_SOURCES[source]()
    problems = _translation_problems(source_entries, _by_key("djangojs"))
    assert not problems, f"{source}: {len(problems)} problem(s)\n" + "\n".join(problems)


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext xgettext not installed")
def test_admin_javascript_extraction_matches_xgettext(tmp_path):
    # The regex extraction above must find what makemessages' xgettext finds.
    pot = tmp_path / "djangojs.pot"
    result = subprocess.run(
        [
            "xgettext",
            "-L",
            "JavaScript",
            "--from-code=UTF-8",
            "--keyword=gettext",
            "--keyword=ngettext:1,2",
            "--keyword=pgettext:1c,2",
            "--keyword=npgettext:1c,2,3",
            "-o",
            str(pot),
        ]
        + [str(path) for path in _admin_js_files()],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    expected = {(entry.msgctxt, entry.msgid) for entry in polib.pofile(str(pot)) if entry.msgid}
    assert set(_admin_js_source_msgids()) == expected


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext xgettext not installed")
def test_axes_source_extraction_matches_xgettext(tmp_path):
    pot = tmp_path / "axes.pot"
    files = [
        str(path)
        for path in sorted(_package_dir("axes").rglob("*.py"))
        if "migrations" not in path.parts and "tests" not in path.parts
    ]
    result = subprocess.run(
        ["xgettext", "-L", "Python", "--from-code=UTF-8"]
        + [f"--keyword={name}" for name in ("_", "gettext", "gettext_lazy")]
        + [
            "--keyword=ngettext:1,2",
            "--keyword=ngettext_lazy:1,2",
            "--keyword=pgettext:1c,2",
            "--keyword=pgettext_lazy:1c,2",
            "-o",
            str(pot),
        ]
        + files,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    expected = {(entry.msgctxt, entry.msgid) for entry in polib.pofile(str(pot)) if entry.msgid}
    assert set(_python_source_msgids("axes")) == expected


@pytest.mark.parametrize("domain", sorted(CATALOGUES))
def test_translations_are_thai_not_copied_english(domain):
    problems = []
    for entry in _catalogue(domain):
        text = _translation(entry)
        words = ASCII_WORD_RE.search(BRACE_RE.sub("", PERCENT_RE.sub("", entry.msgid)))
        if words and (text == entry.msgid or not THAI_RE.search(text)):
            problems.append(repr(entry.msgid))
    assert not problems, "untranslated (English) msgstr:\n" + "\n".join(problems)


@pytest.mark.parametrize("domain", sorted(CATALOGUES))
def test_surrounding_whitespace_matches_the_msgid(domain):
    # Template {% blocktrans %} msgids keep their indentation; msgfmt rejects a msgstr
    # whose leading/trailing newline differs from the msgid's.
    for entry in _catalogue(domain):
        text = _translation(entry)
        assert text.startswith("\n") == entry.msgid.startswith("\n"), entry.msgid
        assert text.endswith("\n") == entry.msgid.endswith("\n"), entry.msgid


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext msgfmt not installed")
@pytest.mark.parametrize("domain", sorted(CATALOGUES))
def test_msgfmt_accepts_the_catalogue(tmp_path, domain):
    # compilemessages runs msgfmt --check-format; -c adds header and domain checks.
    result = subprocess.run(
        ["msgfmt", "--check", "-o", str(tmp_path / f"{domain}.mo"), str(CATALOGUES[domain])],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
