from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "决策预警：按各项启用的预警规则评估全部数据，发出新预警、自动解除条件已消除的预警（可重复运行）"

    def handle(self, *args, **options):
        from rencai.earlywarning.services import warnings_evaluate

        for key, figures in warnings_evaluate().items():
            if "skipped" in figures:
                self.stdout.write(f"{key}: 已跳过（{figures['skipped']}）")
            else:
                self.stdout.write(f"{key}: 新增 {figures['raised']}，自动解除 {figures['resolved']}，"
                                  f"当前符合 {figures['holding']}")
