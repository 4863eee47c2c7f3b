from django.core.management.base import BaseCommand, CommandError

from rencai.services.catalog import CatalogError, load_catalog
from rencai.services.services import catalog_sync


class Command(BaseCommand):
    help = "把服务事项目录（rencai/services/catalog）载入数据库：只新增尚无的事项，窗口已修改的保持不变"

    def handle(self, *args, **options):
        try:
            load_catalog()
        except CatalogError as error:
            raise CommandError("服务事项目录有误，未载入：\n" + "\n".join(error.problems)) from None
        self.stdout.write(f"新增服务事项和一件事 {catalog_sync()} 项")
