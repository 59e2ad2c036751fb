"""The URL matrix rows of customers: lists, the 360° pages and their actions, custom fields, merge, import,
calls, and their API (see velinimet/core/tests/url_matrix.py)."""

from __future__ import annotations

from typing import Any

from velinimet.accounts.models import User
from velinimet.core.tests.url_matrix import ALL, Op, Row, page, post_only, someone_else
from velinimet.core.tests.url_rows import job
from velinimet.core.tests.url_world import World, unique


def person(world: World, user: User) -> dict[str, Any]:
    return {"pk": world.of(user).person.pk}


def company(world: World, user: User) -> dict[str, Any]:
    return {"pk": world.of(user).company.pk}


def person_form(world: World, user: User) -> dict[str, Any]:
    return {"first_name": unique("Yeni"), "country": "TR", "force": "on"}


def company_form(world: World, user: User) -> dict[str, Any]:
    return {"name": unique("Yeni Şirket"), "country": "TR", "force": "on"}


def person_edit_form(world: World, user: User) -> dict[str, Any]:
    found = world.of(user).person
    return {"first_name": found.first_name, "country": "TR", "version": found.version}


def company_edit_form(world: World, user: User) -> dict[str, Any]:
    found = world.of(user).company
    return {"name": found.name, "country": "TR", "version": found.version}


def consent_form(world: World, user: User) -> dict[str, Any]:
    return {"channel": "email", "status": "granted", "source": "test"}


def employment_form(world: World, user: User) -> dict[str, Any]:
    return {"company": world.of(user).company.pk, "title": "Müdür"}


def custom_field_form(world: World, user: User) -> dict[str, Any]:
    return {"record_type": "person", "label": unique("Alan"), "kind": "text"}


def merge_pair(world: World, user: User) -> dict[str, Any]:
    own = world.of(user)
    return {"kind": "person", "a": own.person.pk, "b": own.merge_other.pk}


def csv_upload(world: World, user: User) -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {"kind": "person", "file": SimpleUploadedFile("p.csv", b"first_name\nAyse\n", content_type="text/csv")}


PERSON, COMPANY, FIELD, USER, JOB = (
    "customers.person",
    "customers.company",
    "customers.customfield",
    "accounts.user",
    "core.job",
)

