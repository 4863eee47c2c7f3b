from django.db import models


class AuditAction(models.TextChoices):
    TALENT_CREATE = "talent_create", "登记人才"
    TALENT_UPDATE = "talent_update", "修改人才信息"
    TALENT_IMPORT = "talent_import", "批量导入人才"
    EMPLOYMENT = "employment", "任职确认"
    REVEAL = "reveal", "查看完整号码"
    EXPORT = "export", "导出个人信息"
    RECOGNITION = "recognition", "认定办理"
    DECISION = "decision", "认定决定"
    AUTHORIZATION = "authorization", "自主认定授权"
    DOCUMENT = "document", "材料上传与核验"
    FULFILMENT = "fulfilment", "政策兑现办理"
    FULFILMENT_DECISION = "fulfil_decision", "政策兑现决定"
    DENIED = "denied", "越权操作被拒绝"
    DATAHUB = "datahub", "数据中心"
    SERVICES = "services", "人才服务办理"
    PROGRAMME = "programme", "项目申报办理"
