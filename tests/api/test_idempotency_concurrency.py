"""The same Idempotency-Key sent twice at the same moment (a phone retrying while its first try
is still on the way), on real PostgreSQL: one request acts, the other gets its answer."""

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from api.models import IdempotencyRecord
from cases.models import ProgressReport, Status
from tests.api.conftest import Device, photo

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL; CI runs on it"),
]


def test_two_sends_of_one_report_at_once_keep_one_report(device, tom, case_in, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    case = case_in(Status.INVESTIGATING)
    phone = device(tom)
    key = str(uuid.uuid4())
    start = threading.Barrier(2)

    def send(_):
        start.wait()
        try:
            # A client of its own each: two connections, as two tries from the phone would be.
            response = Device(phone.key).post_form(
                f"/api/v1/cases/{case.pk}/progress/",
                {"note": "ส่งซ้ำพร้อมกัน", "expected_status": "investigating", "photos": [photo()]},
                headers={"Idempotency-Key": key},
            )
            return response.status_code, response.get("Idempotent-Replayed"), response.json()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=2) as pool:
        answers = list(pool.map(send, range(2)))

    assert [status for status, _replayed, _body in answers] == [201, 201]
    assert sorted(str(replayed) for _status, replayed, _body in answers) == ["None", "true"]
    assert answers[0][2] == answers[1][2]
    assert ProgressReport.objects.filter(complaint=case).count() == 1
    assert IdempotencyRecord.objects.count() == 1
