"""Customer screens: lists, forms, the 360° page, consents, bulk actions. Thin: parse, fetch, service, render."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from velinimet.accounts.http import AuthedRequest
from velinimet.accounts.models import User
from velinimet.core import limits
from velinimet.core.exceptions import DomainError
from velinimet.core.forms import apply_domain_error
from velinimet.core.text import alphabetical
from velinimet.core.visibility import Action, Level, can, level_for
from velinimet.customers import services
from velinimet.customers.exceptions import DuplicateFound
from velinimet.customers.forms import BulkOwnerForm, CompanyForm, ConsentForm, CustomerForm, EmploymentForm, PersonForm
from velinimet.customers.models import Company, Person, SavedView
from velinimet.customers.sections import sections_for
from velinimet.customers.selectors import (
    capped_count,
    company_360,
    company_filter,
    company_list,
    consent_in_force,
    get_company_for_user,
    get_person_for_user,
    keyset_page,
    person_360,
    person_filter,
    person_list,
    visible_companies,
    visible_records,
)
from velinimet.customers.services.bulk import BULK_JOB_THRESHOLD, PAGE_PARAMS

if TYPE_CHECKING:
    from velinimet.accounts.models import User


KINDS: dict[str, dict[str, Any]] = {
    "person": {
        "model": Person,
        "rt": "customers.person",
        "list": person_list,
        "filter": person_filter,
        "get": get_person_for_user,
        "form": PersonForm,
        "create": services.person_create,
        "update": services.person_update,
    },
    "company": {
        "model": Company,
        "rt": "customers.company",
        "list": company_list,
        "filter": company_filter,
        "get": get_company_for_user,
        "form": CompanyForm,
        "create": services.company_create,
        "update": services.company_update,
    },
}


def require_read(user: User, kind: str) -> None:
    if level_for(user, KINDS[kind]["rt"], Action.READ) == Level.NONE:
        raise PermissionDenied


# --- lists ---------------------------------------------------------------------------------
COUNT_CAP = 10_000  # a list counts its records exactly up to this, then says "10,000+"
# PAGE_PARAMS: read by the page itself (keyset cursor, order), not filters; "select all" runs the same query


def record_list(request: AuthedRequest, kind: str) -> HttpResponse:
    require_read(request.user, kind)
    filterset = KINDS[kind]["filter"](request.user, request.GET or None, request=request, allowed=PAGE_PARAMS)
    form = filterset.form
    # An invalid or unknown filter lists nothing: ignored, it would list (and bulk-change) more than asked for.
    valid = filterset.is_valid() if filterset.is_bound else True
    unknown = filterset.errors if filterset.is_bound else {}
    unknown_filters = [str(m) for name in filterset.unknown_params() for m in unknown[name]]
    qs = filterset.qs if valid else filterset.queryset.none()
    if kind == "person":
        qs = qs.prefetch_related("phones", "emails")
    else:
        qs = qs.prefetch_related("phones", "addresses")
    sort = (form.cleaned_data.get("sort") if valid and filterset.is_bound else "") or "-created"
    rows, cursor = keyset_page(qs, sort, request.GET.get("after")) if valid else ([], None)
    count, count_more = capped_count(filterset.qs, COUNT_CAP) if valid else (0, False)
    rt = KINDS[kind]["rt"]
    rights = {action: level_for(request.user, rt, action) > Level.NONE for action in Action.values}
    params = {k: v for k, v in request.GET.items() if k != "after"}
    context = {
        "kind": kind,
        "form": form,
        "filter_fields": [f for f in form.visible_fields() if not f.name.startswith("cf_")],
        "unknown_filters": unknown_filters,
        "filters_invalid": not valid,
        "rows": rows,
        "next_url": f"?{urlencode({**params, 'after': cursor})}" if cursor else None,
        "saved_views": SavedView.objects.filter(user=request.user, kind=kind),
        "query_string": urlencode(params),
        "custom_inputs": [
            {
                "definition": f.field.definition,
                "choices": alphabetical(f.field.definition.choices or []),  # in the reader's alphabet
                "name": f.name,
                "value": request.GET.get(f.name, "").strip(),
                "errors": f.errors,
            }
            for f in form.visible_fields()
            if f.name.startswith("cf_")
        ],
        "count": count,
        "count_more": count_more,
        "can_create": rights[Action.CREATE],
        "can_assign": rights[Action.ASSIGN],
        "can_update": rights[Action.UPDATE],
        "can_delete": rights[Action.DELETE],
        "bulk_rights": rights[Action.ASSIGN] or rights[Action.UPDATE] or rights[Action.DELETE],
        "owner_form": BulkOwnerForm(user=request.user, record_type=rt) if rights[Action.ASSIGN] else None,
    }
    if request.htmx and request.GET.get("after"):
        return render(request, "customers/record_list.html#rows", context)
    return render(request, "customers/record_list.html", context)


@login_required
def person_list_view(request: AuthedRequest) -> HttpResponse:
    return record_list(request, "person")


@login_required
def company_list_view(request: AuthedRequest) -> HttpResponse:
    return record_list(request, "company")


@login_required
@require_POST
def saved_view_create(request: AuthedRequest, kind: str) -> HttpResponse:
    name = " ".join(request.POST.get("name", "").split())
    query = request.POST.get("query", "")
    target = reverse(f"customers:{kind}_list")
    too_long = limits.length_error(name, limits.SAVED_VIEW_NAME) or limits.length_error(query, limits.SAVED_VIEW_QUERY)
    if not name:
        messages.error(request, _("Give the view a name."))
    elif too_long:  # refused, not cut: a cut query would filter differently from what was on screen
        messages.error(request, too_long)
        return redirect(target)
    else:
        SavedView.objects.update_or_create(user=request.user, kind=kind, name=name, defaults={"query": query})
        messages.success(request, _("View “%(name)s” saved.") % {"name": name})
    return redirect(f"{target}?{query}")


@login_required
@require_POST
def saved_view_delete(request: AuthedRequest, kind: str, pk: int) -> HttpResponse:
    """Delete one of the user's own saved views (another user's is not found)."""
    view = SavedView.objects.filter(user=request.user, kind=kind, pk=pk).first()
    if view is None:
        raise Http404
    view.delete()
    messages.success(request, _("View “%(name)s” deleted.") % {"name": view.name})
    return redirect(f"customers:{kind}_list")


BULK_DONE = {
    "tag": lambda count: _("Tag added to %(count)s records.") % {"count": count},
    "trash": lambda count: _("%(count)s records moved to the trash.") % {"count": count},
}


@login_required
@require_POST
def bulk_action(request: AuthedRequest, kind: str) -> HttpResponse:
    """A bulk action on the ticked records, or with ``all`` on the whole filtered list (its ``query``): that
    asks for a confirmation naming the count first, and runs as a job past ``BULK_JOB_THRESHOLD`` records."""
    model, rt = KINDS[kind]["model"], KINDS[kind]["rt"]
    query = request.POST.get("query", "")
    back = reverse(f"customers:{kind}_list") + "?" + query
    action, tag = request.POST.get("action", ""), request.POST.get("tag", "")
    needed = {"assign": Action.ASSIGN, "trash": Action.DELETE}.get(action, Action.UPDATE)
    if level_for(request.user, rt, needed) == Level.NONE:
        raise PermissionDenied  # no right to change any record of the kind: the list shows no bulk actions
    try:
        owner = None
        if action == "assign":
            owner_form = BulkOwnerForm(request.POST, user=request.user, record_type=rt)
            owner = owner_form.cleaned_data.get("owner") if owner_form.is_valid() else None
            if owner is None:
                raise DomainError(
                    " ".join(str(e) for e in owner_form.errors.get("owner", [])) or _("Choose who gets the records.")
                )
        if request.POST.get("all"):
            qs = services.bulk_records(request.user, kind, query)
            total = qs.count()
            if total and not request.POST.get("confirmed"):
                services.bulk_check(request.user, kind, qs, action)
                context = {"kind": kind, "count": total, "action": action, "owner": owner, "tag": tag, "query": query}
                return render(request, "customers/bulk_confirm.html", {**context, "back": back})
            if total > BULK_JOB_THRESHOLD:
                job = services.bulk_start(
                    actor=request.user, kind=kind, action=action, query=query, owner=owner, tag=tag
                )
                messages.success(request, _("The bulk action has started."))
                return redirect("core:job_detail", pk=job.pk)
            services.bulk_check(request.user, kind, qs, action)
            records = list(qs)
        else:
            ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit() and len(i) < 19]
            records = list(visible_records(model, request.user).filter(pk__in=ids))
        if not records:
            raise DomainError(_("Select at least one record."))
        count = services.bulk_apply(actor=request.user, action=action, records=records, owner=owner, tag=tag)
        if action == "assign":
            messages.success(request, _("%(count)s records given to %(name)s.") % {"count": count, "name": owner})
        else:
            messages.success(request, BULK_DONE[action](count))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(back)


# --- create and edit ------------------------------------------------------------------------
def _form(kind: str, request: AuthedRequest, initial: dict[str, Any] | None = None, slots: int = 2) -> CustomerForm:
    form_class = KINDS[kind]["form"]
    form = form_class(request.POST or None, initial=initial, phone_slots=slots, email_slots=slots)
    if kind == "person":
        form.fields["company"].queryset = visible_companies(request.user)
    else:
        form.fields["parent"].queryset = visible_companies(request.user)
    return form


def record_create(request: AuthedRequest, kind: str) -> HttpResponse:
    if level_for(request.user, KINDS[kind]["rt"], Action.CREATE) == Level.NONE:
        raise PermissionDenied
    # "New person" from an unknown caller's pop-up brings the number along: ?phone=…
    phone = request.GET.get("phone", "").strip()[:40]
    form = _form(kind, request, initial={"phone_0": phone, "phone_kind_0": "mobile"} if phone else None)
    candidates = None
    if request.method == "POST" and form.is_valid():
        kwargs = form.service_kwargs()
        if kind == "person":
            kwargs["company"] = form.cleaned_data.get("company")
            kwargs["company_title"] = form.cleaned_data.get("company_title") or ""
        try:
            record = KINDS[kind]["create"](actor=request.user, force=form.cleaned_data.get("force", False), **kwargs)
        except DuplicateFound as exc:
            candidates = exc.candidates
            form.add_error(None, exc.message)
        except DomainError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("“%(name)s” saved.") % {"name": record})
            return redirect(f"customers:{kind}_detail", pk=record.pk)
    return render(request, "customers/record_form.html", {"form": form, "kind": kind, "candidates": candidates})


def _apply(form: CustomerForm, exc: DomainError) -> None:
    """Map service error keys (``phones.0.number``) onto the form's slot fields."""
    mapped: dict[str, list[str]] = {}
    for key, msgs in exc.errors.items():
        parts = key.split(".")
        if parts[0] == "phones" and len(parts) > 1:
            key = f"phone_{parts[1]}"
        elif parts[0] == "emails" and len(parts) > 1:
            key = f"email_{parts[1]}"
        elif parts[0] == "addresses" and len(parts) > 2:
            key = parts[2]
        elif parts[0] == "card_numbers":
            key = "card_numbers"
        elif parts[0] == "custom" and len(parts) > 1:
            key = f"custom_{parts[1]}"
        mapped.setdefault(key, []).extend(msgs)
    apply_domain_error(form, DomainError(exc.message, errors=mapped))


