"""Every read on customers, with the user's visibility already applied.

- ``records``: fetching one record for a user, the lists with their filters and keyset pages, the
  360° page's data;
- ``search``: the global search's people and companies tiers;
- ``caller``: caller recognition (the record a phone number belongs to, and its card).

The public selectors are re-exported here, so callers write ``selectors.person_list(...)``.
Modules inside this package import from the sub-modules, never from this package.
"""

from velinimet.customers.selectors.caller import caller_card, caller_details, caller_lookup
from velinimet.customers.selectors.records import (
    capped_count,
    company_360,
    company_filter,
    company_list,
    consent_in_force,
    custom_field_values,
    get_company_for_user,
    get_merge_for_user,
    get_person_for_user,
    keyset_page,
    person_360,
    person_filter,
    person_list,
    trashed_records,
    visible_companies,
    visible_people,
    visible_records,
)
from velinimet.customers.selectors.search import search_companies, search_people, search_records

__all__ = [
    "caller_card",
    "caller_details",
    "caller_lookup",
    "company_360",
    "company_filter",
    "company_list",
    "consent_in_force",
    "custom_field_values",
    "get_company_for_user",
    "get_merge_for_user",
    "get_person_for_user",
    "capped_count",
    "keyset_page",
    "person_360",
    "person_filter",
    "person_list",
    "search_companies",
    "search_people",
    "search_records",
    "trashed_records",
    "visible_companies",
    "visible_people",
    "visible_records",
]
