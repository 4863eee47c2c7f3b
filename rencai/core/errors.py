"""One application error type, mapped to HTTP in one place (api.py and the page middleware)."""

from dataclasses import dataclass, field


@dataclass
class FieldError:
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}：{self.message}"


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
