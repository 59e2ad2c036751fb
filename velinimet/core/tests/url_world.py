"""The sample data of the URL matrix (``url_matrix.py``): one user per default role, spread over a team tree,
each owning one of every record a row's URL needs. Built once per test module (``module_db``)."""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass

from django.conf import settings

from velinimet.accounts.models import ApiToken, Role, Team, User
from velinimet.accounts.roles import DEFAULT_ROLES
from velinimet.accounts.selectors import can_own
from velinimet.activities.models import Activity
from velinimet.core.models import AuditEntry, Job
from velinimet.customers.models import Company, CustomField, Employment, IncomingCall, Merge, Person, SavedView

ROLE_SLUGS = [slug for slug, _name, _description in DEFAULT_ROLES]  # every default role, in their order

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


def run_finder(user: User) -> None:
    """Run the duplicate finder for ``user`` here and now (its results page then has pairs to list)."""
    from velinimet.core.jobs import job_run

    job = Job.objects.create(
        kind="customers.find_duplicates", title="finder", started_by=user, params={"kind": "person"}
    )
    job_run(str(job.pk))


def build_world() -> World:
    """One user per default role, spread over a team tree, each owning one of everything a row needs."""
    from django.test import Client

    from velinimet.accounts.api_tokens import token_create
    from velinimet.accounts.services import role_create
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
    users = {  # a default role added later works in the head team until it gets a place here
        slug: User.objects.create(username=slug, first_name=slug, role=Role.objects.get(slug=slug), team=team)
        for slug, team in ((slug, placement.get(slug, sales)) for slug in ROLE_SLUGS)
    }
    admin = users["administrator"]
    own: dict[int, Own] = {}
    keys: dict[int, str] = {}
    sessions: dict[int, str] = {}
    uploads: list[str] = []
    client = Client()  # one client: each one built loads the middleware (WhiteNoise reads the static folder)
    for n, user in enumerate(users.values()):
        phone = f"+90532{n:07d}"
        # A role that may not own customers (analyst, read-only) gets records of its team, owned by a teammate who can.
        owner = (
            user
            if can_own(user, "customers.person")
            else next((u for u in users.values() if u.team == user.team and can_own(u, "customers.person")), admin)
        )
        mine = {"owner": owner, "team": user.team, "force": True}
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
        client.cookies.clear()
        client.force_login(user)
        sessions[user.pk] = client.cookies[settings.SESSION_COOKIE_NAME].value
        keys[user.pk] = key
        own[user.pk] = Own(
            person=subject,
            company=firm,
            company_other=firm_other,
            activity=activity_log(actor=admin, person=subject, owner=owner, kind="call", subject=f"Arama {n}"),
            company_activity=activity_log(actor=admin, company=firm, owner=owner, kind="call", subject=f"Ziyaret {n}"),
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
    for name in ("İkiz", "Ikiz"):  # a pair for the duplicate finder's results
        services.person_create(actor=admin, first_name=name, phones=[PhoneIn("+905559990000")], force=True)
    run_finder(admin)
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
