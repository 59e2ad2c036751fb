"""Query sets that several apps' models share."""

from __future__ import annotations

from typing import TypeVar

from django.db import models

M = TypeVar("M", bound=models.Model)


class TrashQuerySet(models.QuerySet[M]):
    """Rows of a model with a trash: ``deleted_at`` set means deleted (and restorable). Read live rows through
    ``live()``, never with a hand-written ``deleted_at__isnull=True``."""

    def live(self) -> TrashQuerySet[M]:
        """The rows not in the trash."""
        return self.filter(deleted_at__isnull=True)

    def trashed(self) -> TrashQuerySet[M]:
        """The rows in the trash."""
        return self.filter(deleted_at__isnull=False)
