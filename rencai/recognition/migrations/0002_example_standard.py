"""The example Shenyang standard. 004 names the categories (A 顶尖, B 杰出, C 领军, D 拔尖), the three ways and
the five review dimensions, but not the items, validity periods, pass marks or panel size: everything below
is a plausible example, flagged ``is_example`` (and shown as such on every page), to be replaced by the
city's own 《沈阳市人才认定办法》 (沈人社发〔2022〕27号) through the admin site."""

import datetime as dt

from django.db import migrations

NAME = "沈阳市人才认定标准（示例，须替换为本市正式标准）"
NOTE = (
    "依据：沈阳市人力资源和社会保障局2023年3月8日答复（004）——人才类别划分为顶尖人才（A类）、杰出人才（B类）、"
    "领军人才（C类）和拔尖人才（D类），通过直接认定、评审认定、自主认定等方式予以认定；评审认定综合人才专业水平、"
    "能力潜力、工作经历、业绩贡献、薪酬待遇等进行。文件未公布具体认定条目、有效期、评审分数线和专家人数，"
    "本版本所列均为参照公开做法拟定的示例，须由管理员替换为《沈阳市人才认定办法》（沈人社发〔2022〕27号）的正式内容。"
)
# category: (validity_years, review_threshold out of 100) — example values
RULES = {"A": (5, 90), "B": (5, 85), "C": (5, 80), "D": (5, 75)}
COMMON = [
    ("身份证件", "居民身份证或护照的扫描件", True),
    ("在沈工作证明", "劳动合同、聘用合同或在沈社保缴纳记录", True),
]
BY_WAY = {
    "review": [
        ("业绩成果材料", "论文、专利、项目、获奖、业绩等证明材料", True),
        ("薪酬证明", "近一年工资流水或个人所得税完税证明", False),
        ("单位推荐意见", "所在单位出具并加盖公章", False),
    ],
    "employer": [
        ("个人所得税纳税记录", "近一年个人所得税纳税记录", True),
    ],
}
ITEMS = [
    ("A01", "A", "中国科学院院士、中国工程院院士", "院士证书或当选文件"),
    ("A02", "A", "国家最高科学技术奖获得者", "获奖证书"),
    ("A03", "A", "诺贝尔奖、图灵奖、菲尔兹奖等国际顶级奖项获得者", "获奖证明"),
    ("A04", "A", "发达国家最高学术权威机构院士（会员）", "当选证明"),
    ("B01", "B", "国家重大人才工程入选者", "入选文件或证书"),
    ("B02", "B", "国家自然科学奖、技术发明奖、科学技术进步奖一等奖主要完成人", "获奖证书"),
    ("B03", "B", "国家杰出青年科学基金项目获得者", "项目批准文件"),
    ("B04", "B", "中华技能大奖获得者", "获奖证书"),
    ("C01", "C", "国家优秀青年科学基金项目获得者", "项目批准文件"),
    ("C02", "C", "国家科学技术奖二等奖主要完成人", "获奖证书"),
    ("C03", "C", "享受国务院政府特殊津贴专家", "政府特殊津贴证书"),
    ("C04", "C", "“兴辽英才计划”等省级重点人才工程入选者", "入选文件"),
    ("C05", "C", "全国技术能手", "荣誉证书"),
    ("D01", "D", "具有博士研究生学历和博士学位", "学历证书和学位证书"),
    ("D02", "D", "具有正高级专业技术职称", "职称证书"),
    ("D03", "D", "具有高级技师（一级）职业资格或职业技能等级", "职业资格或技能等级证书"),
    ("D04", "D", "辽宁工匠", "荣誉证书或命名文件"),
    ("D05", "D", "省级科学技术奖一等奖主要完成人", "获奖证书"),
]


def load(apps, schema_editor):
    Standard = apps.get_model("recognition", "Standard")
    CategoryRule = apps.get_model("recognition", "CategoryRule")
    StandardItem = apps.get_model("recognition", "StandardItem")
    EvidenceRequirement = apps.get_model("recognition", "EvidenceRequirement")
    if Standard.objects.filter(valid_from=dt.date(2022, 1, 1)).exists():
        return
    standard = Standard.objects.create(name=NAME, valid_from=dt.date(2022, 1, 1), is_example=True, source_note=NOTE,
                                       review_panel_size=3)
    for category, (years, threshold) in RULES.items():
        CategoryRule.objects.create(standard=standard, category=category, validity_years=years,
                                    review_threshold=threshold)
    for position, (label, hint, required) in enumerate(COMMON):
        EvidenceRequirement.objects.create(standard=standard, label=label, hint=hint, required=required,
                                           position=position)
    for way, rows in BY_WAY.items():
        for position, (label, hint, required) in enumerate(rows, start=10):
            EvidenceRequirement.objects.create(standard=standard, way=way, label=label, hint=hint, required=required,
                                               position=position)
    for position, (code, category, title, evidence) in enumerate(ITEMS):
        item = StandardItem.objects.create(standard=standard, code=code, category=category, title=title,
                                           description="示例条目", position=position)
        EvidenceRequirement.objects.create(standard=standard, item=item, label=evidence, required=True, position=20)


def unload(apps, schema_editor):
    apps.get_model("recognition", "Standard").objects.filter(valid_from=dt.date(2022, 1, 1), is_example=True).delete()


class Migration(migrations.Migration):
    dependencies = [("recognition", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
