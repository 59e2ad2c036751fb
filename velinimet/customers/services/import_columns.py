"""What an import file's columns and cells mean: the column names people use, one line's cells turned into
the keyword arguments of ``person_create`` / ``company_create``, and how the report names an earlier line of
the file that a line repeats ("line 12 of this file"; which lines repeat is decided by ``matching``)."""

from __future__ import annotations

import contextlib
import re
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from velinimet.core.exceptions import DomainError
from velinimet.core.text import fold
from velinimet.customers import normalize
from velinimet.customers.services import validation as services
from velinimet.customers.services.matching import FileIndex, Subject

#: Column names people use, in Turkish, Azerbaijani and English; matched after fold() (case, İ/ı, accents).
COLUMNS: dict[str, tuple[str, ...]] = {
    "first_name": ("Adı", "Ad", "İsim", "Adınız", "First name", "Given name", "Forename"),
    "last_name": ("Soyadı", "Soyad", "Soyisim", "Soyadınız", "Last name", "Surname", "Family name"),
    "full_name": (
        *("Ad Soyad", "Adı Soyadı", "Ad-Soyad", "İsim Soyisim", "Adı və soyadı", "Ad və soyad", "Soyadı adı"),
        *("Müşteri adı", "Müşteri", "Müştəri", "Full name", "Name", "Contact name"),
    ),
    "name": ("Firma adı", "Şirket adı", "Şirkətin adı", "Ticari ünvan", "Company name", "Legal name", "Name"),
    "short_name": ("Kısa ad", "Qısa ad", "Short name"),
    "company": ("Firma", "Şirket", "Şirkət", "İşyeri", "Company", "Employer"),
    "title": ("Görev", "Pozisyon", "Vəzifə", "Title", "Job title"),
    "phone": (
        *("Telefon", "Tel", "Tel no", "Telefon no", "Telefon numarası", "Cep", "Cep telefonu", "Cep tel", "GSM"),
        *("Mobil", "Mobil telefon", "Mobil nömrə", "Telefon nömrəsi", "Əlaqə nömrəsi"),
        *("Phone", "Phone number", "Mobile", "Mobile phone", "Cell", "Cell phone"),
    ),
    "work_phone": ("İş telefonu", "İş tel", "Sabit telefon", "İş telefonu nömrəsi", "Work phone", "Office phone"),
    "email": (
        *("E-posta", "Eposta", "E-posta adresi", "Mail adresi", "E-poçt", "Elektron poçt", "E-poçt ünvanı"),
        *("E-mail", "Email", "Mail", "E-mail address", "Email address"),
    ),
    "country": ("Ülke", "Ölkə", "Country"),
    "city": ("İl", "Şehir", "Şəhər", "City"),
    "district": ("İlçe", "Rayon", "District"),
    "neighbourhood": ("Mahalle", "Qəsəbə", "Neighbourhood", "Neighborhood"),
    "street": ("Adres", "Açık adres", "Sokak", "Cadde", "Ünvan", "Küçə", "Street", "Address"),
    "postal_code": ("Posta kodu", "Poçt indeksi", "Poçt kodu", "İndeks", "Postal code", "Postcode", "Zip", "Zip code"),
    "tckn": ("TCKN", "TC", "TC no", "TC kimlik", "TC kimlik no", "Kimlik no"),
    "vkn": ("VKN", "Vergi no", "Vergi numarası", "Vergi kimlik no"),
    "voen": ("VÖEN",),
    "tax_office": ("Vergi dairesi", "Tax office"),
    "iban": ("IBAN",),
    "birth_date": (
        *("Doğum tarihi", "Doğum günü", "D. tarihi", "Doğum tarixi", "Doğum günü tarixi", "Ad günü"),
        *("Birth date", "Date of birth", "Birthday", "Birthdate", "DOB"),
    ),
    "tags": ("Etiketler", "Etiket", "Teqlər", "Teq", "Tags", "Tag"),
    "notes": ("Notlar", "Not", "Açıklama", "Qeyd", "Qeydlər", "Notes", "Note"),
    "source": ("Kaynak", "Mənbə", "Source"),
    "website": ("Web sitesi", "İnternet sitesi", "Sayt", "Website", "Web"),
    "industry": ("Sektör", "Sahə", "Industry"),
}
#: What each field is, for the import page's list of columns.
FIELD_LABELS = {
    "first_name": gettext_lazy("First name"),
    "last_name": gettext_lazy("Last name"),
    "full_name": gettext_lazy("Full name (the last word is the last name)"),
    "name": gettext_lazy("Company name"),
    "short_name": gettext_lazy("Short name"),
    "company": gettext_lazy("Company (linked; created if missing)"),
    "title": gettext_lazy("Title"),
    "phone": gettext_lazy("Phone"),
    "work_phone": gettext_lazy("Work phone"),
    "email": gettext_lazy("E-mail"),
    "country": gettext_lazy("Country"),
    "city": gettext_lazy("City"),
    "district": gettext_lazy("District"),
    "neighbourhood": gettext_lazy("Neighbourhood"),
    "street": gettext_lazy("Street"),
    "postal_code": gettext_lazy("Postal code"),
    "tckn": gettext_lazy("TCKN"),
    "vkn": gettext_lazy("VKN"),
    "voen": gettext_lazy("VÖEN"),
    "tax_office": gettext_lazy("Tax office"),
    "iban": gettext_lazy("IBAN"),
    "birth_date": gettext_lazy("Birth date"),
    "tags": gettext_lazy("Tags"),
    "notes": gettext_lazy("Notes"),
    "source": gettext_lazy("Source"),
    "website": gettext_lazy("Website"),
    "industry": gettext_lazy("Industry"),
}
PERSON_ONLY = {"first_name", "last_name", "full_name", "company", "title", "tckn", "birth_date"}
COMPANY_ONLY = {"name", "short_name", "vkn", "voen", "tax_office", "website", "industry"}
SPLIT = re.compile(r"\s*[;,/|]\s*")  # several phones, e-mails or tags in one cell

