"""Many entitlements fast: one talent registered properly, then cloned in bulk (distinct number hashes)."""

import datetime as dt

from rencai.payments.models import BudgetLine, Entitlement, add_months
from rencai.talents.models import Talent

POLICY = "sy-living-subsidy-graduate"  # 博士 2500 a month for 36 months, in 沈阳


def clone_talents(template: Talent, n: int) -> list[Talent]:
    clones = []
    for i in range(n):
        clone = Talent.objects.get(pk=template.pk)
        clone.pk = clone.id = None
        clone.user = None
        clone.id_number_hash = f"clone-{template.pk}-{i}"
        clones.append(clone)
    return Talent.objects.bulk_create(clones)


def entitlements_for(talents, *, start: dt.date, monthly_fen: int = 250_000, months: int = 36,
                     policy: str = POLICY) -> list[Entitlement]:
    return Entitlement.objects.bulk_create(
        Entitlement(talent=t, policy=policy, monthly_fen=monthly_fen, months=months, start_month=start,
                    end_month=add_months(start, months - 1)) for t in talents)


def budget(policy: str, year: int, yuan: int) -> BudgetLine:
    return BudgetLine.objects.create(policy=policy, year=year, amount_fen=yuan * 100)


def june_prepared(talents: list[Talent], *, actor) -> list[Talent]:
    """Each talent with a bank account and June 2025's 2500.00 prepared by the monthly run."""
    from rencai.payments import services
    from rencai.payments.run import pay_month

    for i, talent in enumerate(talents):
        services.bank_account_set(actor=actor, talent=talent, bank_name="中国工商银行沈阳分行",
                                  account_name=talent.name, account_number=f"62220200000000{i:04d}")
    entitlements_for(talents, start=dt.date(2025, 1, 1))
    budget(POLICY, 2025, 1_000_000)
    pay_month(month=dt.date(2025, 6, 1))
    return talents


def returned_file(lines: list[str]):
    """A bank's returned file (CSV) as an upload."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("return.csv", ("\n".join(lines) + "\n").encode(), content_type="text/csv")
