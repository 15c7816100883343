"""Demo teams and cases in Mueang Ratchaburi (7001) and Ban Pong (7005).

Every case is made through the services, as officers would make it, so each
has a real timeline and history; together they cover every state.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from cases import services
from cases.models import Category, Complaint, Team, TeamMembership
from cases.services import ComplainantData, IntakeData, RespondentData
from core.models import District, Subdistrict, User
from core.roles import Role

TEAMS = {
    "7001": [("700101", "ชปต. ตำบลหน้าเมือง"), ("700120", "ชปต. ตำบลคูบัว")],
    "7005": [("700501", "ชปต. ตำบลบ้านโป่ง"), ("700508", "ชปต. ตำบลสวนกล้วย")],
}

# (subject, description, sub-category, subdistrict, complainant, respondent, lat/lng, days ago)
STORIES = [
    ("บุกรุกที่สาธารณะริมคลอง", "มีผู้ปลูกสร้างเพิงพักรุกล้ำที่สาธารณประโยชน์ริมคลองประจำหมู่บ้าน ทำให้น้ำระบายไม่ได้ในฤดูฝน",
     "บุกรุกที่ดินสาธารณประโยชน์", 0, ("นาง", "สมใจ", "ทองดี"), ("person", "นายสมหมาย ใจกล้า"), (13.5365, 99.8171), 40),
    ("เสียงดังจากโรงงานยามวิกาล", "โรงงานแปรรูปไม้เปิดเครื่องจักรตลอดคืน ชาวบ้านพักผ่อนไม่ได้มาหลายสัปดาห์",
     "เสียงดัง", 1, ("นาย", "ประยูร", "แสงทอง"), ("company", "ห้างหุ้นส่วนจำกัด ไม้งามราชบุรี"), (13.5402, 99.8233), 35),
    ("เจ้าหนี้นอกระบบข่มขู่ทวงหนี้", "ถูกเจ้าหนี้เงินกู้นอกระบบคิดดอกเบี้ยร้อยละยี่สิบต่อเดือนและข่มขู่ที่บ้าน",
     "หนี้นอกระบบ", 0, ("นางสาว", "มาลัย", "ศรีงาม"), ("person", "นายเสือ (ไม่ทราบนามสกุล)"), None, 30),
    ("ถนนในหมู่บ้านชำรุดเป็นหลุมบ่อ", "ถนนลูกรังหมู่ 4 ชำรุดหนักหลังน้ำท่วม รถจักรยานยนต์ล้มบ่อยครั้ง",
     "ถนนชำรุด", 1, ("นาย", "สุชาติ", "พูลผล"), ("agency", "องค์การบริหารส่วนตำบล"), (13.5298, 99.8012), 28),
    ("ไฟฟ้าส่องสว่างดับทั้งซอย", "ไฟทางในซอยดับมาเกินหนึ่งเดือน เกิดเหตุวิ่งราวทรัพย์สองครั้ง",
     "ไฟฟ้าส่องสว่าง", 0, ("นาง", "บุญเรือน", "คงมั่น"), ("agency", "เทศบาลเมือง"), None, 21),
    ("ข้อพิพาทแนวเขตที่ดินกับเพื่อนบ้าน", "เพื่อนบ้านสร้างรั้วเกินแนวเขตโฉนดประมาณสองเมตร ตกลงกันไม่ได้",
     "ข้อพิพาทแนวเขตที่ดิน", 1, ("นาย", "ทองคำ", "ใจเย็น"), ("person", "นายวิรัตน์ มีนา"), (13.5511, 99.8390), 18),
    ("เจ้าหน้าที่เรียกรับเงินค่าดำเนินการ", "เจ้าหน้าที่ขอเงินเพิ่มนอกเหนือค่าธรรมเนียมเพื่อเร่งออกเอกสาร",
     "ทุจริตหรือประพฤติมิชอบ", 0, ("นาย", "อำนาจ", "ตรงไปตรงมา"), ("official", "เจ้าหน้าที่งานทะเบียน"), None, 15),
    ("กลิ่นเหม็นจากฟาร์มสุกร", "ฟาร์มสุกรปล่อยน้ำเสียลงลำรางสาธารณะ กลิ่นเหม็นทั้งหมู่บ้าน",
     "กลิ่นเหม็น ควัน ฝุ่นละออง", 1, ("นาง", "ละเอียด", "สุขใจ"), ("company", "ฟาร์มสุกรรุ่งเรือง"), (13.5205, 99.8455), 12),
    ("ขอความช่วยเหลือผู้สูงอายุอยู่ลำพัง", "ยายอายุ 82 ปีอยู่บ้านคนเดียว บ้านทรุดโทรม ขาดผู้ดูแล",
     "ผู้ป่วย ผู้พิการ ผู้สูงอายุ", 0, ("นาย", "สมพงษ์", "เอื้ออารี"), None, None, 9),
    ("ซื้อสินค้าออนไลน์ไม่ได้รับของ", "โอนเงินซื้อเครื่องซักผ้าผ่านเพจแล้วไม่ได้รับสินค้า ติดต่อผู้ขายไม่ได้",
     "การซื้อขายออนไลน์", 1, ("นางสาว", "จันทร์เพ็ญ", "ดีเลิศ"), ("person", "เพจขายเครื่องใช้ไฟฟ้า"), None, 6),
    ("น้ำประปาไม่ไหลสามวัน", "น้ำประปาหมู่บ้านไม่ไหลติดต่อกันสามวัน ไม่มีประกาศแจ้ง",
     "น้ำประปา", 0, ("นาย", "ชัยวัฒน์", "ทรัพย์มาก"), ("agency", "กิจการประปาหมู่บ้าน"), None, 3),
    ("ร้องขอให้ตรวจสอบการพนันในชุมชน", "มีบ่อนการพนันเปิดในชุมชนทุกคืนวันเสาร์",
     "การพนัน", 1, ("นาง", "ประไพ", "รักสงบ"), None, None, 2),
]  # fmt: skip

# The state each story is left in, and the steps that take it there.
PLAN = [
    "closed_resolved", "closed_partly", "investigating", "resolution_pending", "assigned",
    "forwarded", "escalated", "assignment_pending", "received", "rejected", "withdrawn", "received",
]  # fmt: skip


def _people(district: District) -> dict[str, User]:
    staff = User.objects.filter(district=district, is_active=True)
    province = User.objects.filter(province=district.province, district__isnull=True, is_active=True)
    return {
        "officer": staff.filter(roles__code=Role.DISTRICT_OFFICER, must_change_password=False).first(),
        "head": staff.filter(roles__code=Role.DISTRICT_HEAD).first(),
        "member": staff.filter(roles__code=Role.TEAM_MEMBER).first(),
        "province_officer": province.filter(roles__code=Role.PROVINCE_OFFICER).first(),
    }


def ensure_teams(district: District) -> list[Team]:
    people = _people(district)
    teams = []
    for code, name in TEAMS[district.pk]:
        team, _ = Team.objects.get_or_create(
            subdistrict=Subdistrict.objects.get(code=code), name=name, defaults={"leader": people["head"]}
        )
        if people["member"]:
            TeamMembership.objects.get_or_create(
                team=team, user=people["member"], defaults={"kind": TeamMembership.Kind.KAMNAN}
            )
        teams.append(team)
    return teams


@transaction.atomic
def load_demo_cases(district_code: str) -> int:
    """Create the demo cases of a district unless it has cases already; return how many were made."""
    district = District.objects.get(code=district_code)
    teams = ensure_teams(district)
    if Complaint.objects.filter(district=district).exists():
        return 0
    people = _people(district)
    if not all(people.values()):
        raise RuntimeError(f"demo accounts of {district_code} are missing: run load_demo first")
    subdistricts = [team.subdistrict for team in teams]
    today = timezone.localdate()
    for index, (story, plan) in enumerate(zip(STORIES, PLAN, strict=True)):
        subject, description, sub_name, area, person, party, point, days_ago = story
        sub = Category.objects.get(name_th=sub_name)
        data = IntakeData(
            channel=["walk_in", "phone", "letter", "line"][index % 4],
            received_on=today - dt.timedelta(days=days_ago),
            main_category=sub.parent,
            category=sub,
            subject=subject,
            description=description,
            incident_subdistrict=subdistricts[area],
            incident_address=f"หมู่ {index % 9 + 1}",
            latitude=Decimal(str(point[0])) if point else None,
            longitude=Decimal(str(point[1])) if point else None,
            complainants=[
                ComplainantData(
                    title=person[0],
                    first_name=person[1],
                    last_name=person[2],
                    phone=f"08{index:08d}",
                    is_confidential=party is not None and party[0] == "official",
                )
            ],  # fmt: skip
            respondents=[RespondentData(kind=party[0], name=party[1])] if party else [],
        )
        case, _ = services.case_intake(actor=people["officer"], district=district, data=data)
        _play(plan, case, people, teams[area], today)
    return len(STORIES)


def _play(plan: str, case: Complaint, p: dict[str, User], team: Team, today: dt.date) -> None:
    if plan == "received":
        return
    if plan == "rejected":
        services.case_reject(actor=p["head"], case=case, reason="เป็นเรื่องที่อยู่ระหว่างการพิจารณาของศาล")
        return
    if plan == "forwarded":
        services.case_forward(
            actor=p["officer"], case=case, agency="สำนักงานคุ้มครองผู้บริโภค", letter_number="รบ 0018/1523",
            letter_date=today, note="ขอให้ตรวจสอบผู้ขายตามกฎหมายคุ้มครองผู้บริโภค",
        )  # fmt: skip
        return
    if plan == "withdrawn":
        services.case_withdraw(actor=p["officer"], case=case, reason="ผู้ร้องแจ้งถอนเรื่องเนื่องจากตกลงกันได้เอง")
        return
    services.case_propose_assignment(actor=p["officer"], case=case, team=team)
    if plan == "assignment_pending":
        return
    services.case_approve_assignment(actor=p["head"], case=case)
    if plan == "assigned":
        return
    if plan == "escalated":
        services.case_escalate(actor=p["head"], case=case, reason="เกี่ยวข้องกับเจ้าหน้าที่ระดับจังหวัด เกินอำนาจอำเภอ")
        return
    services.case_accept(actor=p["member"], case=case)
    services.case_report_progress(
        actor=p["member"], case=case, text="ลงพื้นที่พบผู้ร้องและผู้ถูกร้องแล้ว นัดไกล่เกลี่ยที่ศาลาประชาคม",
        latitude=case.latitude, longitude=case.longitude,
    )  # fmt: skip
    if plan == "investigating":
        return
    outcome = "partly_resolved" if plan == "closed_partly" else "resolved"
    services.case_propose_resolution(
        actor=p["member"], case=case, outcome=outcome, summary="ไกล่เกลี่ยสำเร็จ คู่กรณีลงนามบันทึกข้อตกลง"
    )
    if plan == "resolution_pending":
        return
    services.case_approve_closure(actor=p["head"], case=case)
