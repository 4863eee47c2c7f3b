from django.db.models import Count, Q
from django.db.models.functions import ExtractYear
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
        by_year = (Talent.objects.filter(talent_scope_q(user)).exclude(talent_category="")
                   .annotate(year=ExtractYear("category_recognized_on")).values("year", "talent_category")
                   .annotate(n=Count("id")))
        years: dict = {}
        for row in by_year:
            years.setdefault(row["year"], dict.fromkeys(TalentCategory.values, 0))[row["talent_category"]] = row["n"]
        stats = {
            "scope": scope,
            "total": agg["total"],
            "recognised": sum(agg[c] for c in TalentCategory.values),
            "returnees": agg["returnees"],
            "categories": [(label.split("（")[0], agg[code]) for code, label in TalentCategory.choices],
            "years": [(year, [counts[c] for c in TalentCategory.values], sum(counts.values()))
                      for year, counts in sorted(years.items(), key=lambda item: item[0] or 0, reverse=True)],
        }
    return render(request, "home.html", {"stats": stats})
