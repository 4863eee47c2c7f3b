"""The workbench's pages; each part keeps its own URL list (urls_*.py) under the one "workbench:" namespace."""

from . import urls_cases, urls_cost, urls_drafting, urls_rules

app_name = "workbench"

urlpatterns: list = [
    *urls_rules.urlpatterns,
    *urls_drafting.urlpatterns,
    *urls_cost.urlpatterns,
    *urls_cases.urlpatterns,
]
