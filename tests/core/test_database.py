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
