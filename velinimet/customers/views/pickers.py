"""The pickers' endpoints: ``GET …/pick/?q=`` answers the options a picker shows (``core.widgets``).

One endpoint per kind of record, each checking the reader may read that kind (403 otherwise) and
offering only what they may choose: companies and people they may see, owners they may see (or, with
``?assign=customers.person``, give those records to), teams they may see.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from velinimet.accounts.http import AuthedRequest
from velinimet.core.visibility import can_read_type
from velinimet.core.widgets import PickerOption
from velinimet.customers.models import Company, Person
from velinimet.customers.selectors.pickers import pick_customers, pick_teams, pick_users

ASSIGNABLE = ("customers.person", "customers.company")


def _assignable(record_type: str) -> bool:
    """A registered record type whose records are given to owners (people, companies, activities…)."""
    from velinimet.core.registry import registry

    known = registry["core.record_types"].get(record_type)
    return known is not None and "assign" in known.actions


def _answer(request: AuthedRequest, options: list[PickerOption]) -> HttpResponse:
    context: dict[str, Any] = {"options": options, "q": request.GET.get("q", "").strip()}
    return render(request, "core/_picker_options.html", context)


def _query(request: AuthedRequest) -> str:
    return request.GET.get("q", "")[:100]


@login_required
@require_GET
def pick_company(request: AuthedRequest) -> HttpResponse:
    if not can_read_type(request.user, "customers.company"):
        raise PermissionDenied
    return _answer(request, pick_customers(request.user, Company, _query(request)))


@login_required
@require_GET
def pick_person(request: AuthedRequest) -> HttpResponse:
    if not can_read_type(request.user, "customers.person"):
        raise PermissionDenied
    return _answer(request, pick_customers(request.user, Person, _query(request)))


@login_required
@require_GET
def pick_owner(request: AuthedRequest) -> HttpResponse:
    assign_to = request.GET.get("assign", "")
    if assign_to and not _assignable(assign_to):
        assign_to = "customers.person"
    if not any(can_read_type(request.user, rt) for rt in ASSIGNABLE):
        raise PermissionDenied
    return _answer(request, pick_users(request.user, _query(request), assign_to=assign_to))


@login_required
@require_GET
def pick_team(request: AuthedRequest) -> HttpResponse:
    if not any(can_read_type(request.user, rt) for rt in ASSIGNABLE):
        raise PermissionDenied
    return _answer(request, pick_teams(request.user, _query(request)))
