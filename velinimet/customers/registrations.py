"""What the customers module plugs into the shell: record types, navigation, search, demo data, seeding."""

from django.utils.translation import gettext_lazy as _

from velinimet.core.registrations import uniform
from velinimet.core.registry import (
    NavItem,
    RecordType,
    SettingsLink,
    register_audit_action,
    register_nav,
    register_record_type,
    register_settings_link,
    register_shell_widget,
)
from velinimet.core.visibility import Level

CUSTOMER_DEFAULTS: dict[str, dict[str, int]] = {
    "administrator": uniform(Level.ALL),
    "sales_manager": uniform(Level.TEAM_TREE),
    "sales_rep": {"read": Level.TEAM, "create": Level.OWN, "update": Level.OWN},
    "service_agent": {"read": Level.ALL, "create": Level.OWN, "update": Level.ALL},
    "marketing_specialist": {"read": Level.ALL, "create": Level.OWN, "update": Level.OWN, "export": Level.ALL},
    "field_technician": {"read": Level.TEAM, "update": Level.OWN},
    "analyst": {"read": Level.ALL, "export": Level.ALL},
    "read_only": {"read": Level.TEAM_TREE},
}

register_record_type(
    RecordType(
        key="customers.person", label=_("People"), model="customers.Person", defaults=CUSTOMER_DEFAULTS, order=10
    )
)
register_record_type(
    RecordType(
        key="customers.company", label=_("Companies"), model="customers.Company", defaults=CUSTOMER_DEFAULTS, order=20
    )
)
register_record_type(
    RecordType(
        key="customers.customfield",
        label=_("Custom fields"),
        model="customers.CustomField",
        owner_field=None,
        team_field=None,
        actions=("read", "create", "update", "delete"),
        defaults={
            "administrator": uniform(Level.ALL, ("read", "create", "update", "delete")),
            **{slug: {"read": Level.ALL} for slug in CUSTOMER_DEFAULTS if slug != "administrator"},
        },
        order=30,
    )
)
register_settings_link(
    SettingsLink(
        _("Custom fields"),
        "customers:custom_fields",
        _("Extra fields on people and companies."),
        "customers.customfield",
        50,
    )
)
register_nav(
    NavItem(
        key="customers",
        label=_("Customers"),
        url_name="customers:person_list",
        order=10,
        record_type="customers.person",
    )
)


def _late() -> None:
    from velinimet.core.demo import register_demo_loader
    from velinimet.core.search import SearchProvider, register_search_provider
    from velinimet.customers.demo import load_demo_customers
    from velinimet.customers.selectors.search import search_companies, search_people

    register_search_provider(SearchProvider("person", _("People"), search_people, order=10))
    register_search_provider(SearchProvider("company", _("Companies"), search_companies, order=20))
    register_demo_loader(20, load_demo_customers)
    register_shell_widget("customers/_screen_pop_slot.html")


_late()


def _jobs() -> None:
    from velinimet.core.registry import JobKind, register_job_kind

    def handler(job, progress):  # type: ignore[no-untyped-def]
        from velinimet.customers.services.finder import duplicates_find_run

        return duplicates_find_run(job, progress)

    register_job_kind(JobKind("customers.find_duplicates", _("Duplicate finder"), handler))  # writes no file

    def import_handler(job, progress):  # type: ignore[no-untyped-def]
        from velinimet.customers.services.importer import import_run

        return import_run(job, progress)

    def import_permission(job):  # type: ignore[no-untyped-def]
        from velinimet.customers.services.importer import KINDS

        return (KINDS.get(job.params.get("kind"), "customers.person"), "create")  # what import_start needs

    register_job_kind(
        JobKind(
            "customers.import",
            _("Customer import"),
            import_handler,
            download_permission=import_permission,
            cancel_note=_("The lines imported before the cancellation stay imported."),
        )
    )


_jobs()

# What the audit log says the customers services did (core.audit.log_action); data fill the placeholders.
for _kind in ("person", "company"):
    register_audit_action(f"customers.{_kind}.bulk_assigned", _("assigned in bulk"))
    register_audit_action(f"customers.{_kind}.tagged", _("tag added: %(tags)s"))
    register_audit_action(f"customers.{_kind}.trashed", _("moved to the trash"))
    register_audit_action(f"customers.{_kind}.merged_in", _("%(number)s merged into this record"))
    register_audit_action(f"customers.{_kind}.merged_into", _("merged into %(number)s"))
    register_audit_action(f"customers.{_kind}.merge_undone", _("merge undone"))
register_audit_action("customers.person.kvkk_exported", _("KVKK data export"))
register_audit_action("customers.person.erased", _("KVKK erasure: %(reason)s"))
