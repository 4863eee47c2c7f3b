"""The request's client address for the audit log, so that services need not be handed the request."""

from contextvars import ContextVar

client_ip: ContextVar[str | None] = ContextVar("rencai_audit_client_ip", default=None)


class AuditContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = client_ip.set(request.META.get("REMOTE_ADDR") or None)
        try:
            return self.get_response(request)
        finally:
            client_ip.reset(token)
