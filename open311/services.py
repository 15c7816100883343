"""The writes of Open311: an app's key, and a request filed as a case.

A request becomes a case through ``cases.services.case_intake_online``, as a complaint
typed on the public site does: channel online, recorded by nobody, in the queue of the
district where it happened (``open311.locate``). The app is remembered with the case
(``Submission``), so that it can list what it filed.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cases.models import Category, Complaint
from cases.services import ComplainantData, IntakeData, case_intake_online
from core import keys
from open311 import locate
from open311.models import Client, Submission

KEY_PREFIX = "o311_"
SUBJECT_LENGTH = 120
# An app's Idempotency-Key becomes the intake's submission key in this namespace, with the
# app's id: the same key from the same app files one case, however often it is sent.
_IDEMPOTENCY_NAMESPACE = uuid.UUID("0b9b3f0e-4f7e-4d0c-9a43-5e0c2f3b1d11")
_SIX_PLACES = Decimal("0.000001")


# --- Keys ---------------------------------------------------------------------------------------


key_digest = keys.digest


def issue_key(client: Client) -> str:
    """Give ``client`` a new api_key (the old one stops working once saved) and return it:
    the only time it is seen, since only its digest is kept. The caller saves."""
    key = keys.new_key(KEY_PREFIX)
    client.key_hash, client.key_prefix = key_digest(key), key[: len(KEY_PREFIX) + 4]
    return key


def register_client(*, name: str, contact: str = "") -> tuple[Client, str]:
    """Register an app; return it and its api_key."""
    client = Client(name=name, contact=contact)
    key = issue_key(client)
    client.save()
    return client, key


def client_for_key(key: str) -> Client | None:
    """The active app holding ``key``, or None."""
    if not key:
        return None
    return Client.objects.filter(key_hash=key_digest(key), is_active=True).first()


# --- Filing a request ---------------------------------------------------------------------------


@dataclass
class RequestData:
    """A POSTed request, its form checked (``open311.forms.RequestForm``)."""

    service: Category
    description: str
    lat: float | None = None
    lng: float | None = None
    address: str = ""
    subject: str = ""
    other_text: str = ""
    subdistrict_code: str = ""
    confidential: bool = False
    first_name: str = ""
    last_name: str = ""
    email: str = ""
    phone: str = ""
    media_url: str = ""


def file_request(
    *, client: Client, data: RequestData, idempotency_key: str = "", client_address: str | None = None
) -> Complaint:
    """File ``data`` as a case of the district where it happened; return the case.

    The same ``idempotency_key`` from the same app returns the case it filed first.
    Raise ValidationError (by field) when the place is not found or the intake refuses.
    """
    if data.lat is not None and data.lng is not None:
        district = locate.district_at(data.lat, data.lng)
        if district is None:
            raise ValidationError({"lat": [_("พิกัดนี้ไม่อยู่ในเขตอำเภอใดของประเทศไทย")]})
    else:
        district = locate.district_named(data.address)
        if district is None:
            raise ValidationError(
                {"address_string": [_("ไม่พบอำเภอและจังหวัดในที่อยู่ กรุณาส่งพิกัด (lat, long) หรือระบุอำเภอและจังหวัด")]}
            )
    subdistrict = locate.subdistrict_for(district, code=data.subdistrict_code, address=data.address)
    if subdistrict is None:
        raise ValidationError(
            {
                "attribute[subdistrict]": [
                    _("รหัสตำบลนี้ไม่อยู่ในอำเภอ%(district)s ที่พิกัดหรือที่อยู่ชี้") % {"district": district.name_th}
                ]
            }
        )
    main = data.service.parent or data.service
    anonymous = not (data.first_name.strip() or data.last_name.strip())
    intake = IntakeData(
        channel="online",
        received_on=timezone.localdate(),
        main_category=main,
        category=data.service if data.service.parent_id else None,
        category_other_text=data.other_text,
        subject=data.subject.strip() or subject_from(data.description),
        description=_description(data, client),
        incident_subdistrict=subdistrict,
        incident_address=data.address.strip()[:300],
        latitude=_six_places(data.lat),
        longitude=_six_places(data.lng),
        complainants=[
            ComplainantData(
                is_anonymous=anonymous,
                is_confidential=data.confidential,
                first_name=data.first_name.strip(),
                last_name=data.last_name.strip(),
                email=data.email.strip(),
                phone=data.phone.strip(),
            )
        ],
    )
    if idempotency_key:
        submission_key = uuid.uuid5(_IDEMPOTENCY_NAMESPACE, f"{client.pk}:{idempotency_key}")
    else:
        submission_key = uuid.uuid4()
    with transaction.atomic():
        with translation.override(settings.LANGUAGE_CODE):
            via = _("ส่งผ่าน Open311 โดยแอปพลิเคชัน %(app)s") % {"app": client.name}
        complaint, _created = case_intake_online(
            district=district, data=intake, submission_key=submission_key, client_address=client_address, via=via
        )
        Submission.objects.get_or_create(complaint=complaint, defaults={"client": client})
        Client.objects.filter(pk=client.pk).update(last_used_at=timezone.now())
    return complaint


def subject_from(description: str) -> str:
    """A subject for a request that has none: its description's first line, cut short."""
    first = description.strip().splitlines()[0].strip() if description.strip() else ""
    return first if len(first) <= SUBJECT_LENGTH else first[: SUBJECT_LENGTH - 1].rstrip() + "…"


def _description(data: RequestData, client: Client) -> str:
    # Stored in the site's language, as the intake's other notes are. The media is a link
    # for the officers to open: fetching a URL an app names is not the server's to do.
    with translation.override(settings.LANGUAGE_CODE):
        lines = [data.description.strip(), ""]
        if data.media_url:
            lines.append(_("ภาพหรือสื่อประกอบ (ลิงก์ที่แอปพลิเคชันส่งมา): %(url)s") % {"url": data.media_url})
        lines.append(_("ส่งผ่าน Open311 โดยแอปพลิเคชัน %(app)s") % {"app": client.name})
    return "\n".join(lines)


def _six_places(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(_SIX_PLACES)
