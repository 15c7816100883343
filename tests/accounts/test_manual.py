"""The user manual (accounts/manual/): a source per role, every screenshot it names in the
repository (taken by tests/browser/test_manual_browser.py, ``make manual``), the PDF with
its title and headings, and the pages that serve it to anyone, signed in or not."""

from __future__ import annotations

import os
import re
import shutil

import pytest
from django.templatetags.static import static

from accounts import manual
from tests.audit.helpers import pdf_text


def squeezed(text: str) -> str:
    return "".join(str(text).split())


@pytest.fixture
def build_dir(settings, tmp_path):
    settings.MANUAL_BUILD_DIR = tmp_path / "manual"
    return settings.MANUAL_BUILD_DIR


# --- The sources and their screenshots ------------------------------------------------------------


def test_every_role_has_a_source_that_starts_with_its_title():
    for role in manual.ROLES:
        assert manual.source_path(role).is_file(), f"no accounts/manual/{role}.md"
        first_level, _title = manual.headings(role)[0]
        assert first_level == 1, f"{role}.md does not start with its title (# ...)"
        assert manual.summary(role), f"{role}.md has no paragraph under its title"
        assert manual.screens_named(role), f"{role}.md shows no screenshot"


def test_every_screenshot_a_manual_names_is_in_the_repository():
    missing = manual.missing_screens()

    assert not missing, (
        "screenshots the manual names that accounts/static/accounts/manual/ lacks (make manual takes them): "
        + "; ".join(f"{role}: {', '.join(names)}" for role, names in missing.items())
    )


def test_a_screenshot_gone_from_the_folder_is_named_as_missing(tmp_path, monkeypatch):
    # given the screenshots, less one that the district officer's manual shows
    kept = tmp_path / "screens"
    shutil.copytree(manual.SCREENS, kept)
    (kept / "receipt.png").unlink()
    monkeypatch.setattr(manual, "SCREENS", kept)

    # then the check above names it, under every manual that shows it
    assert manual.missing_screens() == {"district_officer": ["receipt"]}


def test_no_screenshot_in_the_folder_is_one_no_manual_shows():
    named = set(manual.all_screens())
    unused = sorted(path.name for path in manual.SCREENS.glob("*") if path.stem not in named)

    assert not unused, f"delete the screenshots no manual shows: {unused}"


def test_a_manual_shows_screenshots_only():
    with pytest.raises(manual.ManualError, match="screenshots only"):
        manual._parsed("# คู่มือ\n\n![ภาพจากที่อื่น](https://example.org/picture.png)\n")


def test_a_source_includes_the_common_part_and_nothing_else(tmp_path, monkeypatch):
    monkeypatch.setattr(manual, "SOURCES", tmp_path)
    (tmp_path / "common.md").write_text("## เข้าสู่ระบบ\n", encoding="utf-8")
    (tmp_path / "auditor.md").write_text("# ผู้ตรวจสอบ\n\n{{ include common.md }}\n\n## บันทึก\n", encoding="utf-8")

    assert manual.headings("auditor") == [(1, "ผู้ตรวจสอบ"), (2, "เข้าสู่ระบบ"), (2, "บันทึก")]
    assert manual.headings("auditor", include_common=False) == [(1, "ผู้ตรวจสอบ"), (2, "บันทึก")]
    (tmp_path / "auditor.md").write_text("# ผู้ตรวจสอบ\n\n{{ include secrets.md }}\n", encoding="utf-8")
    with pytest.raises(manual.ManualError, match="only common.md"):
        manual.source("auditor")


# --- The PDF ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", list(manual.ROLES))
def test_a_roles_pdf_has_the_title_and_every_heading_of_its_manual(role, tmp_path):
    text = pdf_text(manual.build_pdf(role), tmp_path)

    assert squeezed(manual.TITLE) in text
    assert squeezed(manual.ROLES[role]) in text
    for _level, heading in manual.headings(role):
        assert squeezed(heading) in text, f"{role}: heading {heading!r} is not in the PDF"


def test_the_whole_manual_has_the_common_chapter_once_and_every_role(tmp_path):
    text = pdf_text(manual.build_pdf(None), tmp_path)

    assert squeezed(manual.TITLE) in text
    for role in manual.ROLES:
        for _level, heading in manual.headings(role, include_common=False):
            assert squeezed(heading) in text, f"{role}: heading {heading!r} is not in the whole manual"
    # in the contents and the chapter, not once more per role
    assert text.count(squeezed(manual.COMMON_TITLE)) == 2


def test_the_pdf_is_kept_until_a_source_or_a_screenshot_changes(build_dir, tmp_path, monkeypatch):
    source = tmp_path / "source.md"
    source.write_text("x", encoding="utf-8")
    monkeypatch.setattr(manual, "_inputs", lambda role: [source])
    built = []
    monkeypatch.setattr(manual, "build_pdf", lambda role: built.append(role) or b"%PDF-1.7 manual")

    path = manual.pdf_file("auditor")
    manual.pdf_file("auditor")
    assert built == ["auditor"] and path.read_bytes() == b"%PDF-1.7 manual"

    later = path.stat().st_mtime + 5
    os.utime(source, (later, later))
    manual.pdf_file("auditor")
    assert built == ["auditor", "auditor"]


# --- The pages ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_manuals_open_without_signing_in(client):
    response = client.get("/manual/")

    assert response.status_code == 200
    page = response.content.decode()
    for role, title in manual.ROLES.items():
        assert str(title) in page
        assert f'href="/manual/{role}/"' in page and f'href="/manual/{role}.pdf"' in page
    assert 'href="/manual/all.pdf"' in page


@pytest.mark.django_db
def test_a_roles_page_has_its_sections_and_screenshots(client):
    response = client.get("/manual/district_officer/")

    assert response.status_code == 200
    page = response.content.decode()
    for section in manual.contents("district_officer"):
        assert f'href="#{section.anchor}"' in page and f'id="{section.anchor}"' in page
    for name in manual.screens_named("district_officer"):
        assert f'src="{static(f"accounts/manual/{name}.png")}"' in page
    assert client.get("/manual/nobody/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("url, name", [("/manual/team_member.pdf", "team_member"), ("/manual/all.pdf", "all")])
def test_the_pdf_downloads(client, build_dir, url, name):
    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="damrongdhama-manual-{name}.pdf"'
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert client.get("/manual/nobody.pdf").status_code == 404


def test_an_officer_sees_which_manual_is_his(client, signed_in, alice, harry):
    page = signed_in(alice).get("/manual/").content.decode()

    assert re.findall(r'border-primary"[^>]*data-testid="manual-(\w+)"', page) == ["district_officer"]
    assert manual.manuals_for(alice) == ["district_officer"]
    assert manual.manuals_for(harry) == ["district_head"]


@pytest.mark.django_db
def test_the_sign_in_page_links_to_the_manual(client):
    assert 'href="/manual/"' in client.get("/accounts/login/").content.decode()


def test_the_profile_page_links_to_the_manual_and_its_pdf(signed_in, alice):
    page = signed_in(alice).get("/accounts/profile/").content.decode()

    assert 'href="/manual/"' in page
    assert 'href="/manual/district_officer.pdf"' in page
