"""Forms of the customer screens: shapes only; services check the rules and normalise values."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from velinimet.core.text import alphabetical
from velinimet.core.widgets import NumberField, Picker, PickerField
from velinimet.customers.models import Address, Channel, Company, Consent, CustomField, Person, Phone
from velinimet.customers.pickers import customer_option, user_option
from velinimet.customers.services.validation import DEFAULT_KINDS, PERSON_FIELDS, AddressIn, EmailIn, PhoneIn

if TYPE_CHECKING:
    from velinimet.accounts.models import User


# --- pickers --------------------------------------------------------------------------------
def company_field(label: Any, *, required: bool = False) -> PickerField:
    """A company chosen with the picker (``customers:pick_company``); without JavaScript, its customer
    number or id. The view sets the queryset: the companies the user may see."""
    return PickerField(
        Company.objects.none(),
        label=label,
        required=required,
        numbers=("customer_number",),
        widget=Picker("customers:pick_company", option=customer_option, hint=_("Customer number, e.g. M0000007")),
        error_messages={"invalid_choice": _("No company with the number “%(value)s” that you may see.")},
    )


def owner_field(label: Any, *, assign_to: str = "", required: bool = False) -> PickerField:
    """A user chosen with the picker (``customers:pick_owner``, with ``?assign=`` the users the actor may
    give ``assign_to`` records to); without JavaScript, the username or id."""
    from django.contrib.auth import get_user_model

    return PickerField(
        get_user_model().objects.none(),
        label=label,
        required=required,
        numbers=("username",),
        widget=Picker(
            "customers:pick_owner",
            option=user_option,
            params={"assign": assign_to} if assign_to else None,
            hint=_("Username"),
        ),
        error_messages={"invalid_choice": _("No user “%(value)s” that you may choose.")},
    )


class EmploymentForm(forms.Form):
    """Link a person to a company (the 360° page)."""

    company = company_field(_("Company"), required=True)
    title = forms.CharField(label=_("Title at the company"), max_length=100, required=False)
    is_primary = forms.BooleanField(label=_("primary"), required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        from velinimet.customers.selectors.records import visible_companies

        super().__init__(*args, **kwargs)
        self.fields["company"].queryset = visible_companies(user)  # type: ignore[attr-defined]


class BulkOwnerForm(forms.Form):
    """The bulk bar's new owner: a user the actor may give these records to."""

    owner = owner_field(_("New owner"))

    def __init__(self, *args: Any, user: User, record_type: str, **kwargs: Any) -> None:
        from velinimet.customers.selectors.pickers import users_for_owner

        super().__init__(*args, **kwargs)
        field = self.fields["owner"]
        field.queryset = users_for_owner(user, record_type)  # type: ignore[attr-defined]
        field.widget.params = {"assign": record_type}  # type: ignore[attr-defined]


# --- screens --------------------------------------------------------------------------------
class CustomFieldForm(forms.Form):
    record_type = forms.ChoiceField(label=gettext_lazy("Record type"), choices=CustomField.RecordType.choices)
    label = forms.CharField(label=gettext_lazy("Label"), max_length=100)
    label_tr = forms.CharField(
        label=gettext_lazy("Label in Turkish"),
        max_length=100,
        required=False,
        help_text=gettext_lazy("Empty: the label."),
    )
    label_en = forms.CharField(label=gettext_lazy("Label in English"), max_length=100, required=False)
    label_az = forms.CharField(label=gettext_lazy("Label in Azerbaijani"), max_length=100, required=False)
    key = forms.CharField(
        label=gettext_lazy("Key"),
        max_length=50,
        required=False,
        help_text=gettext_lazy("Used in the API and exports; made from the label when empty."),
    )
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=CustomField.Kind.choices)
    choices = forms.CharField(
        label=gettext_lazy("Choices"), required=False, help_text=gettext_lazy("For choice fields, separated by commas.")
    )
    required = forms.BooleanField(label=gettext_lazy("Required"), required=False)
    order = forms.IntegerField(label=gettext_lazy("Order"), required=False, min_value=0, initial=0)


# A date input sends and shows ISO dates whatever the language: a localised value ("15/07/1970") is empty
# to the browser's date picker, and saving the form would clear the date.
DateInput = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
COUNTRIES = [("TR", _("Türkiye")), ("AZ", _("Azerbaijan")), ("OTHER", _("Other"))]


