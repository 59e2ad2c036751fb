"""Safe retries of API creates: the ``Idempotency-Key`` header, and responses built before the commit.

A client whose create timed out or got a 500 cannot tell whether the record was saved; retrying blindly
makes a duplicate. Every create through the shared viewsets (``core.rest.VisibleViewSetMixin``) and every
view decorated with ``@idempotent`` therefore:

1. runs in one transaction, which also builds the response body: a failure before the commit saves
   nothing, and nothing after the commit touches the database (a dropped connection there used to turn a
   saved record into a 500);
2. with an ``Idempotency-Key`` header, remembers a successful answer (status and body) for 24 hours under
   (user, key), in that same transaction. A repeat with the same key and the same request gets the stored
   answer with ``Idempotent-Replayed: true`` and creates nothing; the same key with another request is a
   422. Errors are not stored: the request changed nothing, so a retry runs it again.

Concurrent repeats of one key wait for each other on a lock (``core.locks``), then the second finds the
first's answer; the unique (user, key) constraint backs this up.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.request import Request
from rest_framework.response import Response

from .exceptions import DomainError
from .locks import lock_keys

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
KEEP = datetime.timedelta(hours=24)
MAX_KEY_LENGTH = 255


class IdempotencyKeyReused(DomainError):
    code = "idempotency_key_reused"
    status = 422


def _canonical(value: Any) -> Any:
    """Request data in a form that hashes the same however the client ordered or framed it: JSON keys
    sorted, form fields as sorted lists, uploaded files by their content (a multipart boundary changes on
    every retry)."""
    if hasattr(value, "lists"):  # QueryDict: form or multipart fields, each possibly repeated
        return {k: [_canonical(v) for v in vs] for k, vs in sorted(value.lists())}
    if hasattr(value, "chunks"):  # an uploaded file
        digest = hashlib.sha256()
        for chunk in value.chunks():
            digest.update(chunk)
        value.seek(0)
        return {"file": value.name, "sha256": digest.hexdigest()}
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    return value


def request_fingerprint(request: Request) -> str:
    """SHA-256 of the method, path, query string and body (see ``_canonical``)."""
    payload = {
        "method": request.method,
        "path": request.path,
        "query": sorted(request.query_params.lists()),
        "data": _canonical(request.data),
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def _key(request: Request) -> str | None:
    key = request.headers.get(HEADER)
    if key is None:
        return None
    key = key.strip()
    if not key or len(key) > MAX_KEY_LENGTH or not key.isascii() or not key.isprintable():
        message = _("An Idempotency-Key is 1 to %(max)s printable ASCII characters.") % {"max": MAX_KEY_LENGTH}
        raise DomainError(message, errors={HEADER: [message]})
    return key


def run_idempotent(request: Request, handler: Callable[..., Response], *args: Any, **kwargs: Any) -> Response:
    """Run a create ``handler`` in one transaction, replaying the stored answer for a repeated key."""
    from .models import IdempotencyKey

    key = _key(request) if request.method == "POST" else None
    with transaction.atomic():
        if key is None or not request.user.is_authenticated:
            return handler(request, *args, **kwargs)
        lock_keys("core.idempotency", [f"{request.user.pk}:{key}"])
        fingerprint = request_fingerprint(request)
        stored = IdempotencyKey.objects.filter(user=request.user, key=key).first()
        if stored is not None and stored.created_at < timezone.now() - KEEP:
            stored.delete()  # expired: this is a new request
            stored = None
        if stored is not None:
            if stored.request_hash != fingerprint:
                raise IdempotencyKeyReused(
                    _("This Idempotency-Key was already used for another request. Use a new key for a new request.")
                )
            return Response(stored.body, status=stored.status, headers={REPLAYED_HEADER: "true"})
        response = handler(request, *args, **kwargs)
        if 200 <= response.status_code < 300:
            IdempotencyKey.objects.create(
                user=request.user,
                key=key,
                method=request.method or "POST",
                path=request.path[:500],
                request_hash=fingerprint,
                status=response.status_code,
                body=response.data,
            )
        return response


def idempotent(view: Callable[..., Response]) -> Callable[..., Response]:
    """For function API views (under ``@api_view``): the create runs as ``run_idempotent`` describes."""

    @functools.wraps(view)
    def wrapper(request: Request, *args: Any, **kwargs: Any) -> Response:
        return run_idempotent(request, view, *args, **kwargs)

    return wrapper


def idempotency_keys_clean(now: datetime.datetime | None = None) -> int:
    """Forget answers older than 24 hours (a periodic task); returns how many."""
    from .models import IdempotencyKey

    cutoff = (now or timezone.now()) - KEEP
    deleted, _by_model = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted
