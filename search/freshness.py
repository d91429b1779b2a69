"""How far the search index is behind: read by the publishing status endpoint."""

from __future__ import annotations

from datetime import datetime

from django.db import DatabaseError
from django.db.models import Min
from django.utils import timezone

from search.models import PendingIndexUpdate


def index_lag_seconds(now: datetime | None = None) -> float | None:
    """Age in seconds of the oldest article change not yet indexed.

    ``0.0`` when the index has caught up; ``None`` when it cannot be told (the
    database is unreachable).
    """
    try:
        oldest = PendingIndexUpdate.objects.aggregate(oldest=Min("changed_at"))[
            "oldest"
        ]
    except DatabaseError:
        return None
    if oldest is None:
        return 0.0
    return max(0.0, ((now or timezone.now()) - oldest).total_seconds())
