"""How a failed job is retried: exponential backoff (procrastinate's
RetryStrategy), with the base and the number of retries from settings."""

from __future__ import annotations

from django.conf import settings
from procrastinate import RetryStrategy


def backoff(*, retry_on: tuple[type[Exception], ...] | None = None) -> RetryStrategy:
    """Retry after base, base², base³ ... seconds (3, 9, 27 ... by default),
    `B2BBANK_JOB_MAX_RETRIES` times. `retry_on` limits retries to those errors
    (a bug fails at once and waits in admin instead of looping for days)."""
    return RetryStrategy(
        max_attempts=settings.B2BBANK_JOB_MAX_RETRIES,
        exponential_wait=settings.B2BBANK_JOB_RETRY_BASE_SECONDS,
        retry_exceptions=retry_on,
    )
