"""/api/v1/activities/: the timeline over the API (list per customer, log, change, delete)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from velinimet.accounts.http import request_user
from velinimet.activities import services
from velinimet.activities.api.serializers import (
    ActivityKindSerializer,
    ActivitySerializer,
    CompleteSerializer,
    ContactRuleSerializer,
)
from velinimet.activities.filters import ActivityFilter
from velinimet.activities.models import Activity
from velinimet.activities.selectors import ORDER, activity_list, taking_part
from velinimet.core.filters import SelectorFilterBackend
from velinimet.core.rest import CursorPagination, ErrorSerializer, VisibleViewSetMixin
from velinimet.customers.models import Company, Person
from velinimet.customers.selectors import visible_records


class ActivityPagination(CursorPagination):
    ordering = ORDER  # type: ignore[assignment]  # DRF takes a tuple too


@extend_schema_view(
    create=extend_schema(responses={201: ActivitySerializer, 400: ErrorSerializer, 403: ErrorSerializer}),
)
class ActivityViewSet(VisibleViewSetMixin, viewsets.ModelViewSet):
    """Activities (calls, visits, e-mails, SMS, post, social, service, events, tasks, notes), newest first."""

    serializer_class = ActivitySerializer
    pagination_class = ActivityPagination
    record_type = services.RECORD_TYPE
    filter_backends = [SelectorFilterBackend]
    filterset_class = ActivityFilter
    object_actions = {"complete": "update"}  # noqa: RUF012 - read only

    def get_queryset(self) -> Any:
        """The list runs ``activities.filters`` (an unknown parameter is a 400); a record's URL ignores them."""
        params = self.request.query_params if getattr(self, "action", None) == "list" else None
        return activity_list(request_user(self.request), params).prefetch_related(
            *taking_part(request_user(self.request))
        )

    def _customer(self, model: type[Person] | type[Company], pk: Any, field: str) -> Any:
        if pk is None:
            return None
        record = visible_records(model, request_user(self.request)).filter(pk=pk).first()
        if record is None:
            raise serializers.ValidationError({field: [_("No such customer.")]})
        return record

    def _owner(self, data: dict[str, Any]) -> None:
        """``owner`` (an id) as the user: one the actor may give activities to, else a field error."""
        if "owner_id" not in data:
            return
        from velinimet.customers.selectors.pickers import users_for_owner

        owner = (
            users_for_owner(request_user(self.request), services.RECORD_TYPE).filter(pk=data.pop("owner_id")).first()
        )
        if owner is None:
            raise serializers.ValidationError({"owner": [_("No user you may give activities to has this id.")]})
        data["owner"] = owner

    def _taking_part(self, data: dict[str, Any]) -> None:
        """``participants`` and ``people`` (ids) as records; an id that is no one is named by the service."""
        from django.contrib.auth import get_user_model

        for field, model in (("participants", get_user_model()), ("people", Person)):
            if field in data:
                ids = data[field]
                found = {r.pk: r for r in model.objects.filter(pk__in=ids)}
                missing = [str(i) for i in ids if i not in found]
                if missing:
                    raise serializers.ValidationError(
                        {field: [_("Unknown ids: %(ids)s") % {"ids": ", ".join(missing)}]}
                    )
                data[field] = [found[i] for i in ids]

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        ser = self.get_serializer(data=request.data)
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        data.pop("version", None)
        person = self._customer(Person, data.pop("person_id", None), "person")
        company = self._customer(Company, data.pop("company_id", None), "company")
        self._owner(data)
        self._taking_part(data)
        related_type, related_id = data.pop("related_type", None), data.pop("related_id", None)
        if related_type or related_id:
            from velinimet.activities.related import related_find

            data["related"] = related_find(request_user(request), related_type or "", related_id)
        activity = services.activity_log(actor=request_user(request), person=person, company=company, **data)
        return Response(self.get_serializer(activity).data, status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        activity = self.get_object()
        ser = self.get_serializer(activity, data=request.data, partial=kwargs.get("partial", False))
        ser.is_valid(raise_exception=True)
        data = dict(ser.validated_data)
        for key in ("person_id", "company_id"):
            if key in data and data.pop(key) != getattr(activity, key):
                raise serializers.ValidationError(
                    {key[:-3]: [_("An activity stays with its customer: delete it and log it again there.")]}
                )
        self._owner(data)
        self._taking_part(data)
        if data.pop("related_type", None) or data.pop("related_id", None):
            raise serializers.ValidationError(
                {"related_type": [_("What an activity is about is set when it is logged.")]}
            )
        activity = services.activity_update(actor=request_user(request), activity=activity, **data)
        return Response(self.get_serializer(activity).data)

    @extend_schema(
        request=CompleteSerializer,
        responses={200: ActivitySerializer, 400: ErrorSerializer, 403: ErrorSerializer, 409: ErrorSerializer},
    )
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: Any = None) -> Response:
        """Mark an open task or planned activity done, dated now (it moves from upcoming to the history)."""
        activity = self.get_object()
        ser = CompleteSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        done = services.activity_complete(
            actor=request_user(request),
            activity=activity,
            version=ser.validated_data.get("version"),
            outcome=ser.validated_data.get("outcome", ""),
        )
        return Response(self.get_serializer(done).data)

    def perform_destroy(self, instance: Activity) -> None:
        services.activity_delete(actor=request_user(self.request), activity=instance)


