from django.core.management.base import BaseCommand

from rencai.analytics.backfill import history_backfill


class Command(BaseCommand):
    help = "为尚无任职经历或来源记录的人才，按现有登记信息补录（可重复运行）"

    def handle(self, *args, **options):
        spells, origins = history_backfill()
        self.stdout.write(f"补录任职经历 {spells} 条，人才来源 {origins} 条")
