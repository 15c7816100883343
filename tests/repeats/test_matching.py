"""The repeat check (issue 11 §1): the same complainant, the same respondent and the same
grievance, found nationally from what the intake knows. Run on SQLite and on PostgreSQL
(the lookup differs: a GIN index there, a scan here)."""

import pytest
from django.db import connection

from cases.models import Category
from core.models import User
from core.thai import make_national_id
from repeats.matching import (
    COMPLAINANT_MIN,
    PER_KEY,
    Candidate,
    Draft,
    Relation,
    find_candidates,
)
from tests.repeats.conftest import party, person

SOMCHAI_ID = make_national_id("310010012345")
OTHER_ID = make_national_id("310010054321")

LAND = "บุกรุกที่ดินสาธารณประโยชน์"
NOISE = "เสียงดัง"
ROAD = "ถนนชำรุด"


def draft(**fields) -> Draft:
    fields.setdefault("subject", "")
    return Draft(**fields)


def found(candidates: list[Candidate], case, relation) -> Candidate | None:
    return next((c for c in candidates if c.complaint_id == case.pk and c.relation == relation), None)


def codes(candidate: Candidate) -> set[str]:
    return {reason.code for reason in candidate.reasons}


# --- The same complainant -------------------------------------------------------------------


def test_the_same_national_id_typed_another_way_in_another_province(alice, record):
    # given Somchai complained in Ratchaburi
    earlier = record(alice, complainants=[person("สมชาย", "ทองดี", title="นาย", national_id=SOMCHAI_ID)])
    # when a Kanchanaburi officer types his ID in Thai digits with dashes, and his name otherwise
    typed = "-".join(["๓", "๑๐๐๑", "๐๐๑๒๓", "๔๕", SOMCHAI_ID[-1]]).translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))
    candidates = find_candidates(draft(complainants=[person("ร.ต.อ. สมชัย", "ทองดีย์", national_id=typed)]))
    # then
    candidate = found(candidates, earlier, Relation.COMPLAINANT)
    assert candidate.score == 1.0
    assert codes(candidate) == {"same_id"}


def test_two_ids_are_two_people_whatever_their_names(alice, record):
    earlier = record(alice, complainants=[person("สมชาย", "ทองดี", national_id=SOMCHAI_ID, phone="0812345678")])
    candidates = find_candidates(
        draft(
            complainants=[person("สมชาย", "ทองดี", national_id=OTHER_ID)],
            incident_subdistrict_id="700101",
        )
    )
    assert found(candidates, earlier, Relation.COMPLAINANT) is None


def test_a_name_spelt_otherwise_with_the_same_phone(alice, record):
    earlier = record(alice, complainants=[person("สมชาย", "ทองดี", phone="081-234-5678")])
    candidates = find_candidates(draft(complainants=[person("นายซมชาย", "ทองดี", phone="+66 81 234 5678")]))
    candidate = found(candidates, earlier, Relation.COMPLAINANT)
    assert candidate.score >= COMPLAINANT_MIN
    assert codes(candidate) == {"similar_name", "same_phone"}
    name = next(r for r in candidate.reasons if r.code == "similar_name")
    assert name.detail == "ซมชาย ทองดี ~ สมชาย ทองดี"


def test_the_same_person_with_and_without_an_id_at_the_same_house(alice, kim, record):
    earlier = record(
        alice,
        complainants=[person("สมใจ", "ศรีสุข", title="นาง", national_id=SOMCHAI_ID, address="82/1 ม.7 ต.หน้าเมือง")],
    )
    candidates = find_candidates(
        draft(complainants=[person("น.ส.สมใจ", "ศรีสุข", address="บ้านเลขที่ 82/1 หมู่ที่ 7 ตำบลหน้าเมือง อำเภอเมืองราชบุรี")])
    )
    assert codes(found(candidates, earlier, Relation.COMPLAINANT)) == {"similar_name", "same_address"}


def test_a_common_name_alone_is_not_the_same_person(alice, record):
    earlier = record(alice, complainants=[person("สมชาย", "ใจดี")], subdistrict="700101")
    # elsewhere in the country, nothing else in common
    candidates = find_candidates(draft(complainants=[person("สมชาย", "ใจดี")], incident_subdistrict_id="710101"))
    assert found(candidates, earlier, Relation.COMPLAINANT) is None
    # in the same sub-district, the same name is likelier the same person
    candidates = find_candidates(draft(complainants=[person("สมชาย", "ใจดี")], incident_subdistrict_id="700101"))
    assert codes(found(candidates, earlier, Relation.COMPLAINANT)) == {"similar_name", "same_subdistrict"}