def record_edit(request: AuthedRequest, kind: str, pk: int) -> HttpResponse:
    record = KINDS[kind]["get"](request.user, pk, action=Action.UPDATE)
    slots = max(2, record.phones.count() + 1, record.emails.count() + 1)
    form = _form(kind, request, initial=KINDS[kind]["form"].initial_for(record), slots=slots)
    for name in ("company", "company_title"):  # company links are managed on the 360° page
        form.fields.pop(name, None)
    if request.method == "POST" and form.is_valid():
        kwargs = form.service_kwargs()
        # The form edits the primary address; the others stay as they are.
        kwargs["addresses"] += [
            services.AddressIn(
                kind=a.kind,
                country=a.country,
                city=a.city,
                district=a.district,
                neighbourhood=a.neighbourhood,
                street=a.street,
                postal_code=a.postal_code,
            )
            for a in record.addresses.order_by("-is_primary", "id")[1:]
        ]
        try:
            KINDS[kind]["update"](
                actor=request.user, **{kind: record}, version=form.cleaned_data.get("version"), **kwargs
            )
        except DomainError as exc:
            _apply(form, exc)
        else:
            messages.success(request, _("“%(name)s” saved.") % {"name": record})
            return redirect(f"customers:{kind}_detail", pk=record.pk)
    return render(request, "customers/record_form.html", {"form": form, "kind": kind, "record": record})


@login_required
def person_create(request: AuthedRequest) -> HttpResponse:
    return record_create(request, "person")


@login_required
def company_create(request: AuthedRequest) -> HttpResponse:
    return record_create(request, "company")


@login_required
def person_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    return record_edit(request, "person", pk)


@login_required
def company_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    return record_edit(request, "company", pk)


@login_required
@require_POST
def record_delete(request: AuthedRequest, kind: str, pk: int) -> HttpResponse:
    record = KINDS[kind]["get"](request.user, pk, action=Action.DELETE)
    services.record_delete(actor=request.user, record=record)
    messages.success(request, _("“%(name)s” moved to the trash.") % {"name": record})
    return redirect(f"customers:{kind}_list")


# --- the 360° page --------------------------------------------------------------------------
def _detail_or_survivor(request: AuthedRequest, kind: str, pk: int) -> Any:
    """The record for its 360° page; for a record merged into another one the user may see, a redirect
    (302, not 301: an undo brings the old page back) to the survivor's page, saying why."""
    from velinimet.customers.selectors.duplicates import merged_survivor

    try:
        return KINDS[kind]["get"](request.user, pk)
    except Http404:
        survivor = merged_survivor(request.user, KINDS[kind]["model"], pk)
        if survivor is None:
            raise
        messages.info(
            request,
            _("That record was merged into %(survivor)s (%(number)s): this is the record that stayed.")
            % {"survivor": survivor, "number": survivor.customer_number},
        )
        return redirect(f"customers:{kind}_detail", pk=survivor.pk)


