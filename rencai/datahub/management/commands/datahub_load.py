"""`rencai datahub_load --feed ID FILE` loads a department's file (.xlsx or .csv) into its feed in this process;
`rencai datahub_load --resume [--load N]` runs again the loads that did not finish (a killed process, a worker that
died). Exit 2 for bad input (unknown feed, wrong columns, unreadable file), nothing written."""

import json
import sys

from django.core.management.base import BaseCommand

from rencai.core.errors import AppError
from rencai.datahub import services


class Command(BaseCommand):
    help = "装载数据文件到数据源（--feed 数据源编号 文件），或继续未完成的装载（--resume）"
    requires_system_checks = []  # a department's monthly file: start at once (the checks import every page)

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="数据文件（.xlsx 或 .csv）")
        parser.add_argument("--feed", type=int, help="数据源编号")
        parser.add_argument("--resume", action="store_true", help="继续未完成的装载")
        parser.add_argument("--load", type=int, help="与 --resume 同用：只继续这一批")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def _progress(self):
        if not sys.stderr.isatty():
            return None

        def show(*, message=None, done=None, total=None, force=False):
            sys.stderr.write(f"\r{message or ''} {done or ''}{'/' + str(total) if total else ''}   ")
            sys.stderr.flush()
        return show

    def handle(self, *args, path=None, feed=None, resume=False, load=None, format="text", **options):
        try:
            if resume:
                loads = services.loads_resume(load_id=load, progress=self._progress())
            else:
                if not path or not feed:
                    raise AppError("请给出数据源编号（--feed）和数据文件")
                created = services.load_from_path(feed_id=feed, path=path)
                loads = [services.load_run(load_id=created.pk, progress=self._progress())]
        except AppError as exc:
            self.stderr.write(exc.message)
            sys.exit(2)
        except OSError as exc:
            self.stderr.write(f"无法读取数据文件：{exc.strerror or exc}")
            sys.exit(2)
        results = [{"load": x.pk, "feed": x.feed.name, "status": x.status, "total_rows": x.total_rows,
                    "new": x.facts_new, "changed": x.facts_changed, "unchanged": x.facts_unchanged,
                    "unmatched": x.unmatched_rows, "rejected": x.rejected_rows, "seconds": x.seconds} for x in loads]
        if format == "json":
            self.stdout.write(json.dumps(results, ensure_ascii=False))
            return
        for r in results:
            self.stdout.write(f"第{r['load']}批（{r['feed']}）：{r['total_rows']}行，新增{r['new']}，更新{r['changed']}，"
                              f"未变化{r['unchanged']}，未匹配{r['unmatched']}，错误{r['rejected']}行")
        if not results:
            self.stdout.write("没有需要继续的装载")
