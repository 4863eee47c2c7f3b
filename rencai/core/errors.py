"""One application error type, mapped to HTTP in one place (api.py and the page middleware)."""

from dataclasses import dataclass, field


@dataclass
class FieldError:
    field: str
    message: str

    def __str__(self) -> str:
        """The message as people read it: it names the field in Chinese already (the key stays in the API's
        ``field``); a message that does not is prefixed with the field's label, never with its key."""
        from .labels import field_label, field_words

        label = field_label(self.field)
        if label is None or any(word in self.message for word in field_words(self.field)):
            return self.message
        return f"{label}：{self.message}"


@dataclass
class AppError(Exception):
    """A refusal the user can act on. ``message`` is Chinese and names the field where there is one."""

    message: str
    code: str = "invalid"
    status: int = 400
    errors: list[FieldError] = field(default_factory=list)

    def __str__(self) -> str:
        return self.message

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "message": self.message,
            "errors": [{"field": e.field, "message": e.message} for e in self.errors],
        }


class ValidationFailed(AppError):
    def __init__(self, errors: list[FieldError]):
        super().__init__(message="；".join(str(e) for e in errors), code="invalid", status=422, errors=errors)


class PermissionDenied(AppError):
    def __init__(self, message: str = "您没有权限执行此操作"):
        super().__init__(message=message, code="forbidden", status=403)


class NotFound(AppError):
    def __init__(self, message: str = "未找到该记录，或不在您的管辖范围内"):
        super().__init__(message=message, code="not_found", status=404)


class Conflict(AppError):
    def __init__(self, message: str, code: str = "conflict"):
        super().__init__(message=message, code=code, status=409)


class TooManyRequests(AppError):
    """A public form sent too often from one address (``core.throttle``)."""

    def __init__(self, message: str):
        super().__init__(message=message, code="too_many_requests", status=429)


CONCURRENT_MESSAGE = "该记录刚刚被他人同时修改或登记，本次操作未生效，请刷新后重试"
BUSY_MESSAGE = "系统正忙（其他操作正在写入），本次操作未生效，请稍后重试"
# PostgreSQL: serialization failure, deadlock detected, lock not available (NOWAIT).
_LOCK_SQLSTATES = frozenset({"40001", "40P01", "55P03"})


def conflict_from_database(exc: BaseException) -> Conflict | None:
    """The last safety net for concurrent use: a uniqueness violation, or a lock the database could not get in
    time, that a service did not turn into its own 409 is still a conflict (409), never a 500. ``None`` for
    any other error."""
    from django.db import IntegrityError, OperationalError

    if isinstance(exc, IntegrityError):
        return Conflict(CONCURRENT_MESSAGE, code="concurrent_conflict")
    if isinstance(exc, OperationalError):
        text = str(exc).lower()
        sqlstate = getattr(exc.__cause__, "sqlstate", None)
        if "database is locked" in text or "database table is locked" in text or sqlstate in _LOCK_SQLSTATES:
            return Conflict(BUSY_MESSAGE, code="busy")
    return None
