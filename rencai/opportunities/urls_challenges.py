"""Patterns of the challenges part of 人才对接 (included by urls.py under the "opportunities" namespace)."""

urlpatterns: list = []
