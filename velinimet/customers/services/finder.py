"""The duplicate finder: a background job that lists candidate pairs over the whole database.

The rules are ``matching.RULES``, the ones the check on create and the import use; each is one GROUP BY
over an indexed column (e-mail key, phone, TCKN/VKN/VÖEN/IBAN, folded name with the city or the company),
restricted to the records the user who started the job may see.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from velinimet.core.jobs import JobProgress, job_start
from velinimet.core.models import Job
from velinimet.customers.models import Company, Person
from velinimet.customers.selectors.records import visible_records
from velinimet.customers.services.matching import rules_for

if TYPE_CHECKING:
    from velinimet.accounts.models import User


MAX_PAIRS = 2000  # a value shared by too many records is no sign of a duplicate: matching.MAX_GROUP


def duplicates_find_start(*, actor: User, kind: str) -> Job:
    if kind not in ("person", "company"):
        raise ValueError(kind)
    title = _("Find duplicate people") if kind == "person" else _("Find duplicate companies")
    return job_start(actor=actor, kind="customers.find_duplicates", title=title, params={"kind": kind})


def duplicates_find_run(job: Job, progress: JobProgress) -> dict[str, Any]:
    user = get_user_model().objects.get(pk=job.started_by_id or 0)
    kind = job.params.get("kind", "person")
    model = Person if kind == "person" else Company
    visible = visible_records(model, user).values("pk")
    rules = rules_for(kind)
    reasons: dict[tuple[int, int], list[str]] = defaultdict(list)
    progress.update(done=0, total=len(rules), message=_("Looking for duplicates"), force=True)
    for step, rule in enumerate(rules, start=1):
        label = str(rule.label)
        for ids in rule.pair(kind, visible):
            for pair in combinations(ids, 2):
                if label not in reasons[pair]:  # two shared phones are one reason
                    reasons[pair].append(label)
        progress.update(done=step)
    progress.update(done=len(rules), message=_("Done"), force=True)
    ranked = sorted(reasons.items(), key=lambda item: (-len(item[1]), item[0]))[:MAX_PAIRS]
    return {"kind": kind, "count": len(reasons), "pairs": [{"a": a, "b": b, "reasons": r} for (a, b), r in ranked]}
