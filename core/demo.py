"""Demo accounts that ``make run`` creates, one or more per role.

Each account has its own password (listed in README.md); they are demo data
and ``load_demo`` refuses to run with DEBUG off.
"""

from dataclasses import dataclass

from core.roles import Role, ScopeLevel


@dataclass(frozen=True)
class DemoAccount:
    national_id: str
    password: str
    title: str
    first_name: str
    last_name: str
    position: str
    roles: tuple[str, ...]
    scope_level: str
    area: str | None  # district code (4 digits) or province code (2 digits)
    must_change_password: bool = False
    is_staff: bool = False


DEMO_ACCOUNTS = [
    DemoAccount("1700100000012", "Officer-7001-demo", "นางสาว", "สุภาพร", "ใจดี",
                "เจ้าพนักงานปกครองชำนาญงาน", (Role.DISTRICT_OFFICER,), ScopeLevel.DISTRICT, "7001"),
    DemoAccount("1700100000021", "Head-7001-demo", "นาย", "วิชัย", "รักษ์ราษฎร์",
                "นายอำเภอเมืองราชบุรี", (Role.DISTRICT_HEAD,), ScopeLevel.DISTRICT, "7001"),
    DemoAccount("3700100000035", "Team-7001-demo", "นาย", "สมศักดิ์", "มั่นคง",
                "กำนันตำบลหน้าเมือง", (Role.TEAM_MEMBER,), ScopeLevel.DISTRICT, "7001"),
    DemoAccount("3700500000041", "Team-7005-demo", "นาย", "บุญเลิศ", "ขยันงาน",
                "ผู้ใหญ่บ้านหมู่ 3 ตำบลบ้านโป่ง", (Role.TEAM_MEMBER,), ScopeLevel.DISTRICT, "7005"),
    DemoAccount("1700500000010", "Officer-7005-demo", "นาง", "อรทัย", "ศรีสุข",
                "ปลัดอำเภอ", (Role.DISTRICT_OFFICER,), ScopeLevel.DISTRICT, "7005"),
    DemoAccount("1700500000028", "Head-7005-demo", "นาย", "ประเสริฐ", "บุญมา",
                "นายอำเภอบ้านโป่ง", (Role.DISTRICT_HEAD,), ScopeLevel.DISTRICT, "7005"),
    DemoAccount("1700000000037", "Province-70-demo", "นาย", "ธนากร", "เที่ยงธรรม",
                "นิติกรชำนาญการ", (Role.PROVINCE_OFFICER,), ScopeLevel.PROVINCE, "70"),
    DemoAccount("1700000000045", "ProvHead-70-demo", "นาย", "อนุชา", "ธรรมรักษ์",
                "ปลัดจังหวัดราชบุรี", (Role.PROVINCE_HEAD,), ScopeLevel.PROVINCE, "70"),
    DemoAccount("1100000000059", "Central-demo-2569", "นางสาว", "พิมพ์ชนก", "สายสุวรรณ",
                "นิติกรชำนาญการพิเศษ", (Role.CENTRAL_OFFICER,), ScopeLevel.NATION, None),
    DemoAccount("1100000000067", "Auditor-demo-2569", "นาง", "กมลา", "ตรวจตรา",
                "ผู้ตรวจสอบภายใน", (Role.AUDITOR,), ScopeLevel.NATION, None),
    DemoAccount("1100000000075", "Admin-demo-2569", "นาย", "ระบบ", "ผู้ดูแล",
                "นักวิชาการคอมพิวเตอร์", (Role.ADMINISTRATOR,), ScopeLevel.NATION, None, is_staff=True),
    DemoAccount("1700100000080", "NewOfficer-7001", "นาย", "ใหม่", "เพิ่งมา",
                "เจ้าพนักงานปกครองปฏิบัติงาน", (Role.DISTRICT_OFFICER,), ScopeLevel.DISTRICT, "7001",
                must_change_password=True),
]  # fmt: skip
