"""Registries that let modules plug into the shell without the shell importing them.

A module's AppConfig.ready() registers its navigation entries, record types (for visibility),
job kinds and settings links here; the shell, the permission screens and the job runner read them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise

if TYPE_CHECKING:
    from .jobs import JobProgress
    from .models import Job


@dataclass(frozen=True)
class NavItem:
    """A top-level module in the shell's navigation."""

    key: str
    label: str | Promise
    url_name: str
    order: int = 100
    record_type: str | None = None  # shown only to users who may read this record type
    admin_only: bool = False


@dataclass(frozen=True)
class RecordType:
    """A kind of record whose rows are visible by ownership, team and role.

    ``owner_field``/``team_field`` are ORM paths from the model to the owning user and team
    (``None`` when the model has no such notion). ``defaults`` gives each default role's level
    per action when an administrator has not set one. ``parents`` names the model's foreign keys to
    the records it belongs to (an activity: ``("person", "company")``): a row is visible only when the
    user may read each parent it has (``core.visibility.restrict()``).
    """

    key: str
    label: str | Promise
    model: str
    owner_field: str | None = "owner"
    team_field: str | None = "team"
    actions: tuple[str, ...] = ("read", "create", "update", "delete", "assign", "export")
    defaults: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    order: int = 100
    parents: tuple[str, ...] = ()

    def model_class(self) -> Any:
        from django.apps import apps

        return apps.get_model(self.model)


@dataclass(frozen=True)
class JobKind:
    """A kind of background job and the function that does its work.

    ``download_permission`` is the (record type, action) a user must hold to download the job's
    result file, re-checked at every download (``core.jobfiles``): usually what starting the job
    needed. A callable picks it from the job (an import of companies needs the company right). A
    kind that declares none has no downloadable file. ``cancel_note`` tells, on the job page of a
    cancelled job, what stays done (an import keeps the lines it committed).
    """

    key: str
    label: str | Promise
    handler: Callable[[Job, JobProgress], dict[str, Any] | None]
    download_permission: tuple[str, str] | Callable[[Job], tuple[str, str]] | None = None
    cancel_note: str | Promise = ""

    def permission_for(self, job: Job) -> tuple[str, str] | None:
        """The (record type, action) that downloading ``job``'s file needs, or None: not downloadable."""
        permission = self.download_permission
        return permission(job) if callable(permission) else permission


@dataclass(frozen=True)
class SettingsLink:
    """An entry on the Settings page."""

    label: str | Promise
    url_name: str
    description: str | Promise = ""
    record_type: str | None = None
    order: int = 100


NAV_ITEMS: dict[str, NavItem] = {}
RECORD_TYPES: dict[str, RecordType] = {}
JOB_KINDS: dict[str, JobKind] = {}
SETTINGS_LINKS: list[SettingsLink] = []
#: Templates included at the end of every logged-in page (e.g. the incoming-call screen-pop).
SHELL_WIDGETS: list[str] = []


def register_nav(item: NavItem) -> None:
    NAV_ITEMS[item.key] = item


def register_record_type(record_type: RecordType) -> None:
    RECORD_TYPES[record_type.key] = record_type


def register_job_kind(kind: JobKind) -> None:
    JOB_KINDS[kind.key] = kind


def register_settings_link(link: SettingsLink) -> None:
    if link not in SETTINGS_LINKS:
        SETTINGS_LINKS.append(link)


def register_shell_widget(template: str) -> None:
    if template not in SHELL_WIDGETS:
        SHELL_WIDGETS.append(template)


def record_type_for_model(model: Any) -> RecordType | None:
    label = f"{model._meta.app_label}.{model.__name__}".lower()
    for rt in RECORD_TYPES.values():
        if rt.model.lower() == label:
            return rt
    return None
