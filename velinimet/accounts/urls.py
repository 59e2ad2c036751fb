from django.urls import path

from . import admin_views, views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/verify/", views.login_verify, name="login_verify"),
    path("login/forgot/", views.password_forgot, name="password_forgot"),
    path("login/reset/<str:uidb64>/<str:token>/", views.password_reset_confirm, name="password_reset_confirm"),
    path("logout/", views.logout_view, name="logout"),
    path("i18n/language/", views.set_language, name="set_language"),
    path("settings/account/", views.account, name="account"),
    path("settings/account/password/", views.password_change, name="password_change"),
    path("settings/account/tokens/", views.tokens, name="tokens"),
    path("settings/account/tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("settings/two-factor/", views.two_factor_view, name="two_factor"),
    path("settings/two-factor/backup-codes.txt", views.backup_codes_download, name="backup_codes_download"),
    path("settings/users/", admin_views.user_list_view, name="user_list"),
    path("settings/users/new/", admin_views.user_create, name="user_create"),
    path("settings/users/<int:pk>/", admin_views.user_edit, name="user_edit"),
    path("settings/users/<int:pk>/password/", admin_views.user_password_reset, name="user_password_reset"),
    path("settings/users/<int:pk>/tokens/revoke/", admin_views.user_tokens_revoke, name="user_tokens_revoke"),
    path("settings/users/<int:pk>/tokens/new/", admin_views.user_token_create, name="user_token_create"),
    path("settings/users/<int:pk>/two-factor/reset/", admin_views.user_two_factor_reset, name="user_two_factor_reset"),
    path("settings/users/<int:pk>/lockout/lift/", admin_views.user_lockout_lift, name="user_lockout_lift"),
    path("settings/teams/", admin_views.team_list_view, name="team_list"),
    path("settings/teams/new/", admin_views.team_create, name="team_create"),
    path("settings/teams/<int:pk>/", admin_views.team_edit, name="team_edit"),
    path("settings/teams/<int:pk>/delete/", admin_views.team_delete, name="team_delete"),
    path("settings/roles/", admin_views.role_list_view, name="role_list"),
    path("settings/roles/new/", admin_views.role_create, name="role_create"),
    path("settings/roles/<int:pk>/", admin_views.role_edit, name="role_edit"),
    path("settings/roles/<int:pk>/delete/", admin_views.role_delete, name="role_delete"),
]
