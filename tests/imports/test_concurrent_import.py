"""Two imports of the same register at once, on real PostgreSQL: the unique source key,
not luck, decides which one records each row; the other reports it as imported."""

import io
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from audit.models import AuditEvent
from audit.verify import verify
from cases.models import Complaint, RunningNumber
from imports.services import import_file
from tests.imports.conftest import closed, record, xlsx_bytes

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrent writers need PostgreSQL; CI runs on it"),
]

ROWS = 40


def test_two_imports_of_one_file_at_once_record_each_row_once(ada, geography):
    content = xlsx_bytes([record(n) if n % 2 else closed(n) for n in range(1, ROWS + 1)])
    start = threading.Barrier(2)

    def run():
        try:
            start.wait()
            return import_file(io.BytesIO(content), name="r.xlsx", actor=ada, source="register")
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = [future.result(timeout=600) for future in [pool.submit(run), pool.submit(run)]]

    assert [result.failed for result in results] == [0, 0], [result.failures for result in results]
    assert sum(result.added for result in results) == ROWS
    assert sum(result.skipped for result in results) == ROWS
    assert Complaint.objects.filter(source="register").count() == ROWS
    # numbers without gaps or repeats, one audit row per case, the chain unbroken
    numbers = sorted(Complaint.objects.filter(source="register").values_list("running_number", flat=True))
    assert numbers == list(range(1, ROWS + 1)) and RunningNumber.objects.get().last == ROWS
    assert AuditEvent.objects.filter(action="import").count() == ROWS
    assert verify().breaks == []
