from django.core.management.base import BaseCommand

from rencai.feedback.services import feedback_check


class Command(BaseCommand):
    help = "咨询与评价每日检查：回访、办结超期的案件改为超期并提醒主管，超过答复期限的咨询提醒承办部门（可重复运行）"

    def handle(self, *args, **options):
        result = feedback_check()
        self.stdout.write(f"超期案件 {result['cases']} 件；超期未答复咨询 {result['questions']} 件")
