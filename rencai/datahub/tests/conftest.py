import pytest


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Deliveries are kept under MEDIA_ROOT until loaded: each test its own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Run what a service hands to the queue after its commit (the load's job), as the immediate task backend
    would in a request: ``with run_on_commit(): services.load_submit(...)``."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
