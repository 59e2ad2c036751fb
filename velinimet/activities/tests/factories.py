"""factory-boy factories of the activities app, through ``activity_log``: the actor must be able to read the
customer, and the activity is validated and audited as one a user logged."""

from __future__ import annotations

import datetime
from typing import Any

import factory
from django.utils import timezone

from velinimet.activities import services
from velinimet.activities.models import Activity


class ActivityFactory(factory.Factory):
    """``days_ago`` sets ``occurred_at`` that many days back (default: now)."""

    class Meta:
        model = Activity

    class Params:
        days_ago = 0.0

    subject = factory.Faker("sentence", nb_words=3, locale="tr_TR")
    occurred_at = factory.LazyAttribute(lambda o: timezone.now() - datetime.timedelta(days=o.days_ago))

    @classmethod
    def _create(cls, model_class: type[Activity], *args: Any, actor: Any, **kwargs: Any) -> Activity:
        return services.activity_log(actor=actor, **kwargs)
