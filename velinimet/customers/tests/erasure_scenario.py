"""A person with every kind of related record, erased, then looked for everywhere they could linger.

Shared by ``test_kvkk_erasure.py`` (in the test process, both engines) and by the SQLite file check, which
runs this module as a program against a file database (``python -m …erasure_scenario DATA_DIR``) because
pytest-django's SQLite test database lives in memory and has no file or WAL to read.
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path
from typing import Any

#: The person's values, unusual enough that finding one anywhere after the erasure can only be a leak.
FIRST, LAST = "Zümrüt", "Zümrütoğlu"
MOBILE, MOBILE_NATIONAL, MOBILE_DIGITS = "+905327771122", "0532 777 11 22", "5327771122"
HOME, HOME_DIGITS = "+902164449977", "2164449977"
EMAIL, TWIN_EMAIL = "zumrut.x@ornek.com.tr", "zumrut.ikiz@ornek.com.tr"
TCKN = "38492057110"
IBAN = "TR300006200073141592653589"
CARD = "ZMRT-77-1122"
STREET = "Lacivertkuyu Sokak No 7"
ONLY_TAG = "Zümrütçüler"
CUSTOM_VALUE = "Pırlantaboncuk"
EVIDENCE = "Islak imzalı form Zmr-4471"
JOB_TITLE = "Kuyumcubaşı"
ACTIVITY_WORDS = ("Kehribarlı çay", "Menekşeli toplantı")
EARLIER_NAME = "Zumrut Zumrutogluu"  # the typo the first edit corrects: the audit log held it as "old"

#: What must be gone: each in the forms it may be stored in (as typed, JSON-escaped, folded, digits only).
SECRETS = [
    FIRST,  # folded, also the FTS5 word index's term (stored whole: no term before it shares its start)
    LAST,
    f"{FIRST} {LAST}",
    EARLIER_NAME,
    MOBILE,
    MOBILE_NATIONAL,
    MOBILE_DIGITS,
    HOME_DIGITS,
    EMAIL,
    TWIN_EMAIL,
    TCKN,
    IBAN,
    IBAN[4:],
    CARD,
    STREET,
    ONLY_TAG,
    CUSTOM_VALUE,
    EVIDENCE,
    JOB_TITLE,
    *ACTIVITY_WORDS,
]


def needles() -> dict[str, list[bytes]]:
    """Each secret → the byte strings that would betray it in a file (UTF-8, JSON \\u escapes, folded)."""
    from velinimet.core.text import fold

    out: dict[str, list[bytes]] = {}
    for secret in SECRETS:
        forms = {secret, json.dumps(secret)[1:-1], fold(secret)}
        forms |= {f.upper() for f in set(forms)} | {f.lower() for f in set(forms)}
        out[secret] = sorted({f.encode() for f in forms if len(f) >= 5})
    return out


def leaks_in(data: bytes, where: str, found: dict[str, list[str]]) -> None:
    """Note in ``found`` each secret whose bytes occur in ``data`` (also with separators between digits)."""
    digits_only = re.sub(rb"(?<=\d)[ ()./-]+(?=\d)", b"", data)
    for secret, forms in needles().items():
        if any(form in data or form in digits_only for form in forms):
            found.setdefault(secret, []).append(where)


def build(cast: Any, api: Any) -> dict[str, Any]:
    """The person and everything about them, made through the real services; returns what the checks need."""
    from django.conf import settings

    from velinimet.activities import services as activities
    from velinimet.core.jobs import job_run
    from velinimet.core.models import Job
    from velinimet.core.services import audit_export_start
    from velinimet.customers import services
    from velinimet.customers.services.calls import call_incoming
    from velinimet.customers.services.custom_fields import custom_field_create
    from velinimet.customers.services.finder import duplicates_find_start
    from velinimet.customers.services.importer import import_start
    from velinimet.customers.services.merge import records_merge

    custom_field_create(actor=cast.admin, record_type="person", label="Evcil hayvan", key="pet")
    acme = services.company_create(
        actor=cast.admin, name="Acme Kuyumculuk", phones=[services.PhoneIn("0212 555 00 00")]
    )
    bystander = services.person_create(
        actor=cast.admin,
        first_name="Ayşe",
        last_name="Kayalıoğlu",
        phones=[services.PhoneIn("0533 444 55 66")],
        tags=["VIP"],
        force=True,
    )
    person = services.person_create(
        actor=cast.admin,
        first_name="Zumrut",
        last_name="Zumrutogluu",
        phones=[services.PhoneIn(MOBILE_NATIONAL), services.PhoneIn(HOME, kind="home")],
        emails=[services.EmailIn(EMAIL)],
        addresses=[services.AddressIn(city="İstanbul", district="Kadıköy", street=STREET, postal_code="34710")],
        card_numbers=[CARD],
        tags=["VIP", ONLY_TAG],
        custom={"pet": CUSTOM_VALUE},
        tckn=TCKN,
        iban=IBAN,
        notes=f"Kedisi {CUSTOM_VALUE}, {EMAIL}",
        company=acme,
        company_title=JOB_TITLE,
    )
    person = services.person_update(actor=cast.admin, person=person, first_name=FIRST, last_name=LAST)
    services.records_add_tag(actor=cast.admin, records=[person], tag=ONLY_TAG + " 2")
    services.consent_record(
        actor=cast.admin, person=person, channel="sms", status="granted", source="web formu", evidence=EVIDENCE
    )
    services.employment_set(actor=cast.admin, person=person, company=acme, title=JOB_TITLE + " yardımcısı")
    note = activities.activity_log(
        actor=cast.admin, person=person, subject=f"{ACTIVITY_WORDS[0]} ile {LAST}", body=f"Aradı: {MOBILE_NATIONAL}"
    )
    activities.activity_update(actor=cast.admin, activity=note, subject=f"{ACTIVITY_WORDS[0]}: {FIRST} {LAST}")
    activities.activity_log(
        actor=cast.admin, person=person, kind="visit", subject=ACTIVITY_WORDS[1], body=f"{LAST}, {EMAIL}"
    )
    call = activities.activity_log(actor=cast.admin, person=person, kind="call", subject=f"{LAST} aradı")
    activities.activity_delete(actor=cast.admin, activity=call)  # its audit entries outlive it
    # Other records' entries that quote them: an edit leaves the old text in the audit log only.
    services.company_update(actor=cast.admin, company=acme, notes=f"Muhatap: {FIRST} {LAST}, {EMAIL}")
    services.company_update(actor=cast.admin, company=acme, notes="Muhatap: satın alma")
    visit = activities.activity_log(actor=cast.admin, company=acme, subject=f"Ziyaret, {MOBILE} ile {FIRST} {LAST}")
    activities.activity_update(actor=cast.admin, activity=visit, subject="Ziyaret")
    cast.admin.extension = "101"
    cast.admin.save(update_fields=["extension"])
    call_incoming(actor=cast.admin, number=MOBILE_NATIONAL, extension="101")
    call_incoming(actor=cast.admin, number="+90 532 777 1122", extension="999")  # nobody at 999: no person set
    twin = services.person_create(
        actor=cast.admin, first_name=FIRST, last_name=LAST, emails=[services.EmailIn(TWIN_EMAIL)], force=True
    )
    records_merge(actor=cast.admin, survivor=person, other=twin)
    upload = (
        "Adı;Soyadı;Cep Telefonu;E-posta\n"
        f"{FIRST.upper()};{LAST.upper()};{MOBILE_NATIONAL};{EMAIL}\n"
        f"{FIRST};{LAST};12345;{EMAIL}x@\n"
        "Deniz;Yıldıztepe;0534 111 22 33;deniz@ornek.com.tr\n"
    )
    imported = import_start(actor=cast.admin, kind="person", data=upload.encode(), trial=False)
    finder = duplicates_find_start(actor=cast.admin, kind="person")
    exported = audit_export_start(actor=cast.admin, filters={})
    bystander_export = audit_export_start(
        actor=cast.admin, filters={"record_type": "customers.person", "object_id": str(bystander.pk)}
    )
    for job in (imported, finder, exported, bystander_export):
        job_run(str(job.pk))  # the test's transaction never commits; elsewhere it already ran (no-op then)
        job.refresh_from_db()
    assert imported.result_file and exported.result_file, (imported.result, exported.error)
    export_dir = Path(settings.EXPORT_DIR)
    assert LAST.upper() in (export_dir / imported.result_file).read_text(encoding="utf-8-sig")
    assert EMAIL in (export_dir / exported.result_file).read_text(encoding="utf-8-sig")
    assert Job.objects.filter(pk=imported.pk, result__icontains="Zümrüt").exists() or LAST in str(imported.result)
    return {
        "person": person,
        "twin": twin,
        "company": acme,
        "bystander": bystander,
        "files": {"import": imported.pk, "export": exported.pk, "bystander": bystander_export.pk},
    }


def erase(cast: Any, person: Any) -> None:
    from velinimet.customers.services.kvkk import person_erase

    person_erase(actor=cast.admin, person=person, reason=f"Başvuru 2026/41 ({FIRST} {LAST}, {MOBILE_NATIONAL})")


def api_pages(client: Any, built: dict[str, Any]) -> dict[str, bytes]:
    """Every list and search an administrator can read, each page followed to the end, by URL."""
    person, company = built["person"], built["company"]
    urls = [
        "/api/v1/people/",
        f"/api/v1/people/{person.pk}/",
        f"/api/v1/people/{person.pk}/consents/",
        f"/api/v1/people/{person.pk}/kvkk-export/",
        f"/api/v1/people/{built['twin'].pk}/",
        "/api/v1/companies/",
        f"/api/v1/companies/{company.pk}/",
        "/api/v1/activities/",
        f"/api/v1/activities/?person={person.pk}",
        f"/api/v1/activities/?company={company.pk}",
        "/api/v1/audit/",
        "/api/v1/jobs/",
        *[f"/api/v1/search/?q={q}" for q in (LAST, FIRST, MOBILE_DIGITS, EMAIL, TCKN, CARD)],
        *[f"/api/v1/calls/lookup/?number={n}" for n in (MOBILE, HOME)],
    ]
    pages: dict[str, bytes] = {}
    for url in urls:
        next_url: str | None = url
        while next_url and len(pages) < 500:
            response = client.get(next_url)
            assert response.status_code in (200, 404), (next_url, response.status_code, response.content[:300])
            pages[next_url] = response.content
            try:
                body = response.json()
            except ValueError:
                break
            next_url = body.get("next") if isinstance(body, dict) else None
            if next_url and "://" in next_url:
                next_url = "/" + next_url.split("://", 1)[1].split("/", 1)[1]
    for job_id in built["files"].values():
        response = client.get(f"/jobs/{job_id}/download/")
        streamed = response.streaming if hasattr(response, "streaming") else False
        pages[f"/jobs/{job_id}/download/"] = b"".join(response.streaming_content) if streamed else response.content
    return pages


def check(cast: Any, api: Any, built: dict[str, Any]) -> dict[str, list[str]]:
    """Where each secret was still found: API answers and the exports folder (the caller adds the database)."""
    from django.conf import settings

    found: dict[str, list[str]] = {}
    for url, content in api_pages(api(cast.admin), built).items():
        leaks_in(content, url, found)
    export_dir = Path(settings.EXPORT_DIR)
    for path in sorted(export_dir.rglob("*")) if export_dir.is_dir() else []:
        if path.is_file():
            leaks_in(path.read_bytes(), f"exports/{path.name}", found)
    return found


def _main(data_dir: str) -> None:
    """Run the scenario on a file database in ``data_dir`` and print the leaks found as JSON."""
    os.environ["VELINIMET_DATA_DIR"] = data_dir
    os.environ.pop("VELINIMET_DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "velinimet.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parents[3]))  # the repository root, for conftest.Cast
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import setup_test_environment
    from huey.contrib.djhuey import HUEY

    setup_test_environment()
    HUEY.immediate = True
    call_command("migrate", verbosity=0)
    from rest_framework.test import APIClient

    from conftest import Cast
    from velinimet.accounts.services import token_create

    def api(user: Any) -> APIClient:
        client = APIClient()
        _token, key = token_create(actor=user, user=user, name="scenario")
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
        client.force_login(user)
        return client

    cast = Cast()
    built = build(cast, api)
    erase(cast, built["person"])
    found = check(cast, api, built)
    # Read the files while this process still holds its connection: closing the last one checkpoints the
    # WAL into the database and deletes it, which would hide what a running server leaves there.
    connection.ensure_connection()
    database = Path(settings.DATABASES["default"]["NAME"])
    for path in (database, database.with_name(database.name + "-wal")):
        if path.exists():
            leaks_in(path.read_bytes(), path.name, found)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA secure_delete")
        secure_delete = cursor.fetchone()[0]
    print(json.dumps({"found": found, "secure_delete": secure_delete, "wal": database.name + "-wal"}))


if __name__ == "__main__":
    _main(sys.argv[1])
