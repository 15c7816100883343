"""Thai search by words (cases.search) in place of the trigram substring search.

The search document and its trigram index go (at 1M cases about 1.6 GB of text and an
index as large, and nothing else reads them); each case gets its words in a tsvector with
a GIN index (cases.textsearch.INDEX_SQL), and the version of the rules that made them.

A database of fewer than ``MIGRATION_BACKFILL_LIMIT`` cases is indexed here (a case takes
a few milliseconds). A larger one is indexed afterwards, while it serves, by ``manage.py
reindex_search --outdated``, which creates the GIN index once the vectors are written:
writing them through the index is twice as slow (measured on 20,000 cases: 208 against
422 cases a second; the index is then built in 3 s). Until it ends, a case not indexed
yet is not found by words.
"""

import sys
from types import SimpleNamespace

from django.db import migrations, models

import cases.textsearch
from cases.search import MIGRATION_BACKFILL_LIMIT, SEARCH_VERSION, vector
from cases.textsearch import INDEX_SQL

BATCH = 1000


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS complaint_search_trgm")


def create_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS complaint_search_trgm ON cases_complaint "
            "USING gin (search_document gin_trgm_ops)"
        )


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    if apps.get_model("cases", "Complaint").objects.count() < MIGRATION_BACKFILL_LIMIT:
        schema_editor.execute(INDEX_SQL.format(how=""))


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS complaint_search")


def _pages(apps, ids):
    """The cases' pages' text, if the documents app is there yet (it is above cases)."""
    try:
        page_model = apps.get_model("documents", "Page")
    except LookupError:
        return {}
    found = {}
    rows = (
        page_model.objects.filter(document__complaint_id__in=ids)
        .exclude(text="")
        .order_by("document__complaint_id", "document__uploaded_at", "document_id", "number")
        .values_list("document__complaint_id", "text")
    )
    for complaint_id, text in rows:
        found.setdefault(complaint_id, []).append(text)
    return found


def backfill(apps, schema_editor):
    complaint = apps.get_model("cases", "Complaint")
    total = complaint.objects.count()
    if not total:
        return
    if total >= MIGRATION_BACKFILL_LIMIT:
        sys.stdout.write(
            f"\n  {total} cases: not indexed for search here. Run `manage.py reindex_search --outdated "
            "--processes N`: it indexes them, then creates the search index (until it ends, cases "
            "are not found by words).\n"
        )
        return
    complainant, respondent = apps.get_model("cases", "Complainant"), apps.get_model("cases", "Respondent")
    fields = ("is_anonymous", "is_confidential", "first_name", "last_name", "national_id", "phone", "email")
    ids = list(complaint.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        people, parties = {}, {}
        for row in complainant.objects.filter(complaint_id__in=batch).order_by("pk").values("complaint_id", *fields):
            people.setdefault(row.pop("complaint_id"), []).append(SimpleNamespace(**row))
        for row in (
            respondent.objects.filter(complaint_id__in=batch).order_by("pk").values("complaint_id", "name", "position")
        ):
            parties.setdefault(row.pop("complaint_id"), []).append(SimpleNamespace(**row))
        pages = _pages(apps, batch)
        cases = list(complaint.objects.filter(pk__in=batch))
        for case in cases:
            case.search_vector = vector(case, people.get(case.pk, []), parties.get(case.pk, []), pages.get(case.pk, []))
            case.search_version = SEARCH_VERSION
        complaint.objects.bulk_update(cases, ["search_vector", "search_version"])


class Migration(migrations.Migration):
    dependencies = [("cases", "0011_import_source_and_merge")]

    operations = [
        migrations.RunPython(drop_trigram_index, create_trigram_index),
        migrations.RemoveField(model_name="complaint", name="search_document"),
        migrations.AddField(
            model_name="complaint",
            name="search_vector",
            field=cases.textsearch.SearchVectorField(default="", editable=False),
        ),
        migrations.AddField(
            model_name="complaint",
            name="search_version",
            field=models.PositiveSmallIntegerField(default=0, editable=False),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.RunPython(create_index, drop_index),
    ]
