from django.urls import path, register_converter

from . import calls, custom_fields, import_views, merge_views, person_views, views


class KindConverter:
    regex = "person|company"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(KindConverter, "kind")

app_name = "customers"
urlpatterns = [
    path("people/", views.person_list_view, name="person_list"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:pk>/kvkk/export/", person_views.person_kvkk_export, name="person_kvkk_export"),
    path("people/<int:pk>/kvkk/erase/", person_views.person_erase_view, name="person_erase"),
    path("people/<int:pk>/companies/", person_views.employment_add, name="employment_add"),
    path(
        "people/<int:pk>/companies/<int:employment_pk>/remove/",
        person_views.employment_remove,
        name="employment_remove",
    ),
    path("people/<int:pk>/consents/", person_views.consent_add, name="consent_add"),
    path("companies/", views.company_list_view, name="company_list"),
    path("companies/new/", views.company_create, name="company_create"),
    path("companies/<int:pk>/", views.company_detail, name="company_detail"),
    path("companies/<int:pk>/edit/", views.company_edit, name="company_edit"),
    path("settings/fields/", custom_fields.custom_field_list, name="custom_fields"),
    path("settings/fields/<int:pk>/", custom_fields.custom_field_edit, name="custom_field_edit"),
    path("trash/", merge_views.trash_view, name="trash"),
    path("<kind:kind>/<int:pk>/restore/", merge_views.record_restore_view, name="record_restore"),
    path("duplicates/", merge_views.duplicates_view, name="duplicates"),
    path("import/", import_views.import_view, name="import"),
    path("import/<uuid:pk>/", import_views.import_detail, name="import_detail"),
    path("import/<uuid:pk>/run/", import_views.import_confirm, name="import_confirm"),
    path("merge/<kind:kind>/<int:a>/<int:b>/", merge_views.merge_view, name="merge"),
    path("merges/<int:pk>/undo/", merge_views.merge_undo_view, name="merge_undo"),
    path("calls/pop/", calls.screen_pop, name="screen_pop"),
    path("calls/<int:pk>/dismiss/", calls.screen_pop_dismiss, name="screen_pop_dismiss"),
    path("<kind:kind>/<int:pk>/delete/", views.record_delete, name="record_delete"),
    path("<kind:kind>/views/", views.saved_view_create, name="saved_view_create"),
    path("<kind:kind>/views/<int:pk>/delete/", views.saved_view_delete, name="saved_view_delete"),
    path("<kind:kind>/bulk/", views.bulk_action, name="bulk_action"),
]
