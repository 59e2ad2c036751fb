"""REST API of the customers module: people, companies, consents, global search, caller recognition."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action, api_view
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from velinimet.core.rest import DateTimeField, ErrorSerializer, VisibleViewSetMixin
from velinimet.core.visibility import Action, restrict

from . import services
from .models import Address, Company, Consent, Email, Person, Phone
from .search import caller_details, caller_lookup
from .selectors import ListFilters, company_list, person_list


class PhoneSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=40, help_text="Any usual format: 0532 123 45 67, +90 532 1234567")
    kind = serializers.ChoiceField(choices=Phone.Kind.choices, default=Phone.Kind.MOBILE)
    is_primary = serializers.BooleanField(default=False)
    e164 = serializers.CharField(read_only=True)

    def to_representation(self, phone: Any) -> dict[str, Any]:
        return {"number": phone.national, "e164": phone.e164, "kind": phone.kind, "is_primary": phone.is_primary}


class EmailSerializer(serializers.Serializer):
    address = serializers.CharField(max_length=254)
    is_primary = serializers.BooleanField(default=False)

    def to_representation(self, email: Any) -> dict[str, Any]:
        return {"address": email.address, "is_primary": email.is_primary}


class AddressSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Address.Kind.choices, default=Address.Kind.WORK)
    country = serializers.CharField(
        max_length=2, default="TR", allow_blank=True, help_text="ISO code; empty: not named"
    )
    city = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    district = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    neighbourhood = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    street = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    postal_code = serializers.CharField(max_length=10, required=False, allow_blank=True, default="")
    is_primary = serializers.BooleanField(default=False)


class RecordSerializer(serializers.Serializer):
    """Fields shared by people and companies. Writes go to the services, which validate everything."""

    id = serializers.IntegerField(read_only=True)
    customer_number = serializers.CharField(read_only=True)
    phones = PhoneSerializer(many=True, required=False, write_only=True)
    emails = EmailSerializer(many=True, required=False, write_only=True)
    addresses = AddressSerializer(many=True, required=False, write_only=True)
    card_numbers = serializers.ListField(child=serializers.CharField(max_length=30), required=False, write_only=True)
    tags = serializers.ListField(child=serializers.CharField(max_length=60), required=False, write_only=True)
    custom = serializers.DictField(required=False)
    source = serializers.CharField(max_length=60, required=False, allow_blank=True)  # type: ignore[assignment]
    notes = serializers.CharField(required=False, allow_blank=True)
    owner = serializers.IntegerField(source="owner_id", required=False, help_text="user id; changing it assigns")
    team = serializers.IntegerField(source="team_id", required=False, allow_null=True)
    version = serializers.IntegerField(
        required=False,
        help_text="Send back the version you read; a newer one on the server makes the update fail with 409.",
    )
    url = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)

    def to_representation(self, record: Any) -> dict[str, Any]:
        data = super().to_representation(record)
        data["phones"] = [PhoneSerializer().to_representation(p) for p in record.phones.all()]
        data["emails"] = [EmailSerializer().to_representation(e) for e in record.emails.all()]
        data["addresses"] = [AddressSerializer(a).data for a in record.addresses.all()]
        data["card_numbers"] = [c.number for c in record.cards.all()]
        data["tags"] = [t.name for t in record.tags.all()]
        data["version"] = record.version
        return data

    def get_url(self, record: Any) -> str:
        from django.urls import reverse

        name = "customers:person_detail" if isinstance(record, Person) else "customers:company_detail"
        return reverse(name, args=[record.pk])

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.validated_data)
        # A PATCH validates nested items partially too: DRF leaves their defaults out, the shapes supply them.
        if "phones" in data:
            data["phones"] = [services.PhoneIn(**p) for p in data["phones"]]
        if "emails" in data:
            data["emails"] = [services.EmailIn(**e) for e in data["emails"]]
        if "addresses" in data:
            data["addresses"] = [services.AddressIn(**a) for a in data["addresses"]]
        return data


class PersonSerializer(RecordSerializer):
    first_name = serializers.CharField(max_length=100)
    last_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    title = serializers.CharField(max_length=100, required=False, allow_blank=True)
    birth_date = serializers.CharField(required=False, allow_null=True, allow_blank=True, help_text="YYYY-MM-DD")
    # Checked by the services with every other value, so a wrong choice is reported with the rest.
    gender = serializers.CharField(max_length=10, required=False, allow_blank=True, help_text="female, male, other")
    preferred_language = serializers.CharField(max_length=8, required=False, allow_blank=True, help_text="tr, en, az")
    preferred_channel = serializers.CharField(
        max_length=10, required=False, allow_blank=True, help_text="email, sms, call, visit"
    )
    tckn = serializers.CharField(max_length=20, required=False, allow_blank=True)
    iban = serializers.CharField(max_length=40, required=False, allow_blank=True)
    company = serializers.IntegerField(required=False, write_only=True, help_text="id of the company they work at")
    company_title = serializers.CharField(max_length=100, required=False, allow_blank=True, write_only=True)
    companies = serializers.SerializerMethodField()

    def get_companies(self, person: Person) -> list[dict[str, Any]]:
        return [{"id": e.company_id, "name": str(e.company), "title": e.title} for e in person.employments.all()]


class CompanySerializer(RecordSerializer):
    name = serializers.CharField(max_length=200)
    short_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    parent = serializers.IntegerField(required=False, allow_null=True, source="parent_id")  # type: ignore[assignment]
    vkn = serializers.CharField(max_length=20, required=False, allow_blank=True)
    voen = serializers.CharField(max_length=20, required=False, allow_blank=True)
    tax_office = serializers.CharField(max_length=100, required=False, allow_blank=True)
    iban = serializers.CharField(max_length=40, required=False, allow_blank=True)
    website = serializers.CharField(max_length=200, required=False, allow_blank=True)
    industry = serializers.CharField(max_length=100, required=False, allow_blank=True)


class ConsentSerializer(serializers.ModelSerializer):
    at = DateTimeField(required=False, help_text="when the decision was given; from 1900 until now (default: now)")
    created_at = DateTimeField(read_only=True)

    class Meta:
        model = Consent
        fields = ["id", "channel", "status", "at", "source", "evidence", "kvkk_text_version", "created_at"]
        read_only_fields = ["id", "created_at"]


class DuplicateErrorSerializer(ErrorSerializer):
    candidates = serializers.ListField(child=serializers.DictField())


class MergeSerializer(serializers.Serializer):
    other = serializers.IntegerField(help_text="id of the record that is merged into this one")
    choices = serializers.DictField(
        child=serializers.ChoiceField(choices=["survivor", "other"]),
        required=False,
        help_text='{"first_name": "other"} keeps the other record\'s value',
    )


class MergeResultSerializer(serializers.Serializer):
    merge_id = serializers.IntegerField()
    record = serializers.DictField()


class _RecordViewSet(VisibleViewSetMixin, viewsets.ModelViewSet):
    model: Any
    kind: str

    def get_queryset(self) -> Any:
        lister = person_list if self.kind == "person" else company_list
        params = self.request.query_params
        filters = ListFilters(tag=params.get("tag", ""), city=params.get("city", ""))
        related = ["phones", "emails", "addresses", "cards", "tags"]
        if self.kind == "person":
            related.append("employments__company")
        return lister(self.request.user, filters).prefetch_related(*related)

    def _write_kwargs(self, ser: Any) -> dict[str, Any]:
        kwargs = ser.service_kwargs()
        if "parent_id" in kwargs:
            parent_id = kwargs.pop("parent_id")
            kwargs["parent"] = self._visible_company(parent_id, "parent") if parent_id else None
        if "company" in kwargs:
            kwargs["company"] = self._visible_company(kwargs["company"], "company")
        if "owner_id" in kwargs:
            from velinimet.accounts.models import User

            owner = (
                restrict(User.objects.filter(is_active=True), self.request.user)
                .filter(pk=kwargs.pop("owner_id"))
                .first()
            )
            if owner is None:
                raise serializers.ValidationError({"owner": [_("No such user.")]})
            kwargs["owner"] = owner
        if "team_id" in kwargs:
            from velinimet.accounts.selectors import team_list

            team_id = kwargs.pop("team_id")
            kwargs["team"] = team_list(self.request.user).filter(pk=team_id).first() if team_id else None
            if team_id and kwargs["team"] is None:
                raise serializers.ValidationError({"team": [_("No such team.")]})
        return kwargs

    def _visible_company(self, pk: int, field: str) -> Company:
        company = restrict(Company.objects.filter(pk=pk, deleted_at__isnull=True), self.request.user).first()
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
        record = create(actor=request.user, force=force, **write)
        return Response(self.get_serializer(record).data, status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        record = self.get_object()
        ser = self.get_serializer(record, data=request.data, partial=kwargs.get("partial", False))
        ser.is_valid(raise_exception=True)
        write = self._write_kwargs(ser)
        write.pop("company", None)
        write.pop("company_title", None)
        update = services.person_update if self.kind == "person" else services.company_update
        record = update(actor=request.user, **{self.kind: record}, **write)
        return Response(self.get_serializer(record).data)

    def perform_destroy(self, instance: Any) -> None:
        services.record_delete(actor=self.request.user, record=instance)

    @extend_schema(request=MergeSerializer, responses={200: MergeResultSerializer, 400: ErrorSerializer})
    @action(detail=True, methods=["post"])
    def merge(self, request: Request, pk: str | None = None) -> Response:
        """Merge record ``other`` into this one; ``choices`` picks per field whose value survives."""
        from velinimet.core.visibility import get_for_user

        from .merge import records_merge

        survivor = self.get_object()
        ser = MergeSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        other = get_for_user(self.get_queryset(), request.user, ser.validated_data["other"])
        merge = records_merge(
            actor=request.user, survivor=survivor, other=other, choices=ser.validated_data.get("choices", {})
        )
        survivor.refresh_from_db()
        return Response({"merge_id": merge.pk, "record": self.get_serializer(survivor).data})


class EraseSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=150)


class PersonKvkkMixin:
    @extend_schema(request=None, responses={200: serializers.DictField()})
    @action(detail=True, methods=["get"], url_path="kvkk-export")
    def kvkk_export(self, request: Request, pk: str | None = None) -> Response:
        """Everything held about this person (KVKK Art. 11), as JSON."""
        from .kvkk import person_data_export

        return Response(person_data_export(actor=request.user, person=self.get_object()))  # type: ignore[attr-defined]

    @extend_schema(request=EraseSerializer, responses={204: None})
    @action(detail=True, methods=["post"], url_path="kvkk-erase")
    def kvkk_erase(self, request: Request, pk: str | None = None) -> Response:
        """Anonymise this person for good (KVKK erasure); give the reason."""
        from velinimet.core.visibility import get_for_user

        from .kvkk import person_erase

        person = get_for_user(person_list(request.user), request.user, pk, action=Action.DELETE)
        ser = EraseSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        person_erase(actor=request.user, person=person, reason=ser.validated_data["reason"])
        return Response(status=status.HTTP_204_NO_CONTENT)


class EmploymentSerializer(serializers.Serializer):
    company = serializers.IntegerField()
    title = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    is_primary = serializers.BooleanField(default=False)


class PersonViewSet(PersonKvkkMixin, _RecordViewSet):
    """People. POST answers 409 with ``candidates`` when the person probably exists (add ``?force=true``)."""

    serializer_class = PersonSerializer
    record_type = "customers.person"
    kind = "person"

    @extend_schema(request=EmploymentSerializer, responses={200: PersonSerializer})
    @action(detail=True, methods=["post"], url_path="companies")
    def link_company(self, request: Request, pk: str | None = None) -> Response:
        """Link this person to a company with a title (a person may work at several companies)."""
        from velinimet.core.visibility import get_for_user

        person = get_for_user(person_list(request.user), request.user, pk, action=Action.UPDATE)
        ser = EmploymentSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        company = self._visible_company(ser.validated_data["company"], "company")
        services.employment_set(
            actor=request.user,
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
        from velinimet.core.visibility import get_for_user

        person = get_for_user(person_list(request.user), request.user, pk, action=Action.UPDATE)
        ser = ConsentSerializer(data=request.data)
        ser.is_valid(raise_exception=True)
        consent = services.consent_record(actor=request.user, person=person, **ser.validated_data)
        return Response(ConsentSerializer(consent).data, status=status.HTTP_201_CREATED)


class CompanyViewSet(_RecordViewSet):
    serializer_class = CompanySerializer
    record_type = "customers.company"
    kind = "company"


def caller_card(record: Person | Company, user: Any) -> dict[str, Any]:
    """What a screen-pop shows: who, which company, owner, contact points (sections add more later).

    Employer, consents, phones, e-mails and tags come from one statement (``caller_details``): the
    card is read on every ringing phone, within a 5 ms budget.
    """
    from django.urls import reverse

    details = caller_details(record)
    is_person = isinstance(record, Person)
    card: dict[str, Any] = {
        "type": "person" if is_person else "company",
        "id": record.pk,
        "title": str(record),
        "company": details.company if is_person else None,
        "url": reverse("customers:person_detail" if is_person else "customers:company_detail", args=[record.pk]),
    }
    if is_person:
        card["consents"] = details.consents
    card.update(
        customer_number=record.customer_number,
        owner=str(record.owner),
        phones=details.phones,
        emails=details.emails,
        tags=details.tags,
    )
    from .sections import CARD_FACTS

    for facts in CARD_FACTS:
        card.update(facts(user, record))
    return card


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
    record = caller_lookup(request.user, number)
    if record is None:
        raise NotFound(_("No customer has this number."))
    return Response(caller_card(record, request.user))


__all__ = ["Email"]


@extend_schema(request=None, responses={200: serializers.DictField(), 404: ErrorSerializer}, summary="Undo a merge")
@api_view(["POST"])
def merge_undo_api(request: Request, pk: int) -> Response:
    """Undo merge ``pk``: the merged record comes back and its rows return to it."""
    from .merge import merge_undo
    from .selectors import get_merge_for_user

    merge = get_merge_for_user(request.user, pk)
    survivor = merge_undo(actor=request.user, merge=merge)
    return Response({"survivor": survivor.pk, "restored": merge.merged_id})
