"""Every write on customers, and the business rules it checks.

Views, the API, imports, the CLI and tasks call these; each function validates, writes inside a
transaction and records its audit entry. The modules, by sub-concept:

- ``records``: people and companies (create, update, assign, tag, delete, restore);
- ``bulk``: bulk actions on ticked records or a whole filtered list (a job when large);
- ``relations``: a person's consents and employments;
- ``validation``: the shapes and checks of what callers pass in;
- ``duplicates``: the duplicate check on create;
- ``merge``: merging two records and undoing it;
- ``kvkk``: a person's data export and erasure;
- ``importer`` (with ``import_reading``, ``import_columns``): CSV imports;
- ``finder``: the duplicate finder job;
- ``custom_fields``: custom field definitions;
- ``calls``: a ringing call reported by the phone system.

The public service functions are re-exported here, so callers write ``services.person_create(...)``.
Modules inside this package import from the sub-modules, never from this package.
"""

from velinimet.customers.services.bulk import bulk_apply, bulk_check, bulk_records, bulk_start, records_trash
from velinimet.customers.services.calls import call_incoming
from velinimet.customers.services.custom_fields import custom_field_create, custom_field_delete, custom_field_update
from velinimet.customers.services.finder import duplicates_find_start
from velinimet.customers.services.importer import import_confirm, import_start, imports_clean
from velinimet.customers.services.kvkk import person_data_export, person_erase
from velinimet.customers.services.merge import merge_preview, merge_undo, records_merge
from velinimet.customers.services.records import (
    REWRITTEN_ON_SAVE,
    company_create,
    company_update,
    contacts_snapshot,
    person_create,
    person_update,
    record_delete,
    record_restore,
    records_add_tag,
    records_assign,
)
from velinimet.customers.services.relations import consent_record, employment_remove, employment_set
from velinimet.customers.services.validation import (
    COMPANY_FIELDS,
    PERSON_FIELDS,
    AddressIn,
    Contacts,
    EmailIn,
    PhoneIn,
    company_search_key,
    person_search_key,
    set_name_keys,
)

__all__ = [
    "COMPANY_FIELDS",
    "PERSON_FIELDS",
    "REWRITTEN_ON_SAVE",
    "AddressIn",
    "Contacts",
    "EmailIn",
    "PhoneIn",
    "bulk_apply",
    "bulk_check",
    "bulk_records",
    "bulk_start",
    "call_incoming",
    "company_create",
    "company_search_key",
    "company_update",
    "consent_record",
    "contacts_snapshot",
    "custom_field_create",
    "custom_field_delete",
    "custom_field_update",
    "duplicates_find_start",
    "employment_remove",
    "employment_set",
    "import_confirm",
    "import_start",
    "imports_clean",
    "merge_preview",
    "merge_undo",
    "person_create",
    "person_data_export",
    "person_erase",
    "person_search_key",
    "set_name_keys",
    "person_update",
    "record_delete",
    "record_restore",
    "records_add_tag",
    "records_assign",
    "records_merge",
    "records_trash",
]
