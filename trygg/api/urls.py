"""URL routes of trygg.api (REST API v1); every view names its access rule, checked by RolePermission."""

from django.urls import include, path, re_path
from rest_framework.routers import SimpleRouter

from trygg.api import schema, views

app_name = "api"

router = SimpleRouter()
router.register("sites", views.SiteViewSet, basename="site")
router.register("zones", views.ZoneViewSet, basename="zone")
router.register("measures", views.MeasureViewSet, basename="measure")
router.register("dialogue-notes", views.DialogueNoteViewSet, basename="dialogue-note")
router.register("cameras", views.CameraViewSet, basename="camera")
router.register("projects", views.ProjectViewSet, basename="project")
router.register("incidents", views.IncidentViewSet, basename="incident")
router.register("assessments/surveillance", views.SurveillanceAssessmentViewSet, basename="surveillance-assessment")
router.register("assessments/impact", views.ImpactAssessmentViewSet, basename="impact-assessment")
router.register("assessments/child-rights", views.ChildRightsAssessmentViewSet, basename="child-rights-assessment")

urlpatterns = [
    path("v1/", include(router.urls)),
    path("v1/register/", views.RegisterView.as_view(), name="register"),
    path("v1/indicator/", views.IndicatorView.as_view(), name="indicator"),
    path("v1/budget/", views.BudgetView.as_view(), name="budget"),
    path("v1/me/", views.MeView.as_view(), name="me"),
    path("v1/schema/", schema.SchemaView.as_view(), name="schema"),
    path("v1/docs/", views.DocsView.as_view(), name="docs"),
    # [\s\S], not ".": an address with a line break (%0A) is the API's JSON 404 too, not the HTML page.
    re_path(r"^(?P<path>[\s\S]*)$", views.NotFoundView.as_view(), name="not_found"),
]
