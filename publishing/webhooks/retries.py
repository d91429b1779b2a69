"""When the next attempt is due: the retry schedule, its jitter, and Retry-After."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime

from django.conf import settings

from cms.digits import ascii_digits

JITTER = 0.2
# The longest wait a receiver's Retry-After can impose (the schedule's longest step).
RETRY_AFTER_CAP = 86400.0


def retry_schedule() -> list[int]:
    """Seconds before each attempt, each counted from the previous one.

    The first entry is the first attempt's (0: at once); ``len()`` is the number
    of attempts before a delivery is marked failed.
    """
    return [int(s) for s in settings.WEBHOOK_RETRY_SCHEDULE] or [0]


def max_attempts() -> int:
    return len(retry_schedule())


def delay_before_attempt(
    attempt_number: int, retry_after: float | None = None, rng=random
) -> float | None:
    """Seconds to wait before attempt ``attempt_number`` (1-based), or ``None``.

    ``None`` means the schedule is exhausted. Up to ±20 % jitter; a receiver's
    ``Retry-After`` is honoured when it asks for longer (capped at a day, so a
    receiver cannot park a delivery for ever).
    """
    schedule = retry_schedule()
    if attempt_number > len(schedule):
        return None
    base = float(schedule[attempt_number - 1])
    delay = base * (1 + rng.uniform(-JITTER, JITTER))
    if retry_after is not None:
        delay = max(delay, min(retry_after, RETRY_AFTER_CAP))
    return max(delay, 0.0)


def parse_retry_after(value: str | None, now: datetime) -> float | None:
    """A ``Retry-After`` header (seconds or an HTTP date) as seconds from ``now``."""
    if not value:
        return None
    value = value.strip()
    if ascii_digits(value):
        return float(min(int(value), 10**7))
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        return None
    return max((when - now) / timedelta(seconds=1), 0.0)
