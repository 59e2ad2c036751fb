"""The customers endpoints; velinimet/api_urls.py includes them under /api/v1/."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from velinimet.customers.api import duplicates, views

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("people", views.PersonViewSet, basename="person")
router.register("companies", views.CompanyViewSet, basename="company")
router.register("custom-fields", views.CustomFieldViewSet, basename="custom-field")

urlpatterns = [
    path("merges/<int:pk>/undo/", views.merge_undo_api, name="merge-undo"),
    path("duplicates/", duplicates.duplicates_list, name="duplicates-list"),
    path("duplicates/find/", duplicates.duplicates_find, name="duplicates-find"),
    path("duplicates/not-duplicate/", duplicates.not_duplicate_create, name="not-duplicate-create"),
    path("duplicates/not-duplicate/undo/", duplicates.not_duplicate_undo, name="not-duplicate-undo"),
    path("imports/", views.import_create, name="import-create"),
    path("imports/<uuid:pk>/run/", views.import_run_for_real, name="import-run"),
    path("calls/lookup/", views.call_lookup, name="call-lookup"),
    path("calls/incoming/", views.incoming_call_webhook, name="call-incoming"),
    *router.urls,
]
