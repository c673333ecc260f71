"""django-axes (the MLPS login lock-out) installed under a Chinese name for Django admin."""

from axes.apps import AppConfig as AxesAppConfig


class LockoutConfig(AxesAppConfig):
    verbose_name = "登录锁定"
