"""The workbench's pages; each part keeps its own URL list (urls_*.py) under the one "workbench:" namespace."""

app_name = "workbench"

urlpatterns: list = []
