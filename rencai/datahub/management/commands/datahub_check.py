from django.core.management.base import BaseCommand

from rencai.datahub.services import feeds_check_freshness


class Command(BaseCommand):
    help = "检查各数据源是否按时报送；逾期的提醒数据提供部门（每个期间一次）"

    def handle(self, *args, **options):
        late = feeds_check_freshness()
        self.stdout.write(f"逾期数据源：{len(late)} 个" + "".join(f"\n  {feed.name}" for feed in late))
