from django.core.management.base import BaseCommand

from rencai.opportunities.services import opportunities_close_expired


class Command(BaseCommand):
    help = "人才对接每日检查：已过截止日期的已发布岗位、见习岗位、榜单和项目改为已关闭（可重复运行）"

    def handle(self, *args, **options):
        self.stdout.write(f"关闭已过截止日期的对接机会 {opportunities_close_expired()} 个")