COUNTRIES = {
    "turkiye": "TR", "turkey": "TR", "turkiye cumhuriyeti": "TR",
    "azerbaycan": "AZ", "azerbaijan": "AZ", "azerbaycan respublikasi": "AZ",
}  # fmt: skip


# --- one line -> service arguments ------------------------------------------------------------
def line_arguments(values: dict[str, str], kind: str) -> dict[str, Any]:
    """The keyword arguments of person_create / company_create for one line's cells."""
    args: dict[str, Any] = {}
    if kind == "person":
        first, last = values.get("first_name", ""), values.get("last_name", "")
        if not first and values.get("full_name"):
            names = values["full_name"].split()
            first, last = " ".join(names[:-1]) or names[0], names[-1] if len(names) > 1 else ""
        args.update(first_name=first, last_name=last)
        for field in ("title", "tckn", "company"):
            if values.get(field):
                args[field] = values[field]
        if values.get("birth_date"):
            args["birth_date"] = values["birth_date"]  # the service reads 31.12.1980 and the other usual ways
    else:
        args["name"] = values.get("name", "")
        for field in ("short_name", "vkn", "voen", "tax_office", "website", "industry"):
            if values.get(field):
                args[field] = values[field]
    for field in ("iban", "notes", "source"):
        if values.get(field):
            args[field] = values[field]
    args["phones"] = [services.PhoneIn(n) for n in SPLIT.split(values.get("phone", "")) if n] + [
        services.PhoneIn(n, "work") for n in SPLIT.split(values.get("work_phone", "")) if n
    ]
    args["emails"] = [services.EmailIn(e) for e in SPLIT.split(values.get("email", "")) if e]
    parts = {f: values.get(f, "") for f in ("city", "district", "neighbourhood", "street", "postal_code")}
    if values.get("country"):  # the line's country is where its numbers without a country code are
        with contextlib.suppress(DomainError):  # an unknown country is the address's error, if it has one
            region = _country(values, [])
            for phone in args["phones"]:
                phone.region = region
    if any(parts.values()):
        args["addresses"] = [
            services.AddressIn(
                country=_country(values, args["phones"]),
                city=parts["city"],
                district=parts["district"],
                neighbourhood=parts["neighbourhood"],
                street=parts["street"],
                postal_code=parts["postal_code"],
            )
        ]
    args["tags"] = [t for t in SPLIT.split(values.get("tags", "")) if t]
    # custom-field columns ("custom:<key>", see custom_columns); an empty cell leaves the field unset
    custom = {name.removeprefix(CUSTOM): value for name, value in values.items() if name.startswith(CUSTOM) and value}
    if custom:
        args["custom"] = custom
    return args


