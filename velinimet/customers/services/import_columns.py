"""What an import file's columns and cells mean: the column names people use, one line's cells turned into
the keyword arguments of ``person_create`` / ``company_create``, and how the report names an earlier line of
the file that a line repeats ("line 12 of this file"; which lines repeat is decided by ``matching``)."""

from __future__ import annotations

import datetime
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
    "first_name": ("Adı", "Ad", "İsim", "First name", "Given name"),
    "last_name": ("Soyadı", "Soyad", "Soyisim", "Last name", "Surname", "Family name"),
    "full_name": ("Ad Soyad", "Adı Soyadı", "İsim Soyisim", "Müşteri adı", "Müşteri", "Full name", "Name"),
    "name": ("Firma adı", "Şirket adı", "Şirkətin adı", "Ticari ünvan", "Company name", "Legal name", "Name"),
    "short_name": ("Kısa ad", "Qısa ad", "Short name"),
    "company": ("Firma", "Şirket", "Şirkət", "İşyeri", "Company", "Employer"),
    "title": ("Görev", "Pozisyon", "Vəzifə", "Title", "Job title"),
    "phone": ("Telefon", "Tel", "Cep", "Cep telefonu", "GSM", "Mobil", "Telefon nömrəsi", "Phone", "Mobile"),
    "work_phone": ("İş telefonu", "İş tel", "Sabit telefon", "İş telefonu nömrəsi", "Work phone"),
    "email": ("E-posta", "Eposta", "E-poçt", "Elektron poçt", "E-mail", "Email", "Mail"),
    "country": ("Ülke", "Ölkə", "Country"),
    "city": ("İl", "Şehir", "Şəhər", "City"),
    "district": ("İlçe", "Rayon", "District"),
    "neighbourhood": ("Mahalle", "Qəsəbə", "Neighbourhood", "Neighborhood"),
    "street": ("Adres", "Sokak", "Cadde", "Küçə", "Street", "Address"),
    "postal_code": ("Posta kodu", "Poçt indeksi", "İndeks", "Postal code", "Zip"),
    "tckn": ("TCKN", "TC", "TC no", "TC kimlik", "TC kimlik no", "Kimlik no"),
    "vkn": ("VKN", "Vergi no", "Vergi numarası", "Vergi kimlik no"),
    "voen": ("VÖEN",),
    "tax_office": ("Vergi dairesi", "Tax office"),
    "iban": ("IBAN",),
    "birth_date": ("Doğum tarihi", "Doğum tarixi", "Birth date", "Date of birth", "Birthday"),
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
def _parse_date(text: str) -> datetime.date | str:
    """31.12.1980, 31/12/1980, 31-12-1980 or 1980-12-31; anything else goes on as typed, for the service's
    validation to report next to the line's other problems."""
    for fmt in ("%d.%m.%Y", "%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return text


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
            args["birth_date"] = _parse_date(values["birth_date"])
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
    return args


def _country(values: dict[str, str], phones: list[services.PhoneIn]) -> str:
    """The country column if there is one, else Azerbaijan for a +994 number, else Türkiye."""
    if values.get("country"):
        code = COUNTRIES.get(fold(values["country"])) or values["country"].strip().upper()
        if not re.fullmatch(r"[A-Z]{2}", code):
            message = _("Unknown country “%(value)s”: write TR, AZ or another two-letter code.") % {
                "value": values["country"]
            }
            raise DomainError(message, errors={"country": [message]})
        return code
    first = next((k for p in phones for k in normalize.phone_lookup_keys(p.number)), "")
    return "AZ" if first.startswith("+994") else "TR"


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
    skip = COMPANY_ONLY if kind == "person" else PERSON_ONLY
    return [(FIELD_LABELS[field], names) for field, names in COLUMNS.items() if field not in skip]
