"""The duplicate rules (``services/matching.py``): the check on create, the import (against the database
and against the earlier lines of its file) and the duplicate finder give the same reasons for the same data."""

from __future__ import annotations

import random
from typing import Any

import pytest
from django.utils import translation

from velinimet.core.models import Job
from velinimet.core.text import fold
from velinimet.customers import services
from velinimet.customers.exceptions import DuplicateFound
from velinimet.customers.fakedata import _vkn
from velinimet.customers.models import Company, Person
from velinimet.customers.selectors.duplicates import duplicate_pairs_page
from velinimet.customers.services.finder import duplicates_find_start
from velinimet.customers.services.import_columns import line_arguments
from velinimet.customers.services.importer import import_start
from velinimet.customers.services.matching import RULES, Strength, reason_choices, rules_for

pytestmark = pytest.mark.django_db

VKN = _vkn(random.Random(7))
IBAN = "TR330006100519786457841326"

#: Per rule: the kind, two records (as import cells, the same data for every caller) that match by that rule
#: only, and the value of the first that the create-time reason names.
CASES: dict[str, tuple[str, dict[str, str], dict[str, str], str]] = {
    "email": (
        "person",
        {"first_name": "Ali", "last_name": "Veli", "email": "Ali.Veli@Example.com"},
        {"first_name": "Can", "last_name": "Demir", "email": "ALİ.VELİ@EXAMPLE.COM"},
        "Ali.Veli@example.com",
    ),
    "phone": (
        "company",
        {"name": "Anadolu Gıda", "phone": "0212 555 12 34"},
        {"name": "Ege Tekstil", "phone": "+90 (212) 5551234"},
        "(0212) 555 12 34",
    ),
    "tckn": (
        "person",
        {"first_name": "Ali", "last_name": "Veli", "tckn": "10000000146"},
        {"first_name": "Can", "last_name": "Demir", "tckn": "100 000 001 46"},
        "",
    ),
    "vkn": ("company", {"name": "Anadolu Gıda", "vkn": VKN}, {"name": "Ege Tekstil", "vkn": VKN}, ""),
    "voen": (
        "company",
        {"name": "Anadolu Gıda", "voen": "1400057421"},
        {"name": "Ege Tekstil", "voen": "1400057421"},
        "",
    ),
    "iban": (
        "person",
        {"first_name": "Ali", "last_name": "Veli", "iban": "TR33 0006 1005 1978 6457 8413 26"},
        {"first_name": "Can", "last_name": "Demir", "iban": IBAN.lower()},
        "",
    ),
    "name_city": (
        "person",
        {"first_name": "Şükrü", "last_name": "Öztürk", "city": "İstanbul"},
        {"first_name": "SUKRU", "last_name": "OZTURK", "city": "ISTANBUL"},
        "",
    ),
    "name_company": (
        "person",
        {"first_name": "Işık", "last_name": "Kaya", "company": "Anadolu Gıda"},
        {"first_name": "IŞIK", "last_name": "KAYA", "company": "ANADOLU GIDA"},
        "",
    ),
}


@pytest.fixture(autouse=True)
def _jobs_run_at_once(monkeypatch: Any) -> None:
    from types import SimpleNamespace

    from velinimet.core import jobs

    monkeypatch.setattr(jobs, "transaction", SimpleNamespace(on_commit=lambda fn: fn()))


def test_every_rule_has_a_case_a_label_and_a_strength() -> None:
    assert sorted(CASES) == sorted(rule.code for rule in RULES)
    assert len({str(rule.label) for rule in RULES}) == len(RULES)
    assert {rule.strength for rule in RULES} == set(Strength)
    assert {rule.code for rule in rules_for("person")} == {
        "email",
        "phone",
        "tckn",
        "iban",
        "name_city",
        "name_company",
    }
    assert {rule.code for rule in rules_for("company")} == {"email", "phone", "vkn", "voen", "iban", "name_city"}


def _create(actor: Any, kind: str, cells: dict[str, str], **kwargs: Any) -> Person | Company:
    args = line_arguments(cells, kind)
    if kind == "company":
        return services.company_create(actor=actor, **args, **kwargs)
    name = args.pop("company", "")
    if name:
        args["company"] = Company.objects.filter(search_key=fold(name)).first() or services.company_create(
            actor=actor, name=name, force=True
        )
    return services.person_create(actor=actor, **args, **kwargs)


def _csv(kind: str, *lines: dict[str, str]) -> bytes:
    fields = sorted({field for line in lines for field in line})
    rows = [";".join(fields)] + [";".join(line.get(field, "") for field in fields) for line in lines]
    return ("\n".join(rows) + "\n").encode()


def _import(actor: Any, kind: str, *lines: dict[str, str]) -> dict[str, Any]:
    job = import_start(actor=actor, kind=kind, data=_csv(kind, *lines), trial=True)
    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED, job.error
    return job.result


@pytest.mark.parametrize("code", sorted(CASES))
def test_the_three_callers_give_the_same_reasons_for_the_same_data(cast: Any, code: str) -> None:
    _three_callers_agree(cast, code, *CASES[code])


