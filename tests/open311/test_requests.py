"""POST requests (a case in the district where it happened), GET requests and requests/{id}
(public fields only), tokens, errors and limits, in JSON and XML."""

from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from cases import public_wording
from cases.models import Complaint, Status
from cases.services import ComplainantData, case_intake
from core import limits as core_limits
from open311.models import Client, Submission
from tests.case_fixtures import intake_data
from tests.open311.helpers import (
    BAN_PONG,
    DESCRIPTION,
    MUEANG,
    PERSON,
    body,
    errors,
    other,
    post,
    road,
    url,
    xml,
    xml_items,
)

pytestmark = pytest.mark.django_db

ISO_WITH_OFFSET = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00$")


def the_case() -> Complaint:
    return Complaint.objects.select_related("district").get()


# --- Filing -------------------------------------------------------------------------------------


def test_malee_s_report_from_mueang_lands_in_mueang_s_queue(client, chao_ban, signed_in, alice, bob):
    app, key = chao_ban

    response = post(client, key)

    assert response.status_code == 201
    [answer] = body(response)
    case = the_case()
    assert answer["service_request_id"] == case.tracking_code  # the public code, never the id
    assert answer["account_id"] is None
    assert f"/follow/{case.tracking_code}/" in answer["service_notice"]
    # A case of Mueang Ratchaburi, filed online by nobody, where the point is.
    assert case.district_id == "7001" and case.channel == "online" and case.status == Status.RECEIVED
    assert case.recorded_by is None and case.received_on == timezone.localdate()
    assert case.incident_subdistrict_id == "700101"  # the district's seat: no sub-district was named
    assert (float(case.latitude), float(case.longitude)) == MUEANG
    assert case.main_category == road().parent and case.category == road()
    assert case.subject == DESCRIPTION  # its first line, as no subject was sent
    assert case.description.startswith(DESCRIPTION) and "ชาวบ้านแจ้งเหตุ" in case.description
    person = case.complainants.get()
    assert (person.first_name, person.last_name, person.email, person.phone) == tuple(PERSON.values())
    assert not person.is_anonymous and not person.is_confidential
    assert Submission.objects.get().client == app
    app.refresh_from_db()
    assert app.last_used_at is not None
    # Mueang's officer finds it in her queue; Ban Pong's does not.
    assert f'data-case="{case.number}"' in signed_in(alice).get(reverse("workflows:queue")).content.decode()
    assert case.number not in signed_in(bob).get(reverse("workflows:queue")).content.decode()


def test_a_report_from_ban_pong_lands_in_ban_pong_s_queue_in_xml(client, chao_ban, signed_in, alice, bob):
    _app, key = chao_ban

    response = post(client, key, "xml", at=BAN_PONG)

    assert response.status_code == 201
    root = xml(response)
    assert root.tag == "service_requests"
    case = the_case()
    assert root.findtext("request/service_request_id") == case.tracking_code
    assert case.district_id == "7005" and case.incident_subdistrict_id == "700501"
    assert f'data-case="{case.number}"' in signed_in(bob).get(reverse("workflows:queue")).content.decode()
    assert case.number not in signed_in(alice).get(reverse("workflows:queue")).content.decode()


def test_an_address_alone_finds_the_district_and_the_sub_district(client, chao_ban):
    _app, key = chao_ban

    response = post(client, key, at=None, address_string="ตลาดท่าผา ต.ท่าผา อ.บ้านโป่ง จ.ราชบุรี")

    assert response.status_code == 201, response.content.decode()
    case = the_case()
    assert case.district_id == "7005" and case.incident_subdistrict.name_th == "ท่าผา"
    assert case.incident_address == "ตลาดท่าผา ต.ท่าผา อ.บ้านโป่ง จ.ราชบุรี"
    assert case.latitude is None


def test_the_sub_district_attribute_names_the_sub_district(client, chao_ban):
    _app, key = chao_ban

    response = client.post(url("requests"), {**_form(key), "attribute[subdistrict]": "700105"})

    assert response.status_code == 201
    assert the_case().incident_subdistrict_id == "700105"


