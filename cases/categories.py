"""The seed list of complaint categories of a Damrongdhama center.

Main categories with their sub-categories and closure target in days. Loaded by
a data migration; administrators manage the list afterwards in the admin.
"""

SEED: list[tuple[str, str, int, list[tuple[str, str]]]] = [
    ("ที่ดิน", "Land", 90, [
        ("บุกรุกที่ดินสาธารณประโยชน์", "Encroachment on public land"),
        ("ข้อพิพาทแนวเขตที่ดิน", "Boundary dispute"),
        ("การออกเอกสารสิทธิ์ที่ดิน", "Land title documents"),
        ("ที่ดินทำกิน", "Farmland"),
    ]),
    ("หนี้สิน", "Debt", 60, [
        ("หนี้นอกระบบ", "Informal debt and loan sharks"),
        ("หนี้ในระบบ", "Formal debt"),
        ("การทวงถามหนี้ไม่เป็นธรรม", "Unfair debt collection"),
    ]),
    ("เหตุเดือดร้อนรำคาญ", "Nuisance", 30, [
        ("เสียงดัง", "Noise"),
        ("กลิ่นเหม็น ควัน ฝุ่นละออง", "Smell, smoke and dust"),
        ("สัตว์เลี้ยงและสัตว์จรจัด", "Pets and stray animals"),
        ("น้ำเสีย", "Wastewater"),
    ]),
    ("พฤติกรรมเจ้าหน้าที่รัฐ", "Conduct of officials", 60, [
        ("ทุจริตหรือประพฤติมิชอบ", "Corruption or misconduct"),
        ("การให้บริการไม่เหมาะสม", "Improper service"),
        ("ละเลยต่อหน้าที่", "Neglect of duty"),
    ]),
    ("สาธารณูปโภค", "Public utilities", 30, [
        ("ถนนชำรุด", "Damaged road"),
        ("ไฟฟ้าส่องสว่าง", "Street lighting"),
        ("น้ำประปา", "Water supply"),
        ("ระบบระบายน้ำ น้ำท่วมขัง", "Drainage and flooding"),
    ]),
    ("คุ้มครองผู้บริโภค", "Consumer protection", 30, [
        ("สินค้าหรือบริการไม่ได้มาตรฐาน", "Substandard goods or services"),
        ("ราคาไม่เป็นธรรม", "Unfair prices"),
        ("การซื้อขายออนไลน์", "Online shopping"),
    ]),
    ("ครอบครัว", "Family", 30, [
        ("ความรุนแรงในครอบครัว", "Domestic violence"),
        ("ข้อพิพาทมรดก", "Inheritance dispute"),
        ("ค่าอุปการะเลี้ยงดู", "Child or spousal support"),
    ]),
    ("ขอความช่วยเหลือ", "Request for help", 30, [
        ("ผู้ยากไร้หรือผู้ได้รับความเดือดร้อน", "People in hardship"),
        ("ผู้ประสบสาธารณภัย", "Disaster victims"),
        ("ผู้ป่วย ผู้พิการ ผู้สูงอายุ", "The sick, disabled and elderly"),
    ]),
    ("ยาเสพติดและอบายมุข", "Drugs and vice", 30, [
        ("แจ้งเบาะแสยาเสพติด", "Drug tip-off"),
        ("การพนัน", "Gambling"),
    ]),
]  # fmt: skip

OTHER = ("เรื่องอื่นๆ", "Other", 30)


def load_categories(category_model=None) -> int:
    """Create the seed categories that do not exist yet; return how many exist."""
    if category_model is None:
        # Not at the top: the data migration imports this module and passes its
        # historical model; the current model must not load inside a migration.
        from cases.models import Category as category_model
    for order, (name_th, name_en, days, subs) in enumerate(SEED, start=1):
        main, _ = category_model.objects.get_or_create(
            parent=None, name_th=name_th, defaults={"name_en": name_en, "closure_days": days, "sort_order": order}
        )
        for sub_order, (sub_th, sub_en) in enumerate(subs, start=1):
            category_model.objects.get_or_create(
                parent=main, name_th=sub_th, defaults={"name_en": sub_en, "closure_days": days, "sort_order": sub_order}
            )
    name_th, name_en, days = OTHER
    category_model.objects.get_or_create(
        parent=None, name_th=name_th,
        defaults={"name_en": name_en, "closure_days": days, "sort_order": 99, "is_other": True},
    )  # fmt: skip
    return category_model.objects.count()
