"""PostgreSQL backend that creates databases with a Thai-aware ctype.

Trigram and full-text search classify characters by LC_CTYPE; under plain ``C``
no Thai letter is a letter and Thai search finds nothing. A cluster initialised
with ``C`` would give Django's test database exactly that, so the database this
backend creates (the test database included) asks for ``C.UTF-8`` explicitly.
"""

from django.db.backends.postgresql import base, creation

THAI_AWARE_LOCALE = "C.UTF-8"


class DatabaseCreation(creation.DatabaseCreation):
    def sql_table_creation_suffix(self):
        suffix = super().sql_table_creation_suffix()
        if "TEMPLATE" not in suffix:
            # A locale other than the template's needs template0.
            suffix += " TEMPLATE template0"
        if "ENCODING" not in suffix:
            suffix += " ENCODING 'UTF8'"
        return f"{suffix} LC_COLLATE '{THAI_AWARE_LOCALE}' LC_CTYPE '{THAI_AWARE_LOCALE}'"


class DatabaseWrapper(base.DatabaseWrapper):
    creation_class = DatabaseCreation
