from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "人岗匹配：按对接机会的当前状态重建匹配索引（开放的写入，关闭的标记）"

    def handle(self, *args, **options):
        from rencai.matching.services import opportunity_index_rebuild

        self.stdout.write(f"开放中的对接机会：{opportunity_index_rebuild()} 个")
