from django.core.management.base import BaseCommand

from rencai.datahub.setup import standard_feeds_create


class Command(BaseCommand):
    help = "登记标准数据源（社保、个税、企业纳税、不动产、学历认证、留学回国证明、市场主体、户籍/居住证、技能等级）"

    def handle(self, *args, **options):
        for feed in standard_feeds_create():
            self.stdout.write(f"{feed.pk}\t{feed.name}\t{feed.department}")