class ActivityKindViewSet(VisibleViewSetMixin, viewsets.ModelViewSet):
    """The kinds of activity an administrator added (the built-in ones are in the docs); everyone may read."""

    serializer_class = ActivityKindSerializer
    record_type = "activities.activitykind"

    def get_queryset(self) -> Any:
        from velinimet.activities.models import ActivityKind
        from velinimet.core.visibility import restrict

        return restrict(ActivityKind.objects.all(), request_user(self.request))

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        from velinimet.activities.kind_services import activity_kind_create

        ser = self.get_serializer(data=request.data)
        ser.is_valid(raise_exception=True)
        kind = activity_kind_create(actor=request_user(request), **ser.validated_data)
        return Response(self.get_serializer(kind).data, status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        from velinimet.activities.kind_services import activity_kind_update

        kind = self.get_object()
        ser = self.get_serializer(kind, data=request.data, partial=kwargs.get("partial", False))
        ser.is_valid(raise_exception=True)
        kind = activity_kind_update(actor=request_user(request), kind=kind, **ser.validated_data)
        return Response(self.get_serializer(kind).data)

    def perform_destroy(self, instance: Any) -> None:
        from velinimet.activities.kind_services import activity_kind_delete

        activity_kind_delete(actor=request_user(self.request), kind=instance)


class ContactRuleViewSet(VisibleViewSetMixin, viewsets.ModelViewSet):
    """How often customers must be contacted (activities.md, "Contact rules"); everyone may read."""

    serializer_class = ContactRuleSerializer
    record_type = "activities.contactrule"

    def get_queryset(self) -> Any:
        from velinimet.activities.models import ContactRule
        from velinimet.core.visibility import restrict

        return restrict(ContactRule.objects.all(), request_user(self.request))

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        from velinimet.activities.contacts import contact_rule_create

        ser = self.get_serializer(data=request.data)
        ser.is_valid(raise_exception=True)
        rule = contact_rule_create(actor=request_user(request), **ser.validated_data)
        return Response(self.get_serializer(rule).data, status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        from velinimet.activities.contacts import contact_rule_update

        rule = self.get_object()
        ser = self.get_serializer(rule, data=request.data, partial=kwargs.get("partial", False))
        ser.is_valid(raise_exception=True)
        rule = contact_rule_update(actor=request_user(request), rule=rule, **ser.validated_data)
        return Response(self.get_serializer(rule).data)

    def perform_destroy(self, instance: Any) -> None:
        from velinimet.activities.contacts import contact_rule_delete

        contact_rule_delete(actor=request_user(self.request), rule=instance)
