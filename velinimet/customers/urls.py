from django.urls import path, register_converter

from velinimet.customers.views import calls, custom_fields, imports, merge, people, pickers, records


class KindConverter:
    regex = "person|company"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(KindConverter, "kind")

app_name = "customers"
urlpatterns = [
    path("people/", records.person_list_view, name="person_list"),
    path("people/new/", records.person_create, name="person_create"),
    path("people/<int:pk>/", records.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", records.person_edit, name="person_edit"),
    path("people/<int:pk>/kvkk/export/", people.person_kvkk_export, name="person_kvkk_export"),
    path("people/<int:pk>/kvkk/erase/", people.person_erase_view, name="person_erase"),
    path("people/<int:pk>/companies/", people.employment_add, name="employment_add"),
    path(
        "people/<int:pk>/companies/<int:employment_pk>/remove/",
        people.employment_remove,
        name="employment_remove",
    ),
    path("people/<int:pk>/consents/", people.consent_add, name="consent_add"),
    path("people/pick/", pickers.pick_person, name="pick_person"),
    path("companies/pick/", pickers.pick_company, name="pick_company"),
    path("owners/pick/", pickers.pick_owner, name="pick_owner"),
    path("teams/pick/", pickers.pick_team, name="pick_team"),
    path("companies/", records.company_list_view, name="company_list"),
    path("companies/new/", records.company_create, name="company_create"),
    path("companies/<int:pk>/", records.company_detail, name="company_detail"),
    path("companies/<int:pk>/edit/", records.company_edit, name="company_edit"),
    path("settings/fields/", custom_fields.custom_field_list, name="custom_fields"),
    path("settings/fields/<int:pk>/", custom_fields.custom_field_edit, name="custom_field_edit"),
    path("trash/", merge.trash_view, name="trash"),
    path("<kind:kind>/<int:pk>/restore/", merge.record_restore_view, name="record_restore"),
    path("duplicates/", merge.duplicates_view, name="duplicates"),
    path("duplicates/not-duplicate/", merge.not_duplicate_view, name="not_duplicate"),
    path("duplicates/not-duplicate/undo/", merge.not_duplicate_undo_view, name="not_duplicate_undo"),
    path("import/", imports.import_view, name="import"),
    path("import/<uuid:pk>/", imports.import_detail, name="import_detail"),
    path("import/<uuid:pk>/run/", imports.import_confirm, name="import_confirm"),
    path("merge/<kind:kind>/<int:a>/<int:b>/", merge.merge_view, name="merge"),
    path("merges/<int:pk>/undo/", merge.merge_undo_view, name="merge_undo"),
    path("calls/pop/", calls.screen_pop, name="screen_pop"),
    path("calls/<int:pk>/dismiss/", calls.screen_pop_dismiss, name="screen_pop_dismiss"),
    path("<kind:kind>/<int:pk>/delete/", records.record_delete, name="record_delete"),
    path("<kind:kind>/views/", records.saved_view_create, name="saved_view_create"),
    path("<kind:kind>/views/<int:pk>/delete/", records.saved_view_delete, name="saved_view_delete"),
    path("<kind:kind>/bulk/", records.bulk_action, name="bulk_action"),
]
