"""The site's URLs plus the recognition router mounted on a test API, so the API is tested whether or not
rencai/config/api.py mounts it yet (the lead adds ``api.add_router("/recognition", router)`` there)."""

from django.urls import path
from ninja import NinjaAPI

from rencai.config.urls import urlpatterns as site
from rencai.core.api_errors import install
from rencai.recognition.api import router

api = NinjaAPI(title="recognition (test)", version="test", urls_namespace="recognition-test-api")
install(api)
api.add_router("/recognition", router)

urlpatterns = [path("api-test/", api.urls), *site]