def test_srisuk_and_sisuk_are_other_families(alice, record):
    earlier = record(alice, complainants=[person("สมใจ", "ศรีสุข")], subdistrict="700101")
    candidates = find_candidates(draft(complainants=[person("สมใจ", "สีสุข")], incident_subdistrict_id="700101"))
    assert found(candidates, earlier, Relation.COMPLAINANT) is None


def test_a_phone_or_a_house_alone_is_a_family_not_a_person(alice, record):
    earlier = record(alice, complainants=[person("สมชาย", "ทองดี", phone="0812345678", address="12 ม.3 ต.หน้าเมือง")])
    candidates = find_candidates(
        draft(complainants=[person("มาลัย", "แสงทอง", phone="0812345678", address="12 หมู่ 3 ตำบลหน้าเมือง")])
    )
    assert found(candidates, earlier, Relation.COMPLAINANT) is None


def test_a_confidential_complainant_matches_and_no_reason_names_them(alice, record):
    earlier = record(alice, complainants=[person("สมชาย", "ทองดี", phone="0812345678", is_confidential=True)])
    candidates = find_candidates(draft(complainants=[person("สมชัย", "ทองดี", phone="0812345678")]))
    candidate = found(candidates, earlier, Relation.COMPLAINANT)
    assert candidate is not None
    assert all("สมชาย" not in reason.detail for reason in candidate.reasons)


def test_an_anonymous_complainant_matches_nobody(alice, record):
    record(alice, complainants=[person(is_anonymous=True)], respondents=[])
    assert not [
        c for c in find_candidates(draft(complainants=[person(is_anonymous=True)])) if c.relation != "grievance"
    ]


# --- The same respondent --------------------------------------------------------------------


def test_a_company_written_with_its_abbreviation(alice, kim, record):
    earlier = record(kim, respondents=[party("บริษัท ทวีทรัพย์ไฟแนนซ์ จำกัด (สำนักงานใหญ่)", "company")])
    candidates = find_candidates(draft(respondents=[party("บจก.ทวีทรัพย์ไฟแนนซ์ สาขาราชบุรี", "company")]))
    candidate = found(candidates, earlier, Relation.RESPONDENT)
    assert codes(candidate) == {"similar_respondent_name"}
    assert candidate.reasons[0].detail == "บจก.ทวีทรัพย์ไฟแนนซ์ สาขาราชบุรี ~ บริษัท ทวีทรัพย์ไฟแนนซ์ จำกัด (สำนักงานใหญ่)"


def test_a_local_body_of_the_same_name_in_another_province_is_another(alice, kim, record):
    here = record(alice, respondents=[party("องค์การบริหารส่วนตำบลหนองหว้า", "agency")], subdistrict="700101")
    there = record(kim, respondents=[party("อบต.หนองหว้า", "agency")], subdistrict="710101")
    candidates = find_candidates(draft(respondents=[party("อบต.หนองหว้า", "agency")], incident_subdistrict_id="700102"))
    assert found(candidates, here, Relation.RESPONDENT)
    assert found(candidates, there, Relation.RESPONDENT) is None


def test_a_national_body_is_one_respondent_everywhere(alice, kim, record):
    there = record(kim, respondents=[party("การไฟฟ้าส่วนภูมิภาค", "agency")], subdistrict="710101")
    candidates = find_candidates(draft(respondents=[party("กฟภ.", "agency")], incident_subdistrict_id="700101"))
    assert found(candidates, there, Relation.RESPONDENT)


def test_an_official_by_account_and_a_person_by_id(alice, kim, record):
    official = User.objects.exclude(pk__in=[alice.pk, kim.pk]).first() or kim
    earlier = record(
        alice,
        respondents=[
            party("นายสมหมาย ใจร้าย", "official", national_id=official.national_id),
            party("นายประยูร บุญยืน", "person", national_id=SOMCHAI_ID),
        ],
    )
    saved = Draft.from_case(earlier)
    assert saved.respondents[0].user_id == official.pk
    candidates = find_candidates(saved, exclude_ids=[])
    candidate = found(candidates, earlier, Relation.RESPONDENT)
    assert codes(candidate) == {"same_official"}
    candidates = find_candidates(draft(respondents=[party("ประยูร บุญยืน", "person", national_id=SOMCHAI_ID)]))
    assert codes(found(candidates, earlier, Relation.RESPONDENT)) == {"same_respondent_id"}


