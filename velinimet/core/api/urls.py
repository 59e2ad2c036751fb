"""The core endpoints (jobs, the audit log, global search); velinimet/api_urls.py includes them under /api/v1/."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from velinimet.core.api import views

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("jobs", views.JobViewSet, basename="job")
router.register("audit", views.AuditEntryViewSet, basename="audit")

urlpatterns = [
    path("search/", views.search_view, name="search"),
    *router.urls,
]
