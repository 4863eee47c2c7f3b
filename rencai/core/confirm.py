"""A confirmation step, saying what will happen, before every irreversible act.

A view that makes such an act (an approval, a decision, a payment run, a reveal …) is decorated with
``@confirm_first(describe)``. ``describe(request, **url_kwargs)`` returns a :class:`Confirmation` in plain
Chinese — the title, what will happen, the confirm button's words — or ``None`` when this particular post needs
none (e.g. 退回补正 on the same form as 材料齐全). A post without ``confirmed=1`` acts on nothing:

- asked by the page's script (``static/js/rencai.js`` sends the form's own data with the header
  ``X-Rencai-Confirm: ask``), it answers JSON for a ``<dialog>``; the script sends the form with
  ``confirmed=1`` only after 确认;
- without the script, it answers a confirmation page (``core/confirm.html``) that posts the same fields again
  with ``confirmed=1``.

The form of such an act is marked ``data-confirm`` (the script's hook); ``core/tests/test_confirm.py`` lists the
irreversible acts and fails on a view without ``confirm_first`` or a form without the mark. The words come
from one place (the ``describe`` functions, each app's ``confirmations.py``), so the dialog and the page say the
same. ``ConfirmAskMiddleware`` answers an "ask" that reaches a view without ``confirm_first`` with a 400, so that
asking can never act.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from urllib.parse import urlsplit

from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from .errors import AppError

CONFIRM_FIELD = "confirmed"
ASK_HEADER = "X-Rencai-Confirm"
# Fields never carried to the confirmation page: Django's own token (the page brings a fresh one) and the mark.
_NOT_CARRIED = {"csrfmiddlewaretoken", CONFIRM_FIELD}


@dataclass(frozen=True)
class Confirmation:
    """What the person is asked: ``title`` (a question), ``effects`` (what will happen, one sentence each),
    ``action`` (the confirm button), and whether it can be undone (it cannot, unless ``undo`` says how)."""

    title: str
    effects: tuple[str, ...] | list[str] = field(default_factory=tuple)
    action: str = "确认"
    undo: str = ""

    def lines(self) -> list[str]:
        return [*self.effects, self.undo or "此操作不能撤销。"]

    def as_dict(self) -> dict:
        return {"title": self.title, "effects": self.lines(), "action": self.action}


Describe = Callable[..., Confirmation | None]


def is_confirmed(request) -> bool:
    return request.POST.get(CONFIRM_FIELD) == "1"


def is_ask(request) -> bool:
    return request.headers.get(ASK_HEADER) == "ask"


def confirm_first(describe: Describe):
    """Decorate a view that makes an irreversible act: a POST without ``confirmed=1`` is answered with the
    confirmation (dialog data or page) and the view is not called. Put it under ``login_required`` and
    ``require_POST`` so that ``describe`` runs only for those the view would serve."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method != "POST" or (is_confirmed(request) and not is_ask(request)):
                return view(request, *args, **kwargs)
            try:
                confirmation = describe(request, *args, **kwargs)
            except AppError as exc:
                if is_ask(request):
                    return JsonResponse({"error": exc.message}, status=exc.status,
                                        json_dumps_params={"ensure_ascii": False})
                raise
            if is_ask(request):
                return JsonResponse({"confirm": confirmation.as_dict() if confirmation else None},
                                    json_dumps_params={"ensure_ascii": False})
            if confirmation is None:
                return view(request, *args, **kwargs)
            return confirm_page(request, confirmation)

        wrapped.confirm_first = describe
        return wrapped

    return decorator


def _back_url(request) -> str:
    referer = request.headers.get("Referer", "")
    if referer and url_has_allowed_host_and_scheme(referer, allowed_hosts={request.get_host()},
                                                   require_https=request.is_secure()):
        parts = urlsplit(referer)
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return reverse("home")


def confirm_page(request, confirmation: Confirmation):
    """The page shown without the script: the same words, and a form posting the same fields with
    ``confirmed=1`` to the same address. Uploaded files cannot be carried; views that take one are not
    confirmed this way."""
    carried = [(key, value) for key in request.POST for value in request.POST.getlist(key)
               if key not in _NOT_CARRIED]
    return render(request, "core/confirm.html", {
        "confirmation": confirmation, "lines": confirmation.lines(), "carried": carried,
        "action_url": request.get_full_path(), "back_url": _back_url(request),
    })


class ConfirmAskMiddleware:
    """An "ask" (the dialog's question) must never reach a view that would act on it: only views decorated with
    ``confirm_first`` answer one; any other gets a 400 and is not called."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if is_ask(request) and not getattr(view_func, "confirm_first", None):
            return JsonResponse({"error": "该操作无需确认"}, status=400, json_dumps_params={"ensure_ascii": False})
        return None
