"""python-stdnum's refusals in Chinese, shared by every validator of an official number."""

from stdnum.exceptions import ValidationError

REASONS = {
    "InvalidChecksum": "校验位错误",
    "InvalidLength": "长度应为18位",
    "InvalidFormat": "格式错误",
    "InvalidComponent": "组成部分无效",
}


def stdnum_reason(exc: ValidationError, **specific: str) -> str:
    """Why the number was refused; ``specific`` overrides a reason by exception name for one kind of number."""
    name = type(exc).__name__
    return specific.get(name) or REASONS.get(name, "格式错误")
