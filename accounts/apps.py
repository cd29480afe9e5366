from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and roles")


class MfaAdminConfig(AdminConfig):
    """Django's admin, behind allauth's login and a second factor."""

    default_site = "accounts.admin_site.MfaAdminSite"
