import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from rencai.recognition.services import recognitions_expire


class Command(BaseCommand):
    help = "按认定有效期更新人才信息库中的人才类别（每日运行；可重复运行）"

    def add_arguments(self, parser):
        parser.add_argument("--on", help="按哪一天计算（YYYY-MM-DD，默认今天）")

    def handle(self, *args, on=None, **options):
        try:
            day = dt.date.fromisoformat(on) if on else None
        except ValueError as exc:
            raise CommandError(f"--on 应为 YYYY-MM-DD 格式的日期：{on}") from exc
        changed = recognitions_expire(on=day)
        self.stdout.write(f"已更新 {changed} 名人才的人才类别")