class YesNoUnset(forms.NullBooleanSelect):
    """A yes/no custom field as three choices: "—" (not set), yes, no. A checkbox cannot say "not set",
    so saving a form with one unticked wrote "no" into every yes/no field the user never touched."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.choices = [("unknown", "—"), ("true", _("Yes")), ("false", _("No"))]


def _custom_form_field(definition: CustomField) -> forms.Field:
    common: dict[str, Any] = {"label": definition.shown_label, "required": definition.required}
    kind = definition.kind
    if kind == CustomField.Kind.NUMBER:
        return NumberField(**common)  # "1.250.000,50" from a Turkish reader, shown back so
    if kind == CustomField.Kind.DATE:
        return forms.DateField(widget=DateInput, **common)
    if kind == CustomField.Kind.BOOLEAN:
        # not required here: NullBooleanField cannot enforce it; the service reports a required one unset
        return forms.NullBooleanField(label=definition.shown_label, required=False, widget=YesNoUnset)
    if kind == CustomField.Kind.CHOICE:
        return forms.ChoiceField(choices=[("", "—")] + [(c, c) for c in alphabetical(definition.choices)], **common)
    if kind == CustomField.Kind.MULTI:
        return forms.MultipleChoiceField(
            choices=[(c, c) for c in alphabetical(definition.choices)], widget=forms.CheckboxSelectMultiple, **common
        )
    return forms.CharField(max_length=1000, **common)


class CustomerForm(forms.Form):
    """Shared part: phones, e-mails, one address, tags, cards, custom fields, owner, optimistic version."""

    record_type = "person"
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    tags = forms.CharField(label=_("Tags"), required=False, help_text=_("Separate with commas."))
    card_numbers = forms.CharField(
        label=_("Loyalty card numbers"), required=False, help_text=_("Separate with commas.")
    )
    address_kind = forms.ChoiceField(label=_("Address type"), choices=Address.Kind.choices, required=False)
    country = forms.ChoiceField(label=_("Country"), choices=COUNTRIES, initial="TR")
    city = forms.CharField(label=_("City (il / şəhər)"), max_length=60, required=False)
    district = forms.CharField(label=_("District (ilçe / rayon)"), max_length=60, required=False)
    neighbourhood = forms.CharField(label=_("Neighbourhood (mahalle / qəsəbə)"), max_length=100, required=False)
    street = forms.CharField(label=_("Street and number"), max_length=200, required=False)
    postal_code = forms.CharField(label=_("Postal code"), max_length=10, required=False)
    source = forms.CharField(label=_("Source"), max_length=60, required=False)
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    force = forms.BooleanField(label=_("Save anyway: it is not a duplicate"), required=False)

    def __init__(self, *args: Any, phone_slots: int = 2, email_slots: int = 2, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for i in range(phone_slots):
            self.fields[f"phone_{i}"] = forms.CharField(
                label=_("Phone"), max_length=40, required=False, widget=forms.TextInput(attrs={"type": "tel"})
            )
            self.fields[f"phone_kind_{i}"] = forms.ChoiceField(
                label=_("Phone type"), choices=Phone.Kind.choices, required=False
            )
        for i in range(email_slots):
            # type=email: the phone's keyboard; the service still checks the address (novalidate on the form)
            self.fields[f"email_{i}"] = forms.CharField(
                label=_("E-mail"), max_length=254, required=False, widget=forms.EmailInput
            )
        self.phone_slots, self.email_slots = phone_slots, email_slots
        phone_kind, address_kind = DEFAULT_KINDS[self.record_type]  # a company's: work, not mobile and home
        self.fields["address_kind"].initial = address_kind
        for i in range(phone_slots):
            self.fields[f"phone_kind_{i}"].initial = phone_kind
        # A country the record already has (from the API or an import, e.g. "DE") stays choosable, so
        # saving the form does not turn it into Türkiye.
        country = str(self.data.get("country") or self.initial.get("country") or "").upper()
        if country and country not in dict(COUNTRIES):
            self.fields["country"].choices = [*COUNTRIES[:2], (country, country), COUNTRIES[2]]  # type: ignore[attr-defined]
        self.custom_definitions = list(CustomField.objects.filter(record_type=self.record_type))
        for definition in self.custom_definitions:
            self.fields[f"custom_{definition.key}"] = _custom_form_field(definition)

    def phone_pairs(self) -> list[tuple[Any, Any]]:
        return [(self[f"phone_{i}"], self[f"phone_kind_{i}"]) for i in range(self.phone_slots)]

    def email_fields(self) -> list[Any]:
        return [self[f"email_{i}"] for i in range(self.email_slots)]

    def custom_fields(self) -> list[Any]:
        return [self[f"custom_{d.key}"] for d in self.custom_definitions]

    def service_kwargs(self) -> dict[str, Any]:
        """Turn cleaned data into the service's keyword arguments."""
        data = self.cleaned_data
        phones = [
            PhoneIn(data[f"phone_{i}"], data.get(f"phone_kind_{i}") or "")
            for i in range(self.phone_slots)
            if data.get(f"phone_{i}")
        ]
        emails = [EmailIn(data[f"email_{i}"]) for i in range(self.email_slots) if data.get(f"email_{i}")]
        address_parts = [data.get(k, "") for k in ("city", "district", "neighbourhood", "street", "postal_code")]
        addresses = []
        if any(address_parts):
            country = data.get("country") or "TR"
            addresses.append(
                AddressIn(
                    kind=data.get("address_kind") or "",
                    country="" if country == "OTHER" else country,
                    city=address_parts[0],
                    district=address_parts[1],
                    neighbourhood=address_parts[2],
                    street=address_parts[3],
                    postal_code=address_parts[4],
                    is_primary=True,
                )
            )
        custom = {}
        for definition in self.custom_definitions:
            value: Any = data.get(f"custom_{definition.key}")
            if hasattr(value, "isoformat"):
                value = value.isoformat()
            elif value is not None and not isinstance(value, str | bool | list | Decimal):
                value = str(value)  # a number stays a number: as text, "1250.500" would read as 1250500
            custom[definition.key] = value
        return {
            "phones": phones,
            "emails": emails,
            "addresses": addresses,
            "custom": custom,
            "tags": [t for t in (data.get("tags") or "").split(",") if t.strip()],
            "card_numbers": [c for c in (data.get("card_numbers") or "").split(",") if c.strip()],
            "source": data.get("source", ""),
            "notes": data.get("notes", ""),
        }

    @classmethod
    def initial_for(cls, record: Person | Company) -> dict[str, Any]:
        initial: dict[str, Any] = {
            "version": record.version,
            "source": record.source,
            "notes": record.notes,
            "tags": ", ".join(t.name for t in record.tags.all()),
            "card_numbers": ", ".join(c.number for c in record.cards.all()),
        }
        for i, phone in enumerate(record.phones.order_by("-is_primary", "id")):
            initial[f"phone_{i}"], initial[f"phone_kind_{i}"] = phone.national, phone.kind
        for i, email in enumerate(record.emails.order_by("-is_primary", "id")):
            initial[f"email_{i}"] = email.address
        address = record.addresses.order_by("-is_primary", "id").first()
        if address:
            initial.update(
                address_kind=address.kind,
                country=address.country or "OTHER",
                city=address.city,
                district=address.district,
                neighbourhood=address.neighbourhood,
                street=address.street,
                postal_code=address.postal_code,
            )
        for key, value in record.custom.items():
            initial[f"custom_{key}"] = value
        return initial


