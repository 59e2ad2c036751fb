"""What the customers module plugs into the registry: record types, navigation, the Custom fields settings
link, search, demo data, the screen-pop widget, job kinds, and the merge movers of its own contact rows.

The stores that later modules fill (360° sections, card facts, customer children, merge movers, seeders)
are declared next to their item types, imported here so that they exist before those modules register."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from velinimet.core.demo import DemoLoader
from velinimet.core.registry import (
    AuditAction,
    AuditField,
    JobKind,
    NavItem,
    RecordType,
    SettingsLink,
    ShellWidget,
    registry,
)
from velinimet.core.search import SearchProvider
from velinimet.core.visibility import Level, uniform
from velinimet.customers.demo import load_demo_customers
from velinimet.customers.sections import CALL_ACTIONS, CARD_FACTS, SECTIONS  # noqa: F401  (declares the stores)
from velinimet.customers.seed import SEEDERS  # noqa: F401
from velinimet.customers.selectors.search import search_companies, search_people
from velinimet.customers.services.kvkk import CHILDREN  # noqa: F401
from velinimet.customers.services.merge import Mover

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

for record_type in (
    RecordType(
        key="customers.person", label=_("People"), model="customers.Person", defaults=CUSTOMER_DEFAULTS, order=10
    ),
    RecordType(
        key="customers.company", label=_("Companies"), model="customers.Company", defaults=CUSTOMER_DEFAULTS, order=20
    ),
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
    ),
):
    registry.register("core.record_types", record_type)

registry.register(
    "core.settings_links",
    SettingsLink(
        _("Custom fields"),
        "customers:custom_fields",
        _("Extra fields on people and companies."),
        "customers.customfield",
        50,
    ),
)
registry.register(
    "core.nav",
    NavItem(
        key="customers",
        label=_("Customers"),
        url_name="customers:person_list",
        order=10,
        record_type="customers.person",
    ),
)
registry.register("core.search_providers", SearchProvider("person", _("People"), search_people, order=10))
registry.register("core.search_providers", SearchProvider("company", _("Companies"), search_companies, order=20))
registry.register("core.demo_loaders", DemoLoader("customers", 20, load_demo_customers))
registry.register("core.shell_widgets", ShellWidget("customers.screen_pop", "customers/_screen_pop_slot.html"))

# The customers' own rows that follow a merge (other modules' rows come with their "customers.children").
for mover in (
    Mover("customers.Phone", "person", ("person",)),
    Mover("customers.Phone", "company", ("company",)),
    Mover("customers.Email", "person", ("person",)),
    Mover("customers.Email", "company", ("company",)),
    Mover("customers.Address", "person", ("person",)),
    Mover("customers.Address", "company", ("company",)),
    Mover("customers.CardNumber", "person", ("person",)),
    Mover("customers.CardNumber", "company", ("company",)),
    Mover("customers.Consent", "person", ("person",)),
    Mover("customers.Employment", "person", ("person",)),
    Mover("customers.Employment", "company", ("company",)),
    Mover("customers.Company", "parent", ("company",)),
):
    registry.register("customers.merge_movers", mover)


def _find_duplicates(job: Any, progress: Any) -> Any:
    from velinimet.customers.services.finder import duplicates_find_run

    return duplicates_find_run(job, progress)


def _import(job: Any, progress: Any) -> Any:
    from velinimet.customers.services.importer import import_run

    return import_run(job, progress)


def _import_permission(job: Any) -> tuple[str, str]:
    from velinimet.customers.services.importer import KINDS

    return (KINDS.get(job.params.get("kind"), "customers.person"), "create")  # what import_start needs


def _bulk(job: Any, progress: Any) -> Any:
    from velinimet.customers.services.bulk import bulk_run

    return bulk_run(job, progress)


registry.register("core.job_kinds", JobKind("customers.bulk", _("Bulk action on customers"), _bulk))


def _duplicates_url(job: Any) -> str:
    from django.urls import reverse

    return f"{reverse('customers:duplicates')}?kind={job.params.get('kind', 'person')}&job={job.pk}"


registry.register(
    "core.job_kinds",
    JobKind("customers.find_duplicates", _("Duplicate finder"), _find_duplicates, result_url=_duplicates_url),
)
registry.register(
    "core.job_kinds",
    JobKind(
        "customers.import",
        _("Customer import"),
        _import,
        download_permission=_import_permission,
        cancel_note=_("The lines imported before the cancellation stay imported."),
    ),
)

# What the audit log says the customers services did (core.audit.log_action); data fill the placeholders.
for kind in ("person", "company"):
    for action in (
        AuditAction(f"customers.{kind}.bulk_assigned", _("assigned in bulk")),
        AuditAction(f"customers.{kind}.tagged", _("tag added: %(tags)s")),
        AuditAction(f"customers.{kind}.trashed", _("moved to the trash")),
        AuditAction(f"customers.{kind}.merged_in", _("%(number)s merged into this record")),
        AuditAction(f"customers.{kind}.merged_into", _("merged into %(number)s")),
        AuditAction(f"customers.{kind}.merge_undone", _("merge undone")),
        AuditAction(f"customers.{kind}.not_duplicate", _("marked as not a duplicate of %(number)s")),
        AuditAction(f"customers.{kind}.not_duplicate_undone", _("no longer marked as not a duplicate of %(number)s")),
    ):
        registry.register("core.audit_actions", action)
registry.register("core.audit_actions", AuditAction("customers.person.kvkk_exported", _("KVKK data export")))
registry.register("core.audit_actions", AuditAction("customers.person.erased", _("KVKK erasure: %(reason)s")))


def _custom_changes(kind: str) -> Any:
    def expand(old: Any, new: Any, cache: dict[Any, Any]) -> list[tuple[str, Any, Any]]:
        from velinimet.customers.selectors.records import custom_changes

        return custom_changes(kind, old, new, cache)

    return expand


# How the audit log names what the customer services log besides model fields: the contact lists of a
# record's snapshot (``records.contacts_snapshot``) and each custom field by its label.
for kind in ("person", "company"):
    for name, label in (
        ("phones", _("phones")),
        ("emails", _("e-mails")),
        ("addresses", _("addresses")),
        ("card_numbers", _("card numbers")),
        ("tags", _("tags")),
    ):
        registry.register("core.audit_fields", AuditField(f"customers.{kind}.{name}", label))
    registry.register(
        "core.audit_fields", AuditField(f"customers.{kind}.custom", _("custom fields"), _custom_changes(kind))
    )
