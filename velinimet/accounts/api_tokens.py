"""Writes to API tokens: create, revoke one, revoke all of a user's. Validated, permission-checked, audited."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from velinimet.core import audit
from velinimet.core.visibility import Level, level_for

from .exceptions import DomainError, InvalidField, NotAllowed
from .models import ApiToken, User


@transaction.atomic
def token_create(*, actor: User, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token for ``user`` (themselves, or anyone for an administrator); returns the key once."""
    if user.pk != actor.pk and level_for(actor, "accounts.user", "update") < Level.ALL:
        raise NotAllowed(_("You may only create tokens for yourself."))
    if not user.is_active:
        raise DomainError(_("This user is inactive."), code="inactive_user")
    name = (name or "").strip() or timezone.now().strftime("token %Y-%m-%d %H:%M")
    if len(name) > 100:
        raise InvalidField("name", _("Use at most 100 characters."))
    key = "vlm_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, prefix=key[:12], key_hash=ApiToken.hash_key(key))
    if user.pk == actor.pk:
        audit.audit_create(actor=actor, instance=token)
    else:  # an administrator (or the command line) made it: the entry names both
        audit.audit_create(
            actor=actor, instance=token, code="accounts.apitoken.created_for", data={"user": user.username}
        )
    return token, key


@transaction.atomic
def token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    if token.user_id != actor.pk and level_for(actor, "accounts.user", "update") < Level.ALL:
        raise NotAllowed(_("You may only revoke your own tokens."))
    if token.revoked_at is None:
        before = audit.snapshot(token)
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.audit_update(actor=actor, instance=token, before=before)
    return token


@transaction.atomic
def user_tokens_revoke(*, actor: User, user: User) -> int:
    """Revoke every live API token of ``user`` (themselves, or anyone for an administrator); returns how many."""
    if user.pk != actor.pk and level_for(actor, "accounts.user", "update") < Level.ALL:
        raise NotAllowed(_("Only administrators can revoke other users' tokens."))
    return _do_tokens_revoke(actor=actor, user=user)


def _do_tokens_revoke(*, actor: User, user: User) -> int:
    """Revoke and audit each of ``user``'s live tokens. Preconditions: permission checked, in a transaction."""
    now = timezone.now()
    live = list(ApiToken.objects.select_for_update().filter(user=user, revoked_at__isnull=True))
    for token in live:
        before = audit.snapshot(token)
        token.revoked_at = now
        token.save(update_fields=["revoked_at"])
        audit.audit_update(actor=actor, instance=token, before=before)
    return len(live)
