from django.core.management.base import BaseCommand

from rencai.datahub.verification import rebuild


class Command(BaseCommand):
    help = "按全部核验数据重新生成每位人才的核验结果（每次装载已自动更新；用于核对或恢复）"

    def handle(self, *args, **options):
        kept = rebuild()
        self.stdout.write(f"已重新生成核验结果：{kept} 人")