def test_a_person_complained_about_again_in_the_province(alice, bob, kim, record):
    near = record(bob, respondents=[party("นายสมหมาย ใจร้าย")], subdistrict="700501")
    far = record(kim, respondents=[party("นายสมหมาย ใจร้าย")], subdistrict="710101")
    candidates = find_candidates(draft(respondents=[party("สมหมาย ใจร้าย")], incident_subdistrict_id="700101"))
    assert found(candidates, near, Relation.RESPONDENT)
    assert found(candidates, far, Relation.RESPONDENT) is None


# --- The same grievance ---------------------------------------------------------------------

ROAD_SUBJECT = "ถนนคอนกรีตหมู่ 5 บ้านหนองหว้าแตกร้าวทรุดตัว"
ROAD_TEXT = "ถนนคอนกรีตสายหลักของหมู่บ้านหนองหว้า หมู่ 5 แตกร้าวและทรุดตัวเป็นแนวยาวประมาณ 200 เมตร รถจักรยานยนต์ล้มบ่อยครั้ง"


def test_the_same_grievance_retold_months_later_at_another_center(alice, paula, record):
    earlier = record(alice, subject=ROAD_SUBJECT, description=ROAD_TEXT, subdistrict="700102", category=ROAD)
    # told in other words, at the province's center, the same place
    retold = draft(
        subject="ขอให้ซ่อมถนนหมู่ที่ 5 บ้านหนองหว้าที่ทรุดตัว",
        description="ถนนคอนกรีตในหมู่บ้านหนองหว้า ม.5 ทรุดตัวและแตกเป็นแนวยาว ชาวบ้านสัญจรลำบาก "
        "รถจักรยานยนต์ล้มหลายราย ขอให้ อบต. ซ่อมแซม",
        incident_subdistrict_id="700102",
        main_category_id=earlier.main_category_id,
        category_id=earlier.category_id,
    )
    candidate = found(find_candidates(retold), earlier, Relation.GRIEVANCE)
    assert {"similar_text", "same_subdistrict", "same_category"} <= codes(candidate)
    assert "รถจักรยานยนต์ล้ม" in candidate.shared_phrases
    assert any("หนองหว้า" in phrase for phrase in candidate.shared_phrases)


def test_the_same_topic_elsewhere_is_another_incident(alice, kim, record):
    earlier = record(alice, subject=ROAD_SUBJECT, description=ROAD_TEXT, subdistrict="700102", category=ROAD)
    other_road = draft(
        subject="ถนนลูกรังหมู่ 9 บ้านโนนสูงเป็นหลุมบ่อ",
        description="ถนนลูกรังเข้าหมู่บ้านโนนสูง หมู่ 9 เป็นหลุมเป็นบ่อ ฝนตกน้ำขัง รถสัญจรลำบาก",
        incident_subdistrict_id="710101",
        main_category_id=earlier.main_category_id,
        category_id=earlier.category_id,
    )
    assert found(find_candidates(other_road), earlier, Relation.GRIEVANCE) is None


def test_the_same_text_anywhere_is_the_same_grievance(alice, kim, record):
    earlier = record(alice, subject=ROAD_SUBJECT, description=ROAD_TEXT, subdistrict="700102", category=ROAD)
    copied = draft(subject=ROAD_SUBJECT, description=ROAD_TEXT + " ขอให้ช่วยเหลือด่วน", incident_subdistrict_id="710101")
    candidate = found(find_candidates(copied), earlier, Relation.GRIEVANCE)
    assert codes(candidate) == {"similar_text"}  # another province's tambon: evidence against, outweighed


def test_the_same_grievance_from_the_same_complainant_ranks_first(alice, record):
    mine = record(
        alice,
        complainants=[person("สมชาย", "ทองดี", national_id=SOMCHAI_ID)],
        subject=ROAD_SUBJECT,
        description=ROAD_TEXT,
        subdistrict="700102",
        category=ROAD,
    )
    theirs = record(alice, subject=ROAD_SUBJECT, description=ROAD_TEXT, subdistrict="700102", category=ROAD)
    again = Draft.from_case(mine)
    candidates = find_candidates(again, exclude_ids=[mine.pk])
    assert found(candidates, theirs, Relation.GRIEVANCE)
    candidates = find_candidates(
        Draft(
            complainants=[person("สมชาย", "ทองดี", national_id=SOMCHAI_ID)],
            subject=ROAD_SUBJECT,
            description=ROAD_TEXT,
            incident_subdistrict_id="700102",
            main_category_id=mine.main_category_id,
            category_id=mine.category_id,
        )
    )
    grievances = [c for c in candidates if c.relation == Relation.GRIEVANCE]
    assert [c.complaint_id for c in grievances] == [mine.pk, theirs.pk]
    assert "same_id" in codes(grievances[0])


