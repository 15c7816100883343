"""Batches: a ZIP of a day's scans uploaded, or the new files of a scanner's folder
(``manage.py watch_scans``). Each file is taken on its own: a broken or wrong file is written
in the batch with a Thai reason and the others go on; a file the center has is not taken
again; the batch's progress counts files, then pages read."""

import io
import os
import time
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from cases.services import ActionRefused
from documents.batches import import_folder, import_zip
from documents.models import Batch, Document
from documents.selectors import batch_progress
from tests.documents.scans import image_bytes, pdf_of, thai_page, tiny_scan, upload

pytestmark = pytest.mark.django_db


def zip_of(files: dict[str, bytes], *, thai_names_as_cp874: bool = False) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(f"{len(name):03d}".ljust(len(name), "#") if thai_names_as_cp874 else name, data)
    data = buffer.getvalue()
    if thai_names_as_cp874:
        # As a Thai Windows writes it: the names in code page 874, without the UTF-8 flag
        # (Python writes every name it cannot spell in ASCII as UTF-8, flagged).
        for name in files:
            data = data.replace(f"{len(name):03d}".ljust(len(name), "#").encode(), name.encode("cp874"))
    return data


def test_a_zip_of_fifty_scans_and_a_broken_one(alice, django_capture_on_commit_callbacks, quick_reading):
    # given a ZIP of a day's 50 scans, a truncated JPEG among them, and what macOS adds
    files = {f"scans/หนังสือ-{n:02d}.png": tiny_scan(n) for n in range(50)}
    jpeg = image_bytes(thai_page(), "JPEG")
    files["scans/ขาด.jpg"] = jpeg[: len(jpeg) // 3]
    files["__MACOSX/scans/._หนังสือ-01.png"] = b"\x00\x05\x16\x07"
    # when Alice imports it
    with django_capture_on_commit_callbacks(execute=True):
        batch = import_zip(uploaded=upload(zip_of(files), "วันนี้.zip"), actor=alice, district=alice.district)
    # then the 50 scans are in the tray and read; the broken one is reported, named, not fatal
    batch.refresh_from_db()
    assert (batch.total, batch.source, batch.district_id) == (51, Batch.Source.UPLOAD, "7001")
    assert batch.documents.count() == 50
    assert batch.documents.filter(complaint__isnull=True, status=Document.Status.DONE).count() == 50
    assert [item["name"] for item in batch.rejected] == ["scans/ขาด.jpg"]
    assert "“ขาด.jpg” เป็นภาพที่เสีย" in batch.rejected[0]["reason"]
    progress = batch_progress(batch)
    assert (progress.finished, progress.percent, progress.pages, progress.pages_read) == (True, 100, 50, 50)


def test_a_zip_sent_twice_makes_no_second_copy(alice, django_capture_on_commit_callbacks, quick_reading):
    data = zip_of({"a.png": tiny_scan(1), "b.pdf": pdf_of(thai_page()), "a-again.png": tiny_scan(1)})
    with django_capture_on_commit_callbacks(execute=True):
        first = import_zip(uploaded=upload(data, "x.zip"), actor=alice, district=alice.district)
        second = import_zip(uploaded=upload(data, "x.zip"), actor=alice, district=alice.district)
    assert first.documents.count() == 2
    assert [item["name"] for item in first.rejected] == ["a-again.png"]
    assert "นำเข้าแล้ว" in first.rejected[0]["reason"]
    assert second.documents.count() == 0 and len(second.rejected) == 3


def test_thai_names_from_a_thai_windows_zip_read_as_thai(alice, django_capture_on_commit_callbacks, quick_reading):
    data = zip_of({"หนังสือร้องเรียน.png": tiny_scan(3)}, thai_names_as_cp874=True)
    with django_capture_on_commit_callbacks(execute=True):
        batch = import_zip(uploaded=upload(data, "x.zip"), actor=alice, district=alice.district)
    assert batch.documents.get().original_name == "หนังสือร้องเรียน.png"


def test_what_is_no_zip_or_no_tray_of_his_is_refused(alice, bob, tom):
    with pytest.raises(ValidationError, match="ไม่ใช่ไฟล์ ZIP"):
        import_zip(uploaded=upload(b"not a zip", "x.zip"), actor=alice, district=alice.district)
    with pytest.raises(ValidationError, match="ไม่พบไฟล์"):
        import_zip(uploaded=upload(zip_of({".DS_Store": b"x"}), "x.zip"), actor=alice, district=alice.district)
    for outsider in (bob, tom):
        with pytest.raises(ActionRefused):
            import_zip(
                uploaded=upload(zip_of({"a.png": tiny_scan()}), "x.zip"), actor=outsider, district=alice.district
            )
    assert not Batch.objects.exists()


# --- A scanner's folder ------------------------------------------------------------------------


def test_watch_scans_takes_each_new_file_once(
    alice, tmp_path, django_capture_on_commit_callbacks, quick_reading, capsys
):
    # given the folder a scanner writes to, with three scans and a file that is none
    (tmp_path / "2569-12").mkdir()
    for n in range(3):
        (tmp_path / "2569-12" / f"scan{n}.png").write_bytes(tiny_scan(n))
    (tmp_path / "notes.txt").write_text("ไม่ใช่ไฟล์สแกน")
    (tmp_path / ".scanner.lock").write_text("")
    # when the command passes once
    with django_capture_on_commit_callbacks(execute=True):
        call_command("watch_scans", str(tmp_path), "--district", "7001", "--once", "--settle", "0")
    # then one batch holds the three scans, read, and the other file is reported
    batch = Batch.objects.get()
    assert (batch.source, batch.total, batch.created_by) == (Batch.Source.FOLDER, 4, None)
    assert sorted(batch.documents.values_list("original_name", flat=True)) == ["scan0.png", "scan1.png", "scan2.png"]
    assert set(batch.documents.values_list("status", flat=True)) == {Document.Status.DONE}
    assert [item["name"] for item in batch.rejected] == ["notes.txt"]
    assert "batch" in capsys.readouterr().out
    # when it passes again with nothing new, then nothing is taken nor reported again
    with django_capture_on_commit_callbacks(execute=True):
        call_command("watch_scans", str(tmp_path), "--district", "7001", "--once", "--settle", "0")
    assert Batch.objects.count() == 1
    # when the scanner writes one more (and the same scan under another name)
    (tmp_path / "2569-12" / "scan3.png").write_bytes(tiny_scan(3))
    (tmp_path / "copy-of-scan0.png").write_bytes(tiny_scan(0))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("watch_scans", str(tmp_path), "--district", "7001", "--once", "--settle", "0")
    # then only the new content is taken
    newest = Batch.objects.order_by("-pk").first()
    assert list(newest.documents.values_list("original_name", flat=True)) == ["scan3.png"]
    assert newest.rejected == []


def test_a_file_still_being_written_waits_for_the_next_pass(alice, tmp_path, quick_reading):
    (tmp_path / "old.png").write_bytes(tiny_scan(1))
    past = time.time() - 60
    os.utime(tmp_path / "old.png", (past, past))
    (tmp_path / "writing.png").write_bytes(tiny_scan(2))
    batch = import_folder(tmp_path, alice.district, settle=30)
    assert list(batch.documents.values_list("original_name", flat=True)) == ["old.png"]


def test_watch_scans_refuses_a_wrong_folder_or_district(db, geography, tmp_path):
    with pytest.raises(CommandError, match="not a folder"):
        call_command("watch_scans", str(tmp_path / "none"), "--district", "7001", "--once")
    with pytest.raises(CommandError, match="no district"):
        call_command("watch_scans", str(tmp_path), "--district", "9999", "--once")
