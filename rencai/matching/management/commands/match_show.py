"""Prints the top matches, with their reasons, for a handful of talents (the demo talent and one talent of each of
a few 专业), so that the quality of matching can be judged by hand; and the top talent for a few jobs."""

from django.core.management.base import BaseCommand

PROFILES = ("材料科学与工程", "集成电路设计", "软件工程", "药学", "机械工程")


class Command(BaseCommand):
    help = "人岗匹配：打印若干人才的推荐结果和理由，以及若干岗位的人才推荐（供人工判断匹配质量）"

    def add_arguments(self, parser):
        parser.add_argument("--talent", type=int, action="append", help="人才编号（可重复）")
        parser.add_argument("--top", type=int, default=5)
        parser.add_argument("--jobs", type=int, default=2, help="另外打印几个岗位的人才推荐")

    def handle(self, *args, talent, top, jobs, **options):
        from rencai.matching import selectors
        from rencai.matching.index import TalentIndex, current
        from rencai.opportunities.models import Opportunity
        from rencai.talents.models import Talent

        base = Talent.objects.select_related("district", "organization").prefetch_related("educations")
        people = list(base.filter(pk__in=talent)) if talent else []
        if not talent:
            demo = base.filter(user__username="talent").first()
            people += [demo] if demo else []
            for major in PROFILES:
                found = base.filter(educations__major=major).exclude(highest_degree="").order_by(
                    "-returnee", "-highest_degree", "pk").first()
                if found and found not in people:
                    people.append(found)
        for person in people:
            profile = selectors.profile_of(person)
            degree = person.get_highest_degree_display() or "—"
            industry = person.organization.get_industry_display() if person.organization_id else "—"
            self.stdout.write(f"\n== 人才 {person.pk}：{degree}，{'、'.join(profile.majors) or '—'}，"
                              f"{'留学回国' if person.returnee else '国内'}，{profile.district_name}，"
                              f"单位产业：{industry}")
            for i, row in enumerate(selectors.matches_for_talent(person, k=top), 1):
                o = row.opportunity
                self.stdout.write(f"  {i}. [{o.get_kind_display()}] {o.title}（{o.district.name}，得分 {row.score}）")
                for reason in row.reasons:
                    self.stdout.write(f"       - {reason}")
        index = current(TalentIndex)
        for job in (Opportunity.objects.filter(status="published", kind="job").select_related("shortage_entry")
                    .order_by("pk")[:jobs]):
            found = index.top(selectors.job_query(job), k=top)
            rows = selectors._rows(job, [t for t in selectors._consenting([pk for pk, _ in found])], dict(found))
            rows.sort(key=lambda r: -r.score)
            targeted = "定向" if job.targeted_returnee else "不定向"
            self.stdout.write(f"\n== 岗位 {job.pk}：{job.title}（最低学历 {job.get_degree_min_display() or '不限'}，"
                              f"{targeted}）：同意被查找的人才 {len(index.pos)} 人")
            for r in rows:
                self.stdout.write(f"  {r.label} {r.degree} {r.major} {r.band} {r.district}"
                                  f"{' 留学回国' if r.returnee else ''}（得分 {r.score}）")
