"""The workbench's demo: one draft waiting on the policy officer's desk (a working note added to a rule, so that
a draft's page, its comparison and its cases can be seen before anyone publishes; it changes no result and
states nothing the documents do not). Safe to run again."""

from rencai.accounts.models import User
from rencai.policies.published import effective

from .models import RuleRevision
from .services import revision_create

DEMO_FILE = "sy-rent-subsidy.yaml"
DEMO_NOTE = "其他条件待本市实施细则明确后补充（工作说明，不改变计算结果）"


def workbench_demo_load() -> RuleRevision | None:
    officer = User.objects.filter(username="policy_officer").first()
    if officer is None:
        return None
    existing = RuleRevision.objects.filter(file=DEMO_FILE, created_by=officer).first()
    if existing is not None:
        return existing
    text = effective().texts[DEMO_FILE]
    if "notes:\n" in text:
        text = text.replace("notes:\n", f"notes:\n  - {DEMO_NOTE}\n", 1)
    else:
        text = text.rstrip("\n") + f"\nnotes:\n  - {DEMO_NOTE}\n"
    return revision_create(actor=officer, file=DEMO_FILE, text=text,
                           note="补充一条工作说明（草稿，尚未发布）")
