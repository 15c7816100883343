"""Scanned documents on the cases of a bench database: documents of one to three pages whose
text reads like Thai OCR of a complaint letter, added fast, for the search benchmark.

``bench/generate_pages N`` is the command line; ``generate_pages()`` does the work. Each
document goes to a case drawn at random among all, in the case's district, uploaded a few days
after the case was received and read minutes later (status done). Its pages: page 1 opens
with the sender's address, the date, the subject and the district chief it is addressed to;
the last one closes and signs; between them the story, in sentences from the labelled set's
vocabulary (bench/search_set/make_set.py) and the generator's stories (bench/generator/text.py),
names from the generator's lists and the case's own district and sub-districts; then
a few characters per hundred misread as Thai OCR misreads them (a tone mark lost, a letter
taken for its look-alike, a space inside a word, a Thai digit for an Arabic one).
About one page in 10,000 tells of a crocodile (``RARE_WORD``), the rare word bench/search
looks for.

Rows go in with COPY, one transaction per batch, ids from the tables' own sequences, and the
cases they go on marked outdated for the search index in the same transaction (as
``cases.search`` marks a case whose documents changed: ``search_version`` 0); then the tables
are analysed and the index brought up to date with ``manage.py reindex_search --outdated``.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import time
from array import array
from collections.abc import Callable
from dataclasses import dataclass

from django.core.management import call_command, get_commands
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from bench.search_set import make_set
from cases.models import Complaint
from documents.models import Document, Page

from . import rows as copy_rows
from . import text as generator_text
from .rows import line

RARE_WORD = "จระเข้"
RARE_SENTENCE = "มีจระเข้หลุดจากบ่อเลี้ยงลงลำคลองหลังหมู่บ้าน ชาวบ้านไม่กล้าลงไปหาปลา"
RARE_EVERY = 10_000
THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
MONTHS = ("มกราคม กุมภาพันธ์ มีนาคม เมษายน พฤษภาคม มิถุนายน กรกฎาคม สิงหาคม กันยายน ตุลาคม พฤศจิกายน ธันวาคม").split()
# Letters Tesseract takes for one another in Thai print.
LOOK_ALIKE = dict(zip("ขชดตบปพฟถภคฅซศผฝอฮ", "ชขตดปบฟพภถฅคศซฝผฮอ", strict=True))
TONE_MARKS = "่้๊๋"


class Refused(Exception):
    """The database is not one to add pages to (the message says why)."""


@dataclass
class Cases:
    """Every case's id, district and day received, compact (a million cases: about 20 MB)."""

    ids: array
    districts: array  # index into ``codes``
    received: array  # date ordinals
    codes: list[str]


def read_cases() -> Cases:
    ids, districts, received = array("q"), array("H"), array("l")
    codes: list[str] = []
    index: dict[str, int] = {}
    with transaction.atomic(), connection.cursor() as cursor:
        # A server-side cursor: a million rows are not fetched at once.
        cursor.execute(
            "DECLARE bench_cases NO SCROLL CURSOR FOR SELECT id, district_id, received_on FROM cases_complaint"
        )
        while True:
            cursor.execute("FETCH 50000 FROM bench_cases")
            rows = cursor.fetchall()
            if not rows:
                break
            for pk, district, day in rows:
                if district not in index:
                    index[district] = len(codes)
                    codes.append(district)
                ids.append(pk)
                districts.append(index[district])
                received.append(day.toordinal())
        cursor.execute("CLOSE bench_cases")
    return Cases(ids, districts, received, codes)


class Places:
    """A district's names as a letter writes its sender's address."""

    def __init__(self):
        from core.models import District, Subdistrict

        self.districts = {d.pk: d for d in District.objects.select_related("province")}
        self.subdistricts: dict[str, list[str]] = {}
        for code, name in Subdistrict.objects.values_list("district_id", "name_th"):
            self.subdistricts.setdefault(code, []).append(name)

    def address(self, code: str, rng: random.Random) -> tuple[str, str]:
        """(the sender's sub-district, district and province; the district as นายอำเภอ... says it)."""
        district = self.districts[code]
        tambon = rng.choice(self.subdistricts.get(code) or [district.name_th])
        if district.province_id == "10":
            return f"แขวง{tambon} {district.name_th} กรุงเทพมหานคร", f"ผู้อำนวยการ{district.name_th}"
        return f"ตำบล{tambon} อำเภอ{district.name_th} จังหวัด{district.province.name_th}", f"นายอำเภอ{district.name_th}"


