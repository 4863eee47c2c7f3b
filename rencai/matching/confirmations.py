"""What accepting a contact request will do (core/confirm.py): the employer sees the talent's name and phone."""

from rencai.core.confirm import Confirmation

from .models import ContactRequest


def answer(request, contact_id: int) -> Confirmation | None:
    if request.POST.get("decision") != "accept":
        return None
    contact = (ContactRequest.objects.select_related("organization", "opportunity")
               .filter(pk=contact_id, talent__user=request.user).first())
    if contact is None:
        return None  # the view answers 404
    return Confirmation(title=f"同意{contact.organization.name}与您联系？",
                        effects=[f"对方就“{contact.opportunity.title}”可以看到您的姓名和手机号码（脱敏）",
                                 "对方查看您的联系方式会记入审计日志"],
                        action="同意联系",
                        undo="同意后不能撤回；您可以随时撤回“被用人单位查找”的授权，对方即不能再查看。")
