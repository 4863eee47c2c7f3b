from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from rencai.analytics.boundaries import boundaries_load
from rencai.core.errors import AppError


class Command(BaseCommand):
    help = "载入一个市的区县边界（GeoJSON 要素集合，逐项检查，检查不通过则保留原有边界）"

    def add_arguments(self, parser):
        parser.add_argument("file", help="GeoJSON 文件")
        parser.add_argument("--region", default=str(getattr(settings, "RENCAI_CITY_CODE", "210100")),
                            help="市（或省）的行政区划代码，默认为本市")
        parser.add_argument("--source", default="", help="数据来源说明（如审图号、提供单位）")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"找不到文件：{path}")
        try:
            boundaries = boundaries_load(actor=None, region_code=options["region"], raw=path.read_bytes(),
                                         provenance=options["source"] or f"命令行载入：{path.name}")
        except AppError as exc:
            raise CommandError("边界未载入：\n" + "\n".join(f"- {e.message}" for e in exc.errors or [exc])) from exc
        self.stdout.write(f"已载入{boundaries.region.name}的{boundaries.districts}个区县边界")