class PersonForm(CustomerForm):
    record_type = "person"
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    title = forms.CharField(label=_("Title"), max_length=100, required=False)
    company = company_field(_("Company"))
    company_title = forms.CharField(label=_("Title at the company"), max_length=100, required=False)
    birth_date = forms.DateField(label=_("Birth date"), required=False, widget=DateInput)
    gender = forms.ChoiceField(label=_("Gender"), choices=[("", "—")] + list(Person.Gender.choices), required=False)
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"), required=False, choices=[("", "—")] + list(settings.LANGUAGES)
    )
    preferred_channel = forms.ChoiceField(
        label=_("Preferred channel"), choices=[("", "—")] + list(Channel.choices), required=False
    )
    tckn = forms.CharField(label=_("TCKN"), max_length=20, required=False)
    iban = forms.CharField(label=_("IBAN"), max_length=40, required=False)

    field_order = ["first_name", "last_name", "title", "company", "company_title"]
    SCALARS = tuple(f for f in PERSON_FIELDS if f not in ("source", "notes"))

    def service_kwargs(self) -> dict[str, Any]:
        kwargs = super().service_kwargs()
        for key in self.SCALARS:
            kwargs[key] = self.cleaned_data.get(key) or ("" if key != "birth_date" else None)
        return kwargs

    @classmethod
    def initial_for(cls, record: Any) -> dict[str, Any]:
        initial = super().initial_for(record)
        for key in cls.SCALARS:
            initial[key] = getattr(record, key)
        return initial


class CompanyForm(CustomerForm):
    record_type = "company"
    name = forms.CharField(label=_("Legal name"), max_length=200)
    short_name = forms.CharField(label=_("Short name"), max_length=100, required=False)
    parent = company_field(_("Parent company"))
    vkn = forms.CharField(
        label=_("VKN (Turkish tax number)"),
        max_length=20,
        required=False,
        help_text=_("10 digits; a sole proprietorship gives its owner's 11-digit TCKN."),
    )
    voen = forms.CharField(label=_("VÖEN (Azerbaijani tax number)"), max_length=20, required=False)
    tax_office = forms.CharField(label=_("Tax office"), max_length=100, required=False)
    iban = forms.CharField(label=_("IBAN"), max_length=40, required=False)
    website = forms.CharField(label=_("Website"), max_length=200, required=False)
    industry = forms.CharField(label=_("Industry"), max_length=100, required=False)

    field_order = ["name", "short_name", "parent"]
    SCALARS = ("name", "short_name", "vkn", "voen", "tax_office", "iban", "website", "industry")

    def service_kwargs(self) -> dict[str, Any]:
        kwargs = super().service_kwargs()
        for key in self.SCALARS:
            kwargs[key] = self.cleaned_data.get(key) or ""
        kwargs["parent"] = self.cleaned_data.get("parent")
        return kwargs

    @classmethod
    def initial_for(cls, record: Any) -> dict[str, Any]:
        initial = super().initial_for(record)
        for key in (*cls.SCALARS, "parent"):
            initial[key] = getattr(record, key)
        return initial


class ConsentForm(forms.Form):
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices)
    status = forms.ChoiceField(label=_("Decision"), choices=Consent.Status.choices)
    source = forms.CharField(
        label=_("Source"), max_length=100, required=False, help_text=_("Where it was given, e.g. web form, shop, call.")
    )
    evidence = forms.CharField(label=_("Evidence"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    kvkk_text_version = forms.CharField(label=_("KVKK clarification text version"), max_length=30, required=False)
