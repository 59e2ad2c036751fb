from django.urls import path

from . import day_views, kind_views, rule_views, views

app_name = "activities"

urlpatterns = [
    path("my-day/", day_views.my_day_page, name="my_day"),
    path("calendar/<str:token>.ics", day_views.calendar_feed, name="calendar_feed"),
    path("calendar/renew/", day_views.calendar_feed_renew, name="calendar_feed_renew"),
    path("kinds/", kind_views.kind_list, name="kinds"),
    path("rules/", rule_views.rule_list, name="rules"),
    path("rules/compute/", rule_views.rules_compute, name="rules_compute"),
    path("rules/<int:pk>/", rule_views.rule_edit, name="rule_edit"),
    path("kinds/<int:pk>/", kind_views.kind_edit, name="kind_edit"),
    path("<str:kind>/<int:pk>/", views.timeline_page, name="timeline"),
    path("<str:kind>/<int:pk>/new/", views.activity_log_view, name="log"),
    path("<int:pk>/edit/", views.activity_edit_view, name="edit"),
    path("<int:pk>/done/", views.activity_complete_view, name="complete"),
    path("<int:pk>/delete/", views.activity_delete_view, name="delete"),
]
