"""manage.py find_repeats: the national sweep by hand (repeats/sweep.py), or a look at what it finds."""

from __future__ import annotations

import datetime as dt
import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.thai import parse_be_date
from repeats import sweep


def moment(value: str) -> dt.datetime:
    """A date (YYYY-MM-DD, or วว/ดด/ปปปป in the Buddhist era) as the start of that day in
    the site's time zone, or an ISO date and time."""
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        try:
            parsed = dt.datetime.combine(parse_be_date(value), dt.time())
        except ValidationError:
            raise CommandError(
                f"not a date: {value!r} (YYYY-MM-DD, an ISO date and time, or DD/MM/YYYY in BE)"
            ) from None
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


class Command(BaseCommand):
    help = (
        "Compare the cases recorded since the last sweep (or --since) with every case and queue the new "
        "candidate pairs for the owning heads, as the nightly sweep does. --format json prints every pair "
        "found, one JSON object a line; --dry-run stores nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--since", type=moment, help="cases recorded from this day (default: where the last run ended)"
        )
        parser.add_argument("--until", type=moment, help="cases recorded before this day (default: now)")
        parser.add_argument("--format", choices=("text", "json"), default="text")
        parser.add_argument("--dry-run", action="store_true", help="report the pairs, store nothing, record no run")
        parser.add_argument(
            "--max-cases", type=int, help="check at most this many cases; the run ends before the next (default: all)"
        )
        parser.add_argument(
            "--limit", type=int, default=sweep.LIMIT, help="candidates read per case (default %(default)s)"
        )

    def handle(
        self, *args, since=None, until=None, format="text", dry_run=False, limit=sweep.LIMIT, max_cases=None, **options
    ):
        if since and until and since >= until:
            raise CommandError("--since must be before --until")
        as_json = format == "json"

        def show(pair: sweep.Pair) -> None:
            if as_json:
                self.stdout.write(json.dumps(pair.as_json(), ensure_ascii=False))
                return
            codes = ", ".join(dict.fromkeys(r.code for r in pair.reasons))
            known = "  (already linked or suggested)" if pair.known else ""
            self.stdout.write(
                f"{pair.case.number} ~ {pair.other.number}  {pair.relation:<11} {pair.score:.2f}  {codes}{known}"
            )

        try:
            result = sweep.run(
                since=since, until=until, dry_run=dry_run, limit=limit, max_cases=max_cases, on_pair=show
            )
        except sweep.SweepBusy as error:
            raise CommandError(str(error)) from None
        by_relation = ", ".join(f"{relation} {n}" for relation, n in sorted(result.by_relation.items()))
        summary = (
            f"{result.cases_checked} cases recorded from {timezone.localtime(result.since):%Y-%m-%d %H:%M} "
            f"to {timezone.localtime(result.until):%Y-%m-%d %H:%M} checked in {result.seconds:.1f} s: "
            f"{result.pairs} pairs" + (f" ({by_relation})" if by_relation else "")
            + ("; dry run, nothing stored" if dry_run else f"; {result.queued} new, queued for review")
        )  # fmt: skip
        # The JSON lines alone on stdout, for a program to read; the summary beside them.
        (self.stderr if as_json else self.stdout).write(summary)
