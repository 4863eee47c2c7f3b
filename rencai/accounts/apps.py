from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "rencai.accounts"
    label = "accounts"
    verbose_name = "账户与角色"
