from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("settings/", views.settings_index, name="settings"),
    path("search/", views.global_search, name="search"),
    path("jobs/<uuid:pk>/", views.job_detail, name="job_detail"),
    path("jobs/<uuid:pk>/download/", views.job_download, name="job_download"),
    path("jobs/<uuid:pk>/cancel/", views.job_cancel_view, name="job_cancel"),
    path("settings/audit/", views.audit_list_view, name="audit_list"),
    path("settings/audit/export/", views.audit_export, name="audit_export"),
]
