from django.core.management.base import BaseCommand

from rencai.services.services import deadlines_check


class Command(BaseCommand):
    help = ("人才服务每日检查：即将超期和已超期的事项上报督办（每项一次），"
            "为未分配服务专员的A、B、C类人才分配（可重复运行）")

    def handle(self, *args, **options):
        result = deadlines_check()
        self.stdout.write(f"已超期上报 {result['breached']} 项，即将超期上报 {result['at_risk']} 项；"
                          f"新分配服务专员 {result['specialists']} 人")
