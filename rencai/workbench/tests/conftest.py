import pytest
from django.contrib.auth.models import Permission

from rencai.accounts.enums import Role
from rencai.accounts.models import User


@pytest.fixture
def officer(make_user):
    """A policy officer of the city's 人社局 (staff given workbench.edit_rules)."""
    user = make_user("policy_officer", Role.STAFF, "210100", reveal=True)
    user.user_permissions.add(Permission.objects.get(codename="edit_rules"))
    return User.objects.get(pk=user.pk)  # drop the permission cache


@pytest.fixture
def publish(officer, django_capture_on_commit_callbacks):
    """Publish as the officer (or ``actor``), running what follows the commit (the catalog swap, the re-match)
    as the commit would."""
    from rencai.workbench.services import revision_publish

    def run(revision, reason, actor=None):
        with django_capture_on_commit_callbacks(execute=True):
            return revision_publish(actor=actor or officer, revision=revision, reason=reason)

    return run
