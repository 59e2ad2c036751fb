"""Gap-tolerant named counters: ``next_numbers("customer", 1000)`` reserves a block in one locked update."""

from __future__ import annotations

from django.db import transaction

from .models import Sequence


def next_numbers(name: str, count: int = 1) -> range:
    """Reserve ``count`` consecutive numbers; concurrent callers get disjoint blocks (row lock)."""
    if count < 1:
        raise ValueError("count must be positive")
    with transaction.atomic():
        Sequence.objects.get_or_create(name=name)
        seq = Sequence.objects.select_for_update().get(name=name)
        start = seq.value + 1
        seq.value += count
        seq.save(update_fields=["value"])
    return range(start, start + count)