@login_required
def person_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    person = _detail_or_survivor(request, "person", pk)
    if isinstance(person, HttpResponse):
        return person
    return render(
        request,
        "customers/person_detail.html",
        {
            "record": person,
            "kind": "person",
            **person_360(person),
            "consents": consent_in_force(person),
            "consent_form": ConsentForm(),
            "sections": sections_for(request.user, person, "person"),
            "may_edit": can(request.user, person, Action.UPDATE),
            "may_delete": can(request.user, person, Action.DELETE),
            "merges": _merges("person", person.pk),
            "may_export": can(request.user, person, Action.EXPORT),
            "employment_form": EmploymentForm(user=request.user, auto_id="emp-%s"),
        },
    )


@login_required
def company_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    company = _detail_or_survivor(request, "company", pk)
    if isinstance(company, HttpResponse):
        return company
    return render(
        request,
        "customers/company_detail.html",
        {
            "record": company,
            "kind": "company",
            **company_360(company, request.user),
            "sections": sections_for(request.user, company, "company"),
            "may_edit": can(request.user, company, Action.UPDATE),
            "may_delete": can(request.user, company, Action.DELETE),
            "merges": _merges("company", company.pk),
        },
    )


def _merges(kind: str, pk: int) -> list[Any]:
    from velinimet.customers.models import Merge

    return list(Merge.objects.filter(kind=kind, survivor_id=pk, undone_at__isnull=True)[:10])
