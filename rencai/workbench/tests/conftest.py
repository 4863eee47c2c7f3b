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


DOCTOR_CASE = "博士毕业生每月2500元，最长三年"  # a shipped case of sy-living-subsidy-graduate


@pytest.fixture
def replace_case(officer):
    """The office's replacement of a shipped case (its profile and day, another expected monthly amount), as an
    officer who changes an amount corrects the case that states the old one before publishing."""
    from rencai.workbench.cases import shipped_cases
    from rencai.workbench.models import RuleCase

    def run(policy: str, name: str, *, monthly):
        case = next(c for c in shipped_cases()[policy] if c.name == name)
        return RuleCase.objects.update_or_create(policy=policy, name=name, defaults={
            "profile": case.profile, "as_of": case.as_of, "expected_status": "true", "expected_monthly": monthly,
            "created_by": officer})[0]

    return run
