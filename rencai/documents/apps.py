from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "rencai.documents"
    label = "documents"
    verbose_name = "材料库"