# --- The lookup -----------------------------------------------------------------------------


def test_best_first_one_per_case_and_relation_within_the_limit(alice, record):
    cases = [
        record(alice, complainants=[person("สมชาย", "ทองดี", national_id=SOMCHAI_ID)], subject=ROAD_SUBJECT,
               description=ROAD_TEXT, subdistrict="700102", category=ROAD)
        for _ in range(3)
    ]  # fmt: skip
    candidates = find_candidates(Draft.from_case(cases[0]), exclude_ids=[cases[0].pk])
    assert {c.complaint_id for c in candidates} == {cases[1].pk, cases[2].pk}
    assert len({(c.complaint_id, c.relation) for c in candidates}) == len(candidates)
    assert [c.score for c in candidates] == sorted((c.score for c in candidates), reverse=True)
    assert len(find_candidates(Draft.from_case(cases[0]), limit=2)) == 2


def test_an_empty_draft_finds_nothing(alice, record):
    record(alice)
    assert find_candidates(Draft()) == []


def test_the_check_costs_the_same_queries_however_many_it_finds(alice, record, django_assert_max_num_queries):
    for n in range(6):
        record(alice, complainants=[person("สมชาย", "ทองดี", phone="0812345678")], respondents=[party("บจก. ก้าวหน้า")],
               subject=ROAD_SUBJECT, description=ROAD_TEXT + f" ครั้งที่ {n}", subdistrict="700102", category=ROAD)  # fmt: skip
    check = draft(
        complainants=[person("สมชาย", "ทองดี", phone="0812345678")],
        respondents=[party("บจก. ก้าวหน้า", "company")],
        subject=ROAD_SUBJECT,
        description=ROAD_TEXT,
        incident_subdistrict_id="700102",
    )
    with django_assert_max_num_queries(3):  # the lookup, complainants, respondents
        candidates = find_candidates(check)
    assert len({c.complaint_id for c in candidates}) == 6


def test_a_key_many_cases_share_does_not_hide_a_rare_one(alice, record):
    # given more cases about one company than a key reads, and one case of Somchai's among the first
    somchai = record(alice, complainants=[person("สมชาย", "ทองดี", national_id=SOMCHAI_ID)],
                     respondents=[party("บริษัท ก้าวหน้า จำกัด", "company")])  # fmt: skip
    for _ in range(PER_KEY + 5):
        record(alice, respondents=[party("บริษัท ก้าวหน้า จำกัด", "company")])
    candidates = find_candidates(
        draft(
            complainants=[person("สมชาย", "ทองดี", national_id=SOMCHAI_ID)], respondents=[party("บจก.ก้าวหน้า", "company")]
        )
    )
    assert candidates[0].complaint_id == somchai.pk and candidates[0].relation == Relation.COMPLAINANT
    assert len([c for c in candidates if c.relation == Relation.RESPONDENT]) == 20 - 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the GIN index exists on PostgreSQL only")
def test_the_lookup_reads_the_gin_index(alice, record):
    from repeats.indexing import WEIGHTS, Reading
    from repeats.matching import LOOKUP_LIMIT, lookup_sql

    record(alice, complainants=[person("สมชาย", "ทองดี", national_id=SOMCHAI_ID)])
    keys = Reading.of(draft(complainants=[person("สมชาย", "ทองดี", national_id=SOMCHAI_ID)])).keys
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a few rows: the planner would rather scan them
        cursor.execute(
            "EXPLAIN " + lookup_sql(), [list(keys), [WEIGHTS[k] for k in keys.values()], [], PER_KEY, LOOKUP_LIMIT]
        )
        plan = "\n".join(line for (line,) in cursor.fetchall())
    assert "Bitmap Index Scan on repeats_fingerprint_keys" in plan, plan


# --- The rules the labelled set taught -------------------------------------------------------


