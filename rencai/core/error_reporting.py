"""What Django's technical error page (DEBUG) and error reports may show: never a password, a personal number
(身份证, passport, phone, bank account), a reveal reason or a key.

Django hides sensitive *settings* and, for views decorated for it, sensitive POST fields; the technical 500 page of
a developer's ``make run`` still showed every local variable and every submitted field. This filter is active
whatever DEBUG says and cleanses by name (a field or variable called password, id_number, phone, reason, ...) and
by content (any run of digits as long as a phone, 身份证 or bank card number, and passport-shaped numbers), in POST
and GET data, request headers, local variables of every frame and the exception messages themselves."""

import logging
import re
from collections.abc import Mapping

from django.http import HttpRequest, QueryDict
from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter

CLEANSED = "********（已隐藏）"

SENSITIVE_NAME = re.compile(
    r"pass|pwd|secret|token|key|cookie|csrf|sign|auth|session|cipher|plain"
    r"|id_?num|id_?no|id_?card|identity|证件|身份证|护照|passport"
    r"|phone|mobile|(?:^|_)tel(?:$|_)|手机|电话"
    r"|bank|account|card_?no|银行|账号|账户"
    r"|reason|事由",
    re.IGNORECASE,
)
# Prefixes of numbers the platform gives its own records, shown to users and needed in logs.
PLATFORM_NUMBER_PREFIXES = ("RD",)
PERSONAL_NUMBER = re.compile(
    r"(?<![0-9])1[3-9][0-9][ -][0-9]{4}[ -][0-9]{4}(?![0-9])"  # a phone written in groups
    r"|(?<![0-9])[0-9]{11,}(?:[Xx](?![A-Za-z]))?"  # phones (11), 身份证 (15, 18), bank cards (16-19)
    r"|(?<![0-9])[0-9]{17}[Xx]"
    # Passports; the platform's own record numbers (RD0000001: a recognition application) are not personal.
    r"|(?<![A-Za-z0-9])(?!" + "|".join(PLATFORM_NUMBER_PREFIXES) + r")[A-Za-z]{1,2}[0-9]{7,9}(?![0-9])"
)
_MAX_DEPTH = 4


def is_sensitive_name(name) -> bool:
    return isinstance(name, str) and bool(SENSITIVE_NAME.search(name))


def mask_text(text: str) -> str:
    return PERSONAL_NUMBER.sub(lambda m: "*" * len(m.group()), text)


class _Shown:
    """A value as the error page will print it: its repr, already cleansed."""

    def __init__(self, text: str):
        self.text = text

    def __repr__(self) -> str:
        return self.text

    __str__ = __repr__


def cleanse(value, depth: int = 0):
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, bytes | bytearray):
        return _Shown(mask_text(repr(bytes(value))))
    if value is None or isinstance(value, bool | float):
        return value
    if isinstance(value, int):
        return value if abs(value) < 10**10 else _Shown(mask_text(str(value)))
    if depth >= _MAX_DEPTH:
        return _Shown("…")
    if isinstance(value, QueryDict):
        return {k: CLEANSED if is_sensitive_name(k) else cleanse(value.getlist(k), depth + 1) for k in value}
    if isinstance(value, Mapping):
        return {k: CLEANSED if is_sensitive_name(k) else cleanse(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return type(value)(cleanse(v, depth + 1) for v in value) if not isinstance(value, set) else \
            [cleanse(v, depth + 1) for v in value]
    if isinstance(value, HttpRequest):
        return _Shown(mask_text(f"<{type(value).__name__}: {value.method} {value.path!r}>"))
    try:
        shown = repr(value)
    except Exception:  # a broken __repr__ must not hide the real error
        shown = f"<{type(value).__name__} (repr failed)>"
    # An object's repr may spell out its fields (a pydantic schema, a dataclass): hide those named sensitive.
    shown = re.sub(r"(\b\w+)\s*[=:]\s*('[^']*'|\"[^\"]*\"|[^,)\s]+)",
                   lambda m: f"{m.group(1)}={CLEANSED}" if is_sensitive_name(m.group(1)) else m.group(0), shown)
    return _Shown(mask_text(shown))


class PersonalDataReporterFilter(SafeExceptionReporterFilter):
    hidden_settings = re.compile(r"API|TOKEN|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE|DATABASE_URL", flags=re.I)

    def is_active(self, request) -> bool:
        return True  # with DEBUG on too: the page a developer sees must not show personal data either

    def get_post_parameters(self, request):
        if request is None:
            return {}
        return {
            key: CLEANSED if is_sensitive_name(key) else cleanse(
                values[0] if len(values) == 1 else values)
            for key, values in request.POST.lists()
        }

    def get_safe_request_meta(self, request):
        return {key: cleanse(value) for key, value in super().get_safe_request_meta(request).items()}

    def get_traceback_frame_variables(self, request, tb_frame):
        variables = super().get_traceback_frame_variables(request, tb_frame)
        return [(name, CLEANSED if is_sensitive_name(name) else cleanse(value)) for name, value in variables]


class PersonalDataExceptionReporter(ExceptionReporter):
    """The parts of the report the filter does not see: the query string's items, the exception messages,
    the URL."""

    def get_traceback_data(self):
        data = super().get_traceback_data()
        if self.request is not None:
            data["request_GET_items"] = [(k, CLEANSED if is_sensitive_name(k) else mask_text(v))
                                         for k, v in self.request.GET.items()]
        for key in ("exception_value", "unicode_hint", "request_insecure_uri"):
            if isinstance(data.get(key), str):
                data[key] = mask_text(data[key])
        for frame in data.get("frames", []):
            if frame.get("exc_cause") is not None:
                frame["exc_cause"] = mask_text(str(frame["exc_cause"]))
        return data


class MaskPersonalNumbers(logging.Filter):
    """For log handlers: a server error's log line and traceback (the URL, the exception message) with personal
    numbers masked, as on the error page."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = mask_text(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = mask_text(logging.Formatter().formatException(record.exc_info))
        return True
