"""REST API of the customers module: people, companies, consents, global search, caller recognition."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action, api_view, parser_classes
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from velinimet.accounts.http import request_user
from velinimet.core.exceptions import DomainError
from velinimet.core.filters import API_PARAMS, SelectorFilterBackend
from velinimet.core.idempotency import idempotent
from velinimet.core.models import Job
from velinimet.core.rest import CursorPagination, ErrorSerializer, VisibleViewSetMixin
from velinimet.core.visibility import Action, restrict
from velinimet.customers import services
from velinimet.customers.api.serializers import (
    CompanySerializer,
    ConsentSerializer,
    CustomFieldSerializer,
    DuplicateErrorSerializer,
    EmploymentSerializer,
    EraseSerializer,
    ImportRunSerializer,
    ImportSerializer,
    IncomingCallSerializer,
    MergeResultSerializer,
    MergeSerializer,
    PersonSerializer,
)
from velinimet.customers.filters import CompanyFilter, PersonFilter
from velinimet.customers.models import Company, CustomField, Email, Person
from velinimet.customers.selectors import (
    company_list,
    get_company_for_user,
    get_person_for_user,
    person_list,
    visible_companies,
)
from velinimet.customers.selectors.caller import caller_card, caller_lookup
from velinimet.customers.selectors.records import PERSON_ONLY_SORTS, SORTS, sort_fields
from velinimet.customers.services.calls import call_incoming
from velinimet.customers.services.custom_fields import RT, custom_field_create, custom_field_delete, custom_field_update
from velinimet.customers.services.importer import import_confirm, import_start


@extend_schema(
    request=IncomingCallSerializer,
    responses={202: serializers.DictField()},
    summary="Phone system webhook: a call is ringing",
)
@api_view(["POST"])
def incoming_call_webhook(request: Request) -> Response:
    """POST {"number": "...", "extension": "..."} with an administrator's token; answers whether the caller was
    recognised (not who it is: the name appears only on the screen of the user at that extension)."""
    ser = IncomingCallSerializer(data=request.data)
    ser.is_valid(raise_exception=True)
    call = call_incoming(actor=request_user(request), **ser.validated_data)
    return Response(
        {
            "id": call.pk,
            "user": call.user.get_username() if call.user else None,
            "recognised": bool(call.person_id or call.company_id),
        },
        status=status.HTTP_202_ACCEPTED,
    )


class CustomFieldViewSet(VisibleViewSetMixin, viewsets.ModelViewSet):
    """Definitions of custom fields; values are read and written in each record's ``custom`` object."""

    serializer_class = CustomFieldSerializer
    record_type = RT
    queryset = CustomField.objects.none()

    def get_queryset(self) -> Any:
        qs = restrict(CustomField.objects.all(), request_user(self.request))
        record_type = self.request.query_params.get("record_type")
        return qs.filter(record_type=record_type) if record_type else qs

    def perform_create(self, serializer: Any) -> None:
        serializer.instance = custom_field_create(actor=request_user(self.request), **serializer.validated_data)

    def perform_update(self, serializer: Any) -> None:
        data = {k: v for k, v in serializer.validated_data.items() if k not in ("record_type", "key")}
        serializer.instance = custom_field_update(actor=request_user(self.request), field=serializer.instance, **data)

    def perform_destroy(self, instance: CustomField) -> None:
        custom_field_delete(actor=request_user(self.request), field=instance)


class RecordPagination(CursorPagination):
    """The people and companies lists' pages, ordered by ``?ordering=`` (the list page's sorts: ``name``,
    ``-name``, ``created``, ``-created``, ``number``, and for people ``last_name``, ``-last_name``), names
    in the reader's alphabet (``sort_fields``); without it newest first. Another value is a 400."""

    def get_ordering(self, request: Any, queryset: Any, view: Any) -> Any:
        sort = request.query_params.get("ordering")
        if not sort:
            return super().get_ordering(request, queryset, view)
        if sort not in SORTS or (sort in PERSON_ONLY_SORTS and queryset.model is not Person):
            choices = ", ".join(s for s in SORTS if queryset.model is Person or s not in PERSON_ONLY_SORTS)
            message = _("Unknown order “%(value)s”; one of: %(choices)s.") % {"value": sort, "choices": choices}
            raise serializers.ValidationError({"ordering": [message]})
        return sort_fields(queryset.model, sort)


