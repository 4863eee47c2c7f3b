"""Recognition's review scores move onto the shared machinery, unchanged: its five fixed dimensions become one
scoring sheet ("recognition-review": each dimension out of 20, weight 1, so a total is the same sum as
before), each application's assignments one panel (formed by whoever formed it, when its first expert was
assigned, with the standard's scoring period), each assignment the same row under the same id (so the
experts' links keep working), each dimension's score one score row, the total and comment as they were.
The experts' free-text specialties become the first specialty rows. Reversible: going back rebuilds
recognition's assignments from the panels."""

from django.core.management.color import no_style
from django.db import migrations

KIND = "recognition.application"
SHEET = "recognition-review"
DIMENSIONS = [("professional", "专业水平"), ("potential", "能力潜力"), ("experience", "工作经历"),
              ("contribution", "业绩贡献"), ("remuneration", "薪酬待遇")]
DIMENSION_MAX = 20


def recognition_sheet(apps):
    """The sheet as recognition's review.sheet() would create it (used by the tests after a flush, too)."""
    Sheet = apps.get_model("reviews", "Sheet")
    Criterion = apps.get_model("reviews", "Criterion")
    sheet = Sheet.objects.filter(code=SHEET).first()
    if sheet is None:
        sheet = Sheet.objects.create(
            code=SHEET, name="人才评审认定评分表（示例）", outlier_min_gap=10,
            note="004列出专业水平、能力潜力、工作经历、业绩贡献、薪酬待遇五个方面，未规定分值和权重：每项20分、权重相同为示例")
        Criterion.objects.bulk_create([Criterion(sheet=sheet, code=code, label=label, maximum=DIMENSION_MAX, weight=1,
                                                 position=i) for i, (code, label) in enumerate(DIMENSIONS)])
    return sheet


def _reset_sequence(schema_editor, model) -> None:
    for sql in schema_editor.connection.ops.sequence_reset_sql(no_style(), [model]):
        schema_editor.execute(sql)


def forward(apps, schema_editor):
    ReviewAssignment = apps.get_model("recognition", "ReviewAssignment")
    Application = apps.get_model("recognition", "Application")
    Panel = apps.get_model("reviews", "Panel")
    Assignment = apps.get_model("reviews", "Assignment")
    Score = apps.get_model("reviews", "Score")
    sheet = recognition_sheet(apps)
    criteria = {c.code: c for c in sheet.criteria.all()}
    by_application: dict[int, list] = {}
    for row in ReviewAssignment.objects.order_by("application_id", "id"):
        by_application.setdefault(row.application_id, []).append(row)
    days = dict(Application.objects.filter(pk__in=list(by_application))
                .values_list("pk", "standard__review_days"))
    for application_id, rows in by_application.items():
        panel = Panel.objects.create(kind=KIND, object_id=application_id, stage="review", sheet=sheet,
                                     review_days=days[application_id], formed_by_id=rows[0].assigned_by_id,
                                     formed_at=min(r.assigned_at for r in rows))
        Assignment.objects.bulk_create([
            Assignment(id=r.id, panel=panel, expert_id=r.expert_id, assigned_at=r.assigned_at, total=r.total,
                       comment=r.comment, scored_at=r.scored_at) for r in rows])
        Score.objects.bulk_create([
            Score(assignment_id=r.id, criterion=criteria[code], value=getattr(r, code))
            for r in rows for code, _ in DIMENSIONS if getattr(r, code) is not None])
    _reset_sequence(schema_editor, Assignment)
    Expert = apps.get_model("reviews", "Expert")
    Specialty = apps.get_model("reviews", "Specialty")
    for expert in Expert.objects.exclude(specialty=""):
        specialty, _ = Specialty.objects.get_or_create(name=expert.specialty.strip()[:50])
        expert.specialties.add(specialty)


def backward(apps, schema_editor):
    ReviewAssignment = apps.get_model("recognition", "ReviewAssignment")
    Panel = apps.get_model("reviews", "Panel")
    panels = Panel.objects.filter(kind=KIND, stage="review")
    for panel in panels:
        for a in panel.assignments.order_by("id"):
            values = {s.criterion.code: s.value for s in a.scores.select_related("criterion")}
            ReviewAssignment.objects.create(
                id=a.id, application_id=panel.object_id, expert_id=a.expert_id, assigned_by_id=panel.formed_by_id,
                total=int(a.total) if a.total is not None else None, comment=a.comment, scored_at=a.scored_at,
                **{code: values.get(code) for code, _ in DIMENSIONS})
            ReviewAssignment.objects.filter(pk=a.id).update(assigned_at=a.assigned_at)  # auto_now_add on create
    Panel.objects.filter(kind=KIND).delete()
    _reset_sequence(schema_editor, ReviewAssignment)


class Migration(migrations.Migration):

    dependencies = [
        ("reviews", "0002_sheets_panels"),
        ("recognition", "0007_expert_moved_to_reviews"),
    ]

    operations = [migrations.RunPython(forward, backward)]
