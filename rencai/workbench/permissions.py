"""Who may write, test and publish rules: a policy officer (政策制定人员) — a government staff member an
administrator has given the permission ``workbench.edit_rules`` (/workbench/officers/) — or an administrator."""

from functools import wraps

from rencai.accounts.enums import Role
from rencai.core.errors import PermissionDenied

from .models import EDIT_PERMISSION


def is_officer(user) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    return user.is_administrator or (user.role == Role.STAFF and user.has_perm(EDIT_PERMISSION))


def require_officer(user) -> None:
    if not is_officer(user):
        raise PermissionDenied("只有政策制定人员可以编写、测试和发布政策规则")


def officer_required(view):
    """A workbench page: signed in, and a policy officer (else 403)."""
    from django.contrib.auth.decorators import login_required

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        require_officer(request.user)
        return view(request, *args, **kwargs)

    return login_required(wrapped)
