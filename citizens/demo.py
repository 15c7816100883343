"""Demo data of the citizens' site (``manage.py load_demo_public``, after load_demo and
load_demo_cases): the demo centers' contacts, e-mails for some demo complainants (so
that the notices are seen in the console), and a published news post per demo district
with photos, made through the news services as the demo officers and heads."""

from __future__ import annotations

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw

from cases.models import Complainant
from citizens.models import CenterContact, NewsPost
from citizens.news import services as news
from core.models import District, Province, Subdistrict, User
from core.roles import Role

CONTACTS = {
    # code: (phone, address)
    "70": ("0 3233 7123", "ศาลากลางจังหวัดราชบุรี ถนนสมบูรณ์กุล ตำบลหน้าเมือง อำเภอเมืองราชบุรี จังหวัดราชบุรี 70000"),
    "7001": ("0 3233 7654", "ที่ว่าการอำเภอเมืองราชบุรี ถนนสมบูรณ์กุล ตำบลหน้าเมือง อำเภอเมืองราชบุรี จังหวัดราชบุรี 70000"),
    "7005": ("0 3221 1017", "ที่ว่าการอำเภอบ้านโป่ง ถนนแสงชูโต ตำบลบ้านโป่ง อำเภอบ้านโป่ง จังหวัดราชบุรี 70110"),
}

STORIES = {
    "7001": (
        "ลงพื้นที่ไกล่เกลี่ยข้อพิพาทแนวเขตที่ดิน บ้านหนองหว้า",
        "นายอำเภอเมืองราชบุรี",
        "ชุดปฏิบัติการตำบลหน้าเมือง ผู้ใหญ่บ้าน และคู่กรณีทั้งสองฝ่าย",
        "ศาลาประชาคมหมู่ 3 ตำบลหน้าเมือง",
        "700101",
        "ศูนย์ดำรงธรรมอำเภอเมืองราชบุรีร่วมกับชุดปฏิบัติการตำบลหน้าเมืองลงพื้นที่รังวัดและไกล่เกลี่ย"
        " ข้อพิพาทแนวเขตที่ดินระหว่างเพื่อนบ้าน คู่กรณีตกลงร่วมกันให้สำนักงานที่ดินรังวัดแนวเขตใหม่",
    ),
    "7005": (
        "ประชุมแก้ไขปัญหาน้ำเสียจากโรงงาน ร่วมกับชาวบ้านตำบลบ้านโป่ง",
        "ปลัดอำเภอบ้านโป่ง",
        "สำนักงานสิ่งแวดล้อม อบต. ผู้แทนโรงงาน และชาวบ้าน",
        "หอประชุมอำเภอบ้านโป่ง",
        "700501",
        "ศูนย์ดำรงธรรมอำเภอบ้านโป่งจัดประชุมหารือแนวทางแก้ไขปัญหาน้ำเสีย โรงงานรับจะปรับปรุงบ่อบำบัด"
        "ภายใน 30 วัน และอำเภอจะติดตามผลร่วมกับสำนักงานสิ่งแวดล้อม",
    ),
}


def _photo(name: str, sky: tuple, ground: tuple) -> SimpleUploadedFile:
    image = Image.new("RGB", (1600, 1200), sky)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 760, 1600, 1200), fill=ground)
    for x in range(160, 1200, 260):
        draw.rectangle((x, 560, x + 140, 760), fill=(120, 80, 50))
        draw.polygon([(x - 25, 560), (x + 70, 470), (x + 165, 560)], fill=(170, 40, 40))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def _officer(district: District, role: str) -> User | None:
    return User.objects.filter(district=district, roles__code=role, is_active=True).order_by("pk").first()


@transaction.atomic
def load_demo_public() -> dict[str, int]:
    made = {"contacts": 0, "emails": 0, "news": 0}
    for code, (phone, address) in CONTACTS.items():
        if len(code) == 2:
            _, created = CenterContact.objects.get_or_create(
                province=Province.objects.get(code=code), district=None,
                defaults={"phone": phone, "address": address, "office_hours": "จันทร์–ศุกร์ 08.30–16.30 น."},
            )  # fmt: skip
        else:
            district = District.objects.get(code=code)
            _, created = CenterContact.objects.get_or_create(
                district=district,
                defaults={"province": district.province, "phone": phone, "address": address,
                          "office_hours": "จันทร์–ศุกร์ 08.30–16.30 น."},
            )  # fmt: skip
        made["contacts"] += created
    # Every other demo complainant has an e-mail: the notices of their steps reach it.
    people = Complainant.objects.filter(complaint__district__in=STORIES, email="", is_anonymous=False).order_by("pk")
    for index, person in enumerate(people):
        if index % 2 == 0:
            person.email = f"complainant{person.pk}@example.org"
            person.save(update_fields=["email"])
            made["emails"] += 1
    for code, (title, leader, participants, place, subdistrict, body) in STORIES.items():
        district = District.objects.get(code=code)
        officer, head = _officer(district, Role.DISTRICT_OFFICER), _officer(district, Role.DISTRICT_HEAD)
        if officer is None or head is None:
            raise RuntimeError(f"demo accounts of {code} are missing: run load_demo first")
        if NewsPost.objects.filter(district=district).exists():
            continue
        data = news.NewsData(
            title=title, leader=leader, participants=participants, place=place, body=body,
            happened_on=timezone.localdate() - dt.timedelta(days=3), happened_at=dt.time(9, 30),
            subdistrict=Subdistrict.objects.get(code=subdistrict),
        )  # fmt: skip
        photos = [
            _photo("IMG_0001.jpg", (150, 200, 240), (90, 160, 80)),
            _photo("IMG_0002.jpg", (240, 190, 150), (120, 150, 70)),
        ]
        post = news.news_create(actor=officer, data=data, uploads=photos)
        news.news_take_step(actor=head, post=post, step="publish")
        made["news"] += 1
    return made
