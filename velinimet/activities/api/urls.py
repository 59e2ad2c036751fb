"""The activities endpoints; velinimet/api_urls.py includes them under /api/v1/."""

from rest_framework.routers import DefaultRouter

from velinimet.activities.api import views

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("activities", views.ActivityViewSet, basename="activity")
router.register("activity-kinds", views.ActivityKindViewSet, basename="activity-kind")
router.register("contact-rules", views.ContactRuleViewSet, basename="contact-rule")

urlpatterns = router.urls
