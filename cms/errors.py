"""Typed domain errors; each HTTP layer maps them to status codes in one place."""


class DomainError(Exception):
    """Base class: a rule of the domain refused the operation."""

    status = 400
    code = "error"

    def __init__(self, message, fields=None, **extra):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}
        self.extra = extra


class ValidationError(DomainError):
    """Input does not satisfy the rules (HTTP 422)."""

    status = 422
    code = "validation_error"


class NotFound(DomainError):
    """The object does not exist or the caller may not see it (HTTP 404)."""

    status = 404
    code = "not_found"


class NotAllowed(DomainError):
    """The caller's role or scope does not permit the action (HTTP 403)."""

    status = 403
    code = "forbidden"


class ConditionFailed(DomainError):
    """A workflow condition is not met (HTTP 422)."""

    status = 422
    code = "condition_failed"


class Conflict(DomainError):
    """The object changed under the caller, or a uniqueness rule clashes (HTTP 409)."""

    status = 409
    code = "conflict"


class Locked(DomainError):
    """Someone else holds the edit lock of the object (HTTP 423)."""

    status = 423
    code = "locked"
