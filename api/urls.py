"""`/api/v1/…`, the OpenAPI schema at `/api/schema/` and Swagger UI at `/api/docs/`."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from . import views

app_name = "api"

router = DefaultRouter(use_regex_path=False)
router.include_root_view = False
router.include_format_suffixes = False
router.register("documents", views.DocumentViewSet, basename="document")
router.register("registers", views.RegisterViewSet, basename="register")
router.register("tasks", views.TaskViewSet, basename="task")
router.register("notifications", views.NotificationViewSet, basename="notification")
router.register("tokens", views.TokenViewSet, basename="token")
router.register("tracked-tasks", views.TrackedTaskViewSet, basename="tracked-task")
router.register("campaigns", views.CampaignViewSet, basename="campaign")

urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
]
