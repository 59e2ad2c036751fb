"""Defects a new user hit (issue 11): each test fails on the code before its fix."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from velinimet.customers import services
from velinimet.customers.models import CardNumber, Person
from velinimet.customers.services.custom_fields import custom_field_create

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- loyalty cards written in another case are one card ----------------------------------------------------
def test_a_card_in_another_case_keeps_the_form_and_says_who_holds_it(cast: Any) -> None:
    client = client_for(cast.rep_ist)
    first = client.post(
        "/customers/people/new/", {"first_name": "Ayşe", "country": "TR", "card_numbers": "kart-77, KART-77"}
    )
    assert first.status_code == 302
    assert list(CardNumber.objects.values_list("number", flat=True)) == ["KART-77"]
    again = client.post(
        "/customers/people/new/", {"first_name": "Fatma", "country": "TR", "card_numbers": "Kart-77", "force": "on"}
    )
    assert again.status_code == 200  # the form again, with what was typed, not a 500
    form = again.context["form"]
    assert form["first_name"].value() == "Fatma" and form["card_numbers"].value() == "Kart-77"
    assert "KART-77" in " ".join(form.errors["card_numbers"])
    assert Person.objects.count() == 1


def test_a_card_in_another_case_is_a_400_in_the_api_also_on_update(cast: Any, api: Any) -> None:
    client = api(cast.rep_ist)
    assert (
        client.post("/api/v1/people/", {"first_name": "A", "card_numbers": ["kart-77"]}, format="json").status_code
        == 201
    )
    created = client.post("/api/v1/people/", {"first_name": "B", "card_numbers": ["KART-77"]}, format="json")
    assert created.status_code == 400 and "card_numbers.0" in created.json()["errors"]
    other = services.person_create(actor=cast.rep_ist, first_name="C", force=True)
    patched = client.patch(f"/api/v1/people/{other.pk}/", {"card_numbers": ["Kart-77 "]}, format="json")
    assert patched.status_code == 400 and "card_numbers.0" in patched.json()["errors"]


def test_cards_stored_before_in_lower_case_are_capitalised_by_the_migration(cast: Any) -> None:
    """Rows written before card numbers were capitalised ("kart-77") become "KART-77", so the same card typed
    in capitals is refused and found; one whose capitals another customer holds is left for a person."""
    import importlib

    from django.apps import apps

    from velinimet.core.exceptions import DomainError
    from velinimet.core.search import search

    migration = importlib.import_module("velinimet.customers.migrations.0016_company_vkn_tckn_cards_in_capitals")
    old = services.person_create(actor=cast.rep_ist, first_name="Eski", force=True)
    other = services.person_create(actor=cast.rep_ist, first_name="Öbür", force=True)
    CardNumber.objects.create(person=old, number="kart-77")  # as an older version stored them
    CardNumber.objects.create(person=other, number="KART-88")
    CardNumber.objects.create(person=old, number="kart-88")
    migration.capitalise_cards(apps, None)
    assert sorted(CardNumber.objects.values_list("number", flat=True)) == ["KART-77", "KART-88", "kart-88"]
    with pytest.raises(DomainError) as exc:
        services.person_create(actor=cast.rep_ist, first_name="Yeni", card_numbers=["Kart-77"], force=True)
    assert "card_numbers.0" in exc.value.errors
    assert [h.title for _p, hits in search(cast.rep_ist, "kart-77") for h in hits] == ["Eski"]


# --- yes/no custom fields: unset stays unset ----------------------------------------------------------------
def _yes_no_field(cast: Any) -> None:
    custom_field_create(actor=cast.admin, record_type="person", label="Newsletter", kind="boolean")
    custom_field_create(actor=cast.admin, record_type="person", label="Segment", kind="text")


def test_saving_a_person_leaves_an_untouched_yes_no_field_unset(cast: Any) -> None:
    _yes_no_field(cast)
    client = client_for(cast.rep_ist)
    assert client.post("/customers/people/new/", {"first_name": "Ayşe", "country": "TR"}).status_code == 302
    person = Person.objects.get()
    assert person.custom == {}
    page = client.get(f"/customers/people/{person.pk}/edit/")
    data = {k: v for k, v in page.context["form"].initial.items() if v is not None}
    assert client.post(f"/customers/people/{person.pk}/edit/", {**data, "country": "TR"}).status_code == 302
    person.refresh_from_db()
    assert person.custom == {}


@pytest.mark.parametrize(("chosen", "stored"), [("true", True), ("false", False), ("unknown", None)])
def test_a_yes_no_field_is_yes_no_or_unset_in_the_form(cast: Any, chosen: str, stored: Any) -> None:
    _yes_no_field(cast)
    person = services.person_create(actor=cast.rep_ist, first_name="Ayşe", custom={"newsletter": True}, force=True)
    client = client_for(cast.rep_ist)
    form = client.get(f"/customers/people/{person.pk}/edit/").context["form"]
    assert 'value="true" selected' in str(form["custom_newsletter"])
    data = {k: v for k, v in form.initial.items() if v is not None}
    response = client.post(
        f"/customers/people/{person.pk}/edit/", {**data, "country": "TR", "custom_newsletter": chosen}
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.custom.get("newsletter") is stored


def test_the_api_leaves_unset_yes_no_fields_unset(cast: Any, api: Any) -> None:
    _yes_no_field(cast)
    client = api(cast.rep_ist)
    body = client.post("/api/v1/people/", {"first_name": "A", "custom": {"segment": "x"}}, format="json").json()
    assert body["custom"] == {"segment": "x"}
    patched = client.patch(f"/api/v1/people/{body['id']}/", {"custom": {"newsletter": None}}, format="json")
    assert patched.json()["custom"] == {"segment": "x"}


# --- companies: work phone and work address by default ----------------------------------------------------
def test_a_companys_form_offers_a_work_phone_and_a_work_address(cast: Any) -> None:
    client = client_for(cast.rep_ist)
    form = client.get("/customers/companies/new/").context["form"]
    assert 'value="work" selected' in str(form["phone_kind_0"])
    assert 'value="work" selected' in str(form["address_kind"])
    person_form = client.get("/customers/people/new/").context["form"]
    assert 'value="mobile" selected' in str(person_form["phone_kind_0"])
    assert 'value="home" selected' in str(person_form["address_kind"])


def test_a_company_without_kinds_gets_a_work_phone_and_address_in_the_api_and_services(cast: Any, api: Any) -> None:
    body = {"name": "Kartal Ltd.", "phones": [{"number": "0212 555 12 34"}], "addresses": [{"city": "İstanbul"}]}
    created = api(cast.rep_ist).post("/api/v1/companies/", body, format="json").json()
    assert (created["phones"][0]["kind"], created["addresses"][0]["kind"]) == ("work", "work")
    person = (
        api(cast.rep_ist)
        .post(
            "/api/v1/people/", {"first_name": "Ayşe", **{k: v for k, v in body.items() if k != "name"}}, format="json"
        )
        .json()
    )
    assert (person["phones"][0]["kind"], person["addresses"][0]["kind"]) == ("mobile", "home")
    company = services.company_create(
        actor=cast.rep_ist,
        name="B",
        phones=[services.PhoneIn("0212 555 12 35")],
        addresses=[services.AddressIn(city="X")],
    )
    assert (company.phones.get().kind, company.addresses.get().kind) == ("work", "work")
    chosen = services.company_create(
        actor=cast.rep_ist, name="C", phones=[services.PhoneIn("0532 123 45 67", "mobile")]
    )
    assert chosen.phones.get().kind == "mobile"


# --- a sole proprietorship's tax number is its owner's TCKN ------------------------------------------------
def test_a_sole_proprietorship_is_saved_with_its_owners_tckn_in_services_api_and_form(cast: Any, api: Any) -> None:
    import random

    from velinimet.core.exceptions import DomainError
    from velinimet.customers.fakedata import _tckn
    from velinimet.customers.models import Company

    tckns = [_tckn(random.Random(seed)) for seed in (1, 2)]
    assert services.company_create(actor=cast.rep_ist, name="Şahıs", vkn="100 000 001 46").vkn == "10000000146"
    response = api(cast.rep_ist).post("/api/v1/companies/", {"name": "API", "vkn": tckns[0]}, format="json")
    assert response.status_code == 201 and response.json()["vkn"] == tckns[0]
    form = {"name": "Form", "country": "TR", "vkn": tckns[1]}
    assert client_for(cast.rep_ist).post("/customers/companies/new/", form).status_code == 302
    assert Company.objects.filter(vkn__in=["10000000146", *tckns]).count() == 3
    with pytest.raises(DomainError) as exc:
        services.company_create(actor=cast.rep_ist, name="X", vkn="10000000147")
    assert "TCKN" in exc.value.errors["vkn"][0]
    bad = api(cast.rep_ist).post("/api/v1/companies/", {"name": "API", "vkn": "123456789012"}, format="json")
    assert bad.status_code == 400 and "vkn" in bad.json()["errors"]


# --- the audit log in the reader's language ----------------------------------------------------------------
def _audit_page(user: Any) -> str:
    import re

    html = client_for(user).get("/settings/audit/").content.decode()
    body = html[html.index("<tbody>") : html.index("</tbody>")]
    return re.sub(r"\s+", " ", re.sub("<[^>]+>", " ", body))


def test_the_audit_log_names_owners_custom_fields_and_contact_lists_in_the_readers_language(cast: Any) -> None:
    field = custom_field_create(actor=cast.admin, record_type="person", label="Newsletter", kind="boolean")
    field.label_tr = "Bülten"
    field.save()
    person = services.person_create(
        actor=cast.admin, first_name="Ayşe", custom={"newsletter": True}, phones=[services.PhoneIn("0532 123 45 67")]
    )
    services.person_update(actor=cast.admin, person=person, owner=cast.rep_ist, custom={"newsletter": False}, phones=[])
    cast.admin.language, cast.admin.time_zone = "tr", "Asia/Baku"
    cast.admin.save()
    text = _audit_page(cast.admin)
    assert f"kayıt sahibi: {cast.admin} → {cast.rep_ist}" in text  # names, not user ids
    assert "Bülten: Evet → Hayır" in text and "{'newsletter'" not in text and "{&#x27;" not in text
    assert "telefonlar: +905321234567 → —" in text
    assert "last name key" not in text and "last_name_key" not in text
    from django.utils import timezone

    from velinimet.core.models import AuditEntry

    at = AuditEntry.objects.filter(code="customers.person.updated").get().at
    import zoneinfo

    assert timezone.localtime(at, zoneinfo.ZoneInfo("Asia/Baku")).strftime("%H:%M") in text


def test_erased_reads_in_the_readers_language_and_is_stored_neutral(cast: Any) -> None:
    from django.utils import translation

    from velinimet.core.models import AuditEntry
    from velinimet.customers.services.kvkk import person_erase

    person = services.person_create(actor=cast.admin, first_name="Zümrüt", last_name="Öztürk")
    person_erase(actor=cast.admin, person=person, reason="Başvuru 12")
    person.refresh_from_db()
    assert person.first_name == "[erased]"  # the same in every language
    assert set(AuditEntry.objects.values_list("object_repr", flat=True)) == {"[erased]"}
    for language, word in (("tr", "[silindi]"), ("az", "[silinib]"), ("en", "[erased]")):
        with translation.override(language):
            assert str(person) == word
    cast.admin.language = "tr"
    cast.admin.save()
    assert "[silindi]" in _audit_page(cast.admin) and "[erased]" not in _audit_page(cast.admin)


def test_a_phone_extension_reads_in_the_readers_language_and_the_form_reads_it_back(cast: Any) -> None:
    from django.utils import translation

    person = services.person_create(
        actor=cast.admin, first_name="Ayşe", phones=[services.PhoneIn("0212 555 12 34 x12")]
    )
    phone = person.phones.get()
    assert phone.national == "(0212) 555 12 34 ext. 12"  # stored as phonenumbers writes it, in no language
    with translation.override("tr"):
        assert str(phone) == "(0212) 555 12 34 dahili 12"
    with translation.override("az"):
        assert str(phone) == "(0212) 555 12 34 əlavə 12"
    cast.admin.language = "tr"
    cast.admin.save()
    client = client_for(cast.admin)
    assert "dahili 12" in client.get(f"/customers/people/{person.pk}/").content.decode()
    form = client.get(f"/customers/people/{person.pk}/edit/").context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    assert client.post(f"/customers/people/{person.pk}/edit/", {**data, "country": "TR"}).status_code == 302
    assert person.phones.get().e164 == "+902125551234"


# --- default roles, custom-field labels, the command line, Azerbaijani wording ------------------------------
def test_a_default_role_reads_in_turkish_in_its_form_and_keeps_its_stored_name(cast: Any) -> None:
    from velinimet.accounts.models import Role

    cast.admin.language = "tr"
    cast.admin.save()
    role = Role.objects.get(slug="sales_rep")
    client = client_for(cast.admin)
    form = client.get(f"/settings/roles/{role.pk}/").context["form"]
    assert form["name"].value() == "Satış temsilcisi"
    assert form["description"].value().startswith("Kendi müşterileri")
    saved = client.post(
        f"/settings/roles/{role.pk}/", {"name": form["name"].value(), "description": form["description"].value()}
    )
    assert saved.status_code == 302
    role.refresh_from_db()
    assert (role.name, role.description) == (
        "Sales rep",
        "Works their own customers and deals; reads their team's records.",
    )
    client.post(f"/settings/roles/{role.pk}/", {"name": "Bayi temsilcisi", "description": "Bayiler"})
    role.refresh_from_db()
    assert role.name == "Bayi temsilcisi"
    assert client.get(f"/settings/roles/{role.pk}/").context["form"]["name"].value() == "Bayi temsilcisi"


def test_custom_field_labels_in_three_languages_are_shown_in_the_readers(cast: Any, api: Any) -> None:
    from django.utils import translation

    client = client_for(cast.admin)
    response = client.post(
        "/customers/settings/fields/",
        {
            "record_type": "person",
            "label": "Segment",
            "label_tr": "Bölüm",
            "label_az": "Seqment",
            "kind": "text",
            "order": 0,
        },
    )
    assert response.status_code == 302
    from velinimet.customers.models import CustomField

    field = CustomField.objects.get()
    assert (field.label_tr, field.label_en, field.label_az) == ("Bölüm", "", "Seqment")
    for language, label in (("tr", "Bölüm"), ("az", "Seqment"), ("en", "Segment")):
        with translation.override(language):
            assert field.shown_label == label
    cast.rep_ist.language = "az"
    cast.rep_ist.save()
    assert "Seqment" in client_for(cast.rep_ist).get("/customers/people/new/").content.decode()
    body = api(cast.admin).patch(f"/api/v1/custom-fields/{field.pk}/", {"label_en": "Customer segment"}, format="json")
    assert body.status_code == 200, body.json()
    assert body.json()["label_en"] == "Customer segment"
    assert api(cast.rep_ist).get(f"/api/v1/custom-fields/{field.pk}/").json()["shown_label"] == "Seqment"


@pytest.mark.django_db(transaction=True)  # the command runs the job in a thread, on its own connection
def test_the_command_line_import_speaks_the_users_language_or_the_one_asked_for(cast: Any, tmp_path: Any) -> None:
    import io

    from django.core.management import call_command

    path = tmp_path / "people.csv"
    path.write_text("Ad,Soyad,Telefon\nAyşe,Yılmaz,0532 123 45 67\nFatma,Kaya,12\n", encoding="utf-8")
    cast.rep_ist.language = "tr"
    cast.rep_ist.save()
    out = io.StringIO()
    call_command("import_customers", str(path), "--user", "rep_ist", stdout=out, stderr=io.StringIO())
    text = out.getvalue()
    assert "2 satır" in text and "satır 3" in text and "Hiçbir şey kaydedilmedi" in text
    for english in ("lines", "line ", "created", "Nothing was saved", "possible duplicates"):
        assert english not in text
    out = io.StringIO()
    call_command(
        "import_customers", str(path), "--user", "rep_ist", "--language", "en", stdout=out, stderr=io.StringIO()
    )
    assert "2 lines: 1 would be created" in out.getvalue() and "line 3: " in out.getvalue()
    assert "not a valid phone number" in out.getvalue()


def test_the_azerbaijani_catalogue_never_names_the_turkish_law() -> None:
    import gettext as gnu
    from pathlib import Path

    import velinimet

    catalogue = Path(velinimet.__file__).parent / "locale" / "az" / "LC_MESSAGES" / "django.mo"
    with catalogue.open("rb") as fh:
        messages = gnu.GNUTranslations(fh)._catalog  # type: ignore[attr-defined]
    named = [text for key, text in messages.items() if key and "KVKK" in str(text)]
    assert named == []
    from django.utils import translation

    with translation.override("az"):
        assert translation.gettext("Personal data (KVKK)") == "Şəxsi məlumatlar"


def test_texts_an_erasure_overwrote_and_the_consents_text_version_read_in_the_readers_language(cast: Any) -> None:
    from django.template import Context, Template
    from django.utils import translation

    with translation.override("az"):
        assert Template("{% load shown %}{{ v|shown }}").render(Context({"v": "[erased]"})) == "[silinib]"
    person = services.person_create(actor=cast.admin, first_name="Leyla", force=True)
    services.consent_record(
        actor=cast.admin, person=person, channel="sms", status="granted", source="web", kvkk_text_version="v2"
    )
    cast.admin.language = "az"
    cast.admin.save()
    page = client_for(cast.admin).get(f"/customers/people/{person.pk}/").content.decode()
    assert "məlumatlandırma mətni v2" in page and "KVKK" not in page
