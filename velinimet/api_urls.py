"""/api/v1/: every app's endpoints, the OpenAPI schema and the offline Swagger UI."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from velinimet.accounts import api as accounts_api
from velinimet.activities import api as activities_api
from velinimet.core import api as core_api
from velinimet.customers import api as customers_api
from velinimet.customers import calls as customers_calls
from velinimet.customers import custom_fields as customers_custom_fields
from velinimet.customers import import_api as customers_import

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("users", accounts_api.UserViewSet, basename="user")
router.register("teams", accounts_api.TeamViewSet, basename="team")
router.register("roles", accounts_api.RoleViewSet, basename="role")
router.register("tokens", accounts_api.ApiTokenViewSet, basename="token")
router.register("people", customers_api.PersonViewSet, basename="person")
router.register("companies", customers_api.CompanyViewSet, basename="company")
router.register("activities", activities_api.ActivityViewSet, basename="activity")
router.register("custom-fields", customers_custom_fields.CustomFieldViewSet, basename="custom-field")
router.register("jobs", core_api.JobViewSet, basename="job")
router.register("audit", core_api.AuditEntryViewSet, basename="audit")

urlpatterns = [
    path("me/", accounts_api.me, name="me"),
    path("me/preferences/", accounts_api.me_update, name="me-preferences"),
    path("search/", core_api.search_view, name="search"),
    path("merges/<int:pk>/undo/", customers_api.merge_undo_api, name="merge-undo"),
    path("imports/", customers_import.import_create, name="import-create"),
    path("imports/<uuid:pk>/run/", customers_import.import_run_for_real, name="import-run"),
    path("calls/lookup/", customers_api.call_lookup, name="call-lookup"),
    path("calls/incoming/", customers_calls.incoming_call_webhook, name="call-incoming"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include(router.urls)),
]
