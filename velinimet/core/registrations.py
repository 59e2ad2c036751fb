"""What the core app plugs into the registry: the audit export job, the audit log's settings link and the
audit action codes of the kernel.

The record types of the kernel's own records (jobs, the audit log) are registered by accounts, which owns
the roles their default levels are given for (accounts/registrations.py).
"""

from django.utils.translation import gettext_lazy as _

from .registry import AuditAction, JobKind, SettingsLink, registry


def _audit_export(job, progress):  # type: ignore[no-untyped-def]
    from .services import audit_export_run

    return audit_export_run(job=job, progress=progress)


registry.register(
    "core.job_kinds",
    JobKind(
        key="core.audit_export",
        label=_("Audit log export"),
        handler=_audit_export,
        download_permission=("core.auditentry", "export"),  # what audit_export_start needs
    ),
)
registry.register(
    "core.settings_links",
    SettingsLink(_("Audit log"), "core:audit_list", _("Who changed what, and when."), "core.auditentry", 40),
)
registry.register("core.audit_actions", AuditAction("core.job.cancelled", _("job cancelled")))
# A free note of the log before action codes that no service wrote (migration 0006): shown as it was.
registry.register("core.audit_actions", AuditAction("core.legacy_note", "%(note)s"))