CUSTOM = "custom:"  # a column's field for a custom field: "custom:<key>"


def custom_columns(kind: str) -> dict[str, str]:
    """Folded column name → "custom:<key>" for the custom fields of ``kind``: each field's key and its label in
    every language (a Turkish user's "Bülten" column and an English one's "Newsletter" are the same field)."""
    from velinimet.customers.models import CustomField

    columns: dict[str, str] = {}
    for definition in CustomField.objects.filter(record_type=kind):
        for name in (definition.key, *sorted(definition.labels())):
            columns.setdefault(" ".join(fold(name).split()), CUSTOM + definition.key)
    return columns


def _country(values: dict[str, str], phones: list[services.PhoneIn]) -> str:
    """The country column if there is one, else the country of the line's first phone number (a London
    address with a +44 number is in GB, one with +994 in Azerbaijan), else Türkiye."""
    if values.get("country"):
        code = COUNTRIES.get(fold(values["country"])) or values["country"].strip().upper()
        if not re.fullmatch(r"[A-Z]{2}", code):
            message = _("Unknown country “%(value)s”: write TR, AZ or another two-letter code.") % {
                "value": values["country"]
            }
            raise DomainError(message, errors={"country": [message]})
        return code
    for phone in phones:
        region = normalize.phone_region(phone.number)
        if region:
            return region
    return normalize.DEFAULT_REGION


def line_title(values: dict[str, str], kind: str) -> str:
    """The line's name for the report (cut short: a cell may be far longer than any name)."""
    if kind == "company":
        return values.get("name", "")[:200]
    name = values.get("full_name") or f"{values.get('first_name', '')} {values.get('last_name', '')}".strip()
    return name[:200]


def earlier_lines(lines: dict[int, list[str]], kind: str) -> list[dict[str, Any]]:
    """Candidates for the earlier lines of this file that a line repeats (``matching.FileIndex.earlier``:
    reasons by line number)."""
    return [
        {
            "type": kind,
            "id": None,
            "url": None,
            "title": _("line %(line)s of this file") % {"line": line},
            "line": line,
            "customer_number": None,
            "reasons": reasons,
            "visible": True,
        }
        for line, reasons in sorted(lines.items())
    ]


class EarlierLines:
    """The check of one line against the earlier lines of its file (``records.Earlier``, called inside the
    create): it keeps the line's validated subject, for the index once the line's record is created."""

    def __init__(self, index: FileIndex, kind: str) -> None:
        self.index, self.kind = index, kind
        self.subject: Subject | None = None

    def __call__(self, subject: Subject) -> list[dict[str, Any]]:
        self.subject = subject
        return earlier_lines(self.index.earlier(subject), self.kind)


def column_help(kind: str) -> list[tuple[Any, tuple[str, ...]]]:
    """(what, column names) for the fields a file of ``kind`` may have, in a sensible order."""
    from velinimet.customers.models import CustomField

    skip = COMPANY_ONLY if kind == "person" else PERSON_ONLY
    fields = [(FIELD_LABELS[field], names) for field, names in COLUMNS.items() if field not in skip]
    return fields + [
        (d.shown_label, (*sorted(d.labels()), d.key)) for d in CustomField.objects.filter(record_type=kind)
    ]
