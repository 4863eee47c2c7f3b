from django.core.management.base import BaseCommand

from rencai.services.services import specialists_assign


class Command(BaseCommand):
    help = "为尚无服务专员的A、B、C类人才分配服务专员（按工作量均衡，可重复运行）"

    def handle(self, *args, **options):
        self.stdout.write(f"新分配服务专员 {specialists_assign()} 人")
