"""GeoReport v2's two formats, from one structure.

A response is a dict or a list of dicts, named by its root (``services``,
``service_requests``, ``service_definition``, ``discovery``, ``errors``). JSON writes it
as it is (the spec's "Spark convention" drops the root); XML wraps it in the root, each
item of a list in its element (``ITEMS``), true/false in lower case, None as an empty
element. Both UTF-8.
"""

from __future__ import annotations

import json
import re
from xml.etree import ElementTree as ET

from django.http import HttpResponse

JSON_TYPE = "application/json; charset=utf-8"
XML_TYPE = "text/xml; charset=utf-8"

# A list's element: what each of its items is called in XML.
ITEMS = {
    "services": "service",
    "service_requests": "request",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "errors": "error",
}

# Characters XML 1.0 cannot carry, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return _NOT_XML.sub("", str(value))


def _fill(element: ET.Element, value) -> None:
    if isinstance(value, dict):
        for key, inner in value.items():
            _fill(ET.SubElement(element, key), inner)
    elif isinstance(value, list):
        for item in value:
            _fill(ET.SubElement(element, ITEMS[element.tag]), item)
    else:
        element.text = _text(value)


def to_xml(root: str, data) -> bytes:
    element = ET.Element(root)
    _fill(element, data)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(element, encoding="utf-8", xml_declaration=False)


def to_json(data) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


def respond(fmt: str, root: str, data, *, status: int = 200) -> HttpResponse:
    if fmt == "xml":
        return HttpResponse(to_xml(root, data), content_type=XML_TYPE, status=status)
    return HttpResponse(to_json(data), content_type=JSON_TYPE, status=status)


def errors(fmt: str, status: int, messages: list[str]) -> HttpResponse:
    """The spec's error list: each message with the HTTP status as its code."""
    return respond(fmt, "errors", [{"code": status, "description": m} for m in messages], status=status)
