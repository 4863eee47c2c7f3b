from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "决策预警：载入随附的预警规则（只补缺失的，管理员修改过的保持不变；可重复运行）"

    def handle(self, *args, **options):
        from rencai.earlywarning.rules import rules_setup

        self.stdout.write(f"新增预警规则 {rules_setup()} 条")
