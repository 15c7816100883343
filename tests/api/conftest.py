"""Signing devices in, and talking to the API as a phone does (JSON, a device token)."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from api import services


class Device:
    """A phone signed in with a device token of its own."""

    def __init__(self, key: str, client: Client | None = None):
        self.key = key
        self.client = client or Client()

    def _headers(self, headers):
        return {"authorization": f"Token {self.key}", **(headers or {})}

    def get(self, url, data=None, headers=None):
        return self.client.get(url, data, headers=self._headers(headers))

    def post(self, url, data=None, headers=None):
        return self.client.post(
            url, json.dumps(data or {}), content_type="application/json", headers=self._headers(headers)
        )

    def post_form(self, url, data, headers=None):
        """Multipart, as a phone sends photos."""
        return self.client.post(url, data, headers=self._headers(headers))

    def delete(self, url, headers=None):
        return self.client.delete(url, headers=self._headers(headers))


@pytest.fixture
def device():
    """Return a function that signs ``user`` in on a new device (a token issued by the service)."""

    def sign_in(user, name="Android ของทดสอบ") -> Device:
        _token, key = services.token_issue(user=user, name=name)
        return Device(key)

    return sign_in


def photo(name="ภาพ.jpg", size=(64, 48)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")