def test_a_sub_district_of_another_district_is_refused(client, chao_ban):
    _app, key = chao_ban

    response = client.post(url("requests"), {**_form(key), "attribute[subdistrict]": "700501"})

    assert response.status_code == 400
    assert errors(response)[0]["description"].startswith("attribute[subdistrict]:")
    assert not Complaint.objects.exists()


def test_subject_and_confidentiality_from_the_attributes(client, chao_ban):
    _app, key = chao_ban
    form = {**_form(key), "attribute[subject]": "ท่อระบายน้ำอุดตัน", "attribute[confidential]": "true"}

    assert client.post(url("requests"), form).status_code == 201

    case = the_case()
    assert case.subject == "ท่อระบายน้ำอุดตัน" and case.complainants.get().is_confidential


def test_a_report_without_a_name_is_anonymous(client, chao_ban):
    _app, key = chao_ban

    assert post(client, key, first_name="", last_name="", phone="", email="").status_code == 201

    person = the_case().complainants.get()
    assert person.is_anonymous and person.full_name == "ไม่ประสงค์ออกนาม"


def test_other_files_with_its_kind_in_words(client, chao_ban):
    _app, key = chao_ban
    form = {**_form(key, service=other()), "attribute[other_text]": "ไฟฟ้าส่องสว่างดับทั้งซอย"}

    assert client.post(url("requests"), form).status_code == 201

    case = the_case()
    assert case.main_category == other() and case.category is None
    assert case.category_other_text == "ไฟฟ้าส่องสว่างดับทั้งซอย"


def test_other_without_its_kind_is_refused_and_says_which_attribute(client, chao_ban):
    _app, key = chao_ban

    response = post(client, key, service=other())

    assert response.status_code == 400
    assert [e["description"].split(":")[0] for e in errors(response)] == ["attribute[other_text]"]


def test_the_media_url_is_kept_as_a_link_not_fetched(client, chao_ban):
    _app, key = chao_ban

    assert post(client, key, media_url="https://photos.example/drain.jpg").status_code == 201

    assert "https://photos.example/drain.jpg" in the_case().description
    assert not the_case().attachments.exists()


def test_the_same_idempotency_key_files_one_case(client, chao_ban, khao_sod):
    key = chao_ban[1]
    retry = {"Idempotency-Key": str(uuid.uuid4())}

    first = body(post(client, key, headers=retry))
    again = body(post(client, key, headers=retry))
    # Another app's key of the same value is its own.
    other_app = body(post(client, khao_sod[1], headers=retry))

    assert first == again
    assert other_app[0]["service_request_id"] != first[0]["service_request_id"]
    assert Complaint.objects.count() == 2 and Submission.objects.count() == 2


# --- Refusals -----------------------------------------------------------------------------------


def _form(key: str, *, service=None, at=MUEANG) -> dict:
    return {"api_key": key, "service_code": str((service or road()).pk), "lat": at[0], "long": at[1],
            "description": DESCRIPTION, **PERSON}  # fmt: skip


REFUSALS = {
    "no service_code": (dict(service_code=""), 400, "service_code"),
    "unknown service_code": (dict(service_code="999999"), 404, "service_code"),
    "no description": (dict(description=""), 400, "description"),
    "description too long": (dict(description="ก" * 4001), 400, "description"),
    "no place": (dict(at=None), 400, "lat"),
    "lat without long": (dict(at=None, lat="13.5"), 400, "lat"),
    "address_id only": (dict(at=None, address_id="A-17"), 400, "lat"),
    "in the sea": (dict(at=(9.0, 101.5)), 400, "lat"),
    "an address naming no district": (dict(at=None, address_string="หน้าตลาดสด"), 400, "address_string"),
    "not a number": (dict(lat="สิบสาม", long="99.8"), 400, "lat"),
    "a wrong e-mail": (dict(email="maleerat@"), 400, "email"),
    "not a web link": (dict(media_url="ftp://files.example/a.jpg"), 400, "media_url"),
    "a malformed sub-district": (dict(**{"attribute[subdistrict]": "7001"}), 400, "attribute[subdistrict]"),
}


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize("what", REFUSALS)
def test_a_request_the_intake_cannot_take_is_refused_with_the_field(client, chao_ban, what, fmt):
    overrides, status, field = REFUSALS[what]

    response = post(client, chao_ban[1], fmt, **overrides)

    assert response.status_code == status
    found = errors(response, fmt)
    assert found and all(e["code"] == status for e in found)
    assert any(field in e["description"] for e in found), found
    assert not Complaint.objects.exists()


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize("key", ["", "o311_not-a-key", "stopped"])
def test_no_key_a_wrong_key_or_a_stopped_app_is_403(client, chao_ban, key, fmt):
    app, good = chao_ban
    if key == "stopped":
        Client.objects.filter(pk=app.pk).update(is_active=False)
        key = good

    response = post(client, key, fmt)

    assert response.status_code == 403
    assert errors(response, fmt)[0]["code"] == 403
    assert not Complaint.objects.exists()


