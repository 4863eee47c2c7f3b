import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from rencai.policies.budget import registry_simulate
from rencai.policies.whatif import OverrideError, parameters, parse_overrides


def _money(value) -> str:
    return "—" if value is None else f"{value:,.2f}"


class Command(BaseCommand):
    help = "预算测算（what-if）：改变某项政策的金额标准，测算全库受影响的人数和资金（当年及整个发放期）"

    def add_arguments(self, parser):
        parser.add_argument("--set", dest="changes", action="append", default=[], metavar="政策.档次=金额",
                            help="例如 sy-living-subsidy-graduate.doctor=3000，可重复")
        parser.add_argument("--as-of", help="评估日 YYYY-MM-DD（默认今天）")
        parser.add_argument("--list", dest="list_parameters", action="store_true", help="列出可调整的金额档次")

    def handle(self, *args, changes, as_of, list_parameters, **options):
        if list_parameters:
            for p in parameters():
                self.stdout.write(f"{p.key:<48} {p.value!s:>10}  {p.title}：{p.reason}")
            return
        if not changes:
            raise CommandError("请用 --set 政策.档次=金额 指定要调整的标准（--list 查看可调整项）")
        try:
            day = dt.date.fromisoformat(as_of) if as_of else dt.date.today()
        except ValueError as exc:
            raise CommandError(f"--as-of 日期格式有误（应为 YYYY-MM-DD）：{as_of}") from exc
        try:
            results = registry_simulate(as_of=day, overrides=parse_overrides(changes))
        except OverrideError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"评估日 {day}，调整：{'；'.join(changes)}")
        for c in results:
            self.stdout.write(f"\n{c.title}（{c.policy}）")
            self.stdout.write(f"  享受人数：{c.people_before} → {c.people_after}，金额变化人数：{c.people_changed}")
            if c.monthly_before is not None:
                self.stdout.write(f"  每月合计：{_money(c.monthly_before)} → {_money(c.monthly_after)} 元")
            months = f"（{c.months_this_year}个月）" if c.months_this_year else ""
            self.stdout.write(f"  当年{months}：{_money(c.this_year_before)} → {_money(c.this_year_after)} 元，"
                              f"增加 {_money(c.this_year_change)} 元")
            if c.duration_change is None:
                self.stdout.write("  整个发放期：文件未规定发放期限，无法测算总额")
            else:
                self.stdout.write(f"  整个发放期：{_money(c.duration_before)} → {_money(c.duration_after)} 元，"
                                  f"增加 {_money(c.duration_change)} 元")
