"""``restrict()`` on a child record type (``RecordType.parents``): a row is visible only with each parent
it has. Activities are the example: a Bakı rep sees his own team's activities, but not one about a
customer of the İstanbul team."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from velinimet.accounts.models import Role, User
from velinimet.activities.models import Activity
from velinimet.core.registry import RECORD_TYPES
from velinimet.core.visibility import Action, can, get_for_user, restrict, restriction_key
from velinimet.customers.models import Company, Person

pytestmark = pytest.mark.django_db


def _person(owner: User, name: str) -> Person:
    return Person.objects.create(
        first_name=name, owner=owner, team=owner.team, customer_number=f"P-{name}", search_key=name
    )


def _company(owner: User, name: str) -> Company:
    return Company.objects.create(name=name, owner=owner, team=owner.team, customer_number=f"C-{name}", search_key=name)


def _activity(owner: User, **customer: Any) -> Activity:
    return Activity.objects.create(
        subject="Arama", occurred_at=timezone.now(), owner=owner, team=owner.team, **customer
    )


def test_activities_declare_their_customers_as_parents() -> None:
    assert RECORD_TYPES["activities.activity"].parents == ("person", "company")


def test_a_child_is_hidden_when_its_owner_is_visible_but_its_customer_is_not(cast: Any) -> None:
    istanbul_customer = _person(cast.rep_ist, "ahmet")
    own_customer = _person(cast.rep_baku, "elvin")
    about_hidden = _activity(cast.rep_baku, person=istanbul_customer)  # his own activity, their customer
    about_own = _activity(cast.rep_baku, person=own_customer)
    rep = cast.rep_baku
    assert set(restrict(Activity.objects.all(), rep)) == {about_own}
    assert not can(rep, about_hidden, Action.READ) and not can(rep, about_hidden, Action.UPDATE)
    assert can(rep, about_own, Action.UPDATE)
    with pytest.raises(Exception) as exc:
        get_for_user(Activity.objects.all(), rep, about_hidden.pk)
    assert type(exc.value).__name__ == "Http404"
    # The İstanbul rep owns the customer but not the activity's team: the activity's own rule still holds.
    assert about_hidden not in restrict(Activity.objects.all(), cast.rep_ist)
    assert set(restrict(Activity.objects.all(), cast.manager)) == {about_hidden, about_own}


def test_only_the_parents_a_child_has_count(cast: Any) -> None:
    """An activity with a person and no company is not hidden by the company rule, and one whose company is
    hidden is hidden even when its person is visible."""
    elvin = _person(cast.rep_baku, "elvin")
    hidden_firm = _company(cast.rep_ist, "anadolu")
    own_firm = _company(cast.rep_baku, "xezer")
    person_only = _activity(cast.rep_baku, person=elvin)
    company_only = _activity(cast.rep_baku, company=own_firm)
    hidden_company = _activity(cast.rep_baku, person=elvin, company=hidden_firm)
    visible = set(restrict(Activity.objects.all(), cast.rep_baku))
    assert visible == {person_only, company_only}
    assert hidden_company not in visible


def test_a_parent_type_the_user_reads_entirely_adds_no_join(cast: Any) -> None:
    """Cheap where it can be: a service agent reads every person and company, so the parents' rule is not
    in the SQL at all; a sales rep's is a join on the parents' primary keys, not a subquery."""
    agent = User.objects.create(username="servis", role=Role.objects.get(slug="service_agent"), team=cast.baku)
    assert agent.access_level("customers.person", "read") == agent.access_level("customers.company", "read") == 4
    agent_sql = str(restrict(Activity.objects.all(), agent).query)
    assert "customers_person" not in agent_sql and "customers_company" not in agent_sql
    rep_sql = str(restrict(Activity.objects.all(), cast.rep_baku).query)
    assert "LEFT OUTER JOIN" in rep_sql and "customers_person" in rep_sql and "SELECT" not in rep_sql[7:]


def test_restriction_key_holds_the_parents_rules(cast: Any) -> None:
    """The key of a compiled query (``core.compiled``) over activities names the customers' rules too, so a
    change in who may see a customer makes a new key."""
    key = restriction_key(Activity, cast.rep_baku)
    assert "person__owner" in str(key[3]) and "company__owner" in str(key[3])
    assert restriction_key(Activity, cast.admin)[3] is None


def test_a_parent_already_checked_is_not_checked_again_but_the_others_are(cast: Any) -> None:
    """The timeline of a person the user opened skips the person's rule (the page fetched them), not the
    company's: an activity with that person at a hidden company stays hidden there too."""
    from velinimet.activities.selectors import timeline

    elvin = _person(cast.rep_baku, "elvin")
    shown = _activity(cast.rep_baku, person=elvin)
    hidden = _activity(cast.rep_baku, person=elvin, company=_company(cast.rep_ist, "anadolu"))
    checked = restrict(Activity.objects.all(), cast.rep_baku, parents_checked=("person",))
    assert "customers_person" not in str(checked.query) and "customers_company" in str(checked.query)
    assert [a.pk for a in timeline(cast.rep_baku, "person", elvin.pk)["items"]] == [shown.pk]
    assert {a.pk for a in timeline(cast.manager, "person", elvin.pk)["items"]} == {shown.pk, hidden.pk}
