from django.db.models import Count, Q
from django.shortcuts import render

from rencai.accounts.permissions import talent_scope_q
from rencai.talents.enums import TalentCategory
from rencai.talents.models import Talent


def home(request):
    stats = None
    user = request.user
    if user.is_authenticated and (user.is_government or user.is_administrator):
        agg = Talent.objects.filter(talent_scope_q(user)).aggregate(
            total=Count("id"),
            returnees=Count("id", filter=Q(returnee=True)),
            **{c: Count("id", filter=Q(talent_category=c)) for c in TalentCategory.values},
        )
        scope = user.department.region.name if user.department else "全部"
        stats = {
            "scope": scope,
            "total": agg["total"],
            "returnees": agg["returnees"],
            "categories": [(label.split("（")[0], agg[code]) for code, label in TalentCategory.choices],
        }
    return render(request, "home.html", {"stats": stats})
