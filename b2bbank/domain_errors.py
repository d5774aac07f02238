"""Errors that services raise. They say what went wrong in domain terms; the API
exception handler (b2bbank.api_errors) and the page helper (b2bbank.page_errors)
turn them into HTTP answers in one place each."""


class DomainError(Exception):
    """Base class. `code` is a stable machine-readable string for clients."""

    code = "domain_error"

    def __init__(self, detail: str, *, code: str | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        if code:
            self.code = code


class InvalidTransition(DomainError):
    """The action is not allowed from the object's current state (HTTP 409)."""

    code = "invalid_transition"


class NotEligible(DomainError):
    """The input is well-formed but a business rule refuses it (HTTP 400)."""

    code = "not_eligible"


class NotFound(DomainError):
    """The object does not exist for this user (HTTP 404, never revealing why)."""

    code = "not_found"


class Forbidden(DomainError):
    """The user's role may not do this (HTTP 403)."""

    code = "forbidden"


class TooLarge(DomainError):
    """The upload is over its size limit (HTTP 413); nothing was stored."""

    code = "too_large"


class UnsupportedType(DomainError):
    """The file's bytes are not one of the accepted formats (HTTP 415)."""

    code = "unsupported_type"


class RateLimited(DomainError):
    """Too many of these actions in a short time (HTTP 429 with Retry-After);
    nothing was done."""

    code = "rate_limited"

    def __init__(self, detail: str, *, retry_after: int, code: str | None = None) -> None:
        super().__init__(detail, code=code)
        self.retry_after = retry_after
