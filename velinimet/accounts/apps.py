from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "velinimet.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from . import login_audit
        from .sessions import on_user_logged_in

        user_logged_in.connect(on_user_logged_in, dispatch_uid="velinimet.accounts.sessions")
        # The audit log's login records (after axes' receiver, which counts the failure and sets the request's lockout state).
        user_logged_in.connect(login_audit.on_user_logged_in, dispatch_uid="velinimet.accounts.login_audit")
        user_login_failed.connect(login_audit.on_user_login_failed, dispatch_uid="velinimet.accounts.login_audit")
