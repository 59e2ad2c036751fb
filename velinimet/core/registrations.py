"""What the core app plugs into the registries: its record types and job kinds."""

from django.utils.translation import gettext_lazy as _

from .registry import (
    JobKind,
    RecordType,
    SettingsLink,
    register_audit_action,
    register_job_kind,
    register_record_type,
)
from .registry import register_settings_link as _link
from .visibility import Level

ROLE_SLUGS = (
    "administrator", "sales_manager", "sales_rep", "service_agent",
    "marketing_specialist", "field_technician", "analyst", "read_only",
)  # fmt: skip


def uniform(
    level: int, actions: tuple[str, ...] = ("read", "create", "update", "delete", "assign", "export")
) -> dict[str, int]:
    return dict.fromkeys(actions, level)


register_record_type(
    RecordType(
        key="core.job",
        label=_("Background jobs"),
        model="core.Job",
        owner_field="started_by",
        team_field="started_by__team",
        actions=("read", "create", "delete"),
        defaults={
            "administrator": uniform(Level.ALL, ("read", "create", "delete")),
            "sales_manager": {"read": Level.TEAM_TREE, "create": Level.OWN, "delete": Level.OWN},
            **{slug: {"read": Level.OWN, "create": Level.OWN, "delete": Level.OWN} for slug in ROLE_SLUGS[2:]},
        },
        order=900,
    )
)
register_record_type(
    RecordType(
        key="core.auditentry",
        label=_("Audit log"),
        model="core.AuditEntry",
        owner_field="actor",
        team_field="actor__team",
        actions=("read", "export"),
        defaults={"administrator": uniform(Level.ALL, ("read", "export"))},
        order=910,
    )
)


def _audit_export(job, progress):  # type: ignore[no-untyped-def]
    from .services import audit_export_run

    return audit_export_run(job=job, progress=progress)


register_job_kind(
    JobKind(
        key="core.audit_export",
        label=_("Audit log export"),
        handler=_audit_export,
        download_permission=("core.auditentry", "export"),  # what audit_export_start needs
    )
)
_link(SettingsLink(_("Audit log"), "core:audit_list", _("Who changed what, and when."), "core.auditentry", 40))

register_audit_action("core.job.cancelled", _("job cancelled"))
# A free note of the log before action codes that no service wrote (migration 0006): shown as it was.
register_audit_action("core.legacy_note", "%(note)s")
