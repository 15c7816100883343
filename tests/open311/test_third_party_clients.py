"""Open311 clients written by others, against the live server: what an app would do.

``georeport`` (PyPI, Python 3) reads: services, definitions, requests, one request, in
JSON and in XML (its own parser, xmltodict). It does not post. ``civicbot`` (PyPI,
stdlib only, JSON) posts a request with an api_key and reads it back. The client the
project first pinned, ``open311`` 1.1, is Python 2 only (it cannot be imported on 3.11,
and its top-level name is our app's), so it is not used.
"""

from __future__ import annotations

import pytest
import requests
from civicbot import Endpoint, HttpError, HttpTransport, Open311Client
from civicbot.http import RateLimiter
from django.urls import reverse
from georeport import GeoReport

from cases.models import Category, Complaint
from tests.open311.helpers import BAN_PONG, DESCRIPTION, MUEANG, PERSON

# The live server runs in another thread against the test database: rows written here
# must be committed for it to see them.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def base(live_server) -> str:
    return live_server.url + "/open311/v2"


@pytest.fixture
def civic(base) -> Open311Client:
    endpoint = Endpoint(id="damrongdhama", name="ศูนย์ดำรงธรรม", base_url=base, write=True)
    return Open311Client(endpoint, transport=HttpTransport(rate_limiter=RateLimiter(min_interval=0)))


def road() -> Category:
    return Category.objects.get(name_th="ถนนชำรุด")


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_georeport_discovers_the_services_and_their_definitions(base, geography, fmt):
    georeport = GeoReport(base, output_format=fmt)

    services = georeport.get_service_list()
    definition = georeport.get_service_definition(str(road().pk))

    by_code = {s["service_code"]: s for s in services}
    assert by_code[str(road().pk)]["service_name"] == "ถนนชำรุด"
    assert by_code[str(road().pk)]["group"] == "สาธารณูปโภค"
    if fmt == "json":
        codes = [a["code"] for a in definition["attributes"]]
    else:
        codes = [a["code"] for a in definition["attributes"]["attribute"]]
    assert codes == ["subdistrict", "subject", "confidential"]


def test_civicbot_files_a_request_and_reads_it_back_and_it_waits_in_mueang_s_queue(
    base, civic, chao_ban, client, signed_in, alice, bob
):
    _app, key = chao_ban
    services = civic.list_services()
    code = next(s["service_code"] for s in services if s["service_name"] == "ถนนชำรุด")
    definition = civic.get_service_definition(code)

    # civicbot checks the form against the live definition, then sends it (dry run unless told).
    sent = civic.create_request(
        code, dry_run=False, confirm="SEND", api_key=key, lat=MUEANG[0], lng=MUEANG[1],
        description=DESCRIPTION, attributes={"confidential": "false"}, definition=definition,
        known_services=services, **PERSON,
    )  # fmt: skip

    [answer] = sent.response
    tracking_code = answer["service_request_id"]
    case = Complaint.objects.get(tracking_code=tracking_code)
    assert case.district_id == "7001" and case.channel == "online"
    read = civic.get_request(tracking_code)
    assert read["service_request_id"] == tracking_code and read["status"] == "open"
    assert read["agency_responsible"] == "ศูนย์ดำรงธรรมอำเภอเมืองราชบุรี จังหวัดราชบุรี"
    assert [r["service_request_id"] for r in civic.list_requests(service_request_ids=[tracking_code])] == [
        tracking_code
    ]
    with pytest.raises(HttpError) as refused:
        civic.get_token("123456")
    assert refused.value.status == 404
    # The new case waits in Mueang Ratchaburi's queue, and not in Ban Pong's.
    assert f'data-case="{case.number}"' in signed_in(alice).get(reverse("workflows:queue")).content.decode()
    assert case.number not in signed_in(bob).get(reverse("workflows:queue")).content.decode()


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_georeport_reads_a_request_civicbot_filed_in_ban_pong(base, civic, chao_ban, fmt):
    sent = civic.create_request(
        str(road().pk), dry_run=False, confirm="SEND", api_key=chao_ban[1], lat=BAN_PONG[0], lng=BAN_PONG[1],
        description=DESCRIPTION, **PERSON,
    )  # fmt: skip
    tracking_code = sent.response[0]["service_request_id"]
    georeport = GeoReport(base, output_format=fmt)

    one = georeport.get_service_request(tracking_code)
    listed = georeport.get_service_requests(service_request_id=tracking_code)

    # xmltodict gives one element as a dict, several as a list.
    listed = listed if isinstance(listed, list) else [listed]
    assert one["service_request_id"] == tracking_code and one["status"] == "open"
    assert one["address"] == "ตำบลบ้านโป่ง อำเภอบ้านโป่ง จังหวัดราชบุรี"
    assert [r["service_request_id"] for r in listed] == [tracking_code]
    assert Complaint.objects.get(tracking_code=tracking_code).district_id == "7005"
    for value in PERSON.values():
        assert value not in str(one) and value not in str(listed)


def test_a_client_without_the_key_is_refused(base, civic, geography):
    with pytest.raises(HttpError) as refused:
        civic.create_request(
            str(road().pk), dry_run=False, confirm="SEND", api_key="o311_nobody", lat=MUEANG[0], lng=MUEANG[1],
            description=DESCRIPTION,
        )  # fmt: skip

    assert refused.value.status == 403 and "api_key" in refused.value.body
    assert not Complaint.objects.exists()


def test_discovery_over_http(base, geography):
    found = requests.get(f"{base}/discovery.json", timeout=10).json()

    assert found["endpoints"][0]["url"] == base
