"""Cleaning up customer data: the duplicate finder, merge and undo, the trash and restore."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from velinimet.accounts.http import AuthedRequest
from velinimet.core.exceptions import DomainError
from velinimet.core.visibility import Action, Level, level_for
from velinimet.customers import services
from velinimet.customers.selectors import get_merge_for_user, trashed_records, visible_records
from velinimet.customers.views.records import KINDS, require_read


# --- duplicates and merge -------------------------------------------------------------------
@login_required
def duplicates_view(request: AuthedRequest) -> HttpResponse:
    """Start the duplicate finder and show the newest finished result of this user."""
    from velinimet.core.models import Job
    from velinimet.customers.services.finder import duplicates_find_start

    kind = request.GET.get("kind") or "person"
    if kind not in KINDS:
        kind = "person"
    require_read(request.user, kind)
    if request.method == "POST":
        started = duplicates_find_start(actor=request.user, kind=kind)
        messages.success(request, _("The duplicate finder has started."))
        return redirect("core:job_detail", pk=started.pk)
    job: Any = (
        Job.objects.filter(
            kind="customers.find_duplicates", started_by=request.user, state=Job.State.SUCCEEDED, params__kind=kind
        )
        .order_by("-finished_at")
        .first()
    )
    pairs = []
    if job is not None:
        model = KINDS[kind]["model"]
        wanted = [p for p in job.result.get("pairs", [])][:200]
        ids = {i for p in wanted for i in (p["a"], p["b"])}
        records = {r.pk: r for r in visible_records(model, request.user).filter(pk__in=ids)}
        pairs = [
            (records[p["a"]], records[p["b"]], p["reasons"]) for p in wanted if p["a"] in records and p["b"] in records
        ]
    return render(request, "customers/duplicates.html", {"kind": kind, "job": job, "pairs": pairs})


@login_required
def merge_view(request: AuthedRequest, kind: str, a: int, b: int) -> HttpResponse:
    from velinimet.customers.services.merge import merge_preview, records_merge

    getter = KINDS[kind]["get"]
    first, second = getter(request.user, a, action=Action.UPDATE), getter(request.user, b, action=Action.UPDATE)
    survivor, other = (second, first) if request.POST.get("survivor") == str(second.pk) else (first, second)
    if request.method == "POST":
        choices = {key[7:]: str(value) for key, value in request.POST.items() if key.startswith("choice:")}
        # radios name the record whose value wins; translate to survivor/other
        choices = {f: ("other" if v == str(other.pk) else "survivor") for f, v in choices.items()}
        try:
            merge = records_merge(actor=request.user, survivor=survivor, other=other, choices=choices)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            survivor.refresh_from_db()  # the name may be the other record's now
            messages.success(
                request,
                _("Merged. %(other)s now lives on in %(survivor)s.")
                % {"other": other.customer_number, "survivor": survivor},
            )
            request.session["last_merge"] = merge.pk
            return redirect(f"customers:{kind}_detail", pk=survivor.pk)
    return render(
        request,
        "customers/merge.html",
        {
            "kind": kind,
            "first": first,
            "second": second,
            "rows": merge_preview(first, second),
            "first_info": _merge_info(first),
            "second_info": _merge_info(second),
        },
    )


def _merge_info(record: Any) -> dict[str, Any]:
    return {
        "phones": [p.national for p in record.phones.all()],
        "emails": [e.address for e in record.emails.all()],
        "addresses": [str(a) for a in record.addresses.all()],
        "tags": [t.name for t in record.tags.all()],
    }


@login_required
@require_POST
def merge_undo_view(request: AuthedRequest, pk: int) -> HttpResponse:
    from velinimet.customers.services.merge import merge_undo

    merge = get_merge_for_user(request.user, pk)
    try:
        survivor = merge_undo(actor=request.user, merge=merge)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("core:home")
    request.session.pop("last_merge", None)
    messages.success(request, _("The merge is undone."))
    return redirect(f"customers:{merge.kind}_detail", pk=survivor.pk)


# --- trash ----------------------------------------------------------------------------------
@login_required
def trash_view(request: AuthedRequest) -> HttpResponse:
    """Deleted people or companies the user may delete (and so restore); merged and erased ones excluded."""
    kind = request.GET.get("kind") or "person"
    if kind not in KINDS:
        kind = "person"
    if level_for(request.user, KINDS[kind]["rt"], Action.DELETE) == Level.NONE:
        raise PermissionDenied
    model = KINDS[kind]["model"]
    qs = trashed_records(model, request.user).filter(merged_into__isnull=True).exclude(search_key="")
    records = qs.order_by("-deleted_at")[:200]
    return render(request, "customers/trash.html", {"kind": kind, "records": records})


@login_required
@require_POST
def record_restore_view(request: AuthedRequest, kind: str, pk: int) -> HttpResponse:
    from django.http import Http404

    model = KINDS[kind]["model"]
    record = trashed_records(model, request.user).filter(pk=pk).first()
    if record is None:
        raise Http404
    services.record_restore(actor=request.user, record=record)
    messages.success(request, _("“%(name)s” restored.") % {"name": record})
    return redirect(f"customers:{kind}_detail", pk=pk)
