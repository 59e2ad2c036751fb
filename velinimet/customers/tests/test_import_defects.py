"""Import defects a new user hit (issue 11): dates, countries, headers, custom-field columns, other formats."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from velinimet.core.models import Job
from velinimet.customers.models import Company, Person
from velinimet.customers.normalize import InvalidValue, parse_date
from velinimet.customers.services.custom_fields import custom_field_create
from velinimet.customers.services.import_reading import ImportFileError, check_head
from velinimet.customers.services.importer import import_start

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _jobs_run_at_once(monkeypatch: Any) -> None:
    from types import SimpleNamespace

    from velinimet.core import jobs

    monkeypatch.setattr(jobs, "transaction", SimpleNamespace(on_commit=lambda fn: fn()))


def _run(actor: Any, text: str, kind: str = "person", trial: bool = False) -> Job:
    job = import_start(actor=actor, kind=kind, data=text.encode(), trial=trial)
    job.refresh_from_db()
    assert job.state == Job.State.SUCCEEDED, job.error
    return job


@pytest.fixture
def english(cast: Any) -> Any:
    cast.rep_ist.language = "en"
    cast.rep_ist.save()
    return cast.rep_ist


def test_a_bad_date_names_the_formats_the_import_accepts(english: Any) -> None:
    job = _run(english, "Ad;Doğum tarihi\nAyşe;31.02.1990\nFatma;15.07.1970\n")
    (error,) = job.result["errors"]
    assert error["line"] == 2
    message = " ".join(error["messages"])
    assert "DD.MM.YYYY" in message and "YYYY-MM-DD" in message
    assert Person.objects.get().birth_date.isoformat() == "1970-07-15"


@given(
    st.dates(min_value=__import__("datetime").date(1900, 1, 1)),
    st.sampled_from(["%d.%m.%Y", "%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]),
)
def test_every_accepted_date_format_reads_back_the_same_date(day: Any, fmt: str) -> None:
    assert parse_date(day.strftime(fmt)) == day


@given(st.text(max_size=20))
def test_the_date_parser_only_raises_invalid_value(text: str) -> None:
    try:
        parse_date(text)
    except InvalidValue as exc:
        assert "DD.MM.YYYY" in str(exc) or str(exc)


def test_the_api_reads_a_turkish_date_too(cast: Any, api: Any) -> None:
    response = api(cast.rep_ist).post("/api/v1/people/", {"first_name": "A", "birth_date": "15.07.1970"}, format="json")
    assert response.status_code == 201 and response.json()["birth_date"] == "1970-07-15"


def test_the_country_follows_the_phone_or_the_country_column(english: Any) -> None:
    _run(
        english,
        "Ad;Telefon;Şehir;Ülke\n"
        "John;+44 20 7946 0958;London;\n"
        "Leyla;+994 50 123 45 67;Bakı;\n"
        "Ayşe;0532 123 45 67;İstanbul;\n"
        "Hans;+44 20 7946 0959;Berlin;DE\n"
        "Mary;020 7946 0957;London;GB\n",
    )
    countries = {p.first_name: p.addresses.get().country for p in Person.objects.all()}
    assert countries == {"John": "GB", "Leyla": "AZ", "Ayşe": "TR", "Hans": "DE", "Mary": "GB"}
    mary = Person.objects.get(first_name="Mary").phones.get()
    assert (mary.e164, mary.national) == ("+442079460957", "+44 20 7946 0957")  # abroad: international
    john = Person.objects.get(first_name="John").phones.get()
    assert john.e164 == "+442079460958"


@pytest.mark.parametrize(
    "header",
    [
        "Ad Soyad;Doğum Günü;Cep Telefonu;E-posta",
        "Adı Soyadı;Doğum tarihi;Cep tel;E-posta adresi",
        "Adı və soyadı;Doğum tarixi;Mobil nömrə;E-poçt ünvanı",
        "Full name;Date of birth;Mobile phone;Email address",
    ],
)
def test_common_turkish_azerbaijani_and_english_headers_are_recognised(english: Any, header: str) -> None:
    job = _run(english, f"{header}\nAyşe Yılmaz;15.07.1970;0532 123 45 67;ayse@example.com\n")
    assert job.result["created"] == 1, job.result
    person = Person.objects.get()
    assert (person.first_name, person.last_name, person.birth_date.isoformat()) == ("Ayşe", "Yılmaz", "1970-07-15")
    assert person.phones.get().e164 == "+905321234567" and person.emails.get().address == "ayse@example.com"


def test_custom_field_columns_are_recognised_by_label_in_any_language_and_by_key(cast: Any, english: Any) -> None:
    bulletin = custom_field_create(actor=cast.admin, record_type="person", label="Newsletter", kind="boolean")
    bulletin.label_tr, bulletin.label_az = "Bülten", "Bülleten"
    bulletin.save()
    custom_field_create(actor=cast.admin, record_type="person", label="Segment", key="seg", kind="text")
    custom_field_create(actor=cast.admin, record_type="person", label="İlk ziyaret", kind="date")
    _run(english, "Ad;BÜLTEN;seg;İlk ziyaret\nAyşe;evet;Altın;01.02.2020\nFatma;;;\n")
    assert Person.objects.get(first_name="Ayşe").custom == {
        "newsletter": True,
        "seg": "Altın",
        "ilk_ziyaret": "2020-02-01",
    }
    assert Person.objects.get(first_name="Fatma").custom == {}  # empty cells leave the fields unset
    _run(english, "Ad;Bülleten\nLeyla;xeyr\n")
    assert Person.objects.get(first_name="Leyla").custom == {"newsletter": False}


def test_a_sole_proprietors_tckn_imports_as_a_companys_tax_number(english: Any) -> None:
    _run(english, "Firma adı;VKN\nŞahıs Ltd.;100 000 001 46\nYanlış;10000000147\n", kind="company")
    assert list(Company.objects.values_list("vkn", flat=True)) == ["10000000146"]


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ay\xc5\x9fe\r\nEND:VCARD\r\n", "vCard"),
        ("BEGIN:VCARD\r\nVERSION:2.1\r\nEND:VCARD\r\n".encode("utf-16"), "vCard"),
        (b"\n\nbegin:vcard\nversion:4.0\n", "vCard"),
        (b"PK\x03\x04" + b"\0" * 30, "Excel"),
    ],
)
def test_vcard_and_excel_files_say_what_to_do(english: Any, head: bytes, expected: str) -> None:
    with translation.override("en"), pytest.raises(ImportFileError) as exc:
        check_head(head)
        import_start(actor=english, kind="person", data=head, trial=True)
    assert expected in exc.value.message and "CSV" in exc.value.message
    assert "first line" not in exc.value.message.lower()
