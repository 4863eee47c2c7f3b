import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from rencai.demo import population
from rencai.demo.accounts import demo_accounts_create
from rencai.demo.generator import demo_load
from rencai.demo.recognition import recognition_demo_clear, recognition_demo_load
from rencai.talents.models import Education, ImportBatch, Talent

# The demo (40,000) gets demo feeds; the benchmarks' registries (100,000 up) none: bench/datahub.py loads its own.
DATAHUB_DEMO_MAX = 50_000


class Command(BaseCommand):
    help = "生成演示数据：与沈阳市公布数据一致的人才库（A类14、B类356、C类1994、D类9867人）及各角色演示账号"

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2023, help="随机种子（同一种子生成相同数据）")
        parser.add_argument("--size", type=int, default=population.DEFAULT_SIZE,
                            help=f"人才总数（默认{population.DEFAULT_SIZE}，其中已认定12231人）")
        parser.add_argument("--if-empty", action="store_true", help="人才库已有数据时跳过生成，只重置演示账号")
        parser.add_argument("--reset", action="store_true", help="先删除已有人才和用人单位数据")

    def _timed(self, label: str, make, *args, **kwargs):
        started = time.perf_counter()
        result = make(*args, **kwargs)
        self.stdout.write(f"{label}：{time.perf_counter() - started:.1f} 秒")
        return result

    def handle(self, *args, seed, size, if_empty, reset, **options):
        started = time.perf_counter()
        if size < 100:
            raise CommandError("--size 至少为100")
        if reset:
            from rencai.accounts.models import User
            from rencai.organizations.models import Organization

            with transaction.atomic():
                from rencai.opportunities.demo_challenges import challenges_demo_clear

                challenges_demo_clear()  # 揭榜挂帅's proposals, interests and meetings refer to talents and units
                from rencai.matching.demo import matching_demo_clear

                matching_demo_clear()  # 人岗匹配's consents, contact requests and index refer to talents and jobs
                from rencai.opportunities.demo_jobs import jobs_demo_clear

                jobs_demo_clear()  # jobs and 见习: applications refer to talents, positions to organizations
                from rencai.earlywarning.demo import earlywarning_demo_clear

                earlywarning_demo_clear()  # 决策预警's warnings refer to talents and the apps' records
                from rencai.events.demo import events_demo_clear

                events_demo_clear()  # 对接活动's registrations and follow-ups refer to talents and users
                from rencai.feedback.demo import feedback_demo_clear

                feedback_demo_clear()  # 咨询与评价's questions, ratings and cases refer to talents and their accounts
                from rencai.programmes.demo import programmes_demo_clear

                programmes_demo_clear()  # 项目申报's applications, awards and applicants' accounts refer to talents
                from rencai.opportunities.demo_shortage import shortage_demo_clear

                shortage_demo_clear()  # 急需紧缺目录's demand entries refer to organizations (after 项目申报's)
                recognition_demo_clear()  # its records refer to talents, organizations and these users
                from rencai.fulfilment.demo import fulfilment_demo_clear

                fulfilment_demo_clear()  # 政策兑现's applications, offers and 公示 refer to talents
                from rencai.services.demo import services_demo_clear

                services_demo_clear()  # 人才服务's requests, specialists' assignments and messages refer to talents
                from rencai.demo.payments import payments_demo_clear

                payments_demo_clear()  # entitlements, payments and bank accounts refer to talents
                from rencai.datahub.models import Discrepancy, Fact, Load

                Discrepancy.objects.all().delete()  # the data centre's facts are about the old registry
                Fact.objects.all().delete()
                Load.objects.all().delete()
                from rencai.policies.models import MatchCount, MatchRun, PolicyMatch

                # 政策找人's result set and its kept counts go together (a cascade from the talents would leave
                # the counts behind); the next `rencai match` is a full one.
                MatchCount.objects.all().delete()
                PolicyMatch.objects.all().delete()
                MatchRun.objects.all().delete()
                User.objects.filter(username__in=["employer", "talent"]).delete()
                from rencai.analytics.models import EmploymentSpell, Move, Origin

                # 人才地图's history: one DELETE each, before the talents' cascade would collect them row by row
                for model in (EmploymentSpell, Move, Origin):
                    model.objects.all().delete()
                ImportBatch.objects.all().delete()
                Education.objects.all().delete()
                Talent.objects.all().delete()
                Organization.objects.all().delete()
        if Talent.objects.exists():
            if not if_empty:
                raise CommandError("人才库已有数据。使用 --reset 清空后重新生成，或 --if-empty 跳过。")
            self.stdout.write("人才库已有数据，跳过生成。")
        else:
            result = demo_load(seed=seed, size=size, progress=self.stdout.write)
            cats = "，".join(f"{k}类{v}人" for k, v in result.categories.items())
            self.stdout.write(self.style.SUCCESS(
                f"已生成人才 {result.talents} 人（{cats}），用人单位 {result.organizations} 家，"
                f"用时 {result.seconds:.1f} 秒"))
        from rencai.analytics.demo import history_demo_load

        # 人才地图's five-year history (spells, moves, origins) of the demo talents without one: before anything
        # else records history, so that the seed alone decides it
        history = self._timed("人才流动历史", history_demo_load, seed=seed, progress=self.stdout.write)
        if history.talents:
            self.stdout.write(f"  任职经历 {history.spells}，流动 {history.moves}，来源 {history.origins}")
        rows = self._timed("演示账号", demo_accounts_create)
        rows += self._timed("人才认定", recognition_demo_load)
        from rencai.demo.payments import payments_demo_load

        rows += self._timed("资金发放历史", payments_demo_load, seed=seed, size=size)  # paid through last month
        from rencai.demo.documents import documents_demo_load

        self._timed("材料库", documents_demo_load)
        from rencai.fulfilment.demo import fulfilment_demo_load

        rows += self._timed("政策兑现", fulfilment_demo_load)  # applications in every state, 公示, offers
        from rencai.opportunities.demo_shortage import shortage_demo_load

        # 急需紧缺人才需求目录: this year's and last year's published, next year's with employers' demands
        self._timed("急需紧缺人才需求目录", shortage_demo_load)
        from rencai.programmes.demo import programmes_demo_load

        # 项目申报: an open call per programme in force, last year's reviewed and awarded, a stage paid
        self._timed("项目申报", programmes_demo_load)
        from rencai.services.demo import services_demo_load

        rows += self._timed("人才服务", services_demo_load)  # specialists, requests in every state, escalations
        from rencai.feedback.demo import feedback_demo_load

        rows += self._timed("咨询与评价", feedback_demo_load)  # questions, FAQ, ratings, follow-ups, a complaint
        from rencai.datahub.models import Load as DatahubLoad

        if size <= DATAHUB_DEMO_MAX and not DatahubLoad.objects.exists():  # once: `make run` again starts at once
            from rencai.datahub.demo import datahub_demo_load

            # 数据中心: a file for every feed (unmatched rows, late feeds, discrepancies); again changes nothing
            self._timed("数据中心", datahub_demo_load, limit=None, seed=seed)
        from rencai.demo.payments import payments_demo_feed_check

        # months stopped by the 社保 feed: 产业急需紧缺人才奖励 of this month, paid or stopped (once)
        self._timed("社保核验停发", payments_demo_feed_check)
        from rencai.events.demo import events_demo_load

        # 对接活动: a dozen events over the past year and the coming weeks, attendance, follow-ups
        self._timed("对接活动", events_demo_load)
        from rencai.opportunities.demo_jobs import jobs_demo_load

        # 岗位与见习: ~30 published over the city's enterprises (some 定向), the demo employer's own, applications
        self._timed("岗位与见习", jobs_demo_load)
        from rencai.ledgers.demo import ledgers_demo_load

        # 台账: example targets per district for the history's five years, near what each district did
        self._timed("台账考核目标", ledgers_demo_load, seed=seed)
        from rencai.opportunities.demo_challenges import challenges_demo_load

        # 揭榜挂帅 and 项目推介: four challenges (the demo talent's proposal awarded), fifteen projects and results,
        # interests and two brokered meetings
        self._timed("揭榜挂帅与项目对接", challenges_demo_load)
        from rencai.matching.demo import matching_demo_load

        # 人岗匹配: a third of the registry consents to be found, the demo talent subscribes, the index is current
        made = self._timed("人岗匹配", matching_demo_load)
        self.stdout.write(f"  同意被查找 {made['consents']} 人，开放机会 {made['opportunities']} 个")
        from rencai.earlywarning.demo import earlywarning_demo_load

        # 决策预警: the shipped rules evaluated over all of the above (as the worker's daily run)
        raised = self._timed("决策预警", earlywarning_demo_load)
        self.stdout.write("  " + "，".join(f"{label} {n}" for label, n in raised.items()))
        from rencai.workbench.demo import workbench_demo_load

        self._timed("政策工作台", workbench_demo_load)  # a draft on the policy officer's desk
        from rencai.demo.inbox import inbox_demo_load

        self._timed("站内消息", inbox_demo_load)  # something for every demo account
        self.stdout.write(f"演示数据已就绪，共用时 {time.perf_counter() - started:.1f} 秒")
        self.stdout.write("\n演示账号（密码均为 rencai-demo）：")
        for username, _, description in rows:
            self.stdout.write(f"  {username:<14} {description}")
