"""Pages of the CSV import: upload, the trial run's report, then the real import and its report."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from velinimet.accounts.http import AuthedRequest
from velinimet.core.exceptions import DomainError, NotAllowed
from velinimet.core.forms import apply_domain_error
from velinimet.core.jobfiles import job_page_context
from velinimet.core.models import Job
from velinimet.core.visibility import Action, Level, get_for_user, level_for
from velinimet.customers.services import importer
from velinimet.customers.services.importer import column_help, import_start


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What the file holds"), choices=[("person", _("People")), ("company", _("Companies"))]
    )
    file = forms.FileField(
        label=_("CSV file"), help_text=_("The first line names the columns. UTF-8, UTF-16 or Windows-1254.")
    )


@login_required
def import_view(request: AuthedRequest) -> HttpResponse:
    if all(level_for(request.user, rt, Action.CREATE) == Level.NONE for rt in importer.KINDS.values()):
        raise PermissionDenied  # a user who may create neither people nor companies has nothing to import
    form = ImportForm(request.POST or None, request.FILES or None, initial={"kind": request.GET.get("kind", "person")})
    if request.method == "POST" and form.is_valid():
        try:
            job = import_start(
                actor=request.user, kind=form.cleaned_data["kind"], data=form.cleaned_data["file"], trial=True
            )
        except NotAllowed as exc:
            raise PermissionDenied(exc.message) from exc
        except DomainError as exc:
            apply_domain_error(form, DomainError(exc.message, errors={"file": [exc.message]}))
        else:
            return redirect("customers:import_detail", pk=job.pk)
    recent = Job.objects.filter(kind="customers.import", started_by=request.user).order_by("-created_at")[:10]
    context = {"form": form, "recent": recent, "people_columns": column_help("person")}
    context["company_columns"] = column_help("company")
    return render(request, "customers/import.html", context)


def _import_job(request: AuthedRequest, pk: Any) -> Job:
    job = get_for_user(Job.objects.filter(kind="customers.import"), request.user, pk)
    return job


@login_required
def import_detail(request: AuthedRequest, pk: Any) -> HttpResponse:
    job = _import_job(request, pk)
    template = "customers/import_detail.html#report" if request.htmx else "customers/import_detail.html"
    context = job_page_context(request.user, job)  # the report names the file's lines: for its starter and admins
    return render(request, template, {**context, "result": (job.result if context["may_see_result"] else {}) or {}})


@login_required
@require_POST
def import_confirm(request: AuthedRequest, pk: Any) -> HttpResponse:
    """Import the file a trial run checked: duplicates skipped, or (when asked) created too."""
    try:
        job = importer.import_confirm(
            actor=request.user, trial_id=pk, duplicates=request.POST.get("duplicates", "skip")
        )
    except NotAllowed as exc:  # the right to create was taken away since the trial run
        raise PermissionDenied(exc.message) from exc
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("customers:import_detail", pk=pk)
    return redirect("customers:import_detail", pk=job.pk)
