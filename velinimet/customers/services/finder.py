"""The duplicate finder: a background job that lists candidate pairs over the whole database.

Each rule is one GROUP BY over an indexed column (e-mail key, phone, TCKN/VKN/VÖEN, folded name + city),
restricted to the records the user who started the job may see.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from velinimet.core.jobs import JobProgress, job_start
from velinimet.core.models import Job
from velinimet.customers.models import Address, Company, Email, Person, Phone
from velinimet.customers.selectors.records import visible_records

MAX_PAIRS = 2000
MAX_GROUP = 20  # a value shared by more records than this (a switchboard number) is not a duplicate sign


def duplicates_find_start(*, actor: Any, kind: str) -> Job:
    if kind not in ("person", "company"):
        raise ValueError(kind)
    title = _("Find duplicate people") if kind == "person" else _("Find duplicate companies")
    return job_start(actor=actor, kind="customers.find_duplicates", title=title, params={"kind": kind})


def _groups(qs: QuerySet[Any], key: str, holder: str) -> list[list[int]]:
    shared = (
        qs.values(key)
        .annotate(n=Count(holder, distinct=True))
        .filter(n__gt=1, n__lte=MAX_GROUP)
        .values_list(key, flat=True)
    )
    members: dict[Any, set[int]] = defaultdict(set)
    for value, pk in qs.filter(**{f"{key}__in": shared}).values_list(key, holder):
        members[value].add(pk)
    return [sorted(ids) for ids in members.values() if len(ids) > 1]


def duplicates_find_run(job: Job, progress: JobProgress) -> dict[str, Any]:
    user = get_user_model().objects.get(pk=job.started_by_id or 0)
    kind = job.params.get("kind", "person")
    model = Person if kind == "person" else Company
    visible = visible_records(model, user).values("pk")
    holder = kind
    rules: list[tuple[str, QuerySet[Any], str]] = [
        (_("same e-mail"), Email.objects.filter(**{f"{holder}__in": visible}), "key"),
        (_("same phone"), Phone.objects.filter(**{f"{holder}__in": visible}), "e164"),
    ]
    if kind == "person":
        rules.append(
            (
                _("same TCKN"),
                Person.objects.filter(pk__in=visible).exclude(tckn="").annotate(person=models_pk()),
                "tckn",
            )
        )
    else:
        rules.append(
            (_("same VKN"), Company.objects.filter(pk__in=visible).exclude(vkn="").annotate(company=models_pk()), "vkn")
        )
        rules.append(
            (
                _("same VÖEN"),
                Company.objects.filter(pk__in=visible).exclude(voen="").annotate(company=models_pk()),
                "voen",
            )
        )
    reasons: dict[tuple[int, int], list[str]] = defaultdict(list)
    progress.update(done=0, total=len(rules) + 1, message=_("Looking for duplicates"), force=True)
    for step, (label, qs, key) in enumerate(rules, start=1):
        for ids in _groups(qs, key, holder):
            for pair in combinations(ids, 2):
                if label not in reasons[pair]:  # two shared phones are one reason
                    reasons[pair].append(label)
        progress.update(done=step)
    # Same folded name in the same city.
    named = Address.objects.filter(**{f"{holder}__in": visible}).exclude(city_key="")
    combos: dict[tuple[str, str], set[int]] = defaultdict(set)
    dup_names = (
        model.objects.filter(pk__in=visible)
        .values("search_key")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
        .values_list("search_key", flat=True)
    )
    for name, city, pk in named.filter(**{f"{holder}__search_key__in": dup_names}).values_list(
        f"{holder}__search_key", "city_key", holder
    ):
        combos[(name, city)].add(pk)
    for members in combos.values():
        if 1 < len(members) <= MAX_GROUP:
            for pair in combinations(sorted(members), 2):
                reasons[pair].append(_("same name in the same city"))
    progress.update(done=len(rules) + 1, message=_("Done"), force=True)
    ranked = sorted(reasons.items(), key=lambda item: (-len(item[1]), item[0]))[:MAX_PAIRS]
    return {"kind": kind, "count": len(reasons), "pairs": [{"a": a, "b": b, "reasons": r} for (a, b), r in ranked]}


def models_pk() -> Any:
    from django.db.models import F

    return F("pk")