def test_the_key_may_come_in_the_query_string(client, chao_ban):
    form = _form(chao_ban[1])
    key = form.pop("api_key")

    assert client.post(url("requests") + f"?api_key={key}", form).status_code == 201


@pytest.fixture
def within_one_window(monkeypatch):
    """The limits count in fixed windows: the test's requests all fall in one, whatever the clock says."""
    monkeypatch.setattr(core_limits, "clock", lambda: 1_800_000_000.0)


def test_an_app_past_its_hourly_requests_is_told_to_wait(client, chao_ban, settings, within_one_window):
    settings.OPEN311_POSTS_PER_HOUR_PER_CLIENT = 2
    key = chao_ban[1]
    for n in range(2):
        assert post(client, key, address=f"198.51.100.{n}").status_code == 201

    response = post(client, key, address="198.51.100.9")

    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert errors(response)[0]["code"] == 429
    assert Complaint.objects.count() == 2


def test_an_address_trying_keys_is_cut_off(client, chao_ban, settings, within_one_window):
    settings.OPEN311_POSTS_PER_HOUR_PER_ADDRESS = 3
    for n in range(3):
        assert post(client, f"o311_guess-{n}").status_code == 403

    assert post(client, chao_ban[1]).status_code == 429  # the right key too, from there
    assert post(client, chao_ban[1], address="198.51.100.77").status_code == 201


# --- Reading ------------------------------------------------------------------------------------


@pytest.fixture
def filed(client, chao_ban):
    """The tracking code of Malee's report, filed by Chao Ban."""
    response = post(client, chao_ban[1], **{"attribute[confidential]": "true", "address_string": "ซอยวัดช่องลม 3"})
    assert response.status_code == 201
    return body(response)[0]["service_request_id"]


def _nothing_personal(content: bytes) -> None:
    text = content.decode("utf-8")
    for value in (*PERSON.values(), DESCRIPTION, "ซอยวัดช่องลม", "99/9", str(MUEANG[0]), str(MUEANG[1])):
        assert value not in text, f"{value!r} in a public response"


def test_a_request_read_back_in_json(client, filed):
    response = client.get(url("request", service_request_id=filed))

    assert response.status_code == 200
    [found] = body(response)
    case = the_case()
    assert found["service_request_id"] == filed
    assert found["status"] == "open" and found["status_notes"] == "ศูนย์ฯ ได้รับเรื่องแล้ว อยู่ระหว่างพิจารณา"
    assert (found["service_code"], found["service_name"]) == (str(road().pk), "ถนนชำรุด")
    assert found["agency_responsible"] == "ศูนย์ดำรงธรรมอำเภอเมืองราชบุรี จังหวัดราชบุรี"
    assert found["address"] == "ตำบลหน้าเมือง อำเภอเมืองราชบุรี จังหวัดราชบุรี" and found["zipcode"] == "70000"
    assert ISO_WITH_OFFSET.match(found["requested_datetime"]) and ISO_WITH_OFFSET.match(found["updated_datetime"])
    assert found["expected_datetime"] == f"{case.due_on.isoformat()}T23:59:59+07:00"
    assert found["description"] is None and found["lat"] is None and found["long"] is None
    assert found["media_url"] is None
    assert response["Cache-Control"] == "private, no-store"
    _nothing_personal(response.content)


def test_a_request_read_back_in_xml(client, filed):
    response = client.get(url("request", "xml", service_request_id=filed))

    [found] = xml_items(response, "request")
    assert found["service_request_id"] == filed and found["status"] == "open"
    assert found["agency_responsible"] == "ศูนย์ดำรงธรรมอำเภอเมืองราชบุรี จังหวัดราชบุรี"
    assert found["lat"] is None and found["description"] is None
    _nothing_personal(response.content)


