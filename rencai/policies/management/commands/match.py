import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from rencai.policies.distributed import ClusterUnavailable
from rencai.policies.matching import match_run
from rencai.policies.models import MatchRun


class Command(BaseCommand):
    help = "政策找人：对人才信息库中每个人评估全部政策，保存符合条件而尚未享受的人员名单"

    def add_arguments(self, parser):
        parser.add_argument("--as-of", help="评估日 YYYY-MM-DD（默认今天）")
        parser.add_argument("--dask", metavar="tcp://HOST:PORT", help="在该 Dask 集群上分区计算")
        parser.add_argument("--full", action="store_true",
                            help="全量重新计算（默认：政策目录和评估日未变时只计算信息有变化的人才）")
        parser.add_argument("--if-missing", action="store_true", help="已有完成的批次时跳过")
        parser.add_argument("--background", action="store_true",
                            help="交给后台进程计算并打印任务编号（rencai job 编号 --follow 查看进度）")

    def handle(self, *args, as_of, dask, full, if_missing, background, **options):
        if if_missing and MatchRun.objects.filter(status=MatchRun.Status.FINISHED).exists():
            self.stdout.write("已有政策找人结果，跳过（去掉 --if-missing 可重新计算）。")
            return
        try:
            day = dt.date.fromisoformat(as_of) if as_of else dt.date.today()
        except ValueError as exc:
            raise CommandError(f"--as-of 日期格式有误（应为 YYYY-MM-DD）：{as_of}") from exc
        if dask and not dask.startswith("tcp://"):
            raise CommandError(f"--dask 应为 tcp://主机:端口，而不是 {dask}")
        if background:
            from rencai.policies.jobs import match_enqueue

            job = match_enqueue(as_of=day)
            self.stdout.write(f"已交给后台计算，任务编号 {job.pk}：rencai job {job.pk} --follow")
            return
        try:
            run = match_run(as_of=day, dask_address=dask, full=full, progress=self.stdout.write)
        except ClusterUnavailable as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(
            f"评估日 {run.as_of}（{run.get_mode_display()}，重新计算 {run.reevaluated} 人）：{run.talents} 人，"
            f"找到 {run.matches} 条符合而未享受的记录，计算用时 {run.evaluation_ms} 毫秒"))
