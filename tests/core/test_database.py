import pytest
from django.db import connection


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only; CI runs the suite on PostgreSQL")
def test_database_classifies_thai_letters_as_letters():
    with connection.cursor() as cursor:
        cursor.execute("SELECT datctype FROM pg_database WHERE datname = current_database()")
        (ctype,) = cursor.fetchone()
        # Under a plain C ctype both are false, and trigram search sees no Thai words.
        cursor.execute("SELECT 'ราชบุรี' ~ '^[[:alpha:]]+$'")
        (is_alpha,) = cursor.fetchone()
    assert ctype not in ("C", "POSIX")
    assert is_alpha


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only; CI runs the suite on PostgreSQL")
def test_the_planner_knows_a_team_lies_in_one_district_and_a_district_in_one_province():
    # cases 0008, workflows 0005: without them a list filtered by team and district was
    # estimated at a hundredth of its size and sorted whole (bench/pages at 1,000,000 cases).
    with connection.cursor() as cursor:
        cursor.execute("SELECT stxname, stxkind FROM pg_statistic_ext ORDER BY stxname")
        found = dict(cursor.fetchall())
    assert found.get("complaint_area_dependencies") == ["f"]
    assert found.get("casetask_area_dependencies") == ["f"]
