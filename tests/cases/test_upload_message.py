"""A refused upload says why beside the upload form, where the user is after
the redirect to #attachments, not only at the top of the page."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_refused_upload_shows_its_error_beside_the_upload_form(new_case, alice, signed_in, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = signed_in(alice)

    response = client.post(
        reverse("cases:upload", args=[new_case.pk]),
        {"file": SimpleUploadedFile("สคริปต์.exe", b"MZ\x90\x00not a document", "application/octet-stream")},
        follow=True,
    )

    html = response.content.decode()
    assert response.redirect_chain[-1][0].endswith("#attachments")
    attachments = html[html.index('id="attachments"') :]
    local = re.search(r'<div class="alert[^"]*" role="alert" data-testid="upload-error">(.*?)</div>', attachments, re.S)
    assert local, "no error beside the upload form"
    assert "สคริปต์.exe" in local.group(1)
    assert attachments.index('data-testid="upload-error"') < attachments.index('action="/cases/')


def test_an_empty_upload_form_says_which_field_beside_the_form(new_case, alice, signed_in):
    response = signed_in(alice).post(reverse("cases:upload", args=[new_case.pk]), {}, follow=True)

    attachments = response.content.decode().split('id="attachments"', 1)[1]
    assert re.search(r'data-testid="upload-error">ไฟล์: ', attachments)


def test_other_messages_stay_at_the_top_only(case_in, harry, signed_in):
    from cases.models import Status

    case = case_in(Status.RECEIVED)
    response = signed_in(harry).post(
        reverse("cases:action", args=[case.pk, "reject"]),
        {"expected_status": Status.RECEIVED, "reason": "ซ้ำ"},
        follow=True,
    )

    assert 'data-testid="upload-error"' not in response.content.decode()
