"""factory-boy factories of the customers app, through the services (``person_create``,
``company_create``): a factory-made person has a customer number, a search key, normalised contacts and
an audit entry, like one a user made. ``force=True`` by default, so two random namesakes are not refused
as likely duplicates; pass ``force=False`` to test the duplicate check."""

from __future__ import annotations

from typing import Any

import factory

from velinimet.customers import services
from velinimet.customers.models import Company, Person


class PersonFactory(factory.Factory):
    class Meta:
        model = Person

    first_name = factory.Faker("first_name", locale="tr_TR")
    last_name = factory.Faker("last_name", locale="tr_TR")
    force = True

    @classmethod
    def _create(cls, model_class: type[Person], *args: Any, actor: Any, **kwargs: Any) -> Person:
        return services.person_create(actor=actor, **kwargs)


class CompanyFactory(factory.Factory):
    class Meta:
        model = Company

    name = factory.Faker("company", locale="tr_TR")
    force = True

    @classmethod
    def _create(cls, model_class: type[Company], *args: Any, actor: Any, **kwargs: Any) -> Company:
        return services.company_create(actor=actor, **kwargs)