def test_a_tracking_code_as_people_write_it_is_found(client, filed):
    written = "-".join([filed[:5], filed[5:10], filed[10:15], filed[15:20], filed[20:]]).lower()

    assert body(client.get(url("request", service_request_id=written)))[0]["service_request_id"] == filed


def test_a_case_filed_at_the_counter_is_read_by_its_code_and_shows_nobody(client, alice):
    secret = ComplainantData(title="นาง", first_name="ลำดวน", last_name="ปิดชื่อ", phone="0867776655",
                             email="lamduan@example.com", address="12 หมู่ 3", is_confidential=True)  # fmt: skip
    case, _ = case_intake(actor=alice, district=alice.district, data=intake_data(complainants=[secret]))

    for fmt in ("json", "xml"):
        response = client.get(url("request", fmt, service_request_id=case.tracking_code))
        text = response.content.decode()
        assert response.status_code == 200
        for value in ("ลำดวน", "ปิดชื่อ", "0867776655", "lamduan@example.com", "12 หมู่ 3", "นายสมหมาย", case.subject,
                      case.description, case.number):  # fmt: skip
            assert value not in text


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_an_unknown_code_is_404(client, geography, fmt):
    response = client.get(url("request", fmt, service_request_id="0" * 26))

    assert response.status_code == 404 and errors(response, fmt)[0]["code"] == 404


def test_an_address_guessing_codes_is_cut_off_and_then_its_right_code_too(client, filed, settings, within_one_window):
    settings.OPEN311_MISSES_PER_MINUTE = 3
    for n in range(3):
        assert client.get(url("request", service_request_id=f"{n:026d}")).status_code == 404

    refused = client.get(url("request", service_request_id=filed))

    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert client.get(url("request", service_request_id=filed), REMOTE_ADDR="198.51.100.8").status_code == 200


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_several_requests_by_their_codes(client, chao_ban, alice, fmt):
    mine = body(post(client, chao_ban[1]))[0]["service_request_id"]
    counter, _ = case_intake(actor=alice, district=alice.district, data=intake_data())
    codes = f"{mine},{counter.tracking_code},{'Z' * 26}"

    response = client.get(url("requests", fmt), {"service_request_id": codes})

    assert response.status_code == 200
    found = body(response) if fmt == "json" else xml_items(response, "request")
    assert {r["service_request_id"] for r in found} == {mine, counter.tracking_code}
    _nothing_personal(response.content)


def test_a_list_of_everyone_s_requests_is_not_given(client, filed):
    response = client.get(url("requests"))

    assert response.status_code == 400
    assert "service_request_id" in errors(response)[0]["description"]
    assert filed not in response.content.decode()


def test_an_app_lists_its_own_requests_only(client, chao_ban, khao_sod, alice):
    ours = body(post(client, chao_ban[1]))[0]["service_request_id"]
    theirs = body(post(client, khao_sod[1], at=BAN_PONG))[0]["service_request_id"]
    case_intake(actor=alice, district=alice.district, data=intake_data())

    found = body(client.get(url("requests"), {"api_key": chao_ban[1]}))
    in_xml = xml_items(client.get(url("requests", "xml"), {"api_key": khao_sod[1]}), "request")

    assert [r["service_request_id"] for r in found] == [ours]
    assert [r["service_request_id"] for r in in_xml] == [theirs]
    assert client.get(url("requests"), {"api_key": "o311_wrong"}).status_code == 403


