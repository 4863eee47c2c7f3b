import pytest
from django.contrib.auth.models import Permission

from rencai.accounts.enums import Role
from rencai.accounts.models import User


@pytest.fixture
def finance(make_user):
    """市财政局's officer, who approves payment batches (and may start the month's run)."""
    user = make_user("finance", Role.STAFF, "210100")
    user.user_permissions.add(Permission.objects.get(codename="approve_batch"))
    return User.objects.get(pk=user.pk)  # drop the permission cache
