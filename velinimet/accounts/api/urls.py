"""The accounts endpoints; velinimet/api_urls.py includes them under /api/v1/."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from velinimet.accounts.api import views

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("users", views.UserViewSet, basename="user")
router.register("teams", views.TeamViewSet, basename="team")
router.register("roles", views.RoleViewSet, basename="role")
router.register("tokens", views.ApiTokenViewSet, basename="token")

urlpatterns = [
    path("me/", views.me, name="me"),
    path("me/preferences/", views.me_update, name="me-preferences"),
    *router.urls,
]
