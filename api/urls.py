from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from . import views

app_name = "api"

router = SimpleRouter(trailing_slash=True)
router.register("provinces", views.ProvinceViewSet, basename="province")
router.register("agencies", views.AgencyViewSet, basename="agency")
router.register("conferences", views.ConferenceViewSet, basename="conference")
router.register("invitee-lines", views.InviteeLineViewSet, basename="invitee-line")
router.register("invitations", views.InvitationViewSet, basename="invitation")
router.register("duties", views.DutyViewSet, basename="duty")
router.register("presentations", views.PresentationViewSet, basename="presentation")
router.register("documents", views.DocumentViewSet, basename="document")
router.register("frameworks", views.FrameworkViewSet, basename="framework")
router.register("results", views.ResultViewSet, basename="result")
router.register("national-results", views.NationalResultViewSet, basename="national-result")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(permission_classes=[], authentication_classes=[]), name="schema"),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(url_name="api:schema", permission_classes=[], authentication_classes=[]),
        name="docs",
    ),
    path("", include(router.urls)),
    # Anything else under /api/v1/ answers as the API does, not with a page.
    re_path(r"^", views.not_found),
]