ORDERING = OpenApiParameter(
    "ordering", str, description="name, -name, created, -created, number; for people also last_name, -last_name"
)


@extend_schema_view(list=extend_schema(parameters=[ORDERING]))
class _RecordViewSet(VisibleViewSetMixin, viewsets.ModelViewSet):
    """The list takes the list page's filters (``customers.filters``); an unknown one is a 400."""

    model: Any
    kind: str
    filter_backends = [SelectorFilterBackend]
    filterset_class: Any
    pagination_class = RecordPagination

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular reading the model for the schema
            return self.filterset_class._meta.model.objects.none()
        lister = person_list if self.kind == "person" else company_list
        params = self.request.query_params if self.action == "list" else None
        related = ["phones", "emails", "addresses", "cards", "tags"]
        if self.kind == "person":
            related.append("employments__company")
        allowed = API_PARAMS | {"ordering"}
        return lister(request_user(self.request), params, request=self.request, allowed=allowed).prefetch_related(
            *related
        )

    def _model(self) -> Any:
        return Person if self.kind == "person" else Company

    def get_object(self) -> Any:
        """A record merged into another one is a 404 that names the survivor (``RecordMerged``), when the
        user may see both; otherwise the plain 404 of the one visibility helper."""
        from django.http import Http404

        from velinimet.customers.exceptions import RecordMerged
        from velinimet.customers.selectors.duplicates import merged_survivor

        try:
            return super().get_object()
        except Http404:
            pk = str(self.kwargs.get("pk", ""))
            survivor = merged_survivor(request_user(self.request), self._model(), int(pk)) if pk.isdigit() else None
            if survivor is None:
                raise
            page = reverse(f"customers:{self.kind}_detail", args=[survivor.pk])
            raise RecordMerged(survivor.pk, page, reverse(f"{self.kind}-detail", args=[survivor.pk])) from None

    def _write_kwargs(self, ser: Any) -> dict[str, Any]:
        kwargs = ser.service_kwargs()
        if "parent_id" in kwargs:
            parent_id = kwargs.pop("parent_id")
            kwargs["parent"] = self._visible_company(parent_id, "parent") if parent_id else None
        if "company" in kwargs:
            kwargs["company"] = self._visible_company(kwargs["company"], "company")
        if "owner_id" in kwargs:
            from velinimet.accounts.selectors import active_users

            owner = active_users(request_user(self.request)).filter(pk=kwargs.pop("owner_id")).first()
            if owner is None:
                raise serializers.ValidationError({"owner": [_("No such user.")]})
            kwargs["owner"] = owner
        if "team_id" in kwargs:
            from velinimet.accounts.selectors import team_list

            team_id = kwargs.pop("team_id")
            kwargs["team"] = team_list(request_user(self.request)).filter(pk=team_id).first() if team_id else None
            if team_id and kwargs["team"] is None:
                raise serializers.ValidationError({"team": [_("No such team.")]})
        return kwargs

    def _visible_company(self, pk: int, field: str) -> Company:
        company = visible_companies(request_user(self.request)).filter(pk=pk).first()
        if company is None:
            raise serializers.ValidationError({field: [_("No such company.")]})
        return company

    @extend_schema(
        parameters=[OpenApiParameter("force", bool, description="create even if duplicates exist")],
        responses={201: None, 400: ErrorSerializer, 409: DuplicateErrorSerializer},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        ser = self.get_serializer(data=request.data)
        ser.is_valid(raise_exception=True)
        body: Any = request.data
        force = str(request.query_params.get("force", body.get("force", ""))).lower() in {"1", "true", "yes"}
        write = self._write_kwargs(ser)
        write.pop("version", None)
        create = services.person_create if self.kind == "person" else services.company_create
        record = create(actor=request_user(request), force=force, **write)
        return Response(self.get_serializer(record).data, status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        record = self.get_object()
        ser = self.get_serializer(record, data=request.data, partial=kwargs.get("partial", False))
        ser.is_valid(raise_exception=True)
        write = self._write_kwargs(ser)
        write.pop("company", None)
        write.pop("company_title", None)
        update = services.person_update if self.kind == "person" else services.company_update
        record = update(actor=request_user(request), **{self.kind: record}, **write)
        return Response(self.get_serializer(record).data)

    def perform_destroy(self, instance: Any) -> None:
        services.record_delete(actor=request_user(self.request), record=instance)

    @extend_schema(request=MergeSerializer, responses={200: MergeResultSerializer, 400: ErrorSerializer})
    @action(detail=True, methods=["post"])
    def merge(self, request: Request, pk: str | None = None) -> Response:
        """Merge record ``other`` into this one; ``choices`` picks per field whose value survives."""

        from velinimet.customers.services.merge import records_merge

        survivor = self.get_object()
        ser = MergeSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        getter = get_person_for_user if self.kind == "person" else get_company_for_user
        other = getter(request_user(request), ser.validated_data["other"])
        merge = records_merge(
            actor=request_user(request), survivor=survivor, other=other, choices=ser.validated_data.get("choices", {})
        )
        survivor.refresh_from_db()
        return Response({"merge_id": merge.pk, "record": self.get_serializer(survivor).data})


class PersonKvkkMixin:
    @extend_schema(request=None, responses={200: serializers.DictField()})
    @action(detail=True, methods=["get"], url_path="kvkk-export")
    def kvkk_export(self, request: Request, pk: str | None = None) -> Response:
        """Everything held about this person (KVKK Art. 11), as JSON."""
        from velinimet.customers.services.kvkk import person_data_export

        return Response(person_data_export(actor=request_user(request), person=self.get_object()))  # type: ignore[attr-defined]

    @extend_schema(request=EraseSerializer, responses={204: None})
    @action(detail=True, methods=["post"], url_path="kvkk-erase")
    def kvkk_erase(self, request: Request, pk: str | None = None) -> Response:
        """Anonymise this person for good (KVKK erasure); give the reason."""

        from velinimet.customers.services.kvkk import person_erase

        person = get_person_for_user(request_user(request), pk, action=Action.DELETE)
        ser = EraseSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        person_erase(actor=request_user(request), person=person, reason=ser.validated_data["reason"])
        return Response(status=status.HTTP_204_NO_CONTENT)


class PersonViewSet(PersonKvkkMixin, _RecordViewSet):
    """People. POST answers 409 with ``candidates`` when the person probably exists (add ``?force=true``)."""

    serializer_class = PersonSerializer
    record_type = "customers.person"
    kind = "person"
    filterset_class = PersonFilter

    @extend_schema(request=EmploymentSerializer, responses={200: PersonSerializer})
    @action(detail=True, methods=["post"], url_path="companies")
    def link_company(self, request: Request, pk: str | None = None) -> Response:
        """Link this person to a company with a title (a person may work at several companies)."""

        person = get_person_for_user(request_user(request), pk, action=Action.UPDATE)
        ser = EmploymentSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        company = self._visible_company(ser.validated_data["company"], "company")
        services.employment_set(
            actor=request_user(request),
            person=person,
            company=company,
            title=ser.validated_data["title"],
            is_primary=ser.validated_data["is_primary"],
        )
        return Response(self.get_serializer(person).data)

    # The history is a plain list, newest first (a person has a handful of decisions), not a page.
    @extend_schema(methods=["GET"], responses={200: ConsentSerializer(many=True)})
    @extend_schema(methods=["POST"], request=ConsentSerializer, responses={201: ConsentSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def consents(self, request: Request, pk: str | None = None) -> Response:
        """GET: the consent history, newest first. POST: record a new decision (history is never overwritten)."""
        if request.method == "GET":
            person = self.get_object()
            return Response(ConsentSerializer(person.consents.all(), many=True).data)

        person = get_person_for_user(request_user(request), pk, action=Action.UPDATE)
        ser = ConsentSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        consent = services.consent_record(actor=request_user(request), person=person, **ser.validated_data)
        return Response(ConsentSerializer(consent).data, status=status.HTTP_201_CREATED)


class CompanyViewSet(_RecordViewSet):
    serializer_class = CompanySerializer
    record_type = "customers.company"
    kind = "company"
    filterset_class = CompanyFilter


@extend_schema(
    parameters=[OpenApiParameter("number", str, required=True)],
    responses={200: serializers.DictField(), 404: ErrorSerializer},
    summary="Caller recognition",
)
@api_view(["GET"])
def call_lookup(request: Request) -> Response:
    """The person or company with this phone number (any format), as the caller's card; 404 if unknown."""
    number = request.query_params.get("number", "").strip()
    if not number:
        raise serializers.ValidationError({"number": [_("Give the caller's number.")]})
    record = caller_lookup(request_user(request), number)
    if record is None:
        raise NotFound(_("No customer has this number."))
    return Response(caller_card(record, request_user(request)))


__all__ = ["Email"]


@extend_schema(
    request=None,
    responses={200: serializers.DictField(), 400: ErrorSerializer, 404: ErrorSerializer},
    summary="Undo a merge (GET: what the undo would keep)",
)
@api_view(["GET", "POST"])
def merge_undo_api(request: Request, pk: int) -> Response:
    """POST: undo merge ``pk``: the merged record comes back and its rows return to it; the survivor's
    fields edited since the merge keep their values (listed in ``kept``). GET: the same answer's ``kept``
    before doing it, with ``refused`` (the reason, or null) and nothing changed."""
    from velinimet.customers.selectors import get_merge_for_user
    from velinimet.customers.services.merge import merge_later_edits, merge_undo, merge_undo_check

    user = request_user(request)
    merge = get_merge_for_user(user, pk)
    survivor = (get_person_for_user if merge.kind == "person" else get_company_for_user)(user, merge.survivor_id)
    kept = [{"field": e.field, "now": e.now, "before_merge": e.before} for e in merge_later_edits(merge, survivor)]
    if request.method == "GET":
        try:
            merge_undo_check(merge, survivor)
        except DomainError as exc:
            return Response({"kept": kept, "refused": {"message": exc.message, "code": exc.code}})
        return Response({"kept": kept, "refused": None})
    survivor = merge_undo(actor=user, merge=merge)
    return Response({"survivor": survivor.pk, "restored": merge.merged_id, "kept": kept})


def _accepted(job: Job) -> Response:
    body = {"job": str(job.pk), "url": reverse("job-detail", args=[job.pk]), "title": job.title}
    return Response(body, status=status.HTTP_202_ACCEPTED)


@extend_schema(
    request={"multipart/form-data": ImportSerializer},
    responses={202: serializers.DictField(), 400: ErrorSerializer, 403: ErrorSerializer},
    summary="Import people or companies from CSV",
)
@api_view(["POST"])
@parser_classes([MultiPartParser, FormParser])
@idempotent
def import_create(request: Request) -> Response:
    """Starts a job; poll ``url`` (``/api/v1/jobs/{id}/``): its ``result`` counts created lines, lists
    duplicates with their candidates and errors with their line numbers."""
    ser = ImportSerializer(data=request.data)
    ser.is_valid(raise_exception=True)
    data = ser.validated_data
    job = import_start(
        actor=request_user(request),
        kind=data["kind"],
        data=data["file"],  # streamed to the imports folder; the job reads it
        trial=data["trial"],
        duplicates=data["duplicates"],
    )
    return _accepted(job)


@extend_schema(
    request=ImportRunSerializer,
    responses={202: serializers.DictField(), 400: ErrorSerializer, 404: ErrorSerializer},
    summary="Import for real the file a trial run checked",
)
@api_view(["POST"])
@idempotent
def import_run_for_real(request: Request, pk: str) -> Response:
    ser = ImportRunSerializer(data=request.data)
    ser.is_valid(raise_exception=True)
    job = import_confirm(actor=request_user(request), trial_id=pk, duplicates=ser.validated_data["duplicates"])
    return _accepted(job)
