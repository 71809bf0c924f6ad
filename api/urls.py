from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from api import views

app_name = "api"

router = DefaultRouter()
router.register("agencies", views.AgencyViewSet, basename="agency")
router.register("chair-terms", views.ChairTermViewSet, basename="chair-term")
router.register("groups", views.GroupViewSet, basename="group")
router.register("workplans", views.WorkPlanViewSet, basename="workplan")
router.register("activities", views.ActivityViewSet, basename="activity")
router.register("meetings", views.MeetingViewSet, basename="meeting")
router.register("decisions", views.DecisionViewSet, basename="decision")

urlpatterns = [
    path("troika/", views.TroikaView.as_view(), name="troika"),
    path("deadlines/", views.DeadlineList.as_view(), name="deadlines"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI from drf-spectacular-sidecar, its start script a separate file (the CSP forbids inline ones).
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api:schema", template_name="api/swagger_ui.html"),
        name="docs",
    ),
    path("", include(router.urls)),
    # Any other address under /api/ answers as the API does (JSON), not with the site's HTML page.
    re_path(r"^[\s\S]*$", views.no_such_address),
]
