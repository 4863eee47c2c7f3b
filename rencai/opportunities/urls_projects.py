"""Patterns of the projects part of 人才对接 (included by urls.py under the "opportunities" namespace)."""

urlpatterns: list = []
