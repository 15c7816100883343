"""Each case's fingerprint: made in the intake's transaction, and by ``index_repeats`` for
the cases recorded before."""

import pytest
from django.core.management import call_command
from django.db import transaction

from repeats.indexing import VERSION, Draft, draft_keys, index_case, key
from repeats.models import Fingerprint
from tests.repeats.conftest import party, person


def test_intake_fingerprints_the_case(alice, record):
    # when
    case = record(
        alice,
        complainants=[person("สมชาย", "ทองดี", national_id="๑-๒๓๔๕-๖๗๘๙๐-๑๒-๑", phone="081-234-5678")],
        respondents=[party("บจก. ก้าวหน้า", "company")],
    )
    # then
    fingerprint = Fingerprint.objects.get(complaint=case)
    assert fingerprint.version == VERSION
    assert key("cid", "1234567890121") in fingerprint.keys
    assert key("cphone", "0812345678") in fingerprint.keys
    assert key("rorg", "ก้าวหน้า") in fingerprint.keys
    assert len(bytes(fingerprint.signature)) == 256  # 128 values of 16 bits
    assert set(fingerprint.keys) == set(draft_keys(Draft.from_case(case)))


def test_a_rolled_back_intake_leaves_no_fingerprint(alice, record):
    with pytest.raises(RuntimeError), transaction.atomic():
        record(alice)
        raise RuntimeError("the officer's request failed after the intake")
    assert not Fingerprint.objects.exists()


def test_indexing_a_case_is_three_queries(alice, record, django_assert_max_num_queries):
    case = record(alice, complainants=[person("สมชาย", "ทองดี"), person("สมใจ", "ทองดี")])
    with django_assert_max_num_queries(3):  # complainants, respondents, the fingerprint
        index_case(case)


def test_anonymous_complainants_have_no_keys(alice, record):
    case = record(alice, complainants=[person(is_anonymous=True)], respondents=[])
    keys = Fingerprint.objects.get(complaint=case).keys
    assert not any(k == key("cname", "|") for k in keys)
    kinds = {kind for kind, _ in _named(case)}
    assert kinds <= {"band", "near", "place"}


def _named(case):
    from repeats.indexing import Reading

    return Reading.of(Draft.from_case(case)).named_keys()


@pytest.mark.parametrize("processes", [1, 2])
def test_index_repeats_fingerprints_the_cases_without_one(alice, record, processes, capsys):
    # given three cases, two recorded before the repeat check existed
    cases = [record(alice, subject=f"ถนนชำรุดสายที่ {n}") for n in range(3)]
    before = Fingerprint.objects.get(complaint=cases[0]).indexed_at
    Fingerprint.objects.filter(complaint__in=cases[1:]).delete()
    # when
    call_command("index_repeats", "--batch", "1", "--processes", str(processes))
    # then
    assert Fingerprint.objects.count() == 3
    assert Fingerprint.objects.get(complaint=cases[0]).indexed_at == before  # left as it was
    fingerprint = Fingerprint.objects.get(complaint=cases[2])
    assert set(fingerprint.keys) == set(draft_keys(Draft.from_case(cases[2])))
    out = capsys.readouterr().out
    assert "2 case(s) to fingerprint" in out
    assert "fingerprinted 2 case(s)" in out


def test_index_repeats_outdated_and_all(alice, record, capsys):
    cases = [record(alice) for _ in range(3)]
    Fingerprint.objects.filter(complaint=cases[0]).update(version=VERSION - 1, keys=[1])
    call_command("index_repeats", "--outdated", "--processes", "1")
    assert "1 case(s) to fingerprint" in capsys.readouterr().out
    assert Fingerprint.objects.get(complaint=cases[0]).version == VERSION
    assert Fingerprint.objects.get(complaint=cases[0]).keys != [1]

    call_command("index_repeats", "--all", "--processes", "1")
    assert "3 case(s) to fingerprint" in capsys.readouterr().out
    assert Fingerprint.objects.count() == 3


def test_an_imported_case_is_fingerprinted_too(alice, record):
    from types import SimpleNamespace

    from repeats.receivers import index_on_intake

    case = record(alice)
    Fingerprint.objects.all().delete()
    index_on_intake(sender=None, case=case, event=SimpleNamespace(action="import"))
    assert Fingerprint.objects.filter(complaint=case).exists()
    index_on_intake(sender=None, case=case, event=SimpleNamespace(action="accept"))  # other steps: nothing
    assert Fingerprint.objects.count() == 1
