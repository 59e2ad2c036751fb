from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/verify/", views.login_verify, name="login_verify"),
    path("logout/", views.logout_view, name="logout"),
    path("i18n/language/", views.set_language, name="set_language"),
    path("settings/account/", views.account, name="account"),
    path("settings/account/password/", views.password_change, name="password_change"),
    path("settings/account/tokens/", views.tokens, name="tokens"),
    path("settings/account/tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("settings/two-factor/", views.two_factor_view, name="two_factor"),
    path("settings/users/", views.user_list_view, name="user_list"),
    path("settings/users/new/", views.user_create, name="user_create"),
    path("settings/users/<int:pk>/", views.user_edit, name="user_edit"),
    path("settings/users/<int:pk>/password/", views.user_password_reset, name="user_password_reset"),
    path("settings/teams/", views.team_list_view, name="team_list"),
    path("settings/teams/new/", views.team_create, name="team_create"),
    path("settings/teams/<int:pk>/", views.team_edit, name="team_edit"),
    path("settings/teams/<int:pk>/delete/", views.team_delete, name="team_delete"),
    path("settings/roles/", views.role_list_view, name="role_list"),
    path("settings/roles/new/", views.role_create, name="role_create"),
    path("settings/roles/<int:pk>/", views.role_edit, name="role_edit"),
    path("settings/roles/<int:pk>/delete/", views.role_delete, name="role_delete"),
]
