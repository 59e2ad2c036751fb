"""A person's own actions on the 360° page: consent decisions, company links, KVKK export and erasure."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from velinimet.accounts.http import AuthedRequest
from velinimet.core.exceptions import DomainError
from velinimet.core.visibility import Action
from velinimet.customers import services
from velinimet.customers.forms import ConsentForm, EmploymentForm
from velinimet.customers.selectors import get_person_for_user


@login_required
@require_POST
def consent_add(request: AuthedRequest, pk: int) -> HttpResponse:
    person = get_person_for_user(request.user, pk, action=Action.UPDATE)
    form = ConsentForm(request.POST)
    if form.is_valid():
        try:
            services.consent_record(actor=request.user, person=person, **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Consent recorded."))
    else:
        messages.error(request, _("Choose a channel and a decision."))
    return redirect("customers:person_detail", pk=pk)


# --- KVKK -----------------------------------------------------------------------------------
@login_required
def person_kvkk_export(request: AuthedRequest, pk: int) -> HttpResponse:
    import json

    from velinimet.customers.services.kvkk import person_data_export

    person = get_person_for_user(request.user, pk)
    try:
        data = person_data_export(actor=request.user, person=person)
    except DomainError as exc:
        raise PermissionDenied(exc.message) from exc
    response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="kvkk-{person.customer_number}.json"'
    return response


@login_required
@require_POST
def person_erase_view(request: AuthedRequest, pk: int) -> HttpResponse:
    from velinimet.customers.services.kvkk import person_erase

    person = get_person_for_user(request.user, pk, action=Action.DELETE)
    try:
        person_erase(actor=request.user, person=person, reason=request.POST.get("reason", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("customers:person_detail", pk=pk)
    messages.success(request, _("The person's data is erased (anonymised)."))
    return redirect("customers:person_list")


@login_required
@require_POST
def employment_add(request: AuthedRequest, pk: int) -> HttpResponse:
    person = get_person_for_user(request.user, pk, action=Action.UPDATE)
    form = EmploymentForm(request.POST, user=request.user)
    if not form.is_valid():
        errors = form.errors.get("company") or [_("Choose a company.")]
        messages.error(request, " ".join(str(e) for e in errors))
    else:
        company = form.cleaned_data["company"]
        try:
            services.employment_set(
                actor=request.user,
                person=person,
                company=company,
                title=form.cleaned_data["title"],
                is_primary=form.cleaned_data["is_primary"],
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Linked to %(company)s.") % {"company": company})
    return redirect("customers:person_detail", pk=pk)


@login_required
@require_POST
def employment_remove(request: AuthedRequest, pk: int, employment_pk: int) -> HttpResponse:
    from velinimet.customers.models import Employment

    person = get_person_for_user(request.user, pk, action=Action.UPDATE)
    employment = Employment.objects.filter(pk=employment_pk, person=person).first()
    if employment is not None:
        services.employment_remove(actor=request.user, employment=employment)
        messages.success(request, _("Link removed."))
    return redirect("customers:person_detail", pk=pk)
