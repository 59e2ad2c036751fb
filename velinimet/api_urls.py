"""/api/v1/: every app's endpoints (each app owns its ``api/urls.py``), the OpenAPI schema and the offline Swagger UI."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

urlpatterns = [
    path("", include("velinimet.accounts.api.urls")),
    path("", include("velinimet.core.api.urls")),
    path("", include("velinimet.customers.api.urls")),
    path("", include("velinimet.activities.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]
