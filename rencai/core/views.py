from django.shortcuts import render

from .selectors import home_for


def home(request):
    """The portal's welcome for a visitor; for a signed-in user, what to do now (core.selectors.home_for)."""
    home = home_for(user=request.user)
    return render(request, "home.html", {"home": home, "stats": home.extra.get("overview") if home else None})