class Writer:
    """Letters as OCR reads them: ``pages(code, ...)`` gives the text of each page of one."""

    def __init__(self, rng: random.Random, places: Places):
        self.rng, self.places = rng, places
        composer = make_set.Composer(rng)
        sentences = [
            make_set.join(composer.fill(t, digits="thai" if rng.random() < 0.3 else "arabic"))
            for t in make_set.PROBLEMS + make_set.NUMBERED
            for _ in range(4)
        ]
        stories = [d for _sub, _subject, d in generator_text.FRAGMENTS]
        self.sentences = sentences + stories
        self.subjects = [s for _sub, s, _d in generator_text.FRAGMENTS] + [
            make_set.join(composer.fill(t, digits="arabic")) for t in make_set.PROBLEMS
        ]
        self.closings = [make_set.join(composer.fill(t, digits="arabic")) for t in make_set.CLOSINGS]
        self.first_names = generator_text.FIRST_NAMES_M + generator_text.FIRST_NAMES_F
        self.surnames = generator_text.SURNAMES

    def number(self, text: str, thai: bool) -> str:
        return text.translate(THAI_DIGITS) if thai else text

    def pages(self, code: str, day: dt.date, count: int, *, rare: bool) -> list[str]:
        rng = self.rng
        thai = rng.random() < 0.4
        address, chief = self.places.address(code, rng)
        title = rng.choice(("นาย", "นาง", "นางสาว"))
        name = f"{title}{rng.choice(self.first_names)} {rng.choice(self.surnames)}"
        house = self.number(
            f"{rng.randint(1, 299)}/{rng.randint(1, 9)}" if rng.random() < 0.5 else str(rng.randint(1, 499)), thai
        )
        moo = self.number(str(rng.randint(1, 15)), thai)
        date = (
            f"{self.number(str(day.day), thai)} {MONTHS[day.month - 1]} พ.ศ. {self.number(str(day.year + 543), thai)}"
        )
        phone = self.number(
            f"0{rng.choice('689')}{rng.randint(1, 9)}-{rng.randint(100, 999)}-{rng.randint(1000, 9999)}", thai
        )
        texts = []
        for n in range(1, count + 1):
            lines = []
            if n == 1:
                lines += [f"บ้านเลขที่ {house} หมู่ที่ {moo}", address, f"วันที่ {date}",
                          f"เรื่อง {rng.choice(self.subjects)}", f"เรียน {chief}",
                          f"ข้าพเจ้า {name} อยู่บ้านเลขที่ {house} หมู่ที่ {moo} {address} โทร. {phone} ขอร้องเรียนว่า"]  # fmt: skip
            body = rng.sample(self.sentences, rng.randint(6, 14) if n == 1 else rng.randint(10, 20))
            if rare and n == 1:
                body.insert(rng.randrange(len(body) + 1), RARE_SENTENCE)
            lines += paragraphs(body, rng)
            if n == count:
                lines += [rng.choice(self.closings), "ขอแสดงความนับถือ", f"({name})", "ผู้ร้อง"]
            texts.append(misread("\n".join(lines), rng))
        return texts


def paragraphs(sentences: list[str], rng: random.Random) -> list[str]:
    """Sentences in paragraphs of two to five, broken into lines of up to about 90 characters as OCR gives them."""
    lines, i = [], 0
    while i < len(sentences):
        size = rng.randint(2, 5)
        paragraph = " ".join(sentences[i : i + size])
        i += size
        # Break at spaces only: a line of print breaks between words, and the sentences' words are not marked.
        while len(paragraph) > 90:
            cut = paragraph.rfind(" ", 0, 90)
            if cut <= 0:
                cut = paragraph.find(" ", 90)
            if cut <= 0:
                break
            lines.append(paragraph[:cut])
            paragraph = paragraph[cut + 1 :]
        lines.append(paragraph)
    return lines


def misread(text: str, rng: random.Random, rate: float = 0.008) -> str:
    """``text`` with about ``rate`` of its characters misread as Thai OCR misreads them."""
    chars = list(text)
    for _ in range(int(len(chars) * rate * 2 * rng.random()) + 1):
        at = rng.randrange(len(chars))
        c = chars[at]
        if c in TONE_MARKS:
            chars[at] = ""
        elif c in LOOK_ALIKE:
            chars[at] = LOOK_ALIKE[c]
        elif "๐" <= c <= "๙":
            chars[at] = str("๐๑๒๓๔๕๖๗๘๙".index(c))
        elif "\u0e01" <= c <= "\u0e2e" and rng.random() < 0.5:
            chars[at] = c + " "
    return "".join(chars)


