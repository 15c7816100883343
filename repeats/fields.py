"""A list of 64-bit lookup keys in one column: ``bigint[]`` with a GIN index on PostgreSQL
(``keys && ARRAY[...]`` finds the cases sharing any key through the index), JSON text on
SQLite, where the embedded default's few cases are scanned (``json_each``)."""

from __future__ import annotations

import json

from django.db import models
from django.db.models import Lookup


class KeyArrayField(models.Field):
    description = "64-bit keys (bigint[] on PostgreSQL, JSON on SQLite)"

    def db_type(self, connection):
        return "bigint[]" if connection.vendor == "postgresql" else "text"

    def get_db_prep_value(self, value, connection, prepared=False):
        if value is None:
            return None
        keys = [int(key) for key in value]
        return keys if connection.vendor == "postgresql" else json.dumps(keys)

    def from_db_value(self, value, expression, connection):
        if value is None or isinstance(value, list):
            return value
        return json.loads(value)

    def to_python(self, value):
        if isinstance(value, str):
            return json.loads(value)
        return value


@KeyArrayField.register_lookup
class Overlaps(Lookup):
    """``keys__overlaps=[k1, k2, ...]``: the row holds at least one of the keys."""

    lookup_name = "overlaps"

    def get_db_prep_lookup(self, value, connection):
        return ("%s", [self.lhs.output_field.get_db_prep_value(value, connection)])

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} && {rhs}::bigint[]", [*lhs_params, *rhs_params]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        # lhs and rhs are compiled SQL with placeholders; the values travel as parameters.
        return (
            f"EXISTS (SELECT 1 FROM json_each({lhs}) AS mine, json_each({rhs}) AS wanted "  # noqa: S608
            "WHERE mine.value = wanted.value)",
            [*lhs_params, *rhs_params],
        )
