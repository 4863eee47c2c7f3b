"""The analytics history's vocabularies."""

from django.db import models


class HistoryReason(models.TextChoices):
    """What recorded a spell or a move: the change of the registry that wrote it."""

    REGISTRATION = "registration", "本人注册"
    STAFF = "staff", "工作人员登记"
    IMPORT = "import", "Excel导入"
    MAINTENANCE = "maintenance", "信息维护"
    RECOGNITION = "recognition", "人才认定"
    VERIFICATION = "verification", "按核验数据更正"
    BACKFILL = "backfill", "据现有登记信息补录"
    OTHER = "other", "其他"


class OriginKind(models.TextChoices):
    LOCAL = "local", "本市"
    DOMESTIC = "domestic", "国内其他地区"
    OVERSEAS = "overseas", "海外留学回国"
    UNKNOWN = "unknown", "未知"


class Channel(models.TextChoices):
    """The channel that brought a talent, as the documents name them (../shared/seeds):

    - 校园招聘: 004 §(三) "赴北京、哈尔滨、长春、大连4市开展“双一流”重点高校招聘活动 … “五送进校园”招聘活动", and the
      招才引智 spring series "走进北京科技大学 … 走进长春、哈尔滨、大连等地区的“双一流”高校".
    - 网络招聘: 004 §(三) "重点覆盖哈尔滨、长春、大连等城市5场网络招聘活动".
    - 专场招聘会: 004 §(三) "赴广州地区开展急需紧缺人才招聘活动 … 中高级人才招聘活动".
    - 返乡高校毕业生招聘: 004 §(三) "“心系辽宁 情注家乡”离校未就业暨寒暑假返乡高校毕业生招聘活动".
    - 海外专场招聘: 003 "每年组织海外专场招聘会，重点覆盖香港、新加坡、日韩等留学密集地区" and
      "“江海英才创业周”海外专场".
    - 创业周: 000 "我省连续20届成功举办海外学子创业周"; 003 "江海英才创业周".
    - 人才交流大会: 000 "组织参加中国国际人才交流大会等活动".
    - 揭榜挂帅: 000 "落实“揭榜挂帅”机制 … 发布“榜单”鼓励海外留学归国人员“揭榜”".
    - 团队引进（带土移植）: 000 "开展“带土移植”，加大对引进人才支持奖励力度 … 对引进的创新团队".
    - 自主认定: 004 "有成熟人才管理体系的企业，可以进行自主认定科技创新人才" (recorded when a talent is recognised
      that way and no other channel is known).
    - 猎头引才: 001 (郑州) "引入猎头公司、人力资源公司 … 发挥猎头机构在海外高层次人才引进中的作用".
    """

    CAMPUS = "campus", "校园招聘"
    ONLINE = "online", "网络招聘"
    JOB_FAIR = "job_fair", "专场招聘会"
    RETURNING_GRADUATES = "returning_graduates", "返乡高校毕业生招聘"
    OVERSEAS_FAIR = "overseas_fair", "海外专场招聘"
    STARTUP_WEEK = "startup_week", "创业周"
    TALENT_CONFERENCE = "talent_conference", "人才交流大会"
    CHALLENGE = "challenge", "揭榜挂帅"
    TEAM = "team", "团队引进（带土移植）"
    EMPLOYER_RECOGNITION = "employer_recognition", "自主认定"
    HEADHUNTER = "headhunter", "猎头引才"
    OTHER = "other", "其他渠道"
    UNKNOWN = "unknown", "未知"


# GB/T 2260 provincial-level divisions (the first two digits of a 身份证 and of every region code): an origin's
# province is kept as its code, so that it needs no row in the regions tree (which holds only the platform's
# jurisdictions).
PROVINCES = {
    "110000": "北京市", "120000": "天津市", "130000": "河北省", "140000": "山西省", "150000": "内蒙古自治区",
    "210000": "辽宁省", "220000": "吉林省", "230000": "黑龙江省", "310000": "上海市", "320000": "江苏省",
    "330000": "浙江省", "340000": "安徽省", "350000": "福建省", "360000": "江西省", "370000": "山东省",
    "410000": "河南省", "420000": "湖北省", "430000": "湖南省", "440000": "广东省", "450000": "广西壮族自治区",
    "460000": "海南省", "500000": "重庆市", "510000": "四川省", "520000": "贵州省", "530000": "云南省",
    "540000": "西藏自治区", "610000": "陕西省", "620000": "甘肃省", "630000": "青海省", "640000": "宁夏回族自治区",
    "650000": "新疆维吾尔自治区", "710000": "台湾省", "810000": "香港特别行政区", "820000": "澳门特别行政区",
}
