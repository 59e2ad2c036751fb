"""Shapes of the customers API: what goes in and out of /api/v1/ for people, companies and imports."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from rest_framework import serializers

from velinimet.core.rest import DateTimeField, ErrorSerializer
from velinimet.customers import services
from velinimet.customers.models import Address, Consent, CustomField, Person, Phone
from velinimet.customers.services.importer import DUPLICATE_MODES


class IncomingCallSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=40, help_text="The caller's number, any format")
    extension = serializers.CharField(max_length=20, help_text="The extension that rings")


# --- API ------------------------------------------------------------------------------------
class CustomFieldSerializer(serializers.ModelSerializer):
    key = serializers.CharField(max_length=50, required=False, allow_blank=True)
    shown_label = serializers.CharField(read_only=True, help_text="The label in the reader's language")
    choices = serializers.ListField(child=serializers.CharField(max_length=100), required=False)

    class Meta:
        model = CustomField
        fields = [
            *("id", "record_type", "key", "label", "label_tr", "label_en", "label_az", "shown_label"),
            *("kind", "choices", "required", "order"),
        ]
        read_only_fields = ["shown_label"]
        validators: list[Any] = []


class PhoneSerializer(serializers.Serializer):
    number = serializers.CharField(max_length=40, help_text="Any usual format: 0532 123 45 67, +90 532 1234567")
    kind = serializers.ChoiceField(
        choices=Phone.Kind.choices, required=False, help_text="Default: mobile for a person, work for a company"
    )
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
    kind = serializers.ChoiceField(
        choices=Address.Kind.choices, required=False, help_text="Default: home for a person, work for a company"
    )
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
    birth_date = serializers.CharField(
        required=False, allow_null=True, allow_blank=True, help_text="YYYY-MM-DD (also DD.MM.YYYY, DD/MM/YYYY)"
    )
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
        child=serializers.ChoiceField(choices=["survivor", "other", "both"]),
        required=False,
        help_text='{"first_name": "other"} keeps the other record\'s value; {"notes": "both"} keeps both notes, '
        "joined, each under a line naming the record it came from",
    )


class MergeResultSerializer(serializers.Serializer):
    merge_id = serializers.IntegerField()
    record = serializers.DictField()


class EraseSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=150)


class EmploymentSerializer(serializers.Serializer):
    company = serializers.IntegerField()
    title = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    is_primary = serializers.BooleanField(default=False)


class ImportSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="CSV; the first line names the columns (see docs/customers.md)")
    kind = serializers.ChoiceField(choices=["person", "company"])
    trial = serializers.BooleanField(default=True, help_text="check every line and save nothing (the default)")
    duplicates = serializers.ChoiceField(choices=DUPLICATE_MODES, default="skip")


class ImportRunSerializer(serializers.Serializer):
    duplicates = serializers.ChoiceField(choices=DUPLICATE_MODES, default="skip")
