"""The reviews app's vocabularies (glossary: 专家评审, 答辩); values are codes, labels what people read."""

from django.db import models


class Stage(models.TextChoices):
    """A reviewed item has one panel per stage: the experts' review of the file, and optionally a defence
    (答辩) heard by a panel with its own sheet, weighed into the final result as the caller says."""

    REVIEW = "review", "专家评审"
    DEFENCE = "defence", "答辩评审"