ROWS: dict[str, Row] = {
    # --- customers: records -----------------------------------------------------------------
    "customers:person_list": page(((PERSON, "read"),)),
    "customers:pick_person": Row(methods={"GET": Op(needs=((PERSON, "read"),), data=lambda w, u: {"q": "Kişi"})}),
    "customers:pick_company": Row(methods={"GET": Op(needs=((COMPANY, "read"),), data=lambda w, u: {"q": "Şirket"})}),
    # owners and teams: for anyone who reads people or companies (every default role reads both alike)
    "customers:pick_owner": Row(methods={"GET": Op(needs=((PERSON, "read"),), data=lambda w, u: {"q": "sales"})}),
    "customers:pick_team": Row(methods={"GET": Op(needs=((PERSON, "read"),), data=lambda w, u: {"q": "İst"})}),
    "customers:person_create": page(((PERSON, "create"),), post=Op(needs=((PERSON, "create"),), data=person_form)),
    "customers:person_detail": page(((PERSON, "read"),), kwargs=person),
    "customers:person_edit": page(
        ((PERSON, "update"),), post=Op(needs=((PERSON, "update"),), data=person_edit_form), kwargs=person
    ),
    "customers:company_list": page(((COMPANY, "read"),)),
    "customers:company_create": page(((COMPANY, "create"),), post=Op(needs=((COMPANY, "create"),), data=company_form)),
    "customers:company_detail": page(((COMPANY, "read"),), kwargs=company),
    "customers:company_edit": page(
        ((COMPANY, "update"),), post=Op(needs=((COMPANY, "update"),), data=company_edit_form), kwargs=company
    ),
    "customers:record_delete": post_only(
        Op(needs=((PERSON, "delete"),)), kwargs=lambda w, u: {"kind": "person", "pk": w.of(u).person.pk}
    ),
    "customers:record_restore": post_only(
        Op(needs=((PERSON, "delete"),)), kwargs=lambda w, u: {"kind": "person", "pk": w.of(u).deleted_person.pk}
    ),
    "customers:bulk_action": post_only(
        Op(needs=((PERSON, "update"),), data=lambda w, u: {"ids": [w.of(u).person.pk], "action": "tag", "tag": "vip"}),
        kwargs=lambda w, u: {"kind": "person"},
    ),
    "customers:saved_view_create": post_only(
        Op(needs=((PERSON, "read"),), data=lambda w, u: {"name": unique("Görünüm"), "query": "city=Ankara"}),
        kwargs=lambda w, u: {"kind": "person"},
    ),
    "customers:saved_view_delete": post_only(
        Op(needs=((PERSON, "read"),)),
        kwargs=lambda w, u: {"kind": "person", "pk": w.of(u).saved_view.pk},
        foreign=lambda w, u: {"kind": "person", "pk": w.of(someone_else(w, u)).saved_view.pk},
    ),
    "customers:trash": page(((PERSON, "delete"),)),
    # --- customers: a person's own actions --------------------------------------------------
    "customers:person_kvkk_export": page(((PERSON, "read"), (PERSON, "export")), kwargs=person),
    "customers:person_erase": post_only(
        Op(needs=((PERSON, "delete"),), data=lambda w, u: {"reason": "talep"}), kwargs=person
    ),
    "customers:employment_add": post_only(Op(needs=((PERSON, "update"),), data=employment_form), kwargs=person),
    "customers:employment_remove": post_only(
        Op(needs=((PERSON, "update"),)),
        kwargs=lambda w, u: {"pk": w.of(u).person.pk, "employment_pk": w.of(u).employment.pk},
    ),
    "customers:consent_add": post_only(Op(needs=((PERSON, "update"),), data=consent_form), kwargs=person),
    # --- customers: custom fields, duplicates, merge, import, calls -------------------------
    "customers:custom_fields": page(((FIELD, "read"),), post=Op(needs=((FIELD, "create"),), data=custom_field_form)),
    "customers:custom_field_edit": page(
        ((FIELD, "read"),),
        post=Op(needs=((FIELD, "update"),), data=lambda w, u: {"label": w.custom_field.label, "kind": "text"}),
        kwargs=lambda w, u: {"pk": w.custom_field.pk},
    ),
    "customers:duplicates": page(((PERSON, "read"),), post=Op(needs=((PERSON, "read"), (JOB, "create")))),
    "customers:merge": page(((PERSON, "update"),), post=Op(needs=((PERSON, "update"),)), kwargs=merge_pair),
    "customers:merge_undo": page(
        ((PERSON, "update"),), post=Op(needs=((PERSON, "update"),)), kwargs=lambda w, u: {"pk": w.of(u).merge.pk}
    ),
    "customers:not_duplicate": post_only(Op(needs=((PERSON, "update"),), data=merge_pair)),
    "customers:not_duplicate_undo": post_only(Op(needs=((PERSON, "update"),), data=merge_pair)),
    "customers:import": page(((PERSON, "create"),), post=Op(needs=((PERSON, "create"),), data=csv_upload)),
    "customers:import_detail": page(((JOB, "read"),), kwargs=job),
    "customers:import_confirm": post_only(Op(needs=((JOB, "read"), (PERSON, "create"))), kwargs=job),
    "customers:screen_pop": page(),
    "customers:screen_pop_dismiss": post_only(
        Op(),
        kwargs=lambda w, u: {"pk": w.of(u).call.pk},
        foreign=lambda w, u: {"pk": w.of(someone_else(w, u)).call.pk},
    ),
    # --- API: customers ---------------------------------------------------------------------
    "person-list": Row(
        methods={
            "GET": Op(needs=((PERSON, "read"),)),
            "POST": Op(needs=((PERSON, "create"),), data=lambda w, u: {"first_name": unique("Yeni"), "force": True}),
        }
    ),
    "person-detail": Row(
        kwargs=person,
        methods={
            "GET": Op(needs=((PERSON, "read"),)),
            "PUT": Op(needs=((PERSON, "update"),), data=lambda w, u: {"first_name": w.of(u).person.first_name}),
            "PATCH": Op(needs=((PERSON, "update"),), data=lambda w, u: {"notes": "not"}),
            "DELETE": Op(needs=((PERSON, "delete"),)),
        },
    ),
    "person-consents": Row(
        kwargs=person,
        methods={"GET": Op(needs=((PERSON, "read"),)), "POST": Op(needs=((PERSON, "update"),), data=consent_form)},
    ),
    "person-kvkk-erase": Row(
        kwargs=person, methods={"POST": Op(needs=((PERSON, "delete"),), data=lambda w, u: {"reason": "talep"})}
    ),
    "person-kvkk-export": Row(kwargs=person, methods={"GET": Op(needs=((PERSON, "read"), (PERSON, "export")))}),
    "person-link-company": Row(
        kwargs=person,
        methods={"POST": Op(needs=((PERSON, "update"), (COMPANY, "read")), data=employment_form)},
    ),
    "person-merge": Row(
        kwargs=person,
        methods={"POST": Op(needs=((PERSON, "update"),), data=lambda w, u: {"other": w.of(u).merge_other.pk})},
    ),
    "company-list": Row(
        methods={
            "GET": Op(needs=((COMPANY, "read"),)),
            "POST": Op(needs=((COMPANY, "create"),), data=lambda w, u: {"name": unique("Yeni"), "force": True}),
        }
    ),
    "company-detail": Row(
        kwargs=company,
        methods={
            "GET": Op(needs=((COMPANY, "read"),)),
            "PUT": Op(needs=((COMPANY, "update"),), data=lambda w, u: {"name": w.of(u).company.name}),
            "PATCH": Op(needs=((COMPANY, "update"),), data=lambda w, u: {"notes": "not"}),
            "DELETE": Op(needs=((COMPANY, "delete"),)),
        },
    ),
    "company-merge": Row(
        kwargs=company,
        methods={"POST": Op(needs=((COMPANY, "update"),), data=lambda w, u: {"other": w.of(u).company_other.pk})},
    ),
    "custom-field-list": Row(
        methods={"GET": Op(needs=((FIELD, "read"),)), "POST": Op(needs=((FIELD, "create"),), data=custom_field_form)}
    ),
    "custom-field-detail": Row(
        kwargs=lambda w, u: {"pk": w.custom_field.pk},
        methods={
            "GET": Op(needs=((FIELD, "read"),)),
            "PUT": Op(
                needs=((FIELD, "update"),),
                data=lambda w, u: {"record_type": "person", "label": w.custom_field.label, "kind": "text"},
            ),
            "PATCH": Op(needs=((FIELD, "update"),), data=lambda w, u: {"order": 3}),
            "DELETE": Op(needs=((FIELD, "delete"),)),
        },
    ),
    "merge-undo": Row(
        kwargs=lambda w, u: {"pk": w.of(u).merge.pk},
        methods={"GET": Op(needs=((PERSON, "update"),)), "POST": Op(needs=((PERSON, "update"),))},
    ),
    "duplicates-list": Row(methods={"GET": Op(needs=((PERSON, "read"),), data=lambda w, u: {"kind": "person"})}),
    "duplicates-find": Row(
        methods={"POST": Op(needs=((PERSON, "read"), (JOB, "create")), data=lambda w, u: {"kind": "person"})}
    ),
    "not-duplicate-create": Row(methods={"POST": Op(needs=((PERSON, "update"),), data=merge_pair)}),
    "not-duplicate-undo": Row(methods={"POST": Op(needs=((PERSON, "update"),), data=merge_pair)}),
    "import-create": Row(methods={"POST": Op(needs=((PERSON, "create"),), data=csv_upload, multipart=True)}),
    "import-run": Row(kwargs=job, methods={"POST": Op(needs=((JOB, "read"), (PERSON, "create")))}),
    "call-lookup": Row(methods={"GET": Op(needs=((PERSON, "read"),), data=lambda w, u: {"number": w.of(u).phone})}),
    "call-incoming": Row(
        methods={
            "POST": Op(needs=((USER, "update", ALL),), data=lambda w, u: {"number": w.of(u).phone, "extension": "99"})
        }
    ),
}
