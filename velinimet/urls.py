from django.urls import include, path

urlpatterns = [
    path("api/v1/", include("velinimet.api_urls")),
    path("", include("velinimet.accounts.urls")),
    path("", include("velinimet.core.urls")),
    path("customers/", include("velinimet.customers.urls")),
    path("activities/", include("velinimet.activities.urls")),
]

handler404 = "velinimet.core.views.not_found"
handler403 = "velinimet.core.views.forbidden"
handler400 = "velinimet.core.views.bad_request"
handler500 = "velinimet.core.views.server_error"
