"""Demo registrations (``manage.py load_demo_registrations``, after load_demo): the demo
officers' accounts certified through the registration workflow, as they would have been
(heads certifying themselves, the provincial chief clerk by the central administrator),
and two forms on their way: one waiting for the Mueang Ratchaburi chief, one returned to
Ban Pong. Made through the services, as the demo officers; run twice, it adds nothing."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from accounts import services
from accounts.models import Position, Registration
from core.models import User
from core.roles import ScopeLevel

# national ID: (position, level, filled by, certified by, office phone)
HISTORY = [
    ("1700100000021", Position.DISTRICT_CHIEF, "", "1700100000021", "1700100000021", "0 3233 7654"),
    ("1700500000028", Position.DISTRICT_CHIEF, "", "1700500000028", "1700500000028", "0 3221 1017"),
    ("1700000000045", Position.GOVERNOR_DELEGATE, "", "1700000000045", "1100000000075", "0 3233 7006"),
    ("1700000000037", Position.LEGAL_OFFICER, "ชำนาญการ", "1700000000037", "1700000000045", "0 3233 7006"),
    ("1700100000012", Position.ADMINISTRATIVE_OFFICER, "ชำนาญงาน", "1700100000012", "1700100000021", "0 3233 7654"),
    ("1700500000010", Position.DEPUTY_DISTRICT_CHIEF, "", "1700500000010", "1700500000028", "0 3221 1017"),
    ("1100000000059", Position.LEGAL_OFFICER, "ชำนาญการพิเศษ", "1100000000059", "1100000000075", "0 2356 9555"),
    ("1700100000080", Position.ADMINISTRATIVE_OFFICER, "ปฏิบัติงาน", "1700100000012", "1700100000021", "0 3233 7654"),
]
WAITING_ID = "1700100000098"  # นางสาวมาลี ศรีงาม, for Mueang Ratchaburi
RETURNED_ID = "1700500000109"  # นายกิตติ พากเพียร, for Ban Pong


def _form(account_or_id, position, level, phone, **fields) -> Registration:
    today = timezone.localdate()
    person = account_or_id if isinstance(account_or_id, User) else None
    values = dict(
        registered_on=today - dt.timedelta(days=30), kind=Registration.Kind.FIRST, position=position, level=level,
        work_unit="ศูนย์ดำรงธรรม", section="ฝ่ายปกครอง", office_phone=phone, assigned_on=today - dt.timedelta(days=30),
    )  # fmt: skip
    if person is not None:
        values.update(
            national_id=person.national_id, title=person.title, first_name=person.first_name,
            last_name=person.last_name, scope_level=person.scope_level, province_id=person.province_id,
            district_id=person.district_id, mobile_phone=person.mobile_phone, email=person.email,
        )  # fmt: skip
    else:
        values["national_id"] = account_or_id
    values.update(fields)
    return Registration(**values)


@transaction.atomic
def load_demo_registrations() -> dict[str, int]:
    people = {u.national_id: u for u in User.objects.filter(national_id__startswith="1")}
    made = {"certified": 0, "waiting": 0, "returned": 0}
    for national_id, position, level, filler, certifier, phone in HISTORY:
        person = people.get(national_id)
        if person is None or Registration.objects.filter(national_id=national_id).exists():
            continue
        registration = services.submit(actor=people[filler], registration=_form(person, position, level, phone))
        if registration.state == Registration.State.WAITING:
            services.certify(actor=people[certifier], registration=registration)
        made["certified"] += 1
    officer, head = people.get("1700100000012"), people.get("1700100000021")
    if officer and head and not Registration.objects.filter(national_id=WAITING_ID).exists():
        services.submit(
            actor=officer,
            registration=_form(
                WAITING_ID, Position.ADMINISTRATIVE_OFFICER, "ปฏิบัติงาน", "0 3233 7654", title="นางสาว",
                first_name="มาลี", last_name="ศรีงาม", scope_level=ScopeLevel.DISTRICT, province_id="70",
                district_id="7001", mobile_phone="081 234 5678", email="malee@example.go.th",
                registered_on=timezone.localdate(), assigned_on=timezone.localdate(),
            ),
        )  # fmt: skip
        made["waiting"] += 1
    officer, head = people.get("1700500000010"), people.get("1700500000028")
    if officer and head and not Registration.objects.filter(national_id=RETURNED_ID).exists():
        registration = services.submit(
            actor=officer,
            registration=_form(
                RETURNED_ID, Position.DEPUTY_DISTRICT_CHIEF, "", "0 3221 1017", title="นาย", first_name="กิตติ",
                last_name="พากเพียร", scope_level=ScopeLevel.DISTRICT, province_id="70", district_id="7005",
            ),
        )  # fmt: skip
        services.return_registration(
            actor=head, registration=registration,
            reason="กรุณาระบุระดับตำแหน่งและวันที่ได้รับมอบหมายตามคำสั่งอำเภอ แล้วส่งใหม่",
        )  # fmt: skip
        made["returned"] += 1
    return made
