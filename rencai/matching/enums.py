from django.db import models


class ContactState(models.TextChoices):
    REQUESTED = "requested", "待答复"
    ACCEPTED = "accepted", "已同意"
    DECLINED = "declined", "已拒绝"
