"""Pages answer an AppError with a readable Chinese page and its status, never a traceback; a database conflict
left over by concurrent use (a duplicate, a lock) is a 409 page."""

import logging

from django.http import JsonResponse
from django.shortcuts import render

from .errors import AppError, conflict_from_database

logger = logging.getLogger("rencai.errors")


class FriendlyErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if request.path.startswith("/api/"):
            return None
        if isinstance(exception, AppError):
            return render(request, "core/error.html", {"error": exception}, status=exception.status)
        conflict = conflict_from_database(exception)
        if conflict is not None:  # concurrent use: a duplicate or a lock not got in time is a 409, not a 500
            logger.warning("concurrent conflict on %s %s: %s", request.method, request.path, exception)
            return render(request, "core/error.html", {"error": conflict}, status=conflict.status)
        return None


NUL_MESSAGE = "输入中含有不允许的空字符（\\u0000），请检查后重新提交 / the input contains a NUL character"


class RejectNulMiddleware:
    """A NUL character can be typed into no form and stored in no PostgreSQL text column: refuse it at the
    door with a 400, whatever the field, instead of failing deep in the database."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._has_nul(request):
            if request.path.startswith("/api/"):
                body = {"code": "invalid", "message": NUL_MESSAGE, "errors": []}
                return JsonResponse(body, status=400, json_dumps_params={"ensure_ascii": False})
            return render(request, "core/error.html", {"error": AppError(NUL_MESSAGE)}, status=400)
        return self.get_response(request)

    @staticmethod
    def _has_nul(request) -> bool:
        def any_nul(query) -> bool:
            return any("\x00" in key or any("\x00" in v for v in query.getlist(key)) for key in query)

        if "\x00" in request.path or any_nul(request.GET):
            return True
        if request.method in ("POST", "PUT", "PATCH"):
            if request.content_type == "application/json":
                return b"\\u0000" in request.body or b"\x00" in request.body
            if request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
                return any_nul(request.POST)  # uploaded files may hold any bytes; their fields may not
        return False