def test_an_app_s_list_filtered(client, chao_ban, case_in):
    key = chao_ban[1]
    road_code = body(post(client, key))[0]["service_request_id"]
    other_form = {**_form(key, service=other()), "attribute[other_text]": "อื่นๆ"}
    other_code = body(client.post(url("requests"), other_form))[0]["service_request_id"]
    Complaint.objects.filter(tracking_code=other_code).update(status=Status.CLOSED, closed_at=timezone.now())

    def codes(**query):
        response = client.get(url("requests"), {"api_key": key, **query})
        assert response.status_code == 200, response.content
        return {r["service_request_id"] for r in body(response)}

    assert codes() == {road_code, other_code}
    assert codes(status="open") == {road_code}
    assert codes(status="closed") == {other_code}
    assert codes(status="open,closed") == {road_code, other_code}
    assert codes(service_code=f"{other().pk}") == {other_code}
    assert codes(service_code=f"{road().pk},{other().pk}") == {road_code, other_code}
    today = timezone.localdate()
    assert codes(start_date=(today + dt.timedelta(days=1)).isoformat()) == set()
    assert codes(start_date=f"{today.isoformat()}T00:00:00+07:00", end_date=timezone.now().isoformat()) == {
        road_code,
        other_code,
    }
    assert codes(end_date=f"{(today - dt.timedelta(days=1)).isoformat()}T23:59:59+07:00") == set()


@pytest.mark.parametrize(
    "query",
    [
        {"start_date": "yesterday"},
        {"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-06-01T00:00:00Z"},
        {"start_date": "2026-02-01T00:00:00Z", "end_date": "2026-01-01T00:00:00Z"},
        {"status": "pending"},
        {"service_code": "ถนน"},
    ],
    ids=["not-a-date", "over-90-days", "backwards", "status", "service-code"],
)
def test_an_app_s_list_with_a_wrong_filter_is_400(client, chao_ban, query):
    response = client.get(url("requests"), {"api_key": chao_ban[1], **query})

    assert response.status_code == 400 and errors(response)[0]["code"] == 400


# --- What the status says ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "escalated", "state"),
    [
        (Status.ASSIGNMENT_PENDING, False, "open"),
        (Status.INVESTIGATING, False, "open"),
        (Status.RESOLUTION_PENDING, False, "open"),
        (Status.FORWARDED, False, "open"),
        (Status.CLOSED, False, "closed"),
        (Status.REJECTED, False, "closed"),
    ],
)
def test_open_or_closed_with_the_public_status(client, case_in, status, escalated, state):
    case = case_in(status, escalated=escalated)

    [found] = body(client.get(url("request", service_request_id=case.tracking_code)))

    # The notes are the tracking page's words (cases/public_wording.py), one table for both.
    assert (found["status"], found["status_notes"]) == (state, public_wording.status_text(case))
    if status == Status.RESOLUTION_PENDING:
        # A proposal waiting for the head reads as the investigation it came from.
        assert found["status_notes"] == str(public_wording.STATUS_WORDING[Status.INVESTIGATING])
    if state == "closed":
        assert found["expected_datetime"] is None
        assert found["updated_datetime"] == timezone.localtime(case.closed_at).isoformat(timespec="seconds")


def test_an_escalated_case_is_the_province_center_s(client, case_in):
    case = case_in(Status.ESCALATED)

    [found] = body(client.get(url("request", service_request_id=case.tracking_code)))

    assert found["agency_responsible"] == "ศูนย์ดำรงธรรมจังหวัดราชบุรี"
    assert found["status_notes"] == str(public_wording.STATUS_WORDING[Status.ESCALATED])


def test_a_request_in_english(client, filed):
    [found] = body(client.get(url("request", service_request_id=filed), {"locale": "en"}))

    assert found["service_name"] == "Damaged road"
    assert found["address"] == "Na Mueang, Mueang Ratchaburi, Ratchaburi"
    assert "Mueang Ratchaburi, Ratchaburi" in found["agency_responsible"]


# --- Tokens -------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_no_token_is_ever_issued_so_none_is_found(client, geography, fmt):
    response = client.get(url("token", fmt, token="123456"))

    assert response.status_code == 404
    [error] = errors(response, fmt)
    assert error["code"] == 404 and "token" in error["description"]


def test_the_timeline_says_which_app_filed_it(client, chao_ban):
    """The officers' timeline and the audit row name the Open311 app, not the website's form."""
    app, key = chao_ban
    response = post(client, key)
    assert response.status_code == 201, response.content
    case = Complaint.objects.get()
    intake = case.events.get(action="intake")
    assert intake.actor_name == "ส่งผ่าน Open311 โดยแอปพลิเคชัน ชาวบ้านแจ้งเหตุ"
    filed = AuditEvent.objects.filter(complaint_id=case.pk).order_by("id").first()
    assert "ชาวบ้านแจ้งเหตุ" in filed.detail
