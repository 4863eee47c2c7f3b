from django.core.management.base import BaseCommand, CommandError

from rencai.policies.engine.catalog import CatalogError
from rencai.policies.services import catalog_load


class Command(BaseCommand):
    help = "把政策目录（rencai/policies/catalog/*.yaml）载入数据库；任何文件有误则一条也不载入"

    def add_arguments(self, parser):
        parser.add_argument("--directory", help="政策目录所在文件夹（默认随软件发布的目录）")

    def handle(self, *args, directory, **options):
        try:
            result = catalog_load(directory=directory) if directory else catalog_load()
        except CatalogError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(
            f"政策目录已载入：新增 {len(result.created)}，更新 {len(result.updated)}，未变 {len(result.unchanged)}，"
            f"停用 {len(result.retired)}"))
