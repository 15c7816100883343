"""The case search's column and its queries, on PostgreSQL and on SQLite.

On PostgreSQL the column is a ``tsvector`` written as a literal (``'lexeme':1,7 ...``) and
a query is a ``tsquery`` written the same way, so that PostgreSQL's own parser, which cuts
Thai at its vowel and tone marks, never reads Thai text: ``cases.search`` makes the
lexemes. A GIN index answers the queries (migration 0012).

On SQLite (development, tests) the column is the lexemes as one text, `` a b c ``, and a
query asks for `` lexeme `` in it: positions are not kept there, so a phrase is every one
of its words, anywhere in the case.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.db import models
from django.db.models import Lookup


@dataclass(frozen=True, slots=True)
class Word:
    """A lexeme, or with ``prefix`` every lexeme that starts with it."""

    lexeme: str
    prefix: bool = False


@dataclass(frozen=True, slots=True)
class Phrase:
    """Items one after the other (``gap`` 1: ``a <-> b``), or at one position (``gap`` 0: ``a <0> b``)."""

    items: tuple
    gap: int = 1


@dataclass(frozen=True, slots=True)
class Either:
    """Any one of the items."""

    items: tuple


@dataclass(frozen=True, slots=True)
class Both:
    """Every one of the items, anywhere."""

    items: tuple


Node = Word | Phrase | Either | Both


# The GIN index of the column, on PostgreSQL. ``fastupdate`` off: with PostgreSQL's default
# pending list, new entries wait in a list that every search reads whole until a vacuum
# merges it (the repeats index went from 2 ms to 2.5 s after a day's intakes, repeats
# migration 0002); off, an intake's insert costs a few milliseconds more and every search
# stays on the index.
INDEX_SQL = (
    "CREATE INDEX {how}IF NOT EXISTS complaint_search ON cases_complaint "
    "USING gin (search_vector) WITH (fastupdate = off)"
)


def create_index(connection) -> None:
    """Create the GIN index if it is not there: concurrently (intakes go on) unless inside
    a transaction, where PostgreSQL cannot."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass('complaint_search') IS NOT NULL")
        if not cursor.fetchone()[0]:
            cursor.execute(INDEX_SQL.format(how="" if connection.in_atomic_block else "CONCURRENTLY "))


def quote(lexeme: str) -> str:
    """``lexeme`` as a quoted lexeme of a tsvector or tsquery literal."""
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'"


def tsquery(node: Node) -> str:
    if isinstance(node, Word):
        return quote(node.lexeme) + (":*" if node.prefix else "")
    parts = [tsquery(item) for item in node.items]
    if len(parts) == 1:
        return parts[0]
    if isinstance(node, Either | Both):
        joiner = " | " if isinstance(node, Either) else " & "
    else:
        joiner = f" <{node.gap}> " if node.gap != 1 else " <-> "
    return "(" + joiner.join(parts) + ")"


_VECTOR_LEXEME = re.compile(r"'((?:[^'\\]|''|\\.)*)'(?::[0-9,]+)?")
_UNESCAPE = re.compile(r"''|\\(.)")


def vector_lexemes(literal: str) -> list[str]:
    """The lexemes of a tsvector literal, unquoted."""
    return [_UNESCAPE.sub(lambda m: m.group(1) or "'", quoted) for quoted in _VECTOR_LEXEME.findall(literal or "")]


class SearchVectorField(models.Field):
    """A case's lexemes with their positions: ``tsvector`` on PostgreSQL, text on SQLite.

    The Python value is the tsvector literal (as ``cases.search.vector`` writes it and as
    PostgreSQL gives it back); on SQLite it is stored as `` lexeme lexeme ... ``.
    """

    description = "lexemes with positions (tsvector on PostgreSQL, text on SQLite)"

    def db_type(self, connection):
        return "tsvector" if connection.vendor == "postgresql" else "text"

    def get_placeholder(self, value, compiler, connection):
        return "%s::tsvector" if connection.vendor == "postgresql" else "%s"

    def get_db_prep_value(self, value, connection, prepared=False):
        if value is None or connection.vendor == "postgresql":
            return value
        return " " + "".join(f"{lexeme} " for lexeme in vector_lexemes(value))

    def from_db_value(self, value, expression, connection):
        if value is None or connection.vendor == "postgresql":
            return value
        return " ".join(quote(lexeme) for lexeme in value.split())


@SearchVectorField.register_lookup
class Matches(Lookup):
    """``search_vector__matches=node``: the case's lexemes answer the query ``node``."""

    lookup_name = "matches"
    prepare_rhs = False

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} @@ %s::tsquery", [*lhs_params, tsquery(self.rhs)]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        sql, params = _contains(self.rhs, lhs)
        return sql, [param for needle in params for param in (*lhs_params, needle)]


def _contains(node: Node, column: str) -> tuple[str, list[str]]:
    """SQL asking ``column`` (`` lexeme lexeme ... ``) for ``node``, positions aside."""
    if isinstance(node, Word):
        return f"instr({column}, %s) > 0", [f" {node.lexeme}" if node.prefix else f" {node.lexeme} "]
    joiner = " OR " if isinstance(node, Either) else " AND "
    parts = [_contains(item, column) for item in node.items]
    return "(" + joiner.join(sql for sql, _ in parts) + ")", [param for _, params in parts for param in params]
