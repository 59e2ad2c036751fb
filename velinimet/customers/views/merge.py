"""Cleaning up customer data: the duplicate finder, merge and undo, the trash and restore."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from velinimet.accounts.http import AuthedRequest
from velinimet.core.exceptions import DomainError
from velinimet.core.visibility import Action, Level, level_for
from velinimet.customers import services
from velinimet.customers.selectors import get_merge_for_user, trashed_records
from velinimet.customers.views.records import KINDS, require_read


# --- duplicates and merge -------------------------------------------------------------------
def _int_param(request: AuthedRequest, name: str) -> int | None:
    value = request.GET.get(name, "").strip()
    return int(value) if value.isdigit() and len(value) < 19 else None


@login_required
def duplicates_view(request: AuthedRequest) -> HttpResponse:
    """Start the duplicate finder; show the newest finished result of this user, strongest pairs first,
    filtered by reason and minimum score, a keyset page at a time."""
    from velinimet.customers.selectors.duplicates import duplicate_pairs_page, finder_job
    from velinimet.customers.services.finder import duplicates_find_start
    from velinimet.customers.services.matching import reason_choices, reason_weights

    kind = request.GET.get("kind") or "person"
    if kind not in KINDS:
        kind = "person"
    require_read(request.user, kind)
    if request.method == "POST":
        started = duplicates_find_start(actor=request.user, kind=kind)
        messages.success(request, _("The duplicate finder has started."))
        return redirect("core:job_detail", pk=started.pk)
    reasons = reason_choices(kind)
    reason = request.GET.get("reason", "")
    if reason not in dict(reasons):
        reason = ""
    min_score = _int_param(request, "min_score")
    after = _int_param(request, "after")
    job = finder_job(request.user, kind, request.GET.get("job", ""))
    page = duplicate_pairs_page(request.user, job, reason=reason, min_score=min_score, after=after) if job else None
    labels = dict(reasons)
    rows = [(row, [labels.get(code, code) for code in row.pair.codes]) for row in page.rows] if page else []
    undo = request.session.get("last_not_duplicate")
    return render(
        request,
        "customers/duplicates.html",
        {
            "kind": kind,
            "job": job,
            "page": page,
            "rows": rows,
            "reasons": reasons,
            "weights": reason_weights(kind),
            "reason": reason,
            "min_score": min_score,
            "after": after,
            "undo": undo if undo and undo.get("kind") == kind else None,
            "may_mark": level_for(request.user, KINDS[kind]["rt"], Action.UPDATE) != Level.NONE,
        },
    )


def _pair_from_post(request: AuthedRequest) -> tuple[str, int, int]:
    from django.http import Http404

    kind, a, b = request.POST.get("kind", ""), request.POST.get("a", ""), request.POST.get("b", "")
    if kind not in KINDS or not a.isdigit() or not b.isdigit() or len(a) > 18 or len(b) > 18:
        raise Http404
    return kind, int(a), int(b)


def _back_to_results(request: AuthedRequest, kind: str) -> HttpResponse:
    from django.utils.http import url_has_allowed_host_and_scheme

    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect(f"{reverse('customers:duplicates')}?kind={kind}")


@login_required
@require_POST
def not_duplicate_view(request: AuthedRequest) -> HttpResponse:
    """Mark a pair "not a duplicate": it leaves the results and the finder never proposes it again."""
    from velinimet.customers.services.finder import duplicate_dismiss

    kind, a, b = _pair_from_post(request)
    try:
        duplicate_dismiss(actor=request.user, kind=kind, a=a, b=b)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        request.session["last_not_duplicate"] = {"kind": kind, "a": a, "b": b}
        messages.success(request, _("Marked as not a duplicate. The finder will not propose this pair again."))
    return _back_to_results(request, kind)


@login_required
@require_POST
def not_duplicate_undo_view(request: AuthedRequest) -> HttpResponse:
    """Undo "not a duplicate": the pair is proposed again (in the results already kept, and by the finder)."""
    from velinimet.customers.services.finder import duplicate_undismiss

    kind, a, b = _pair_from_post(request)
    try:
        duplicate_undismiss(actor=request.user, kind=kind, a=a, b=b)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        request.session.pop("last_not_duplicate", None)
        messages.success(request, _("The pair may be proposed as a duplicate again."))
    return _back_to_results(request, kind)


@login_required
def merge_view(request: AuthedRequest, kind: str, a: int, b: int) -> HttpResponse:
    from velinimet.customers.services.merge import BOTH, merge_preview, records_merge

    getter = KINDS[kind]["get"]
    first, second = getter(request.user, a, action=Action.UPDATE), getter(request.user, b, action=Action.UPDATE)
    survivor, other = (second, first) if request.POST.get("survivor") == str(second.pk) else (first, second)
    if request.method == "POST":
        choices = {key[7:]: str(value) for key, value in request.POST.items() if key.startswith("choice:")}
        # radios name the record whose value wins; translate to survivor/other
        choices = {
            f: (BOTH if v == BOTH else "other" if v == str(other.pk) else "survivor") for f, v in choices.items()
        }
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
def merge_undo_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """GET: what an undo will do, and the edits made since the merge that it keeps; POST: undo."""
    from velinimet.customers.services.merge import merge_later_edits, merge_undo, merge_undo_check

    merge = get_merge_for_user(request.user, pk)
    survivor = KINDS[merge.kind]["get"](request.user, merge.survivor_id, action=Action.UPDATE)
    if request.method == "POST":
        try:
            survivor = merge_undo(actor=request.user, merge=merge)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect(f"customers:{merge.kind}_detail", pk=merge.survivor_id)
        request.session.pop("last_merge", None)
        messages.success(request, _("The merge is undone."))
        return redirect(f"customers:{merge.kind}_detail", pk=survivor.pk)
    refused = ""
    try:
        merge_undo_check(merge, survivor)
    except DomainError as exc:
        refused = exc.message
    edits = [
        {"label": edit.label, "now": _shown(edit.field, edit.now), "before": _shown(edit.field, edit.before)}
        for edit in merge_later_edits(merge, survivor)
    ]
    other = KINDS[merge.kind]["model"].objects.filter(pk=merge.merged_id).first()
    return render(
        request,
        "customers/merge_undo.html",
        {"merge": merge, "survivor": survivor, "other": other, "edits": edits, "refused": refused},
    )


def _shown(field: str, value: Any) -> Any:
    """A snapshot value as a person reads it: an owner or team by name, not by id."""
    if value in (None, ""):
        return "—"
    if field == "owner":
        from velinimet.accounts.models import User

        user = User.objects.filter(pk=value).first()
        return str(user) if user else value
    if field == "team":
        from velinimet.accounts.models import Team

        team = Team.objects.filter(pk=value).first()
        return str(team) if team else value
    return value


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
