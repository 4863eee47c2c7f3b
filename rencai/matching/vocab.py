"""The words matching knows: the domain dictionary jieba is given (industry chains, degrees, 专业 names, technical
terms of the documents' fields), the stop words it drops, and which words point at which industry chain."""

from rencai.opportunities.enums import ChallengeField
from rencai.organizations.enums import Industry
from rencai.talents.enums import Degree

# 专业 and technical words per industry chain: a talent's 专业 in one of these lists places them in that chain
# (beside their employer's industry); every word is also in jieba's dictionary so that it stays one token.
INDUSTRY_WORDS: dict[str, tuple[str, ...]] = {
    Industry.AUTOMOTIVE: ("车辆工程", "汽车", "汽车零部件", "新能源汽车", "动力电池", "整车"),
    Industry.MACHINERY: ("机械工程", "机械设计制造及其自动化", "材料成型及控制工程", "数控", "重型机械", "装备制造",
                         "高端装备", "液压"),
    Industry.AVIATION: ("飞行器设计与工程", "航空发动机", "航空", "飞行器", "航空装备", "无人机"),
    Industry.SENSORS: ("微电子科学与工程", "测控技术与仪器", "传感器", "智能传感", "仪器仪表", "MEMS"),
    Industry.ROBOTICS: ("机器人工程", "控制科学与工程", "机器人", "工业机器人", "自动化", "机器视觉"),
    Industry.IC: ("集成电路设计", "电子科学与技术", "集成电路", "半导体", "芯片", "晶圆", "封装测试", "光刻",
                  "半导体芯片制造", "微电子"),
    Industry.BIOMEDICINE: ("药学", "生物工程", "生物医药", "制药", "药物", "生物技术", "医疗器械"),
    Industry.NEW_MATERIALS: ("材料科学与工程", "冶金工程", "新材料", "碳纤维", "复合材料", "高温合金", "金属材料",
                             "高分子材料", "先进材料", "材料"),
    Industry.PETROCHEMICAL: ("化学工程与工艺", "应用化学", "精细化工", "石化", "石油化工", "催化剂", "化工"),
    Industry.DIGITAL: ("计算机科学与技术", "软件工程", "人工智能", "大数据", "数字经济", "云计算", "软件开发",
                       "数据分析", "工业互联网"),
    Industry.EDUCATION: ("数学", "物理学", "教育科研", "科研"),
    Industry.HEALTH: ("临床医学", "护理学", "医疗卫生", "医学", "临床"),
    Industry.SERVICES: ("金融学", "工商管理", "现代服务业", "金融", "会计", "物流"),
    Industry.PUBLIC: ("公共管理", "法学"),
}

# A 揭榜挂帅 榜单's field stands for an industry chain.
CHALLENGE_INDUSTRY = {
    ChallengeField.NEW_MATERIALS: Industry.NEW_MATERIALS,
    ChallengeField.FINE_CHEMICALS: Industry.PETROCHEMICAL,
    ChallengeField.HIGH_END_EQUIPMENT: Industry.MACHINERY,
    ChallengeField.SEMICONDUCTOR: Industry.IC,
}

EXTRA_WORDS = ("定向岗位", "留学回国", "海外经历", "揭榜挂帅", "见习", "博士后", "研发工程师", "工艺工程师",
               "算法工程师", "项目经理", "技术攻关", "产业化", "中试", "成果转化")

STOP_WORDS = frozenset("""
的 了 和 与 及 等 在 是 有 为 对 以 或 并 将 从 由 被 把 向 于 其 之 也 都 而 且 但 及其 以及 我们 你 您 他们 我司 本
公司 单位 岗位 负责 相关 以上 以下 工作 经验 优先 能力 具有 熟悉 掌握 要求 具备 进行 开展 参与 提供 人员 专业 学历
招聘 若干 一名 一个 一定 良好 较强 相应 方面 领域 主要 包括 完成 年 月 日 名 人 个 位 可 能 会 需 须 应 等等 不限
""".split())

# Too general to say two 专业 agree ("机械工程" and "材料科学与工程" share "工程").
GENERIC_MAJOR_WORDS = frozenset({"工程", "科学", "技术", "设计", "应用", "管理", "控制", "及其", "研究", "学"})


def domain_words() -> list[str]:
    words = {label for _, label in Industry.choices} | {label for _, label in Degree.choices}
    words |= {label for _, label in ChallengeField.choices}
    for group in INDUSTRY_WORDS.values():
        words.update(group)
    words.update(EXTRA_WORDS)
    return sorted(words)


def industries_of_text(tokens: set[str]) -> set[str]:
    """The industry chains whose words occur among ``tokens`` (a talent's 专业 tokens)."""
    return {industry for industry, words in INDUSTRY_WORDS.items() if tokens.intersection(words)}