#: The name rules compare names however they are spelled (``core.text.sound_key``): the alphabet, a passport,
#: a keyboard without ə, a Russian-era spelling.
SPELLINGS: list[tuple[str, str, dict[str, str], dict[str, str]]] = [
    (
        "name_city",
        "person",
        {"first_name": "Əli", "last_name": "Məmmədov", "city": "Bakı"},
        {"first_name": "ALI", "last_name": "MAMMADOV", "city": "BAKI"},
    ),
    (
        "name_city",
        "person",
        {"first_name": "Xəlil", "last_name": "Həsənov", "city": "Gəncə"},
        {"first_name": "Khalil", "last_name": "Gasanov", "city": "Gence"},
    ),
    (
        "name_city",
        "person",
        {"first_name": "Elnur", "last_name": "Əliyev", "city": "Sumqayıt"},
        {"first_name": "Elnur", "last_name": "Aliev", "city": "Sumqayit"},
    ),
    (
        "name_company",
        "person",
        {"first_name": "Çingiz", "last_name": "Ağayev", "company": "Xəzər MMC"},
        {"first_name": "Chingiz", "last_name": "Aghayev", "company": "Xəzər MMC"},
    ),
    (
        "name_city",
        "company",
        {"name": "Xəzər Şəfa MMC", "city": "Bakı"},
        {"name": "KHAZAR SHAFA MMC", "city": "Baki"},
    ),
]


@pytest.mark.parametrize(
    ("code", "kind", "first", "second"), SPELLINGS, ids=[s[3].get("last_name", s[3].get("name", "")) for s in SPELLINGS]
)
def test_the_name_rules_match_a_name_in_another_spelling(
    cast: Any, code: str, kind: str, first: dict[str, str], second: dict[str, str]
) -> None:
    _three_callers_agree(cast, code, kind, first, second, "")


def _three_callers_agree(
    cast: Any, code: str, kind: str, first: dict[str, str], second: dict[str, str], shown: str
) -> None:
    (rule,) = [r for r in RULES if r.code == code]
    actor = cast.rep_ist
    actor.language = "en"  # the finder speaks the language of the user who started it
    actor.save()
    with translation.override("en"):
        # The import against its own file: line 3 repeats line 2, for the rule's label only.
        in_file = _import(actor, kind, first, second)
        assert in_file["created"] == 1, in_file
        ((duplicate,),) = [in_file["duplicates"]]
        assert duplicate["line"] == 3 and duplicate["candidates"][0]["line"] == 2
        assert duplicate["candidates"][0]["reasons"] == [str(rule.label)]

        # The check on create, and the import against the database: the same reason.
        original = _create(actor, kind, first)
        with pytest.raises(DuplicateFound) as exc:
            _create(actor, kind, second)
        (candidate,) = exc.value.candidates
        assert candidate["id"] == original.pk
        assert candidate["reasons"] == [rule.reason(shown)]
        against_database = _import(actor, kind, second)
        (duplicate,) = against_database["duplicates"]
        assert [(c["id"], c["reasons"]) for c in duplicate["candidates"]] == [(original.pk, [rule.reason(shown)])]

        # The duplicate finder, once both exist.
        other = _create(actor, kind, second, force=True)
        job = duplicates_find_start(actor=actor, kind=kind)
        job.refresh_from_db()
        assert job.state == Job.State.SUCCEEDED, job.error
        (row,) = duplicate_pairs_page(actor, job).rows
        labels = dict(reason_choices(kind))
        assert (row.a.pk, row.b.pk, [labels[code] for code in row.pair.codes]) == (
            original.pk,
            other.pk,
            [str(rule.label)],
        )


def test_a_company_with_a_short_name_is_found_by_its_twin(cast: Any) -> None:
    """The stored key of a company with a short name is "legal name short name": the check looks it up
    too, not only each name alone (which found only companies without a short name)."""
    twin = {"name": "Anadolu Gıda Sanayi A.Ş.", "short_name": "Anadolu", "city": "İzmir"}
    in_file = _import(cast.rep_ist, "company", twin, twin)
    assert [d["candidates"][0]["line"] for d in in_file["duplicates"]] == [2]
    original = _create(cast.rep_ist, "company", twin)
    with pytest.raises(DuplicateFound) as exc:
        _create(cast.rep_ist, "company", {**twin, "name": "ANADOLU GIDA SANAYİ A.Ş.", "city": "IZMIR"})
    assert [c["id"] for c in exc.value.candidates] == [original.pk]


def test_a_line_refused_as_a_duplicate_does_not_count_the_company_it_would_have_made(cast: Any) -> None:
    _create(cast.rep_ist, "person", {"first_name": "Ali", "last_name": "Veli", "phone": "0532 111 22 33"})
    result = _import(cast.rep_ist, "person", {"first_name": "Ali", "phone": "05321112233", "company": "Yeni Firma"})
    assert result["duplicate_count"] == 1 and result["companies_created"] == 0
