"""factory-boy factories of the accounts app. They create through the services (``team_create``,
``user_create``), so a factory-made record passed the same checks and left the same audit entry as one a
user made; ``actor`` is the user who makes it (an administrator in most tests)."""

from __future__ import annotations

from typing import Any

import factory

from velinimet.accounts import services
from velinimet.accounts.models import Role, Team, User

PASSWORD = "Velinimet-test-2026!"


class TeamFactory(factory.Factory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Ekip {n}")
    parent = None

    @classmethod
    def _create(cls, model_class: type[Team], *args: Any, actor: Any, **kwargs: Any) -> Team:
        return services.team_create(actor=actor, **kwargs)


class UserFactory(factory.Factory):
    """A user with the default role ``role`` (a slug) in ``team``; the password is ``PASSWORD``."""

    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"kullanici{n}")
    password = PASSWORD
    first_name = factory.Faker("first_name", locale="tr_TR")
    last_name = factory.Faker("last_name", locale="tr_TR")
    role = "sales_rep"
    team = None

    @classmethod
    def _create(cls, model_class: type[User], *args: Any, actor: Any, role: str, **kwargs: Any) -> User:
        return services.user_create(actor=actor, role=Role.objects.get(slug=role), **kwargs)
