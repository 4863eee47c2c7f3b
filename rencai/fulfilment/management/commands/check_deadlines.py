from django.core.management.base import BaseCommand

from rencai.fulfilment.services import deadlines_check


class Command(BaseCommand):
    help = ("政策兑现每日检查：超期环节提醒承办部门、公示期满且异议已答复的予以批准、"
            "推送免申即享待确认事项（可重复运行）")

    def handle(self, *args, **options):
        result = deadlines_check()
        self.stdout.write(f"超期提醒 {result['overdue']} 个环节；公示期满批准 {result['approved_after_notice']} 项，"
                          f"待答复异议 {result['notice_waiting']} 项；新推送免申即享 {result['offers']} 项")
