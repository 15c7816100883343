"""What the Open311 tests share: the places, a request as an app sends it, and reading
both formats."""

from __future__ import annotations

import json

from defusedxml import ElementTree
from django.urls import reverse

from cases.models import Category

# Ratchaburi's town centre (Mueang Ratchaburi, 7001) and Ban Pong's market (Ban Pong, 7005).
MUEANG = (13.536530, 99.817120)
BAN_PONG = (13.817000, 99.883000)

# The complainant as the app sends her: none of this may come back from a GET.
PERSON = {
    "first_name": "มาลีรัตน์",
    "last_name": "ศรีสุขสันต์",
    "email": "maleerat.s@example.com",
    "phone": "0891234567",
}
DESCRIPTION = "ท่อระบายน้ำอุดตันหน้าบ้านเลขที่ 99/9 น้ำเน่าส่งกลิ่นทั้งซอย"
APP_ADDRESS = "203.0.113.50"


def road() -> Category:
    return Category.objects.get(name_th="ถนนชำรุด")


def other() -> Category:
    return Category.objects.get(parent=None, is_other=True)


def url(name: str, fmt: str = "json", **kwargs) -> str:
    return reverse(f"open311:{name}", kwargs={"format": fmt, **kwargs})


def a_request(key: str, *, at=MUEANG, service=None, **overrides) -> dict:
    values = {
        "api_key": key,
        "service_code": str((service or road()).pk),
        "lat": str(at[0]) if at else None,
        "long": str(at[1]) if at else None,
        "description": DESCRIPTION,
        **PERSON,
    }
    values.update(overrides)
    return {k: v for k, v in values.items() if v is not None}


def post(client, key: str, fmt: str = "json", *, headers=None, address: str = APP_ADDRESS, **overrides):
    return client.post(url("requests", fmt), a_request(key, **overrides), REMOTE_ADDR=address, headers=headers or {})


def xml(response):
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return ElementTree.fromstring(response.content)


def body(response):
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(response.content.decode("utf-8"))


def xml_items(response, item: str) -> list[dict]:
    """The items of an XML list as dicts of their children's text."""
    return [{child.tag: child.text for child in element} for element in xml(response).findall(item)]


def errors(response, fmt: str = "json") -> list[dict]:
    if fmt == "xml":
        root = xml(response)
        assert root.tag == "errors"
        return [{"code": int(e.findtext("code")), "description": e.findtext("description")} for e in root]
    return body(response)
