"""The factories of every app create through the services: what they make was validated, numbered,
indexed and audited like a record a user made, and a refusal of the service is a refusal of the factory."""

from typing import Any

import pytest

from velinimet.accounts.tests.factories import PASSWORD, TeamFactory, UserFactory
from velinimet.activities.tests.factories import ActivityFactory
from velinimet.core.exceptions import DomainError, NotAllowed
from velinimet.core.models import AuditEntry
from velinimet.customers.exceptions import DuplicateFound
from velinimet.customers.services import EmailIn
from velinimet.customers.tests.factories import CompanyFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_factory_records_are_made_by_the_services(cast: Any) -> None:
    team = TeamFactory(actor=cast.admin, parent=cast.sales)
    user = UserFactory(actor=cast.admin, team=team, role="sales_rep")
    assert user.check_password(PASSWORD) and user.role.slug == "sales_rep" and user.team == team
    company = CompanyFactory(actor=user, name="Anadolu Tekstil A.Ş.")
    person = PersonFactory(actor=user, first_name="Şükrü", last_name="Öztürk", emails=[EmailIn("SUKRU@Firma.com.TR")])
    assert person.customer_number and person.owner == user and "sukru" in person.search_key
    email = person.emails.get()
    assert (email.address, email.key) == ("SUKRU@firma.com.tr", "sukru@firma.com.tr")
    activity = ActivityFactory(actor=user, person=person, subject="  Teklif   görüşmesi ", days_ago=3)
    assert activity.subject == "Teklif görüşmesi" and activity.owner == user
    for record in (team, user, company, person, activity):
        assert AuditEntry.objects.filter(object_id=str(record.pk), action="create").exists(), record


def test_factories_refuse_what_the_services_refuse(cast: Any) -> None:
    person = PersonFactory(actor=cast.rep_ist, emails=[EmailIn("ayse@firma.az")])
    with pytest.raises(DuplicateFound):
        PersonFactory(actor=cast.rep_ist, emails=[EmailIn("Ayse@Firma.az")], force=False)
    with pytest.raises(NotAllowed):  # a Bakı rep cannot log on an İstanbul rep's customer
        ActivityFactory(actor=cast.rep_baku, person=person)
    with pytest.raises(DomainError):
        ActivityFactory(actor=cast.rep_ist, person=person, subject="   ")
    with pytest.raises(NotAllowed):
        TeamFactory(actor=cast.rep_ist)
