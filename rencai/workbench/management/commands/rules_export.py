"""Write the catalog in force — the shipped files with the office's published revisions in their place — as
YAML files, one per rule: the export format, loadable as a catalog directory (load_catalog)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from rencai.policies.engine.catalog import load_catalog
from rencai.policies.published import catalog_changed


class Command(BaseCommand):
    help = "导出现行政策规则（随附规则与本单位已发布的版本）为 YAML 文件目录"

    def add_arguments(self, parser):
        parser.add_argument("directory", help="导出到的目录（不存在则创建；同名文件将被覆盖）")

    def handle(self, *args, directory, **options):
        target = Path(directory)
        if target.exists() and not target.is_dir():
            raise CommandError(f"{target} 不是目录")
        target.mkdir(parents=True, exist_ok=True)
        current = catalog_changed()
        for name, text in sorted(current.texts.items()):
            (target / name).write_text(text, encoding="utf-8")
        load_catalog(target)  # what was written loads as a catalog, or this fails naming file and line
        published = len(current.stamp)
        self.stdout.write(f"已导出 {len(current.texts)} 个规则文件到 {target}（其中本单位已发布修改的 {published} 个）")
