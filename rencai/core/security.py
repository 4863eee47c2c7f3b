"""Security plumbing shared by every page: no caching of personal data, and the client address that login
throttling (django-axes) counts failures against."""

from django.conf import settings
from django.utils.cache import patch_cache_control

# Public pages that show data about a person without a login (the talent card's verification).
NO_STORE_PUBLIC_PREFIXES = ("/verify/", "/api/recognition/verify/")


class NoStoreMiddleware:
    """``Cache-Control: no-store`` on every response that may carry personal data: everything a signed-in user
    is shown (pages, API, exports), every answer to a form post, and the public card verification. Static files
    never reach it (WhiteNoise answers them first) and stay cacheable."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (
            (user is not None and user.is_authenticated)
            or request.method not in ("GET", "HEAD")
            or request.path.startswith(NO_STORE_PUBLIC_PREFIXES)
        ):
            patch_cache_control(response, no_store=True, no_cache=True, must_revalidate=True, private=True,
                                max_age=0)
        return response


def client_ip(request) -> str | None:
    """The address a login attempt came from. Behind ``RENCAI_PROXY_COUNT`` trusted proxies, each appending to
    X-Forwarded-For, the client is that many entries from the right (entries further left can be forged)."""
    proxies = getattr(settings, "RENCAI_PROXY_COUNT", 0)
    if proxies > 0:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


LOCKED_OUT_MESSAGE = "密码连续输错次数过多，该账号或您所在网络地址的登录已被暂时锁定"


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out login: a Chinese page (429), or the API's error shape for /api/."""
    from axes.helpers import get_cool_off, get_failure_limit
    from django.http import JsonResponse
    from django.shortcuts import render

    cool_off = get_cool_off(request)
    minutes = max(1, round(cool_off.total_seconds() / 60)) if cool_off else None
    message = f"{LOCKED_OUT_MESSAGE}，请{f'{minutes}分钟后再试，或' if minutes else ''}联系系统管理员解除锁定"
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "locked_out", "message": message, "errors": []}, status=429,
                            json_dumps_params={"ensure_ascii": False})
    context = {"message": message, "failure_limit": get_failure_limit(request, credentials), "minutes": minutes}
    return render(request, "registration/locked_out.html", context, status=429)
