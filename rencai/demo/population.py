"""The published Shenyang figures the demo reproduces (004_7b8a2565d53e5b61.txt):

"目前，全市人才库已达12231人，A类14人，B类356人，C类1994人，D类9867人 ... 2022年度新认定2180人。
其中高层次人才440人（B类57人，C类383人），D类1740人。"
"""

RECOGNISED = {"A": 14, "B": 356, "C": 1994, "D": 9867}
RECOGNISED_2022 = {"A": 0, "B": 57, "C": 383, "D": 1740}
UNRECOGNISED_DEFAULT = 27_769  # graduates and skilled workers not (yet) recognised
DEFAULT_SIZE = sum(RECOGNISED.values()) + UNRECOGNISED_DEFAULT  # 40,000

# Weight of each Shenyang district in the pool (the five inner districts and 浑南 hold most talent).
DISTRICT_WEIGHTS = {
    "210102": 13, "210103": 12, "210104": 7, "210105": 10, "210106": 12, "210111": 3, "210112": 20,
    "210113": 6, "210114": 6, "210115": 2, "210123": 1, "210124": 1, "210181": 2,
}

DOMESTIC_SCHOOLS = [
    "东北大学", "辽宁大学", "大连理工大学", "沈阳工业大学", "沈阳航空航天大学", "沈阳建筑大学", "中国医科大学",
    "沈阳药科大学", "沈阳化工大学", "沈阳理工大学", "沈阳农业大学", "辽宁工程技术大学", "清华大学", "北京大学",
    "哈尔滨工业大学", "吉林大学", "浙江大学", "上海交通大学", "西安交通大学", "华中科技大学",
]
OVERSEAS_SCHOOLS = [
    ("帝国理工学院", "英国"), ("曼彻斯特大学", "英国"), ("东京大学", "日本"), ("京都大学", "日本"),
    ("首尔大学", "韩国"), ("新加坡国立大学", "新加坡"), ("慕尼黑工业大学", "德国"), ("亚琛工业大学", "德国"),
    ("悉尼大学", "澳大利亚"), ("墨尔本大学", "澳大利亚"), ("多伦多大学", "加拿大"), ("加州大学伯克利分校", "美国"),
    ("密歇根大学", "美国"), ("莫斯科国立大学", "俄罗斯"), ("香港大学", "中国香港"),
]
SKILLED_SCHOOLS = ["沈阳职业技术学院", "辽宁省交通高等专科学校", "沈阳市装备制造工程学校", "辽宁机电职业技术学院"]
MAJORS = {
    "automotive": ["车辆工程", "机械设计制造及其自动化"], "machinery": ["机械工程", "材料成型及控制工程"],
    "aviation": ["飞行器设计与工程", "航空发动机"], "sensors": ["微电子科学与工程", "测控技术与仪器"],
    "robotics": ["机器人工程", "控制科学与工程"], "ic": ["集成电路设计", "电子科学与技术"],
    "biomedicine": ["药学", "生物工程"], "new_materials": ["材料科学与工程", "冶金工程"],
    "petrochemical": ["化学工程与工艺", "应用化学"], "digital": ["计算机科学与技术", "软件工程"],
    "education": ["数学", "物理学"], "health": ["临床医学", "护理学"], "services": ["金融学", "工商管理"],
    "public": ["公共管理", "法学"],
}
UNIVERSITIES = [
    ("东北大学", "210102", "education"), ("辽宁大学", "210105", "education"), ("沈阳工业大学", "210112", "education"),
    ("沈阳航空航天大学", "210113", "education"), ("沈阳建筑大学", "210112", "education"),
    ("中国医科大学", "210112", "health"), ("沈阳药科大学", "210112", "biomedicine"),
]
INSTITUTES = [
    ("中国科学院沈阳自动化研究所", "210112", "robotics"), ("中国科学院金属研究所", "210102", "new_materials"),
    ("中国科学院沈阳应用生态研究所", "210103", "education"), ("沈阳飞机设计研究所", "210105", "aviation"),
]
HOSPITALS = [
    ("中国医科大学附属第一医院", "210102", "health"), ("中国医科大学附属盛京医院", "210102", "health"),
    ("沈阳市第一人民医院", "210104", "health"), ("辽宁省人民医院", "210103", "health"),
]
INDUSTRY_WORDS = {
    "automotive": "汽车零部件", "machinery": "重型机械", "aviation": "航空装备", "sensors": "智能传感",
    "robotics": "机器人", "ic": "集成电路", "biomedicine": "生物医药", "new_materials": "新材料",
    "petrochemical": "石化", "digital": "数字科技", "services": "现代服务",
}
