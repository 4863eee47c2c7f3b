from django.shortcuts import render


def home(request):
    stats = None
    user = request.user
    if user.is_authenticated and (user.is_government or user.is_administrator):
        from rencai.talents.selectors import registry_overview

        stats = registry_overview(user=user)
    return render(request, "home.html", {"stats": stats})