def check_schema() -> list[str]:
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        return ["the database has unapplied migrations: run manage.py migrate first"]
    return []


class Rows:
    """A model's rows in COPY's text format from values by field name; fields not given take
    their default (a required field without one stops the run before anything is written)."""

    def __init__(self, model):
        self.model, self.table = model, model._meta.db_table
        self.fields = model._meta.concrete_fields
        self.columns = [f.column for f in self.fields]

    def check(self, given: set[str]) -> list[str]:
        return [
            f"{self.table}.{f.column}"
            for f in self.fields
            if f.attname not in given and not f.has_default() and not f.null and not f.blank
        ]

    def row(self, values: dict) -> str:
        out = []
        for f in self.fields:
            if f.attname in values:
                out.append(values[f.attname])
            elif f.has_default():
                out.append(f.get_default())
            else:
                out.append(None if f.null else "")
        return line(out)


class Ids:
    """Ids from a table's own sequence, in blocks (later ORM inserts never collide)."""

    def __init__(self, table: str):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
            self.sequence = cursor.fetchone()[0]

    def take(self, n: int) -> list[int]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval(%s) FROM generate_series(1, %s)", [self.sequence, n])
            return [row[0] for row in cursor.fetchall()]


DOCUMENT_FIELDS = {
    "id", "complaint_id", "district_id", "original", "original_name", "content_type", "size", "sha256",
    "searchable_pdf", "page_count", "status", "attempts", "uploaded_at", "read_at",
}  # fmt: skip
PAGE_FIELDS = {"id", "document_id", "number", "text", "confidence", "rotation", "skew"}


