from django.core.management.base import BaseCommand
from django.db import connection, transaction

from rencai.analytics import triggers


class Command(BaseCommand):
    help = "重新统计人才地图的区县分项人数（DistrictCount；数据库触发器平时已随每次写入保持准确，此命令用于核对）"

    def handle(self, *args, **options):
        with transaction.atomic():
            triggers.rebuild(connection)
        self.stdout.write("已重新统计区县分项人数")