def test_a_name_typed_surname_first_or_with_a_nickname(alice, record):
    earlier = record(alice, complainants=[person("ปิยะนุช", "ทองคำ", phone="0812345678")])
    swapped = find_candidates(draft(complainants=[person("ทองคำ", "ปิยะนุช", phone="0812345678")]))
    assert "similar_name" in codes(found(swapped, earlier, Relation.COMPLAINANT))
    nicknamed = find_candidates(draft(complainants=[person("ปิยะนุช (แอน)", "ทองคำ", phone="0812345678")]))
    assert "similar_name" in codes(found(nicknamed, earlier, Relation.COMPLAINANT))


def test_a_name_spelt_a_letter_otherwise_that_udom83_hears_apart(alice, record):
    # udom83 gives ประยุทธ and ประยุทธ์ different codes; the spelling says they are one name
    earlier = record(alice, complainants=[person("ประยุทธ", "บุญมา", phone="0812345678")])
    candidates = find_candidates(draft(complainants=[person("ประยุทธ์", "บุญมา", phone="081 234 5678")]))
    assert codes(found(candidates, earlier, Relation.COMPLAINANT)) == {"similar_name", "same_phone"}


def test_two_branches_of_one_bank_are_two_respondents(alice, record):
    jom_bueng = record(alice, respondents=[party("ธ.ก.ส. สาขาจอมบึง", "agency")])
    candidates = find_candidates(draft(respondents=[party("ธนาคารเพื่อการเกษตรและสหกรณ์การเกษตร สาขาโพธาราม", "agency")]))
    assert found(candidates, jom_bueng, Relation.RESPONDENT) is None
    candidates = find_candidates(draft(respondents=[party("ธกส. สาขาจอมบึง", "agency")]))
    assert found(candidates, jom_bueng, Relation.RESPONDENT)


def test_a_shop_written_in_another_order_and_a_page_recorded_as_a_person(alice, record):
    bar = record(alice, respondents=[party("ร้านคาราโอเกะดาวเหนือ", "company")])
    page = record(alice, respondents=[party("เพจเฟซบุ๊ก ของดีราคาส่ง", "person")])
    assert found(find_candidates(draft(respondents=[party("ร้านดาวเหนือ คาราโอเกะ", "company")])), bar, "respondent")
    assert not found(find_candidates(draft(respondents=[party("ร้านดาวใต้ คาราโอเกะ", "company")])), bar, "respondent")
    assert found(find_candidates(draft(respondents=[party("ของดีราคาส่ง", "person")])), page, "respondent")


def test_an_abbreviated_office_with_its_district(alice, record):
    office = record(alice, respondents=[party("การไฟฟ้าส่วนภูมิภาคอำเภอเมืองราชบุรี", "agency")])
    candidates = find_candidates(draft(respondents=[party("กฟภ.อ.เมืองราชบุรี", "agency")]))
    assert found(candidates, office, Relation.RESPONDENT)


def test_another_road_of_the_same_tambon(alice, record):
    earlier = record(alice, subject=ROAD_SUBJECT, description=ROAD_TEXT, subdistrict="700102", category=ROAD)
    other_village = draft(
        subject="ถนนหมู่ 8 บ้านดอนตูมทรุดตัวเป็นหลุมบ่อ",
        description="ถนนคอนกรีตเข้าหมู่บ้านดอนตูม หมู่ 8 ทรุดตัวเป็นหลุมบ่อหลายจุด ฝนตกน้ำขัง รถสัญจรลำบาก",
        incident_subdistrict_id="700102",
        main_category_id=earlier.main_category_id,
        category_id=earlier.category_id,
    )
    assert found(find_candidates(other_village), earlier, Relation.GRIEVANCE) is None


def test_the_same_place_with_another_kind_of_problem(alice, record):
    earlier = record(alice, subject=ROAD_SUBJECT, description=ROAD_TEXT, subdistrict="700102", category=ROAD)
    lights = Category.objects.get(name_th="ไฟฟ้าส่องสว่าง")
    dark = draft(
        subject="ไฟส่องสว่างหมู่ 5 บ้านหนองหว้าดับ",
        description="ไฟส่องสว่างริมถนนในหมู่ 5 บ้านหนองหว้าดับมาสองสัปดาห์ กลางคืนมืดมาก รถจักรยานยนต์ล้ม",
        incident_subdistrict_id="700102",
        main_category_id=lights.parent_id,
        category_id=lights.pk,
    )
    assert found(find_candidates(dark), earlier, Relation.GRIEVANCE) is None