def generate_pages(
    count: int, *, seed: int = 16, batch: int = 20_000, reindex: bool = True, processes: int = 1,
    out: Callable[[str], None] = print,
) -> dict:  # fmt: skip
    """Add ``count`` pages (in documents of one to three pages) to random cases; return the counts."""
    if connection.vendor != "postgresql":
        raise Refused(
            f"the page generator is a PostgreSQL tool (COPY, sequences); this database is {connection.vendor}."
        )
    if count < 1 or batch < 1:
        raise Refused("count and --batch must be positive.")
    documents_rows, pages_rows = Rows(Document), Rows(Page)
    problems = check_schema()
    if missing := documents_rows.check(DOCUMENT_FIELDS) + pages_rows.check(PAGE_FIELDS):
        problems.append(
            f"required columns the page generator does not fill: {', '.join(missing)} (bench/generator/pages.py)"
        )
    if problems:
        raise Refused("; ".join(problems))
    started = time.perf_counter()
    cases = read_cases()
    if not cases.ids:
        raise Refused("the database has no cases: run bench/generate first")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM documents_page")
        first = cursor.fetchone()[0]
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        replica = bool(cursor.fetchone()[0]) and not connection.in_atomic_block
    rng = random.Random(f"{seed}:{first}")  # a top-up draws other documents
    outdated = any(f.name == "search_version" for f in Complaint._meta.concrete_fields)
    writer = Writer(rng, Places())
    now = timezone.now()
    out(f"database {connection.settings_dict['NAME']}: adding {count} pages to {len(cases.ids)} cases, "
        f"batches of {batch} pages ({time.perf_counter() - started:.1f}s to read the cases)")  # fmt: skip
    document_ids, page_ids = Ids(Document._meta.db_table), Ids(Page._meta.db_table)
    added = {"documents": 0, "pages": 0, "rare_pages": 0, "characters": 0}
    cases_touched: set[int] = set()
    generating = copying = 0.0
    loading = time.perf_counter()
    while added["pages"] < count:
        t0 = time.perf_counter()
        docs, pages = io.StringIO(), io.StringIO()
        batch_cases: set[int] = set()
        in_batch = 0
        plan = []
        while in_batch < batch and added["pages"] + in_batch < count:
            n = min(rng.choices((1, 2, 3), weights=(5, 3, 2))[0], count - added["pages"] - in_batch)
            plan.append(n)
            in_batch += n
        doc_ids, pg_ids = document_ids.take(len(plan)), page_ids.take(in_batch)
        next_page = 0
        for doc_id, n in zip(doc_ids, plan, strict=True):
            at = rng.randrange(len(cases.ids))
            case_id, code = cases.ids[at], cases.codes[cases.districts[at]]
            received = dt.date.fromordinal(cases.received[at])
            uploaded = timezone.make_aware(
                dt.datetime.combine(received + dt.timedelta(days=rng.randint(0, 5)), dt.time(rng.randint(8, 16), rng.randint(0, 59)))
            )  # fmt: skip
            uploaded = min(uploaded, now)
            rare = rng.randrange(RARE_EVERY) < n
            texts = writer.pages(code, received - dt.timedelta(days=rng.randint(0, 10)), n, rare=rare)
            path = f"documents/{uploaded:%Y/%m}/{rng.getrandbits(64):016x}"
            size = sum(len(t) for t in texts) * 40 + rng.randint(50_000, 400_000)
            docs.write(documents_rows.row({
                "id": doc_id, "complaint_id": case_id, "district_id": code, "original": f"{path}.pdf",
                "original_name": rng.choice(("scan", "หนังสือร้องเรียน", "IMG", "เอกสาร")) + f"_{doc_id}.pdf",
                "content_type": "application/pdf", "size": size, "sha256": f"{rng.getrandbits(256):064x}",
                "searchable_pdf": f"{path}.ocr.pdf", "page_count": n, "status": Document.Status.DONE, "attempts": 1,
                "uploaded_at": uploaded, "read_at": uploaded + dt.timedelta(minutes=rng.randint(1, 30)),
            }))  # fmt: skip
            for number, text in enumerate(texts, start=1):
                pages.write(pages_rows.row({
                    "id": pg_ids[next_page], "document_id": doc_id, "number": number, "text": text,
                    "confidence": round(rng.uniform(62, 94), 1), "rotation": rng.choice((0,) * 18 + (90, 180)),
                    "skew": round(rng.uniform(-1.5, 1.5), 2),
                }))  # fmt: skip
                next_page += 1
                added["characters"] += len(text)
            added["documents"] += 1
            added["pages"] += n
            added["rare_pages"] += rare
            cases_touched.add(case_id)
            batch_cases.add(case_id)
        t1 = time.perf_counter()
        generating += t1 - t0
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")
            if replica:
                # The rows are consistent by construction: no foreign-key triggers.
                cursor.execute("SET LOCAL session_replication_role = replica")
            for rows, buffer in ((documents_rows, docs), (pages_rows, pages)):
                buffer.seek(0)
                cursor.copy_expert(f"COPY {rows.table} ({', '.join(rows.columns)}) FROM STDIN", buffer, 1 << 23)
            if outdated:
                # As cases.search.reindex_after_commit marks a case whose documents changed:
                # reindex_search --outdated takes the cases whose search_version is not the current one.
                cursor.execute(
                    "UPDATE cases_complaint SET search_version = 0 WHERE id = ANY(%s)", [sorted(batch_cases)]
                )
        copying += time.perf_counter() - t1
        copy_rows.MOMENTS.clear()  # the datetimes' text, cached per value by rows.cell
        elapsed = time.perf_counter() - loading
        out(
            f"  {added['pages']:>9} pages {added['documents']:>9} documents  {elapsed:7.1f}s  {added['pages'] / elapsed:7.0f} pages/s"
        )
    t2 = time.perf_counter()
    with connection.cursor() as cursor:
        for table in (documents_rows.table, pages_rows.table):
            cursor.execute(f"ANALYZE {table}")
    analyse = time.perf_counter() - t2
    out(f"added {added['documents']} documents, {added['pages']} pages ({added['characters'] / added['pages']:.0f} "
        f"characters a page, {added['rare_pages']} with {RARE_WORD}) on {len(cases_touched)} cases in "
        f"{time.perf_counter() - started:.1f}s: generating {generating:.1f}s, copying {copying:.1f}s, ANALYZE {analyse:.1f}s")  # fmt: skip
    if reindex:
        if "reindex_search" in get_commands():
            t3 = time.perf_counter()
            out("manage.py reindex_search --outdated")
            call_command("reindex_search", "--outdated", f"--processes={processes}")
            out(f"re-indexed in {time.perf_counter() - t3:.1f}s")
        else:
            out("no reindex_search command here: the search index does not hold these pages")
    return {**added, "cases": len(cases_touched)}
