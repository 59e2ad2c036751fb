"""The permission matrix keyed by URL: one row per URL name (``app:entity_action`` for pages, the router's
``basename-action`` for the API), and per HTTP method what the caller must hold.

``test_url_matrix.py`` walks Django's URL resolver and the OpenAPI schema and fails when a URL or an API
operation has no row here, then checks every row for anonymous callers and for one user of every default
role: anonymous → the login page (HTML) or 401 (API); a role without the rights the row needs → 403 or 404;
a role with them → 2xx or 3xx. What "with them" means is ``oracle.py``'s business, read from the record
types' registered defaults, not from the code under test.

A row's sample arguments are the caller's *own* records (``world.own[user.pk]``): the user owns them and
they sit in the user's team, so any level from "own records" up reaches them. The world is built once
per module (``module_db``); every request runs in its own savepoint, so writes do not leak into the next.

Adding a URL: add its row here (or in an ``EXEMPT`` entry with the reason), with the (record type,
action) pairs its view checks, and sample data that passes validation, so that "allowed" means the
permission check let it through, not that a form rejected it.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils import timezone

from velinimet.accounts.models import ApiToken, Role, Team, User
from velinimet.activities.models import Activity
from velinimet.core.models import AuditEntry, Job
from velinimet.customers.models import Company, CustomField, Employment, IncomingCall, Merge, Person, SavedView

ROLE_SLUGS = [
    "administrator",
    "sales_manager",
    "sales_rep",
    "service_agent",
    "marketing_specialist",
    "field_technician",
    "analyst",
    "read_only",
]

_serial = itertools.count(1)


def unique(prefix: str) -> str:
    """A name no other request of the run has used (create forms refuse duplicates)."""
    return f"{prefix} {next(_serial)}"


@dataclass
class Own:
    """What one user owns in the world: the sample arguments of every row."""

    person: Person
    company: Company
    company_other: Company
    activity: Activity
    company_activity: Activity
    employment: Employment
    merge: Merge
    deleted_person: Person
    merge_other: Person
    import_job: Job  # a finished trial import, with its stored upload and its file of problem lines
    queued_job: Job
    call: IncomingCall
    saved_view: SavedView
    token: ApiToken
    audit_entry: AuditEntry
    phone: str


@dataclass
class World:
    users: dict[str, User]  # role slug → a user with that default role
    own: dict[int, Own]  # user pk → what they own
    keys: dict[int, str]  # user pk → their API token key
    sessions: dict[int, str]  # user pk → their session cookie
    custom_field: CustomField
    role: Role  # a custom role nobody has
    team: Team  # a team with nobody in it
    uploads: list[str]  # the stored uploads of the trial imports: removed with the world

    def remove_files(self) -> None:
        from velinimet.customers.services.importer import import_dir

        for name in self.uploads:
            (import_dir() / name).unlink(missing_ok=True)

    def of(self, user: User) -> Own:
        return self.own[user.pk]


Need = tuple[str, str] | tuple[str, str, int]
Builder = Callable[[World, User], dict[str, Any]]


def _nothing(world: World, user: User) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class Op:
    """One HTTP method on a URL: the rights it needs and a request body (or query) that is valid.

    ``needs`` lists (record type, action) pairs, optionally with the least level that reaches the sample
    (the oracle's default: own records for a type with an owner, the own team for one with a team, else
    all records). An empty ``needs`` means any logged-in user.
    """

    needs: tuple[Need, ...] = ()
    data: Builder = _nothing
    kwargs: Builder | None = None  # this method's own sample arguments, when the row's do not fit
    multipart: bool = False  # API: send as a form (file uploads); pages always post forms


@dataclass(frozen=True)
class Row:
    """A URL name: how to fill its arguments for a user, and its methods.

    ``foreign`` fills the arguments with another user's record that no role may reach through this URL
    (a call that rang for someone else, their token): every role gets 404.
    """

    kwargs: Builder = _nothing
    methods: dict[str, Op] = field(default_factory=dict)
    foreign: Builder | None = None
    public: bool = False  # anonymous callers may use it too (login, the schema)


def _other(world: World, user: User) -> User:
    """Someone who is not ``user`` (for "another user's record")."""
    return world.users["read_only"] if user.pk != world.users["read_only"].pk else world.users["sales_rep"]


# --- sample arguments -----------------------------------------------------------------------
def person(world: World, user: User) -> dict[str, Any]:
    return {"pk": world.of(user).person.pk}


def company(world: World, user: User) -> dict[str, Any]:
    return {"pk": world.of(user).company.pk}


def activity(world: World, user: User) -> dict[str, Any]:
    return {"pk": world.of(user).activity.pk}


def job(world: World, user: User) -> dict[str, Any]:
    return {"pk": world.of(user).import_job.pk}


def queued_job(world: World, user: User) -> dict[str, Any]:
    return {"pk": world.of(user).queued_job.pk}


def empty_team(world: World, user: User) -> dict[str, Any]:
    return {"pk": world.team.pk}


def job_with_file(world: World, user: User) -> dict[str, Any]:
    """The user's finished import with its file of problem lines, written to this test's export folder."""
    found = world.of(user).import_job
    folder = settings.EXPORT_DIR
    folder.mkdir(parents=True, exist_ok=True)
    (folder / found.result_file).write_text("line,problem\n")
    return {"pk": found.pk}


# --- request bodies -------------------------------------------------------------------------
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


def activity_form(world: World, user: User) -> dict[str, Any]:
    return {"kind": "call", "subject": "Arama", "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")}


def activity_json(world: World, user: User) -> dict[str, Any]:
    return {"kind": "call", "subject": "Arama", "person": world.of(user).person.pk}


def consent_form(world: World, user: User) -> dict[str, Any]:
    return {"channel": "email", "status": "granted", "source": "test"}


def employment_form(world: World, user: User) -> dict[str, Any]:
    return {"company": world.of(user).company.pk, "title": "Müdür"}


def user_form(world: World, user: User) -> dict[str, Any]:
    return {
        "username": unique("kullanici").replace(" ", ""),
        "language": "tr",
        "time_zone": "Europe/Istanbul",
        "is_active": "on",
        "password": "Uzun-bir-parola-2026!",
    }


def self_form(world: World, user: User) -> dict[str, Any]:
    return {
        "username": user.username,
        "first_name": user.first_name,
        "team": user.team_id or "",
        "role": user.role_id or "",
        "language": user.language,
        "time_zone": user.time_zone,
        "is_active": "on",
    }


def team_form(world: World, user: User) -> dict[str, Any]:
    return {"name": unique("Ekip")}


def role_form(world: World, user: User) -> dict[str, Any]:
    return {"name": unique("Rol")}


def custom_field_form(world: World, user: User) -> dict[str, Any]:
    return {"record_type": "person", "label": unique("Alan"), "kind": "text"}


def merge_pair(world: World, user: User) -> dict[str, Any]:
    own = world.of(user)
    return {"kind": "person", "a": own.person.pk, "b": own.merge_other.pk}


def csv_upload(world: World, user: User) -> dict[str, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return {"kind": "person", "file": SimpleUploadedFile("p.csv", b"first_name\nAyse\n", content_type="text/csv")}


PERSON, COMPANY, ACTIVITY = "customers.person", "customers.company", "activities.activity"
USER, TEAM, ROLE, JOB, AUDIT, FIELD = (
    "accounts.user",
    "accounts.team",
    "accounts.role",
    "core.job",
    "core.auditentry",
    "customers.customfield",
)
ALL = 4  # Level.ALL, spelled out: the oracle does not read core.visibility

GET = Op()
READ_PERSON = {"GET": Op(needs=((PERSON, "read"),))}


def page(needs: tuple[Need, ...] = (), post: Op | None = None, kwargs: Builder = _nothing, **extra: Any) -> Row:
    """A page that answers GET with ``needs`` and, when given, a POST."""
    methods = {"GET": Op(needs=needs)}
    if post is not None:
        methods["POST"] = post
    return Row(kwargs=kwargs, methods=methods, **extra)


def post_only(op: Op, kwargs: Builder = _nothing, **extra: Any) -> Row:
    return Row(kwargs=kwargs, methods={"POST": op}, **extra)


ROWS: dict[str, Row] = {
    # --- accounts: login, own settings ------------------------------------------------------
    "accounts:login": Row(methods={"GET": GET}, public=True),
    "accounts:login_verify": Row(methods={"GET": GET}, public=True),
    "accounts:logout": Row(methods={"POST": GET}, public=True),
    "accounts:set_language": Row(methods={"POST": Op(data=lambda w, u: {"language": "en"})}, public=True),
    "accounts:account": page(post=Op(data=lambda w, u: {"language": "tr", "time_zone": "Europe/Istanbul"})),
    "accounts:password_change": page(post=Op()),
    "accounts:tokens": page(post=Op(data=lambda w, u: {"name": "test"})),
    "accounts:token_revoke": post_only(
        Op(),
        kwargs=lambda w, u: {"pk": w.of(u).token.pk},
        foreign=lambda w, u: {"pk": w.of(_other(w, u)).token.pk},
    ),
    "accounts:two_factor": page(post=Op()),
    # --- accounts: administration -----------------------------------------------------------
    "accounts:user_list": page(((USER, "read"),)),
    "accounts:user_create": page(((USER, "create"),), post=Op(needs=((USER, "create"),), data=user_form)),
    "accounts:user_edit": page(
        ((USER, "read"),), post=Op(needs=((USER, "update"),), data=self_form), kwargs=lambda w, u: {"pk": u.pk}
    ),
    "accounts:user_password_reset": post_only(
        Op(needs=((USER, "update"),), data=lambda w, u: {"password": "Uzun-bir-parola-2026!"}),
        kwargs=lambda w, u: {"pk": u.pk},
    ),
    "accounts:user_tokens_revoke": post_only(Op(needs=((USER, "update"),)), kwargs=lambda w, u: {"pk": u.pk}),
    "accounts:team_list": page(((TEAM, "read"),)),
    "accounts:team_create": page(((TEAM, "create", ALL),), post=Op(needs=((TEAM, "create", ALL),), data=team_form)),
    "accounts:team_edit": page(
        ((TEAM, "read"),),
        post=Op(needs=((TEAM, "update"),), data=lambda w, u: {"name": u.team.name if u.team else "x"}),
        kwargs=lambda w, u: {"pk": u.team_id},
    ),
    "accounts:team_delete": post_only(Op(needs=((TEAM, "delete", ALL),)), kwargs=empty_team),
    "accounts:role_list": page(((ROLE, "read"),)),
    "accounts:role_create": page(((ROLE, "create"),), post=Op(needs=((ROLE, "create"),), data=role_form)),
    "accounts:role_edit": page(
        ((ROLE, "read"),),
        post=Op(needs=((ROLE, "update"),), data=lambda w, u: {"name": w.role.name}),
        kwargs=lambda w, u: {"pk": w.role.pk},
    ),
    "accounts:role_delete": post_only(Op(needs=((ROLE, "delete"),)), kwargs=lambda w, u: {"pk": w.role.pk}),
    # --- core -------------------------------------------------------------------------------
    "core:home": page(),
    "core:settings": page(),
    "core:search": Row(methods={"GET": Op(data=lambda w, u: {"q": w.of(u).person.first_name})}),
    "core:job_detail": page(((JOB, "read"),), kwargs=job),
    "core:job_download": page(((JOB, "read"), (PERSON, "create")), kwargs=job_with_file),
    "core:job_cancel": post_only(Op(needs=((JOB, "read"),)), kwargs=queued_job),
    "core:audit_list": page(((AUDIT, "read"),)),
    "core:audit_export": post_only(Op(needs=((AUDIT, "export"),))),
    # --- customers: records -----------------------------------------------------------------
    "customers:person_list": page(((PERSON, "read"),)),
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
        foreign=lambda w, u: {"kind": "person", "pk": w.of(_other(w, u)).saved_view.pk},
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
    "customers:merge_undo": post_only(Op(needs=((PERSON, "update"),)), kwargs=lambda w, u: {"pk": w.of(u).merge.pk}),
    "customers:import": page(((PERSON, "create"),), post=Op(needs=((PERSON, "create"),), data=csv_upload)),
    "customers:import_detail": page(((JOB, "read"),), kwargs=job),
    "customers:import_confirm": post_only(Op(needs=((JOB, "read"), (PERSON, "create"))), kwargs=job),
    "customers:screen_pop": page(),
    "customers:screen_pop_dismiss": post_only(
        Op(),
        kwargs=lambda w, u: {"pk": w.of(u).call.pk},
        foreign=lambda w, u: {"pk": w.of(_other(w, u)).call.pk},
    ),
    # --- activities -------------------------------------------------------------------------
    "activities:timeline": page(
        ((PERSON, "read"), (ACTIVITY, "read")), kwargs=lambda w, u: {"kind": "person", **person(w, u)}
    ),
    "activities:log": page(
        ((PERSON, "read"), (ACTIVITY, "create")),
        post=Op(needs=((PERSON, "read"), (ACTIVITY, "create")), data=activity_form),
        kwargs=lambda w, u: {"kind": "person", **person(w, u)},
    ),
    "activities:edit": page(
        ((ACTIVITY, "update"),), post=Op(needs=((ACTIVITY, "update"),), data=activity_form), kwargs=activity
    ),
    "activities:delete": post_only(Op(needs=((ACTIVITY, "delete"),)), kwargs=activity),
    # --- API: accounts ----------------------------------------------------------------------
    "me": Row(methods={"GET": GET}),
    "me-preferences": Row(methods={"PATCH": Op(data=lambda w, u: {"language": "tr"})}),
    "user-list": Row(
        methods={"GET": Op(needs=((USER, "read"),)), "POST": Op(needs=((USER, "create"),), data=user_form)}
    ),
    "user-detail": Row(
        kwargs=lambda w, u: {"pk": u.pk},
        methods={
            "GET": Op(needs=((USER, "read"),)),
            "PUT": Op(needs=((USER, "update"),), data=lambda w, u: {"username": u.username}),
            "PATCH": Op(needs=((USER, "update"),), data=lambda w, u: {"first_name": u.first_name}),
        },
    ),
    "user-revoke-tokens": Row(kwargs=lambda w, u: {"pk": u.pk}, methods={"POST": Op(needs=((USER, "update"),))}),
    "team-list": Row(
        methods={"GET": Op(needs=((TEAM, "read"),)), "POST": Op(needs=((TEAM, "create", ALL),), data=team_form)}
    ),
    "team-detail": Row(
        kwargs=lambda w, u: {"pk": u.team_id},
        methods={
            "GET": Op(needs=((TEAM, "read"),)),
            "PUT": Op(needs=((TEAM, "update"),), data=lambda w, u: {"name": u.team.name if u.team else "x"}),
            "PATCH": Op(needs=((TEAM, "update"),), data=lambda w, u: {"description": "d"}),
            "DELETE": Op(needs=((TEAM, "delete", ALL),), kwargs=empty_team),
        },
    ),
    "role-list": Row(
        methods={"GET": Op(needs=((ROLE, "read"),)), "POST": Op(needs=((ROLE, "create"),), data=role_form)}
    ),
    "role-detail": Row(
        kwargs=lambda w, u: {"pk": w.role.pk},
        methods={
            "GET": Op(needs=((ROLE, "read"),)),
            "PUT": Op(needs=((ROLE, "update"),), data=lambda w, u: {"name": w.role.name}),
            "PATCH": Op(needs=((ROLE, "update"),), data=lambda w, u: {"description": "d"}),
            "DELETE": Op(needs=((ROLE, "delete"),)),
        },
    ),
    "token-list": Row(methods={"GET": GET, "POST": Op(data=lambda w, u: {"name": "yeni"})}),
    "token-detail": Row(
        kwargs=lambda w, u: {"pk": w.of(u).token.pk},
        methods={"DELETE": GET},
        foreign=lambda w, u: {"pk": w.of(_other(w, u)).token.pk},
    ),
    # --- API: core --------------------------------------------------------------------------
    "search": Row(methods={"GET": Op(data=lambda w, u: {"q": w.of(u).person.first_name})}),
    "job-list": Row(methods={"GET": Op(needs=((JOB, "read"),))}),
    "job-detail": Row(kwargs=job, methods={"GET": Op(needs=((JOB, "read"),))}),
    "job-cancel": Row(kwargs=queued_job, methods={"POST": Op(needs=((JOB, "read"),))}),
    "audit-list": Row(methods={"GET": Op(needs=((AUDIT, "read"),))}),
    "audit-detail": Row(
        kwargs=lambda w, u: {"pk": w.of(u).audit_entry.pk}, methods={"GET": Op(needs=((AUDIT, "read"),))}
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
    "merge-undo": Row(kwargs=lambda w, u: {"pk": w.of(u).merge.pk}, methods={"POST": Op(needs=((PERSON, "update"),))}),
    "import-create": Row(methods={"POST": Op(needs=((PERSON, "create"),), data=csv_upload, multipart=True)}),
    "import-run": Row(kwargs=job, methods={"POST": Op(needs=((JOB, "read"), (PERSON, "create")))}),
    "call-lookup": Row(methods={"GET": Op(needs=((PERSON, "read"),), data=lambda w, u: {"number": w.of(u).phone})}),
    "call-incoming": Row(
        methods={
            "POST": Op(needs=((USER, "update", ALL),), data=lambda w, u: {"number": w.of(u).phone, "extension": "99"})
        }
    ),
    # --- API: activities --------------------------------------------------------------------
    "activity-list": Row(
        methods={
            "GET": Op(needs=((ACTIVITY, "read"),)),
            "POST": Op(needs=((PERSON, "read"), (ACTIVITY, "create")), data=activity_json),
        }
    ),
    "activity-detail": Row(
        kwargs=activity,
        methods={
            "GET": Op(needs=((ACTIVITY, "read"),)),
            "PUT": Op(needs=((ACTIVITY, "update"),), data=lambda w, u: {"subject": "Yeni konu"}),
            "PATCH": Op(needs=((ACTIVITY, "update"),), data=lambda w, u: {"subject": "Yeni konu"}),
            "DELETE": Op(needs=((ACTIVITY, "delete"),)),
        },
    ),
    # --- API documentation ------------------------------------------------------------------
    "api-schema": Row(methods={"GET": GET}),
    "api-docs": Row(methods={"GET": GET}),
}


# --- the world ------------------------------------------------------------------------------
def build_world() -> World:
    """One user per default role, spread over a team tree, each owning one of everything a row needs."""
    from django.test import Client

    from velinimet.accounts.api_tokens import token_create
    from velinimet.activities.services import activity_log
    from velinimet.customers import services
    from velinimet.customers.services.custom_fields import custom_field_create
    from velinimet.customers.services.importer import import_store
    from velinimet.customers.services.merge import records_merge
    from velinimet.customers.services.relations import employment_set
    from velinimet.customers.services.validation import PhoneIn

    sales = Team.objects.create(name="Satış")
    istanbul = Team.objects.create(name="İstanbul", parent=sales)
    baku = Team.objects.create(name="Bakı", parent=sales)
    placement = {
        "administrator": sales,
        "sales_manager": sales,
        "sales_rep": istanbul,
        "service_agent": baku,
        "marketing_specialist": sales,
        "field_technician": istanbul,
        "analyst": sales,
        "read_only": istanbul,
    }
    users = {
        slug: User.objects.create(username=slug, first_name=slug, role=Role.objects.get(slug=slug), team=team)
        for slug, team in placement.items()
    }
    admin = users["administrator"]
    own: dict[int, Own] = {}
    keys: dict[int, str] = {}
    sessions: dict[int, str] = {}
    uploads: list[str] = []
    for n, user in enumerate(users.values()):
        phone = f"+90532{n:07d}"
        mine = {"owner": user, "team": user.team, "force": True}
        subject = services.person_create(actor=admin, first_name=f"Kişi{n}", phones=[PhoneIn(phone)], **mine)
        other = services.person_create(actor=admin, first_name=f"Öteki{n}", **mine)
        merged = services.person_create(actor=admin, first_name=f"Birleşen{n}", **mine)
        deleted = services.person_create(actor=admin, first_name=f"Silinen{n}", **mine)
        services.record_delete(actor=admin, record=deleted)
        firm = services.company_create(actor=admin, name=f"Şirket{n}", **mine)
        firm_other = services.company_create(actor=admin, name=f"Öteki Şirket{n}", **mine)
        employment = employment_set(actor=admin, person=subject, company=firm, title="Uzman")
        merge = records_merge(actor=admin, survivor=subject, other=merged)
        subject.refresh_from_db()
        upload = import_store(b"first_name\nAyse\n", size_limit=None)
        uploads.append(upload)
        job = Job.objects.create(
            kind="customers.import",
            title=f"import of {user.username}",
            started_by=user,
            state=Job.State.SUCCEEDED,
            params={"kind": "person", "file": upload, "trial": True},
            result={},
            result_file=f"import-{uuid.uuid4().hex}-problems.csv",
        )
        queued = Job.objects.create(kind="customers.import", title="queued", started_by=user, params={"kind": "person"})
        _token, key = token_create(actor=user, user=user, name="matrix")
        sample_token, _ = token_create(actor=user, user=user, name="sample")
        client = Client()
        client.force_login(user)
        sessions[user.pk] = client.cookies[settings.SESSION_COOKIE_NAME].value
        keys[user.pk] = key
        own[user.pk] = Own(
            person=subject,
            company=firm,
            company_other=firm_other,
            activity=activity_log(actor=admin, person=subject, owner=user, kind="call", subject=f"Arama {n}"),
            company_activity=activity_log(actor=admin, company=firm, owner=user, kind="call", subject=f"Ziyaret {n}"),
            employment=employment,
            merge=merge,
            deleted_person=deleted,
            merge_other=other,
            import_job=job,
            queued_job=queued,
            call=IncomingCall.objects.create(user=user, extension=f"1{n}", number=phone, person=subject),
            saved_view=SavedView.objects.create(user=user, kind="person", name="Benim", query="city=Ankara"),
            token=sample_token,
            audit_entry=AuditEntry.objects.filter(actor=user).latest("pk"),  # token_create's entry
            phone=phone,
        )
    field_ = custom_field_create(actor=admin, record_type="person", label="Segment", key="segment")
    from velinimet.accounts.services import role_create

    role = role_create(actor=admin, name="Boş rol")
    empty_team = Team.objects.create(name="Boş ekip")
    return World(
        users=users,
        own=own,
        keys=keys,
        sessions=sessions,
        custom_field=field_,
        role=role,
        team=empty_team,
        uploads=uploads,
    )


__all__ = ["ROWS", "ROLE_SLUGS", "World", "build_world"]
